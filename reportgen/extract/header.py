"""Header data of a 公文: title, issuer, document number, issue date and plan years."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reportgen.extract.text import Para

# A document number on a line of its own: "舟政办发〔2023〕50号" (brackets around it allowed).
_DOC_NUMBER = re.compile(r"^（?(?P<number>[\u4e00-\u9fff]{1,12}〔(?P<year>\d{4})〕\d{1,4}号)）?$")
# The plan's own title ends with the name of a kind of plan document.
_TITLE_END = re.compile(r"(?:方案|意见|规划|计划|纲要|办法|措施|细则|要点|行动)(?:（[^（）]*）)?$")
_NOT_TITLE = re.compile(r"^(?:为|现将|根据|按照|《)|通知$|[。，；：]")
# The covering notice: "XX人民政府办公室关于印发《…》的通知".
_NOTICE = re.compile(
    r"^(?P<issuer>(?!关于).{2,30}?)?(?:关于)?印发(?:《(?P<quoted>.+)》|(?P<plain>.+?))的?通知$"
)
# Letterhead "XX人民政府办公室文件" and a signature (an organisation followed by a date line).
_LETTERHEAD = re.compile(r"^(?P<issuer>.{2,30}?)文件$")
_ORGANISATION = re.compile(
    r"^[\u4e00-\u9fff（）]{2,30}(?:人民政府|政府|办公室|办公厅|委员会|局|厅|委|部|院|中心)$"
)
_DATE = re.compile(r"^（?(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?P<printed>印发|发布)?）?$")
# A year range: "（2023—2025年）"; inside 《》 it belongs to another document (the parent plan).
_RANGE = re.compile(r"(?P<start>(?:19|20)\d{2})\s*[-—–~至到]\s*(?P<end>(?:19|20)\d{2})\s*年")
_QUOTED = re.compile(r"《[^》]*》")
_TITLE_MAX = 80


@dataclass(frozen=True)
class Found:
    """A header value and the line it was read from."""

    value: str
    line: int


@dataclass(frozen=True)
class Header:
    title: Found | None
    issuer: Found | None
    doc_number: Found | None
    issued: date | None
    period: tuple[int, int] | None
    parent_period: tuple[int, int] | None

    @property
    def issue_year(self) -> int | None:
        if self.issued:
            return self.issued.year
        match = _DOC_NUMBER.match(self.doc_number.value) if self.doc_number else None
        return int(match.group("year")) if match else None

    @property
    def start_year(self) -> int | None:
        """The plan's first year as far as the header tells: its own period, else the issue
        year, else the start of the plan it implements."""
        if self.period:
            return self.period[0]
        return self.issue_year or (self.parent_period[0] if self.parent_period else None)


def read_header(preamble: list[Para], document: list[Para]) -> Header:
    """Header data from the paragraphs before the first heading (signature from the whole text)."""
    prose = [p for p in preamble if not p.is_row]
    body = [p for p in document if not p.is_row]
    title = _title(prose)
    return Header(
        title=title,
        issuer=_issuer(prose, body),
        doc_number=_last(prose, lambda t: (m := _DOC_NUMBER.match(t)) and m.group("number")),
        issued=_issued(body),
        period=_own_period(title.value) if title else None,
        parent_period=_parent_period(prose),
    )


def tidy_title(text: str) -> str:
    return text.strip().rstrip("。")


def _last(paras: list[Para], pick: Callable[[str], object]) -> Found | None:
    found = None
    for para in paras:
        value = pick(para.text)
        if isinstance(value, str) and value:
            found = Found(value, para.line)
    return found


def _title(paras: list[Para]) -> Found | None:
    """The last title-like line before the body; else the plan named in the covering notice."""
    own = _last(
        paras,
        lambda t: len(t) <= _TITLE_MAX and _TITLE_END.search(t) and not _NOT_TITLE.search(t) and t,
    )
    if own:
        return Found(tidy_title(own.value), own.line)
    for para in reversed(paras):
        if notice := _NOTICE.match(para.text):
            return Found(tidy_title(notice.group("quoted") or notice.group("plain")), para.line)
    return None


def _issuer(preamble: list[Para], document: list[Para]) -> Found | None:
    for para in preamble:
        if letterhead := _LETTERHEAD.match(para.text):
            return Found(letterhead.group("issuer"), para.line)
    for para in preamble:
        if (notice := _NOTICE.match(para.text)) and notice.group("issuer"):
            return Found(notice.group("issuer").strip(), para.line)
    for para, following in itertools.pairwise(document):
        if _ORGANISATION.match(para.text) and _DATE.match(following.text):
            return Found(para.text, para.line)
    first = preamble[0] if preamble else None
    return Found(first.text, first.line) if first and _ORGANISATION.match(first.text) else None


def _issued(document: list[Para]) -> date | None:
    """The signature date, else the printing date ("…印发")."""
    dates = [m for m in (_DATE.match(p.text) for p in document) if m]
    signed = [m for m in dates if not m.group("printed")] or dates
    if not signed:
        return None
    match = signed[0]
    try:
        return date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def _own_period(title: str) -> tuple[int, int] | None:
    match = _RANGE.search(_QUOTED.sub("", title))
    return (int(match.group("start")), int(match.group("end"))) if match else None


def _parent_period(paras: list[Para]) -> tuple[int, int] | None:
    """The years of the plan this one implements: "贯彻落实《…规划（2013-2020年）》"."""
    for para in paras:
        for quoted in _QUOTED.findall(para.text):
            match = _RANGE.search(quoted)
            if match:
                return int(match.group("start")), int(match.group("end"))
    return None
