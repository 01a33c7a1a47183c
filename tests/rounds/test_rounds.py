"""Rounds end to end in the library: templates per department, collecting returns, status."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from reportgen.archive import Archive
from reportgen.intake import check_files, load_dataset
from reportgen.periods import parse_period
from reportgen.plan import load_plan
from reportgen.progress import compute_progress
from reportgen.rounds import (
    RoundError,
    RoundStore,
    collect,
    open_round,
    previous_values,
    round_status,
    start_round,
)
from tests.support.paths import SAMPLES
from tests.support.round_builders import DISTRICTS, fill_return, round_plan, rows

PERIOD = parse_period("2024-Q2")
OPENED = date(2024, 6, 28)  # 星期五
CST = timezone(timedelta(hours=8))


@pytest.fixture
def repo(tmp_path):
    with RoundStore.open(tmp_path / "archive.sqlite") as store:
        yield store


@pytest.fixture
def opened(repo, tmp_path):
    return open_round(repo, round_plan(), PERIOD, "5个工作日", tmp_path / "out", today=OPENED)


def test_each_department_gets_exactly_its_indicators_and_tasks(opened):
    expected = {
        "市市场监管局": (["C1", "L1", "R1"], ["T1", "T2"]),  # R1: placeholder lead -> coordinator
        "市科技局": (["P1"], ["T1"]),  # cooperating on L1 does not make it report L1
        "市人社局": ([], ["T3"]),
        "甲区政府": (["A1"], ["T3"]),  # 各区县政府 -> its listed members
        "乙县政府": (["A1"], ["T3"]),
        "市经信局": ([], ["T2"]),
    }
    assert set(opened.templates) == set(expected)
    assert set(opened.round.departments) == set(expected)
    for department, (indicators, tasks) in expected.items():
        path = opened.templates[department]
        assert list(rows(path)) == indicators, department
        assert list(rows(path, "重点任务")) == tasks, department
    assert any("R1" in w and "市市场监管局填报" in w for w in opened.warnings)


def test_deadline_in_working_days_on_top_of_every_sheet_and_in_the_print_header(opened):
    # 6月28日(五) + 5个工作日: 7月1日(一) … 7月5日(五)
    assert opened.round.deadline == date(2024, 7, 5)
    book = openpyxl.load_workbook(opened.templates["市科技局"])
    for name in ("指标填报", "重点任务"):
        ws = book[name]
        assert ws["A1"].value == round_plan().title
        assert "填报单位：市科技局" in ws["A2"].value
        assert "报告期：2024年第二季度" in ws["A2"].value
        assert "报送截止：2024年7月5日（星期五）" in ws["A2"].value
        assert "市科技局" in ws.oddHeader.center.text and "2024年7月5日" in ws.oddHeader.center.text
        assert ws.print_title_rows == "$4:$4"  # the table header repeats on every page
    contact = book["指标填报"]
    assert (contact["A3"].value, contact["D3"].value) == ("填报人", "联系电话")
    assert contact["B3"].protection.locked is False and contact["E3"].protection.locked is False
    assert book["重点任务"]["A3"].value is None  # asked once, on the first sheet it fills


def test_previous_column_is_locked_beside_the_input(opened):
    ws = openpyxl.load_workbook(opened.templates["市市场监管局"])["指标填报"]
    headers = [c.value for c in ws[4]]
    at = headers.index("上期值")
    assert headers[at + 1] == "完成值"
    assert ws.cell(5, at + 1).protection.locked is True
    assert ws.cell(5, at + 2).protection.locked is False


def test_placeholders_are_never_asked_and_unknown_departments_refused(repo, tmp_path):
    with pytest.raises(RoundError, match="不是具体单位"):
        open_round(
            repo,
            round_plan(),
            PERIOD,
            "2024-07-05",
            tmp_path,
            departments=["市政府有关部门"],
            today=OPENED,
        )
    with pytest.raises(RoundError, match=r"市教育局.*没有需要填报"):
        open_round(
            repo,
            round_plan(),
            PERIOD,
            "2024-07-05",
            tmp_path,
            departments=["市教育局"],
            today=OPENED,
        )
    assert not list(tmp_path.glob("*.xlsx"))


def test_chosen_departments_and_groups_expand(repo, tmp_path):
    result = open_round(
        repo,
        round_plan(),
        PERIOD,
        "2024-07-05",
        tmp_path,
        departments=["市科技局", "各区县政府"],
        today=OPENED,
    )
    assert result.round.departments == ("市科技局", *DISTRICTS)


def test_a_second_round_for_the_same_period_is_refused(repo, opened, tmp_path):
    with pytest.raises(RoundError, match="已于2024年6月28日发起"):
        open_round(repo, round_plan(), PERIOD, "2024-07-05", tmp_path / "again")
    assert not (tmp_path / "again").exists()


# ---- previous values from the archive ----------------------------------------------------------


def test_prefilled_previous_values_equal_the_archive(tmp_path):
    plan = load_plan("zhoushan-2023-metrology")
    q1 = parse_period("2024-Q1")
    dataset = load_dataset(plan, q1, [SAMPLES / "2024-Q1"])
    archive_file = tmp_path / "archive.sqlite"
    with Archive.open(archive_file) as archive:
        archive.add(plan, q1, dataset, compute_progress(plan, dataset, q1))
    opened = start_round(
        plan, PERIOD, "2024-07-05", tmp_path / "out", archive=archive_file, today=OPENED
    )
    with Archive.open(archive_file, readonly=True) as archive:
        archived = {r.indicator_id: r.value for r in archive.latest(plan.id, q1).values}
        assert previous_values(archive, plan, PERIOD) == archived
    shown = {i: r["上期值"] for i, r in rows(opened.templates["市市场监管局"]).items()}
    assert shown == {i.id: archived.get(i.id) for i in plan.indicators}
    assert shown["ZS05"] == 165 and shown["ZS07"] == 42
    assert list(rows(opened.templates["市科技局"])) == []  # its tasks only


# ---- returns ------------------------------------------------------------------------------------


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2024, 7, day, hour, tzinfo=CST)


def test_returning_twice_counts_once_with_the_later_file(repo, opened, tmp_path):
    template = opened.templates["市科技局"]
    first = fill_return(template, {"P1": 95}, {"T1": "推进中"}, out=tmp_path / "a" / "科技1.xlsx")
    second = fill_return(template, {"P1": 96}, {"T1": "已完成"}, out=tmp_path / "b" / "科技2.xlsx")
    (one,) = collect(repo, opened.round, [first], now=_at(2))
    (two,) = collect(repo, opened.round, [second], now=_at(3))
    assert two.superseded == one.record
    status = round_status(repo, opened.round, date(2024, 7, 4))
    entry = next(d for d in status.departments if d.department == "市科技局")
    assert entry.status == "已报送" and entry.latest == two.record
    assert entry.latest.file_name == "科技2.xlsx" and entry.superseded == (one.record,)
    assert status.counts()["已报送"] == 1
    (again,) = collect(repo, opened.round, [second], now=_at(4))
    assert again.duplicate and len(repo.returns(opened.round.id)) == 2


def test_filler_and_phone_are_recorded(repo, opened, tmp_path):
    path = fill_return(opened.templates["市科技局"], {"P1": 95}, filler="李四", phone="13800001111")
    (received,) = collect(repo, opened.round, [path], now=_at(2))
    assert (received.record.filler, received.record.phone) == ("李四", "13800001111")
    assert received.record.errors == () and received.record.warnings == ()


def test_erroring_return_is_有错误_not_未报送(repo, opened, tmp_path):
    path = fill_return(opened.templates["市经信局"], {}, {"T2": "差不多"})
    (received,) = collect(repo, opened.round, [path], now=_at(2))
    assert received.record.errors and received.record.errors[0].where.startswith("重点任务!E")
    status = round_status(repo, opened.round, date(2024, 7, 3))
    entry = next(d for d in status.departments if d.department == "市经信局")
    assert entry.status == "有错误" and entry.to_chase
    assert "市经信局" in [d.department for d in status.to_chase()]


def test_missing_contact_is_a_warning_read_by_check(opened):
    path = fill_return(opened.templates["市科技局"], {"P1": 95}, filler=None, phone="12")
    (result,) = check_files([path], round_plan(), PERIOD).files
    assert result.ok and (result.filler, result.phone) == (None, "12")
    messages = [w.message for w in result.warnings]
    assert any("请填写填报人" in m for m in messages)
    assert any("不像电话号码" in m for m in messages)


def test_status_before_and_after_the_deadline_in_working_days(repo, opened):
    before = round_status(repo, opened.round, date(2024, 7, 5))
    assert {d.status for d in before.departments} == {"未报送"}
    after = round_status(repo, opened.round, date(2024, 7, 9))  # 7月8日(一)、9日(二)
    assert {d.status for d in after.departments} == {"逾期"}
    assert {d.overdue_workdays for d in after.departments} == {2}
    assert after.counts() == {"已报送": 0, "有错误": 0, "未报送": 0, "逾期": 6}


def test_late_return_is_flagged(repo, opened):
    path = fill_return(opened.templates["市科技局"], {"P1": 95})
    collect(repo, opened.round, [path], now=_at(8))
    entry = round_status(repo, opened.round, date(2024, 7, 9)).departments
    late = next(d for d in entry if d.department == "市科技局")
    assert late.status == "已报送" and late.late


def test_files_for_another_plan_or_period_are_refused_with_the_reason(repo, opened, tmp_path):
    q3 = parse_period("2024-Q3")
    other = open_round(repo, round_plan(), q3, "2024-10-15", tmp_path / "q3", today=OPENED)
    wrong_period = fill_return(other.templates["市科技局"], {"P1": 95})
    (received,) = collect(repo, opened.round, [wrong_period])
    assert received.record is None
    assert received.refused == "本表是报告期 2024-Q3 的填报表，本轮收集的是 2024-Q2。"
    assert repo.returns(opened.round.id) == []


def test_files_from_outside_the_round_are_refused(repo, opened, tmp_path):
    from reportgen.intake import write_template

    plain = write_template(round_plan(), PERIOD, tmp_path / "全部.xlsx")
    (received,) = collect(repo, opened.round, [plain])
    assert "不分单位" in received.refused
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    (received,) = collect(repo, opened.round, [broken])
    assert received.refused and "无法识别" in received.refused


# ---- weekly rounds -----------------------------------------------------------------------------


def test_weekly_round_asks_only_weekly_indicators_and_task_progress(repo, tmp_path):
    week = parse_period("2024-W27")
    result = open_round(repo, round_plan(), week, "2个工作日", tmp_path, today=date(2024, 7, 5))
    assert result.round.weekly and result.round.deadline == date(2024, 7, 9)
    assert list(rows(result.templates["市市场监管局"])) == ["L1"]
    assert list(rows(result.templates["市科技局"])) == []
    assert list(rows(result.templates["市科技局"], "重点任务")) == ["T1"]
    path = fill_return(result.templates["市市场监管局"], {"L1": 42}, {"T1": "推进中"})
    (received,) = collect(repo, result.round, [path])
    assert received.record.ok and received.record.warnings == ()


def test_round_template_returns_merge_without_conflicts(opened, tmp_path):
    """Every department reports its own indicators: no '同一指标只能有一个数' across returns."""
    values = {"市市场监管局": {"C1": 5, "L1": 41, "R1": 0.45}, "市科技局": {"P1": 95}}
    folder = tmp_path / "returns"
    for department, path in opened.templates.items():
        fill_return(path, values.get(department, {}), out=folder / Path(path).name)
    report = check_files([folder], round_plan(), PERIOD)
    assert report.ok, report.errors
    assert report.missing_departments == []
