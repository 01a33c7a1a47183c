"""Document structure: which part of a file is the plan, and its tree of numbered headings.

A file may hold several documents (a government gazette prints one notice after another); each
ends with its "…印发" line. The plan is the document with the most plan-like content. Inside it,
ordinal headings (第一章 / 一、 / （一） / 1. / （1）) form a tree; every section is classed by the
words of its heading as goals, general requirements, past achievements, safeguards or tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportgen.extract.text import BOX_HEADING, ORDINAL_HEADINGS, Para

# The closing line of an issued document: "2023年7月21日印发" or "（2023年11月13日印发）".
DOC_END = re.compile(r"^（?\d{4}年\d{1,2}月\d{1,2}日印发）?$")
# Content that makes a document look like a plan: a responsibility clause, a target year, a
# table row with a year column.
_PLAN_SIGNS = re.compile(r"负责）$|牵头|配合）$|责任(?:单位|部门)|到\d{4}年|\d{4}年(?:底|末)?前")

# Lines that close the body text: distribution list, publication notes, signature dates.
CLOSING = re.compile(r"^(?:抄送|主送|（此件|附件)|^\d{4}年\d{1,2}月\d{1,2}日(?:印发|发布)?$")

# Section headings by what they hold (structural words of 公文 outlines, never subject matter).
GOALS = re.compile(r"目标")
_SHORT_TITLE = 15
GENERAL = re.compile(r"总体要求|指导思想|基本原则|总体思路|工作原则")
PAST = re.compile(r"发展现状|发展基础|现状|形势|背景|成效|回顾|完成情况|进展情况|总结|成绩|亮点")
SAFEGUARDS = re.compile(
    r"保障(?:措施|机制|体系)|组织(?:实施|保障)|实施保障|工作要求|进度安排|实施步骤|附则|其他事项"
)


@dataclass(frozen=True)
class Segment:
    """One document of the file: paragraphs ``paras`` starting at source line ``first``."""

    paras: list[Para]
    score: int

    @property
    def first(self) -> int:
        return self.paras[0].line

    @property
    def last(self) -> int:
        return self.paras[-1].line

    @property
    def name(self) -> str:
        return next((p.text for p in self.paras if not p.is_row), "")[:40]


@dataclass
class Section:
    """A numbered heading with its body paragraphs (boxes and tables excluded) and subsections."""

    level: int
    marker: str
    heading: Para
    path: tuple[str, ...]
    kind: str = "tasks"
    body: list[Para] = field(default_factory=list)
    boxes: list[Para] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def title_text(self) -> str:
        """The heading without its ordinal marker."""
        return self.heading.text[len(self.marker) :].strip()

    @property
    def source_ref(self) -> str:
        return "".join(self.path)

    def walk(self) -> list[Section]:
        return [self, *(s for c in self.children for s in c.walk())]


def heading_level(text: str) -> tuple[int, str] | None:
    """(level, marker) of an ordinal heading, or None."""
    for level, pattern in enumerate(ORDINAL_HEADINGS):
        match = pattern.match(text)
        if match:
            return level, match.group(0).strip()
    return None


def split_documents(paras: list[Para]) -> list[Segment]:
    """Cut the file after every "…印发" line; each piece is scored by its plan-like content."""
    pieces: list[list[Para]] = [[]]
    for para in paras:
        pieces[-1].append(para)
        if not para.is_row and DOC_END.match(para.text):
            pieces.append([])
    return [Segment(p, _score(p)) for p in pieces if any(not x.is_row for x in p)]


def _score(paras: list[Para]) -> int:
    prose = sum(len(_PLAN_SIGNS.findall(p.text)) for p in paras if not p.is_row)
    year_rows = sum(
        1 for p in paras if p.is_row and any(re.fullmatch(r"\d{4}年?", c) for c in p.cells)
    )
    return prose + year_rows


def build_outline(paras: list[Para]) -> tuple[list[Para], list[Section]]:
    """(paragraphs before the first heading, top-level sections)."""
    preamble: list[Para] = []
    roots: list[Section] = []
    stack: list[Section] = []
    state = "body"  # "box" inside a 专栏 (read for targets only), "closed" after the signature
    for para in paras:
        if para.is_row:
            continue
        found = heading_level(para.text)
        if found:
            level, marker = found
            while stack and stack[-1].level >= level:
                stack.pop()
            path = (*stack[-1].path, marker) if stack else (marker,)
            section = Section(level, marker, para, path)
            (stack[-1].children if stack else roots).append(section)
            stack.append(section)
            state = "body"
        elif CLOSING.match(para.text) or DOC_END.match(para.text):
            state = "closed" if stack else state
        elif BOX_HEADING.match(para.text):
            state = "box"
        elif state == "box" and stack:
            stack[-1].boxes.append(para)
        elif state == "body":
            (stack[-1].body if stack else preamble).append(para)
    for root in roots:
        _classify(root, "tasks")
    return preamble, roots


def _classify(section: Section, inherited: str) -> None:
    title = section.title_text.split("。")[0]
    if inherited == "goals" or (GOALS.search(title) and len(title) <= _SHORT_TITLE):
        section.kind = "goals"
    elif SAFEGUARDS.search(title):
        section.kind = "safeguards"
    elif section.level <= 1 and GENERAL.search(title):
        section.kind = "general"
    elif section.level <= 1 and PAST.search(title):
        section.kind = "past"
    else:
        section.kind = inherited
    for child in section.children:
        _classify(child, section.kind)


def goal_paragraphs(roots: list[Section]) -> list[Para]:
    """Heading and body paragraphs of the goals sections, in source order."""
    paras = [
        p for root in roots for s in root.walk() if s.kind == "goals" for p in (s.heading, *s.body)
    ]
    return sorted(paras, key=lambda p: p.line)
