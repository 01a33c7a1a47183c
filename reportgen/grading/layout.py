"""The scoring workbook's layout, shared by the template writer and the reader.

评分: row 1 holds one header per item (two columns wide: the score and its reason), row 2 the
column names, then one row per unit assessed. 情形认定: one row per finding (unit, situation,
facts). A veryHidden _meta says which scheme, year and member unit the workbook is for.
"""

from __future__ import annotations

from reportgen.grading.model import Item, ItemKind, Scheme, Situation

TEMPLATE_VERSION = 1
GUIDE_SHEET = "填写说明"
SCORE_SHEET = "评分"
FINDING_SHEET = "情形认定"
CHOICES_SHEET = "_choices"  # veryHidden: the drop-down lists
META_SHEET = "_meta"
META_KEYS = ("scheme_id", "year", "scheme_hash", "scorer", "template_version")

UNIT_HEADER = "被评议单位"
HEADER_ROWS = 2  # item headers, then 得分/原因 names; units from row 3
FINDING_HEADERS = ("被评议单位", "情形", "事实和依据")
FINDING_COLUMNS = {header: column for column, header in enumerate(FINDING_HEADERS)}
FINDING_ROWS_PER_UNIT = 2

SCORE_NAMES: dict[ItemKind, str] = {
    "base": "得分",
    "instant": "得分",
    "bonus": "加分",
    "deduction": "扣分",
}
REASON_NAMES: dict[ItemKind, str] = {
    "base": "扣分原因",
    "instant": "扣分原因",
    "bonus": "加分依据",
    "deduction": "扣分原因",
}
EFFECT_NAMES = {"downgrade": "降级", "veto": "否决"}


def item_label(item: Item) -> str:
    """The item's header: 'K2 食品生产经营监督管理（12分）' (the reader takes the id before the space)."""
    return f"{item.id} {item.name}（{item.points:g}分）"


def situation_label(scheme: Scheme, situation: Situation) -> str:
    """The drop-down entry: 'J3 降级：评议中弄虚作假' (the reader takes the id before the space)."""
    names = {**EFFECT_NAMES, **{r.id: r.name for r in scheme.lists}}
    return f"{situation.id} {names[situation.effect]}：{situation.name}"


def label_id(text: str) -> str:
    """The id a label starts with: 'K2 食品…' -> 'K2'."""
    return text.strip().split(maxsplit=1)[0] if text.strip() else ""


def score_column(index: int) -> int:
    """Zero-based column of the ``index``-th item's score (its reason is the next column)."""
    return 1 + 2 * index


def finding_rows(scheme: Scheme) -> int:
    return FINDING_ROWS_PER_UNIT * len(scheme.units)


def needs_reason(kind: ItemKind, value: float, points: float) -> bool:
    """A score below full marks, or any bonus or deduction, must say why."""
    return value < points if kind in ("base", "instant") else value > 0
