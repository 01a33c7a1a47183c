"""填报 rounds: ask each department for its own figures by a working-day deadline, then chase.

with RoundStore.open() as repo:                                # the archive database
    opened = open_round(repo, plan, period, "5个工作日", out)    # one template per department
    collect(repo, opened.round, [folder])                        # record each return
    status = round_status(repo, opened.round)                    # 已报送/有错误/未报送/逾期
    write_reminder(reminder(status, plan), out_docx)             # 催报通知

``start_round`` does the first step with the archive's last-period values prefilled.
The CLI (reportgen round …) and the web workbench call these functions only.
"""

from __future__ import annotations

from reportgen.rounds.collect import Received, collect, current_round, refusal
from reportgen.rounds.model import (
    DepartmentStatus,
    Finding,
    Return,
    Round,
    RoundError,
    RoundStatus,
    Status,
)
from reportgen.rounds.opening import OpenedRound, asked_departments, open_round, previous_values
from reportgen.rounds.remind import Reminder
from reportgen.rounds.repository import RoundRepository
from reportgen.rounds.service import (
    ReminderFiles,
    collect_returns,
    current_status,
    start_round,
    write_reminders,
)
from reportgen.rounds.status import round_status, status_json
from reportgen.rounds.store import RoundStore
from reportgen.rounds.workdays import Deadline, parse_deadline, weekday_date

__all__ = [
    "Deadline",
    "DepartmentStatus",
    "Finding",
    "OpenedRound",
    "Received",
    "Reminder",
    "ReminderFiles",
    "Return",
    "Round",
    "RoundError",
    "RoundRepository",
    "RoundStatus",
    "RoundStore",
    "Status",
    "asked_departments",
    "collect",
    "collect_returns",
    "current_round",
    "current_status",
    "open_round",
    "parse_deadline",
    "previous_values",
    "refusal",
    "round_status",
    "start_round",
    "status_json",
    "weekday_date",
    "write_reminders",
]
