"""`reportgen plan list|show|validate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Column

from reportgen import api, fmt
from reportgen.cli.common import JsonOpt, PlanArg, app, console, fold_table, print_error, print_json
from reportgen.cli.i18n import App
from reportgen.errors import PlanError
from reportgen.plan import Plan

plan_app = App(help="查看、校验方案。", no_args_is_help=True)
app.add_typer(plan_app, name="plan")


def _years(plan: Plan) -> str:
    return f"{plan.start.year}—{plan.end.year}"


@plan_app.command("list")
def plan_list(as_json: JsonOpt = False) -> None:
    """列出方案目录中的所有方案。"""
    plans = api.list_plans()
    if as_json:
        print_json(
            [
                {
                    "id": p.id,
                    "title": p.title,
                    "indicators": len(p.indicators),
                    "tasks": len(p.tasks),
                    "years": _years(p),
                }
                for p in plans
            ]
        )
        return
    table = fold_table(Column("方案 id", no_wrap=True), "标题", "指标数", "任务数", "规划期")
    for p in plans:
        table.add_row(
            *map(escape, (p.id, p.title, str(len(p.indicators)), str(len(p.tasks)), _years(p)))
        )
    console.print(table)


@plan_app.command("show")
def plan_show(plan: PlanArg, as_json: JsonOpt = False) -> None:
    """显示一个方案的指标和任务。"""
    loaded = api.show_plan(plan)
    if as_json:
        print_json(loaded.to_data())
        return
    console.print(loaded.title, style="bold", markup=False)
    console.print(
        f"{loaded.issuer}　{loaded.doc_number or ''}　规划期 {_years(loaded)}", markup=False
    )
    table = fold_table("编号", "类别", "指标", "单位", "属性", "基期", "目标", "来源")
    for ind in loaded.indicators:
        base = f"{fmt.number(ind.baseline.value)}（{ind.baseline.year}）" if ind.baseline else "—"
        targets = "，".join(f"{y}年 {fmt.number(v)}" for y, v in sorted(ind.targets.items()))
        cells = (
            ind.id,
            ind.category or "",
            ind.name,
            ind.unit,
            ind.attribute,
            base,
            targets,
            ind.source_ref,
        )
        table.add_row(*map(escape, cells))
    console.print(table)
    tasks = fold_table("编号", "任务", "牵头单位", "配合单位")
    for task in loaded.tasks:
        row = (task.id, task.title, "、".join(task.lead), "、".join(task.cooperating))
        tasks.add_row(*map(escape, row))
    console.print(tasks)


@plan_app.command("validate")
def plan_validate(
    files: Annotated[
        list[Path], typer.Argument(help="要校验的方案文件（.yaml/.json），可以多个。")
    ],
) -> None:
    """校验方案文件；列出每个文件中发现的全部问题。"""
    failed = False
    for file in files:
        try:
            plan = api.validate_plan(file)
        except PlanError as exc:
            failed = True
            for problem in exc.problems:
                print_error(problem)
            continue
        console.print(
            f"通过：{file}（{plan.id}，{len(plan.indicators)} 个指标，{len(plan.tasks)} 项任务）"
        )
    if failed:
        raise typer.Exit(2)
