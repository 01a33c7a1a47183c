"""Results archived by year, and last year's places read back for the change of place."""

from __future__ import annotations

import json

import pytest

from reportgen.errors import GradingError
from reportgen.grading import compute, evaluate, load_places, previous_places, save_result
from reportgen.grading.store import previous_notice, result_path
from tests.support import grading_builders as gb


@pytest.fixture
def result():
    return compute(gb.scheme(), gb.scores(), gb.findings(), gb.previous())


def test_an_archived_year_supplies_next_years_places(tmp_path, result):
    scheme = gb.scheme()
    path = save_result(scheme, result, tmp_path)
    assert path == tmp_path / "jinan-food-safety" / "2024.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["units"][0]["unit"] == "历下区" and data["units"][0]["total"] == "112"
    next_year = gb.scheme(year=2025, previous=None)
    places = previous_places(next_year, tmp_path)
    assert places is not None and places.year == 2024
    assert places.places["天桥区"] == places.places["历城区"] == 4
    assert places.source == "2024年度评议结果（归档）"


def test_a_year_is_archived_once_unless_replaced(tmp_path, result):
    scheme = gb.scheme()
    save_result(scheme, result, tmp_path)
    with pytest.raises(GradingError, match="已经归档。确需用本次结果替换时，请加 --replace"):
        save_result(scheme, result, tmp_path)
    save_result(scheme, result, tmp_path, replace=True)


def test_the_archive_wins_over_the_schemes_previous(tmp_path):
    last = gb.scheme(year=2023)
    save_result(last, compute(last, gb.scores(), gb.findings(), None), tmp_path)
    given = {"year": 2023, "places": dict(gb.LAST_YEAR), "source": "2023年度通报"}
    places = previous_places(gb.scheme(previous=given), tmp_path)
    assert places is not None and places.source == "2023年度评议结果（归档）"
    assert places.places["历城区"] == 4  # the archive's, not 7 from the scheme


def test_the_schemes_previous_serves_a_first_year(tmp_path):
    given = {"year": 2023, "places": dict(gb.LAST_YEAR), "source": "济食药安委〔2024〕1号"}
    places = previous_places(gb.scheme(previous=given), tmp_path)
    assert places is not None and places.source == "济食药安委〔2024〕1号"
    assert places.places == gb.LAST_YEAR


def test_no_last_year_is_said(tmp_path):
    scheme = gb.scheme()
    assert previous_places(scheme, tmp_path) is None
    assert "没有2023年度的评议结果" in (previous_notice(scheme, None) or "")


def test_a_damaged_archive_file_is_a_user_error(tmp_path):
    path = result_path("jinan-food-safety", 2023, tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('{"units": "oops"}', encoding="utf-8")
    with pytest.raises(GradingError, match="已损坏或被改动"):
        load_places("jinan-food-safety", 2023, tmp_path)


def test_evaluate_reads_scores_and_last_years_archived_places(tmp_path):
    returns = tmp_path / "评分表"
    returns.mkdir()
    gb.fill_workbooks(gb.scheme(), returns)
    last = gb.scheme(year=2023)
    save_result(last, compute(last, gb.scores(), [], None), tmp_path / "archive")
    run = evaluate(gb.scheme(), [returns], tmp_path / "archive")
    assert run.notices == []
    assert run.previous is not None and run.previous.year == 2023
    assert run.result.unit("长清区").change == 0  # same scores both years: same places
    first_year = evaluate(gb.scheme(), [returns], tmp_path / "empty")
    assert first_year.notices == [previous_notice(gb.scheme(), None)]
