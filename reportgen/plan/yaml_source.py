"""YAML plan files: a safe loader (no anchors, dates left as text) and the line of every key.

Imported only for YAML plans, so reading a JSON plan never loads PyYAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from reportgen.errors import PlanError, Problem
from reportgen.plan.load import Loc, format_path


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


def parse_yaml(text: str, path: Path) -> tuple[Any, dict[Loc, int]]:
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
