"""Totals, places, grades and lists, checked against the hand-worked scenario and small cases."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from reportgen.errors import GradingError
from reportgen.grading import Score, compute
from reportgen.grading.compute import final_grade, ranks, top_count
from reportgen.grading.model import GradeRules, TopRule, decimal
from tests.support import grading_builders as gb


@pytest.fixture(scope="module")
def result():
    return compute(gb.scheme(), gb.scores(), gb.findings(), gb.previous())


def test_totals_apply_the_bonus_cap_and_subtract_deductions(result):
    for unit in gb.UNITS:
        assert result.unit(unit).total == gb.total(unit), unit
    # 历下区: bonus 3 + 4 = 7 is capped at 5; the deduction of 4 shows as −4.
    subtotals = result.unit("历下区").subtotals
    assert subtotals["bonus"] == 5
    assert subtotals["deduction"] == -4
    assert subtotals["status"] == 0  # no item in that category this year


def test_ranking_order_places_and_grades_match_the_hand_result(result):
    assert [u.unit for u in result.units] == gb.UNITS
    for unit, (place, ranked, grade, _) in gb.HAND_RESULT.items():
        got = result.unit(unit)
        assert (got.place, got.ranked_grade, got.grade) == (place, ranked, grade), unit


def test_tie_across_the_top_third_boundary_puts_both_units_in_it(result):
    # 12 units: ⌊12/3⌋ = 4. 天桥区 and 历城区 both score 101.25 and share place 4, so both are A
    # and the next unit (长清区) is 6th, not 5th.
    assert result.top_count == 4
    tied = [u for u in result.units if u.place == 4]
    assert [u.unit for u in tied] == ["天桥区", "历城区"]
    assert all(u.tied and u.ranked_grade == "A" for u in tied)
    assert result.unit("长清区").place == 6
    assert result.unit("长清区").ranked_grade == "B"


def test_downgrades_and_veto(result):
    assert result.unit("历下区").grade == "B"  # A, one 降级 situation: one level
    assert result.unit("济阳区").grade == "C"  # B, two: B -> C -> D, held at the floor C
    assert result.unit("槐荫区").grade == "D"  # 否决, whatever the place


def test_change_of_place_against_last_year(result):
    assert result.unit("历城区").change == 3  # 7th -> 4th
    assert result.unit("长清区").change == -3  # 3rd -> 6th
    assert result.unit("槐荫区").change == 2


def test_lists_and_the_rules_that_put_each_unit_there(result):
    for unit, (_, _, _, lists) in gb.HAND_RESULT.items():
        got = result.unit(unit).lists
        assert {k: [r.rule for r in v] for k, v in got.items()} == lists, unit
    assert [u.unit for u in result.on_list("commend")] == ["市中区", "天桥区", "历城区", "章丘区"]
    assert [u.unit for u in result.on_list("interview")] == ["槐荫区", "钢城区", "平阴县", "商河县"]
    assert [u.unit for u in result.on_list("consider")] == ["长清区", "济阳区", "莱芜区"]


def test_reason_texts_say_what_happened(result):
    texts = [r.text for r in result.unit("历城区").lists["commend"]]
    assert texts == ["评议结果为A级", "名次较上年度前移3位（由第7名升至第4名）"]
    assert [r.text for r in result.unit("长清区").lists["consider"]] == [
        "名次较上年度后移3位（由第3名降至第6名）"
    ]
    assert [r.text for r in result.unit("钢城区").lists["interview"]] == ["评议名列后3位（第10名）"]
    assert [r.text for r in result.unit("莱芜区").lists["consider"]] == [
        "上年度评议发现问题未整改到位（第十四条第二款）"
    ]


def test_a_vetoed_unit_that_rose_two_places_is_left_off_the_commendation(result):
    left = result.unit("槐荫区").left_off["commend"]
    assert [r.rule for r in left] == ["rise", "excluded"]
    assert left[-1].text == "存在否决情形，不列入"
    assert "commend" not in result.unit("槐荫区").lists


def test_without_last_year_no_rise_or_fall_rules_apply():
    result = compute(gb.scheme(), gb.scores(), gb.findings(), None)
    assert "consider" not in result.unit("长清区").lists
    assert [r.rule for r in result.unit("历城区").lists["commend"]] == ["grade"]
    assert result.unit("历城区").change is None


# ---------------------------------------------------------------- the rules on their own


@pytest.mark.parametrize(
    ("units", "floor", "ceil"),
    [(12, 4, 4), (13, 4, 5), (14, 4, 5), (15, 5, 5), (2, 0, 1)],
)
def test_top_third_boundary(units, floor, ceil):
    # 13 units: place 5 lies at 5/13 = 38% of the ranking, outside the first third, so the
    # default (floor) gives A to places 1–4; a 办法 that rounds up says rounding: ceil.
    assert top_count(units, TopRule()) == floor
    assert top_count(units, TopRule(rounding="ceil")) == ceil


def test_competition_ranks_from_top_and_bottom():
    totals = {
        k: Decimal(v) for k, v in zip("abcdef", ["95", "93", "93", "90", "88", "88"], strict=True)
    }
    assert ranks(totals) == {
        "a": (1, 6),
        "b": (2, 4),
        "c": (2, 4),
        "d": (4, 3),
        "e": (5, 1),
        "f": (5, 1),
    }


def test_tie_across_the_last_three_boundary_puts_both_on_the_interview_list():
    # 钢城区 scores 53 + 30 + 10 = 93 and ties 莱芜区 for 9th. From the bottom: 商河县 1st,
    # 平阴县 2nd, the tied pair 3rd -> four units are "名列后3位", both tied units included.
    scores = [
        replace(s, value=Decimal(53)) if (s.unit, s.item_id) == ("钢城区", "B1") else s
        for s in gb.scores()
    ]
    result = compute(gb.scheme(), scores, [], None)
    assert [(u.unit, u.place) for u in result.units[-4:]] == [
        ("莱芜区", 9),
        ("钢城区", 9),
        ("平阴县", 11),
        ("商河县", 12),
    ]
    assert [u.unit for u in result.on_list("interview")] == ["莱芜区", "钢城区", "平阴县", "商河县"]
    assert [r.text for r in result.unit("莱芜区").lists["interview"]] == [
        "评议名列后3位（并列第9名）"
    ]


@pytest.mark.parametrize(
    ("ranked", "downgrades", "vetoed", "stacks", "expected"),
    [
        ("A", 0, False, True, "A"),
        ("A", 1, False, True, "B"),
        ("A", 2, False, True, "C"),
        ("A", 3, False, True, "C"),  # would be D: held at the floor
        ("B", 2, False, True, "C"),
        ("B", 2, False, False, "C"),
        ("A", 2, False, False, "B"),  # a 办法 where any number of situations is one level
        ("A", 0, True, True, "D"),
        ("B", 2, True, True, "D"),
    ],
)
def test_final_grade(ranked, downgrades, vetoed, stacks, expected):
    rules = GradeRules(downgrade_stacks=stacks)
    assert final_grade(ranked, downgrades, vetoed, rules) == expected


def test_decimal_scores_tie_exactly():
    # In floats 59 + 40 + 0.2 + 0.1 = 99.30000000000001 > 99.3. Cells are read as the decimals
    # they show, so 历下区 (0.3 for I1) and 市中区 (0.2 for I1, 0.1 bonus) tie.
    cells = {"历下区": (59, 40, 0.3, 0, 0, 0), "市中区": (59, 40, 0.2, 0, 0.1, 0)}
    scores = [s for s in gb.scores() if s.unit not in cells]
    for unit, values in cells.items():
        scores += [
            Score(unit, item_id, decimal(value), "依据")
            for item_id, value in zip(gb.ITEM_IDS, values, strict=True)
        ]
    result = compute(gb.scheme(), scores, [], None)
    assert result.unit("历下区").total == result.unit("市中区").total == Decimal("99.3")
    assert result.unit("历下区").place == result.unit("市中区").place


def test_missing_and_doubled_scores_are_errors_naming_unit_item_and_scorer():
    scores = [s for s in gb.scores() if (s.unit, s.item_id) != ("章丘区", "B2")]
    scores.append(replace(scores[0], where="评分_复印件.xlsx 评分!B3"))
    with pytest.raises(GradingError) as caught:
        compute(gb.scheme(), scores, [], None)
    messages = [str(p) for p in caught.value.problems]
    assert any("评分_复印件.xlsx 评分!B3" in m and "已在" in m for m in messages)
    assert any("章丘区的“B2 重点工作”尚未评分（评分单位：市市场监管局）" in m for m in messages)


def test_a_score_outside_its_items_points_is_refused():
    scores = [
        replace(s, value=Decimal(61), where="B4") if (s.unit, s.item_id) == ("市中区", "B1") else s
        for s in gb.scores()
    ]
    with pytest.raises(GradingError, match="B4：市中区的“B1 基础工作”得分 61 超出 0—60 分"):
        compute(gb.scheme(), scores, [], None)
