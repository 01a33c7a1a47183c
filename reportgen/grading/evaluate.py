"""One call from a scheme and the returned workbooks to the year's result (`reportgen grade compute`).

Loads the scheme (catalog id, path or a loaded Scheme), reads every workbook (GradingError
listing every problem unless all are usable), finds last year's places, computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.grading.compute import GradingResult, PreviousPlaces, compute
from reportgen.grading.load import load_scheme
from reportgen.grading.model import Scheme
from reportgen.grading.read import ScoreCheck, load_scores
from reportgen.grading.store import ArchiveRef, previous_notice, previous_places

SchemeRef = str | Path | Scheme


@dataclass(frozen=True)
class Evaluation:
    """The scheme, what was read, last year's places and the result."""

    scheme: Scheme
    check: ScoreCheck
    previous: PreviousPlaces | None
    result: GradingResult

    @property
    def notices(self) -> list[str]:
        """What the user should know: workbook warnings, missing places of last year."""
        found = [str(p) for s in self.check.sheets for p in s.problems(s.warnings)]
        about_previous = previous_notice(self.scheme, self.previous)
        return [*found, about_previous] if about_previous else found


def evaluate(scheme: SchemeRef, paths: list[Path], archive: ArchiveRef = None) -> Evaluation:
    """The year's result from the workbooks at ``paths`` (files or folders); last year's places
    from the archive database at ``archive`` (default $REPORTGEN_ARCHIVE or outputs/archive.sqlite)."""
    loaded = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
    check = load_scores(loaded, paths)
    previous = previous_places(loaded, archive)
    result = compute(loaded, check.scores, check.findings, previous)
    return Evaluation(loaded, check, previous, result)
