"""The snapshot archive: add, list, get, compare, export and verify archived periods."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from types import TracebackType

from reportgen.archive.snapshot import Snapshot, SnapshotInfo, checksum, draft, text_hash
from reportgen.archive.store import SqliteStore
from reportgen.compare import (
    History,
    HistoryPoint,
    IndicatorChange,
    indicator_changes,
    period_order,
)
from reportgen.errors import ArchiveError, Problem
from reportgen.locations import ARCHIVE_ENV, default_archive, outputs_dir
from reportgen.periods import Kind, Period, parse_period
from reportgen.plan import Plan
from reportgen.progress import ProgressResult
from reportgen.records import Dataset

ENV_VAR = ARCHIVE_ENV
DEFAULT_PATH = outputs_dir() / "archive.sqlite"


def archive_path(path: Path | str | None = None) -> Path:
    """The archive file: ``path`` if given, else $REPORTGEN_ARCHIVE, else outputs/archive.sqlite."""
    if path:
        return Path(path)
    return Path(default_archive())


def _where(info: SnapshotInfo) -> str:
    return f"{info.plan_id} {info.period_key} 第{info.version}版"


class Archive:
    """An archive file of immutable snapshots (see docs/archive.md)."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    @classmethod
    def open(cls, path: Path | str | None = None, *, readonly: bool = False) -> Archive:
        """Open (and, unless ``readonly``, create or upgrade) the archive at ``archive_path(path)``."""
        return cls(SqliteStore.open(archive_path(path), readonly=readonly))

    @classmethod
    def open_existing(cls, path: Path | str | None = None) -> Archive | None:
        """The archive opened read-only, or None when there is no archive file (no 上期数据)."""
        target = archive_path(path)
        return cls.open(target, readonly=True) if target.exists() else None

    @property
    def path(self) -> Path:
        return self._store.path

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def add(
        self,
        plan: Plan,
        period: Period,
        dataset: Dataset,
        result: ProgressResult,
        note: str | None = None,
    ) -> SnapshotInfo:
        """Archive one period as the next version of ``plan`` + ``period`` (one transaction)."""
        snapshot = draft(plan, period, dataset, result, note)
        return self._store.insert_snapshot(snapshot, plan.canonical_json)

    def snapshots(self, plan_id: str | None = None) -> list[SnapshotInfo]:
        """Snapshot headers by plan, period (in time order) and version."""
        infos = self._store.snapshots(plan_id)
        return sorted(infos, key=lambda i: (i.plan_id, period_order(i.period), i.version))

    def get(self, plan_id: str, period: str | Period, version: int | None = None) -> Snapshot:
        """A snapshot (the latest version unless ``version``); ArchiveError when absent."""
        key = _key(period)
        if version is None:
            info = self._store.latest(plan_id, key)
        else:
            info = self._store.find(plan_id, key, version)
        if info is None:
            raise ArchiveError(self._absent(plan_id, key, version))
        return self._store.snapshot(info)

    def latest(self, plan_id: str, period: str | Period) -> Snapshot | None:
        """The latest version of a period, or None when it was never archived."""
        info = self._store.latest(plan_id, _key(period))
        return self._store.snapshot(info) if info else None

    def previous(self, plan_id: str, period: Period) -> Snapshot | None:
        """The latest version of the period of the same kind before ``period`` (for 较上期)."""
        return self.latest(plan_id, period.previous())

    def diff(self, plan_id: str, a: str, b: str) -> list[IndicatorChange]:
        """Per-indicator change from ``a`` to ``b``: period keys, optionally ``2024-Q2@1``."""
        before, after = (self.get(plan_id, *_ref(ref)) for ref in (a, b))
        return indicator_changes(before.indicators, after.indicators)

    def history(
        self, plan_id: str, indicator_id: str | None = None, kind: Kind | None = None
    ) -> History:
        """Indicator × period (latest version of each period, in time order)."""
        # list() sorts by period, then version: keys keep time order and the last version wins
        latest: dict[str, SnapshotInfo] = {}
        for info in self._require(plan_id):
            if kind is None or info.period.kind == kind:
                latest[info.period_key] = info
        points = []
        for info in latest.values():
            figures = {i.id: i for i in self._store.indicators(info.id)}
            if indicator_id is not None:
                figures = {k: v for k, v in figures.items() if k == indicator_id}
            points.append(HistoryPoint(info.period, info.version, figures))
        if indicator_id is not None and not any(p.indicators for p in points):
            raise ArchiveError(Problem(plan_id, f"归档中没有指标 {indicator_id} 的数据。"))
        return History(plan_id, tuple(points))

    def export(self, plan_id: str, out: Path | str) -> Path:
        """Every snapshot of a plan to ``out`` (.xlsx or .json), written atomically."""
        from reportgen.archive.export import export_snapshots  # openpyxl is slow to import

        snapshots = [self._store.snapshot(i) for i in self._require(plan_id)]
        return export_snapshots(plan_id, snapshots, Path(out))

    def plan(self, info: SnapshotInfo) -> Plan:
        """The plan exactly as it was when the snapshot was taken."""
        content = self._store.plan_content(info.plan_hash)
        if content is None:
            raise ArchiveError(Problem(_where(info), "归档中缺少该快照对应的方案内容。"))
        return Plan.model_validate(json.loads(content))

    def verify(self) -> list[Problem]:
        """Every checksum recomputed from the stored rows; every problem found (empty = intact)."""
        here = str(self.path)
        problems = [
            Problem(here, f"数据库完整性检查未通过：{m}") for m in self._store.integrity_problems()
        ]
        if problems:
            return problems
        problems += [Problem(here, m) for m in self._store.orphan_problems()]
        previous = ""
        versions: dict[tuple[str, str], list[int]] = defaultdict(list)
        for info in self._store.snapshots():
            problems += self._check(info, previous)
            previous = info.checksum
            versions[info.plan_id, info.period_key].append(info.version)
        for (plan_id, key), numbers in versions.items():
            if sorted(numbers) != list(range(1, len(numbers) + 1)):
                problems.append(Problem(f"{plan_id} {key}", "版本号不连续：有快照被删除过。"))
        for plan_hash, content in self._store.plan_contents():
            if text_hash(content) != plan_hash:
                problems.append(
                    Problem(here, f"方案内容 {plan_hash[:12]}… 与其哈希不符：被修改过。")
                )
        return problems

    def _check(self, info: SnapshotInfo, previous: str) -> list[Problem]:
        problems = []
        try:
            intact = checksum(self._store.snapshot(info)) == info.checksum
        except (ValueError, TypeError):
            intact = False
        if not intact:
            problems.append(
                Problem(
                    _where(info),
                    "内容与校验和不符：归档后被修改过。请从备份恢复该快照，或重新归档该期数据。",
                )
            )
        if info.previous_checksum != previous:
            problems.append(
                Problem(_where(info), "与前一个快照的校验链接不符：之前的快照被删除或修改过。")
            )
        return problems

    def _require(self, plan_id: str) -> list[SnapshotInfo]:
        infos = self.snapshots(plan_id)
        if not infos:
            known = "、".join(sorted({i.plan_id for i in self._store.snapshots()})) or "（无）"
            raise ArchiveError(
                Problem(str(self.path), f"归档中没有方案 {plan_id} 的快照。已归档的方案：{known}。")
            )
        return infos

    def _absent(self, plan_id: str, key: str, version: int | None) -> Problem:
        infos = self._require(plan_id)
        periods = "、".join(dict.fromkeys(i.period_key for i in infos))
        if version is not None and any(i.period_key == key for i in infos):
            count = sum(i.period_key == key for i in infos)
            return Problem(plan_id, f"{key} 没有第{version}版（共 {count} 个版本）。")
        return Problem(plan_id, f"归档中没有报告期 {key} 的快照。已归档的报告期：{periods}。")


def _key(period: str | Period) -> str:
    return period.key if isinstance(period, Period) else parse_period(period).key


def _ref(text: str) -> tuple[str, int | None]:
    """'2024-Q2' -> ('2024-Q2', None); '2024-Q2@1' -> ('2024-Q2', 1)."""
    key, _, version = text.partition("@")
    if not version:
        return _key(key), None
    if not version.isdigit() or int(version) < 1:
        raise ArchiveError(Problem(text, "版本号须为正整数，例如 2024-Q2@1。"))
    return _key(key), int(version)
