"""Results archived by year in the archive database (SQLite and PostgreSQL), and last year's
places read back for the change of place."""

from __future__ import annotations

import json

import pytest

from reportgen.errors import ArchiveError, GradingError
from reportgen.grading import compute, evaluate, load_places, previous_places, save_result
from reportgen.grading.store import GRADING, TABLE, previous_notice, results_table
from tests.support import grading_builders as gb
from tests.support.postgres import tamper


@pytest.fixture
def result():
    return compute(gb.scheme(), gb.scores(), gb.findings(), gb.previous())


def test_an_archived_year_supplies_next_years_places(target, result):
    assert save_result(gb.scheme(), result, target) == 1
    next_year = gb.scheme(year=2025)
    places = previous_places(next_year, target)
    assert places is not None and places.year == 2024
    assert places.places["天桥区"] == places.places["历城区"] == 4
    assert places.source == "2024年度评议结果（归档）"


def test_a_year_is_archived_once_unless_replaced_and_the_latest_version_wins(target, result):
    scheme = gb.scheme()
    save_result(scheme, result, target)
    with pytest.raises(GradingError, match="已经归档。确需用本次结果替换时，请加 --replace"):
        save_result(scheme, result, target)
    no_findings = compute(scheme, gb.scores(), [], None)
    assert save_result(scheme, no_findings, target, replace=True) == 2
    places = load_places(scheme.id, 2024, target)
    assert places is not None and places.places["历下区"] == 1


def test_archived_rows_cannot_be_changed(target, result):
    save_result(gb.scheme(), result, target)
    from reportgen.archive.db import Database

    with Database.open(target, readonly=False, components=(GRADING,)) as db:
        table = results_table()
        with pytest.raises(ArchiveError, match="归档只能追加，不能修改或删除已有记录"):
            db.write(lambda conn: conn.execute(table.update().values(content="{}")))


def test_the_table_matches_the_queries_model(target, result):
    save_result(gb.scheme(), result, target)
    from sqlalchemy import inspect

    from reportgen.archive.db import Database

    with Database.open(target, readonly=True, components=()) as db, db.read() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns(TABLE)}
        primary = inspect(conn).get_pk_constraint(TABLE)["constrained_columns"]
    assert columns == {c.name for c in results_table().columns}
    assert primary == [c.name for c in results_table().primary_key.columns]


def test_the_archive_wins_over_the_schemes_previous(tmp_path):
    target = tmp_path / "archive.sqlite"
    last = gb.scheme(year=2023)
    save_result(last, compute(last, gb.scores(), gb.findings(), None), target)
    given = {"year": 2023, "places": dict(gb.LAST_YEAR), "source": "2023年度通报"}
    places = previous_places(gb.scheme(previous=given), target)
    assert places is not None and places.source == "2023年度评议结果（归档）"
    assert places.places["历城区"] == 4  # the archive's, not 7 from the scheme


def test_the_schemes_previous_serves_a_first_year(tmp_path):
    given = {"year": 2023, "places": dict(gb.LAST_YEAR), "source": "济食药安委〔2024〕1号"}
    places = previous_places(gb.scheme(previous=given), tmp_path / "archive.sqlite")
    assert places is not None and places.source == "济食药安委〔2024〕1号"
    assert places.places == gb.LAST_YEAR


def test_no_archive_or_no_result_means_no_last_year(target, result):
    scheme = gb.scheme()
    assert previous_places(scheme, target) is None  # no database yet (or an empty one)
    save_result(gb.scheme(id="another-evaluation"), result, target)
    assert previous_places(scheme, target) is None  # a database without this scheme's year
    assert "没有2023年度的评议结果" in (previous_notice(scheme, None) or "")


def test_a_damaged_archived_result_is_a_user_error(tmp_path, result):
    target = str(tmp_path / "archive.sqlite")
    save_result(gb.scheme(), result, target)
    tamper(target, f"UPDATE {TABLE} SET content = '{json.dumps({'units': 'oops'})}'")
    with pytest.raises(GradingError, match="归档的评议结果已损坏"):
        load_places("jinan-food-safety", 2024, target)


def test_evaluate_reads_scores_and_last_years_archived_places(tmp_path):
    returns = tmp_path / "评分表"
    returns.mkdir()
    gb.fill_workbooks(gb.scheme(), returns)
    archive = tmp_path / "archive.sqlite"
    last = gb.scheme(year=2023)
    save_result(last, compute(last, gb.scores(), [], None), archive)
    run = evaluate(gb.scheme(), [returns], archive)
    assert run.notices == []
    assert run.previous is not None and run.previous.year == 2023
    assert run.result.unit("长清区").change == 0  # same scores both years: same places
    first_year = evaluate(gb.scheme(), [returns], tmp_path / "empty.sqlite")
    assert first_year.notices == [previous_notice(gb.scheme(), None)]
