"""Whole-document extraction: header data, several documents, plan period, limits, names."""

from __future__ import annotations

from reportgen.extract.names import normalise_name, parse_number, same_name, split_unit
from tests.support.extract_support import HEAD
from tests.support.extract_support import extract_text as _extract
from tests.support.extract_support import messages as _messages
from tests.support.extract_support import targets as _targets


def test_a_source_without_targets_gives_a_warning_and_a_valid_plan(tmp_path):
    body = HEAD + "一、重点任务\n\n（一）加强宣传。开展宣传活动。（市委宣传部负责）\n"
    extraction = _extract(tmp_path, body)
    assert extraction.plan.indicators == []
    assert "没有找到带年份的数字目标" in _messages(extraction)
    assert extraction.plan.tasks[0].lead == ["市委宣传部"]


def test_header_from_covering_notice_and_signature(tmp_path):
    body = (
        "某县人民政府关于印发《某县计量工作实施意见》的通知\n\n各乡镇人民政府：\n\n"
        "现将意见印发给你们。\n\n一、主要目标\n\n到2027年，标准达到30项。\n\n某县人民政府\n\n2024年3月1日\n"
    )
    plan = _extract(tmp_path, body).plan
    assert plan.title == "某县计量工作实施意见"
    assert plan.issuer == "某县人民政府"
    assert plan.doc_number is None
    assert (plan.start.year, plan.end.year) == (2024, 2027)


def test_missing_title_and_issuer_are_placeholders_with_warnings(tmp_path):
    extraction = _extract(
        tmp_path, "一、主要目标\n\n到2020年，标准达到30项。\n", name="sd-opinions.txt"
    )
    assert extraction.plan.title == "sd-opinions" and extraction.plan.issuer == "待补充"
    assert "没有找到方案标题" in _messages(extraction) and "没有找到发文机关" in _messages(
        extraction
    )


def test_a_second_document_in_the_file_is_ignored_with_a_warning(tmp_path):
    body = HEAD + (
        "一、工作目标\n\n到2025年，新建实验室3个。\n\n二、重点任务\n\n（一）建设实验室。（市科技局负责）\n\n"
        "（2023年11月13日印发）\n\n某市食品安全评议办法\n\n第一条 评议采取评分法，基准分为100分。\n\n"
        "（一）日常评议。到2024年，检查10家。\n\n（2023年11月22日印发）\n"
    )
    extraction = _extract(tmp_path, body)
    assert _targets(extraction) == {"新建实验室": {2025: 3}}
    assert "另一份文件" in _messages(extraction)


def test_target_outside_the_stated_plan_period_is_left_out(tmp_path):
    body = "某市行动方案（2023—2025年）\n\n一、主要目标\n\n到2025年，建成站点10个。展望2035年，建成站点40个。\n"
    extraction = _extract(tmp_path, body)
    assert _targets(extraction) == {"建成站点": {2025: 10}}
    assert "不在规划期" in _messages(extraction)


def test_a_percent_over_100_is_left_out(tmp_path):
    extraction = _extract(tmp_path, HEAD + "一、主要目标\n\n到2025年，覆盖率达到120%。\n")
    assert extraction.plan.indicators == []
    assert "超过 100" in _messages(extraction)


def test_a_prose_figure_too_large_for_a_plan_is_left_out_with_a_warning(tmp_path):
    body = HEAD + "一、主要目标\n\n到2025年，注册计量师达到99999999999999999999人，建成站点10个。\n"
    extraction = _extract(tmp_path, body)
    assert _targets(extraction) == {"建成站点": {2025: 10}}
    assert "“注册计量师”的 2025 年目标过大" in _messages(extraction)


def test_a_table_cell_of_400_digits_is_left_out_and_the_other_years_kept(tmp_path):
    body = HEAD + (
        "一、工作目标\n\n到2025年，体系初步建立。\n\n主要指标\n"
        "序号\t指标名称\t2022年\t2024年\t2025年\n"
        f"1\t最高计量标准（项）\t78\t79\t{'9' * 400}\n"
    )
    extraction = _extract(tmp_path, body)
    (row,) = extraction.plan.indicators
    assert row.targets == {2024: 79} and row.baseline is not None and row.baseline.value == 78
    assert "“最高计量标准”的 2025 年目标过大" in _messages(extraction)


def test_a_baseline_too_large_for_a_plan_is_left_out_with_a_warning(tmp_path):
    body = HEAD + "一、主要目标\n\n到2025年，站点由2022年的99999999999999999999个提高到10个。\n"
    extraction = _extract(tmp_path, body)
    (indicator,) = extraction.plan.indicators
    assert indicator.targets == {2025: 10} and indicator.baseline is None
    assert "“站点”的基期值过大" in _messages(extraction)


def test_numbers_are_ints_unless_written_with_a_point_and_overflow_to_inf():
    assert parse_number("350") == 350 and isinstance(parse_number("350"), int)
    assert parse_number("1.50") == 1.5 and isinstance(parse_number("80.0"), float)
    assert parse_number("9" * 400) == float("inf")
    assert parse_number("9" * 20) == 10**20  # via float, as printed figures are read


def test_name_normalisation_and_matching():
    assert split_unit("注册计量师（人）") == ("注册计量师", "人")
    assert split_unit("示范区(市)") == ("示范区(市)", "")
    assert normalise_name(" 省级诚信计量示范区(市) ") == normalise_name("省级诚信计量示范区（市）")
    assert same_name("引导并培育诚信计量示范单位", "诚信计量示范单位")
    assert not same_name("计量技术机构", "注册计量师")
    assert not same_name("标准", "社会公用计量标准")  # too short to count as contained
