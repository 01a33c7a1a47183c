"""Build the built-in report templates (reportgen/data/templates/{weekly,quarterly,midterm}.docx)
in GB/T 9704-2012 公文 format.

    python -m reportgen.render.build_templates [--out DIR]

The page, fonts, document grid and page numbers (``reportgen.render.gbt9704``) are set in the
templates' XML, so a rendered report needs no formatting afterwards and a drafter can restyle
the template in Word/WPS and pass it back with ``--template``. The Jinja2 tags are docxtpl's: ``{%p %}``
paragraph tags, ``{%tr %}`` row loops, ``{% cellbg %}`` cell shading. docs/report.md lists the
template variables.

Each template keeps only the styles it and the renderer use (``gbt9704.slim``), so a report
loads and saves a few kilobytes of styles, not python-docx's 350 KB.

Tables are lean, because a report may have 10 000 rows: the grid and the header row carry the
column widths (fixed layout), the table style 报告表格 the vertical centring, and only rows with
a status colour carry shading (two variants of the data row, ``{%tr if row.fill … %}``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from reportgen.render import oxml
from reportgen.render.context import MAX_TREND_PERIODS, NO_FILL
from reportgen.render.gbt9704 import (
    CELL_MARGIN,
    HEADER_FILL,
    MARGINS_MM,
    PAGE_MM,
    new_document,
    slim,
)
from reportgen.render.layout import DATE_STYLE, SIGNATURE_STYLE, TITLE_STYLE

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "templates"


@dataclass(frozen=True)
class Column:
    """One table column: header text, width, the cell's Jinja expression, alignment."""

    header: str
    width_mm: float
    expr: str
    left: bool = False


INDICATOR_COLUMNS = [
    Column("编号", 10, "{{ row.id }}"),
    Column("指标", 31, "{{ row.name }}", left=True),
    Column("单位", 10, "{{ row.unit }}"),
    Column("目标", 15, "{{ row.target }}"),
    Column("完成值", 14, "{{ row.actual }}"),
    Column("完成率", 14, "{{ row.completion }}"),
    Column("序时进度", 14, "{{ row.time_progress }}"),
    Column("状态", 18, "STATUS"),
    Column("完成值\n较上期", 15, "{{ row.change_value }}"),
    Column("完成率\n较上期", 15, "{{ row.change_completion }}"),
]
MIDTERM_COLUMNS = [
    Column("编号", 10, "{{ row.id }}"),
    Column("指标", 34, "{{ row.name }}", left=True),
    Column("单位", 10, "{{ row.unit }}"),
    Column("完成值", 15, "{{ row.actual }}"),
    Column("完成率", 15, "{{ row.completion }}"),
    Column("状态", 18, "STATUS"),
    Column("规划目标", 17, "{{ row.final_target }}"),
    Column("规划\n完成率", 16, "{{ row.final_completion }}"),
    Column("预计\n期末值", 21, "{{ row.projected }}"),
]
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
TREND_NAME_MM = 44
PROBLEM_WIDTHS_MM = [36, 20, 36, TEXT_WIDTH_MM - 92]  # 填报文件, 单元格, 指标或任务, 问题
TABLE_STYLE, TABLE_STYLE_ID = "报告表格", "ReportTable"  # Table Grid, cells centred vertically
# Styles the renderer looks for (reportgen.render.layout): kept in every template, used or not.
RENDERER_STYLES = (TITLE_STYLE, SIGNATURE_STYLE, DATE_STYLE)


# ---------------------------------------------------------------- content helpers


class Writer:
    """Appends template paragraphs and tables to a document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        oxml.add_table_style(doc.styles.element, TABLE_STYLE_ID, TABLE_STYLE, "TableGrid", "center")

    def para(self, text: str = "", style: str = "Normal") -> Paragraph:
        paragraph: Paragraph = self.doc.add_paragraph(text, style=style)
        return paragraph

    def tag(self, tag: str) -> None:
        """A paragraph holding only a docxtpl ``{%p … %}`` tag (it disappears when rendered)."""
        self.para(f"{{%p {tag} %}}")

    def maybe_bold(self, expr: str, style: str = "Normal") -> None:
        """``{{ expr.text }}``, bold when ``expr.bold`` (约束性指标预警 etc.)."""
        paragraph = self.doc.add_paragraph(style=style)
        paragraph.add_run(f"{{% if {expr}.bold %}}")
        paragraph.add_run(f"{{{{ {expr}.text }}}}").bold = True
        paragraph.add_run(f"{{% else %}}{{{{ {expr}.text }}}}{{% endif %}}")

    def items(self, name: str, heading_style: str = "Heading 3") -> None:
        """A list of items: optional heading line, then the text (bold when flagged)."""
        self.tag(f"for item in {name}")
        self.tag("if item.heading")
        self.para("{{ item.heading }}", heading_style)
        self.tag("endif")
        self.maybe_bold("item")
        self.tag("endfor")

    def run_in_items(self, name: str) -> None:
        """Paragraphs that open with a bold run-in heading ('1.加强计量标准建设。') when given."""
        self.tag(f"for item in {name}")
        paragraph = self.doc.add_paragraph()
        paragraph.add_run("{% if item.heading %}")
        paragraph.add_run("{{ item.heading }}").bold = True
        paragraph.add_run("{% endif %}{{ item.text }}")
        self.tag("endfor")

    def groups(self, heading_style: str) -> None:
        """Indicator sentences grouped by category (headings only when the plan has categories)."""
        self.tag("for group in groups")
        self.tag("if group.heading")
        self.para("{{ group.heading }}", heading_style)
        self.tag("endif")
        self.tag("for item in group.items")
        self.maybe_bold("item")
        self.tag("endfor")
        self.tag("endfor")

    def chart(self, var: str, caption: str) -> None:
        self.tag(f"if {var}")
        self.para(f"{{{{ {var} }}}}", "图片")
        self.para(f"{{{{ {caption} }}}}", "Caption")
        self.tag("endif")

    def closing(self) -> None:
        """附件说明 (the 数据问题清单 only when there is one), then one blank line, 署名 and 成文日期
        (indents set per report: layout.py)."""
        self.para()
        self.para("附件：{{ attachment_title }}")
        self.tag("if data_problems")
        self.para("　　　{{ data_problems_title }}")
        self.tag("endif")
        self.para()
        self.para("{{ issuer }}", "落款")
        self.para("{{ date }}", "成文日期")

    def attachment(self, columns: list[Column]) -> None:
        self.para("附件", "附件标识")
        self.para()  # the title goes on line 3
        self.para("{{ attachment_title }}", "Title")
        self.indicator_table(columns)

    def indicator_table(self, columns: list[Column]) -> None:
        """Header row (repeats on every page), one row per indicator, legend below.

        Two variants of the data row: shaded by status (``{% cellbg %}`` in every cell) and
        plain (no shading element at all, for rows without a status colour).
        """
        self.para("{{ table_note }}", "表注").paragraph_format.keep_with_next = True
        table = self._table(len(columns), 8)
        header, loop, shaded_if, shaded, plain_else, plain, plain_end, end = table.rows
        self._header(header, [c.header for c in columns], [c.width_mm for c in columns])
        for row, tag in (
            (loop, "for row in rows"),
            (shaded_if, f'if row.fill != "{NO_FILL}"'),
            (plain_else, "else"),
            (plain_end, "endif"),
            (end, "endfor"),
        ):
            _tag_row(row, tag)
        for data, bg in ((shaded, "{% cellbg row.fill %}"), (plain, "")):
            for col, cell in zip(columns, data.cells, strict=True):
                if bg:
                    oxml.set_cell_shading(cell._tc, NO_FILL)  # replaced by the cellbg tag
                paragraph = _cell_text(cell, "", "表格文字")
                if col.left:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                if col.expr == "STATUS":
                    paragraph.add_run(bg + "{% if row.bold %}")
                    paragraph.add_run("{{ row.status }}").bold = True
                    paragraph.add_run("{% else %}{{ row.status }}{% endif %}")
                else:
                    paragraph.add_run(bg + col.expr)
        self.para("{{ legend }}", "表注")

    def data_problems(self) -> None:
        """The annex 数据问题清单 (file, cell, indicator, problem), only when there are problems."""
        self.tag("if data_problems")
        self.para("附件", "附件标识")
        self.para()  # the title goes on line 3, as in ``attachment``
        self.para("{{ data_problems_title }}", "Title")
        table = self._table(4, 4)
        header, loop, data, end = table.rows
        self._header(header, ["填报文件", "单元格", "指标或任务", "问题"], PROBLEM_WIDTHS_MM)
        _tag_row(loop, "for problem in data_problems")
        _tag_row(end, "endfor")
        for name, cell in zip(("file", "cell", "item", "message"), data.cells, strict=True):
            _cell_text(
                cell, f"{{{{ problem.{name} }}}}", "表格文字"
            ).alignment = WD_ALIGN_PARAGRAPH.LEFT
        self.tag("endif")

    def trend_table(self) -> None:
        """Indicators x archived periods (completion %); the period columns are a ``{%tc`` loop.

        The grid has room for MAX_TREND_PERIODS period columns; docxtpl drops the unused grid
        columns after rendering and gives their width to the others. Cells carry no widths of
        their own, so the grid decides.
        """
        periods = MAX_TREND_PERIODS
        table = self._table(1 + periods, 4)
        header, loop, data, end = table.rows
        texts = [
            ("指标", "{%tc for period in trend.periods %}", "{{ period }}", "{%tc endfor %}"),
            ("{{ line.name }}", "{%tc for cell in line.cells %}", "{{ cell }}", "{%tc endfor %}"),
        ]
        for row, style, values in ((header, "表头文字", texts[0]), (data, "表格文字", texts[1])):
            cells = [*row.cells[:3], row.cells[3].merge(row.cells[-1])]
            for cell, value in zip(cells, values, strict=True):
                _cell_text(cell, value, style)
                if row is header:
                    oxml.set_cell_shading(cell._tc, HEADER_FILL)
        data.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
        loop.cells[0].paragraphs[0].text = "{%tr for line in trend.lines %}"
        end.cells[0].paragraphs[0].text = "{%tr endfor %}"
        period_mm = (TEXT_WIDTH_MM - TREND_NAME_MM) / periods
        for n, column in enumerate(table.columns):
            column.width = Mm(TREND_NAME_MM if n == 0 else period_mm)
        oxml.set_repeat_header(header._tr)

    def _table(self, cols: int, rows: int) -> Table:
        """A centred, fixed-layout 报告表格 whose rows do not split; no cell has its own width."""
        table: Table = self.doc.add_table(rows=rows, cols=cols, style=TABLE_STYLE)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        oxml.set_cell_margins(table._tbl, CELL_MARGIN, CELL_MARGIN)
        for row in table.rows:
            oxml.set_cant_split(row._tr)
        for tc in table._tbl.iter(qn("w:tc")):
            oxml.clear_cell_width(tc)
        return table

    def _header(self, header: _Row, texts: Sequence[str], widths_mm: Sequence[float]) -> None:
        """The shaded header row, repeated on every page; it and the grid carry the widths."""
        table = header.table
        for text, cell, column, width in zip(
            texts, header.cells, table.columns, widths_mm, strict=True
        ):
            column.width = cell.width = Mm(width)
            _cell_text(cell, text, "表头文字")
            oxml.set_cell_shading(cell._tc, HEADER_FILL)
        oxml.set_repeat_header(header._tr)


def _tag_row(row: _Row, tag: str) -> None:
    """A row holding only the docxtpl tag ``{%tr tag %}`` (it disappears when rendered)."""
    row.cells[0].paragraphs[0].text = f"{{%tr {tag} %}}"


def _cell_text(cell: _Cell, text: str, style: str) -> Paragraph:
    paragraph: Paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)
    return paragraph


# ---------------------------------------------------------------- the three templates


def weekly(w: Writer) -> None:
    """周报 (at most two pages): title, week, 本周主要进展, 需关注事项, 下周安排; table optional."""
    w.para("{{ title }}", "Title")
    w.para("{{ subtitle }}", "Subtitle")
    w.para("{{ issuer }}　{{ date }}", "Subtitle")
    w.para()
    w.para("一、本周主要进展", "Heading 1")
    w.items("highlights")
    w.para("二、需关注事项", "Heading 1")
    w.items("attention")
    w.para("三、下周安排", "Heading 1")
    w.items("next_week")
    w.tag("if compared_with")
    w.para("{{ compared_with }}", "表注")
    w.tag("endif")
    w.tag("if with_table")
    w.attachment(INDICATOR_COLUMNS)
    w.tag("endif")
    w.data_problems()


def _opening(w: Writer) -> None:
    w.para("{{ title }}", "Title")
    w.tag("if recipients")
    w.para("{{ recipients }}：", "主送")
    w.tag("endif")
    w.para("{{ intro }}")


def quarterly(w: Writer) -> None:
    """季度进展报告: 一、总体 二、指标 三、任务 四、问题 五、下一步, 落款, 附件 table."""
    _opening(w)
    w.para("一、总体进展情况", "Heading 1")
    w.para("{{ summary }}")
    w.chart("chart", "chart_caption")
    w.para("二、主要指标完成情况", "Heading 1")
    w.groups("Heading 2")
    w.para("三、重点任务推进情况", "Heading 1")
    w.run_in_items("tasks")
    w.para("四、存在的问题", "Heading 1")
    w.items("problems")
    w.para("五、下一步工作安排", "Heading 1")
    w.items("next_steps")
    w.closing()
    w.attachment(INDICATOR_COLUMNS)
    w.data_problems()


def midterm(w: Writer) -> None:
    """中期评估报告（初稿）: progress, projection to the target year, risks, trend, tasks."""
    _opening(w)
    w.para("一、规划实施总体情况", "Heading 1")
    w.para("{{ summary }}")
    w.chart("chart", "chart_caption")
    w.para("二、主要指标完成情况", "Heading 1")
    w.para("（一）中期进展情况", "Heading 2")
    w.groups("Heading 3")
    w.para("（二）规划目标完成预测", "Heading 2")
    w.items("projections")
    w.para("（三）需重点关注的指标", "Heading 2")
    w.items("at_risk")
    w.para("（四）历次进展变化情况", "Heading 2")
    w.tag("if trend")
    w.para("{{ trend.intro }}")
    w.trend_table()
    w.chart("trend_chart", "trend_caption")
    w.tag("else")
    w.para("{{ trend_note }}")
    w.tag("endif")
    w.para("三、重点任务进展", "Heading 1")
    w.run_in_items("tasks")
    w.para("四、存在的主要问题", "Heading 1")
    w.items("problems")
    w.para("五、下一阶段工作建议", "Heading 1")
    w.items("next_steps")
    w.closing()
    w.attachment(MIDTERM_COLUMNS)
    w.data_problems()


TEMPLATES: dict[str, Callable[[Writer], None]] = {
    "weekly": weekly,
    "quarterly": quarterly,
    "midterm": midterm,
}


def build(out_dir: Path) -> list[Path]:
    """Write the three templates into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fill in TEMPLATES.items():
        doc = new_document()
        fill(Writer(doc))
        slim(doc, keep=RENDERER_STYLES)
        path = out_dir / f"{name}.docx"
        doc.save(str(path))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description="生成内置的三个报告模板。")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="输出目录")
    for path in build(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
