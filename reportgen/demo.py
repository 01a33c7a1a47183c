"""The end-to-end demo on the 舟山 sample: template → returns → check → progress → reports → archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.intake import check_files, write_template
from reportgen.periods import Period, parse_period
from reportgen.pipeline import OUTPUTS, ReportRun, make_report
from reportgen.plan import Plan, load_plan
from reportgen.render import KINDS, Kind, ReportOptions
from reportgen.render.pdf import find_soffice

SAMPLES = Path(__file__).resolve().parents[1] / "inputs" / "samples"
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


def run_demo(out_dir: Path = OUTPUTS / "demo", samples: Path = SAMPLES) -> DemoResult:
    """Run the whole path into ``out_dir`` (its demo archive is rebuilt on every run)."""
    plan = load_plan(PLAN_ID)
    period = parse_period(PERIOD)
    template = write_template(plan, period, out_dir / "填报模板_全部.xlsx", deadline=None)
    report = check_files([samples], plan, period)
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
    for kind in KINDS:
        result.reports.append(_report(plan, period, samples, kind, out_dir, archive, pdf))
    result.summary_xlsx = out_dir / "汇总.xlsx"
    return result


def _report(
    plan: Plan, period: Period, samples: Path, kind: Kind, out_dir: Path, archive: Path, pdf: bool
) -> ReportRun:
    options = ReportOptions(
        pdf=pdf, summary_xlsx=out_dir / "汇总.xlsx" if kind == "quarterly" else None
    )
    store = kind == "quarterly"
    return make_report(
        plan,
        period,
        [samples],
        kind,
        out=out_dir / f"{kind}.docx",
        options=options,
        archive=archive,
        store=store,
    )


def _fresh_archive(path: Path) -> Path:
    """Remove the demo's own archive from an earlier run, so 较上期 always compares Q2 with Q1."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path
