"""The sandbox's rules checked without rendering, for ``template lint``.

Per tag (``unsafe_parts``): private attributes, and operations on constants beyond the
sandbox's bounds (``**``, ``*``, ``range()``, ``%`` and ``format`` widths, ``batch``/``slice``).
Over the whole template (``whole_template_parts``): attributes that are neither a field of the
report context nor an allowed method, and macros that call themselves. Over the package
(``package_parts``): external relationships, altChunk, OLE objects, ActiveX and macros.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
import typing
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from jinja2 import nodes
from jinja2.exceptions import SecurityError

from reportgen.render.budget import (
    MAX_STEPS,
    check_format_spec,
    check_percent_format,
    check_width,
)
from reportgen.render.context import ReportContext
from reportgen.render.sandbox import METHOD_NAMES, bounded_range, check_power, check_repeat

PRIVATE_FIELD = re.compile(r"\{[^{}]*[.\[]_")  # '{0.__class__}', '{x[_y]}'
FIELD_ATTRIBUTE = re.compile(r"\{[^{}:!]*?\.(\w+)")  # '{0.tpl}' -> tpl
_RELS = re.compile(r"(^|/)_rels/[^/]*\.rels$")
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_REFUSED_TYPES = {
    "aFChunk": "嵌入的外部文档（altChunk）",
    "oleObject": "OLE 对象",
    "package": "嵌入的文档包",
    "control": "ActiveX 控件",
    "vbaProject": "宏（VBA）",
    "attachedTemplate": "附加模板",
    "subDocument": "子文档",
    "frame": "外部框架",
}
_REFUSED_PARTS = re.compile(r"(vbaProject|activeX|oleObject|embeddings/)", re.IGNORECASE)


# ---------------------------------------------------------------- one tag


def unsafe_parts(tree: nodes.Template) -> list[str]:
    """What the sandbox would refuse in one tag, found without rendering."""
    messages = []
    kinds = (nodes.Getattr, nodes.Getitem, nodes.Pow, nodes.Mul, nodes.Mod, nodes.Call)
    for node in tree.find_all((*kinds, nodes.Filter)):
        name = _attribute_name(node)
        if name is not None and name.startswith("_"):
            messages.append(f"使用了“{name}”：模板中不允许访问以下划线开头的属性（安全限制）。")
        try:
            _check_constants(node)
        except SecurityError as exc:
            messages.append(f"超出了模板允许的范围：{exc}。")
    return list(dict.fromkeys(messages))


def _attribute_name(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return node.arg.value if isinstance(node.arg.value, str) else None
    return None


def _check_constants(node: nodes.Node) -> None:
    """Run the sandbox's checks on operations whose operands are constants."""
    try:
        if isinstance(node, nodes.Pow | nodes.Mul):
            _constant(node)
        elif isinstance(node, nodes.Mod):
            text = _constant(node.left)
            if isinstance(text, str):
                check_percent_format(text)
        elif isinstance(node, nodes.Call):
            _check_call(node)
        elif isinstance(node, nodes.Filter):
            _check_filter(node)
    except (_NotConstant, TypeError, ValueError, ArithmeticError):
        pass  # not known before rendering: the sandbox checks it then


class _NotConstant(Exception):
    """The expression depends on the report's data."""


def _constant(node: nodes.Node) -> object:
    """The value of a constant expression, computed under the sandbox's bounds."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.Concat):
        return "".join(str(_constant(part)) for part in node.nodes)
    if isinstance(node, nodes.List | nodes.Tuple):
        return [_constant(item) for item in node.items]
    operation = _OPERATIONS.get(type(node))
    if operation is None:
        raise _NotConstant
    left, right = _constant(node.left), _constant(node.right)  # type: ignore[attr-defined]
    if isinstance(node, nodes.Pow):
        check_power(left, right)
    elif isinstance(node, nodes.Mul):
        check_repeat(left, right)
    return operation(left, right)


_OPERATIONS: dict[type[nodes.Node], typing.Callable[[typing.Any, typing.Any], object]] = {
    nodes.Add: operator.add,
    nodes.Sub: operator.sub,
    nodes.Mul: operator.mul,
    nodes.Pow: operator.pow,
}


def _check_call(node: nodes.Call) -> None:
    """range() with constant bounds; a constant format string's fields and widths."""
    callee = node.node
    if isinstance(callee, nodes.Name) and callee.name == "range":
        bounded_range(*(_constant(a) for a in node.args))  # type: ignore[arg-type]
    elif isinstance(callee, nodes.Getattr) and callee.attr in ("format", "format_map"):
        text = _constant(callee.node)
        if isinstance(text, str):
            if PRIVATE_FIELD.search(text):
                raise SecurityError("格式字符串访问了以下划线开头的属性")
            unknown = set(FIELD_ATTRIBUTE.findall(text)) - context_fields() - METHOD_NAMES
            if unknown:
                raise SecurityError(
                    f"格式字符串访问了报告数据中没有的属性“{'、'.join(sorted(unknown))}”"
                )
            check_format_spec(text)


def _check_filter(node: nodes.Filter) -> None:
    """``|format`` of a constant, and constant counts given to ``|batch``/``|slice``."""
    if node.name == "format" and isinstance(node.node, nodes.Const):
        check_percent_format(str(node.node.value))
    elif node.name in ("batch", "slice") and node.args:
        count = _constant(node.args[0])
        if isinstance(count, int):
            check_width(count, node.name)


# ---------------------------------------------------------------- the whole template


@functools.cache
def context_fields() -> frozenset[str]:
    """Every field name of the report context's data classes, at any depth."""
    names: set[str] = set()
    pending: list[type] = [ReportContext]
    seen: set[type] = set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for name, hint in typing.get_type_hints(cls).items():
            names.add(name)
            pending += [t for t in _types_in(hint) if dataclasses.is_dataclass(t)]
    return frozenset(names)


def _types_in(hint: object) -> Iterator[type]:
    if isinstance(hint, type):
        yield hint
    for arg in typing.get_args(hint):
        yield from _types_in(arg)


def whole_template_parts(tree: nodes.Template) -> list[tuple[str, str]]:
    """(word to find the tag by, message) for unknown attributes and self-calling macros."""
    known = context_fields() | METHOD_NAMES | _namespace_names(tree)
    found: list[tuple[str, str]] = []
    for node in tree.find_all(nodes.Getattr):
        if node.attr not in known and not node.attr.startswith("_"):
            found.append(
                (
                    f".{node.attr}",
                    f"使用了“{node.attr}”：报告数据中没有这个属性，模板也不能调用它。",
                )
            )
    if _loop_steps(tree) > MAX_STEPS:
        found.append(
            ("range(", f"嵌套循环合计超过 {MAX_STEPS:,} 步，超出了模板允许的范围（安全限制）。")
        )
    for macro in tree.find_all(nodes.Macro):
        calls = macro.find_all(nodes.Call)
        if any(isinstance(c.node, nodes.Name) and c.node.name == macro.name for c in calls):
            found.append((macro.name, f"宏“{macro.name}”调用了自身，模板中不允许递归。"))
    return list(dict.fromkeys(found))


def _loop_steps(node: nodes.Node, outer: int = 1) -> int:
    """The most loop steps nested ``range()`` loops with constant bounds would take."""
    most = outer
    for child in node.iter_child_nodes():
        times = outer
        if isinstance(child, nodes.For):
            times = outer * _range_length(child.iter)
        most = max(most, _loop_steps(child, times))
    return most


def _range_length(node: nodes.Node) -> int:
    """The length of ``range(<constants>)``; 1 when not known before rendering."""
    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)):
        return 1
    if node.node.name != "range":
        return 1
    try:
        return len(range(*(_constant(a) for a in node.args)))  # type: ignore[call-overload]
    except (_NotConstant, TypeError, ValueError, OverflowError):
        return 1


def _namespace_names(tree: nodes.Template) -> set[str]:
    """Attributes a template gives its namespaces (``namespace(x=…)``, ``set ns.x``)."""
    names = {ref.attr for ref in tree.find_all(nodes.NSRef)}
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "namespace":
            names |= {kw.key for kw in call.kwargs}
    return names


# ---------------------------------------------------------------- the package


def package_parts(package: zipfile.ZipFile) -> list[str]:
    """Messages for parts and relationships a report template must not carry."""
    messages = [
        f"包含 {name}（宏、ActiveX 或嵌入对象），模板中不允许。"
        for name in package.namelist()
        if _REFUSED_PARTS.search(name)
    ]
    for name in package.namelist():
        if _RELS.search(name):
            messages += _relationship_problems(name, package.read(name))
    return list(dict.fromkeys(messages))


def _relationship_problems(name: str, data: bytes) -> list[str]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return [f"{name} 不是有效的 XML。"]
    messages = []
    for rel in root.iter(_REL_NS):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = rel.get("Target", "")
        if kind in _REFUSED_TYPES:
            messages.append(f"含有{_REFUSED_TYPES[kind]}（{target}），模板中不允许。")
        elif rel.get("TargetMode") == "External" and not (
            kind == "hyperlink" and target.lower().startswith(_LINK_SCHEMES)
        ):
            messages.append(
                f"引用了外部资源“{target}”（{kind}），生成的报告打开时会访问它，模板中不允许。"
            )
    return messages
