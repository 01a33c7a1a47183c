"""The template context: rows, shading keys, 较上期, lists and the midterm trend."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from reportgen.compare import compare
from reportgen.progress import compute_progress
from reportgen.records import Dataset, ValueRecord
from reportgen.render import report
from reportgen.render.context import (
    BUILTIN_LISTS,
    CONTEXT_NAMES,
    FILLS,
    LISTS,
    NO_FILL,
    REPORT_KINDS,
    Front,
    build_context,
)
from reportgen.render.sections import elapsed_share
from reportgen.render.textclean import clean, protect
from tests.support import render_samples as rs

FRONT = Front(date=date(2024, 7, 5))


def rows_by_id(ctx):
    return {r.id: r for r in ctx.rows}


def test_rows_show_exact_percentages_status_and_fill():
    rows = rows_by_id(build_context(rs.result(), "quarterly", FRONT))
    assert (rows["I1"].completion, rows["I1"].time_progress) == ("33.3%", "49.9%")
    assert (rows["I1"].status, rows["I1"].fill, rows["I1"].bold) == ("▲滞后", FILLS["滞后"], True)
    assert (rows["I4"].status, rows["I4"].fill) == ("▲▲严重滞后", FILLS["严重滞后"])
    assert (rows["I2"].status, rows["I2"].fill) == ("已完成", FILLS["已完成"])
    assert rows["I3"].fill == NO_FILL
    assert (rows["I5"].actual, rows["I5"].completion, rows["I5"].status) == ("—", "—", "未填报")
    assert rows["I1"].target == "97\n2025年"


def test_change_columns_without_and_with_previous():
    rows = rows_by_id(build_context(rs.result(period=rs.WEEK), "weekly", FRONT))
    assert rows["I1"].change_value == rows["I1"].change_completion == "无上期数据"
    with_previous = compare(rs.result(), previous=rs.previous().values())
    rows = rows_by_id(build_context(rs.result(period=rs.WEEK), "weekly", FRONT, with_previous))
    # 95 - 94.5 = +0.5; (1/3 - 1/6) x 100 = 16.67 -> +16.7
    assert (rows["I1"].change_value, rows["I1"].change_completion) == ("+0.5", "+16.7")
    # 46 - 44 = +2; (1.2 - 0.8) x 100 = +40.0
    assert (rows["I2"].change_value, rows["I2"].change_completion) == ("+2", "+40.0")
    assert (rows["I3"].change_value, rows["I3"].change_completion) == ("0", "0")
    assert rows["I5"].change_value == "—"


def test_defaults_for_title_issuer_and_date():
    ctx = build_context(rs.result(), "quarterly", FRONT)
    assert ctx.title == "关于测试市计量发展规划实施方案2024年第二季度进展情况的报告"
    assert ctx.issuer == "测试市市场监督管理局"  # the drafting office, not the issuing government
    assert ctx.date == "2024年7月5日"
    assert ctx.recipients == ""
    custom = build_context(
        rs.result(period=rs.WEEK), "weekly", Front("周报", "办公室", "各单位", date(2024, 1, 2))
    )
    assert (custom.title, custom.issuer, custom.recipients, custom.date) == (
        "周报",
        "办公室",
        "各单位",
        "2024年1月2日",
    )
    assert custom.subtitle == "2024年第26周（6月24日—6月30日）"


def test_attention_lists_lagging_first_with_binding_bold():
    ctx = build_context(rs.result(period=rs.WEEK), "weekly", FRONT)
    texts = [i.text for i in ctx.attention]
    assert texts[0].startswith("进度严重滞后的指标1项：诚信计量示范单位")  # the most severe first
    assert texts[1].startswith("进度滞后的指标1项：全市强检计量器具检定覆盖率")
    assert texts[2] == "约束性指标全市强检计量器具检定覆盖率未达序时进度，须采取有力措施确保完成。"
    assert [i.bold for i in ctx.attention] == [False, False, True, False]
    assert texts[3] == (
        "本周有1项指标数据、1项重点任务进展未报送（涉及市市场监管局、市人力社保局）。"
    )


def test_problems_and_next_steps_are_numbered_sections():
    ctx = build_context(rs.result(), "quarterly", FRONT)
    headings = [i.heading for i in ctx.problems if i.heading]
    assert headings == ["1.部分指标进度滞后", "2.部分数据未按时报送", "3.重点任务推进中的困难"]
    assert ctx.problems[-1].text == "加强计量标准建设：经费不足。"
    steps = [i.heading for i in ctx.next_steps if i.heading]
    assert steps == ["1.加快推进滞后指标", "2.抓好重点任务落实", "3.做好数据报送"]


def test_all_well_gives_a_plain_sentence():
    calm = [replace(i, status="进度正常", binding_alert=False) for i in rs.INDICATORS[1:4]]
    tasks = [replace(t, problems="", progress="已推进", next_steps="") for t in rs.TASKS]
    ctx = build_context(rs.result(calm, tasks), "quarterly", FRONT)
    assert [i.text for i in ctx.problems] == [
        "本期各项指标和重点任务总体按计划推进，未发现突出问题。"
    ]
    assert [i.text for i in ctx.attention] == ["本期各项指标均按序时推进，暂无需特别关注的事项。"]


def test_categories_become_headings():
    cats = [
        replace(i, category="计量能力" if n < 2 else "计量服务")
        for n, i in enumerate(rs.INDICATORS)
    ]
    quarterly = build_context(rs.result(cats), "quarterly", FRONT)
    assert [g.heading for g in quarterly.groups] == ["（一）计量能力", "（二）计量服务"]
    midterm = build_context(rs.result(cats), "midterm", FRONT)
    assert [g.heading for g in midterm.groups] == ["1.计量能力", "2.计量服务"]
    plain = build_context(rs.result(), "quarterly", FRONT)
    assert [g.heading for g in plain.groups] == [""]


def test_trend_needs_two_periods():
    ctx = build_context(rs.result(), "midterm", FRONT)
    assert ctx.trend is None
    assert ctx.trend_note.startswith("目前尚无往期存档数据")
    history = [("2024-Q1", [replace(i, completion=0.1) for i in rs.INDICATORS])]
    ctx = build_context(rs.result(), "midterm", FRONT, compare(rs.result(), history=history))
    assert ctx.trend.periods == ["2024-Q1", "2024-Q2"]
    assert ctx.trend.lines[0].cells == ["10.0%", "33.3%"]
    assert ctx.trend_note == ""


def test_history_including_the_current_period_is_not_doubled():
    history = [("2024-Q1", rs.INDICATORS), ("2024-Q2", rs.INDICATORS)]
    ctx = build_context(rs.result(), "midterm", FRONT, compare(rs.result(), history=history))
    assert ctx.trend.periods == ["2024-Q1", "2024-Q2"]


def test_midterm_elapsed_share():
    # 2023-01-01 .. 2025-12-31 is 1096 days; to 2024-06-30 is 547 days -> 49.9%
    assert elapsed_share(date(2023, 1, 1), date(2025, 12, 31), date(2024, 6, 30)) == 547 / 1096
    ctx = build_context(rs.result(), "midterm", FRONT)
    assert ctx.summary.startswith(
        "实施方案规划期为2023年1月1日至2025年12月31日，时间进度已过49.9%。"
    )


def test_user_text_is_cleaned_and_markers_protected():
    assert clean("a\x00b\x0bc\r\nd\re\ufffe") == "ab" + "c\nd\ne"
    assert protect("plain") == "plain"
    protected = protect("x {_{ y }_} <")
    assert str(protected) == "x {&#95;{ y }&#95;} &lt;"
    weird = [replace(rs.INDICATORS[0], name="指标\x07<&>")]
    ctx = build_context(rs.result(weird, period=rs.WEEK), "weekly", FRONT)
    assert ctx.rows[0].name == "指标<&>"


NASTY = "a<b>&c\"d'e {_{ f }_} {_% g %_} h_i"


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_escaped_context_renders_as_autoescaping_does(kind):
    indicators = [replace(rs.INDICATORS[0], name=NASTY, unit="&"), *rs.INDICATORS[1:]]
    tasks = [replace(rs.TASKS[0], title=NASTY, progress=NASTY), *rs.TASKS[1:]]
    period = rs.WEEK if kind == "weekly" else rs.PERIOD
    result = rs.result(indicators, tasks, period=period)
    context = build_context(result, kind, FRONT, compare(result))
    documents = []
    for escaped in (False, True):
        mapping, _ = report.context_mapping(context, result, escaped)
        mapping.update(chart="", trend_chart="")  # chart markers differ per call
        tpl = report._open(report.template_path(kind), builtin=True)
        env = Environment(autoescape=not escaped, undefined=StrictUndefined)
        tpl.render(mapping, jinja_env=env, autoescape=not escaped)
        documents.append(tpl.docx.element.xml)
    assert documents[0] == documents[1]
    assert "a&lt;b&gt;&amp;c" in documents[1]


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_builtin_lists_are_those_the_templates_use(kind):
    used = DocxTemplate(str(report.template_path(kind))).get_undeclared_template_variables()
    assert used <= CONTEXT_NAMES  # the check sees the templates' names
    assert used & LISTS == BUILTIN_LISTS[kind]


@pytest.mark.parametrize(
    ("kind", "with_table"), [(k, False) for k in REPORT_KINDS] + [("weekly", True)]
)
def test_builtin_context_renders_as_the_full_one(kind, with_table):
    period = rs.WEEK if kind == "weekly" else rs.PERIOD
    result = rs.result(period=period)
    front = Front(date=date(2024, 7, 5), with_table=with_table)
    documents = []
    for builtin in (False, True):
        context = build_context(result, kind, front, compare(result), builtin=builtin)
        mapping, _ = report.context_mapping(context, result, escaped=True)
        mapping.update(chart="", trend_chart="")  # chart markers differ per call
        tpl = report._open(report.template_path(kind), builtin=True)
        env = Environment(autoescape=False, undefined=StrictUndefined)
        tpl.render(mapping, jinja_env=env, autoescape=False)
        documents.append(tpl.docx.element.xml)
    assert documents[0] == documents[1]
    assert ("w:tbl" in documents[1]) is (kind != "weekly" or with_table)


def test_legend_states_the_threshold_progress_applied():
    values = {"I1": 95.0, "I2": 46.0, "I3": 9.0, "I4": 120.0}
    records = {i: ValueRecord(i, v, f"填报.xlsx:指标填报!H{i[1:]}") for i, v in values.items()}
    dataset = Dataset(rs.PLAN_DATA["id"], rs.PERIOD.key, records)
    result = compute_progress(rs.plan(), dataset, rs.PERIOD, severe_gap_pp=5)
    assert result.summary["严重滞后"] == 2  # gaps 16.6 and 29.9 points, both ≥ 5
    legend = build_context(result, "quarterly", FRONT).legend
    assert "低于序时进度5个百分点及以上" in legend
    assert "20个百分点" not in legend
