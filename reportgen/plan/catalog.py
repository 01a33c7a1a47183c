"""The plan catalog: plans found by id in the plan folders, or read from a path."""

from __future__ import annotations

import re
import unicodedata
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
    """A plan by catalog id, by path to a .yaml/.json file, or by a city or title fragment that
    names exactly one catalog plan ("济南", "计量发展规划实施方案" …; see ``resolve_plan_ref``)."""
    path = Path(ref)
    if path.suffix.lower() in PLAN_SUFFIXES or path.exists():
        reason = not_a_file(path)
        if reason is not None:
            raise PlanError(Problem(str(path), f"方案文件：{reason}。"))
        if not path.is_file():
            raise PlanError(f"找不到方案文件 {path}，请检查路径。")
        return load_plan_file(path)
    files = catalog_files()
    return load_plan_file(files[resolve_plan_ref(str(ref), files)])


def resolve_plan_ref(ref: str, files: dict[str, Path] | None = None) -> str:
    """The catalog id ``ref`` means: the id itself, or the one plan whose id, title, short title
    or issuer contains ``ref``; PlanError listing the candidates when none or several match.
    A plan file path is returned unchanged."""
    if Path(ref).suffix.lower() in PLAN_SUFFIXES or Path(ref).exists():
        return ref
    files = catalog_files() if files is None else files
    if ref in files:
        return ref
    wanted = _plain(ref)
    matches = [plan for plan in list_plans() if wanted and wanted in _searchable(plan)]
    if len(matches) == 1:
        return matches[0].id
    if matches:
        listing = "；".join(f"{p.id}（{p.title}）" for p in matches)
        raise PlanError(f"“{ref}”对应多个方案：{listing}。请写出方案 id。")
    known = "、".join(files) or "（无）"
    raise PlanError(
        f"方案目录中没有 id 为 {ref} 的方案，标题和发文单位中也找不到“{ref}”。"
        f"可用的方案：{known}；也可以直接给出方案文件路径。"
    )


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _searchable(plan: Plan) -> str:
    names = (plan.id, plan.title, plan.short_title or "", plan.issuer)
    return "\n".join(_plain(name) for name in names)
