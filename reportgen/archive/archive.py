"""The snapshot archive: add, list, get, compare, export, void and verify archived periods."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from reportgen.archive import guard
from reportgen.archive.location import DEFAULT_PATH, ENV_VAR, locate
from reportgen.archive.snapshot import (
    Snapshot,
    SnapshotInfo,
    Void,
    canonical_key,
    draft,
)
from reportgen.compare import (
    History,
    HistoryPoint,
    IndicatorChange,
    indicator_changes,
    period_order,
)
from reportgen.errors import ArchiveError, Problem
from reportgen.fileio import os_reason, write_text
from reportgen.periods import Period, PeriodKind, parse_period
from reportgen.plan import Plan
from reportgen.progress import ProgressResult
from reportgen.records import Dataset

if TYPE_CHECKING:
    from reportgen.archive.store import SnapshotStore

__all__ = [
    "DEFAULT_PATH",
    "ENV_VAR",
    "VERIFY_SCOPE",
    "Archive",
    "append_receipt",
    "archive_path",
    "heads_from",
]

# What ``verify`` checks and what it cannot see (also printed by ``archive verify``).
VERIFY_SCOPE = (
    "校验范围：每个快照的内容与其校验和、快照之间的校验链（中间的快照被删除或改动会被发现）、"
    "同一期版本号的连续性、方案全文与其哈希、作废记录及其校验链、快照与子表的对应关系；"
    "SQLite 归档还检查数据库文件的页面完整性。"
    "不能发现：最新的一个或几个快照被整体删除，或有人按同样算法重新计算校验和后伪造了新的快照，"
    "除非用 --head 提供此前记下的链头凭据（archive add 和 archive head 会输出）。"
)
_HEAD = re.compile(r"(?<![0-9a-f])(\d+):([0-9a-f]{64})(?![0-9a-f])")


def archive_path(path: Path | str | None = None) -> Path | None:
    """The archive file (``path``, else $REPORTGEN_ARCHIVE, else outputs/archive.sqlite);
    None when the archive is a PostgreSQL database rather than a file."""
    return locate(path).path


def head_token(snapshot_id: int, snapshot_checksum: str) -> str:
    """The chain head as a receipt: '<id>:<checksum>' of the newest snapshot."""
    return f"{snapshot_id}:{snapshot_checksum}"


def parse_heads(text: str) -> list[tuple[int, str]]:
    """Every chain-head token in ``text`` (a token, a receipt file or a JSON export)."""
    return [(int(m[1]), m[2]) for m in _HEAD.finditer(text)]


def heads_from(text: str) -> list[tuple[int, str]]:
    """The tokens in ``text``, or else in the regular file it names; ArchiveError if none."""
    source = Path(text)
    if not parse_heads(text) and source.is_file():
        try:
            text = source.read_text("utf-8", errors="replace")
        except OSError as exc:
            raise ArchiveError(
                Problem(str(source), f"无法读取凭据文件（{os_reason(exc)}）。")
            ) from exc
    tokens = parse_heads(text)
    if not tokens:
        raise ArchiveError(
            Problem(
                text[:80], "没有找到链头凭据（格式：编号:64位校验和）。请检查 --head 的值或文件。"
            )
        )
    return tokens


def append_receipt(receipt: Path, info: SnapshotInfo) -> None:
    """Add a line naming ``info`` and the chain head it made to the text file ``receipt``."""
    try:
        old = receipt.read_text("utf-8") if receipt.is_file() else ""
    except OSError as exc:
        raise ArchiveError(
            Problem(str(receipt), f"无法读取凭据文件（{os_reason(exc)}）。")
        ) from exc
    line = "\t".join((info.created_at, info.plan_id, info.period_key, f"第{info.version}版",
                      head_token(info.id, info.checksum)))  # fmt: skip
    write_text(receipt, old + line + "\n")


def _where(info: SnapshotInfo) -> str:
    return f"{info.plan_id} {info.period_key} 第{info.version}版"


class Archive:
    """An archive of immutable snapshots, in a SQLite file or PostgreSQL (see docs/archive.md)."""

    def __init__(self, store: SnapshotStore) -> None:
        self._store = store

    @classmethod
    def open(cls, path: Path | str | None = None, *, readonly: bool = False) -> Archive:
        """Open (and, unless ``readonly``, create or upgrade) the archive at ``path``: a file,
        ``sqlite:///…`` or ``postgresql://…``; default $REPORTGEN_ARCHIVE, else
        outputs/archive.sqlite."""
        from reportgen.archive.store import SnapshotStore  # SQLAlchemy only when needed

        return cls(SnapshotStore.open(path, readonly=readonly))

    @classmethod
    def open_existing(cls, path: Path | str | None = None) -> Archive | None:
        """The archive opened read-only, or None when there is none yet (no 上期数据)."""
        location = locate(path)
        if location.path is not None and not location.path.exists():
            return None
        try:
            return cls.open(path, readonly=True)
        except guard.Uninitialised:
            return None

    @property
    def path(self) -> Path | None:
        """The archive file, or None for a PostgreSQL archive."""
        return self._store.db.location.path

    @property
    def location(self) -> str:
        """The file path or the database URL (password hidden), for messages."""
        return self._store.db.location.display

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
        if period.start == date.min:
            return None  # nothing comes before year 1
        return self.latest(plan_id, period.previous())

    def diff(self, plan_id: str, a: str, b: str) -> list[IndicatorChange]:
        """Per-indicator change from ``a`` to ``b``: period keys, optionally ``2024-Q2@1``."""
        before, after = (self.get(plan_id, *_ref(ref)) for ref in (a, b))
        return indicator_changes(before.indicators, after.indicators)

    def history(
        self, plan_id: str, indicator_id: str | None = None, kind: PeriodKind | None = None
    ) -> History:
        """Indicator × period (latest version of each period, in time order)."""
        # list() sorts by period, then version: keys keep time order and the last version wins
        latest: dict[str, SnapshotInfo] = {}
        for info in self._require(plan_id):
            if info.void is None and (kind is None or info.period.kind == kind):
                latest[canonical_key(info.period_key)] = info
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

        snapshots = [self._store.snapshot(i) for i in self._require(plan_id)]  # checked reads
        return export_snapshots(plan_id, snapshots, Path(out), self.head())

    def plan(self, info: SnapshotInfo) -> Plan:
        """The plan exactly as it was when the snapshot was taken."""
        content = self._store.plan_content(info.plan_hash)
        if content is None:
            raise ArchiveError(Problem(_where(info), "归档中缺少该快照对应的方案内容。"))
        return Plan.model_validate(json.loads(content))

    def head(self) -> str | None:
        """The chain-head token of the newest snapshot (keep it outside: ``verify(heads)``)."""
        head = self._store.head()
        return head_token(*head) if head else None

    def void(
        self, plan_id: str, period: str | Period, version: int, voided_by: str, reason: str
    ) -> Void:
        """Withdraw one snapshot: it stays (append-only), but 较上期 and history skip it."""
        key = _key(period)
        info = self._store.find(plan_id, key, version)
        if info is None:
            raise ArchiveError(self._absent(plan_id, key, version))
        if info.void is not None:
            raise ArchiveError(
                Problem(
                    _where(info),
                    f"该快照已于 {info.void.created_at} 由 {info.void.voided_by} 作废"
                    f"（原因：{info.void.reason}），无需重复作废。",
                )
            )
        for text, what in ((voided_by, "作废人（--by）"), (reason, "作废原因（--reason）")):
            if not text.strip():
                raise ArchiveError(Problem(_where(info), f"{what}不能为空。请写明谁、为什么作废。"))
        if not self._store.has_voids:
            raise ArchiveError(
                Problem(self.location, "归档结构版本过旧。请先运行 reportgen archive upgrade。")
            )
        return self._store.insert_void(info, voided_by.strip(), reason.strip())

    def verify(self, heads: Iterable[tuple[int, str]] = ()) -> list[Problem]:
        """Every checksum recomputed from the stored rows, and each chain head given still
        present (see VERIFY_SCOPE); every problem found (empty = intact)."""
        from reportgen.archive.verify import verify_store

        return verify_store(self._store, self.location, list(heads))

    def _require(self, plan_id: str) -> list[SnapshotInfo]:
        infos = self.snapshots(plan_id)
        if not infos:
            known = "、".join(sorted({i.plan_id for i in self._store.snapshots()})) or "（无）"
            raise ArchiveError(
                Problem(self.location, f"归档中没有方案 {plan_id} 的快照。已归档的方案：{known}。")
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
