"""`reportgen demo`: the whole path on the sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reportgen.cli.common import app, console


@app.command("demo")
def demo(
    output: Annotated[Path, typer.Option("-o", "--output-dir", help="演示输出目录。")] = Path(
        "outputs/demo"
    ),
) -> None:
    """演示：用舟山方案的示例填报表走完整流程（模板→检查→进度→三种报告→归档）。"""
    from reportgen import api

    console.print(
        "正在运行演示：舟山市计量发展规划实施方案，2024年第二季度示例数据……", markup=False
    )
    result = api.demo(output)
    console.print(f"填报模板：{result.template}", markup=False)
    console.print(
        f"已检查示例填报表 {result.checked_files} 个，发现错误 {result.check_errors} 处。",
        markup=False,
    )
    for run in result.reports:
        console.print(f"报告：{run.out}", markup=False)
        if result.pdf:
            console.print(f"　PDF：{run.out.with_suffix('.pdf')}", markup=False)
    if not result.pdf:
        console.print("未检测到 LibreOffice，已跳过 PDF（安装后可用 --pdf 生成）。", markup=False)
    console.print(f"汇总表：{result.summary_xlsx}", markup=False)
    console.print(
        f"归档库：{result.archive}（含 2024-Q1、2024-Q2 快照，报告中显示较上期变化）", markup=False
    )
    counts = result.reports[0].result.summary
    console.print(
        f"共 {counts['total']} 项指标：已完成 {counts['已完成']}，进度正常 {counts['进度正常']}，"
        f"滞后 {counts['滞后']}，严重滞后 {counts['严重滞后']}，未填报 {counts['未填报']}；"
        f"约束性指标预警 {counts['binding_alerts']} 项。",
        markup=False,
    )
