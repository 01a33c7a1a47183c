"""Hand-built inputs for the archive tests and benchmark (no tests here).

``make_plan`` and ``make_inputs`` build plans, datasets and progress results by hand, so the archive
tests depend neither on intake nor on compute_progress. Kept free of pytest and openpyxl so the
child processes of tests/test_archive_safety.py start quickly.
"""

from __future__ import annotations

from reportgen.archive import Archive, SnapshotInfo
from reportgen.errors import Problem
from reportgen.periods import Period, parse_period
from reportgen.plan import Plan
from reportgen.progress import IndicatorProgress, ProgressResult, TaskProgress
from reportgen.records import Dataset, SourceFile, TaskRecord, ValueRecord
from tests.support.render_samples import of_plan

TARGETS = {"I1": 200, "I2": 95.0, "I3": 40}
UNITS = {"I1": "项", "I2": "%", "I3": "家"}
WEIRD = "<b>&amp;</b> 😀 \x07 =SUM(A1) " + "长" * 300


def make_plan(plan_id: str = "demo-plan", title: str = "示例计量发展实施方案") -> Plan:
    """A small plan: three indicators (one in %), two tasks."""
    indicators = [
        {
            "id": i,
            "name": f"指标{i}",
            "unit": UNITS[i],
            "method": "level" if i == "I2" else "cumulative",
            "targets": {2025: TARGETS[i]},
            "lead": ["市市场监管局"],
            "source_ref": "专栏1",
        }
        for i in TARGETS
    ]
    return Plan.model_validate(
        {
            "id": plan_id,
            "title": title,
            "issuer": "示例市人民政府",
            "source": "seed.txt",
            "start": "2023-01-01",
            "end": "2025-12-31",
            "indicators": indicators,
            "tasks": [
                {
                    "id": "T1",
                    "title": "完善计量标准体系",
                    "lead": ["市市场监管局"],
                    "source_ref": "二（一）",
                },
                {
                    "id": "T2",
                    "title": "加强计量监督",
                    "lead": ["市发展改革委"],
                    "source_ref": "二（二）",
                },
            ],
        }
    )


def _progress(
    plan: Plan, indicator_id: str, actual: float | None, source: str
) -> IndicatorProgress:
    """Hand-made figures: completion = actual / target, status from completion alone."""
    ind = plan.indicator(indicator_id)
    completion = None if actual is None else actual / ind.final_target
    status = "未填报" if completion is None else "已完成" if completion >= 1 else "进度正常"
    return IndicatorProgress(
        id=ind.id,
        name=ind.name,
        category=None,
        unit=ind.unit,
        attribute=ind.attribute,
        method=ind.method,
        actual=actual,
        target=ind.final_target,
        target_year=ind.final_year,
        expected=ind.final_target / 2,
        completion=completion,
        time_progress=0.5,
        gap_pp=None if completion is None else 50 - completion * 100,
        status=status,
        binding_alert=False,
        final_target=ind.final_target,
        final_completion=completion,
        projected_final=None,
        at_risk=None if actual is None else False,
        source=source if actual is not None else None,
    )


def make_inputs(
    plan: Plan, period_key: str, actuals: dict[str, float | None], progress_text: str = "推进中"
) -> tuple[Period, Dataset, ProgressResult]:
    """Period, dataset and progress result for ``actuals`` (None = 未填报)."""
    period = parse_period(period_key)
    source = {i: f"填报_市市场监管局.xlsx:指标填报!H{n + 5}" for n, i in enumerate(actuals)}
    values = {
        i: ValueRecord(
            i, v, source[i], as_of=period.end, remark=f"备注{i}", department="市市场监管局"
        )
        for i, v in actuals.items()
    }
    tasks = {
        "T1": [
            TaskRecord(
                "T1",
                "填报_市市场监管局.xlsx:重点任务!E5",
                "市市场监管局",
                "推进中",
                progress_text,
                "",
                "继续",
            )
        ]
    }
    files = [
        SourceFile(
            "/tmp/x/填报_市市场监管局.xlsx",
            "填报_市市场监管局.xlsx",
            "ab" * 32,
            12345,
            "市市场监管局",
        )
    ]
    dataset = Dataset(
        plan.id,
        period.key,
        values,
        tasks,
        files,
        warnings=[Problem("填报_市市场监管局.xlsx 指标填报!H7", "数值偏大，请核实")],
        missing_departments=["市发展改革委"],
    )
    indicators = [_progress(plan, i, actuals.get(i), source.get(i, "")) for i in TARGETS]
    task_progress = [
        TaskProgress(
            "T1", "完善计量标准体系", ["市市场监管局"], "推进中", progress_text, "", "继续"
        ),
        TaskProgress("T2", "加强计量监督", ["市发展改革委"], None, "", "", ""),
    ]
    return period, dataset, of_plan(plan, period, indicators, task_progress)


def add(
    archive: Archive,
    plan: Plan,
    period_key: str,
    actuals: dict[str, float | None],
    note: str | None = None,
) -> SnapshotInfo:
    """Archive hand-made figures for one period."""
    period, dataset, result = make_inputs(plan, period_key, actuals)
    return archive.add(plan, period, dataset, result, note=note)
