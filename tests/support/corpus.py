"""Scoring extraction on the real-plan corpus (tests/extract/corpus/{dev,test}).

Each ``<slug>.txt`` has a hand-checked ``<slug>.yaml``: the targets a reader finds in it, as
``{name, year, value, unit}``. An extracted target matches an expected one when year, value and
unit are equal and the names are the same by ``reportgen.extract.names.same_name``; each expected
target takes at most one extracted target. Calibration: of the extracted targets whose indicator
is marked high confidence, the share that match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reportgen.extract import extract_plan
from reportgen.extract.names import same_name

CORPUS = Path(__file__).resolve().parents[1] / "extract" / "corpus"


@dataclass(frozen=True)
class Target:
    name: str
    year: int
    value: float
    unit: str
    confidence: str = ""


@dataclass
class Score:
    """Counts for one file or a whole part, with the lines to print for each miss."""

    label: str
    expected: int = 0
    extracted: int = 0
    matched: int = 0
    high: int = 0
    high_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("expected", "extracted", "matched", "high", "high_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += [f"{other.label}: {m}" for m in other.misses]

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def calibration(self) -> float:
        return self.high_right / self.high if self.high else 1.0

    def line(self) -> str:
        return (
            f"{self.label}: recall {self.matched}/{self.expected} = {self.recall:.1%}, "
            f"precision {self.matched}/{self.extracted} = {self.precision:.1%}, "
            f"high right {self.high_right}/{self.high} = {self.calibration:.1%}"
        )


def corpus_files(part: str) -> list[Path]:
    return sorted((CORPUS / part).glob("*.txt"))


def expected_targets(source: Path) -> list[Target]:
    entries = yaml.safe_load(source.with_suffix(".yaml").read_text(encoding="utf-8")) or []
    return [Target(e["name"], e["year"], e["value"], e["unit"]) for e in entries]


def extracted_targets(source: Path) -> list[Target]:
    extraction = extract_plan(source)
    confidence = {item.id: item.confidence for item in extraction.items}
    return [
        Target(i.name, year, value, i.unit, confidence[i.id])
        for i in extraction.plan.indicators
        for year, value in i.targets.items()
    ]


def score(label: str, expected: list[Target], found: list[Target]) -> Score:
    """Match ``found`` against ``expected`` (rules in the module docstring)."""
    result = Score(label, expected=len(expected), extracted=len(found))
    used: set[int] = set()
    for want in expected:
        match = next(
            (
                k
                for k, got in enumerate(found)
                if k not in used
                and (got.year, got.value, got.unit) == (want.year, want.value, want.unit)
                and same_name(want.name, got.name)
            ),
            None,
        )
        if match is None:
            result.misses.append(f"漏提 {want.name} {want.year}年 {want.value}{want.unit}")
        else:
            used.add(match)
    result.matched = len(used)
    result.misses += [
        f"多提 {got.name} {got.year}年 {got.value}{got.unit}"
        for k, got in enumerate(found)
        if k not in used
    ]
    result.high = sum(1 for got in found if got.confidence == "high")
    result.high_right = sum(
        1 for k, got in enumerate(found) if got.confidence == "high" and k in used
    )
    return result


def score_part(part: str) -> Score:
    total = Score(part)
    for source in corpus_files(part):
        total.add(score(source.stem, expected_targets(source), extracted_targets(source)))
    return total
