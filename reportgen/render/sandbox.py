"""The sandbox user templates render in: allow-lists, a rendering budget, and no library objects.

Jinja2's SandboxedEnvironment refuses private and dunder attributes, imports and file access.
``SafeSandbox`` narrows it to what a report template needs (the rules hold by construction,
not by listing what is dangerous):

- the context is plain data (``plain.plain``): templates reach data, never library objects;
- attributes and methods: the fields of a ``Record``, a few harmless methods of text, lists,
  dicts and dates, ``loop`` and ``namespace`` (``SAFE_METHODS``); nothing else;
- filters, tests and globals: allow-lists (no ``lipsum``, ``center``, ``format`` widths …);
- a ``Budget``: every printed value, loop step and filter/method result is charged while
  rendering (characters, steps, time), and widths are checked before they are made.

``lint.py`` applies the same rules without rendering (``static_problems``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.filters import make_attrgetter
from jinja2.runtime import Context, LoopContext, Macro, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment
from jinja2.tests import TESTS as JINJA_TESTS
from jinja2.utils import Namespace, _PassArg
from jinja2.visitor import NodeTransformer

from reportgen.render.budget import (
    MAX_TEXT,
    MAX_WIDTH,
    Budget,
    BudgetExceeded,
    check_format_spec,
    check_join,
    check_percent_format,
    check_replace,
    check_size,
    check_width,
)
from reportgen.render.plain import Record

MAX_RANGE = 10_000  # items of one range() in a template
MAX_SEQUENCE = 100_000  # characters or items a template may make with *
MAX_POWER_BITS = 10_000  # size of a ** result (Python prints ints of up to 4 300 digits)

_TEXT_METHODS = frozenset(
    [
        "strip",
        "lstrip",
        "rstrip",
        "startswith",
        "endswith",
        "split",
        "rsplit",
        "splitlines",
        "upper",
        "lower",
        "title",
        "capitalize",
        "count",
        "find",
        "rfind",
        "isdigit",
        "isnumeric",
        "isalpha",
        "isspace",
        "replace",
        "format",
        "join",
    ]
)
_LOOP_FIELDS = frozenset(
    [
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "cycle",
        "changed",
    ]
)
SAFE_METHODS: tuple[tuple[Any, frozenset[str]], ...] = (
    (str, _TEXT_METHODS),
    (dict, frozenset({"items", "keys", "values", "get"})),
    (list | tuple, frozenset({"count", "index"})),
    (date, frozenset({"year", "month", "day", "isoformat", "weekday", "isoweekday"})),
    (LoopContext, _LOOP_FIELDS),
)
# Method names anywhere in the allow-list (for the static check in lint.py).
METHOD_NAMES = frozenset().union(*(names for _, names in SAFE_METHODS))
SAFE_FILTERS = frozenset(
    [
        "abs",
        "batch",
        "capitalize",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "first",
        "float",
        "format",
        "groupby",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "replace",
        "reverse",
        "round",
        "select",
        "selectattr",
        "slice",
        "sort",
        "string",
        "striptags",
        "sum",
        "title",
        "trim",
        "truncate",
        "unique",
        "upper",
        "wordcount",
    ]
)
BUDGET_FILTERS = ("budget_print", "budget_iter", "budget_concat")  # added by ``_Charged``


class SafeSandbox(SandboxedEnvironment):
    """Jinja2's sandbox narrowed to allow-lists, with a rendering ``Budget``."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.budget = Budget()
        self.filters = {
            name: _charged(name, JINJA_FILTERS[name])
            for name in SAFE_FILTERS
            if name in JINJA_FILTERS
        }
        self.filters.update(
            budget_print=_budget_print, budget_iter=_budget_iter, budget_concat=_budget_concat
        )
        self.tests = dict(JINJA_TESTS)
        self.globals = {"range": bounded_range, "dict": dict, "namespace": Namespace}

    def reset_budget(self, seconds: float | None = None) -> None:
        """Start a new budget (one per report)."""
        self.budget = Budget() if seconds is None else Budget(seconds)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, Record | Namespace):
            return True
        return any(isinstance(obj, kind) and attr in names for kind, names in SAFE_METHODS)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            check_power(left, right)
        elif operator == "*":
            check_repeat(left, right)
        elif operator == "+" and isinstance(left, str | list) and isinstance(right, str | list):
            check_size(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            check_percent_format(left)
        return self.budget.admit(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by Jinja2
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            args = _checked_text_call(owner, getattr(method, "__name__", ""), args)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, Macro):
            __self.budget.step()  # a macro's text is charged as it is printed
            return result
        return __self.budget.admit(result)

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        charged = _Charged().visit(copy.deepcopy(source))  # callers may still read ``source``
        charged.set_environment(self)
        return super()._generate(charged, name, filename, defer_init)


# ---------------------------------------------------------------- charging, node by node


class _Charged(NodeTransformer):
    """Route every printed value, loop and ``~`` through the budget filters."""

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [
            n if isinstance(n, nodes.TemplateData) else _filter(n, "budget_print")
            for n in node.nodes
        ]
        return node

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _filter(node.iter, "budget_iter")
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _filter(nodes.List(node.nodes, lineno=node.lineno), "budget_concat")


def _filter(node: nodes.Node, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


@pass_context
def _budget_print(context: Context, value: Any) -> Any:
    context.environment.budget.printed(value)  # type: ignore[attr-defined]
    return value


@pass_context
def _budget_iter(context: Context, value: Any) -> Any:
    if isinstance(value, str | list | tuple | dict | Iterator | range):
        return context.environment.budget.iterate(value)  # type: ignore[attr-defined]
    return value  # undefined or not iterable: Jinja2 reports it


@pass_context
def _budget_concat(context: Context, values: list[Any]) -> str:
    check_join("", values)
    context.environment.budget.step()  # type: ignore[attr-defined]
    return markup_join(values) if context.eval_ctx.autoescape else str_join(values)


# ---------------------------------------------------------------- filters


_PRECHECKS: dict[str, Callable[..., None]] = {}


def _precheck(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(check: Callable[..., None]) -> Callable[..., None]:
        _PRECHECKS[name] = check
        return check

    return register


@_precheck("replace")
def _check_replace_filter(value: Any, old: Any, new: Any, count: Any = None) -> None:
    check_replace(str(value), str(old), str(new), -1 if count is None else int(count))


@_precheck("format")
def _check_format_filter(value: Any, *args: Any, **kwargs: Any) -> None:
    check_percent_format(str(value))


@_precheck("batch")
def _check_batch(value: Any, linecount: int, fill_with: Any = None) -> None:
    check_width(int(linecount), "batch")


@_precheck("slice")
def _check_slice(value: Any, slices: int, fill_with: Any = None) -> None:
    check_width(int(slices), "slice")


@_precheck("sum")
def _check_sum(value: Any, attribute: Any = None, start: Any = 0) -> None:
    if not isinstance(start, int | float):
        raise SecurityError("sum 的起始值必须是数字")


def _charged(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` (a Jinja2 filter) with its pre-check, and its result charged to the budget."""
    passes = _PassArg.from_obj(func)
    check = _PRECHECKS.get(name)

    @pass_context
    def filter_(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        budget: Budget = context.environment.budget  # type: ignore[attr-defined]
        if isinstance(value, Iterator):
            value = list(budget.iterate(value))
        if name == "join":
            value = _joined_items(context, value, kwargs.pop("attribute", None))
            check_join(args[0] if args else kwargs.get("d", ""), value)
        elif check is not None:
            check(value, *args, **kwargs)
        if passes is _PassArg.context:
            result = func(context, value, *args, **kwargs)
        elif passes is _PassArg.eval_context:
            result = func(context.eval_ctx, value, *args, **kwargs)
        elif passes is _PassArg.environment:
            result = func(context.environment, value, *args, **kwargs)
        else:
            result = func(value, *args, **kwargs)
        return budget.admit(result)

    return filter_


def _joined_items(context: Context, value: Any, attribute: Any) -> list[Any]:
    items = list(value)
    if attribute is None:
        return items
    getter = make_attrgetter(context.environment, attribute)
    return [getter(item) for item in items]


# ---------------------------------------------------------------- operators and range


def bounded_range(*args: int) -> range:
    found = range(*args)
    if len(found) > MAX_RANGE:
        raise SecurityError(f"range() 最多 {MAX_RANGE} 项，模板中给出了 {len(found)} 项")
    return found


def check_power(base: object, exponent: object) -> None:
    ints = isinstance(base, int) and isinstance(exponent, int)
    if ints and max(base.bit_length(), 1) * exponent > MAX_POWER_BITS:  # type: ignore[attr-defined]
        raise SecurityError("幂运算的结果过大")


def check_repeat(left: object, right: object) -> None:
    sequence, times = (left, right) if isinstance(right, int) else (right, left)
    repeated = isinstance(sequence, str | list | tuple) and isinstance(times, int)
    if repeated and len(sequence) * times > MAX_SEQUENCE:  # type: ignore[arg-type,operator]
        raise SecurityError(f"用 * 生成的文字或列表超过 {MAX_SEQUENCE} 项")


def _checked_text_call(text: str, method: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments of a text method once the length of its result is checked."""
    if method in ("format", "format_map"):
        check_format_spec(text)
    elif method == "replace" and len(args) >= 2:
        count = int(args[2]) if len(args) > 2 else -1
        check_replace(text, str(args[0]), str(args[1]), count)
    elif method == "join" and args:
        items = list(args[0])
        check_join(text, items)
        return (items, *args[1:])
    return args


__all__ = ["MAX_TEXT", "MAX_WIDTH", "BudgetExceeded", "SafeSandbox", "SecurityError"]
