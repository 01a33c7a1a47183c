"""Reading 评议方案 files (YAML/JSON) by path or catalog id, with the plan loader's errors."""

from __future__ import annotations

from pathlib import Path

from reportgen.errors import PlanError
from reportgen.grading.model import Scheme
from reportgen.locations import resource_path
from reportgen.plan.catalog import PLAN_SUFFIXES
from reportgen.plan.load import load_model_file

USER_SCHEMES = Path("inputs") / "evaluations"


def scheme_dirs() -> list[Path]:
    """Folders searched for catalog ids: ./inputs/evaluations, then the built-in catalog."""
    dirs = [Path.cwd() / USER_SCHEMES, resource_path("evaluations")]
    return list(dict.fromkeys(d.resolve() for d in dirs if d.is_dir()))


def catalog_schemes() -> dict[str, Path]:
    """Catalog id (the file stem) -> file, first folder wins."""
    found: dict[str, Path] = {}
    for folder in scheme_dirs():
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() in PLAN_SUFFIXES:
                found.setdefault(file.stem, file)
    return found


def load_scheme_file(path: Path | str) -> Scheme:
    """Read and validate one 评议方案 file; PlanError lists every problem with its line."""
    return load_model_file(path, Scheme)


def load_scheme(ref: str | Path) -> Scheme:
    """A 评议方案 by catalog id (``jinan-food-safety``) or by path to a .yaml/.json file."""
    path = Path(ref)
    if path.suffix.lower() in PLAN_SUFFIXES or path.exists():
        if not path.is_file():
            raise PlanError(f"找不到评议方案文件 {path}，请检查路径。")
        return load_scheme_file(path)
    files = catalog_schemes()
    if str(ref) not in files:
        known = "、".join(files) or "（无）"
        raise PlanError(
            f"没有 id 为 {ref} 的评议方案。内置的评议方案：{known}；也可以直接给出评议方案文件路径。"
        )
    return load_scheme_file(files[str(ref)])
