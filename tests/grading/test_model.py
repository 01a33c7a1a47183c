"""评议方案 files: the 济南 catalog scheme against its source, and errors that point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reportgen.errors import PlanError
from reportgen.grading import catalog_schemes, load_scheme
from reportgen.grading.model import decimal
from tests.support import grading_builders as gb
from tests.support.paths import SOURCES

SEED = SOURCES / "jinan-2023-gazette-22.txt"


def squeeze(text: str) -> str:
    """Without whitespace and with ( ) as （ ）: the gazette's OCR breaks lines anywhere."""
    return re.sub(r"\s", "", text).replace("(", "（").replace(")", "）")


@pytest.fixture(scope="module")
def jinan():
    return load_scheme("jinan-food-safety")


def test_catalog_lists_the_jinan_scheme():
    assert "jinan-food-safety" in catalog_schemes()


def test_jinan_items_and_caps_as_the_measures_state_them(jinan):
    # 第八条: base 100, bonus ≤ 5; 附件: 即时性工作 ≤ 15; 减分 without a cap.
    assert jinan.base_score == 100
    caps = {c.id: c.cap for c in jinan.categories}
    assert caps == {
        "basic": None,
        "key": None,
        "status": None,
        "instant": 15,
        "bonus": 5,
        "deduction": None,
    }
    base = sum(decimal(i.points) for i in jinan.items if jinan.kind_of(i) == "base")
    assert base == 100
    assert all(i.note and "示例" in i.note for i in jinan.items)  # values left to the 年度方案


def test_jinan_situation_texts_are_the_measures_words(jinan):
    seed = squeeze(SEED.read_text(encoding="utf-8"))
    for situation in jinan.situations:
        assert squeeze(situation.text) in seed, situation.id
    effects = [s.effect for s in jinan.situations]
    assert effects.count("downgrade") == 9  # 第八条第二款（一）—（九）
    assert effects.count("veto") == 5  # 第八条第三款（一）—（五）


def test_jinan_grade_and_list_rules(jinan):
    rules = jinan.grading
    assert (rules.top.grade, rules.top.fraction, rules.rest) == ("A", "1/3", "B")
    assert (rules.downgrade_floor, rules.veto) == ("C", "D")
    lists = {r.id: r for r in jinan.lists}
    assert (lists["commend"].grades, lists["commend"].rise) == (["A"], 2)
    assert (lists["interview"].grades, lists["interview"].last_places) == (["D"], 3)
    assert (lists["consider"].grades, lists["consider"].fall) == (["C"], 3)
    assert jinan.rectification.within_months == 1


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "评议方案.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_scheme(path)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text().splitlines(), 1) if line.strip() == text
    )


def test_base_items_must_add_up_to_the_base_score(tmp_path):
    data = gb.scheme_data()
    data["items"][0]["points"] = 50
    path = write(tmp_path, data)
    assert any(
        "items：基础分各项分值合计为 90，应等于基准分 100（base_score）" in m
        for m in messages(path)
    )


def test_an_item_over_its_category_cap_names_its_line(tmp_path):
    data = gb.scheme_data()
    data["items"][3]["points"] = 6  # P1, bonus capped at 5
    path = write(tmp_path, data)
    line = line_of(path, "points: 6")
    assert f"{path} 第{line}行 items[3].points：分值 6 超过类别“加分项”的上限" in messages(path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"grading": {"top": {"fraction": "2/1"}}}, "grading.top.fraction：必须大于 0 且不超过 1"),
        ({"grading": {"rest": "E"}}, "grading.rest：等级“E”不在 grading.levels（A、B、C、D）中"),
        ({"grading": {"downgrade_floor": "A"}}, "grading：等级顺序应为"),
        ({"units": ["甲区", "甲区"]}, "units：“甲区”出现了不止一次"),
    ],
)
def test_bad_rules_are_refused_with_their_key_path(tmp_path, change, expected):
    data = gb.scheme_data(**change)
    if "units" in change:
        data["previous"] = None
    assert any(expected in m for m in messages(write(tmp_path, data)))


def test_a_situation_with_an_unknown_effect(tmp_path):
    data = gb.scheme_data()
    data["situations"][0]["effect"] = "praise"
    assert any(
        "situations[0].effect：必须是 downgrade（降级）、veto（否决）或某个 lists 的 id" in m
        for m in messages(write(tmp_path, data))
    )


def test_the_plan_loaders_safety_rules_apply(tmp_path):
    path = tmp_path / "评议方案.yaml"
    path.write_text("id: a\nid: b\n", encoding="utf-8")
    assert messages(path) == [f"{path} 第2行 id：同一个键写了两次，请删除多余的一处"]
    path.write_text("base: &x 1\nother: *x\n", encoding="utf-8")
    assert "锚点" in messages(path)[0]


def test_an_unknown_catalog_id_lists_the_known_ones():
    with pytest.raises(PlanError, match=r"内置的评议方案：.*jinan-food-safety"):
        load_scheme("no-such-scheme")
