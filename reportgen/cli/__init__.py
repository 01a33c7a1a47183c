"""Command line: `reportgen …`. Arguments, messages and exit codes only; logic lives in the library.

User errors (ReportgenError) print every problem in Chinese and exit 2; unexpected errors print a
short message and exit 1 (the traceback only with --debug).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from reportgen.cli.common import app, make_streams_safe, print_error, print_line, state
from reportgen.cli.i18n import NoArgsIsHelpError, UsageError, usage_error_text
from reportgen.errors import ReportgenError

# Imports and a report allocate hundreds of thousands to millions of objects and free few of
# them before the process ends; with the default threshold (700) the collector runs thousands of
# times and walks everything alive again and again (5–7% of a run with 12 or 10 000
# indicators). Collect the young generation every 100 000 allocations instead, older ones as
# seldom (a batch collects after each report: pipeline.run_job).
GC_THRESHOLDS = (100_000, 50, 100)
LONG_LIVED = frozenset({"serve"})  # commands that keep the default collector

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
    "template": ("intake_cmd",),
}


def command_name(argv: Sequence[str]) -> str:
    """The command ``argv`` runs ("" when none is given)."""
    return next((arg for arg in argv if not arg.startswith("-")), "")


def load_commands(argv: Sequence[str]) -> None:
    """Import the command modules ``argv`` needs: its command's, or all (help, unknown names)."""
    for module in MODULES_OF.get(command_name(argv), COMMAND_MODULES):
        import_module(f"{__name__}.{module}")


def run(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code (never raises for user errors)."""
    load_commands(sys.argv[1:] if argv is None else argv)
    make_streams_safe()
    try:
        code = app(args=argv, prog_name="reportgen", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except NoArgsIsHelpError as exc:
        print_line(exc.message)
        return 2
    except UsageError as exc:
        for line in usage_error_text(exc):
            print_line(line, err=True)
        return 2
    except ReportgenError as exc:
        for problem in exc.problems:
            print_error(problem)
        return 2
    except KeyboardInterrupt:
        print_line("已中断。", err=True)
        return 130
    except Exception as exc:
        if state.debug:
            import traceback

            traceback.print_exception(exc)
        else:
            print_line(
                f"内部错误（{type(exc).__name__}）：{exc}。"
                "这不是您输入的问题；请加 --debug 重新运行并把输出发给维护人员。",
                err=True,
            )
        return 1
    return code if isinstance(code, int) and not isinstance(code, bool) else 0


def tune_collector(argv: Sequence[str]) -> None:
    """Seldom collections (``GC_THRESHOLDS``) unless the command's process lives on."""
    if command_name(argv) not in LONG_LIVED:
        gc.set_threshold(*GC_THRESHOLDS)


def main() -> None:
    """Console-script entry point.

    On success every output has been written, renamed into place and every archive write
    committed inside ``run``; the process then runs its exit handlers (temporary copies, pools),
    flushes its streams and leaves with ``os._exit``, skipping an interpreter shutdown that only
    frees memory (about 0.25 s).
    The collector runs seldom (``GC_THRESHOLDS``) in every command but ``serve``, whose process
    lives on.
    Failures, and runs under a profiler or tracer (cProfile, coverage: they write their data at
    exit), take the ordinary ``sys.exit`` path.
    """
    tune_collector(sys.argv[1:])
    code = run(sys.argv[1:])
    if code == 0 and sys.getprofile() is None and sys.gettrace() is None:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    sys.exit(code)
