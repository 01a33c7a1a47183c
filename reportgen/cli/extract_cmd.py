"""`reportgen plan extract SOURCE`: draft a plan file from a 实施方案 text or Word document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from reportgen.cli.common import console, print_notice
from reportgen.cli.plan_cmd import plan_app
from reportgen.extract import Extraction

_CONFIDENCE = {"high": "高", "medium": "中", "low": "低", "none": "—"}


@plan_app.command("extract")
def plan_extract(
    source: Annotated[
        Path, typer.Argument(help="方案原文：.txt（UTF-8 或 GB18030）或 .docx 文件。")
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="草稿保存路径，默认 outputs/plans/<id>.yaml。"),
    ] = None,
    plan_id: Annotated[
        str | None, typer.Option("--id", help="方案 id（小写字母、数字和 -），默认由文件名生成。")
    ] = None,
) -> None:
    """从实施方案原文提取方案草稿（YAML），并列出每一项的出处和可信度供核对。"""
    from reportgen import api

    run = api.extract(source, output, plan_id)
    extraction, target = run.extraction, run.path
    console.print(_review_table(extraction))
    for problem in extraction.warnings:
        print_notice(problem, "待核对")
    plan = extraction.plan
    console.print(
        f"已写入草稿：{target}（{len(plan.indicators)} 个指标，{len(plan.tasks)} 项任务，"
        f"{len(extraction.warnings)} 条待核对）。核对后可用 reportgen plan validate {target} 校验。",
        soft_wrap=True,
    )


def _review_table(extraction: Extraction) -> Table:
    table = Table(title="提取结果（请对照原文逐项核对；可信度低的在前，未收录的数字在最后）")
    table.add_column("类型", no_wrap=True)
    table.add_column("编号", no_wrap=True)
    table.add_column("内容", overflow="fold", ratio=1)
    table.add_column(f"第几{extraction.line_unit}", no_wrap=True, justify="right")
    table.add_column("可信度", no_wrap=True)
    table.add_column("原因", overflow="fold", ratio=1)
    for item in extraction.items:
        table.add_row(
            item.kind_label,
            escape(item.label),
            escape(item.text),
            str(item.line) if item.line else "—",
            _CONFIDENCE[item.confidence],
            escape(item.reason),
        )
    return table
