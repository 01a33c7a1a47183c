"""Scoring workbooks: the template each member unit gets, and reading it back cell by cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from reportgen.errors import GradingError
from reportgen.grading import check_scoresheets, compute, load_scores, make_template
from reportgen.grading.layout import FINDING_SHEET, META_SHEET, SCORE_SHEET
from tests.support import grading_builders as gb

ORGANIZER_FILE = f"评分_{gb.ORGANIZER}.xlsx"
# 市食药安办 scores B1 (columns B, C), P1 (D, E) and M1 (F, G); 历下区 is row 3, 商河县 row 14.


@pytest.fixture
def filled(tmp_path) -> Path:
    gb.fill_workbooks(gb.scheme(), tmp_path)
    return tmp_path


def edit(path: Path, sheet: str, **cells: object) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def problems(folder: Path) -> list[str]:
    check = check_scoresheets(gb.scheme(), [folder])
    return [str(p) for p in check.errors]


# ---------------------------------------------------------------- the template


def test_template_holds_only_the_scorers_items_and_one_row_per_unit():
    book = make_template(gb.scheme(), gb.MARKET)
    sheet = book[SCORE_SHEET]
    headers = [sheet.cell(1, c).value for c in range(2, 8, 2)]
    assert headers == ["B2 重点工作（40分）", "I1 专项工作（15分）", "P2 活动保障（4分）"]
    assert [sheet.cell(2, c).value for c in range(2, 8)] == [
        "得分",
        "扣分原因",
        "得分",
        "扣分原因",
        "加分",
        "加分依据",
    ]
    assert [sheet.cell(r, 1).value for r in range(3, 15)] == gb.UNITS
    assert sheet.protection.sheet
    assert not sheet["B3"].protection.locked and sheet["A3"].protection.locked


def test_score_cells_are_validated_against_the_items_points():
    sheet = make_template(gb.scheme(), gb.MARKET)[SCORE_SHEET]
    rules = {
        str(v.sqref): (v.type, v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
    }
    assert rules == {
        "B3:B14": ("decimal", "0", "40"),
        "D3:D14": ("decimal", "0", "15"),
        "F3:F14": ("decimal", "0", "4"),
    }


def test_findings_sheet_offers_units_and_situations_by_drop_down():
    book = make_template(gb.scheme(), gb.ORGANIZER)
    rules = book[FINDING_SHEET].data_validations.dataValidation
    assert sorted(r.formula1 for r in rules) == ["_choices!$A$1:$A$12", "_choices!$B$1:$B$16"]
    assert book["_choices"]["B3"].value == "J3 降级：评议中弄虚作假"
    assert book["_choices"]["B10"].value == "F1 否决：瞒报谎报缓报食品安全事故"
    assert book[META_SHEET].sheet_state == "veryHidden"


def test_a_unit_that_scores_nothing_gets_no_template():
    with pytest.raises(GradingError, match="没有由“市教育局”评分的项目"):
        make_template(gb.scheme(), "市教育局")


# ---------------------------------------------------------------- reading back


def test_filled_workbooks_read_back_to_the_hand_scores(filled):
    check = load_scores(gb.scheme(), [filled])
    assert check.missing_scorers == []
    read = {(s.unit, s.item_id): s.value for s in check.scores}
    assert read == {(s.unit, s.item_id): s.value for s in gb.scores()}
    assert [(f.unit, f.situation_id) for f in check.findings] == [(u, s) for u, s, _ in gb.FINDINGS]
    result = compute(gb.scheme(), check.scores, check.findings, gb.previous())
    assert [u.grade for u in result.units] == [g for _, _, g, _ in gb.HAND_RESULT.values()]


def test_each_score_remembers_its_cell(filled):
    check = load_scores(gb.scheme(), [filled])
    score = next(s for s in check.scores if (s.unit, s.item_id) == ("商河县", "M1"))
    assert score.where == f"{ORGANIZER_FILE} 评分!F14"
    assert score.reason == "商河县食品安全事件扣分依据"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"B4": None},
            "评分!B4：市中区 · B1 基础工作（60分）：未填写得分。请填写 0 到 60 之间的数字（没有扣分或加减分的填 满分 60）",
        ),
        ({"B4": 61}, "评分!B4：市中区 · B1 基础工作（60分）：得分 61 超出范围"),
        ({"B4": 57.125}, "评分!B4：市中区 · B1 基础工作（60分）：得分 57.125 的小数超过两位"),
        ({"C4": None}, "评分!C4：市中区 · B1 基础工作（60分）：得分 57 需要写明扣分原因"),
        (
            {"F4": -2},
            "评分!F4：市中区 · M1 食品安全事件（10分）：扣分 -2 超出范围。减分项填扣减的分数（正数）",
        ),
        ({"D4": "三分"}, "评分!D4：市中区 · P1 创新做法（3分）：“三分”不是数字"),
        ({"D4": "=1/0"}, "评分!D4：市中区 · P1 创新做法（3分）：加分是没有计算结果的公式"),
    ],
)
def test_bad_scores_name_file_sheet_cell_unit_and_item(filled, cells, expected):
    edit(filled / ORGANIZER_FILE, SCORE_SHEET, **cells)
    found = problems(filled)
    assert any(p.startswith(ORGANIZER_FILE) and expected in p for p in found), found


def test_a_score_with_its_unit_written_after_it_is_read(filled):
    edit(filled / ORGANIZER_FILE, SCORE_SHEET, B4="57分")
    check = load_scores(gb.scheme(), [filled])
    assert next(s.value for s in check.scores if (s.unit, s.item_id) == ("市中区", "B1")) == 57


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"C2": None}, "情形认定!C2：缺少事实和依据"),
        ({"B2": "J99 降级：不存在"}, "情形认定!B2：“J99 降级：不存在”不是评议方案中的情形"),
        ({"A2": "外省某区"}, "情形认定!A2：“外省某区”不是本次评议的对象"),
        ({"A9": None, "B9": None, "C9": "只有事实没有单位"}, "情形认定!A9：缺少被评议单位"),
    ],
)
def test_bad_findings_are_pinned_to_their_cells(filled, cells, expected):
    edit(filled / ORGANIZER_FILE, FINDING_SHEET, **cells)
    assert any(expected in p for p in problems(filled))


def test_a_workbook_for_another_year_is_refused(filled):
    edit(filled / ORGANIZER_FILE, META_SHEET, B2=2023)
    assert any(
        "_meta!B2：本表是2023年度的评分表，而本次评议的是2024年度" in p for p in problems(filled)
    )


def test_two_files_from_one_scorer_and_a_missing_scorer(filled):
    (filled / "副本.xlsx").write_bytes((filled / ORGANIZER_FILE).read_bytes())
    (filled / f"评分_{gb.MARKET}.xlsx").unlink()
    check = check_scoresheets(gb.scheme(), [filled])
    assert check.missing_scorers == [gb.MARKET]
    messages = [str(p) for p in check.errors]
    # Folders are read in name order: 副本.xlsx first, so the template file is the extra one.
    assert any(
        m.startswith(ORGANIZER_FILE) and "已有 副本.xlsx，同一单位只能报送一份" in m
        for m in messages
    )
    assert f"{gb.MARKET}：尚未报送评分表，无法计算总分。请收齐后再计算。" in messages
    with pytest.raises(GradingError):
        load_scores(gb.scheme(), [filled])


def test_a_copy_without_meta_is_recognised_by_its_file_name(filled):
    path = filled / ORGANIZER_FILE
    book = openpyxl.load_workbook(path)
    del book[META_SHEET]
    book.save(path)
    check = load_scores(gb.scheme(), [filled])
    sheet = next(s for s in check.sheets if s.display == ORGANIZER_FILE)
    assert sheet.scorer == gb.ORGANIZER
    assert "已按文件名识别评分单位" in sheet.warnings[0].message


def test_a_file_that_is_not_a_workbook_is_reported_not_raised(filled):
    (filled / "评分_说明.xlsx").write_text("not a workbook", encoding="utf-8")
    assert any(
        p.startswith("评分_说明.xlsx") and "无法识别的文件格式" in p for p in problems(filled)
    )


def test_a_changed_item_is_reported_at_its_header(filled):
    changed = gb.scheme_data()
    changed["items"][0]["points"] = 50
    changed["items"][1]["points"] = 50
    check = check_scoresheets(gb.Scheme.model_validate(changed), [filled])
    messages = [str(p) for p in check.errors]
    assert any(
        "评分!B1：表头“B1 基础工作（60分）”与现行评议方案的“B1 基础工作（50分）”不一致" in m
        for m in messages
    )
