"""Running the workbench: who may connect decides whether a password is required."""

from __future__ import annotations

import os
import socket
import threading
import webbrowser
from pathlib import Path

from reportgen.errors import Problem, ReportgenError
from reportgen.web.security import is_loopback

PASSWORD_ENV = "REPORTGEN_PASSWORD"


class ServeError(ReportgenError):
    """Settings the workbench cannot safely start with."""


def server_password(host: str, given: str | None) -> str | None:
    """The clerk password: ``given``, else $REPORTGEN_PASSWORD; required beyond loopback."""
    password = given or os.environ.get(PASSWORD_ENV) or None
    if password is None and not is_loopback(host):
        raise ServeError(
            Problem(
                f"--host {host}",
                "在本机以外可访问时必须设置密码：请加 --password 或设置环境变量 "
                f"{PASSWORD_ENV}；只在本机使用请去掉 --host（默认 127.0.0.1）。",
            )
        )
    if password is not None and len(password) < 8:
        raise ServeError(Problem("--password", "密码至少 8 个字符。"))
    return password


def shown_host(host: str) -> str:
    """The address to open: for a wildcard host, this computer's LAN address.

    Department links are built from the address the clerk's browser used, so opening the
    LAN address makes the links work for the other computers too.
    """
    if host not in ("0.0.0.0", "::"):
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent
            address: str = probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"
    return address


def serve(host: str, port: int, workspace: Path, password: str | None, open_browser: bool) -> None:
    """Serve the workbench with uvicorn until interrupted; opens the browser when asked."""
    import uvicorn

    from reportgen.web.app import create_app

    app = create_app(workspace, server_password(host, password), loopback=is_loopback(host))
    url = f"http://{shown_host(host)}:{port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
