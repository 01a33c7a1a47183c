"""reportgen as a Python library: one documented call per command-line verb.

Start here. Each function below does exactly what its ``reportgen …`` command does, with the
same checks and the same errors (ReportgenError subclasses, every problem named), and returns
data instead of printing it; the CLI only parses arguments, calls one of these, prints the
result and maps errors to exit codes. docs/api.md lists the verbs (a test keeps the list and
the CLI in step).

Plans may be given as a catalog id, a plan file path or a loaded ``Plan``; periods as text
('2024-Q2', '2024-W25' …) or a ``Period``. Heavy libraries (docxtpl, openpyxl, matplotlib)
load only when a verb needs them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.errors import (
    IntakeError,
    PeriodError,
    PlanError,
    Problem,
    RenderError,
)
from reportgen.periods import EXAMPLES, Period, parse_date, parse_period, period_kind
from reportgen.plan import Plan, list_plans, load_plan, load_plan_file

if TYPE_CHECKING:
    from reportgen.archive import SnapshotInfo
    from reportgen.compare import History
    from reportgen.demo import DemoResult
    from reportgen.extract import Extraction
    from reportgen.intake import CheckReport
    from reportgen.pipeline import JobOutcome, ReportJob, ReportRun
    from reportgen.progress import ProgressResult
    from reportgen.records import Dataset
    from reportgen.render import ReportOptions

PlanRef = str | Path | Plan
PeriodRef = str | Period
DEFAULT_REPORT_KIND = "quarterly"

__all__ = [
    "ArchiveRun",
    "ExportRun",
    "ExtractRun",
    "ProgressRun",
    "ReportBatch",
    "add_to_archive",
    "archive_history",
    "archived_plan_id",
    "check",
    "demo",
    "export_archive",
    "extract",
    "lint_template",
    "list_plans",
    "make_template",
    "progress",
    "report",
    "reports",
    "show_plan",
    "validate_plan",
]


# ---------------------------------------------------------------- arguments


def plan_of(ref: PlanRef) -> Plan:
    """A loaded plan: ``ref`` itself, or the catalog id / plan file it names."""
    return ref if isinstance(ref, Plan) else load_plan(str(ref))


def period_of(ref: PeriodRef, as_of: str | date | None = None) -> Period:
    """A period: ``ref`` parsed (its statistics cut-off moved to ``as_of`` when given)."""
    if isinstance(ref, Period):
        if as_of is None:
            return ref
        ref = ref.key
    cutoff = as_of.isoformat() if isinstance(as_of, date) else as_of
    return parse_period(ref, cutoff)


def _required_period(period: PeriodRef | None) -> PeriodRef:
    if not period:
        raise PeriodError(f"请用 --period 指定报告期。可用的格式：{EXAMPLES}。")
    return period


def _plan_files(plans: Sequence[PlanRef]) -> list[Path]:
    """The plan files among ``plans`` (inputs no output may replace)."""
    refs = [Path(p) for p in plans if not isinstance(p, Plan)]
    return [path for path in refs if path.exists()]


def _data(paths: Sequence[Path]) -> list[Path]:
    """The workbooks given with --data; IntakeError when there are none."""
    if not paths:
        raise IntakeError("请用 --data 指定填报的 Excel 文件或所在文件夹。")
    return [Path(p) for p in paths]


# ---------------------------------------------------------------- plans


def show_plan(plan: PlanRef) -> Plan:
    """`reportgen plan show`: the plan with its indicators and tasks."""
    return plan_of(plan)


def validate_plan(file: Path) -> Plan:
    """`reportgen plan validate`: the plan in ``file``; PlanError lists every problem."""
    return load_plan_file(Path(file))


@dataclass(frozen=True)
class ExtractRun:
    """A drafted plan file: what was found, and where the draft was written."""

    extraction: Extraction
    path: Path


def extract(source: Path, output: Path | None = None, plan_id: str | None = None) -> ExtractRun:
    """`reportgen plan extract`: draft a plan YAML from a 实施方案 text or Word document.

    Written to ``output`` (default outputs/plans/<id>.yaml), never over ``source``.
    """
    from reportgen.extract import draft_yaml, extract_plan
    from reportgen.fileio import check_outputs, write_text
    from reportgen.locations import outputs_dir

    extraction = extract_plan(Path(source), plan_id)
    target = Path(output or outputs_dir() / "plans" / f"{extraction.plan.id}.yaml")
    check_outputs([target], [source])
    write_text(target, draft_yaml(extraction))
    return ExtractRun(extraction, target)


# ---------------------------------------------------------------- intake


def make_template(
    plan: PlanRef,
    period: PeriodRef,
    output: Path | None = None,
    department: str | None = None,
    deadline: str | date | None = None,
) -> Path:
    """`reportgen template make`: the Excel 填报 template; returns the file written.

    Default output: outputs/<plan>/<period>/填报_<department or 全部>.xlsx.
    """
    from reportgen.fileio import check_outputs
    from reportgen.intake import default_template_path, write_template

    loaded, parsed = plan_of(plan), period_of(period)
    due = parse_date(deadline) if deadline and isinstance(deadline, str) else deadline or None
    target = output or default_template_path(loaded, parsed, department)
    check_outputs([target], _plan_files([plan]))
    return write_template(loaded, parsed, target, department=department, deadline=due)


def check(
    paths: Sequence[Path],
    plan: PlanRef | None = None,
    period: PeriodRef | None = None,
    archive: Path | str | None = None,
) -> CheckReport:
    """`reportgen check`: every problem of every returned workbook (``report.ok`` when none).

    Without ``plan`` and ``period`` each workbook is checked against those in its ``_meta``.
    With ``archive`` a cumulative value below the last archived one is a warning too.
    """
    from reportgen.intake import check_files

    chosen_plan = plan_of(plan) if plan else None
    chosen_period = period_of(period) if period else None
    previous = None
    if archive is not None:
        from reportgen.pipeline import previous_values  # loads the archive and render layers

        previous = previous_values(archive)
    return check_files([Path(p) for p in paths], chosen_plan, chosen_period, previous)


# ---------------------------------------------------------------- progress


@dataclass(frozen=True)
class ProgressRun:
    """The merged returns and the progress computed from them."""

    dataset: Dataset
    result: ProgressResult


def progress(
    plan: PlanRef,
    period: PeriodRef | None,
    paths: Sequence[Path],
    as_of: str | date | None = None,
    severe_gap_pp: float | None = None,
) -> ProgressRun:
    """`reportgen progress`: completion, 序时进度 and status of every indicator, tasks merged.

    ``severe_gap_pp`` (--lag-threshold) overrides the plan's 严重滞后 threshold.
    """
    from reportgen.intake import load_dataset
    from reportgen.progress import compute_progress

    when = _required_period(period)
    files = _data(paths)
    if severe_gap_pp is not None and not 0 <= severe_gap_pp < math.inf:
        raise PlanError(Problem("--lag-threshold", "必须是不小于 0 的数（个百分点），如 20。"))
    loaded, parsed = plan_of(plan), period_of(when, as_of)
    dataset = load_dataset(loaded, parsed, files)
    return ProgressRun(dataset, compute_progress(loaded, dataset, parsed, severe_gap_pp))


# ---------------------------------------------------------------- reports


@dataclass
class ReportBatch:
    """Reports under way: the jobs, notices about the workbooks, and outcomes as they finish.

    ``outcomes`` is consumed once; each job yields exactly one ``JobOutcome``.
    """

    jobs: list[ReportJob]
    notices: list[str]
    outcomes: Iterator[JobOutcome]


def reports(
    plans: Sequence[PlanRef],
    periods: Sequence[PeriodRef],
    paths: Sequence[Path],
    kinds: Sequence[str] = (DEFAULT_REPORT_KIND,),
    output: Path | None = None,
    options: ReportOptions | None = None,
    summary_xlsx: Path | None = None,
    as_of: str | date | None = None,
    archive: Path | str | None = None,
    store: bool = False,
    note: str | None = None,
    workers: int | None = None,
    allow_errors: bool = False,
) -> ReportBatch:
    """`reportgen report`: every (plan, period, kind) report, each workbook read once.

    Checked before anything is read: the kinds, a period given, ``as_of`` only with one period,
    ``output``/``summary_xlsx`` folders for several reports, no ``title`` and one kind for a user
    template in a batch, the user template itself (once). One report keeps ``output`` as its
    file. ``store`` archives each (plan, period) once; ``archive`` supplies 较上期 and history.
    ``allow_errors`` (--allow-errors) drafts despite errors in the workbooks: those cells count
    as 未填报 and each report lists them in its annex 数据问题清单.
    """
    from reportgen.pipeline import (
        check_job_outputs,
        checked_options,
        make_reports,
        plan_jobs,
        read_batch,
        template_file,
    )
    from reportgen.render.report import report_kind

    chosen = [report_kind(kind) for kind in kinds or [DEFAULT_REPORT_KIND]]
    if not periods:
        _required_period(None)
    files = _data(paths)
    if as_of and len({str(p) if isinstance(p, str) else p.key for p in periods}) > 1:
        raise PeriodError("--as-of 只能和单个 --period 一起使用；多个报告期各自截至期末。")
    jobs = plan_jobs(
        [plan_of(p) for p in plans],
        [period_of(p, as_of) for p in periods],
        chosen,
        output,
        summary_xlsx,
        store,
    )
    if len(jobs) > 1:
        _check_batch_options(options, chosen)
    pdf = bool(options and options.pdf)
    check_job_outputs(jobs, [*files, template_file(options), archive, *_plan_files(plans)], pdf)
    options = checked_options(options)  # a broken template fails before any workbook is read
    data = read_batch(jobs, files, archive, allow_errors)
    outcomes = make_reports(jobs, data, options, archive, note, workers)
    return ReportBatch(jobs, data.notices, outcomes)


def report(
    plan: PlanRef,
    period: PeriodRef,
    paths: Sequence[Path],
    kind: str = DEFAULT_REPORT_KIND,
    output: Path | None = None,
    options: ReportOptions | None = None,
    as_of: str | date | None = None,
    archive: Path | str | None = None,
    store: bool = False,
    note: str | None = None,
    allow_errors: bool = False,
) -> ReportRun:
    """`reportgen report` for one report: ``reports`` with one plan, period and kind.

    Returns the run, or raises the ReportgenError that stopped it. ``options.summary_xlsx``
    also writes the summary workbook.
    """
    summary = options.summary_xlsx if options is not None else None
    batch = reports(
        [plan],
        [period],
        paths,
        [kind],
        output,
        options,
        summary,
        as_of,
        archive,
        store,
        note,
        allow_errors=allow_errors,
    )
    (outcome,) = batch.outcomes
    return outcome.unwrap()


def _check_batch_options(options: ReportOptions | None, kinds: Sequence[str]) -> None:
    """Options that cannot apply to every report of a batch."""
    if options is None:
        return
    problems = []
    if options.title:
        problems.append("一次生成多份报告时不能用 --title：各报告的标题按方案、报告期和类型生成。")
    if options.template and len(set(kinds)) > 1:
        problems.append("--template 只适用于一种报告类型：请按类型分别生成，或去掉 --template。")
    if problems:
        raise RenderError([Problem("", p) for p in problems])


def lint_template(path: Path) -> list[Problem]:
    """`reportgen template lint`: every broken Jinja tag of a Word report template."""
    from reportgen.render import lint_template as lint

    return lint(Path(path))


# ---------------------------------------------------------------- archive


@dataclass(frozen=True)
class ArchiveRun:
    """A period archived: the new snapshot, the data and figures in it, the archive (its file
    path or its database URL with the password hidden)."""

    info: SnapshotInfo
    dataset: Dataset
    result: ProgressResult
    archive: str


def add_to_archive(
    plan: PlanRef,
    period: PeriodRef | None,
    paths: Sequence[Path],
    archive: str | Path | None = None,
    as_of: str | date | None = None,
    note: str | None = None,
) -> ArchiveRun:
    """`reportgen archive add`: read the returns, compute progress, store them as a snapshot.

    The archive is opened first, so an unwritable archive fails before any workbook is read.
    The other ``archive`` verbs are methods of ``reportgen.archive.Archive`` (docs/api.md).
    """
    from reportgen.archive import Archive
    from reportgen.intake import load_dataset
    from reportgen.progress import compute_progress

    when = _required_period(period)
    files = _data(paths)
    loaded, parsed = plan_of(plan), period_of(when, as_of)
    with Archive.open(archive) as opened:
        dataset = load_dataset(loaded, parsed, files)
        result = compute_progress(loaded, dataset, parsed)
        info = opened.add(loaded, parsed, dataset, result, note=note)
    return ArchiveRun(info, dataset, result, opened.location)


def archived_plan_id(plan: PlanRef) -> str:
    """The id a plan is archived under: ``plan`` itself, or the id in the plan file it names."""
    from reportgen.plan.catalog import PLAN_SUFFIXES

    if isinstance(plan, Plan):
        return plan.id
    return load_plan(str(plan)).id if Path(plan).suffix.lower() in PLAN_SUFFIXES else str(plan)


def archive_history(
    plan: PlanRef,
    indicator: str | None = None,
    kind: str | None = None,
    archive: Path | str | None = None,
) -> History:
    """`reportgen archive history`: each indicator over the archived periods (latest versions)."""
    from reportgen.archive import Archive

    with Archive.open(archive, readonly=True) as opened:
        chosen = period_kind(kind) if kind else None
        return opened.history(archived_plan_id(plan), indicator, chosen)


@dataclass(frozen=True)
class ExportRun:
    """An archive export: the file written and how many snapshots it holds."""

    path: Path
    snapshots: int


def export_archive(plan: PlanRef, output: Path, archive: Path | str | None = None) -> ExportRun:
    """`reportgen archive export`: every snapshot of a plan to .xlsx or .json, never over the
    archive itself."""
    from reportgen.archive import Archive
    from reportgen.fileio import check_outputs
    from reportgen.locations import default_archive

    check_outputs([output], [archive or default_archive()])
    with Archive.open(archive, readonly=True) as opened:
        plan_id = archived_plan_id(plan)
        written = opened.export(plan_id, output)
        return ExportRun(Path(written), len(opened.snapshots(plan_id)))


# ---------------------------------------------------------------- demo


def demo(output: Path | None = None) -> DemoResult:
    """`reportgen demo`: the whole path on the built-in 舟山 sample returns into ``output``."""
    from reportgen.demo import run_demo

    return run_demo(output)
