"""Builders shared by the intake tests (a plan made in code, templates, filled copies).

Indicator rows in 指标填报: C1 row 2 (cumulative, 项), L1 row 3 (level, 人), P1 row 4 (level, %,
约束性), A1 row 5 (annual, 项/年), R1 row 6 (reverse, 吨标准煤). Column H is 完成值.
"""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from reportgen.intake import write_template
from reportgen.periods import Period, parse_period
from reportgen.plan import Plan
from tests.support.hostile_corpus import SHEET, part_edit, rezip

PERIOD = parse_period("2024-Q2")
ROW = {"C1": 2, "L1": 3, "P1": 4, "A1": 5, "R1": 6}


def plan_data() -> dict[str, Any]:
    """The plan as a dict, to be changed by tests before validating."""
    return {
        "id": "test-plan",
        "title": "测试市计量发展实施方案",
        "issuer": "测试市人民政府办公室",
        "source": "test",
        "start": "2023-01-01",
        "end": "2025-12-31",
        "indicators": [
            _indicator(
                "C1", "累计新建社会公用计量标准", "项", "cumulative", 0, {2024: 10, 2025: 20}
            ),
            _indicator("L1", "注册计量师", "人", "level", 40, {2025: 45}),
            _indicator("P1", "强检计量器具检定覆盖率", "%", "level", 94, {2025: 97}, "约束性"),
            _indicator("A1", "参与省部级计量科研项目", "项/年", "annual", 1, {2025: 2}),
            _indicator("R1", "万元产值综合能耗", "吨标准煤", "reverse", 0.5, {2025: 0.4}),
        ],
        "tasks": [
            _task("T1", "加强计量标准建设", ["市市场监管局"], ["市科技局"]),
            _task("T2", "完善企业测量体系", ["市市场监管局"], ["市经信局"]),
            _task("T3", "加强计量人才队伍建设", ["市人社局"], []),
        ],
    }


def _indicator(ident, name, unit, method, base, targets, attribute="预期性") -> dict[str, Any]:
    return {
        "id": ident,
        "name": name,
        "unit": unit,
        "attribute": attribute,
        "method": method,
        "baseline": {"year": 2022, "value": base},
        "targets": targets,
        "lead": ["市科技局"],  # one reporting unit: its template holds every indicator
        "source_ref": "表1",
    }


def _task(ident, title, lead, cooperating) -> dict[str, Any]:
    return {
        "id": ident,
        "title": title,
        "lead": lead,
        "cooperating": cooperating,
        "source_ref": "二、",
    }


def small_plan(data: dict[str, Any] | None = None) -> Plan:
    return Plan.model_validate(data or plan_data())


def write_plan(plan: Plan, folder: Path) -> Path:
    """Write ``plan`` as ``folder/<plan id>.yaml`` (the form `load_plan` and the CLI read)."""
    path = folder / f"{plan.id}.yaml"
    path.write_text(yaml.safe_dump(plan.to_data(), allow_unicode=True), encoding="utf-8")
    return path


_CACHE: dict[tuple[str, str, str | None], Path] = {}


@functools.cache
def _cache_dir() -> Path:
    folder = tempfile.mkdtemp(prefix="intake-templates-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


def template(
    folder: Path,
    name: str = "填报_市科技局.xlsx",
    plan: Plan | None = None,
    period: Period = PERIOD,
    department: str | None = "市科技局",
) -> Path:
    """A fresh copy of the template (each distinct template is written once per session)."""
    plan = plan or small_plan()
    key = (plan.content_hash, period.key, department)
    if key not in _CACHE:
        out = _cache_dir() / f"{len(_CACHE)}.xlsx"
        _CACHE[key] = write_template(plan, period, out, department=department)
    return Path(shutil.copy(_CACHE[key], folder / name))


def fill(path: Path, cells: dict[str, Any], sheet: str = "指标填报", formats=None) -> Path:
    """Write ``cells`` ({'H2': 12, …}) into ``sheet`` with openpyxl, optional number formats."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    for ref, value in cells.items():
        ws[ref] = value
    for ref, number_format in (formats or {}).items():
        ws[ref].number_format = number_format
    book.save(path)
    return path


def filled(folder: Path, cells: dict[str, Any], name: str = "填报_市科技局.xlsx", **kw) -> Path:
    """A template for 市科技局 (for ``period=``, default PERIOD) with ``cells`` filled in."""
    book = template(folder, name, period=kw.get("period", PERIOD))
    return fill(book, cells, formats=kw.get("formats"))


def set_cached_value(path: Path, ref: str, cached: str) -> None:
    """Give the formula in ``ref`` of 指标填报 a cached value, as Excel does on save."""

    def add_cached(xml: str) -> str:
        xml, count = re.subn(
            rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?',
            rf"\1<f>\2</f><v>{cached}</v>",
            xml,
        )
        assert count == 1, xml
        return xml

    path.write_bytes(rezip(path.read_bytes(), part_edit(SHEET, add_cached)))
