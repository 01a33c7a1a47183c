"""Verifying an archive: the same checks, from the stored rows, on every backend.

What is checked and what cannot be seen is stated in ``VERIFY_SCOPE`` (archive.py) and
docs/archive.md. The chain proves order and completeness *up to its head*; only a head recorded
outside the database (a token from ``archive add`` / ``archive head``) proves nothing newer was
deleted.
"""

from __future__ import annotations

from collections import defaultdict

from reportgen.archive.snapshot import (
    SnapshotInfo,
    canonical_key,
    checksum,
    text_hash,
    void_checksum,
)
from reportgen.archive.store import SnapshotStore
from reportgen.errors import Problem

BATCH = 500  # snapshots read per round of queries


def verify_store(store: SnapshotStore, here: str, heads: list[tuple[int, str]]) -> list[Problem]:
    """Every problem found (empty = intact)."""
    problems = [Problem(here, f"数据库完整性检查未通过：{m}") for m in store.integrity_problems()]
    if problems:
        return problems
    problems += [Problem(here, m) for m in store.orphan_problems()]
    infos = store.snapshots()
    problems += _chain(store, infos)
    problems += _versions(infos)
    problems += _voids(store, {i.id: i for i in infos})
    for plan_hash, content in store.plan_contents():
        if text_hash(content) != plan_hash:
            problems.append(Problem(here, f"方案内容 {plan_hash[:12]}… 与其哈希不符：被修改过。"))
    problems += _heads(here, {i.id: i.checksum for i in infos}, heads)
    return problems


def _where(info: SnapshotInfo) -> str:
    return f"{info.plan_id} {info.period_key} 第{info.version}版"


def _chain(store: SnapshotStore, infos: list[SnapshotInfo]) -> list[Problem]:
    problems = []
    previous = ""
    snapshots = (
        snapshot
        for start in range(0, len(infos), BATCH)
        for snapshot in store.snapshots_of(infos[start : start + BATCH])
    )
    for info, snapshot in zip(infos, snapshots, strict=True):
        try:
            intact = snapshot is not None and checksum(snapshot) == info.checksum
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
        previous = info.checksum
    return problems


def _versions(infos: list[SnapshotInfo]) -> list[Problem]:
    versions: dict[tuple[str, str], list[int]] = defaultdict(list)
    for info in infos:
        versions[info.plan_id, canonical_key(info.period_key)].append(info.version)
    return [
        Problem(f"{plan_id} {key}", "版本号不连续：有快照被删除过。")
        for (plan_id, key), numbers in versions.items()
        if sorted(numbers) != list(range(1, len(numbers) + 1))
    ]


def _voids(store: SnapshotStore, infos: dict[int, SnapshotInfo]) -> list[Problem]:
    problems = []
    previous = ""
    for void in store.voids():
        info = infos.get(void.snapshot_id)
        where = _where(info) if info else f"第 {void.snapshot_id} 号快照"
        if info is None or void_checksum(void, info.checksum) != void.checksum:
            problems.append(Problem(where, "作废记录与其校验和不符：作废记录被修改过。"))
        if void.previous_checksum != previous:
            problems.append(
                Problem(where, "作废记录的校验链接不符：之前的作废记录被删除或修改过。")
            )
        previous = void.checksum
    return problems


def _heads(here: str, present: dict[int, str], heads: list[tuple[int, str]]) -> list[Problem]:
    problems = []
    for snapshot_id, expected in heads:
        found = present.get(snapshot_id)
        if found is None:
            problems.append(
                Problem(
                    here,
                    f"链头凭据 {snapshot_id}:{expected[:12]}… 所指的第 {snapshot_id} 号快照不在归档中："
                    "该快照（可能连同其后的快照）被删除过。请从备份恢复。",
                )
            )
        elif found != expected:
            problems.append(
                Problem(
                    here,
                    f"链头凭据 {snapshot_id}:{expected[:12]}… 与归档中第 {snapshot_id} 号快照的校验和"
                    f" {found[:12]}… 不符：该快照被替换过。请从备份恢复。",
                )
            )
    return problems
