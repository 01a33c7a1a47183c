"""Snapshots: one plan's figures for one period, frozen, with a checksum over their content.

The checksum is sha256 over a canonical JSON form of every field except the database id and the
checksum itself. It is recomputed from the stored rows by ``Archive.verify``, so any value changed
behind the tool's back shows up.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any, TypeVar

from reportgen.errors import ArchiveError, Problem
from reportgen.periods import Period, parse_period
from reportgen.plan import Plan
from reportgen.progress import IndicatorProgress, ProgressResult, TaskProgress
from reportgen.records import Dataset, TaskRecord, ValueRecord

_Record = TypeVar("_Record", ValueRecord, IndicatorProgress)
# IndicatorProgress fields held as floats (plans may give targets as ints: 80 and 80.0 must hash alike)
INDICATOR_FLOATS = (
    "actual",
    "target",
    "expected",
    "completion",
    "time_progress",
    "gap_pp",
    "final_target",
    "final_completion",
    "projected_final",
)


@dataclass(frozen=True)
class ArchivedFile:
    """A workbook a snapshot was made from (its name, not its machine-local path)."""

    name: str
    sha256: str
    size: int
    department: str | None


@dataclass(frozen=True)
class Void:
    """A snapshot withdrawn from use: who, why and when (the snapshot itself stays)."""

    snapshot_id: int
    voided_by: str
    reason: str
    created_at: str
    previous_checksum: str = ""
    checksum: str = ""
    id: int = 0

    def sealed(self, snapshot_checksum: str) -> Void:
        """With its checksum, over its fields and the voided snapshot's checksum."""
        return replace(self, checksum=void_checksum(self, snapshot_checksum))


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot's header: which plan, period and version, when, and its checksum."""

    plan_id: str
    plan_title: str
    plan_hash: str
    period_key: str
    as_of: date
    version: int
    created_at: str
    note: str | None
    previous_checksum: str
    checksum: str
    id: int = 0
    indicator_count: int = 0
    void: Void | None = None

    @property
    def period(self) -> Period:
        """The archived period, measured at the archived as-of date."""
        return stored_period(self.period_key, self.as_of)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


@dataclass(frozen=True)
class Snapshot:
    """Everything archived for one plan, period and version."""

    info: SnapshotInfo
    files: tuple[ArchivedFile, ...] = ()
    values: tuple[ValueRecord, ...] = ()
    tasks: tuple[TaskRecord, ...] = ()
    indicators: tuple[IndicatorProgress, ...] = ()
    task_progress: tuple[TaskProgress, ...] = ()
    warnings: tuple[Problem, ...] = ()
    missing_departments: tuple[str, ...] = ()

    def indicator_progress(self) -> dict[str, IndicatorProgress]:
        """Indicator id -> the figures computed when the snapshot was taken."""
        return {i.id: i for i in self.indicators}

    def value_records(self) -> dict[str, ValueRecord]:
        """Indicator id -> the reported value with its source cell."""
        return {v.indicator_id: v for v in self.values}

    def to_json(self) -> dict[str, Any]:
        """The whole snapshot as JSON-safe data (unrounded floats, ISO dates)."""
        data: dict[str, Any] = json.loads(_dumps(_content(self)))
        info = self.info
        void = asdict(info.void) if info.void else None
        data["info"].update(id=info.id, checksum=info.checksum, void=void)
        return data


_PARTS = tuple(name for name in Snapshot.__dataclass_fields__ if name != "info")


def draft(
    plan: Plan,
    period: Period,
    dataset: Dataset,
    result: ProgressResult,
    note: str | None,
) -> Snapshot:
    """A snapshot of ``result`` and ``dataset``, not yet versioned, dated or checksummed."""
    _check_consistent(plan, period, dataset, result)
    info = SnapshotInfo(
        plan_id=plan.id,
        plan_title=plan.title,
        plan_hash=plan.content_hash,
        period_key=period.key,
        as_of=period.as_of,
        version=0,
        created_at="",
        note=note or None,
        previous_checksum="",
        checksum="",
    )
    return Snapshot(
        info=info,
        files=tuple(ArchivedFile(f.name, f.sha256, f.size, f.department) for f in dataset.files),
        values=tuple(_normal_value(v) for v in dataset.values.values()),
        tasks=tuple(t for records in dataset.tasks.values() for t in records),
        indicators=tuple(_floats(i.archived(), INDICATOR_FLOATS) for i in result.indicators),
        task_progress=tuple(result.tasks),
        warnings=tuple(dataset.warnings),
        missing_departments=tuple(dataset.missing_departments),
    )


def seal(snapshot: Snapshot, version: int, created_at: str, previous_checksum: str) -> Snapshot:
    """The draft with its version, creation time and chain link set, and its checksum."""
    info = replace(
        snapshot.info,
        version=version,
        created_at=created_at,
        previous_checksum=previous_checksum,
        checksum="",
    )
    sealed = replace(snapshot, info=info)
    return replace(sealed, info=replace(info, checksum=checksum(sealed)))


def checksum(snapshot: Snapshot) -> str:
    """sha256 (hex) of the snapshot's canonical JSON form."""
    return text_hash(_dumps(_content(snapshot)))


def void_checksum(void: Void, snapshot_checksum: str) -> str:
    """sha256 (hex) of a void's canonical JSON form, bound to the voided snapshot's checksum."""
    content = _record(void)
    del content["checksum"], content["id"]
    content["snapshot_checksum"] = snapshot_checksum
    return text_hash(_dumps(content))


def text_hash(text: str) -> str:
    """sha256 (hex) of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _content(snapshot: Snapshot) -> dict[str, Any]:
    """Every checksummed field as plain data (shallow: records hold only scalars and lists)."""
    info = _record(snapshot.info)
    for derived in ("id", "checksum", "indicator_count", "void"):
        del info[derived]
    data: dict[str, Any] = {"info": info}
    for name in _PARTS:
        items = getattr(snapshot, name)
        data[name] = [_record(i) if hasattr(i, "__dataclass_fields__") else i for i in items]
    return data


def _record(item: Any) -> dict[str, Any]:
    """A dataclass instance as a dict (``dataclasses.asdict`` without its deep copies)."""
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def _dumps(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, exact float repr, NaN refused."""
    return json.dumps(
        data,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
        default=_iso,
    )


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# Keys written before periods had four-digit years: "5-Q2" for year 5 (now "0005-Q2").
_SHORT_YEAR = re.compile(r"(\d{1,3})((?:-.*)?)", re.S)


def canonical_key(key: str) -> str:
    """A stored period key in today's canonical form (older short-year keys padded)."""
    short = _SHORT_YEAR.fullmatch(key)
    return f"{int(short[1]):04d}{short[2]}" if short else key


def lookup_keys(key: str) -> tuple[str, ...]:
    """Every stored form of a canonical key: itself and, for years below 1000, the older form."""
    year, _, rest = key.partition("-")
    legacy = f"{int(year)}" + (f"-{rest}" if rest else "") if year.isdigit() else key
    return (key,) if legacy == key else (key, legacy)


@functools.lru_cache(maxsize=4096)
def stored_period(key: str, as_of: date | None = None) -> Period:
    """The period of a stored key (older short-year keys included); cached, as listing
    thousands of snapshots asks for the same few periods again and again."""
    period = parse_period(canonical_key(key))
    # as stored: older releases accepted any as-of date, and an archive is read as it was written
    return period if as_of is None else period.with_as_of(as_of)


def _normal_value(record: ValueRecord) -> ValueRecord:
    """A float value and a plain date (a spreadsheet may give a datetime)."""
    record = _floats(record, ("value",))
    if isinstance(record.as_of, datetime):
        record = replace(record, as_of=record.as_of.date())
    return record


def _floats(record: _Record, names: tuple[str, ...]) -> _Record:
    """Numbers as the floats the archive stores (an int target 80 must hash as 80.0)."""
    changes: dict[str, Any] = {
        name: float(value)
        for name in names
        if (value := getattr(record, name)) is not None and type(value) is not float
    }
    return replace(record, **changes) if changes else record


def _check_consistent(plan: Plan, period: Period, dataset: Dataset, result: ProgressResult) -> None:
    problems = []
    if dataset.plan_id != plan.id or result.plan.id != plan.id:
        problems.append(
            Problem(
                "",
                f"数据属于方案 {dataset.plan_id}，结果属于方案 {result.plan.id}，"
                f"与要归档的方案 {plan.id} 不一致，未归档。",
            )
        )
    if dataset.period != period.key or result.period.key != period.key:
        problems.append(
            Problem(
                "",
                f"数据的报告期 {dataset.period}、结果的报告期 {result.period.key} "
                f"与要归档的报告期 {period.key} 不一致，未归档。",
            )
        )
    if problems:
        raise ArchiveError(problems)
