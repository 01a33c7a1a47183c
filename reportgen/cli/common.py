"""The typer app, consoles and small helpers shared by the command modules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from reportgen import __version__

if TYPE_CHECKING:
    from reportgen.records import Dataset

app = typer.Typer(
    help="reportgen：把实施方案和各部门填报的数据生成公文格式的进展报告。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


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


def print_json(data: Any) -> None:
    """Print ``data`` as UTF-8 JSON on stdout (no rich markup)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


PlanArg = Annotated[
    str, typer.Argument(help="方案 id（见 reportgen plan list）或方案文件路径（.yaml/.json）。")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")]


def print_error(problem: object) -> None:
    """One user error on stderr; its text is user data, never rich markup."""
    err_console.print(f"[bold red]错误[/]：{escape(str(problem))}", soft_wrap=True)


def print_notice(text: object, label: str = "提示") -> None:
    """One warning or hint on stderr (user text escaped)."""
    err_console.print(f"[yellow]{label}[/]：{escape(str(text))}", soft_wrap=True)


def print_dataset_notices(dataset: Dataset) -> None:
    """A dataset's warnings and the departments that have not reported."""
    for warning in dataset.warnings:
        print_notice(warning)
    if dataset.missing_departments:
        print_notice(f"以下部门尚未报送：{'、'.join(dataset.missing_departments)}")


def data_paths(data: list[Path] | None, more_data: list[Path] | None) -> list[Path]:
    """The workbooks given with --data and after it (the library refuses none)."""
    return [*(data or []), *(more_data or [])]
