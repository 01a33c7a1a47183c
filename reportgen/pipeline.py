"""The whole path for one report: returned workbooks → progress → Word report (→ archive).

The CLI's `report` and `demo` commands call this; it is the Python form of `reportgen report`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.intake import load_dataset
from reportgen.periods import Period
from reportgen.plan import Plan
from reportgen.progress import IndicatorProgress, ProgressResult, compute_progress
from reportgen.records import Dataset
from reportgen.render import Kind, RenderWarning, ReportOptions, render_report

OUTPUTS = Path("outputs")


@dataclass(frozen=True)
class ArchivedPeriod:
    """One archived period's figures, as the midterm trend needs them."""

    indicators: tuple[IndicatorProgress, ...]


@dataclass(frozen=True)
class ReportRun:
    """What one report run produced."""

    result: ProgressResult
    dataset: Dataset
    out: Path
    notices: list[str]
    snapshot_version: int | None = None


def default_output(plan: Plan, period: Period, kind: Kind) -> Path:
    """outputs/<plan>/<period>/<kind>.docx"""
    return OUTPUTS / plan.id / period.key / f"{kind}.docx"


def archive_inputs(
    plan: Plan, period: Period, kind: Kind, archive: Path | None
) -> tuple[dict[str, IndicatorProgress] | None, list[tuple[str, ArchivedPeriod]] | None]:
    """较上期 figures (previous period of the same kind) and, for midterm, the quarterly history.

    Both are None when there is no archive file: the report then says 无上期数据.
    """
    from reportgen.archive import Archive

    store = Archive.open_existing(archive)
    if store is None:
        return None, None
    with store:
        if not store.list(plan.id):
            return None, None
        previous = store.previous(plan.id, period)
        history = None
        if kind == "midterm":
            points = store.history(plan.id, kind="quarter").points
            history = [
                (p.period.key, ArchivedPeriod(tuple(p.indicators.values())))
                for p in points
                if p.period.start < period.start
            ]
    return (previous.indicator_progress() if previous else None), history


def make_report(
    plan: Plan,
    period: Period,
    paths: Sequence[Path],
    kind: Kind,
    out: Path | None = None,
    options: ReportOptions | None = None,
    archive: Path | None = None,
    store: bool = False,
    note: str | None = None,
) -> ReportRun:
    """Read ``paths``, compute progress, render the ``kind`` report; archive it when ``store``.

    The archive at ``archive`` (default $REPORTGEN_ARCHIVE or outputs/archive.sqlite) supplies
    较上期 and history when it exists.
    """
    dataset = load_dataset(plan, period, list(paths))
    result = compute_progress(plan, dataset, period)
    previous, history = archive_inputs(plan, period, kind, archive)
    options = replace(options or ReportOptions(), previous=previous, history=history)
    target = out or default_output(plan, period, kind)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RenderWarning)
        written = render_report(result, kind, target, options)
    notices = [str(w) for w in dataset.warnings] + [str(w.message) for w in caught]
    version = None
    if store:
        from reportgen.archive import Archive

        with Archive.open(archive) as opened:
            version = opened.add(plan, period, dataset, result, note=note).version
    return ReportRun(result, dataset, written, notices, version)
