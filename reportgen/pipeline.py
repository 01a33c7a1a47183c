"""The whole path from returned workbooks to Word reports (→ archive), for one report or a batch.

The CLI's `report` and `demo` commands call this; it is the Python form of `reportgen report`.
A batch reads every workbook once (``check_files`` groups them by the plan and period in their
``_meta``), then renders each (plan, period, kind) job, in worker processes when that pays.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.archive.location import locate
from reportgen.compare import NO_COMPARISON, Comparison, compare
from reportgen.errors import IntakeError, OutputError, Problem, ReportgenError
from reportgen.fileio import Staging, check_outputs, staging
from reportgen.intake import CheckReport, check_files
from reportgen.intake.check import PreviousValues
from reportgen.intake.merge import despite_errors
from reportgen.intake.notices import grouped_notices
from reportgen.locations import default_archive, outputs_dir
from reportgen.periods import Period
from reportgen.plan import Plan
from reportgen.progress import ProgressResult, compute_progress
from reportgen.records import Dataset
from reportgen.render import RenderWarning, ReportKind, ReportOptions, render_report, titles
from reportgen.render import sentences as S
from reportgen.render.report import UserTemplate, check_period, user_template

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

    from reportgen.archive import Archive, Snapshot

MIN_PARALLEL_JOBS = 4  # below this, starting worker processes costs more than it saves
MAX_WORKERS = 4  # each worker holds its own copy of the render libraries (~100 MB)

ROUTING_HINT = (
    "一次生成多个方案或报告期时，按各表隐藏的 _meta 工作表判断它属于哪份报告；"
    "以上文件无法判断，所以没有生成任何报告。请修正或移出这些文件。"
)
PairKey = tuple[str, str]  # (plan id, period key)


@dataclass(frozen=True)
class ReportRun:
    """What one report run produced."""

    result: ProgressResult
    dataset: Dataset
    out: Path
    notices: list[str]
    snapshot_version: int | None = None


@dataclass(frozen=True)
class ReportJob:
    """One report of a batch: plan, period and kind, where it goes, what else it writes."""

    plan: Plan
    period: Period
    kind: ReportKind
    out: Path
    summary_xlsx: Path | None = None
    store: bool = False  # archive this job's data and figures as a snapshot

    @property
    def pair(self) -> PairKey:
        return (self.plan.id, self.period.key)

    @property
    def label(self) -> str:
        """'zhoushan-2023-metrology 2024-Q2 quarterly', for messages about this job."""
        return f"{self.plan.id} {self.period.key} {self.kind}"


@dataclass(frozen=True)
class JobOutcome:
    """A finished job: its run, or the problems that stopped it (and the kind of error)."""

    job: ReportJob
    run: ReportRun | None = None
    problems: tuple[Problem, ...] = ()
    error: type[ReportgenError] = ReportgenError

    @property
    def ok(self) -> bool:
        return self.run is not None

    def unwrap(self) -> ReportRun:
        """The run; the error that stopped the job is raised again."""
        if self.run is None:
            raise self.error(self.problems)
        return self.run


def default_output(plan: Plan, period: Period, kind: ReportKind) -> Path:
    """outputs/<方案简称>_<报告期><类型>.docx (see ``report_name``)."""
    return outputs_dir() / report_name(plan, period, kind)


def report_name(plan: Plan, period: Period, kind: ReportKind) -> str:
    """'舟山市计量发展规划实施方案_2024年第二季度进展报告.docx'."""
    return titles.output_name(_short_title(plan), period.label, kind)


def _short_title(plan: Plan) -> str:
    return titles.plan_short_title(plan.short_title, plan.title, plan.issuer)


def read_comparison(
    result: ProgressResult, archive: Path | str | None, with_history: bool = False
) -> Comparison:
    """较上期 (see ``previous_snapshot``) and, ``with_history``, the quarterly history.

    Without an archive file, or with none of the plan's periods in it, the report then says
    无上期数据.
    """
    store = open_existing(archive)
    if store is None:
        return NO_COMPARISON
    plan_id, period = result.plan.id, result.period
    with store:
        if not store.snapshots(plan_id):
            return NO_COMPARISON
        previous = previous_snapshot(store, plan_id, period)
        history = store.history(plan_id, kind="quarter").before(period) if with_history else None
    if previous is None:
        return compare(result, None, history)
    return compare(result, previous.indicators, history, since=previous.info.period)


def open_existing(archive: Path | str | None) -> Archive | None:
    """``Archive.open_existing``; the archive modules load only when its file exists (or for a
    database)."""
    location = locate(archive)
    if location.path is not None and not location.path.exists():
        return None
    from reportgen.archive import Archive

    return Archive.open_existing(archive)


def previous_snapshot(store: Archive, plan_id: str, period: Period) -> Snapshot | None:
    """较上期: the previous period of the same kind, else the latest archived period that ended
    before ``period`` began, whatever its kind (a weekly brief after a quarterly archive)."""
    same_kind = store.previous(plan_id, period)
    if same_kind is not None:
        return same_kind
    before = [i for i in store.snapshots(plan_id) if i.period.end < period.start]
    if not before:
        return None
    last = max(before, key=lambda i: (i.period.end, i.period.start))
    return store.latest(plan_id, last.period)


@dataclass(frozen=True)
class ArchivedValue:
    """One indicator's reported value in an archived period."""

    period: Period
    value: float


def archived_values(
    plan: Plan, period: Period, archive: Path | str | None
) -> dict[str, list[ArchivedValue]]:
    """Each indicator's archived values of the periods that ended before ``period`` began."""
    store = open_existing(archive)
    if store is None:
        return {}
    with store:
        points = store.history(plan.id).points if store.snapshots(plan.id) else ()
    values: dict[str, list[ArchivedValue]] = {}
    for point in points:
        if point.period.end < period.start:
            for ident, figures in point.indicators.items():
                if figures.actual is not None:
                    values.setdefault(ident, []).append(ArchivedValue(point.period, figures.actual))
    return values


def level_history(
    period: Period, values: dict[str, list[ArchivedValue]]
) -> dict[str, list[tuple[date, float]]]:
    """The archived (as-of date, value) of periods of the same kind, for `level` projections."""
    return {
        ident: [(v.period.as_of, v.value) for v in found if v.period.kind == period.kind]
        for ident, found in values.items()
    }


def previous_values(archive: Path | str | None) -> PreviousValues:
    """For intake: the last archived value of each indicator before a (plan, period)."""

    def lookup(plan: Plan, period: Period) -> dict[str, float]:
        found = archived_values(plan, period, archive)
        return {ident: values[-1].value for ident, values in found.items()}

    return lookup


def make_report(
    plan: Plan,
    period: Period,
    paths: Sequence[Path],
    kind: ReportKind,
    out: Path | None = None,
    options: ReportOptions | None = None,
    archive: Path | str | None = None,
    store: bool = False,
    note: str | None = None,
    allow_errors: bool = False,
) -> ReportRun:
    """Read ``paths``, compute progress, render the ``kind`` report; archive it when ``store``.

    A batch of one job (see ``make_reports``): the same checks, the same route. The archive at
    ``archive`` (default $REPORTGEN_ARCHIVE or outputs/archive.sqlite) supplies 较上期 and
    history when it exists. Raises the ReportgenError that stopped the report. ``allow_errors``:
    draft despite errors (see ``read_batch``).
    """
    target = out or default_output(plan, period, kind)
    summary = options.summary_xlsx if options else None
    job = ReportJob(plan, period, kind, target, summary, store)
    pdf = bool(options and options.pdf)
    check_job_outputs([job], [*paths, template_file(options), archive], pdf)
    options = checked_options(options)  # a broken template fails before reading workbooks
    batch = read_batch([job], paths, archive, allow_errors)
    outcome = next(make_reports([job], batch, options, archive, note))
    return outcome.unwrap()


def checked_options(options: ReportOptions | None) -> ReportOptions:
    """``options`` with its user template checked, once, for every report of a run."""
    options = options or ReportOptions()
    if options.template is None:
        return options
    return replace(options, template=user_template(options.template))


@dataclass(frozen=True)
class PairFigures:
    """What every report of one (plan, period) shows: progress and its comparison, made once."""

    dataset: Dataset
    result: ProgressResult
    comparison: Comparison


def pair_figures(
    plan: Plan, period: Period, dataset: Dataset, archive: Path | str | None, with_history: bool
) -> PairFigures:
    """Progress of ``dataset`` and its comparison with the archive (history when asked)."""
    past = level_history(period, archived_values(plan, period, archive))
    result = compute_progress(plan, dataset, period, history=past)
    return PairFigures(dataset, result, read_comparison(result, archive, with_history))


def render_job(
    job: ReportJob,
    figures: PairFigures,
    options: ReportOptions,
    archive: Path | str | None,
    note: str | None,
) -> ReportRun:
    """Render one job from its pair's figures; archive them too when the job says ``store``."""
    options = replace(options, summary_xlsx=job.summary_xlsx)
    dataset, result = figures.dataset, figures.result
    with contextlib.ExitStack() as stack:
        target: Archive | None = None
        if job.store:  # an archive that cannot be written fails here, before any report file
            from reportgen.archive import Archive

            target = stack.enter_context(Archive.open(archive))
        stage = stack.enter_context(staging(job.out.parent)) if target else None
        out, options = _staged(stage, job.out, options) if stage else (job.out, options)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RenderWarning)
            render_report(result, job.kind, out, options, figures.comparison)
        info = target.add(job.plan, job.period, dataset, result, note=note) if target else None
        if stage is not None:
            stage.commit()  # archived first; only then do the report files replace old ones
    written = job.out
    notices = grouped_notices(dataset.warnings) + [str(w.message) for w in caught]
    errors = sum(p.error for p in dataset.problems)
    if errors:
        notices.insert(0, S.drafted_despite_errors(errors))
    return ReportRun(result, dataset, written, notices, info.version if info else None)


def _staged(stage: Staging, out: Path, options: ReportOptions) -> tuple[Path, ReportOptions]:
    """Where render writes the report (and its PDF and summary) until they are committed."""
    staged = stage.path(out)
    if options.pdf:
        stage.also(staged.with_suffix(".pdf"), out.with_suffix(".pdf"))
    summary = stage.path(options.summary_xlsx) if options.summary_xlsx else None
    return staged, replace(options, summary_xlsx=summary)


def check_job_outputs(
    jobs: Sequence[ReportJob], inputs: Sequence[Path | str | None], pdf: bool = False
) -> None:
    """OutputError (nothing written) when a report, its PDF or summary workbook would replace
    one of ``inputs`` (workbooks or their folders, the template, plan files) or the archive
    (``None`` among the inputs stands for nothing; the default archive is always included)."""
    outputs = [
        path
        for job in jobs
        for path in (job.out, job.out.with_suffix(".pdf") if pdf else None, job.summary_xlsx)
    ]
    check_outputs(outputs, [*inputs, default_archive()])


def template_file(options: ReportOptions | None) -> Path | None:
    """The user template's file, if the options name one."""
    template = options.template if options else None
    return template.path if isinstance(template, UserTemplate) else template


# ---------------------------------------------------------------- batches


def plan_jobs(
    plans: Sequence[Plan],
    periods: Sequence[Period],
    kinds: Sequence[ReportKind],
    output: Path | None = None,
    summary_xlsx: Path | None = None,
    store: bool = False,
) -> list[ReportJob]:
    """Every (plan, period, kind) job, periods in time order, with its output paths.

    One job writes to ``output`` (a .docx; default outputs/``report_name``). Several jobs write
    to <output or outputs>/``report_name`` (prefixed with the plan id when two plans share a
    short title), so ``output`` must then be a folder; so must ``summary_xlsx``, which receives
    <简称>_<报告期>汇总.xlsx once per pair. ``store`` archives each (plan, period) once, with its
    first kind.
    """
    plans = list({p.id: p for p in plans}.values())
    periods = sorted({p.key: p for p in periods}.values(), key=lambda p: (p.start, p.end))
    kinds = list(dict.fromkeys(kinds))
    combos = [(plan, period, kind) for plan in plans for period in periods for kind in kinds]
    for _, period, kind in combos:
        check_period(kind, period)  # a weekly brief needs a week, before any workbook is read
    if len(combos) == 1:
        plan, period, kind = combos[0]
        target = output or default_output(plan, period, kind)
        return [ReportJob(plan, period, kind, target, summary_xlsx, store)]
    root = _folder(output, "-o/--output") or outputs_dir()
    shared = Counter(_short_title(plan) for plan in plans)
    jobs, seen = [], set()
    for plan, period, kind in combos:
        first = (plan.id, period.key) not in seen
        seen.add((plan.id, period.key))
        prefix = f"{plan.id}_" if shared[_short_title(plan)] > 1 else ""
        summary = _batch_summary(summary_xlsx, plan, period, prefix) if first else None
        out = root / (prefix + report_name(plan, period, kind))
        jobs.append(ReportJob(plan, period, kind, out, summary, store and first))
    return jobs


SUMMARY_FIELDS = ("方案", "报告期", "plan", "period")


def _batch_summary(pattern: Path | None, plan: Plan, period: Period, prefix: str) -> Path | None:
    """Where a batch writes the summary workbook of (``plan``, ``period``): inside the folder
    ``pattern``, or, for a name pattern ending in .xlsx, beside it with {方案}/{报告期} (or
    {plan}/{period}) filled in — without placeholders, the short title and period are appended."""
    if pattern is None:
        return None
    short = _short_title(plan)
    if pattern.suffix.lower() != ".xlsx":
        folder = _folder(pattern, "--summary-xlsx")
        return folder / (prefix + titles.summary_name(short, period.label)) if folder else None
    values = dict(zip(SUMMARY_FIELDS, (short, period.label, plan.id, period.key), strict=True))
    name = pattern.name
    if any(f"{{{field}}}" in name for field in SUMMARY_FIELDS):
        for field, value in values.items():
            name = name.replace(f"{{{field}}}", value)
    else:
        name = f"{pattern.stem}_{prefix}{titles.summary_name(short, period.label)}"
    return pattern.parent / titles.safe_file_name(name)


def _folder(path: Path | None, option: str) -> Path | None:
    """``path`` when it can be the folder of a batch's outputs; OutputError otherwise."""
    if path is None:
        return None
    if path.suffix.lower() in {".docx", ".xlsx"} or (path.exists() and not path.is_dir()):
        raise OutputError(
            Problem(
                str(path),
                f"一次生成多份报告时，{option} 必须是文件夹（报告按“方案简称_报告期类型.docx”"
                "存放在其中）。请改为文件夹路径，或只生成一份报告。",
            )
        )
    return path


@dataclass
class BatchData:
    """The workbooks of a batch, checked once and grouped by (plan, period)."""

    report: CheckReport
    datasets: dict[PairKey, Dataset] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    allow_errors: bool = False  # errors were turned into 未填报 and listed in the datasets

    def problems_for(self, job: ReportJob) -> list[Problem]:
        """Why ``job`` cannot run: no workbooks for its pair, or errors in them."""
        if job.pair not in self.datasets:
            return [_not_found(job, self.report)]
        if self.allow_errors:
            return []
        return [
            p
            for f in self.report.files
            if (f.plan_id, f.period) == job.pair
            for p in f.problems(f.errors)
        ]


def read_batch(
    jobs: Sequence[ReportJob],
    paths: Sequence[Path],
    archive: Path | str | None = None,
    allow_errors: bool = False,
) -> BatchData:
    """Check every workbook at ``paths`` once and group them by the jobs' (plan, period).

    A single plan or period is applied to every workbook, as for one report (then workbooks of
    another period are errors); otherwise each workbook's ``_meta`` says where it belongs and
    workbooks of pairs no job asked for are skipped with a notice. Raises IntakeError when a
    workbook cannot be read or placed at all: it might belong to any of the reports.

    ``allow_errors`` (report --allow-errors): values with errors count as 未填报 and the errors
    go into each dataset's ``problems`` (the report's 数据问题清单); with one plan and period an
    unreadable workbook is listed there too instead of stopping the run.
    """
    plans = {job.plan.id: job.plan for job in jobs}
    periods = {job.period.key: job.period for job in jobs}
    only_plan = next(iter(plans.values())) if len(plans) == 1 else None
    only_period = next(iter(periods.values())) if len(periods) == 1 else None
    report = check_files(list(paths), only_plan, only_period, previous_values(archive))
    unplaced = [f for f in report.files if not (f.ok or (f.plan_id and f.period))]
    single = only_plan is not None and only_period is not None
    if unplaced and not (allow_errors and single):
        problems = report.errors
        if not single:
            problems.append(Problem("--data", ROUTING_HINT))
        raise IntakeError(problems)
    wanted = {job.pair for job in jobs}
    data = BatchData(report, allow_errors=allow_errors)
    for dataset in report.datasets:
        pair = (dataset.plan_id, dataset.period)
        if pair in wanted:
            group = [f for f in report.files if (f.plan_id, f.period) == pair]
            kept = despite_errors(dataset, [*group, *unplaced]) if allow_errors else dataset
            data.datasets[pair] = kept
    other = Counter(
        (f.plan_id, f.period) for f in report.files if (f.plan_id, f.period) not in wanted
    )
    if other:
        data.notices.append(f"已跳过不属于本次报告的填报表：{_pairs_text(other)}。")
    return data


def _not_found(job: ReportJob, report: CheckReport) -> Problem:
    found = Counter((f.plan_id, f.period) for f in report.files if f.plan_id and f.period)
    listing = f"--data 中的填报表属于：{_pairs_text(found)}。" if found else ""
    return Problem(
        "--data",
        f"没有找到方案“{job.plan.id}”{job.period.label}（{job.period.key}）的填报表。"
        f"{listing}请检查 --period 和 --data。",
    )


def _pairs_text(counts: Counter[tuple[Any, Any]]) -> str:
    return "、".join(
        f"{plan} {period}（{n} 个文件）" for (plan, period), n in sorted(counts.items())
    )


def make_reports(
    jobs: Sequence[ReportJob],
    data: BatchData,
    options: ReportOptions | None = None,
    archive: Path | str | None = None,
    note: str | None = None,
    workers: int | None = None,
) -> Iterator[JobOutcome]:
    """Run every job on the workbooks ``data`` (see read_batch); yield outcomes as they finish.

    Progress and the archive comparison are worked out once per (plan, period), whatever the
    number of report kinds. A job that fails (no or invalid workbooks, a render error) does not
    stop the others; reports already written stay. ``workers`` processes render in parallel
    (default: one per idle CPU, at most MAX_WORKERS, and only from MIN_PARALLEL_JOBS jobs on); jobs
    that archive or convert to PDF run one after another, in time order, so 较上期 sees the
    periods archived before it.
    """
    options = checked_options(options)
    runnable: list[ReportJob] = []
    for job in jobs:
        problems = data.problems_for(job)
        if problems:
            yield JobOutcome(job, problems=tuple(problems), error=IntakeError)
        else:
            runnable.append(job)
    figures = _FiguresOnce(runnable, data, archive)
    count = _worker_count(workers, len(runnable))
    if count > 1 and not options.pdf and not any(job.store for job in runnable):
        ready = [(job, figures.get(job)) for job in runnable]  # the pool's jobs archive nothing
        yield from _in_pool(ready, options, archive, note, count)
    else:
        for job in runnable:
            yield run_job(job, figures.get(job), options, archive, note)


class _FiguresOnce:
    """Each (plan, period)'s figures, made when its first job needs them (after the periods
    before it were archived), or the error that stopped them."""

    def __init__(
        self, jobs: Sequence[ReportJob], data: BatchData, archive: Path | str | None
    ) -> None:
        self._data, self._archive = data, archive
        self._history = {job.pair for job in jobs if job.kind == "midterm"}
        self._made: dict[PairKey, PairFigures | ReportgenError] = {}

    def get(self, job: ReportJob) -> PairFigures | ReportgenError:
        if job.pair not in self._made:
            dataset = self._data.datasets[job.pair]
            history = job.pair in self._history
            try:
                made: PairFigures | ReportgenError = pair_figures(
                    job.plan, job.period, dataset, self._archive, history
                )
            except ReportgenError as exc:
                made = exc
            self._made[job.pair] = made
        return self._made[job.pair]


def run_job(
    job: ReportJob,
    figures: PairFigures | ReportgenError,
    options: ReportOptions,
    archive: Path | str | None,
    note: str | None,
) -> JobOutcome:
    """One job of a batch; user errors become the outcome's problems.

    A rendered document's parts and package refer to each other, so only the cycle collector
    frees them; the young generations are collected after each job, so a batch in a process
    that collects seldom (the CLI's ``GC_THRESHOLDS``) holds one document at a time, not all.
    """
    try:
        if isinstance(figures, ReportgenError):
            raise figures
        run = render_job(job, figures, options, archive, note)
    except ReportgenError as exc:
        return JobOutcome(job, problems=tuple(exc.problems), error=type(exc))
    finally:
        gc.collect(1)
    return JobOutcome(job, run)


def _worker_count(workers: int | None, jobs: int) -> int:
    if workers is not None:
        return max(1, workers)
    if jobs < MIN_PARALLEL_JOBS:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(idle_cores(cpus or 1), MAX_WORKERS, jobs))


def idle_cores(cpus: int) -> int:
    """The cores not busy with other processes (load average over the last minute), rounded.

    A second worker on a core another process keeps busy only adds start-up cost.
    """
    try:
        load = os.getloadavg()[0]
    except OSError:  # not available on this platform
        return cpus
    return max(1, round(cpus - load))


def _in_pool(
    runnable: list[tuple[ReportJob, PairFigures | ReportgenError]],
    options: ReportOptions,
    archive: Path | str | None,
    note: str | None,
    workers: int,
) -> Iterator[JobOutcome]:
    """Run the jobs in ``workers`` processes; yield outcomes in the order they finish."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = _pool_context()
    if context.get_start_method() == "fork":
        _warm_up()  # forked workers inherit the loaded render libraries
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        futures: list[Future[JobOutcome]] = [
            pool.submit(run_job, job, figures, options, archive, note) for job, figures in runnable
        ]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool_context() -> BaseContext:
    """fork on Linux (workers start at once with everything loaded); the default elsewhere.

    The caller must not run other threads while the pool starts (a rich progress bar with
    ``auto_refresh=False`` is fine).
    """
    import multiprocessing

    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _warm_up() -> None:
    """Load what every report needs (docxtpl, the chart writer), once, before the workers fork."""
    from docxtpl import DocxTemplate  # noqa: F401

    from reportgen.render import chartxml  # noqa: F401
