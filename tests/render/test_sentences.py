"""Generated 公文 sentences: one per status, numbers exactly as worked out by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reportgen.render import sentences as S
from tests.support.render_samples import INDICATORS, TASKS

by_id = {i.id: i for i in INDICATORS}


def test_lagging_sentence_matches_the_issue_example():
    # 94 -> 97, a = 95: e = 95.497 -> 95.5%; c = 1/3 -> 33.3%; gap 16.58 -> 16.6个百分点
    assert S.indicator_sentence(by_id["I1"]) == (
        "全市强检计量器具检定覆盖率达到95%，2025年目标为97%（序时应达95.5%），当期完成率33.3%，"
        "低于时间进度16.6个百分点，进度滞后。该指标为约束性指标，须采取有力措施确保完成。"
    )


@pytest.mark.parametrize(
    ("ind_id", "expected"),
    [
        ("I2", "注册计量师达到46人，已完成2025年目标（45人）。"),
        # e = 8.998家 is shown as the whole count that meets it: 9家
        (
            "I3",
            "计量技术机构达到9家，2025年目标为10家（序时应达9家），当期完成率50.0%，"
            "超过时间进度0.1个百分点。",
        ),
        # e = 149.91家 -> 150家
        (
            "I4",
            "诚信计量示范单位达到120家，2025年目标为200家（序时应达150家），当期完成率20.0%，"
            "低于时间进度29.9个百分点，进度严重滞后。",
        ),
        ("I5", "主持编制地方检定规程本期未报送数据。"),
    ],
)
def test_one_sentence_per_status(ind_id, expected):
    assert S.indicator_sentence(by_id[ind_id]) == expected


def test_gap_rounding_to_zero_reads_level():
    ind = replace(by_id["I3"], gap_pp=-0.04)  # shows as 0.0
    assert "与时间进度持平" in S.indicator_sentence(ind)


def test_verb_follows_method():
    assert S.indicator_sentence(replace(by_id["I2"], method="cumulative")).startswith(
        "注册计量师累计达到46人"
    )
    assert S.indicator_sentence(replace(by_id["I2"], method="annual")).startswith(
        "注册计量师本年累计达到46人"
    )


def test_change_phrase_in_the_sentence():
    text = S.indicator_sentence(by_id["I2"], S.change_phrase(2.0, "人"))
    assert text.startswith("注册计量师达到46人（较上期增加2人），")
    assert S.change_phrase(-0.5, "%") == "较上期下降0.5个百分点"
    assert S.change_phrase(0.001, "家") == "与上期持平"


def test_signed_numbers_for_table_cells():
    assert S.change_cell(2.0, 2) == "+2"
    assert S.change_cell(-0.5, 2) == "-0.5"
    assert S.change_cell(16.666, 1) == "+16.7"
    assert S.change_cell(0.04, 1) == "0"
    assert S.change_cell(None, 1) == "—"


def test_status_marks_survive_black_and_white():
    assert S.status_text("滞后") == "▲滞后"
    assert S.status_text("严重滞后") == "▲▲严重滞后"
    assert S.status_text("进度正常") == "进度正常"


def test_chinese_numbers_and_headings():
    assert [S.cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
    assert S.sub_heading(2, "科技") == "（二）科技"
    assert S.item_heading(3, "任务") == "3.任务"


def test_book_title_nests_quotes():
    assert S.book_title("X市贯彻落实《规划》实施方案") == "《X市贯彻落实〈规划〉实施方案》"


def test_counted_lists():
    assert S.counted(["A"], "指标") == "A指标"
    assert S.counted(["A", "B"], "指标") == "A、B等2项指标"


def test_indicator_summary_counts():
    counts = {"已完成": 1, "进度正常": 1, "滞后": 1, "严重滞后": 1, "未填报": 1}
    assert S.indicator_summary(5, counts, 1) == (
        "5项主要指标中，已完成1项，进度正常1项，滞后1项，严重滞后1项，未填报1项。"
        "其中，约束性指标滞后1项，需重点关注。"
    )
    assert S.indicator_summary(3, {"进度正常": 3}, 0) == "3项主要指标均为“进度正常”。"


def test_task_text_names_the_lead_once_and_only_worrying_status():
    assert S.task_text(TASKS[0]) == "市市场监管局牵头，新建社会公用计量标准2项。"
    assert S.task_heading(1, TASKS[0].title) == "1.加强计量标准建设。"
    late = replace(TASKS[0], status="滞后", progress="【市市场监管局】建成1项；【市科技局】立项2项")
    assert S.task_text(late) == "市市场监管局牵头，建成1项；市科技局立项2项。该项任务进度滞后。"
    assert S.task_text(replace(TASKS[0], status="未启动")).endswith("该项任务尚未启动。")
    assert S.task_summary(TASKS) == "2项重点任务中，推进中1项，未报送进展1项。"
    written = replace(TASKS[0], status=None)
    assert S.task_summary([written]) == "1项重点任务中，进展状态未填1项。"


def test_silent_tasks_in_one_sentence():
    assert S.silent_tasks(["甲", "乙"], ["市科技局"]) == (
        "甲、乙等2项重点任务本期未报送进展情况（牵头单位：市科技局）。"
    )
    assert S.silent_tasks(["甲"], []) == "甲本期未报送进展情况。"


def test_projection_sentences():
    # 规划目标完成率 20.0% < 规划期时间进度 49.9%; 140.06家 is shown floored: 140家
    assert S.projection_sentence(by_id["I4"], 2025) == (
        "诚信计量示范单位规划目标为2025年达到200家，规划期时间进度49.9%，规划目标完成率20.0%，"
        "任务进度慢于时间进度；按目前进度推算（按近4期趋势），2025年预计达到140家，"
        "难以完成规划目标。"
    )
    assert S.at_risk_sentence(by_id["I1"], 2025) == (
        "约束性指标全市强检计量器具检定覆盖率：按目前进度推算（按近4期趋势），2025年预计达到96%，"
        "未达到规划目标97%。"
    )
    assert S.projection_sentence(by_id["I5"], 2025) == (
        "主持编制地方检定规程本期未报送数据，暂无法测算能否完成规划目标。"
    )


def test_annual_projection_is_this_years_total():
    annual = replace(by_id["I4"], method="annual", target_year=2024)
    assert "，2024年全年预计达到140家，难以完成规划目标。" in S.projection_sentence(annual, 2025)


def test_flat_target_shortfall_in_the_unit():
    # a level target that applies from the start: 95 − 92.7 = 2.3 points short, no 差距
    rate = replace(by_id["I1"], actual=92.7, target=95.0, completion=None, gap_pp=None,
                   binding_alert=False)  # fmt: skip
    assert (
        S.indicator_sentence(rate)
        == "全市强检计量器具检定覆盖率达到92.7%，低于目标2.3个百分点，进度滞后。"
    )
    # a count: 45 − 40 = 5 short -> 差5人
    count = replace(by_id["I2"], actual=40.0, completion=None, gap_pp=None, status="滞后")
    assert S.shortfall_sentence(count) == "注册计量师差5人，进度滞后。"


def test_whole_counts_in_table_cells():
    assert S.target_cell(5 / 3, 2024, integral=True) == "2\n2024年"  # 1.67项 -> 2项 needed
    assert S.target_cell(5 / 3, 2024) == "1.67\n2024年"
    assert S.projected_cell(by_id["I4"]) == "140\n▲难以完成"  # 140.06家 -> 140家 reached


def test_unknown_projections_are_counted_by_reason():
    reasons = {"no_data": 2, "not_started": 1}
    assert S.unknown_risk(reasons) == (
        "另有2项指标本期未报送数据，1项指标尚无已实施时间可据以推算，暂无法判断能否完成规划目标。"
    )
    assert S.projection_summary(3, 1, {"no_data": 2}) == (
        "按目前进度推算，3项指标可以如期完成规划目标，1项存在未完成风险，2项本期未报送数据，暂无法测算。"
    )


@pytest.mark.parametrize("places", [0, 1, 2])
@pytest.mark.parametrize(
    "value", [0.0, 0.04, 0.049999, 0.05, 0.0049, 0.005, 0.45, 0.5, 0.99, 1.0, 1.5, 16.62, 1e9]
)
def test_is_zero_follows_the_rounding_rule(value, places):
    from reportgen import fmt

    expected = fmt.round_half_up(value, places) == 0
    assert S.is_zero(value, places) is expected
    assert S.is_zero(-value, places) is expected
