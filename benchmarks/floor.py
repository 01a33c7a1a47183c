"""The floor: the least any tool producing the same report must do, with nothing of reportgen.

Read every cell of the returned workbooks with python-calamine (the fastest reader available),
then render the same Word template with the same context with bare docxtpl (no chart: the
native chart parts are part of our work). Imports only python-calamine and docxtpl, so it can also be timed as a cold process:

    python benchmarks/floor.py CONTEXT.json TEMPLATE.docx OUT.docx WORKBOOK...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import python_calamine
from docxtpl import DocxTemplate


def read_all(paths: list[Path]) -> None:
    """Every cell of every sheet of every workbook, as Python values."""
    for path in paths:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def parse_context(text: str) -> SimpleNamespace:
    """The report context as JSON text; objects become namespaces so ``row.name`` works."""
    return json.loads(text, object_hook=lambda d: SimpleNamespace(**d))


def load_context(path: Path) -> SimpleNamespace:
    """The report context saved as JSON (see ``parse_context``)."""
    return parse_context(path.read_text(encoding="utf-8"))


def render(template: Path, context: SimpleNamespace, out: Path) -> None:
    """Bare docxtpl: the template and the context, saved to ``out``."""
    tpl = DocxTemplate(str(template))
    tpl.render({**vars(context), "chart": "", "trend_chart": ""}, autoescape=True)
    tpl.save(str(out))


def floor(workbooks: list[Path], template: Path, context: SimpleNamespace, out: Path) -> None:
    """Read the workbooks, then render the report: the whole floor."""
    read_all(workbooks)
    render(template, context, out)


def main(argv: list[str]) -> None:
    context_file, template, out, *workbooks = (Path(a) for a in argv)
    floor(workbooks, template, load_context(context_file), out)


if __name__ == "__main__":
    main(sys.argv[1:])
