"""Extraction quality on the four seed plans, scored against the hand-transcribed catalog.

A target is (indicator, year, value). An extracted target matches a catalog target when the year
and value are equal and the names are the same by ``reportgen.extract.names.same_name``
(normalised: NFKC full->half width, bracketed unit dropped, punctuation/brackets/spaces dropped;
then equal, or one contains the other with at least 4 characters, or difflib ratio >= 0.8).
Each extracted target matches at most one catalog target (the most similar name wins).
A task is right when a task with the same title (same rule) has exactly the catalog's leads.
Run ``pytest tests/test_extract_quality.py -s`` (or -rA) to see the scores and every miss.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx import Document

from reportgen.extract import extract_plan
from reportgen.extract.names import normalise_name, same_name
from reportgen.plan import Plan, load_plan_file
from tests.support.paths import CATALOG
from tests.support.seeds import CATALOG_IDS, SEEDS, needs_seeds

RECALL, PRECISION, TASK_LEADS = 0.95, 0.95, 0.90

Target = tuple[str, int, float]


@dataclass
class Score:
    plan: str
    targets: int = 0
    extracted: int = 0
    matched: int = 0
    tasks: int = 0
    right_leads: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("targets", "extracted", "matched", "tasks", "right_leads"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float:
        return self.matched / self.targets if self.targets else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def lead_accuracy(self) -> float:
        return self.right_leads / self.tasks if self.tasks else 1.0

    def line(self) -> str:
        return (
            f"{self.plan}: recall {self.matched}/{self.targets} = {self.recall:.1%}, "
            f"precision {self.matched}/{self.extracted} = {self.precision:.1%}, "
            f"task leads {self.right_leads}/{self.tasks} = {self.lead_accuracy:.1%}"
        )


def _targets(plan: Plan) -> list[Target]:
    return [(i.name, y, v) for i in plan.indicators for y, v in i.targets.items()]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalise_name(a), normalise_name(b)).ratio()


def score(catalog: Plan, draft: Plan) -> Score:
    """Compare a draft with the catalog plan (rules in the module docstring)."""
    result = Score(catalog.id)
    wanted, found = _targets(catalog), _targets(draft)
    result.targets, result.extracted = len(wanted), len(found)
    used: set[int] = set()
    for name, year, value in wanted:
        candidates = [
            k
            for k, (n, y, v) in enumerate(found)
            if k not in used and y == year and v == value and same_name(name, n)
        ]
        if candidates:
            used.add(max(candidates, key=lambda k: _similarity(name, found[k][0])))
        else:
            result.misses.append(f"漏提 {name} {year}年 {value}")
    result.matched = len(used)
    result.misses += [f"多提 {n} {y}年 {v}" for k, (n, y, v) in enumerate(found) if k not in used]
    taken: set[int] = set()
    result.tasks = len(catalog.tasks)
    for task in catalog.tasks:
        match = next(
            (
                k
                for k, t in enumerate(draft.tasks)
                if k not in taken and same_name(task.title, t.title)
            ),
            None,
        )
        if match is None:
            result.misses.append(f"任务未找到 {task.title}")
            continue
        taken.add(match)
        got = [normalise_name(d) for d in draft.tasks[match].lead]
        if got == [normalise_name(d) for d in task.lead]:
            result.right_leads += 1
        else:
            result.misses.append(
                f"牵头单位不符 {task.title}：应为 {task.lead}，提取为 {draft.tasks[match].lead}"
            )
    return result


@needs_seeds
def test_seed_plans_meet_the_quality_bar():
    total = Score("合计")
    for plan_id in CATALOG_IDS:
        catalog = load_plan_file(CATALOG / f"{plan_id}.yaml")
        draft = extract_plan(SEEDS / catalog.source).plan
        result = score(catalog, draft)
        print(result.line())
        for miss in result.misses:
            print("   ", miss)
        total.add(result)
    print(total.line())
    assert total.recall >= RECALL
    assert total.precision >= PRECISION
    assert total.lead_accuracy >= TASK_LEADS


@needs_seeds
def test_the_score_notices_a_wrong_value_a_missing_lead_and_an_extra_target():
    catalog = load_plan_file(CATALOG / "zhoushan-2023-metrology.yaml")
    draft = extract_plan(SEEDS / catalog.source).plan
    assert score(catalog, draft).recall == 1.0
    first = draft.indicators[0]
    changed = first.model_copy(update={"targets": {2025: first.final_target + 1}})
    extra = first.model_copy(update={"id": "X1", "name": "凭空多出的指标"})
    task = draft.tasks[0].model_copy(update={"lead": []})
    broken = draft.model_copy(
        update={
            "indicators": [changed, *draft.indicators[1:], extra],
            "tasks": [task, *draft.tasks[1:]],
        }
    )
    result = score(catalog, broken)
    assert result.matched == result.targets - 1
    assert result.extracted == result.targets + 1
    assert result.right_leads == result.tasks - 1
    assert any(m.startswith("漏提 参与或主持制省部级计量科研项目") for m in result.misses)


def _as_docx(text_path: Path, docx_path: Path) -> None:
    """The seed as a Word file: one paragraph per line, tab-separated rows as a real table."""
    document = Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for row, values in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, values, strict=False):
                    cell.text = value
            rows.clear()

    for line in text_path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len([c for c in cells if c.strip()]) >= 2:
            rows.append(cells)
            continue
        if line.strip():
            flush()
            document.add_paragraph(line.strip())
    flush()
    document.save(str(docx_path))


@needs_seeds
@pytest.mark.parametrize("plan_id", ["jinan-2023-metrology", "zhoushan-2023-metrology"])
def test_the_same_plan_as_docx_gives_the_same_draft(tmp_path, plan_id):
    catalog = load_plan_file(CATALOG / f"{plan_id}.yaml")
    docx_path = tmp_path / f"{plan_id}.docx"
    _as_docx(SEEDS / catalog.source, docx_path)
    from_text = extract_plan(SEEDS / catalog.source).plan
    from_docx = extract_plan(docx_path).plan
    assert _targets(from_docx) == _targets(from_text)
    assert [(t.title, t.lead) for t in from_docx.tasks] == [
        (t.title, t.lead) for t in from_text.tasks
    ]
    assert score(catalog, from_docx).recall == 1.0


@needs_seeds
def test_the_gazette_yields_the_plan_and_skips_the_other_document():
    catalog = load_plan_file(CATALOG / "jinan-2023-metrology.yaml")
    extraction = extract_plan(SEEDS / "jinan-2023-gazette-22.txt")
    result = score(catalog, extraction.plan)
    assert (result.recall, result.precision, result.lead_accuracy) == (1.0, 1.0, 1.0), result.misses
    assert extraction.plan.doc_number == catalog.doc_number
    assert any("另一份文件" in p.message for p in extraction.warnings)
