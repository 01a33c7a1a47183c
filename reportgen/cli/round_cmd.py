"""`reportgen round new|collect|status|remind|list`: 填报 rounds (rules live in reportgen.rounds)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reportgen import fmt
from reportgen.cli.common import (
    ArchiveOpt,
    JsonOpt,
    PlanArg,
    app,
    console,
    print_json,
    print_notice,
)
from reportgen.cli.i18n import App
from reportgen.locations import outputs_dir
from reportgen.periods import EXAMPLES, parse_date, parse_period
from reportgen.plan import load_plan

if TYPE_CHECKING:
    from reportgen.rounds import DepartmentStatus

round_app = App(
    help="填报轮次：按单位下发模板、收取报送的表格、查看谁已报送、生成催报通知。",
    no_args_is_help=True,
)
app.add_typer(round_app, name="round")

PlanOpt = Annotated[str | None, typer.Option("--plan", help="方案 id。不写则为最近发起的轮次。")]
PeriodOpt = Annotated[
    str | None, typer.Option("--period", help="报告期（与 --plan 一起指定某一轮）。")
]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="按哪一天统计，如 2024-07-08。默认今天。")
]


@round_app.command("new")
def round_new(
    plan: PlanArg,
    period: Annotated[str, typer.Option("--period", help=f"报告期，如 {EXAMPLES}。")],
    deadline: Annotated[
        str,
        typer.Option("--deadline", help="报送截止：日期（2024-07-05）或工作日数（5个工作日）。"),
    ],
    departments: Annotated[
        list[str] | None,
        typer.Option(
            "--departments",
            help="只向这些单位收集（可重复，或用顿号/逗号分隔）。不写则为所有有填报内容的单位。",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="模板输出目录。默认 outputs/<方案>/<报告期>/轮次模板。"
        ),
    ] = None,
    archive: ArchiveOpt = None,
    today: DateOpt = None,
) -> None:
    """发起一轮填报：每个单位一份只含本单位指标和任务的模板，上期归档值已预填。"""
    from reportgen.rounds import start_round

    loaded = load_plan(plan)
    parsed = parse_period(period)
    folder = output or outputs_dir() / loaded.id / parsed.key / "轮次模板"
    opened = start_round(
        loaded,
        parsed,
        deadline,
        folder,
        departments=_split(departments),
        archive=archive,
        today=parse_date(today) if today else None,
    )
    r = opened.round
    console.print(
        f"已发起 {r.plan_id} {parsed.label}的填报，报送截止 {_deadline(r.deadline, r.deadline_text)}，"
        f"共 {len(r.departments)} 个单位：",
        markup=False,
    )
    for department, path in opened.templates.items():
        console.print(f"  {department}　{path}", markup=False)
    for warning in opened.warnings:
        print_notice(warning)


@round_app.command("collect")
def round_collect(
    paths: Annotated[list[Path], typer.Argument(help="各单位报送的表格文件或所在文件夹。")],
    plan: PlanOpt = None,
    period: PeriodOpt = None,
    archive: ArchiveOpt = None,
) -> None:
    """收取报送的表格：逐个检查并登记；同一单位再次报送的以最新一份为准。有拒收时退出码为 2。"""
    from reportgen.rounds import collect_returns

    _, received = collect_returns(paths, plan, period, archive=archive)
    for item in received:
        record = item.record
        if record is None:
            console.print(f"✗ 拒收 {item.path.name}：{item.refused}", markup=False)
        elif item.duplicate:
            console.print(
                f"= {item.path.name}（{record.department}）：与已登记的表格相同，未重复登记。",
                markup=False,
            )
        else:
            verdict = "通过" if record.ok else f"{len(record.errors)} 个错误"
            if record.warnings:
                verdict += f"，{len(record.warnings)} 条警告"
            later = f"；替代此前报送的 {item.superseded.file_name}" if item.superseded else ""
            mark = "✓" if record.ok else "!"
            console.print(
                f"{mark} 登记 {item.path.name}（{record.department}）：{verdict}{later}",
                markup=False,
            )
    if any(item.refused for item in received):
        raise typer.Exit(2)


@round_app.command("status")
def round_status_command(
    plan: PlanOpt = None,
    period: PeriodOpt = None,
    archive: ArchiveOpt = None,
    today: DateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """查看本轮各单位状态：已报送 / 有错误 / 未报送 / 逾期（按工作日计），以及需催报的单位。"""
    from reportgen.rounds import current_status, status_json

    status = current_status(
        plan, period, archive=archive, today=parse_date(today) if today else None
    )
    round_ = status.round
    if as_json:
        print_json(status_json(status))
        return
    console.print(
        f"{round_.plan_title} {parse_period(round_.period).label}　报送截止 "
        f"{_deadline(round_.deadline, round_.deadline_text)}　统计日期 {fmt.date_cn(status.today)}",
        markup=False,
    )
    for entry in status.departments:
        console.print(f"  {entry.department}　{entry.status}{_detail(entry)}", markup=False)
    counts = "，".join(f"{name} {n}" for name, n in status.counts().items())
    console.print(f"共 {len(status.departments)} 个单位：{counts}。", markup=False)
    chase = [d.department for d in status.to_chase()]
    if chase:
        console.print(
            f"需催报：{'、'.join(chase)}。可用 reportgen round remind 生成催报通知。", markup=False
        )
    for warning in status.warnings:
        print_notice(warning)


@round_app.command("remind")
def round_remind(
    plan: PlanOpt = None,
    period: PeriodOpt = None,
    archive: ArchiveOpt = None,
    today: DateOpt = None,
    sender: Annotated[
        str | None, typer.Option("--from", help="落款单位。默认为方案中牵头任务最多的单位。")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="补报截止：日期或工作日数（如 2个工作日）。默认 2 个工作日。"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="催报通知（.docx）。同名 .txt 为可粘贴到政务微信/短信的文字。"
        ),
    ] = None,
) -> None:
    """生成催报通知（公文格式 .docx）和可直接发送的文字，发给未报送或报送有错误的单位。"""
    from reportgen.rounds import write_reminders

    written = write_reminders(
        plan,
        period,
        archive=archive,
        today=parse_date(today) if today else None,
        sender=sender,
        resubmit=by,
        output=output,
    )
    if written is None:
        console.print("所有单位均已报送且没有错误，无需催报。", markup=False)
        return
    console.print(
        f"已生成催报通知：{written.docx}（{len(written.note.items)} 个单位）", markup=False
    )
    console.print(f"可发送的文字：{written.text_file}", markup=False)
    console.print(written.text, markup=False)


@round_app.command("list")
def round_list(archive: ArchiveOpt = None, as_json: JsonOpt = False) -> None:
    """列出已发起的填报轮次。"""
    from reportgen.rounds import RoundStore

    with RoundStore.open(archive, readonly=True) as repo:
        rounds = repo.rounds()
    if as_json:
        print_json(
            [
                {"plan_id": r.plan_id, "period": r.period, "opened": r.opened.isoformat(),
                 "deadline": r.deadline.isoformat(), "departments": list(r.departments)}
                for r in rounds
            ]
        )  # fmt: skip
        return
    if not rounds:
        console.print("还没有发起过填报轮次。", markup=False)
    for r in rounds:
        console.print(
            f"{r.plan_id} {r.period}　发起 {fmt.date_cn(r.opened)}　截止 {fmt.date_cn(r.deadline)}"
            f"　{len(r.departments)} 个单位",
            markup=False,
        )


def _split(values: list[str] | None) -> list[str] | None:
    """'--departments 市科技局、市经信局' and repeated options alike."""
    if not values:
        return None
    names = [
        n.strip() for v in values for n in v.replace("，", "、").replace(",", "、").split("、")
    ]
    return [n for n in names if n]


def _deadline(day: date, given: str) -> str:
    from reportgen.rounds import weekday_date

    label = weekday_date(day)
    return label if given == day.isoformat() else f"{label}（{given}）"


def _detail(entry: DepartmentStatus) -> str:
    parts = []
    latest = entry.latest
    if latest is not None:
        when = latest.received_at.strftime("%m-%d %H:%M")
        parts.append(f"{when} {latest.file_name}")
        parts.append(f"填报人 {latest.filler or '未填'} {latest.phone or ''}".rstrip())
        if latest.errors or latest.warnings:
            parts.append(f"{len(latest.errors)} 个错误、{len(latest.warnings)} 条警告")
        if entry.late:
            parts.append("迟报")
        if entry.superseded:
            parts.append(f"已替代此前 {len(entry.superseded)} 份")
    elif entry.overdue_workdays:
        parts.append(f"已逾期 {entry.overdue_workdays} 个工作日")
    return f"（{'；'.join(parts)}）" if parts else ""
