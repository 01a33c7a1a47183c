"""The end-to-end demo on the 舟山 sample: template → returns → check → progress → reports → archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import IntakeError
from reportgen.intake import check_files, write_template
from reportgen.locations import outputs_dir, resource_path
from reportgen.periods import parse_period
from reportgen.pipeline import ReportRun, make_report, report_from_dataset
from reportgen.plan import load_plan
from reportgen.render import KINDS, ReportOptions
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
    report = check_files([samples], plan, period)
    if report.errors:
        raise IntakeError(report.errors)
    (dataset,) = report.datasets  # the checked workbooks, read once for all three reports
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
    pdf = find_soffice() is not None
    result = DemoResult(template, archive, len(report.files), len(report.errors), pdf=pdf)
    result.summary_xlsx = out_dir / "汇总.xlsx"
    for kind in KINDS:
        quarterly = kind == "quarterly"
        options = ReportOptions(pdf=pdf, summary_xlsx=result.summary_xlsx if quarterly else None)
        result.reports.append(
            report_from_dataset(
                plan, period, dataset, kind, out_dir / f"{kind}.docx", options, archive, quarterly
            )
        )
    return result


def _fresh_archive(path: Path) -> Path:
    """Remove the demo's own archive from an earlier run, so 较上期 always compares Q2 with Q1."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path
