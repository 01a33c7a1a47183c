"""The value grammar, the traps and the year flow, on the forms issue 20 lists.

Each case is a sentence shaped like those of real plans (none copied from the corpus), read by
``read_paragraph`` (one paragraph) or by ``extract_plan`` (a whole text, for the year flow).
"""

from __future__ import annotations

import pytest

from reportgen.extract.prose import YearInForce, read_paragraph
from tests.support.extract_support import HEAD, extract_text, targets


def _read(text: str, year: int | None = None):
    found, rejected, _ = read_paragraph(text, 1, "x", YearInForce(year))
    return [(t.name, t.year, t.value, t.unit) for t in found], [
        (r.value, r.reason) for r in rejected
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2027年，质量竞争力指数达到86。", ("质量竞争力指数", 2027, 86, "")),
        ("到2027年，服务满意度达92以上。", ("服务满意度", 2027, 92, "")),
        ("到2027年，顾客满意度得分达到82分。", ("顾客满意度得分", 2027, 82, "分")),
        ("到2027年，年均浓度降至30微克/立方米以下。", ("年均浓度", 2027, 30, "微克/立方米")),
        ("到2027年，开办时间压缩至1个工作日以内。", ("开办时间", 2027, 1, "个工作日")),
        ("到2027年，平均制定周期缩短至18个月以内。", ("平均制定周期", 2027, 18, "个月")),
        ("到2027年，有效注册商标达到12万件。", ("有效注册商标", 2027, 12, "万件")),
        ("到2027年，产业规模突破500亿元。", ("产业规模", 2027, 500, "亿元")),
        ("到2027年，经营主体总量超过85万家。", ("经营主体", 2027, 85, "万家")),
        ("到2027年，培育1—2个领军企业。", ("领军企业", 2027, 1, "个")),
        ("到2027年，建成近100个示范村。", ("示范村", 2027, 100, "个")),
        ("到2027年，事故率控制在0.5以内。", ("事故率", 2027, 0.5, "")),
        ("到2027年，抽检合格率稳定在98%以上。", ("抽检合格率", 2027, 98, "%")),
        ("到2027年，监测合格率保持在97%以上。", ("监测合格率", 2027, 97, "%")),
        ("到2027年，建标覆盖率力争达90%以上。", ("建标覆盖率", 2027, 90, "%")),
        ("到2027年，检测项目不低于200项。", ("检测项目", 2027, 200, "项")),
        ("到2027年，公用计量标准增加12项。", ("公用计量标准增加", 2027, 12, "项")),
        ("到2027年，问题整改率100%。", ("问题整改率", 2027, 100, "%")),
        ("到 2027 年，重度污染天数比率控制在 1%以内。", ("重度污染天数比率", 2027, 1, "%")),
        ("到2027年，设备数量年均增长8%以上。", ("设备数量年均增长", 2027, 8, "%")),
    ],
)
def test_value_forms(text, expected):
    found, rejected = _read(text)
    assert found == [expected] and rejected == []


def test_a_share_before_its_noun_and_a_value_shared_by_several_indicators():
    found, _ = _read("到2027年，80%以上的乡镇建成标准化站所，甲类合格率和乙类合格率均达到98%以上。")
    assert found == [
        ("乡镇建成标准化站所比例", 2027, 80, "%"),
        ("甲类合格率", 2027, 98, "%"),
        ("乙类合格率", 2027, 98, "%"),
    ]


def test_several_years_in_one_sentence_and_a_region_completed_from_the_indicator_before():
    found, _ = _read("到2026年普及率达到60%，到2028年达到80%；东部地区达到90%。")
    assert found == [
        ("普及率", 2026, 60, "%"),
        ("普及率", 2028, 80, "%"),
        ("东部地区普及率", 2028, 90, "%"),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023年全市抽检合格率达到93.65%，较上年提高0.36个百分点。", "较上年"),
        ("去年抽检合格率为92.5%。", "去年"),
        ("截至目前，已建成示范站点120个。", "截至目前"),
        ("到2027年，围绕5项重点任务推进工作。", "措施、任务的数量"),
        ("到2027年，实施10大工程和4项任务。", "措施、任务的数量"),
    ],
)
def test_achieved_figures_and_counts_of_measures_are_rejected_with_a_reason(text, reason):
    found, rejected = _read(text)
    assert found == [] and rejected and all(reason in r for _, r in rejected)


@pytest.mark.parametrize(
    "text",
    [
        "到2027年，依据国办发〔2022〕21号文件，于2023年7月21日起施行。",
        "到2027年，排名保持全省前3位，退出后10名。",
        "到2027年，落实GB 17167标准，推广5G应用，打造2.0版平台。",
        "到2027年，30个工作日内办结，时限为15日。",
    ],
)
def test_dates_document_numbers_ranks_codes_and_time_limits_are_not_values(text):
    assert _read(text) == ([], [])


def test_a_name_is_never_taken_from_across_a_list_mark():
    found, _ = _read("到2027年，新增550万户、厕所粪污基本得到处理。")
    assert found == [("新增", 2027, 550, "万户")] or found[0][0] != "、厕所粪污基本得到处理"
    found, _ = _read("到2027年，改造农村户厕550万户、厕所粪污基本得到处理。")
    assert found == [("改造农村户厕", 2027, 550, "万户")]


def test_the_year_flows_from_a_lead_sentence_into_bullets_until_the_section_ends(tmp_path):
    body = HEAD + (
        "一、总体要求\n\n（一）工作目标\n\n到2027年,质量水平显著提升,具体目标如下：\n\n"
        "——产品质量。制造业产品质量合格率达到94%以上。\n\n"
        "——品牌建设。培育区域品牌10个。\n\n"
        "（二）基本原则\n\n坚持标准引领，示范企业达到50家。\n\n"
        "二、重点任务\n\n（一）提升质量。今年新建检测平台3个；到2026年底，检测平台达到8个。\n"
    )
    extraction = extract_text(tmp_path, body)
    assert targets(extraction) == {
        "制造业产品质量合格率": {2027: 94},
        "培育区域品牌": {2027: 10},
        "检测平台": {2026: 8},
    }
    item = next(i for i in extraction.items if i.text.startswith("培育区域品牌"))
    assert item.confidence == "medium" and "上文" in item.reason


def test_a_year_in_the_preamble_dates_a_lone_target_pages_later_with_low_confidence(tmp_path):
    body = HEAD + (
        "为实现到2027年质量强市目标，制定本方案。\n\n一、重点任务\n\n"
        "（一）提升服务。公共服务满意度达到85分以上。\n"
    )
    extraction = extract_text(tmp_path, body)
    assert targets(extraction) == {"公共服务满意度": {2027: 85}}
    item = next(i for i in extraction.items if i.kind == "prose")
    assert item.confidence == "low" and "唯一的目标年份" in item.reason


def test_review_items_put_uncertain_first_and_rejected_values_last(tmp_path):
    body = HEAD + (
        "一、工作目标\n\n到2027年，示范企业达到50家。2023年全市合格率达到93%，同比提高1个百分点。\n\n"
        "二、重点任务\n\n（一）提升服务。满意度达到85分以上。\n"
    )
    order = [i.confidence for i in extract_text(tmp_path, body).items]
    ranks = {"low": 0, "medium": 1, "high": 2, "none": 3}
    assert order == sorted(order, key=ranks.__getitem__) and order[-1] == "none"


def test_a_pasted_table_with_one_cell_per_line(tmp_path):
    body = HEAD + (
        "专栏1“十四五”主要指标\n|\n指标\n| 2020年\n| 2025年\n| 〔累计〕\n| 属性\n|\n"
        "1。环境质量\n| 城市优良天数比率2(%)\n| 86。5\n| >88\n| -\n| 约束性\n|\n"
        "浓度下降(%)\n| -\n| -\n| 〔10〕\n| 约束性\n|\n"
        "水体比例(%)\n| 9。7\n| 15左右\n| 预期性\n|\n"
    )
    extraction = extract_text(tmp_path, body)
    by_name = {i.name: i for i in extraction.plan.indicators}
    assert by_name["城市优良天数比率"].targets == {2025: 88}
    assert by_name["城市优良天数比率"].baseline.value == 86.5
    assert by_name["城市优良天数比率"].category == "1。环境质量"
    assert by_name["浓度下降"].targets == {2025: 10} and by_name["浓度下降"].method == "cumulative"
    assert by_name["水体比例"].targets == {2025: 15}


def test_pinyin_after_characters_and_pdf_spacing_do_not_break_a_target(tmp_path):
    body = (
        HEAD
        + "一、发展目标\n\n到2027年(nián)，培(péi)育30家骨干企业；\n全市综合 覆盖率达到 95 %。\n"
    )
    assert targets(extract_text(tmp_path, body)) == {
        "骨干企业": {2027: 30},
        "全市综合覆盖率": {2027: 95},
    }


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("到“十四五”末，示范企业达到50家。", 2025),
        ("2026年6月底前，示范企业达到50家。", 2026),
        ("力争2028年，示范企业达到50家。", 2028),
    ],
)
def test_other_ways_to_write_a_target_year(text, year):
    assert _read(text)[0] == [("示范企业", year, 50, "家")]


def test_a_full_date_or_a_base_year_is_not_a_target_year():
    assert _read("2023年7月21日，示范企业达到50家。")[0] == [("示范企业", None, 50, "家")]
    assert _read("到2027年，能耗较2020年下降13.5%。")[0] == [("能耗较2020年下降", 2027, 13.5, "%")]


def test_a_whole_plan_goals_dated_tasks_and_yearless_figures_left_for_review(tmp_path):
    body = (
        "某市人民政府办公室关于印发某市质量强市建设三年行动方案（2023—2025年）的通知\n"
        "各区县人民政府：\n现将方案印发给你们，请认真贯彻执行。\n某市人民政府办公室\n2023年8月1日\n"
        "某市质量强市建设三年行动方案（2023—2025年）\n"
        "一、总体要求\n（一）主要目标。到2025年，产品质量合格率稳定在95%以上。到2035年，全面建成。\n"
        "二、重点任务\n（一）提升产品质量。每年组织200家企业对标。到2024年，培育质量奖企业10家。"
        "服务满意度达到85分。（市市场监管局负责）\n"
        "（二）加强标准建设。主导制修订国家标准20项以上，推进4项重点任务。（市市场监管局负责）\n"
        "三、保障措施\n（一）加大投入。市财政每年安排专项资金500万元。\n"
    )
    extraction = extract_text(tmp_path, body)
    assert targets(extraction) == {
        "产品质量合格率": {2025: 95},
        "培育质量奖企业": {2024: 10},
        "服务满意度": {2024: 85},
    }
    warnings = "\n".join(str(w) for w in extraction.warnings)
    assert "“主导制修订国家标准20项以上”没有写目标年份" in warnings
    assert "“每年组织200家企业对标”没有写目标年份" in warnings
    rejected = [i for i in extraction.items if i.kind == "rejected"]
    assert [(i.id, "任务的数量" in i.reason) for i in rejected] == [("4项", True)]


def test_a_target_without_a_year_in_a_plan_with_a_period_takes_its_end_with_low_confidence(
    tmp_path,
):
    body = (
        "某市质量提升行动方案（2024—2026年）\n一、主要目标\n到2025年，示范企业达到30家。\n"
        "二、重点任务\n（一）提升服务。公共服务满意度达到85分以上。\n"
    )
    extraction = extract_text(tmp_path, body)
    assert targets(extraction) == {"示范企业": {2025: 30}, "公共服务满意度": {2026: 85}}
    item = next(i for i in extraction.items if i.text.startswith("公共服务满意度"))
    assert item.confidence == "low" and "规划期末 2026 年" in item.reason


def test_strong_words_of_achievement_outweigh_a_target_year_and_weak_ones_do_not():
    found, rejected = _read(
        "到2022年底，全市已建成示范站点120个。到2025年，合格率达到95%，位居全省前列。"
    )
    assert found == [("合格率", 2025, 95, "%")]
    assert [(v, "已建成" in r) for v, r in rejected] == [("120个", True)]
