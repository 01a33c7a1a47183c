"""Reading the prose in order, with the target year flowing along the document structure.

A year set in a paragraph ("到2027年，……：") holds for the paragraphs after it — the "——"
bullets, the numbered items, the next sentences — until another year is set, or until a heading
of the same or a higher level closes the section it was set in. A year set in a heading
("（二）主要目标。到2025年……") holds for that section and its subsections. Paragraphs before the
first heading form one section (a news report or a short notice has no other); a year set there
reaches into the numbered parts only through a lead-in ending with "：". The year of a yearly
plan's title ("关于做好2022年……工作的实施意见") holds wherever the text sets no other.

Figures in a part that looks back (发展现状, 背景, 成效 …, at the top two levels) are not targets;
they are returned as rejected, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reportgen.extract.prose import ProseTarget, Rejected, YearInForce, read_paragraph
from reportgen.extract.structure import CLOSING, DOC_END, PAST, heading_level
from reportgen.extract.text import Para

PREAMBLE_REF = "正文开头"
_PREAMBLE, _TITLE = -1, -2  # depths of a year set before the first heading, and in the title
_LEAD = re.compile(r"[：:]$")  # "……主要目标如下：" introduces the numbered items after it
_PAST_LEVEL = 1


@dataclass
class _Position:
    """Where the reader is: open headings (level, marker) and the years they set."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    years: list[tuple[int, YearInForce]] = field(default_factory=list)
    past_level: int | None = None

    @property
    def depth(self) -> int:
        return self.headings[-1][0] if self.headings else -1

    @property
    def ref(self) -> str:
        return "".join(m for _, m in self.headings) or PREAMBLE_REF

    def enter(self, level: int, marker: str, title: str, after_lead: bool) -> None:
        self.headings = [h for h in self.headings if h[0] < level] + [(level, marker)]
        self.years = [y for y in self.years if y[0] < level and (y[0] != _PREAMBLE or after_lead)]
        if self.past_level is not None and level <= self.past_level:
            self.past_level = None
        if level <= _PAST_LEVEL and PAST.search(title.split("。")[0]):
            self.past_level = level

    def year_in_force(self) -> YearInForce:
        return replace(self.years[-1][1], carried=True) if self.years else YearInForce()

    def set_year(self, state: YearInForce) -> None:
        if self.years and self.years[-1][0] == self.depth:
            self.years[-1] = (self.depth, state)
        else:
            self.years.append((self.depth, state))


def read_prose(
    paras: list[Para], title_year: int | None = None
) -> tuple[list[ProseTarget], list[Rejected]]:
    """Every prose target of the document in reading order, and every value rejected.
    ``title_year``: the year of a yearly plan's title, in force wherever the text sets none."""
    found: list[ProseTarget] = []
    rejected: list[Rejected] = []
    position = _Position()
    if title_year:
        position.years.append((_TITLE, YearInForce(title_year, from_title=True)))
    previous = ""
    for para in paras:
        if para.is_row:
            continue
        if (CLOSING.match(para.text) or DOC_END.match(para.text)) and position.headings:
            break
        heading = heading_level(para.text)
        if heading:
            position.enter(
                heading[0], heading[1], para.text[len(heading[1]) :], bool(_LEAD.search(previous))
            )
        previous = para.text
        start = position.year_in_force()
        targets, skipped, after = read_paragraph(para.text, para.line, position.ref, start)
        if after is not start:
            position.set_year(after)
        rejected += skipped
        if not position.headings:  # a headline or a lead-in: too loose to take a year from afar
            targets = [replace(t, dateable=False) for t in targets]
        if position.past_level is None:
            found += targets
        else:
            rejected += [
                Rejected(t.phrase, f"{t.value}{t.unit}", "在回顾现状的部分，是已完成的数", t.line)
                for t in targets
                if t.year
            ]
    return found, rejected
