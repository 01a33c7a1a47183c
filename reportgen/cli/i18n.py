"""The command-line framework's own words in Chinese: help layout, usage line, usage errors.

Typer (with the click it vendors) writes "Usage:", "Options", "[required]", "Error: Missing
option" … in English. Rather than patch it, every command and group of ours is built from the
subclasses below (``App`` makes them the default), which override the framework's formatting
hooks; usage errors are caught once in ``cli.run`` and described by ``usage_error_text``.
Metavars come from ``METAVARS`` by parameter name, so a new option gets a Chinese one for free.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import typer
from pydantic import ValidationError
from typer._click import exceptions as framework_errors
from typer._click.core import Context, Parameter
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

HELP_OPTION_TEXT = "显示本帮助并退出。"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]…"
# Parameter name -> what the user types there, shown in usage lines and help.
METAVARS = {
    "plan": "方案",
    "plans": "方案",
    "period": "报告期",
    "periods": "报告期",
    "data": "文件…",
    "more_data": "文件…",
    "files": "文件…",
    "paths": "文件…",
    "kind": "报告类型",
    "kinds": "报告类型",
    "period_kind": "报告期类型",
    "output": "输出路径",
    "out": "输出路径",
    "template": "模板.docx",
    "date": "日期",
    "as_of": "日期",
    "deadline": "截止日期",
    "archive": "归档库",
    "archive_path": "归档库",
    "source": "原文文件",
    "dest": "目标",
    "department": "部门",
    "departments": "部门",
    "workers": "进程数",
    "year": "年度",
    "version": "版本号",
    "id": "方案id",
    "summary_xlsx": "汇总.xlsx",
}
TYPE_METAVARS = {"int": "整数", "float": "数字", "str": "文本", "Path": "路径", "date": "日期"}


def metavar(param: Parameter) -> str:
    """What to type for ``param``: its own metavar, the name's Chinese, or its type's."""
    if param.metavar:
        return str(param.metavar)
    if param.name in METAVARS:
        return METAVARS[param.name]
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and descriptor.is_choice and descriptor.choices:
        return "|".join(str(getattr(c, "value", c)) for c in descriptor.choices)
    annotation = getattr(descriptor, "annotation", str)
    inner = getattr(annotation, "__args__", None)
    base = inner[0] if inner else annotation
    return TYPE_METAVARS.get(getattr(base, "__name__", ""), "值")


def _argument_usage(param: TyperArgument) -> str:
    name = metavar(param)
    return name if param.required else f"[{name}]"


def _range_text(param: Parameter) -> str:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"{low}～{high}"
    if low is not None:
        return f"≥{low}"
    return f"≤{high}" if high is not None else ""


def help_record(param: Parameter, ctx: Context) -> tuple[str, str] | None:
    """(names and metavar, help with Chinese notes) for one row of the help's table."""
    if getattr(param, "hidden", False):
        return None
    if isinstance(param, TyperArgument):
        names = metavar(param)
    else:
        names = ", ".join(param.opts)
        if param.secondary_opts:
            names += " / " + ", ".join(param.secondary_opts)
        if not (getattr(param, "is_flag", False) or getattr(param, "count", False)):
            names += f" {metavar(param)}"
    notes = [n for n in (_range_text(param), _default_text(param, ctx)) if n]
    if param.required:
        notes.append("必填")
    text = str(getattr(param, "help", None) or "")
    if notes:
        text = f"{text}（{'；'.join(notes)}）" if text else "；".join(notes)
    return names, text


def _default_text(param: Parameter, ctx: Context) -> str:
    show = getattr(param, "show_default", None)
    if isinstance(show, str):
        return f"默认：{show}"
    default = param.default
    if not (show or ctx.show_default) or default in (None, False, (), []):
        return ""
    return f"默认：{default}"


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# Runs that must stay on one line: ASCII words, options, numbers, paths; any other character
# (a CJK character, CJK punctuation) may end a line.
_TOKEN = re.compile(r"[!-~]+|\s+|.")
_NO_LINE_START = set("，。、；：？！）》」』”’%")


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, breaking between CJK characters and at
    spaces, never inside an ASCII word, and never before closing punctuation."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_wrap_line(paragraph, max(width, 10)))
    return lines


def _wrap_line(text: str, width: int) -> Iterator[str]:
    line, used = "", 0
    for token in _TOKEN.findall(text):
        size = display_width(token)
        fits = used + size <= width or not line or token[0] in _NO_LINE_START
        if not fits:
            yield line.rstrip()
            line, used = "", 0
            if token.isspace():
                continue
        line, used = line + token, used + size
    yield line.rstrip()


class CJKHelpFormatter(HelpFormatter):
    """The framework's help formatter with widths measured in terminal columns (CJK = 2)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrap(text, self.width - self.current_indent):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first = min(max((display_width(term) for term, _ in rows), default=0), col_max)
        column = self.current_indent + first + col_spacing
        for term, text in rows:
            self.write(" " * self.current_indent + term)
            width = display_width(term)
            if not text:
                self.write("\n")
                continue
            if width <= first:
                self.write(" " * (first - width + col_spacing))
            else:
                self.write("\n" + " " * column)
            lines = wrap(text, max(self.width - column, 20))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * column + line + "\n")


class ChineseContext(Context):
    """The framework's context, formatting help with ``CJKHelpFormatter``."""

    formatter_class = CJKHelpFormatter


class _Chinese:
    """Formatting hooks shared by commands and groups (mixed in before the Typer classes)."""

    context_class: type[Context] = ChineseContext

    def invoke(self, ctx: Context) -> Any:
        from reportgen.cli.forms import normalise  # forms prints through cli.common

        normalise(ctx.info_name or "", ctx.params)
        return super().invoke(ctx)  # type: ignore[misc]

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        option: TyperOption | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        params: list[Parameter] = self.get_params(ctx)  # type: ignore[attr-defined]
        arguments = [_argument_usage(p) for p in params if isinstance(p, TyperArgument)]
        return [OPTIONS_METAVAR, *arguments]

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        params: list[Parameter] = self.get_params(ctx)  # type: ignore[attr-defined]
        sections = (("参数", TyperArgument), ("选项", TyperOption))
        for title, kind in sections:
            rows = [help_record(p, ctx) for p in params if isinstance(p, kind)]
            present = [row for row in rows if row is not None]
            if present:
                with formatter.section(title):
                    formatter.write_dl(present)


class ChineseCommand(_Chinese, TyperCommand):
    """A command whose help and usage line are in Chinese."""


class ChineseGroup(_Chinese, TyperGroup):
    """A group whose help, usage line and command list are in Chinese."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        metavar = self.subcommand_metavar
        if not metavar or metavar.startswith("COMMAND"):  # the framework's English default
            metavar = SUBCOMMAND_METAVAR
        return [*super().collect_usage_pieces(ctx), metavar]

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=formatter.width - 12)))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)


class App(typer.Typer):
    """``typer.Typer`` whose groups and commands speak Chinese (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", ChineseGroup)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("pretty_exceptions_enable", False)
        super().__init__(**kwargs)

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[Any], Any]:
        kwargs.setdefault("cls", ChineseCommand)
        return super().command(name, **kwargs)


# ------------------------------------------------------------------ usage errors

UsageError = framework_errors.UsageError
NoArgsIsHelpError = framework_errors.NoArgsIsHelpError


def usage_error_text(error: framework_errors.UsageError) -> list[str]:
    """The lines to print for a usage error: usage line, what is wrong, where to read more."""
    lines = []
    ctx = error.ctx
    if ctx is not None:
        lines.append(ctx.get_usage())
    lines.append(f"错误：{_describe(error)}")
    command = ctx.command_path if ctx is not None else "reportgen 命令"
    lines.append(f"运行 {command} --help 查看全部参数和选项。")
    return lines


def _describe(error: framework_errors.UsageError) -> str:
    if isinstance(error, framework_errors.MissingParameter):
        return _missing(error)
    if isinstance(error, framework_errors.NoSuchOption):
        return _no_such_option(error)
    if isinstance(error, framework_errors.BadOptionUsage):
        return f"选项 {error.option_name} 后面需要给出{_value_word(error.message)}。"
    if isinstance(error, framework_errors.BadParameter):
        return _bad_value(error)
    return _translate(error.message)


def _missing(error: framework_errors.MissingParameter) -> str:
    param = error.param
    if isinstance(param, TyperOption):
        return f"缺少选项 {param.opts[0]}（{metavar(param)}），请加上后重试。"
    if param is not None:
        return f"缺少参数“{metavar(param)}”，请加上后重试。"
    return "缺少必填的参数。"


def _no_such_option(error: framework_errors.NoSuchOption) -> str:
    text = f"没有 {error.option_name} 这个选项。"
    if error.possibilities:
        text += f"您要输入的是不是：{'、'.join(sorted(error.possibilities))}？"
    return text


def _value_word(message: str) -> str:
    count = re.search(r"requires (\d+) arguments", message)
    return f" {count.group(1)} 个值" if count else "一个值"


def _bad_value(error: framework_errors.BadParameter) -> str:
    param = error.param
    where = f"选项 {param.opts[0]}" if isinstance(param, TyperOption) else "参数"
    if param is not None and isinstance(param, TyperArgument):
        where = f"参数“{metavar(param)}”"
    cause = error.__cause__
    details = cause.errors() if isinstance(cause, ValidationError) else []
    if details:
        first: Mapping[str, Any] = details[0]
        return f"{where} 的值“{first.get('input')}”无效：{_pydantic_reason(first)}。"
    return f"{where} 的值无效：{_translate(error.message)}"


def _pydantic_reason(error: Mapping[str, Any]) -> str:
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    reasons = {
        "int_parsing": "必须是整数",
        "int_from_float": "必须是整数",
        "float_parsing": "必须是数字",
        "bool_parsing": "只能是是或否",
        "greater_than_equal": f"不能小于 {ctx.get('ge')}",
        "greater_than": f"必须大于 {ctx.get('gt')}",
        "less_than_equal": f"不能大于 {ctx.get('le')}",
        "less_than": f"必须小于 {ctx.get('lt')}",
        "literal_error": f"只能是 {ctx.get('expected', '')}",
        "enum": f"只能是 {ctx.get('expected', '')}",
        "date_from_datetime_parsing": "必须是日期，如 2024-07-05",
        "date_parsing": "必须是日期，如 2024-07-05",
    }
    return reasons.get(kind, "格式不正确")


# The framework's own sentences that reach us as plain messages -> Chinese.
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"No such command '(.+)'\.", r"没有“\1”这个命令。"),
    (r"Missing command\.", "请在后面给出一个命令。"),
    (
        r"Got unexpected extra argument(?:\(s\)|s)? \((.+)\)",
        r"多余的参数：\1。带空格的路径请加引号。",
    ),
    (r"Option '(.+)' does not take a value\.", r"选项 \1 是开关，后面不用写值。"),
    (r".*'(.+)' does not exist\.", r"“\1”不存在，请检查路径。"),
    (r".*'(.+)' is a file\.", r"“\1”是文件，这里需要文件夹。"),
    (r".*'(.+)' is a directory\.", r"“\1”是文件夹，这里需要文件。"),
    (r".*'(.+)' is not readable\.", r"“\1”无法读取，请检查权限。"),
    (r".*'(.+)' is not writable\.", r"“\1”无法写入，请检查权限。"),
    (r"Argument '(.+)' takes (\d+) values\.", r"参数“\1”需要 \2 个值。"),
)


def _translate(message: str) -> str:
    for pattern, replacement in _PATTERNS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return "命令行参数不正确。"
