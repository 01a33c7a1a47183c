"""Property: every catalog plan, any as-of date, any values — the drafted documents hold figures
an office can sign: % projections within 0–100, whole counts for counting units, and one status
and one no-projection reason per indicator however many sentences mention it (issue 15).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen import fmt
from reportgen.periods import parse_period
from reportgen.plan import Indicator, Plan, load_plan
from reportgen.progress import ProgressResult, compute_progress
from reportgen.records import Dataset, ValueRecord
from reportgen.render import render_report
from reportgen.render import sentences as S

PLANS = {ref: load_plan(ref) for ref in ("jinan-2023-metrology", "qingdao-2023-metrology",
                                        "shandong-2013-metrology", "zhoushan-2023-metrology")}  # fmt: skip
NUMBER = r"(-?[\d,]+(?:\.\d+)?)"
UNIT = r"(人次|家次|项次|台套|%|个(?!百分点)|[^\d\s，。、（）；：个])"  # 个百分点 is not a count
# a status word in a sentence -> the status it states ("滞后指标" is any lagging status)
STATUS_WORDS = (
    ("进度严重滞后", "严重滞后"),
    ("进度滞后", "滞后"),
    ("本期未报送数据", "未填报"),
    ("年目标（", "已完成"),  # 已完成2025年目标（45人）
)
REASONS = tuple(S.NO_PROJECTION.values())


def value_for(ind: Indicator, draw: st.DrawFn) -> float | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    top = max(float(v) for v in ind.targets.values()) * 2 + 5
    if ind.is_percent:
        return draw(st.integers(0, 1000)) / 10
    if ind.is_integral:
        return float(draw(st.integers(0, int(top))))
    return draw(st.integers(0, int(top * 10))) / 10


@st.composite
def cases(draw: st.DrawFn) -> tuple[Plan, date, dict[str, float | None], dict]:
    plan = PLANS[draw(st.sampled_from(sorted(PLANS)))]
    as_of = draw(st.dates(plan.start - timedelta(days=40), plan.end + timedelta(days=40)))
    values = {i.id: value_for(i, draw) for i in plan.indicators}
    history = {}
    for ind in plan.indicators:  # 0–4 archived quarters before the as-of date
        count = draw(st.integers(0, 4))
        days = [as_of - timedelta(days=91 * (n + 1)) for n in range(count)]
        history[ind.id] = [(day, value_for(ind, draw) or 0.0) for day in days]
    return plan, as_of, values, history


def compute(plan: Plan, as_of: date, values: dict, history: dict) -> ProgressResult:
    period = parse_period(str(as_of.year), as_of)
    records = {k: ValueRecord(k, v, f"填报.xlsx:指标填报!H{n + 2}") for n, (k, v) in enumerate(values.items())}  # fmt: skip
    dataset = Dataset(plan.id, period.key, values=records)
    return compute_progress(plan, dataset, period, history=history)


def sentences_of(path: Path) -> list[str]:
    doc = Document(path)
    texts = [p.text for p in doc.paragraphs]
    return [s for text in texts for s in re.split(r"(?<=[。；])", text) if s.strip()]


def named(sentence: str, names: list[str]) -> list[str]:
    """The indicator names in ``sentence``, longest first so 'A' inside 'xA' is not counted."""
    found = []
    for name in sorted(names, key=len, reverse=True):
        if name in sentence:
            found.append(name)
            sentence = sentence.replace(name, "\0")
    return found


def check_document(path: Path, result: ProgressResult) -> None:
    by_name = {i.name: i for i in result.indicators}
    units = {fmt.display_unit(i.unit) for i in result.indicators}
    counting = {fmt.display_unit(i.unit) for i in result.indicators if i.integral}
    statuses: dict[str, set[str]] = {}
    reasons: dict[str, set[str]] = {}
    for sentence in sentences_of(path):
        for name in named(sentence, list(by_name)):
            said = {status for word, status in STATUS_WORDS if word in sentence}
            statuses.setdefault(name, set()).update(said)
            reasons.setdefault(name, set()).update(r for r in REASONS if r in sentence)
        for value, unit in re.findall(NUMBER + UNIT, sentence):
            if unit in counting:
                assert float(value.replace(",", "")).is_integer(), (unit, value, sentence)
        for value in re.findall(r"预计达到" + NUMBER + "%", sentence):
            assert 0 <= float(value) <= 100, sentence
    for name, said in statuses.items():
        ind = by_name[name]
        assert len(said) <= 1, (name, said)
        assert said <= {ind.status}, (name, said, ind.status)
        assert len(reasons[name]) <= 1, (name, reasons[name])
    assert units  # the plan's units were seen


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_drafted_figures_are_signable(case) -> None:
    plan, as_of, values, history = case
    result = compute(plan, as_of, values, history)
    for ind in result.indicators:
        projected = ind.projected_final
        if projected is not None and ind.unit.strip() in {"%", "％"}:
            assert 0 <= projected <= 100, ind
        if projected is not None and ind.integral:
            assert projected >= 0, ind
        if ind.projected_final is None and ind.actual is not None:
            assert ind.projection_reason == "not_started", ind
    with TemporaryDirectory() as folder:
        for kind in ("weekly", "quarterly", "midterm"):
            shown = _week_of(result) if kind == "weekly" else result  # a brief covers a week
            out = render_report(shown, kind, Path(folder) / f"{kind}.docx")
            check_document(out, shown)


def _week_of(result: ProgressResult) -> ProgressResult:
    """The same figures reported for the ISO week of their as-of date."""
    as_of = result.period.as_of
    year, week, _ = as_of.isocalendar()
    return replace(result, period=parse_period(f"{year}-W{week:02d}", as_of.isoformat()))
