"""SVG chart geometry for the pages (drawing only; the figures come from the library)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_WIDTH = 520
ROW_HEIGHT = 22
LINE_SIZE = (560, 220)
PAD = 36


@dataclass(frozen=True)
class Bar:
    """One indicator row: completion bar and the 时间进度 mark, as x positions."""

    label: str
    y: int
    width: float
    mark: float
    status: str
    text: str


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    scale_x: float


def completion_bars(rows: Sequence[tuple[str, float | None, float, str, str]]) -> BarChart:
    """Bars of (label, completion, time progress, status, shown text); completion capped at 120%."""
    bars = []
    for n, (label, completion, time_progress, status, text) in enumerate(rows):
        value = min(max(completion or 0.0, 0.0), 1.2)
        mark = min(max(time_progress, 0.0), 1.2)
        bars.append(
            Bar(
                label, n * ROW_HEIGHT, value * BAR_WIDTH / 1.2, mark * BAR_WIDTH / 1.2, status, text
            )
        )
    return BarChart(bars, BAR_WIDTH, max(len(bars), 1) * ROW_HEIGHT, BAR_WIDTH / 1.2)


@dataclass(frozen=True)
class LineChart:
    """A polyline of one series with its points, axis labels and value range."""

    points: str
    dots: list[tuple[float, float, str, str]]
    width: int
    height: int
    low: str
    high: str


def line_chart(series: Sequence[tuple[str, float | None, str]]) -> LineChart:
    """(period label, value, shown value) in time order; blanks leave gaps, never zeros."""
    width, height = LINE_SIZE
    known = [v for _, v, _ in series if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    span = (high - low) or abs(high) or 1.0
    step = (width - 2 * PAD) / max(len(series) - 1, 1)
    dots = []
    for n, (label, value, text) in enumerate(series):
        if value is None:
            continue
        x = PAD + n * step if len(series) > 1 else width / 2
        y = height - PAD - (value - low) / span * (height - 2 * PAD)
        dots.append((round(x, 1), round(y, 1), label, text))
    points = " ".join(f"{x},{y}" for x, y, _, _ in dots)
    return LineChart(points, dots, width, height, f"{low:g}", f"{high:g}")
