"""No extraction rule names a place, a department or an indicator.

The rules must work for plans never seen, so the string constants of ``reportgen/extract`` (the
regular expressions and word lists; docstrings and comments are examples, not rules) may not
contain any indicator or department of the catalog plans, any expected target of the corpus, or
any province or city named in them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import reportgen.extract
from reportgen.plan import load_plan_file
from tests.support.corpus import corpus_files, expected_targets
from tests.support.paths import CATALOG

EXTRACT = Path(reportgen.extract.__file__).parent
PROVINCES = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "京津冀",
    "长三角",
    "珠三角",
]
_PLACE = re.compile(
    r"([\u4e00-\u9fff]{2,3}?)(?:市|县|新区)(?:人民政府|质量|计量|乡村|新型|印发|营商)"
)
_NAME_MIN = 4


def _rule_strings() -> list[str]:
    """Every string constant in the package that is not a docstring."""
    found: list[str] = []
    for module in EXTRACT.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        found += [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ]
    return found


def _known_names() -> set[str]:
    names: set[str] = set(PROVINCES)
    for path in CATALOG.glob("*.yaml"):
        plan = load_plan_file(path)
        names |= {i.name for i in plan.indicators if len(i.name) >= _NAME_MIN}
        names |= {d for t in plan.tasks for d in (*t.lead, *t.cooperating) if len(d) >= _NAME_MIN}
        names |= set(_PLACE.findall(plan.issuer + plan.title))
    for source in corpus_files("dev") + corpus_files("test"):
        names |= {t.name for t in expected_targets(source) if len(t.name) >= _NAME_MIN}
        names |= set(_PLACE.findall(source.read_text(encoding="utf-8")))
    return names


def test_no_rule_names_a_place_a_department_or_an_indicator():
    strings = _rule_strings()
    names = _known_names()
    assert len(names) > 100 and strings
    offending = sorted({n for n in names for s in strings if n in s})
    assert offending == []


def test_the_guard_sees_rule_strings_but_not_docstrings():
    strings = _rule_strings()
    assert any("达到" in s for s in strings)  # a verb of the value grammar
    assert not any(s.startswith("Prose targets:") for s in strings)
