"""Charts as print-resolution PNGs: completion vs 序时进度 (bars) and completion over periods (lines).

matplotlib is imported lazily inside the functions (it costs ~0.3 s) and used through its
object API with the Agg canvas, never pyplot, so nothing global changes. Chinese labels need a
CJK font; without one the axes show indicator ids and the caller warns — never tofu boxes.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WIDTH_IN = 156 / 25.4  # the text block of a GB/T 9704 page
DPI = 200  # print resolution; 156 mm wide = 1228 px
FONT_PT = 8
MAX_BARS = 40
TREND_HEIGHT_IN = 3.4
MAX_LINES = 10
LABEL_CHARS = 14
CJK_SAMPLE = "指标完成率"
PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK JP",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "FangSong",
    "SimSun",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
CJK_FILE_HINT = re.compile(
    r"cjk|hans|hei|song|kai|fang|ming|wqy|wenquan|fallback|simsun|msyh", re.I
)
NOT_REAL_GLYPHS = re.compile(r"last ?resort", re.I)  # maps every code point to a box
DARK, LIGHT = "#404040", "#bfbfbf"


@dataclass(frozen=True)
class Bar:
    """One indicator in the bar chart (ratios, 1.0 = 100%)."""

    id: str
    name: str
    completion: float | None
    time_progress: float


@functools.cache
def cjk_font() -> str | None:
    """The family name of an installed font that can draw Chinese, or None.

    matplotlib caches its font list, so fonts installed since are added here from the system
    font folders (by file name) before giving up.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if found := _preferred(manager):
        return found
    known = {entry.fname for entry in manager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known and CJK_FILE_HINT.search(Path(path).name):
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    return _preferred(manager) or _by_glyphs(manager.ttflist)


def _preferred(manager) -> str | None:
    names = {entry.name for entry in manager.ttflist}
    return next((name for name in PREFERRED_FONTS if name in names), None)


def _by_glyphs(entries) -> str | None:
    from matplotlib.ft2font import FT2Font

    for entry in entries:
        if NOT_REAL_GLYPHS.search(entry.name):
            continue
        try:
            charmap = FT2Font(entry.fname).get_charmap()
        except (OSError, RuntimeError):
            continue
        if all(ord(ch) in charmap for ch in CJK_SAMPLE):
            return entry.name
    return None


def _label(bar_id: str, name: str, cjk: bool) -> str:
    """The indicator name (one line, shortened) when Chinese can be drawn, else its id."""
    if not cjk:
        return bar_id
    name = " ".join(name.split())
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def completion_chart(bars: Sequence[Bar], legend: tuple[str, str]) -> bytes:
    """Horizontal bars: completion (dark) and 序时进度 (light, hatched) per indicator, as PNG."""
    from matplotlib.figure import Figure

    font = cjk_font()
    labels = [_label(b.id, b.name, font is not None) for b in bars]
    height = 0.6 + 0.32 * len(bars)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    ax = fig.add_subplot()
    ys = range(len(bars))
    done = [100 * (b.completion or 0.0) for b in bars]
    due = [100 * b.time_progress for b in bars]
    done_bars = ax.barh([y - 0.2 for y in ys], done, height=0.38, color=DARK)
    due_bars = ax.barh(
        [y + 0.2 for y in ys], due, height=0.38, color=LIGHT, hatch="///", edgecolor="#808080"
    )
    ax.set_yticks(
        list(ys), labels, fontfamily=font or "DejaVu Sans", fontsize=FONT_PT, parse_math=False
    )
    ax.invert_yaxis()
    ax.axvline(100, color="#808080", linewidth=0.8, linestyle="--")
    ax.xaxis.set_major_formatter("{x:.0f}%")
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlim(min(0.0, *done) * 1.1, max(110.0, *done, *due) * 1.05)
    if font:
        handles = [done_bars, due_bars]
        _plain(
            ax.legend(handles, legend, prop={"family": font, "size": FONT_PT}, loc="lower right")
        )
    _margins(fig, height, left=max(map(_text_width, labels)) + 0.15)
    return _png(fig)


@dataclass(frozen=True)
class Line:
    """One indicator's completion per period (ratios; None = not reported)."""

    id: str
    name: str
    values: list[float | None]


def trend_chart(periods: Sequence[str], lines: Sequence[Line]) -> bytes:
    """Completion (%) over the archived periods, one line per indicator, as PNG."""
    from matplotlib.figure import Figure

    font = cjk_font()
    if font is None:  # period labels such as 2024-Q1 are ASCII; others become their position
        periods = [p if p.isascii() else str(n) for n, p in enumerate(periods, 1)]
    fig = Figure(figsize=(WIDTH_IN, TREND_HEIGHT_IN), dpi=DPI)
    ax = fig.add_subplot()
    xs = list(range(len(periods)))
    markers = "osD^v<>phX*"
    for n, line in enumerate(lines):
        values = zip(xs, line.values, strict=True)
        points = [(x, 100 * v) for x, v in values if v is not None]
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            marker=markers[n % len(markers)],
            linewidth=1.2,
            label=_label(line.id, line.name, font is not None),
            color=str(0.15 + 0.6 * n / max(len(lines), 1)),
        )
    ax.set_xticks(xs, list(periods), fontsize=8, parse_math=False)
    ax.yaxis.set_major_formatter("{x:.0f}%")
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    _plain(ax.legend(prop={"family": font or "DejaVu Sans", "size": 7}, ncols=2, loc="best"))
    _margins(fig, TREND_HEIGHT_IN, left=0.55)
    return _png(fig)


def _text_width(text: str) -> float:
    """Approximate width in inches of a tick label (CJK characters are square, others ~0.6)."""
    ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in text)
    return ems * FONT_PT / 72


def _margins(fig, height_in: float, left: float) -> None:
    """Fixed margins in inches (cheaper than tight_layout, which draws the figure twice)."""
    fig.subplots_adjust(
        left=min(left / WIDTH_IN, 0.45),
        right=0.98,
        bottom=0.35 / height_in,
        top=1 - 0.12 / height_in,
    )


def _plain(legend) -> None:
    """Legend texts are user text: '$' must not start matplotlib mathtext."""
    for text in legend.get_texts():
        text.set_parse_math(False)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
