"""Prose targets: 以上/不少于/达到/超过/力争, %, several per sentence, years, methods."""

from __future__ import annotations

import pytest

from reportgen.extract.prose import YearInForce, guess_method, read_paragraph
from tests.support.extract_support import HEAD
from tests.support.extract_support import extract_text as _extract
from tests.support.extract_support import messages as _messages
from tests.support.extract_support import targets as _targets


def _scan(text: str, year: int | None = None):
    return [
        (t.name, t.year, t.value, t.unit, t.qualifier)
        for t in read_paragraph(text, 1, "x", YearInForce(year))[0]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "到2025年，新建社会公用计量标准100项以上。",
            ("新建社会公用计量标准", 2025, 100, "项", "以上"),
        ),
        ("到2025年，注册计量师不少于300人。", ("注册计量师", 2025, 300, "人", "")),
        ("到2025年，检定覆盖率达到95%。", ("检定覆盖率", 2025, 95, "%", "")),
        ("到2025年，示范单位超过50家。", ("示范单位", 2025, 50, "家", "")),
        ("到2030年，力争培育领军企业10家。", ("培育领军企业", 2030, 10, "家", "")),
        ("2024年底前，新建2个以上省级技术委员会。", ("省级技术委员会", 2024, 2, "个", "以上")),
        ("到2025年，建成检测平台1.5万家。", ("建成检测平台", 2025, 1.5, "万家", "")),
    ],
)
def test_prose_forms(text, expected):
    assert _scan(text) == [expected]


def test_two_targets_in_one_sentence_and_a_list_joined_by_dun_hao():
    assert _scan("到2025年，创建2个示范区、5个以上示范街区，引导培育示范单位300家以上。") == [
        ("示范区", 2025, 2, "个", ""),
        ("示范街区", 2025, 5, "个", "以上"),
        ("引导培育示范单位", 2025, 300, "家", "以上"),
    ]


def test_year_holds_until_the_next_year_and_generic_names_borrow_the_subject():
    found = _scan(
        "到2016年，标准数量达到300项。到2020年，达到320项；检定项目数量逐年增长，到2020年总数达到20000项。"
    )
    assert found == [
        ("标准数量", 2016, 300, "项", ""),
        ("标准数量", 2020, 320, "项", ""),
        ("检定项目", 2020, 20000, "项", ""),
    ]


def test_numbers_that_are_codes_dates_or_durations_are_not_targets():
    assert (
        _scan("到2025年，落实GB17167标准，监测PM2.5，5·20世界计量日，前3名，30个工作日内办结。")
        == []
    )


def test_percent_and_per_year_and_reverse_methods_are_guessed():
    assert guess_method("每年新增标准", "项", False)[0] == "annual"
    assert guess_method("社会公用计量标准", "项/年", False)[0] == "annual"
    assert guess_method("检定覆盖率", "%", False)[0] == "level"
    assert guess_method("累计培育示范单位", "家", False)[0] == "cumulative"
    assert guess_method("事故起数", "起", True)[0] == "reverse"
    assert guess_method("计量技术机构", "家", False)[0] == "level"


def test_prose_targets_in_goals_and_tasks_with_guessed_method_notes(tmp_path):
    body = HEAD + (
        "一、工作目标\n\n到2025年，计量能力显著提升。\n\n"
        "1.能力提升。新建社会公用计量标准50项以上，强检覆盖率达到98%。\n\n"
        "二、重点任务\n\n"
        "（一）加强标准建设。2024年底前完成标准考核20项，每年新增标准不少于5项。（市市场监管局负责）\n"
    )
    extraction = _extract(tmp_path, body)
    targets = _targets(extraction)
    assert targets == {
        "新建社会公用计量标准": {2025: 50},
        "强检覆盖率": {2025: 98},
        "完成标准考核": {2024: 20},
    }
    by_name = {i.name: i for i in extraction.plan.indicators}
    assert by_name["新建社会公用计量标准"].method == "cumulative"
    assert "自动推断" in by_name["强检覆盖率"].note
    assert "“以上”为下限" in by_name["新建社会公用计量标准"].note
    # "每年新增标准不少于5项" has no target year: a warning, not an indicator
    assert "没有写目标年份" in _messages(extraction)


def test_prose_repeating_a_table_row_is_not_a_second_indicator(tmp_path):
    body = HEAD + (
        "一、工作目标\n\n到2025年，新建和升级社会公用计量标准100项以上，覆盖率达到90%以上。\n\n"
        "专栏1 主要指标\n类别\t主要指标\t2024年\t2025年\t属性\n"
        "支撑\t新建和升级社会公用计量标准（项）\t60\t100\t预期性\n"
        "监督\t全市强检项目建标覆盖率（%）\t85\t90\t预期性\n"
    )
    plan = _extract(tmp_path, body).plan
    assert len(plan.indicators) == 2
    assert "与本行一致" in plan.indicators[0].note


def test_a_restated_goal_with_another_figure_keeps_the_stricter_one(tmp_path):
    body = HEAD + (
        "一、工作目标\n\n到2025年，培育诚信计量示范单位300家以上。\n\n"
        "二、重点任务\n\n（一）推进诚信建设。引导培育350家以上诚信计量示范单位。（市市场监管局负责）\n"
    )
    extraction = _extract(tmp_path, body)
    assert list(_targets(extraction).values()) == [{2025: 350}]
    assert "不一致" in _messages(extraction)


def test_chapter_outline_period_totals_and_reverse_targets(tmp_path):
    body = (
        "某省“十四五”质量发展规划（2021—2025年）\n\n第一章 发展基础\n\n“十三五”期间，累计培育品牌企业1200家。\n\n"
        "第二章 主要目标\n\n到2025年，重大质量安全事故控制在0起以内，万人品牌拥有量提高到15件。\n\n"
        "表1 主要指标\n类别\t指标名称\t单位\t2020年\t2025年\t属性\n"
        "质量\t抽检合格率\t%\t97.5\t≥98\t约束性\n\t新培育品牌\t个\t—\t[500]\t预期性\n\n"
        "第三章 主要任务\n\n一、提升质量\n\n（一）强化监管。加强抽检。\n责任单位：省市场监管局（牵头）、省卫生健康委\n\n"
        "第四章 保障措施\n\n一、加强组织领导。各地要高度重视。\n"
    )
    extraction = _extract(tmp_path, body)
    plan = extraction.plan
    by_name = {i.name: i for i in plan.indicators}
    assert (
        by_name["重大质量安全事故"].method == "reverse" and by_name["重大质量安全事故"].unit == "起"
    )
    assert by_name["新培育品牌"].method == "cumulative" and by_name["新培育品牌"].targets == {
        2025: 500
    }
    assert by_name["抽检合格率"].baseline.year == 2020
    assert by_name["万人品牌拥有量"].targets == {2025: 15}
    assert "1200" not in _messages(extraction)  # past achievements are not read
    assert [(t.title, t.lead, t.cooperating, t.source_ref) for t in plan.tasks] == [
        ("强化监管", ["省市场监管局"], ["省卫生健康委"], "第三章一、（一）")
    ]


def test_from_to_gives_a_baseline_and_every_year_figures_are_not_restatements(tmp_path):
    body = (
        "某市人民政府\n\n关于印发某市数字经济三年行动计划（2024—2026年）的通知\n\n"
        "一、总体目标\n\n到2026年，占比由2023年的9.5%提高到12%；累计建成基站1.2万个。\n\n"
        "二、重点任务\n\n（一）推动企业上云。每年新增上云企业500家。（市工信局负责）\n\n"
        "附件\n\n主要指标分解表\n序号\t指标\t单位\t2024年\t2026年\t责任单位\n"
        "1\t基站\t万个\t0.8\t1.2\t市通信管理局\n2\t上云企业\t家\t500\t1500\t市工信局\n"
    )
    extraction = _extract(tmp_path, body)
    plan = extraction.plan
    assert (plan.title, plan.issuer) == ("某市数字经济三年行动计划（2024—2026年）", "某市人民政府")
    by_name = {i.name: i for i in plan.indicators}
    assert (by_name["占比"].baseline.year, by_name["占比"].baseline.value) == (2023, 9.5)
    assert by_name["占比"].targets == {2026: 12}
    assert by_name["基站"].lead == ["市通信管理局"] and "累计建成基站" in by_name["基站"].note
    assert by_name["上云企业"].targets == {2024: 500, 2026: 1500}
    assert "每年新增上云企业500家”没有写目标年份" in _messages(extraction)
    assert "不一致" not in _messages(extraction)
