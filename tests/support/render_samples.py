"""Hand-built progress results for the render tests (no intake or progress engine needed).

Each indicator's figures are chosen by hand so the expected display strings are known:
completion 0.3333 -> '33.3%', gap 16.62 -> '16.6个百分点', and so on.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from reportgen.periods import parse_period
from reportgen.plan import Plan
from reportgen.progress import IndicatorProgress, PlanFacts, ProgressResult, TaskProgress

PLAN_DATA = {
    "id": "test-plan",
    "title": "测试市贯彻落实《计量发展规划（2021-2035年）》实施方案",
    "issuer": "测试市人民政府办公室",
    "reporting_office": "测试市市场监督管理局",
    "source": "test.txt",
    "start": date(2023, 1, 1),
    "end": date(2025, 12, 31),
    "indicators": [
        {
            "id": f"I{n}",
            "name": name,
            "unit": unit,
            "attribute": attribute,
            "method": "level",
            "baseline": {"year": 2022, "value": base},
            "targets": {2025: target},
            "lead": ["市市场监管局"],
            "source_ref": f"表 第{n}行",
        }
        for n, (name, unit, attribute, base, target) in enumerate(
            [
                ("全市强检计量器具检定覆盖率", "%", "约束性", 94, 97),
                ("注册计量师", "人", "预期性", 40, 45),
                ("计量技术机构", "家", "预期性", 8, 10),
                ("诚信计量示范单位", "家", "预期性", 100, 200),
                ("主持编制地方检定规程", "项", "预期性", 4, 6),
            ],
            1,
        )
    ],
    "tasks": [
        {
            "id": "T1",
            "title": "加强计量标准建设",
            "lead": ["市市场监管局"],
            "cooperating": ["市科技局"],
            "source_ref": "二、1.",
        },
        {
            "id": "T2",
            "title": "加强计量人才队伍建设",
            "lead": ["市人力社保局"],
            "source_ref": "二、2.",
        },
    ],
}
PERIOD = parse_period("2024-Q2")
WEEK = parse_period("2024-W26")  # the quarter's last week: the same as-of date


def _ind(n: int, **values) -> IndicatorProgress:
    spec = PLAN_DATA["indicators"][n - 1]
    base = {
        "id": spec["id"],
        "name": spec["name"],
        "category": None,
        "unit": spec["unit"],
        "attribute": spec["attribute"],
        "method": "level",
        "target": float(spec["targets"][2025]),
        "target_year": 2025,
        "final_target": float(spec["targets"][2025]),
        "source": f"填报.xlsx:指标填报!H{n + 1}",
        "plan_time_progress": 0.4991,
        "integral": spec["unit"] != "%",
    }
    if values.get("projected_final") is not None:
        base |= {"projection_method": "trend", "projection_note": "按近4期趋势"}
    else:
        base["projection_reason"] = "no_data"
    return IndicatorProgress(**{**base, **values})


# (a - s) / (T - s) and t = (e - s) / (T - s), gap = (t - c) x 100, by hand:
INDICATORS = [
    # 覆盖率 94 -> 97, a = 95: c = 1/3, t = 0.4991, gap = 16.58 -> 滞后, 约束性 -> alert
    _ind(1, actual=95.0, expected=95.497, completion=1 / 3, time_progress=0.4991,
         gap_pp=16.58, status="滞后", binding_alert=True, final_completion=1 / 3,
         projected_final=95.999, at_risk=True),
    # 注册计量师 40 -> 45, a = 46: c = 1.2 -> 已完成
    _ind(2, actual=46.0, expected=42.5, completion=1.2, time_progress=0.4991, gap_pp=-70.09,
         status="已完成", binding_alert=False, final_completion=1.2, projected_final=52.0,
         at_risk=False),
    # 计量技术机构 8 -> 10, a = 9: c = 0.5, t = 0.4991, gap = -0.09 -> 进度正常
    _ind(3, actual=9.0, expected=8.998, completion=0.5, time_progress=0.4991, gap_pp=-0.09,
         status="进度正常", binding_alert=False, final_completion=0.5, projected_final=10.004,
         at_risk=False),
    # 示范单位 100 -> 200, a = 120: c = 0.2, t = 0.4991, gap = 29.91 -> 严重滞后
    _ind(4, actual=120.0, expected=149.91, completion=0.2, time_progress=0.4991, gap_pp=29.91,
         status="严重滞后", binding_alert=False, final_completion=0.2, projected_final=140.06,
         at_risk=True),
    # 地方检定规程: not reported
    _ind(5, actual=None, expected=4.998, completion=None, time_progress=0.4991, gap_pp=None,
         status="未填报", binding_alert=False, final_completion=None, projected_final=None,
         at_risk=None),
]  # fmt: skip
TASKS = [
    TaskProgress(
        id="T1",
        title="加强计量标准建设",
        lead=["市市场监管局"],
        status="推进中",
        progress="新建社会公用计量标准2项",
        problems="经费不足",
        next_steps="申请专项经费",
    ),
    TaskProgress(
        id="T2",
        title="加强计量人才队伍建设",
        lead=["市人力社保局"],
        status=None,
        progress="",
        problems="",
        next_steps="",
    ),
]


def plan() -> Plan:
    return Plan.model_validate(PLAN_DATA)


def result(indicators=None, tasks=None, period=PERIOD) -> ProgressResult:
    return of_plan(plan(), period, list(indicators or INDICATORS), list(tasks or TASKS))


def of_plan(plan: Plan, period, indicators, tasks) -> ProgressResult:
    """A hand-built result of ``plan`` with its own 严重滞后 threshold."""
    facts = PlanFacts.of(plan)
    return ProgressResult(facts, period, indicators, tasks, plan.thresholds.severe_gap_pp)


def previous() -> dict[str, IndicatorProgress]:
    """Last quarter: 覆盖率 94.5 (c = 1/6), 注册计量师 44 (c = 0.8), the others unchanged."""
    before = {i.id: i for i in INDICATORS}
    before["I1"] = replace(before["I1"], actual=94.5, completion=1 / 6)
    before["I2"] = replace(before["I2"], actual=44.0, completion=0.8)
    return before


def many(count: int) -> ProgressResult:
    """A result with ``count`` indicators cycling through the five samples (ids unique)."""
    data = {**PLAN_DATA, "indicators": []}
    indicators = []
    for n in range(count):
        spec = PLAN_DATA["indicators"][n % 5]
        data["indicators"].append({**spec, "id": f"X{n:04d}", "name": f"{spec['name']}{n}"})
        indicators.append(replace(INDICATORS[n % 5], id=f"X{n:04d}", name=f"{spec['name']}{n}"))
    return of_plan(Plan.model_validate(data), PERIOD, indicators, list(TASKS))
