"""The end-to-end demo on the 舟山 sample: template → returns → check → progress → reports → archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import IntakeError
from reportgen.intake import write_template
from reportgen.locations import outputs_dir, resource_path
from reportgen.periods import Period, parse_period
from reportgen.pipeline import ReportJob, ReportRun, make_report, make_reports, read_batch
from reportgen.plan import Plan, load_plan
from reportgen.render import REPORT_KINDS, ReportKind, ReportOptions
from reportgen.render.pdf import find_soffice

PLAN_ID = "zhoushan-2023-metrology"
PERIOD, PREVIOUS = "2024-Q2", "2024-Q1"


@dataclass
class DemoResult:
    """Every file the demo wrote, and the runs behind the reports."""

    template: Path
    archive: Path
    checked_files: int
    check_errors: int
    reports: list[ReportRun] = field(default_factory=list)
    summary_xlsx: Path | None = None
    pdf: bool = False


def run_demo(out_dir: Path | None = None, samples: Path | None = None) -> DemoResult:
    """Run the whole path into ``out_dir`` (default outputs/demo; its demo archive is rebuilt on
    every run) from the built-in sample returns (or ``samples``)."""
    out_dir = out_dir or outputs_dir() / "demo"
    samples = samples or resource_path("samples")
    plan = load_plan(PLAN_ID)
    period = parse_period(PERIOD)
    template = write_template(plan, period, out_dir / "填报模板_全部.xlsx")
    archive = _fresh_archive(out_dir / "archive.sqlite")
    make_report(
        plan,
        parse_period(PREVIOUS),
        [samples / PREVIOUS],
        "quarterly",
        out=out_dir / PREVIOUS / "quarterly.docx",
        archive=archive,
        store=True,
    )
    summary = out_dir / "汇总.xlsx"
    jobs = [_job(plan, period, kind, out_dir, summary) for kind in REPORT_KINDS]
    data = read_batch(jobs[1:], [samples])  # the sample workbooks, read once for all reports
    if data.report.errors:
        raise IntakeError(data.report.errors)
    # the weekly brief covers the quarter's last week, from the same sample returns
    data.datasets[jobs[0].pair] = data.datasets[jobs[1].pair]
    pdf = find_soffice() is not None
    files = data.report.files
    result = DemoResult(template, archive, len(files), len(data.report.errors), pdf=pdf)
    result.summary_xlsx = summary
    outcomes = make_reports(jobs, data, ReportOptions(pdf=pdf), archive)
    result.reports = [outcome.unwrap() for outcome in outcomes]
    return result


def _job(plan: Plan, period: Period, kind: ReportKind, out_dir: Path, summary: Path) -> ReportJob:
    """The quarterly report also writes the summary workbook and archives the period; the
    weekly brief is for the period's last week."""
    quarterly = kind == "quarterly"
    summary_xlsx = summary if quarterly else None
    if kind == "weekly":
        year, week, _ = period.end.isocalendar()
        period = parse_period(f"{year}-W{week:02d}")
    return ReportJob(plan, period, kind, out_dir / f"{kind}.docx", summary_xlsx, store=quarterly)


def _fresh_archive(path: Path) -> Path:
    """Remove the demo's own archive from an earlier run, so 较上期 always compares Q2 with Q1."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path
