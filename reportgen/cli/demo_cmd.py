"""`reportgen demo`: the whole path on the sample data."""

from __future__ import annotations

from reportgen.cli.common import app, console
from reportgen.cli.plan_cmd import plan_list


@app.command("demo")
def demo() -> None:
    """演示：列出方案目录并校验每个方案。"""
    plan_list(as_json=False)
    console.print("所有方案校验通过。")
