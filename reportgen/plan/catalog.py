"""The plan catalog: plans found by id in the plan folders, or read from a path."""

from __future__ import annotations

from pathlib import Path

from reportgen.errors import PlanError, Problem
from reportgen.fileio import not_a_file
from reportgen.locations import resource_path, user_plan_dirs
from reportgen.plan.load import load_plan_file
from reportgen.plan.model import Plan

PLAN_SUFFIXES = (".yaml", ".yml", ".json")


def plan_dirs() -> list[Path]:
    """Folders searched for catalog ids: $REPORTGEN_PLANS, ./inputs/plans, the built-in catalog."""
    dirs = [*user_plan_dirs(), resource_path("plans")]
    return list(dict.fromkeys(d.resolve() for d in dirs if d.is_dir()))


def catalog_files() -> dict[str, Path]:
    """Plan id (the file stem) -> file, first folder wins."""
    found: dict[str, Path] = {}
    for folder in plan_dirs():
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() in PLAN_SUFFIXES:
                found.setdefault(file.stem, file)
    return found


def list_plans() -> list[Plan]:
    """Every catalog plan, validated, sorted by id."""
    return [load_plan_file(path) for _, path in sorted(catalog_files().items())]


def load_plan(ref: str | Path) -> Plan:
    """A plan by catalog id or by path to a .yaml/.json file."""
    path = Path(ref)
    if path.suffix.lower() in PLAN_SUFFIXES or path.exists():
        reason = not_a_file(path)
        if reason is not None:
            raise PlanError(Problem(str(path), f"方案文件：{reason}。"))
        if not path.is_file():
            raise PlanError(f"找不到方案文件 {path}，请检查路径。")
        return load_plan_file(path)
    files = catalog_files()
    if str(ref) not in files:
        known = "、".join(files) or "（无）"
        raise PlanError(
            f"方案目录中没有 id 为 {ref} 的方案。可用的方案：{known}；也可以直接给出方案文件路径。"
        )
    return load_plan_file(files[str(ref)])
