"""Reading plan files (YAML or JSON) into validated plans, with errors that point."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reportgen.errors import PlanError, Problem
from reportgen.fileio import not_a_file
from reportgen.limits import MB, Limits, current_limits
from reportgen.plan.model import Plan

# A plan may list as many indicators as a workbook may have rows, at this many bytes each
# (a 10 000-indicator plan is about 3 MB of JSON); never less than MIN_PLAN_BYTES.
PLAN_BYTES_PER_ROW = 512
MIN_PLAN_BYTES = 2 * MB
Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键，请检查拼写（可用的键见 README）",
    "string_type": "必须是文本",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不正确：编号只能包含字母、数字、- 和 _（方案 id 只能用小写字母、数字和 -）",
    "int_type": "必须是整数（如 2025）",
    "int_parsing": "必须是整数（如 2025）",
    "int_from_float": "必须是整数（如 2025）",
    "float_type": "必须是数字（不要带单位或引号）",
    "float_parsing": "必须是数字（不要带单位或引号）",
    "finite_number": "必须是有限的数字",
    "date_type": "必须是日期，如 2023-01-01",
    "date_parsing": "必须是日期，如 2023-01-01",
    "date_from_datetime_parsing": "必须是日期，如 2023-01-01",
    "too_short": "至少需要一项",
    "dict_type": "必须是“键: 值”形式的映射",
    "list_type": "必须是列表（每项以 - 开头）",
    "model_type": "必须是“键: 值”形式的映射",
    "model_attributes_type": "必须是“键: 值”形式的映射",
}


def load_plan_file(path: Path | str) -> Plan:
    """Read and validate one plan file; raise PlanError listing every problem found."""
    return load_model_file(path, Plan)


def load_model_file(path: Path | str, model: type[M]) -> M:
    """Read a YAML/JSON file into ``model`` with the plan rules: size limit, no anchors, no
    duplicate keys, every problem reported with its line and key path (PlanError)."""
    path = Path(path)
    raw = _read_bytes(path)
    if path.suffix.lower() == ".json":
        valid = _valid_json(raw, model)
        if valid is not None:
            return valid
    data, lines = _parse(raw, path)
    return _validate(data, lines, path, model)


def _valid_json(raw: bytes, model: type[M]) -> M | None:
    """A JSON file parsed and validated in one pass of pydantic-core (no Python objects in
    between); None when anything is wrong, for ``_parse``/``_validate`` to explain as usual."""
    try:
        return model.model_validate_json(raw.removeprefix(codecs.BOM_UTF8))
    except (ValidationError, PlanError):
        return None


def _read_bytes(path: Path) -> bytes:
    reason = not_a_file(path)
    if reason is not None:
        raise PlanError(Problem(str(path), f"{reason}。"))
    try:
        size = path.stat().st_size
        _check_size(path, size, current_limits())
        return path.read_bytes()
    except OSError as exc:
        raise PlanError(Problem(str(path), f"无法读取文件：{exc.strerror or exc}")) from exc


def _parse(raw: bytes, path: Path) -> tuple[Any, dict[Loc, int]]:
    """The data of a plan file, with the line of each key path (YAML only)."""
    text = _decode(raw, path)
    if not text.strip():
        raise PlanError(
            Problem(f"{path} 第1行", "文件为空，请填写方案内容（格式见 inputs/plans 中的示例）")
        )
    if path.suffix.lower() == ".json":
        return _parse_json(text, path), {}
    from reportgen.plan.yaml_source import parse_yaml  # PyYAML only for YAML plans

    return parse_yaml(text, path)


def max_plan_bytes(limits: Limits) -> int:
    """The largest plan file read: room for ``max_rows`` indicators, at least 2 MB."""
    return max(MIN_PLAN_BYTES, limits.max_rows * PLAN_BYTES_PER_ROW)


def _check_size(path: Path, size: int, limits: Limits) -> None:
    limit = max_plan_bytes(limits)
    if size > limit:
        raise PlanError(
            Problem(
                str(path),
                f"文件过大（{size / MB:.1f} MB），方案文件不应超过 {limit / MB:.1f} MB"
                f"（按每个工作表最多 {limits.max_rows} 行计算；可设置环境变量 "
                "REPORTGEN_MAX_ROWS 调整）。",
            )
        )


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanError(
            Problem(f"{path} 第{line}行", "文件不是 UTF-8 编码，请在编辑器中另存为 UTF-8 后重试")
        ) from exc


def _parse_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(Problem(f"{path} 第{exc.lineno}行", f"JSON 格式错误：{exc.msg}")) from exc


def _validate(data: Any, lines: dict[Loc, int], path: Path, model: type[M]) -> M:
    if not isinstance(data, dict):
        keys = "、".join(list(model.model_fields)[:3])
        raise PlanError(
            Problem(f"{path} 第1行", f"方案文件的顶层必须是“键: 值”形式的映射（{keys} …）")
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(err["loc"], _message(err), lines, path) for err in exc.errors()]
    except PlanError as exc:
        problems = [_problem(_parse_path(p.where), p.message, lines, path) for p in exc.problems]
    raise PlanError(problems)


def _message(err: Any) -> str:
    if err["type"] == "literal_error":
        choices = err["ctx"]["expected"].replace("'", "").replace(" or ", "、").replace(", ", "、")
        return f"必须是 {choices} 之一"
    return str(_MESSAGES.get(err["type"], err["msg"]))


def _problem(loc: Loc, message: str, lines: dict[Loc, int], path: Path) -> Problem:
    loc = tuple(x for x in loc if x != "[key]")
    key_path = format_path(loc)
    line = _line_of(loc, lines)
    where = f"{path} 第{line}行 {key_path}" if line else f"{path} {key_path}"
    return Problem(where.rstrip(), message)


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int | None:
    """The line of the deepest prefix of ``loc`` found in the source (keys compared as text)."""
    text = tuple(str(x) for x in loc)
    return next(
        (lines[text[:end]] for end in range(len(text), -1, -1) if text[:end] in lines), None
    )


def format_path(loc: Loc) -> str:
    """('indicators', 3, 'targets') -> 'indicators[3].targets'."""
    out = ""
    for part in loc:
        index = isinstance(part, int) or (part.isdigit() and out)
        out += f"[{part}]" if index else (f".{part}" if out else str(part))
    return out


def _parse_path(key_path: str) -> Loc:
    """'indicators[3].baseline.year' -> ('indicators', 3, 'baseline', 'year')."""
    loc: list[str | int] = []
    for part in key_path.replace("[", ".[").split("."):
        if part.startswith("["):
            loc.append(int(part[1:-1]))
        elif part:
            loc.append(part)
    return tuple(loc)
