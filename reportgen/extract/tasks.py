"""Tasks: leaf headings of the task parts, their text and the departments named after them.

Three conventions for departments are recognised (first one found at the end of the task):
- shared:    （A、B依职责分工负责） / （A负责）        -> lead A, cooperating B
- lead/coop: （A牵头，B、C配合）                      -> lead A, cooperating B, C
- labelled:  （责任单位：A、B，列第一位的为牵头单位）   -> lead A, cooperating B
Anything else that reads like a list of departments keeps the task with no lead and a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.extract.structure import Section

# Label in front of a department list: "责任单位：" (also on a line of its own, without brackets).
_LABEL = re.compile(r"^(责任单位|责任部门|负责单位|牵头单位|实施单位|主责单位)：\s*")
# "…牵头，…配合": the lead before 牵头, the helpers before 配合/参与/协助 or 依职责分工负责.
_LEAD_COOP = re.compile(r"^(?P<lead>.+?)牵头[，、；]?\s*(?P<rest>.*)$")
_LEAD_WORDS = re.compile(r"^(?:总)?负责[，、；]?")
_COOP_TAIL = re.compile(
    r"(?:协同配合|配合|参与|协助|依职责分工负责|按职责分工负责|按职责负责|负责)$"
)
# "A、B依职责分工负责" / "A负责": responsibility shared, listed order gives the lead.
_SHARED = re.compile(
    r"^(?P<list>.+?)(?:依职责分工负责|按职责分工负责|按职责负责|分工负责|共同负责|负责)$"
)
# A name marked as the lead inside a list: "市发展改革委（牵头）".
_MARKED_LEAD = re.compile(r"（牵头(?:单位)?）$")
# Statement that the first unit listed leads ("列第一位的为牵头单位", "排在首位的为牵头单位").
_FIRST_LEADS = re.compile(r"列第一位的?为牵头|排在?(?:第一位|首位)的?为牵头|第一个为牵头")
# Cut the list at that statement or at "下同".
_LIST_END = re.compile(r"[。；，]?\s*(?:列第一位|排在?(?:第一位|首位)|第一个为牵头|下同).*$")
# Words a department name ends with (agencies, offices, companies, governments …).
DEPT_END = re.compile(
    r"(?:局|委|办|厅|中心|院|会|部门|部|机构|单位|公司|政府|协|联|站|所|队|馆|处|室|行|署|团|校|社)$"
)
_SPLIT = re.compile(r"[、，；]")
_REMARK = re.compile(r"（[^（）]*）$")
_TITLE_MAX = 40
_CLAUSE_MAX = 300  # a longer bracket is prose, not a list of departments


@dataclass(frozen=True)
class Departments:
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class DraftTask:
    """A task as found in the source, before ids are given."""

    title: str
    text: str
    source_ref: str
    line: int
    departments: Departments | None
    clause: str | None

    @property
    def recognised(self) -> bool:
        return self.departments is not None


def split_trailing_clause(text: str) -> tuple[str, str | None]:
    """("body", "clause") when ``text`` ends with a bracketed clause (nesting allowed)."""
    stripped = text.rstrip("。 ")
    if not stripped.endswith("）"):
        return text, None
    depth = 0
    for pos in range(len(stripped) - 1, -1, -1):
        depth += {"）": 1, "（": -1}.get(stripped[pos], 0)
        if depth == 0:
            return stripped[:pos].rstrip(), stripped[pos + 1 : -1].strip()
    return text, None


def is_department(name: str) -> bool:
    """Ends like an agency name (a trailing remark in brackets, e.g. "（牵头）", ignored)."""
    return bool(DEPT_END.search(_REMARK.sub("", name)))


def department_list(text: str) -> list[str]:
    """Split "A、B，C" into names, re-joining pieces cut inside a name ("…镇、街道的…机构")."""
    names: list[str] = []
    pending = ""
    for piece in (p.strip() for p in _SPLIT.split(text)):
        if not piece:
            continue
        pending = f"{pending}、{piece}" if pending else piece
        if is_department(pending):
            names.append(pending)
            pending = ""
    if pending:
        names.append(pending)
    return names


def parse_departments(clause: str, first_leads: bool) -> Departments | None:
    """Departments of a clause in one of the three conventions, or None."""
    clause = clause.strip()
    label = _LABEL.match(clause)
    if label:
        return _labelled(
            clause[label.end() :], label.group(1), first_leads or bool(_FIRST_LEADS.search(clause))
        )
    lead_coop = _LEAD_COOP.match(clause)
    if lead_coop:
        rest = _COOP_TAIL.sub("", _LEAD_WORDS.sub("", lead_coop.group("rest"))).strip()
        return Departments(
            tuple(department_list(lead_coop.group("lead"))), tuple(department_list(rest))
        )
    shared = _SHARED.match(clause)
    if shared:
        names = department_list(shared.group("list"))
        note = (
            "原文为各单位依职责分工负责，未写明牵头单位，按列第一位的为牵头单位处理。"
            if len(names) > 1
            else None
        )
        return Departments(tuple(names[:1]), tuple(names[1:]), note)
    return None


def _labelled(text: str, label: str, first_leads: bool) -> Departments | None:
    coop_label = re.search(r"[；，。]\s*(?:配合|参与|协同|责任)单位：", text)
    if label == "牵头单位" and coop_label:
        lead, rest = text[: coop_label.start()], text[coop_label.end() :]
        return Departments(
            tuple(department_list(lead)), tuple(department_list(_LIST_END.sub("", rest)))
        )
    names = department_list(_LIST_END.sub("", text))
    if not names:
        return None
    marked = [n for n in names if _MARKED_LEAD.search(n)]
    if marked:
        leads = [_MARKED_LEAD.sub("", n) for n in marked]
        return Departments(tuple(leads), tuple(n for n in names if n not in marked))
    note = (
        None
        if first_leads or len(names) == 1
        else "原文未写明牵头规则，按列第一位的为牵头单位处理。"
    )
    return Departments(tuple(names[:1]), tuple(names[1:]), note)


def looks_like_departments(clause: str) -> bool:
    """A clause that lists department-like names (so a missing convention is worth a warning)."""
    names = department_list(_LABEL.sub("", clause))
    return bool(names) and all(is_department(n) for n in names)


def document_says_first_leads(texts: list[str]) -> bool:
    return any(_FIRST_LEADS.search(t) for t in texts)


def task_sections(roots: list[Section], first_leads: bool) -> list[Section]:
    """The sections that are tasks: in the task parts, the first section down each branch that
    carries a department clause, else the leaves. Sub-points （1）（2）… whose last one carries
    the clause belong to their parent task."""
    found: list[Section] = []

    def visit(section: Section) -> None:
        if section.kind != "tasks":
            return
        kids = section.children
        own_clause = bool(_find_clause(_paragraphs(section, deep=False), first_leads)[1])
        sub_points = (
            bool(kids)
            and all(k.level == 4 for k in kids)
            and _clause_only_in_last(kids, first_leads)
        )
        if not kids or own_clause or sub_points:
            found.append(section)
        else:
            for kid in kids:
                visit(kid)

    for root in roots:
        visit(root)
    return found


def _clause_only_in_last(kids: list[Section], first_leads: bool) -> bool:
    has = [bool(_find_clause(_paragraphs(k, deep=True), first_leads)[1]) for k in kids]
    return has[-1] and not any(has[:-1])


def _paragraphs(section: Section, deep: bool) -> list[str]:
    """The section's text after its title, paragraph by paragraph (with subsections if deep)."""
    texts = [_title(section.title_text)[1], *(p.text for p in section.body)]
    if deep:
        for child in section.children:
            texts += [child.heading.text, *_paragraphs(child, deep=True)[1:]]
    return texts


def _find_clause(
    paragraphs: list[str], first_leads: bool
) -> tuple[int, str | None, Departments | None]:
    """(paragraph index, clause, departments) of the last department clause, or (-1, None, None)."""
    for n in range(len(paragraphs) - 1, -1, -1):
        found = _clause_of(paragraphs[n])[1]
        if found is None or len(found) > _CLAUSE_MAX:
            continue
        parsed = parse_departments(found, first_leads)
        if parsed or looks_like_departments(found):
            return n, found, parsed
    return -1, None, None


def build_task(section: Section, first_leads: bool) -> DraftTask:
    """One task from a section: title, text without the clause, departments."""
    title = _title(section.title_text)[0]
    paragraphs = _paragraphs(section, deep=True)
    at, clause, departments = _find_clause(paragraphs, first_leads)
    if clause is not None:
        paragraphs[at] = _clause_of(paragraphs[at])[0]
    text = "".join(p for p in paragraphs if p).strip()
    return DraftTask(title, text, section.source_ref, section.heading.line, departments, clause)


def _clause_of(paragraph: str) -> tuple[str, str | None]:
    label = _LABEL.match(paragraph)
    if label:
        return "", paragraph
    return split_trailing_clause(paragraph)


def _title(head: str) -> tuple[str, str]:
    """Split a heading paragraph into its title and the text after it."""
    for mark in ("。", "：", "；"):
        pos = head.find(mark)
        if 0 < pos <= _TITLE_MAX:
            return head[:pos].strip(), head[pos + 1 :].strip()
    if len(head) <= _TITLE_MAX:
        return head.rstrip("。；，").strip(), ""
    pos = head.find("，")
    cut = pos if 0 < pos <= _TITLE_MAX else _TITLE_MAX
    return head[:cut].strip(), head[cut:].lstrip("，").strip()
