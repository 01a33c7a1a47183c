"""compare: 较上期 changes and the completion series, computed once for a report."""

from __future__ import annotations

from dataclasses import replace

from reportgen.compare import NO_COMPARISON, compare
from tests.support import render_samples as rs


def test_without_an_archive_there_is_nothing_to_compare():
    comparison = compare(rs.result())
    assert comparison == NO_COMPARISON
    assert comparison.change("I1") is None


def test_changes_cover_every_current_indicator():
    before = [i for i in rs.previous().values() if i.id != "I3"]
    comparison = compare(rs.result(), previous=before)
    assert list(comparison.changes) == ["I1", "I2", "I3", "I4", "I5"]
    assert comparison.change("I2").value_change == 2.0
    assert comparison.change("I3").value_change is None  # absent last period
    assert comparison.change("I5").value_change is None  # not reported now


def test_an_empty_previous_period_still_means_an_archive():
    changes = compare(rs.result(), previous=[]).changes
    assert changes is not None and len(changes) == len(rs.INDICATORS)
    assert all(c.value_change is None and c.actual_before is None for c in changes.values())


def test_series_ends_with_the_current_period_once():
    older = [replace(i, completion=0.1) for i in rs.INDICATORS]
    series = compare(rs.result(), history=[("2024-Q1", older)]).series
    assert series.periods == ("2024-Q1", "2024-Q2")
    assert series.completion["I1"] == (0.1, 1 / 3)
    doubled = compare(rs.result(), history=[("2024-Q1", older), ("2024-Q2", rs.INDICATORS)])
    assert doubled.series.periods == ("2024-Q1", "2024-Q2")
    assert series.last(1).periods == ("2024-Q2",)
