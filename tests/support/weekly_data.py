"""A week of returns for any plan, built in code: some figures ahead, some behind, some blank;
most tasks with a few sentences of progress and next steps, as departments write them."""

from __future__ import annotations

from reportgen.periods import Period
from reportgen.plan import Plan
from reportgen.progress import ProgressResult, compute_progress
from reportgen.records import Dataset, TaskRecord, ValueRecord

SHARES = (1.1, 0.6, 0.3, 0.9, None, 0.5, 0.05)  # of the final target's distance from the baseline
PROGRESS = (
    "本周召开专题推进会，对照年度目标逐项梳理工作进度，完成{n}家单位现场调研，"
    "形成问题清单和整改台账；同步开展政策宣传和业务培训。"
)
NEXT = "下周完成问题清单整改销号，组织专家对{n}家试点单位开展评估验收。"


def weekly_result(plan: Plan, period: Period) -> ProgressResult:
    """The plan's progress for ``period`` from generated returns (every third task silent)."""
    values = {}
    for n, ind in enumerate(plan.indicators):
        share = SHARES[n % len(SHARES)]
        base = ind.baseline.value if ind.baseline else 0
        final = ind.targets[ind.final_year]
        value = None if share is None else round(base + share * (final - base), 1)
        values[ind.id] = ValueRecord(ind.id, value, f"周报.xlsx:指标填报!H{n + 2}")
    tasks = {
        task.id: [
            TaskRecord(task.id, f"周报.xlsx:重点任务!E{n + 2}", (task.lead or [None])[0],
                       "滞后" if n % 5 == 4 else "推进中",
                       PROGRESS.format(n=n + 2), "", NEXT.format(n=n + 1))
        ]
        for n, task in enumerate(plan.tasks)
        if n % 3 != 2
    }  # fmt: skip
    dataset = Dataset(plan.id, period.key, values, tasks)
    return compute_progress(plan, dataset, period)
