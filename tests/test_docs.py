"""Every CLI command maps to a named, documented library call listed in docs/api.md.

In the spirit of sqlite-utils' test_docs.py: the docs, the CLI and the library stay in step.
"""

from __future__ import annotations

import importlib
import re

import pytest
import typer

from reportgen import cli
from reportgen.cli.common import app
from tests.support.paths import REPO

ROW = re.compile(r"^\| `reportgen ([a-z ]+)` \| `(reportgen[\w.]+)` \|", re.MULTILINE)
MAPPING = dict(ROW.findall((REPO / "docs" / "api.md").read_text(encoding="utf-8")))


def _commands(command, prefix: tuple[str, ...] = ()) -> list[str]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [" ".join(prefix)]
    return [name for key, sub in subcommands.items() for name in _commands(sub, (*prefix, key))]


def _cli_commands() -> list[str]:
    cli.load_commands([])
    return _commands(typer.main.get_command(app))


def _resolve(dotted: str) -> object:
    """'reportgen.archive.Archive.diff' -> the object: attributes first, then submodules."""
    first, *rest = dotted.split(".")
    target: object = importlib.import_module(first)
    prefix = first
    for name in rest:
        prefix = f"{prefix}.{name}"
        target = getattr(target, name) if hasattr(target, name) else importlib.import_module(prefix)
    return target


def test_the_cli_has_the_commands_this_test_expects():
    assert {"report", "check", "progress", "archive add", "plan extract", "demo"} <= set(
        _cli_commands()
    )


@pytest.mark.parametrize("command", _cli_commands())
def test_every_command_is_a_documented_library_call(command):
    assert command in MAPPING, f"docs/api.md 的对照表缺少 `reportgen {command}` 一行"
    target = _resolve(MAPPING[command])
    assert callable(target), MAPPING[command]
    assert (target.__doc__ or "").strip(), f"{MAPPING[command]} 没有文档字符串"


def test_every_documented_command_exists():
    assert set(MAPPING) <= set(_cli_commands())
