"""`reportgen serve`: the office workbench in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reportgen.cli.common import app, console


@app.command("serve")
def serve(
    host: Annotated[
        str, typer.Option("--host", help="监听地址；默认只允许本机访问。")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口。")] = 8000,
    workspace: Annotated[
        Path,
        typer.Option("--workspace", help="工作目录：方案、轮次、报送表、报告和归档都存放在这里。"),
    ] = Path("workbench"),
    password: Annotated[
        str | None,
        typer.Option(
            "--password", help="牵头单位页面的密码（也可设环境变量 REPORTGEN_PASSWORD）。"
        ),
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器。")] = False,
) -> None:
    """工作台：在浏览器中发起填报、收表、查看进度、生成报告和归档。"""
    from reportgen.web.server import serve as run
    from reportgen.web.server import shown_host

    shown = shown_host(host)
    console.print(
        f"工作台已启动：http://{shown}:{port}/ （工作目录 {workspace}；按 Ctrl+C 停止）",
        markup=False,
    )
    run(host, port, workspace, password, open_browser=not no_browser)
