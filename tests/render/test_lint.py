"""Template lint: each kind of broken tag is reported with its paragraph or table cell."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx import Document

from reportgen.errors import RenderError
from reportgen.render import lint_template
from tests.support.paths import TEMPLATES


def template(tmp_path: Path, *paragraphs: str, cells: list[list[str]] | None = None) -> Path:
    """A .docx whose body paragraphs are ``paragraphs``, then a table of ``cells``."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if cells:
        table = doc.add_table(rows=len(cells), cols=len(cells[0]))
        for row, values in zip(table.rows, cells, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    path = tmp_path / "t.docx"
    doc.save(path)
    return path


def only(problems):
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize("kind", ["weekly", "quarterly", "midterm"])
def test_built_in_templates_are_clean(kind):
    assert lint_template(TEMPLATES / f"{kind}.docx") == []


def test_unclosed_tag_names_the_paragraph(tmp_path):
    problem = only(lint_template(template(tmp_path, "{{ title }}", "报告：{{ summary ")))
    assert problem.where == "t.docx 第2段（“报告：{{ summary”）"
    assert "缺少结束符号“}}”" in problem.message


def test_stray_closer(tmp_path):
    problem = only(lint_template(template(tmp_path, "title }}")))
    assert "多余的“}}”" in problem.message


def test_unknown_filter(tmp_path):
    problem = only(lint_template(template(tmp_path, "{{ title|shout }}")))
    assert "没有名为“shout”的过滤器" in problem.message


def test_syntax_error(tmp_path):
    problem = only(lint_template(template(tmp_path, "{{ title + }}")))
    assert problem.where.startswith("t.docx 第1段")
    assert "有误" in problem.message


def test_unbalanced_blocks(tmp_path):
    path = template(tmp_path, "{%p for item in tasks %}", "{{ item.text }}")
    problem = only(lint_template(path))
    assert problem.where.startswith("t.docx 第1段")
    assert "没有对应的 {% endfor %}" in problem.message
    path = template(tmp_path, "{%p if recipients %}", "{%p endfor %}")
    messages = [p.message for p in lint_template(path)]
    assert any("不匹配" in m for m in messages)


def test_prefix_must_match(tmp_path):
    problem = only(lint_template(template(tmp_path, "{%p if recipients %}", "x", "{% endif %}")))
    assert "必须使用相同的前缀" in problem.message
    assert problem.where.startswith("t.docx 第3段")


def test_paragraph_tag_with_other_text_would_lose_it(tmp_path):
    problem = only(lint_template(template(tmp_path, "说明{%p if recipients %}", "{%p endif %}")))
    assert "会丢失" in problem.message


def test_row_tag_outside_a_table(tmp_path):
    problems = lint_template(template(tmp_path, "{%tr for row in rows %}", "{%tr endfor %}"))
    assert [p.where[:10] for p in problems] == ["t.docx 第1段", "t.docx 第2段"]
    assert all("只能写在表格的单元格中" in p.message for p in problems)


def test_broken_tag_in_a_table_cell(tmp_path):
    cells = [["编号", "指标"], ["{{ row.id }}", "{{ row.name "]]
    path = template(tmp_path, cells=cells)
    problem = only(lint_template(path))
    assert problem.where == "t.docx 表格1第2行第2列（“{{ row.name”）"


def test_unknown_variable_is_located(tmp_path):
    problem = only(lint_template(template(tmp_path, "{{ title }}", "{{ summery }}")))
    assert problem.where.startswith("t.docx 第2段")
    assert "未知变量“summery”" in problem.message


def test_tag_split_across_runs_is_fine(tmp_path):
    doc = Document()
    paragraph = doc.add_paragraph()
    paragraph.add_run("{{ ti")
    paragraph.add_run("tle }}").bold = True
    path = tmp_path / "runs.docx"
    doc.save(path)
    assert lint_template(path) == []


def test_include_is_refused(tmp_path):
    problem = only(lint_template(template(tmp_path, "{% include '/etc/passwd' %}")))
    assert "不能使用“include”" in problem.message


def test_not_a_docx(tmp_path):
    path = tmp_path / "x.docx"
    path.write_text("hello")
    with pytest.raises(RenderError, match="不是有效的 Word 文档"):
        lint_template(path)
    with pytest.raises(RenderError, match="找不到模板文件"):
        lint_template(tmp_path / "missing.docx")


def test_a_checked_template_is_linted_once_per_version(tmp_path, monkeypatch):
    from reportgen.render import lint, report

    template = tmp_path / "t.docx"
    template.write_bytes((TEMPLATES / "quarterly.docx").read_bytes())
    calls = []
    monkeypatch.setattr(lint, "lint_template", lambda path: calls.append(path) or [])
    checked = report.UserTemplate.check(template)
    assert report.user_template(checked) is checked
    assert report.user_template(checked) is checked
    assert len(calls) == 1
    os.utime(template, ns=(0, 1))  # an edited file: same path, new modification time
    report.user_template(checked)
    assert len(calls) == 2
