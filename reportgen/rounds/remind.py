"""催报: who to chase, what each one still owes or must correct, as a 公文 notice and as plain text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportgen import fmt
from reportgen.intake.layout import indicators_for, tasks_for
from reportgen.periods import parse_period
from reportgen.plan import Plan
from reportgen.plan.units import coordinating_department
from reportgen.render.sentences import book_title
from reportgen.rounds.model import DepartmentStatus, Finding, RoundStatus
from reportgen.rounds.workdays import add_workdays, weekday_date

MAX_LISTED = 20  # errors listed per department; the rest are counted


@dataclass(frozen=True)
class ChaseItem:
    """One department to chase: what it owes (not returned) or what to correct (errors)."""

    department: str
    status: str
    received: str | None  # '2024年7月3日报送的“填报_市科技局.xlsx”'
    owed: tuple[str, ...]  # 'ZS01 参与或主持制省部级计量科研项目' …, when nothing usable arrived
    errors: tuple[Finding, ...]
    more_errors: int  # errors beyond MAX_LISTED


@dataclass(frozen=True)
class Reminder:
    """A 催报通知: to whom, about which round, by when."""

    title: str
    plan_title: str
    period_label: str
    deadline: date
    resubmit_by: date
    today: date
    sender: str
    items: tuple[ChaseItem, ...]

    @property
    def recipients(self) -> list[str]:
        return [i.department for i in self.items]


def reminder(
    status: RoundStatus,
    plan: Plan,
    *,
    sender: str | None = None,
    resubmit_by: date | None = None,
) -> Reminder | None:
    """The notice for every department not returned or returned with errors (None: nobody)."""
    chase = status.to_chase()
    if not chase:
        return None
    round_ = status.round
    period = parse_period(round_.period)
    items = tuple(_item(plan, entry, round_.weekly) for entry in chase)
    return Reminder(
        title=f"关于催报{book_title(plan.title)}{period.label}实施进展情况的通知",
        plan_title=plan.title,
        period_label=period.label,
        deadline=round_.deadline,
        resubmit_by=resubmit_by or add_workdays(status.today, 2),
        today=status.today,
        sender=sender or coordinating_department(plan) or plan.issuer,
        items=items,
    )


def _item(plan: Plan, entry: DepartmentStatus, weekly: bool) -> ChaseItem:
    latest = entry.latest
    received = None
    if latest is not None:
        day = fmt.date_cn(latest.received_at.date())
        received = f"{day}报送的“{latest.file_name}”"
    owed: tuple[str, ...] = ()
    if latest is None:
        owed = (
            *(f"{i.id} {i.name}" for i in indicators_for(plan, entry.department, weekly)),
            *(f"{t.id} {t.title}" for t in tasks_for(plan, entry.department)),
        )
    errors = latest.errors if latest else ()
    return ChaseItem(
        department=entry.department,
        status=entry.status,
        received=received,
        owed=owed,
        errors=errors[:MAX_LISTED],
        more_errors=max(0, len(errors) - MAX_LISTED),
    )


def opening(note: Reminder) -> str:
    """The first paragraph of the notice."""
    return (
        f"按照{book_title(note.plan_title)}实施进展情况报送要求，{note.period_label}实施进展填报表应于"
        f"{weekday_date(note.deadline)}前报送。截至{fmt.date_cn(note.today)}，"
        f"以下{len(note.items)}个单位尚未报送或报送的表格存在错误，请抓紧报送或更正。"
    )


def item_lines(item: ChaseItem) -> list[str]:
    """What one department must do: a summary line, then the items owed or the errors."""
    if item.received is None:
        lines = [f"尚未报送（{item.status}）。应填报以下内容："]
        lines += [f"{n}.{text}" for n, text in enumerate(item.owed, 1)]
        return lines
    count = len(item.errors) + item.more_errors
    lines = [f"已收到{item.received}，经核对有{count}处错误需更正："]
    lines += [f"{n}.{_finding(f)}" for n, f in enumerate(item.errors, 1)]
    if item.more_errors:
        lines.append(f"另有{item.more_errors}处错误，请用 reportgen check 查看全部。")
    return lines


def requirement(note: Reminder) -> str:
    """What to do by when."""
    return (
        f"请于{weekday_date(note.resubmit_by)}前，在本轮下发的模板中填写（或更正）后报送，"
        "并填写填报人和联系电话。重新报送的，以最后一次报送的表格为准。"
    )


def plain_text(note: Reminder) -> str:
    """One message per department, to paste into 政务微信 or a text message."""
    messages = []
    for item in note.items:
        if item.received is None:
            what = (
                f"截至{fmt.date_cn(note.today)}贵单位尚未报送（应于{weekday_date(note.deadline)}"
                f"前报送，共{len(item.owed)}项）"
            )
        else:
            errors = "；".join(_finding(f) for f in item.errors[:3])
            more = len(item.errors) + item.more_errors - min(3, len(item.errors))
            what = f"已收到{item.received}，有{len(item.errors) + item.more_errors}处错误：{errors}"
            what = what.rstrip("。")
            what += f"；另有{more}处，详见催报通知" if more else ""
        messages.append(
            f"【催报】{item.department}：{book_title(note.plan_title)}{note.period_label}实施进展填报，"
            f"{what}。请于{weekday_date(note.resubmit_by)}前报送。——{note.sender}"
        )
    return "\n\n".join(messages) + "\n"


def _finding(finding: Finding) -> str:
    return f"{finding.where}：{finding.message}" if finding.where else finding.message
