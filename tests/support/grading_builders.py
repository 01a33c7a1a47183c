"""The hand-worked 评议 scenario shared by the grading tests: 12 districts, their scores, the
findings and last year's places, with the result worked out by hand (see HAND_RESULT).

The scheme is the 济南 catalog scheme (its categories, situations, grade rules and lists) with
six simple items, so the hand reasoning exercises the real rules:

    item  category   points  scorer        total = B1 + B2 + I1 + min(P1 + P2, 5) − M1
    B1    basic      60      市食药安办
    B2    key        40      市市场监管局
    I1    instant    15      市市场监管局   (即时性 cap 15)
    P1    bonus      3       市食药安办     (加分 cap 5: 3 + 4 is capped)
    P2    bonus      4       市市场监管局
    M1    deduction  10      市食药安办
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from reportgen.grading import Finding, PreviousPlaces, Scheme, Score, write_template
from reportgen.grading.layout import FINDING_SHEET, HEADER_ROWS, SCORE_SHEET, situation_label
from reportgen.grading.model import decimal
from reportgen.locations import resource_path

ORGANIZER, MARKET = "市食药安办", "市市场监管局"
ITEMS = [
    {"id": "B1", "category": "basic", "name": "基础工作", "points": 60, "scorer": ORGANIZER},
    {"id": "B2", "category": "key", "name": "重点工作", "points": 40, "scorer": MARKET},
    {"id": "I1", "category": "instant", "name": "专项工作", "points": 15, "scorer": MARKET},
    {"id": "P1", "category": "bonus", "name": "创新做法", "points": 3, "scorer": ORGANIZER},
    {"id": "P2", "category": "bonus", "name": "活动保障", "points": 4, "scorer": MARKET},
    {
        "id": "M1",
        "category": "deduction",
        "name": "食品安全事件",
        "points": 10,
        "scorer": ORGANIZER,
    },
]
ITEM_IDS = [i["id"] for i in ITEMS]

# unit: (B1, B2, I1, P1, P2, M1) -> total, place (equal totals share a place, the next is skipped)
SCORES: dict[str, tuple[float, ...]] = {
    "历下区": (58, 38, 15, 3, 4, 4),  # 58+38+15+min(7,5)−4 = 112      1
    "市中区": (57, 37.5, 14, 0, 0, 0),  # 108.5                         2
    "槐荫区": (55, 36, 14, 0, 0, 0),  # 105                             3
    "天桥区": (52.25, 38, 11, 0, 0, 0),  # 101.25                       4 (tied)
    "历城区": (50.75, 36, 12.5, 2, 0, 0),  # 101.25                     4 (tied)
    "长清区": (52, 35, 12, 0, 0, 0),  # 99                              6 (5 is skipped)
    "章丘区": (50, 35, 12, 0, 0, 0),  # 97                              7
    "济阳区": (50, 33, 12, 0, 0, 0),  # 95                              8
    "莱芜区": (50, 31, 12, 0, 0, 0),  # 93                              9
    "钢城区": (50, 30, 10, 0, 0, 0),  # 90                              10
    "平阴县": (48, 30, 10, 0, 0, 0),  # 88                              11
    "商河县": (48, 30, 10, 0, 0, 3),  # 85                              12
}
UNITS = list(SCORES)
TOTALS = {
    "历下区": "112", "市中区": "108.5", "槐荫区": "105", "天桥区": "101.25", "历城区": "101.25",
    "长清区": "99", "章丘区": "97", "济阳区": "95", "莱芜区": "93", "钢城区": "90",
    "平阴县": "88", "商河县": "85",
}  # fmt: skip
LAST_YEAR = {
    "历下区": 1, "市中区": 2, "槐荫区": 5, "天桥区": 4, "历城区": 7, "长清区": 3,
    "章丘区": 6, "济阳区": 9, "莱芜区": 8, "钢城区": 10, "平阴县": 12, "商河县": 11,
}  # fmt: skip
FINDINGS = [
    ("历下区", "J3", "年终自查报告虚报监督抽检批次。"),  # A -> B
    ("槐荫区", "F1", "10月缓报一起较大食品安全事故。"),  # A -> D (否决)
    ("济阳区", "J1", "属地包保责任未落实到位。"),  # B, two 降级 situations: B -> C -> (D),
    ("济阳区", "J5", "一起掺假案件未按规定处置。"),  # held at the floor C
    ("章丘区", "T3", "食品安全状况评价全市第一。"),  # 第十三条第（三）项 -> 通报表扬
    ("莱芜区", "Y1", "上年度通报的冷链问题未整改到位。"),  # -> 视情约谈
]

# Worked by hand. 12 units: the top third is places ≤ ⌊12 × 1/3⌋ = 4; 天桥区 and 历城区 share
# place 4, so both are in it (5 units at places ≤ 4; the next place is 6).
#   unit    place  ranked  findings        grade  last year  change
#   历下区   1      A       J3 降级          B      1          0
#   市中区   2      A       —               A      2          0
#   槐荫区   3      A       F1 否决          D      5          +2
#   天桥区   4=     A       —               A      4          0
#   历城区   4=     A       —               A      7          +3
#   长清区   6      B       —               B      3          −3
#   章丘区   7      B       T3 成效突出      B      6          −1
#   济阳区   8      B       J1, J5 降级 ×2   C      9          +1   (B→C→D stops at the floor C)
#   莱芜区   9      B       Y1 问题未整改    B      8          −1
#   钢城区   10     B       —               B      10         0    last 3
#   平阴县   11     B       —               B      12         +1   last 3
#   商河县   12     B       —               B      11         −1   last 3
# 通报表扬 (第十三条): A -> 市中区, 天桥区, 历城区 (also +3); T3 -> 章丘区. 槐荫区 rose 2 places
#   but has a 否决 situation: left off. 历下区 lost its A to the 降级: not on the list.
# 约谈 (第十四条第一款): D -> 槐荫区; last 3 places -> 钢城区, 平阴县, 商河县.
# 视情约谈 (第十四条第二款): fall ≥ 3 -> 长清区; C -> 济阳区; Y1 -> 莱芜区.
HAND_RESULT = {
    "历下区": (1, "A", "B", {}),
    "市中区": (2, "A", "A", {"commend": ["grade"]}),
    "槐荫区": (3, "A", "D", {"interview": ["grade"]}),
    "天桥区": (4, "A", "A", {"commend": ["grade"]}),
    "历城区": (4, "A", "A", {"commend": ["grade", "rise"]}),
    "长清区": (6, "B", "B", {"consider": ["fall"]}),
    "章丘区": (7, "B", "B", {"commend": ["situation"]}),
    "济阳区": (8, "B", "C", {"consider": ["grade"]}),
    "莱芜区": (9, "B", "B", {"consider": ["situation"]}),
    "钢城区": (10, "B", "B", {"interview": ["last_places"]}),
    "平阴县": (11, "B", "B", {"interview": ["last_places"]}),
    "商河县": (12, "B", "B", {"interview": ["last_places"]}),
}


def catalog_data() -> dict[str, Any]:
    """The 济南 catalog scheme as a dict."""
    path = resource_path("evaluations") / "jinan-food-safety.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def scheme_data(**changes: Any) -> dict[str, Any]:
    """The scenario's scheme as a dict (the catalog's rules, 12 units, six items)."""
    data = catalog_data()
    data.update(units=UNITS, items=[dict(i) for i in ITEMS])
    data.update(changes)
    return data


def scheme(**changes: Any) -> Scheme:
    return Scheme.model_validate(scheme_data(**changes))


def write_scheme(path: Path, **changes: Any) -> Path:
    path.write_text(yaml.safe_dump(scheme_data(**changes), allow_unicode=True), encoding="utf-8")
    return path


def scores() -> list[Score]:
    return [
        Score(unit, item_id, decimal(value), "" if _full(item_id, value) else "见评分细则")
        for unit, values in SCORES.items()
        for item_id, value in zip(ITEM_IDS, values, strict=True)
    ]


def findings() -> list[Finding]:
    return [Finding(unit, situation, facts) for unit, situation, facts in FINDINGS]


def previous() -> PreviousPlaces:
    return PreviousPlaces(2023, dict(LAST_YEAR), "2023年度评议结果通报")


def _full(item_id: str, value: float) -> bool:
    """True when the score needs no reason: full marks, or no bonus/deduction."""
    item = next(i for i in ITEMS if i["id"] == item_id)
    return value == (item["points"] if item_id[0] in "BI" else 0)


def fill_workbooks(the_scheme: Scheme, folder: Path) -> list[Path]:
    """One filled scoring workbook per scorer, as the member units would send them back."""
    paths = []
    for scorer in the_scheme.scorers():
        path = write_template(the_scheme, scorer, folder / f"评分_{scorer}.xlsx")
        book = openpyxl.load_workbook(path)
        sheet = book[SCORE_SHEET]
        for index, item in enumerate(the_scheme.items_of(scorer)):
            column = 2 + 2 * index
            for row, unit in enumerate(the_scheme.units, start=HEADER_ROWS + 1):
                value = SCORES[unit][ITEM_IDS.index(item.id)]
                sheet.cell(row, column, value)
                if not _full(item.id, value):
                    sheet.cell(row, column + 1, f"{unit}{item.name}扣分依据")
        if scorer == ORGANIZER:
            found = book[FINDING_SHEET]
            for row, (unit, situation, facts) in enumerate(FINDINGS, start=2):
                label = situation_label(the_scheme, the_scheme.situation(situation))
                for column, value in enumerate((unit, label, facts), start=1):
                    found.cell(row, column, value)
        book.save(path)
        paths.append(path)
    return paths


def total(unit: str) -> Decimal:
    return Decimal(TOTALS[unit])
