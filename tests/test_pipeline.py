"""make_report: workbooks → progress → report, with 较上期 and history from the archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from reportgen import pipeline as pipeline_module
from reportgen.archive import Archive
from reportgen.errors import RenderError, ReportgenError
from reportgen.periods import parse_period
from reportgen.pipeline import make_report
from reportgen.render import ReportOptions
from tests.support.paths import SAMPLES

Q1, Q2 = parse_period("2024-Q1"), parse_period("2024-Q2")


def _rows(path: Path, table: int = -1) -> dict[str, list[str]]:
    rows = Document(path).tables[table].rows
    return {row.cells[0].text: [c.text for c in row.cells] for row in rows[1:]}


def _archive_q1(sample_plan, tmp_path: Path) -> Path:
    archive = tmp_path / "archive.sqlite"
    make_report(
        sample_plan,
        Q1,
        [SAMPLES / "2024-Q1"],
        "quarterly",
        out=tmp_path / "q1.docx",
        archive=archive,
        store=True,
    )
    return archive


def test_without_archive_says_no_previous_data_and_creates_nothing(sample_plan, tmp_path):
    archive = tmp_path / "none.sqlite"
    run = make_report(
        sample_plan, Q2, [SAMPLES], "quarterly", out=tmp_path / "q.docx", archive=archive
    )
    assert _rows(run.out)["ZS02"][-2:] == ["无上期数据", "无上期数据"]
    assert not archive.exists()
    assert run.snapshot_version is None


def test_quarterly_shows_change_against_previous_quarter(sample_plan, tmp_path):
    archive = _archive_q1(sample_plan, tmp_path)
    run = make_report(
        sample_plan, Q2, [SAMPLES], "quarterly", out=tmp_path / "q2.docx", archive=archive
    )
    rows = _rows(run.out)
    # ZS02 level 78→80: Q1 a=79 → (79−78)/(80−78) = 50%; Q2 a=80 → 100%: +1 项, +50.0 个百分点
    assert rows["ZS02"][-2:] == ["+1", "+50.0"]
    # ZS09 level 94→97: Q1 94.8 → 0.8/3 = 26.67%; Q2 95.2 → 1.2/3 = 40%: +0.4, +13.3
    assert rows["ZS09"][-2:] == ["+0.4", "+13.3"]
    # ZS01 annual 1→2 项/年, 2024 target 1+(2−1)·2/3 = 1.667: Q1 0 → 0%; Q2 1 → 60%: +1, +60.0
    assert rows["ZS01"][-2:] == ["+1", "+60.0"]


def test_midterm_trend_lists_archived_quarters_then_current(sample_plan, tmp_path):
    archive = _archive_q1(sample_plan, tmp_path)
    run = make_report(
        sample_plan, Q2, [SAMPLES], "midterm", out=tmp_path / "m.docx", archive=archive
    )
    table = Document(run.out).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "2024-Q1", "2024-Q2"]
    trend = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    # 诚信计量示范单位 level 100→200: Q1 165 → 65%, Q2 178 → 78%
    assert trend["诚信计量示范单位"] == ["65.0%", "78.0%"]


def test_store_adds_a_new_version_each_time(sample_plan, tmp_path):
    archive = tmp_path / "a.sqlite"
    versions = [
        make_report(
            sample_plan,
            Q2,
            [SAMPLES],
            "quarterly",
            out=tmp_path / f"w{n}.docx",
            archive=archive,
            store=True,
        ).snapshot_version
        for n in range(2)
    ]
    assert versions == [1, 2]


def test_failed_render_archives_nothing(sample_plan, tmp_path):
    archive = tmp_path / "a.sqlite"
    options = ReportOptions(template=tmp_path / "missing.docx")
    with pytest.raises(RenderError):
        make_report(
            sample_plan,
            Q2,
            [SAMPLES],
            "quarterly",
            out=tmp_path / "q.docx",
            options=options,
            archive=archive,
            store=True,
        )
    assert not (tmp_path / "q.docx").exists()
    assert not archive.exists() or Archive.open(archive, readonly=True).snapshots() == []


def test_unwritable_archive_fails_before_any_report_is_written(sample_plan, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = tmp_path / "q.docx"
    with pytest.raises(ReportgenError):
        make_report(
            sample_plan,
            Q2,
            [SAMPLES],
            "quarterly",
            out=out,
            archive=blocker / "a.sqlite",
            store=True,
        )
    assert not out.exists()


def test_broken_user_template_fails_before_reading_workbooks(sample_plan, tmp_path):
    template = tmp_path / "t.docx"
    template.write_bytes(b"not a docx")
    options = ReportOptions(template=template)
    # the data path does not exist: reading it first would raise IntakeError instead
    with pytest.raises(RenderError):
        make_report(
            sample_plan,
            Q2,
            [tmp_path / "no-such-folder"],
            "quarterly",
            out=tmp_path / "q.docx",
            options=options,
        )


def test_weekly_compares_with_the_latest_archive_of_any_kind(sample_plan, tmp_path):
    from reportgen.pipeline import read_comparison
    from reportgen.render.brief import compared_with
    from tests.support.weekly_data import weekly_result

    archive = tmp_path / "a.sqlite"
    make_report(sample_plan, Q1, [SAMPLES / "2024-Q1"], "quarterly", tmp_path / "q1.docx",
                archive=archive, store=True)  # fmt: skip
    week = weekly_result(sample_plan, parse_period("2024-W26"))
    comparison = read_comparison(week, archive)
    assert comparison.since == Q1 and comparison.changes is not None
    assert compared_with(comparison) == "“较上期”为与2024年第一季度归档数据相比。"
    before_any = weekly_result(sample_plan, parse_period("2024-W02"))
    assert read_comparison(before_any, archive).changes is None  # nothing archived before it


@pytest.mark.parametrize(
    ("cpus", "load", "idle"), [(2, 0.0, 2), (2, 0.4, 2), (2, 1.2, 1), (2, 13.0, 1), (8, 3.0, 5)]
)
def test_workers_only_on_idle_cores(monkeypatch, cpus, load, idle):
    monkeypatch.setattr(pipeline_module.os, "getloadavg", lambda: (load, load, load))
    assert pipeline_module.idle_cores(cpus) == idle
