"""The table floor: openpyxl reads the 指标填报 rows, bare docxtpl renders them into a Word table.

The least any Python tool producing an indicator table report must do, with nothing of reportgen;
the same work as the Node peer (peer/peer.js). Imports only openpyxl and docxtpl, so it is timed
as a cold process:

    python benchmarks/floor_table.py WORKBOOK TEMPLATE.docx OUT.docx
"""

from __future__ import annotations

import sys

import openpyxl
from docxtpl import DocxTemplate

COLUMNS = ("指标编号", "指标名称", "单位", "属性", "基期值", "本年目标", "规划目标", "完成值")


def read_rows(path: str) -> list[dict[str, str]]:
    """Each indicator row as display strings, completion = 完成值 / 本年目标."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = book["指标填报"].iter_rows(values_only=True)
    header = next(cells)
    at = {name: header.index(name) for name in COLUMNS}
    rows = []
    for values in cells:
        target, actual = float(values[at["本年目标"]]), values[at["完成值"]]
        done = None if actual in (None, "") else float(actual) / target
        rows.append(
            {
                "id": str(values[at["指标编号"]]),
                "name": str(values[at["指标名称"]]),
                "unit": str(values[at["单位"]] or ""),
                "attribute": str(values[at["属性"]] or ""),
                "baseline": str(values[at["基期值"]] or ""),
                "target": str(target),
                "final": str(values[at["规划目标"]] or ""),
                "actual": "—" if actual is None else str(actual),
                "completion": "—" if done is None else f"{done:.1%}",
                "status": "未填报" if done is None else "已完成" if done >= 1 else "进度正常",
            }
        )
    book.close()
    return rows


def main(workbook: str, template: str, out: str) -> None:
    doc = DocxTemplate(template)
    doc.render({"title": "进展报告", "rows": read_rows(workbook)}, autoescape=True)
    doc.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
