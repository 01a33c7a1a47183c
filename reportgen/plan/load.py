"""Reading plan files (YAML or JSON) into validated plans, with errors that point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from reportgen.errors import PlanError, Problem
from reportgen.fileio import not_a_file
from reportgen.plan.model import Plan

MAX_PLAN_BYTES = 2 * 1024 * 1024
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
    data, lines = _read_data(path)
    return _validate(data, lines, path, model)


def _read_data(path: Path) -> tuple[Any, dict[Loc, int]]:
    reason = not_a_file(path)
    if reason is not None:
        raise PlanError(Problem(str(path), f"{reason}。"))
    try:
        size = path.stat().st_size
        if size > MAX_PLAN_BYTES:
            raise PlanError(Problem(str(path), f"文件过大（{size} 字节），方案文件不应超过 2 MB"))
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(Problem(str(path), f"无法读取文件：{exc.strerror or exc}")) from exc
    text = _decode(raw, path)
    if not text.strip():
        raise PlanError(
            Problem(f"{path} 第1行", "文件为空，请填写方案内容（格式见 inputs/plans 中的示例）")
        )
    if path.suffix.lower() == ".json":
        return _parse_json(text, path), {}
    return _parse_yaml(text, path)


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


class _PlanLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases (expansion bombs) and leaves dates as text.

    Dates stay strings so the model parses them and reports a bad one with its key path.
    """

    yaml_implicit_resolvers = {  # noqa: RUF012  (PyYAML reads it from the class)
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="方案文件不支持 YAML 锚点和别名（& 与 *），请直接写出内容",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def _parse_yaml(text: str, path: Path) -> tuple[Any, dict[Loc, int]]:
    try:
        loader = _PlanLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise PlanError(
            Problem(f"{path} 第{line}行", "文件中含有不可见的控制字符（如 NUL），请删除后重试")
        ) from exc
    try:
        node = loader.get_single_node()
        if node is None:
            raise PlanError(Problem(f"{path} 第1行", "文件中没有内容"))
        lines: dict[Loc, int] = {}
        _index_lines(node, (), lines, path)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise PlanError(
            Problem(f"{path} 第{line}行", f"YAML 格式错误：{exc.problem or exc}")
        ) from exc
    except yaml.YAMLError as exc:
        raise PlanError(Problem(str(path), f"YAML 格式错误：{exc}")) from exc
    except RecursionError:
        raise PlanError(
            Problem(str(path), "YAML 嵌套层数过深，方案文件不可能这样写，请检查文件内容")
        ) from None
    finally:
        loader.dispose()


def _index_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: Path) -> None:
    """Map each key path to its line; refuse a key written twice in one mapping."""
    lines[tuple(str(x) for x in loc)] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                where = (
                    f"{path} 第{key.start_mark.line + 1}行 {format_path((*loc, str(key.value)))}"
                )
                raise PlanError(Problem(where, "同一个键写了两次，请删除多余的一处"))
            seen.add(key.value)
            _index_lines(value, (*loc, str(key.value)), lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            _index_lines(item, (*loc, n), lines, path)


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
