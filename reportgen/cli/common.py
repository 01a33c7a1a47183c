"""The typer app, consoles and small helpers shared by the command modules."""

from __future__ import annotations

import codecs
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from reportgen import __version__
from reportgen.cli.i18n import App

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Column, Table

    from reportgen.records import Dataset

app = App(
    help="reportgen：把实施方案和各部门填报的数据生成公文格式的进展报告。",
    no_args_is_help=True,
)
# Symbols a legacy console (GBK, cp936, ASCII) cannot encode, and what to print instead.
FALLBACK = {"✓": "OK", "✗": "x", "✔": "OK", "✘": "x", "→": "->", "←": "<-", "▲": "^", "…": "...",
            "—": "-", "–": "-", "⚠": "!", "●": "*", "○": "o"}  # fmt: skip
FALLBACK_ERRORS = "reportgen-fallback"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: known symbols become ASCII, anything else '?'."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(FALLBACK.get(char, "?") for char in text), error.end


codecs.register_error(FALLBACK_ERRORS, _fallback)


def make_streams_safe() -> None:
    """Let stdout and stderr print any text: characters the console's encoding (say GBK on a
    Chinese Windows, redirected) cannot carry are replaced instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors=FALLBACK_ERRORS)


class LazyConsole:
    """A rich ``Console``, made the first time something prints through it.

    rich takes about 15 ms to import; a report run by a script or a scheduler prints only
    plain lines (``print_line``, ``print_notice``, ``print_error``) and never loads it. rich
    reads the terminal settings (``CONSOLE_ENV``) when a console is made, so a new one is made
    when they have changed since (tests change them between runs in one process).
    """

    CONSOLE_ENV = (
        "COLUMNS",
        "LINES",
        "NO_COLOR",
        "FORCE_COLOR",
        "TTY_COMPATIBLE",
        "TTY_INTERACTIVE",
    )

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None
        self._made_for: tuple[str | None, ...] = ()

    def __getattr__(self, name: str) -> Any:
        settings = tuple(os.environ.get(key) for key in self.CONSOLE_ENV)
        if self._console is None or settings != self._made_for:
            from rich.console import Console

            self._console, self._made_for = Console(**self._options), settings
        return getattr(self._console, name)


console = cast("Console", LazyConsole(highlight=False, soft_wrap=True))
err_console = cast("Console", LazyConsole(stderr=True, highlight=False, soft_wrap=True))


@dataclass
class _State:
    debug: bool = False


state = _State()


def _version(value: bool) -> None:
    if value:
        console.print(f"reportgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="出现内部错误时显示完整的调用栈。")
    ] = False,
) -> None:
    state.debug = debug


def fold_table(*headers: str | Column, **options: Any) -> Table:
    """A rich table whose cells wrap (long ids and CJK text folded onto more lines) instead of
    being cut off with "…" on a narrow console."""
    from rich.table import Column, Table

    columns = [h if isinstance(h, Column) else Column(h, overflow="fold") for h in headers]
    return Table(*columns, **options)


def print_json(data: Any) -> None:
    """Print ``data`` as UTF-8 JSON on stdout (no rich markup)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


PlanArg = Annotated[
    str, typer.Argument(help="方案 id（见 reportgen plan list）或方案文件路径（.yaml/.json）。")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")]
ArchiveOpt = Annotated[
    str | None,
    typer.Option(
        "--archive",
        help="归档库：文件路径、sqlite:///路径 或 postgresql://用户@主机/数据库"
        "（默认取环境变量 REPORTGEN_ARCHIVE，否则为 outputs/archive.sqlite）。",
    ),
]


def print_line(text: object, err: bool = False) -> None:
    """One line of plain text (never markup) on stdout, or on stderr when ``err``."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{text}\n")
    stream.flush()  # in order with the other stream when both go to one file


def print_error(problem: object) -> None:
    """One user error on stderr; its text is user data, never rich markup."""
    _print_labelled("错误", "bold red", problem)


def print_notice(text: object, label: str = "提示") -> None:
    """One warning or hint on stderr (user text escaped)."""
    _print_labelled(label, "yellow", text)


def _print_labelled(label: str, style: str, text: object) -> None:
    """``label：text`` on stderr, the label in colour on a terminal (through rich)."""
    if not (
        sys.stderr.isatty() or os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE")
    ):
        print_line(f"{label}：{text}", err=True)
        return
    from rich.markup import escape

    err_console.print(f"[{style}]{label}[/]：{escape(str(text))}", soft_wrap=True)


def print_dataset_notices(dataset: Dataset) -> None:
    """A dataset's warnings and the departments that have not reported."""
    from reportgen.intake.notices import grouped_notices

    for line in grouped_notices(dataset.warnings):
        print_notice(line)
    if dataset.missing_departments:
        print_notice(f"以下部门尚未报送：{'、'.join(dataset.missing_departments)}")


def data_paths(data: list[Path] | None, more_data: list[Path] | None) -> list[Path]:
    """The workbooks given with --data and after it (the library refuses none)."""
    return [*(data or []), *(more_data or [])]
