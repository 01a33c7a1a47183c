"""The round verbs as single calls, each opening the archive database itself (CLI and web).

``start_round`` (round new), ``collect_returns`` (round collect), ``current_status``
(round status) and ``write_reminders`` (round remind).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportgen.archive import Archive
from reportgen.fileio import write_text
from reportgen.locations import outputs_dir
from reportgen.periods import Period, parse_period
from reportgen.plan import Plan
from reportgen.rounds.collect import Received, collect, current_round
from reportgen.rounds.model import Round, RoundStatus
from reportgen.rounds.opening import OpenedRound, open_round, previous_values
from reportgen.rounds.remind import Reminder, plain_text, reminder
from reportgen.rounds.status import round_status
from reportgen.rounds.store import RoundStore
from reportgen.rounds.workdays import parse_deadline


def start_round(
    plan: Plan,
    period: Period,
    deadline_text: str,
    out_dir: Path,
    *,
    departments: list[str] | None = None,
    archive: Path | str | None = None,
    today: date | None = None,
) -> OpenedRound:
    """Open a round in the archive database, last period's archived values prefilled."""
    with RoundStore.open(archive) as repo, Archive.open(archive, readonly=True) as store:
        previous = previous_values(store, plan, period)
        return open_round(
            repo,
            plan,
            period,
            deadline_text,
            out_dir,
            departments=departments,
            previous=previous,
            today=today,
        )


def collect_returns(
    paths: list[Path],
    plan_id: str | None = None,
    period: str | None = None,
    *,
    archive: Path | str | None = None,
) -> tuple[Round, list[Received]]:
    """Collect into the round of ``plan_id``/``period`` (else the latest), checked as `check` does."""
    with RoundStore.open(archive) as repo, Archive.open(archive, readonly=True) as store:
        round_ = current_round(repo, plan_id, period)
        plan = repo.plan_of(round_)
        previous = previous_values(store, plan, parse_period(round_.period))
        return round_, collect(repo, round_, paths, previous=previous)


def current_status(
    plan_id: str | None = None,
    period: str | None = None,
    *,
    archive: Path | str | None = None,
    today: date | None = None,
) -> RoundStatus:
    """Where each department of the round (of ``plan_id``/``period``, else the latest) stands."""
    with RoundStore.open(archive, readonly=True) as repo:
        return round_status(repo, current_round(repo, plan_id, period), today)


@dataclass(frozen=True)
class ReminderFiles:
    """A written 催报通知: the notice, its .docx and the plain text beside it."""

    note: Reminder
    docx: Path
    text_file: Path
    text: str


def write_reminders(
    plan_id: str | None = None,
    period: str | None = None,
    *,
    archive: Path | str | None = None,
    today: date | None = None,
    sender: str | None = None,
    resubmit: str | None = None,
    output: Path | None = None,
) -> ReminderFiles | None:
    """The 催报通知 (.docx, and .txt beside it) for the round; None when nobody is to chase.

    ``resubmit``: a date or 'N个工作日' after ``today`` (default 2 working days).
    ``output``: default outputs/<plan>/<period>/催报通知_<date>.docx.
    """
    from reportgen.rounds.notice import write_reminder

    with RoundStore.open(archive, readonly=True) as repo:
        round_ = current_round(repo, plan_id, period)
        status = round_status(repo, round_, today)
        plan = repo.plan_of(round_)
    by = parse_deadline(resubmit, status.today).day if resubmit else None
    note = reminder(status, plan, sender=sender, resubmit_by=by)
    if note is None:
        return None
    name = f"催报通知_{status.today.isoformat()}.docx"
    target = output or outputs_dir() / round_.plan_id / round_.period / name
    text = plain_text(note)
    docx = write_reminder(note, target)
    return ReminderFiles(note, docx, write_text(docx.with_suffix(".txt"), text), text)
