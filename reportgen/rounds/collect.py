"""Collecting returns: each file checked and recorded against its round, or refused with a reason.

The department comes from the template's ``_meta``. A later return from the same department
supersedes the earlier one, which stays on record; the same file sent twice is recorded once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportgen.errors import ReportgenError
from reportgen.intake.check import check_raw
from reportgen.intake.meta import Meta, read_meta
from reportgen.intake.reader import expand_paths, read_workbook
from reportgen.intake.result import FileResult, Issue
from reportgen.limits import current_limits
from reportgen.periods import parse_period
from reportgen.plan import Plan
from reportgen.rounds.model import Finding, Return, Round, RoundError
from reportgen.rounds.repository import RoundRepository


@dataclass(frozen=True)
class Received:
    """What became of one file: recorded (perhaps superseding an earlier return) or refused."""

    path: Path
    record: Return | None = None
    superseded: Return | None = None
    duplicate: bool = False  # the same content as the department's latest return
    refused: str | None = None


def current_round(repo: RoundRepository, plan_id: str | None, period: str | None) -> Round:
    """The round of ``plan_id`` and ``period``, else the one opened last (of that plan)."""
    if plan_id and period:
        found = repo.find_round(plan_id, parse_period(period).key)
        if found is None:
            raise RoundError(
                f"没有方案“{plan_id}”报告期 {period} 的填报轮次。请先用 reportgen round new 发起。"
            )
        return found
    rounds = repo.rounds(plan_id)
    if not rounds:
        raise RoundError("还没有发起过填报轮次。请先用 reportgen round new 发起。")
    return rounds[-1]


def collect(
    repo: RoundRepository,
    round_: Round,
    paths: list[Path],
    now: datetime | None = None,
    previous: Mapping[str, float | None] | None = None,
) -> list[Received]:
    """Check and record every workbook at ``paths`` (files or folders) for ``round_``.

    ``previous``: last period's archived values, for the same plausibility checks as `check`.
    """
    assert round_.id is not None
    files = expand_paths([Path(p) for p in paths])
    if not files:
        raise RoundError(f"在 {'、'.join(str(p) for p in paths)} 中没有找到表格文件。")
    plan = repo.plan_of(round_)
    latest = {r.department: r for r in repo.returns(round_.id)}
    known = {k: v for k, v in (previous or {}).items() if v is not None}
    received = []
    for path in files:
        outcome = _receive(repo, round_, plan, path, latest, now, known)
        if outcome.record is not None:
            latest[outcome.record.department] = outcome.record
        received.append(outcome)
    return received


def _receive(
    repo: RoundRepository,
    round_: Round,
    plan: Plan,
    path: Path,
    latest: dict[str, Return],
    now: datetime | None,
    previous: Mapping[str, float],
) -> Received:
    assert round_.id is not None
    try:
        raw = read_workbook(path, path.name, current_limits())
    except ReportgenError as exc:
        return Received(path, refused="；".join(p.message for p in exc.problems))
    meta = read_meta(raw)
    reason = refusal(meta, round_)
    if reason is not None or meta is None or meta.department is None:
        return Received(path, refused=reason)
    earlier = latest.get(meta.department)
    if earlier is not None and earlier.sha256 == raw.sha256:
        return Received(path, record=earlier, duplicate=True)
    try:
        result = check_raw(raw, plan, parse_period(round_.period), meta, previous)
    except ReportgenError as exc:  # a sheet read on first use turned out unreadable
        return Received(path, refused="；".join(p.message for p in exc.problems))
    record = repo.add_return(_record(round_.id, meta.department, path, result, raw.sha256, now))
    return Received(path, record=record, superseded=earlier)


def refusal(meta: Meta | None, round_: Round) -> str | None:
    """Why a workbook does not belong to ``round_`` (None when it does)."""
    if meta is None:
        return (
            "缺少隐藏的 _meta 工作表（内容可能被复制到了新文件），无法确认填报单位和报告期。"
            "请让该单位在本轮下发的模板中填写后重新报送。"
        )
    if meta.plan_id != round_.plan_id:
        return f"本表是方案“{meta.plan_id}”的填报表，本轮收集的是方案“{round_.plan_id}”。"
    if meta.period != round_.period:
        return f"本表是报告期 {meta.period} 的填报表，本轮收集的是 {round_.period}。"
    if meta.department is None:
        return "本表是不分单位的汇总模板，无法确认由哪个单位报送。请使用本轮按单位下发的模板。"
    if meta.department not in round_.departments:
        return f"“{meta.department}”不在本轮的填报单位中（{'、'.join(round_.departments)}）。"
    return None


def _record(
    round_id: int,
    department: str,
    path: Path,
    result: FileResult,
    sha256: str,
    now: datetime | None,
) -> Return:
    size = result.source.size if result.source else path.stat().st_size
    return Return(
        round_id=round_id,
        department=department,
        file_name=path.name,
        path=str(path.resolve()),
        sha256=sha256,
        size=size,
        received_at=now or datetime.now().astimezone(),
        filler=result.filler,
        phone=result.phone,
        errors=tuple(_finding(i) for i in result.errors),
        warnings=tuple(_finding(i) for i in result.warnings),
    )


def _finding(issue: Issue) -> Finding:
    where = f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else issue.sheet
    return Finding(where, issue.message)
