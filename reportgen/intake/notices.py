"""Console notices: warnings that repeat over many cells, grouped into one line per kind.

Only the console summary groups; every warning stays in ``Dataset.warnings``, so ``reportgen
check`` (and its --json) and the report's 数据问题 annex still list each cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportgen.errors import Problem

GROUP_MIN = 4  # this many warnings of one kind print as one line
GROUP_SHOWN = 3  # cells named in that line
# Phrases of the plausibility warnings (validate.plausibility_problems) -> the kind they name.
FALLEN_TOTAL = "累计值一般不会减少"
REVERSE_ABOVE_BASELINE = "是逆向指标（越低越好）"
FAR_ABOVE_TARGET = "请核实是否多填了位数或单位不一致"
KINDS = {
    FALLEN_TOTAL: "累计值低于上期归档值",
    REVERSE_ABOVE_BASELINE: "逆向指标高于基期值",
    FAR_ABOVE_TARGET: "完成值远超目标",
}


def kind_of(problem: Problem) -> str:
    """The kind of a repeatable warning ('' for any other problem)."""
    return next((kind for phrase, kind in KINDS.items() if phrase in problem.message), "")


def grouped_notices(problems: Iterable[Problem]) -> list[str]:
    """Console lines for ``problems``: each alone, except that a kind seen at least GROUP_MIN
    times becomes one line, at its first place, with its count and first cells."""
    kinds = [(problem, kind_of(problem)) for problem in problems]
    by_kind: dict[str, list[Problem]] = {}
    for problem, kind in kinds:
        if kind:
            by_kind.setdefault(kind, []).append(problem)
    lines: list[str] = []
    for problem, kind in kinds:
        group = by_kind.get(kind, [])
        if len(group) < GROUP_MIN:
            lines.append(str(problem))
        elif group[0] is problem:
            cells = "；".join(p.where for p in group[:GROUP_SHOWN])
            lines.append(
                f"{kind}，共 {len(group)} 处，如 {cells} 等，请核实。"
                "逐项清单见 reportgen check 的输出和报告附件“数据问题”。"
            )
    return lines
