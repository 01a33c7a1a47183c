"""Plans: the model, reading plan files, and the catalog."""

from reportgen.plan.catalog import catalog_files, list_plans, load_plan
from reportgen.plan.load import load_plan_file
from reportgen.plan.model import Baseline, Indicator, MemberGroup, Plan, Task, Thresholds

__all__ = [
    "Baseline",
    "Indicator",
    "MemberGroup",
    "Plan",
    "Task",
    "Thresholds",
    "catalog_files",
    "list_plans",
    "load_plan",
    "load_plan_file",
]
