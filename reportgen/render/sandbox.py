"""The sandbox user templates render in, and the same rules checked without rendering.

Jinja2's SandboxedEnvironment already refuses private and dunder attributes, imports and file
access (a template cannot reach the file system: no loader is configured). ``SafeSandbox`` adds
bounds on ``**``, ``*`` and ``range()`` so one expression cannot tie up memory or time; the
lint reports the same things statically (``unsafe_parts``).
"""

from __future__ import annotations

import operator
import re

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_RANGE = 10_000  # items of one range() in a template
MAX_SEQUENCE = 100_000  # characters or items a template may make with *
MAX_POWER_BITS = 10_000  # size of a ** result (Python prints ints of up to 4 300 digits)
PRIVATE_FIELD = re.compile(r"\{[^{}]*[.\[]_")  # '{0.__class__}', '{x[_y]}'


class SafeSandbox(SandboxedEnvironment):
    """Jinja2's sandbox plus bounds on ``**``, ``*`` and ``range``.

    The sandbox already refuses private and dunder attributes; these bounds stop a template
    from tying up memory or time with one expression such as ``{{ 'x' * 10**9 }}``. They also
    keep such expressions from being evaluated while the template compiles.
    """

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        self.globals["range"] = _bounded_range

    def call_binop(self, context, operator: str, left: object, right: object) -> object:
        if operator == "**":
            _check_power(left, right)
        else:
            _check_repeat(left, right)
        return super().call_binop(context, operator, left, right)


def _bounded_range(*args: int) -> range:
    found = range(*args)
    if len(found) > MAX_RANGE:
        raise SecurityError(f"range() 最多 {MAX_RANGE} 项，模板中给出了 {len(found)} 项")
    return found


def _check_power(base: object, exponent: object) -> None:
    ints = isinstance(base, int) and isinstance(exponent, int)
    if ints and max(base.bit_length(), 1) * exponent > MAX_POWER_BITS:
        raise SecurityError("幂运算的结果过大")


def _check_repeat(left: object, right: object) -> None:
    sequence, times = (left, right) if isinstance(right, int) else (right, left)
    repeated = isinstance(sequence, str | list | tuple) and isinstance(times, int)
    if repeated and len(sequence) * times > MAX_SEQUENCE:
        raise SecurityError(f"用 * 生成的文字或列表超过 {MAX_SEQUENCE} 项")


def unsafe_parts(tree: nodes.Template) -> list[str]:
    """What the sandbox would refuse, found without rendering: private attributes, and
    ``**``, ``*`` and ``range()`` on constants beyond SafeSandbox's bounds."""
    messages = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Pow, nodes.Mul, nodes.Call)):
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
    """Run SafeSandbox's checks on operations and range() calls over constants."""
    try:
        if isinstance(node, nodes.Pow | nodes.Mul):
            _constant(node)
        elif isinstance(node, nodes.Call):
            _check_call(node)
    except (_NotConstant, TypeError, ValueError, ArithmeticError):
        pass  # not known before rendering: SafeSandbox checks it then


class _NotConstant(Exception):
    """The expression depends on the report's data."""


def _constant(node: nodes.Node) -> object:
    """The value of a constant expression, computed under the sandbox's bounds."""
    if isinstance(node, nodes.Const):
        return node.value
    operation = _OPERATIONS.get(type(node))
    if operation is None:
        raise _NotConstant
    left, right = _constant(node.left), _constant(node.right)  # type: ignore[attr-defined]
    if isinstance(node, nodes.Pow):
        _check_power(left, right)
    elif isinstance(node, nodes.Mul):
        _check_repeat(left, right)
    return operation(left, right)


_OPERATIONS = {
    nodes.Add: operator.add,
    nodes.Sub: operator.sub,
    nodes.Mul: operator.mul,
    nodes.Pow: operator.pow,
}


def _check_call(node: nodes.Call) -> None:
    """range() with constant bounds; str.format with a field reaching a private attribute."""
    callee = node.node
    if isinstance(callee, nodes.Name) and callee.name == "range":
        _bounded_range(*(_constant(a) for a in node.args))
    elif isinstance(callee, nodes.Getattr) and callee.attr in ("format", "format_map"):
        text = callee.node.value if isinstance(callee.node, nodes.Const) else None
        if isinstance(text, str) and PRIVATE_FIELD.search(text):
            raise SecurityError("格式字符串访问了以下划线开头的属性")
