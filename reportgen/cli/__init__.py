"""Command line: `reportgen …`. Arguments, messages and exit codes only; logic lives in the library.

User errors (ReportgenError) print every problem in Chinese and exit 2; unexpected errors print a
short message and exit 1 (the traceback only with --debug).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from importlib import import_module

from rich.markup import escape

from reportgen.cli.common import app, err_console, print_error, state
from reportgen.errors import ReportgenError

# Command modules register themselves on `app` when imported. Importing them all costs about
# 0.1 s more than one command needs, so `run` imports only the modules of the command given:
# command name -> the modules that register it and its subcommands (all for anything else).
COMMAND_MODULES = (
    "archive_cmd",
    "demo_cmd",
    "extract_cmd",
    "grade_cmd",
    "intake_cmd",
    "plan_cmd",
    "progress_cmd",
    "report_cmd",
    "round_cmd",
    "serve_cmd",
)
MODULES_OF = {
    "archive": ("archive_cmd",),
    "check": ("intake_cmd",),
    "demo": ("demo_cmd",),
    "grade": ("grade_cmd",),
    "plan": ("plan_cmd", "extract_cmd"),
    "progress": ("progress_cmd",),
    "report": ("report_cmd",),
    "round": ("round_cmd",),
    "serve": ("serve_cmd",),
    "template": ("intake_cmd", "report_cmd"),
}


def load_commands(argv: Sequence[str]) -> None:
    """Import the command modules ``argv`` needs: its command's, or all (help, unknown names)."""
    name = next((arg for arg in argv if not arg.startswith("-")), "")
    for module in MODULES_OF.get(name, COMMAND_MODULES):
        import_module(f"{__name__}.{module}")


def run(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code (never raises for user errors)."""
    load_commands(sys.argv[1:] if argv is None else argv)
    try:
        app(args=argv, prog_name="reportgen")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except ReportgenError as exc:
        for problem in exc.problems:
            print_error(problem)
        return 2
    except KeyboardInterrupt:
        err_console.print("已中断。")
        return 130
    except Exception as exc:
        if state.debug:
            traceback.print_exception(exc)
        else:
            err_console.print(
                f"内部错误（{type(exc).__name__}）：{escape(str(exc))}。"
                "这不是您输入的问题；请加 --debug 重新运行并把输出发给维护人员。",
                soft_wrap=True,
            )
        return 1
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
