"""The archive library on both backends: versioning, round trip, diff/history, export, verify."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from reportgen.archive import Archive, indicator_changes
from reportgen.archive.snapshot import checksum
from reportgen.archive.store import CHILD_TABLES
from reportgen.errors import ArchiveError, OutputError, Problem
from reportgen.periods import parse_period
from reportgen.plan import Plan
from reportgen.progress import LATER_DEFAULTS
from reportgen.records import ValueRecord
from tests.support.archive_builders import WEIRD, add, make_inputs, make_plan
from tests.support.postgres import raw, tamper


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def archive(target: str) -> Iterator[Archive]:
    with Archive.open(target) as opened:
        yield opened


# -- versioning and round trip ----------------------------------------------------------------


def test_same_period_again_is_a_new_version_and_keeps_the_old(archive: Archive, plan: Plan) -> None:
    first = add(archive, plan, "2024-Q2", {"I1": 100, "I2": 80.0, "I3": 10})
    second = add(archive, plan, "2024-Q2", {"I1": 110, "I2": 80.0, "I3": 10}, note="补报后重新归档")
    other = add(archive, plan, "2024-Q1", {"I1": 90, "I2": 70.0, "I3": None})
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert archive.get(plan.id, "2024-Q2", version=1).value_records()["I1"].value == 100
    assert archive.get(plan.id, "2024-q2").value_records()["I1"].value == 110  # latest
    assert archive.get(plan.id, "2024-Q2").info.note == "补报后重新归档"
    listed = [(i.period_key, i.version) for i in archive.snapshots()]
    assert listed == [("2024-Q1", 1), ("2024-Q2", 1), ("2024-Q2", 2)]
    assert second.previous_checksum == first.checksum


def test_snapshot_round_trips_exactly(archive: Archive, plan: Plan) -> None:
    period, dataset, result = make_inputs(plan, "2024-W25", {"I1": 100, "I2": None, "I3": 7})
    from_excel = ValueRecord("I3", 7, "f.xlsx:S!H7", as_of=datetime(2024, 6, 20, 0, 0))
    dataset = dataclasses.replace(
        dataset, values={**dataset.values, "I3": from_excel}, warnings=[Problem("A1", WEIRD)]
    )
    info = archive.add(plan, period, dataset, result, note=WEIRD)
    stored = archive.get(plan.id, "2024-W25")
    assert stored.info == info and info.plan_hash == plan.content_hash
    assert stored.values[2] == ValueRecord("I3", 7.0, "f.xlsx:S!H7", as_of=date(2024, 6, 20))
    assert archive.verify() == []
    assert checksum(stored) == info.checksum
    assert stored.values[1] == ValueRecord(
        "I2", None, dataset.values["I2"].source, period.end, "备注I2", "市市场监管局"
    )
    assert stored.values[0].value == 100.0 and isinstance(stored.values[0].value, float)
    assert stored.indicators[0].target == 200.0 and stored.indicators[0].target_year == 2025
    assert stored.indicators[1].at_risk is None and stored.indicators[0].at_risk is False
    assert stored.task_progress[0].lead == ["市市场监管局"]
    assert stored.files[0].name == "填报_市市场监管局.xlsx" and stored.files[0].size == 12345
    assert stored.warnings == (Problem("A1", WEIRD),)
    assert stored.missing_departments == ("市发展改革委",)
    assert stored.info.note == WEIRD
    assert archive.plan(stored.info) == plan


def test_checksum_covers_every_field(archive: Archive, plan: Plan) -> None:
    add(archive, plan, "2024-Q2", {"I1": 100, "I2": 80.0, "I3": 10})
    stored = archive.get(plan.id, "2024-Q2")
    changed = dataclasses.replace(stored.values[0], remark="改过")
    assert (
        checksum(dataclasses.replace(stored, values=(changed, *stored.values[1:])))
        != stored.info.checksum
    )
    note = dataclasses.replace(stored.info, note="另一个备注")
    assert checksum(dataclasses.replace(stored, info=note)) != stored.info.checksum


def test_columns_cover_every_dataclass_field() -> None:
    """A new field in records/progress needs a schema migration; this fails until there is one.

    IndicatorProgress fields with defaults (LATER_DEFAULTS) are not archived: snapshots hold them
    at their defaults (``IndicatorProgress.archived``).
    """
    for table in CHILD_TABLES:
        wanted = {f.name for f in dataclasses.fields(table.cls)} - set(LATER_DEFAULTS)
        assert {f for _, f in table.columns} == wanted, table.name


def test_mismatched_inputs_are_refused(archive: Archive, plan: Plan) -> None:
    _, dataset, result = make_inputs(plan, "2024-Q2", {"I1": 1})
    with pytest.raises(ArchiveError, match="不一致"):
        archive.add(plan, parse_period("2024-Q3"), dataset, result)
    assert archive.snapshots() == []


# -- previous, diff, history (hand-computed) --------------------------------------------------


def test_previous_is_latest_version_of_the_period_before(archive: Archive, plan: Plan) -> None:
    add(archive, plan, "2024-Q1", {"I1": 80, "I2": 70.0, "I3": None})
    add(archive, plan, "2024-Q1", {"I1": 90, "I2": 70.0, "I3": None})
    previous = archive.previous(plan.id, parse_period("2024-Q2"))
    assert previous is not None and previous.info.version == 2
    figures = previous.indicator_progress()
    assert figures["I1"].actual == 90 and figures["I1"].completion == pytest.approx(0.45)
    assert figures["I3"].status == "未填报"
    assert archive.previous(plan.id, parse_period("2024-Q1")) is None
    assert archive.previous(plan.id, parse_period("2024-W14")) is None  # another kind


def test_diff_values_and_completion_changes(archive: Archive, plan: Plan) -> None:
    add(archive, plan, "2024-Q1", {"I1": 80, "I2": 70.0, "I3": None})
    add(archive, plan, "2024-Q2", {"I1": 110, "I2": 66.5, "I3": 12})
    changes = {c.id: c for c in archive.diff(plan.id, "2024-Q1", "2024-Q2")}
    # I1: 80 -> 110 of 200: +30 项; 40% -> 55% = +15 points
    assert changes["I1"].value_change == 30
    assert changes["I1"].completion_change_pp == pytest.approx(15.0)
    # I2: 70 -> 66.5 of 95: -3.5; 73.684…% -> 70% = -3.684… points
    assert changes["I2"].value_change == pytest.approx(-3.5)
    assert changes["I2"].completion_change_pp == pytest.approx((66.5 - 70) / 95 * 100)
    # I3 was not reported in Q1: no change can be computed
    assert changes["I3"].actual_before is None and changes["I3"].actual_after == 12
    assert changes["I3"].value_change is None and changes["I3"].completion_change_pp is None
    assert (changes["I3"].status_before, changes["I3"].status_after) == ("未填报", "进度正常")


def test_diff_between_versions_of_one_period(archive: Archive, plan: Plan) -> None:
    add(archive, plan, "2024-Q2", {"I1": 100, "I2": 80.0, "I3": 10})
    add(archive, plan, "2024-Q2", {"I1": 104, "I2": 80.0, "I3": 10})
    changes = archive.diff(plan.id, "2024-Q2@1", "2024-Q2@2")
    assert [c.value_change for c in changes] == [4, 0, 0]
    with pytest.raises(ArchiveError, match="第3版"):
        archive.diff(plan.id, "2024-Q2@3", "2024-Q2")
    with pytest.raises(ArchiveError, match="正整数"):
        archive.diff(plan.id, "2024-Q2@x", "2024-Q2")


def test_indicator_changes_lists_indicators_missing_on_one_side(plan: Plan) -> None:
    _, _, old = make_inputs(plan, "2024-Q1", {"I1": 10})
    _, _, new = make_inputs(plan, "2024-Q2", {"I1": 20})
    changes = indicator_changes(old.indicators, new.indicators[:1])
    assert [(c.id, c.status_before, c.status_after) for c in changes] == [
        ("I1", "进度正常", "进度正常"),
        ("I2", "未填报", None),
        ("I3", "未填报", None),
    ]


def test_history_is_latest_version_per_period_in_time_order(archive: Archive, plan: Plan) -> None:
    add(archive, plan, "2024-Q2", {"I1": 100, "I2": 80.0, "I3": 10})
    add(archive, plan, "2023-Q4", {"I1": 60, "I2": 75.0, "I3": 5})
    add(archive, plan, "2024-Q1", {"I1": 80, "I2": 77.0, "I3": 8})
    add(archive, plan, "2024-Q1", {"I1": 84, "I2": 77.0, "I3": 8})
    add(archive, plan, "2024", {"I1": 150, "I2": 90.0, "I3": 20})
    add(archive, plan, "2024-W10", {"I1": 70, "I2": 76.0, "I3": 6})
    quarters = archive.history(plan.id, kind="quarter")
    assert [(p.period.key, p.version) for p in quarters.points] == [
        ("2023-Q4", 1),
        ("2024-Q1", 2),
        ("2024-Q2", 1),
    ]
    i1 = [(p.key, i.actual, i.completion) for p, i in quarters.series("I1")]
    assert i1 == [("2023-Q4", 60, 0.3), ("2024-Q1", 84, 0.42), ("2024-Q2", 100, 0.5)]
    everything = archive.history(plan.id)
    assert [p.period.key for p in everything.points] == [
        "2023-Q4",
        "2024-W10",
        "2024-Q1",
        "2024-Q2",
        "2024",
    ]
    one = archive.history(plan.id, "I2", kind="quarter")
    assert [list(p.indicators) for p in one.points] == [["I2"]] * 3
    assert one.to_json()["periods"][0]["indicators"]["I2"]["actual"] == 75.0
    with pytest.raises(ArchiveError, match="没有指标 I9"):
        archive.history(plan.id, "I9")
    with pytest.raises(ArchiveError, match="没有方案 other"):
        archive.history("other")


# -- export ---------------------------------------------------------------------------------


def test_export_json_and_xlsx(archive: Archive, plan: Plan, tmp_path: Path) -> None:
    add(archive, plan, "2024-Q1", {"I1": 80, "I2": 70.0, "I3": None}, note=WEIRD)
    add(archive, plan, "2024-Q2", {"I1": 100, "I2": 80.0, "I3": 10})
    data = json.loads(archive.export(plan.id, tmp_path / "out.json").read_text("utf-8"))
    assert [s["info"]["period_key"] for s in data["snapshots"]] == ["2024-Q1", "2024-Q2"]
    assert data["snapshots"][1]["indicators"][0]["completion"] == 0.5
    book = openpyxl.load_workbook(archive.export(plan.id, tmp_path / "out.xlsx"))
    assert book.sheetnames == ["快照清单", "指标", "来源文件", "重点任务", "链头凭据"]
    assert book["链头凭据"]["A2"].value == archive.head() == data["chain_head"]
    rows = list(book["指标"].iter_rows(values_only=True))
    assert rows[0][:4] == ("报告期", "版本", "编号", "指标")
    assert rows[4][:6] == ("2024-Q2", 1, "I1", "指标I1", "项", 100)
    assert book["指标"]["I5"].value == 0.5 and book["指标"]["I5"].number_format == "0.0%"
    note = book["快照清单"]["F2"]
    assert note.data_type == "s" and note.value == WEIRD.replace("\x07", "")  # text, not a formula
    with pytest.raises(OutputError, match=r"\.xlsx 或 \.json"):
        archive.export(plan.id, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


# -- verify and tampering ---------------------------------------------------------------------


@pytest.fixture
def filled(target: str, plan: Plan) -> str:
    with Archive.open(target) as archive:
        for key, value in (("2024-Q1", 80), ("2024-Q2", 100), ("2024-Q2", 101), ("2024-Q3", 120)):
            add(archive, plan, key, {"I1": value, "I2": 80.0, "I3": 10})
        assert archive.verify() == []
    return target


@pytest.mark.parametrize(
    "sql",
    ["UPDATE reported_values SET value = 1", "DELETE FROM snapshots WHERE id = 1",
     "DELETE FROM plans", "UPDATE snapshots SET note = 'x'"],
)  # fmt: skip
def test_snapshots_are_append_only(filled: str, sql: str) -> None:
    with pytest.raises(Exception, match="append-only"):
        raw(filled, sql)


def test_verify_detects_a_value_altered_behind_the_tools_back(filled: str) -> None:
    tamper(
        filled,
        "UPDATE reported_values SET value = 99 WHERE snapshot_id = 2 AND position = 0",
    )
    with Archive.open(filled, readonly=True) as archive:
        problems = archive.verify()
    assert [p.where for p in problems] == ["demo-plan 2024-Q2 第1版"]
    assert "校验和不符" in problems[0].message


def test_verify_detects_altered_results_and_unreadable_rows(filled: str) -> None:
    tamper(
        filled,
        "UPDATE indicator_results SET status = '已完成' WHERE snapshot_id = 4",
    )
    tamper(filled, "UPDATE task_results SET lead = 'not json' WHERE snapshot_id = 1")
    with Archive.open(filled, readonly=True) as archive:
        assert [p.where for p in archive.verify()] == [
            "demo-plan 2024-Q1 第1版",
            "demo-plan 2024-Q3 第1版",
        ]


def test_verify_detects_a_deleted_snapshot(filled: str) -> None:
    for table in (
        "source_files",
        "reported_values",
        "task_reports",
        "indicator_results",
        "task_results",
        "warnings",
    ):
        tamper(filled, f"DELETE FROM {table} WHERE snapshot_id = 2")
    tamper(filled, "DELETE FROM snapshots WHERE id = 2")
    with Archive.open(filled, readonly=True) as archive:
        messages = [f"{p.where} {p.message}" for p in archive.verify()]
    assert any("第2版" in m and "校验链接" in m for m in messages)
    assert any("版本号不连续" in m for m in messages)


def test_verify_detects_an_altered_plan(filled: str) -> None:
    tamper(filled, "UPDATE plans SET content = replace(content, '示例', '改过')")
    with Archive.open(filled, readonly=True) as archive:
        assert ["方案内容" in p.message for p in archive.verify()] == [True]
