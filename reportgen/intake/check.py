"""Checking and loading many workbooks: the library behind `reportgen check` and every `--data`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

from reportgen.errors import (
    IntakeError,
    LimitError,
    PeriodError,
    PlanError,
    Problem,
    ReportgenError,
)
from reportgen.intake.contact import contact_issues, read_contact
from reportgen.intake.merge import despite_errors, merge, record_count
from reportgen.intake.meta import Meta, read_meta
from reportgen.intake.reader import (
    SPREADSHEET_SUFFIXES,
    RawWorkbook,
    display_name,
    escaped_text,
    find_workbooks,
    read_workbook,
)
from reportgen.intake.result import CheckReport, FileResult, Issue
from reportgen.intake.validate import check_workbook
from reportgen.limits import Limits, current_limits
from reportgen.periods import Period, parse_period
from reportgen.plan import Plan, load_plan
from reportgen.records import Dataset

# (plan, period) -> the last archived period's values by indicator id
PreviousValues = Callable[[Plan, Period], Mapping[str, float]]


def load_dataset(
    plan: Plan,
    period: Period,
    paths: list[Path],
    previous: PreviousValues | None = None,
    allow_errors: bool = False,
) -> Dataset:
    """The merged Dataset of the workbooks at ``paths`` (files or folders) for ``plan``/``period``.

    Raises IntakeError listing every problem of every file; warnings go into Dataset.warnings.
    ``allow_errors``: instead, values with errors count as 未填报 and every error is listed in
    ``Dataset.problems`` (see ``merge.despite_errors``).
    """
    report = check_files(paths, plan, period, previous)
    if allow_errors:
        dataset = report.datasets[0] if report.datasets else Dataset(plan.id, period.key)
        return despite_errors(dataset, report.files)
    if not report.ok:
        raise IntakeError(report.errors)
    return report.datasets[0]


def check_files(
    paths: list[Path],
    plan: Plan | None = None,
    period: Period | None = None,
    previous: PreviousValues | None = None,
) -> CheckReport:
    """Check every workbook at ``paths``; the plan and period default to each file's _meta.

    ``previous(plan, period)`` gives the last archived values by indicator id (for the
    warning about a cumulative value that fell); without it that check is skipped.
    """
    found = find_workbooks([Path(p) for p in paths])
    files = found.files
    if not files:
        where = "、".join(str(p) for p in paths)
        none = f"没有找到要检查的表格文件（{'/'.join(SPREADSHEET_SUFFIXES)}）。请检查路径。"
        raise IntakeError([Problem(where, none), *found.skipped])
    limits = current_limits()
    resolver = _Resolver(plan, period, previous)
    displays = _display_names(files)
    results = [_check_one(path, displays[path], resolver, limits) for path in files]
    datasets = []
    for (plan_id, period_key), group in _groups(results).items():
        merged = merge(resolver.plans[plan_id], resolver.periods[period_key], group)
        results = merged.with_conflicts(results)
        merged.dataset.warnings.extend(found.skipped)  # the report names files not read
        datasets.append(merged.dataset)
    missing = [d for ds in datasets for d in ds.missing_departments]
    return CheckReport(
        files=results,
        missing_departments=list(dict.fromkeys(missing)),
        records=sum(record_count(ds) for ds in datasets),
        datasets=datasets,
        skipped=found.skipped,
    )


class _Resolver:
    """Finds each file's plan and period: given on the command line, else from its _meta."""

    def __init__(
        self, plan: Plan | None, period: Period | None, previous: PreviousValues | None
    ) -> None:
        self.plan = plan
        self.period = period
        self.previous = previous
        self.previous_values: dict[tuple[str, str], Mapping[str, float]] = {}
        self.plans: dict[str, Plan] = {plan.id: plan} if plan else {}
        self.periods: dict[str, Period] = {period.key: period} if period else {}
        self.by_ref: dict[str, Plan] = {}  # catalog id in _meta -> plan

    def plan_for(self, meta: Meta | None) -> Plan:
        if self.plan is not None:
            return self.plan
        if meta is None:
            raise IntakeError(
                "缺少隐藏的 _meta 工作表，无法判断这是哪个方案的填报表。"
                "请用 --plan 指定方案（必要时再用 --period 指定报告期）。"
            )
        if meta.plan_id not in self.by_ref:
            try:
                self.by_ref[meta.plan_id] = load_plan(meta.plan_id)
            except PlanError as exc:
                reasons = "；".join(p.message for p in exc.problems)
                raise IntakeError(
                    f"本表对应的方案“{meta.plan_id}”无法载入（{reasons}）。请用 --plan 指定方案文件。"
                ) from None
        plan = self.by_ref[meta.plan_id]
        return self.plans.setdefault(plan.id, plan)

    def previous_for(self, plan: Plan, period: Period) -> Mapping[str, float]:
        """The last archived values for (plan, period), looked up once per pair."""
        if self.previous is None:
            return {}
        key = (plan.id, period.key)
        if key not in self.previous_values:
            self.previous_values[key] = self.previous(plan, period)
        return self.previous_values[key]

    def period_for(self, meta: Meta | None) -> Period:
        if self.period is not None:
            return self.period
        if meta is None:
            raise IntakeError("缺少隐藏的 _meta 工作表，无法判断报告期。请用 --period 指定报告期。")
        try:
            period = parse_period(meta.period)
        except PeriodError as exc:
            raise IntakeError(
                f"_meta 中的报告期“{meta.period}”无效（{exc}）。请用 --period 指定报告期。"
            ) from None
        return self.periods.setdefault(period.key, period)


def _check_one(path: Path, display: str, resolver: _Resolver, limits: Limits) -> FileResult:
    try:
        raw = read_workbook(path, display, limits)
        meta = read_meta(raw)
        plan = resolver.plan_for(meta)
        period = resolver.period_for(meta)
    except ReportgenError as exc:
        return _file_error(path, display, exc)
    previous = resolver.previous_for(plan, period)
    try:
        return check_raw(raw, plan, period, meta, previous)
    except (IntakeError, LimitError) as exc:  # a sheet is read when the checks first use it
        return _file_error(path, display, exc)


def _file_error(path: Path, display: str, exc: ReportgenError) -> FileResult:
    return FileResult(path, display, errors=[Issue("", "", p.message) for p in exc.problems])


def check_raw(
    raw: RawWorkbook,
    plan: Plan,
    period: Period,
    meta: Meta | None,
    previous: Mapping[str, float] | None = None,
) -> FileResult:
    """Every problem of one workbook already read, with its 填报人/联系电话 when it has them.

    ``previous``: last period's archived values by indicator id, for the plausibility checks.
    Raises IntakeError/LimitError when a sheet read on first use turns out unreadable.
    """
    result = check_workbook(raw, plan, period, meta, previous)
    contact = read_contact(raw)
    if contact is not None:
        result.filler, result.phone = contact.filler, contact.phone
        result.warnings += contact_issues(contact)
    return result


def _groups(results: list[FileResult]) -> dict[tuple[str, str], list[FileResult]]:
    groups: dict[tuple[str, str], list[FileResult]] = {}
    for result in results:
        if result.plan_id and result.period:
            groups.setdefault((result.plan_id, result.period), []).append(result)
    return groups


def _display_names(files: list[Path]) -> dict[Path, str]:
    """The file name, or the whole path where two inputs share a name."""
    counts = Counter(f.name for f in files)
    return {f: display_name(f) if counts[f.name] == 1 else escaped_text(str(f)) for f in files}
