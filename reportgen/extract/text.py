"""Source text: decoding, punctuation normalisation, re-joined paragraphs with their line numbers.

Everything downstream works on ``Para`` objects: one paragraph of prose (lines broken inside a
sentence are joined again, page-break debris dropped) or one table row (``cells``), each with the
line of the source where it starts, so review items can point back at the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from reportgen.errors import PlanError, Problem

# ASCII punctuation that Chinese documents write full-width; NFKC turns both into ASCII first.
_TO_FULL_WIDTH = str.maketrans(
    {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
)
# A thousands separator inside a number ("20,000"), removed before commas become "，".
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Spaces between two CJK characters or next to CJK punctuation are layout, not content.
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef《》〈〉“”‘’]")
_SPACES = re.compile(r"[ \t]+")
# Pinyin printed after a character by some web pages: "年(nián)", "工(gōng)作(zuò)".
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]{1,6}[)）]")
# Control characters other than tab; their presence in quantity means the input is not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")

# Page-break debris: page numbers ("- 3 -", "— 12 —", "第 3 页", "3/10") and form feeds.
_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:第\s*)?\d{1,3}\s*(?:页)?(?:\s*[/共]\s*\d{1,3}\s*页?)?[-—–－\s]*$"
)
# A conversion bullet ("- ", "• ") in front of a line; "---" rules in front of a list item.
_BULLET = re.compile(r"^(?:[-•·]\s+|-{2,}\s*)")
# Cells of a space-separated table: two or more spaces (or a tab) between them.
_SPACE_CELLS = re.compile(r" {2,}|\t")

# Ordinal headings, after normalisation: 第一章 / 一、 / （一） / 1. 1、 / （1） / 专栏1 表2 附件.
HEADING_0 = re.compile(r"^第([一二三四五六七八九十]{1,3})(?:章|部分|篇)\s*")
HEADING_1 = re.compile(r"^([一二三四五六七八九十]{1,3})、")
HEADING_2 = re.compile(r"^（([一二三四五六七八九十]{1,3})）")
HEADING_3 = re.compile(r"^(\d{1,2})[.、](?!\d)\s*")
HEADING_4 = re.compile(r"^（(\d{1,2})）")
BOX_HEADING = re.compile(
    r"^(?:专栏|附表|表)\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?!\d)|^附件\s*\d{0,2}$"
)
# The ordinal headings by level (0 = 第一章 … 4 = （1））, and every kind of heading line.
ORDINAL_HEADINGS = (HEADING_0, HEADING_1, HEADING_2, HEADING_3, HEADING_4)
_HEADINGS = (*ORDINAL_HEADINGS, BOX_HEADING)

# A line ending like this finishes its sentence (or is a heading/signature): never joined on.
_TERMINAL = "。！？；：…）】」』"
# A line ending in a sentence-internal mark or a function word continues on the next line.
_OPEN_END = re.compile(r"[，、（《“‘的和与及或在对为将把被从向以]$")
_INNER_PUNCT = re.compile(r"[，、；。]")
# A title ("…实施方案", "…的通知（2023—2025年）") or an addressee line ("各区县人民政府：") stands alone.
_STANDALONE_END = re.compile(r"(?:方案|意见|通知|规划|计划|办法|决定|纲要|要点)(?:（[^（）]*）)?$")
_ADDRESSEE = re.compile(r"^.{2,60}：$")


@dataclass(frozen=True)
class Para:
    """A paragraph of prose or a table row, with the source line where it starts."""

    line: int
    text: str
    cells: tuple[str, ...] = ()
    table: int | None = None

    @property
    def is_row(self) -> bool:
        return bool(self.cells)


def decode(raw: bytes, name: str) -> str:
    """Bytes of a text file -> str: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(raw, "utf-16")
    elif b"\x00" in raw[:4096]:
        text = None
    else:
        text = _try(raw, "utf-8-sig") or _try(raw, "gb18030")
    if text is None or len(_CONTROL.findall(text[:20000])) > 2:
        raise PlanError(
            Problem(
                name,
                "无法识别的文件内容：不是文本或 Word 文档。请提供 .txt（UTF-8 或 GB18030 编码）或 .docx 文件",
            )
        )
    if not text.strip():
        raise PlanError(Problem(name, "文件为空，请提供方案的文本或 Word 文档"))
    return text


def _try(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def normalise(text: str) -> str:
    """Full-width digits/letters -> half-width, ASCII punctuation -> Chinese full-width, tidy spaces."""
    text = unicodedata.normalize("NFKC", _PINYIN.sub("", text))
    text = _THOUSANDS.sub("", text).translate(_TO_FULL_WIDTH)
    return _SPACES.sub(_layout_space, text).strip(" ")


def _layout_space(match: re.Match[str]) -> str:
    """Drop a run of spaces that touches a CJK character; keep one space between other words."""
    text, start, end = match.string, match.start(), match.end()
    touches = (start and _CJK.match(text[start - 1])) or (end < len(text) and _CJK.match(text[end]))
    return "" if touches else " "


def split_lines(text: str) -> list[tuple[int, str]]:
    """Numbered source lines (1-based); form feeds count as line breaks within their line."""
    return [(n, line.replace("\f", "")) for n, line in enumerate(text.splitlines(), start=1)]


def text_paragraphs(text: str) -> list[Para]:
    """Paragraphs and table rows of a plain-text source."""
    return join_broken(_clean_lines(_pipe_rows(split_lines(text))))


def _pipe_rows(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Rows of a table pasted with "|" between cells, one row per line, as tab-separated lines.

    Web pages also paste such a table one cell per line: a line "|" ends a row, the next line is
    the row's first cell and each line starting with "|" adds a cell."""
    out: list[tuple[int, str]] = []
    row: list[str] = []
    first = 0
    in_table = False
    for number, raw in lines:
        line = raw.strip(" \u3000\r")
        if line == "|":
            if row:
                out.append((first, "\t".join(row)))
            row, in_table = [], True
        elif line.startswith("|") and (in_table or row):
            row += [c.strip() for c in line.strip("|").split("|")]
        elif "|" in line.strip("|") and not line.startswith("|"):
            out.append((number, "\t".join(c.strip() for c in line.strip("|").split("|"))))
        elif in_table and not row:
            row, first = [line], number
        elif line.startswith("|"):
            row, first, in_table = [c.strip() for c in line.strip("|").split("|")], number, True
        else:
            if row:
                out.append((first, "\t".join(row)))
            row, in_table = [], False
            out.append((number, raw))
    if row:
        out.append((first, "\t".join(row)))
    return out


def _clean_lines(lines: Iterable[tuple[int, str]]) -> Iterator[Para]:
    """Normalise each line, drop debris, and tell table rows from prose."""
    for number, raw in lines:
        stripped = raw.strip(" \u3000\r")
        cells = _cells(stripped)
        if cells:
            yield Para(number, "\t".join(cells), cells)
            continue
        text = normalise(_BULLET.sub("", stripped))
        if text and not _PAGE_NUMBER.match(text):
            yield Para(number, text)


def _cells(line: str) -> tuple[str, ...]:
    """Cells of a tab- or space-separated table row; () for prose or a caption."""
    if "\t" in line:
        parts = [normalise(c) for c in line.split("\t")]
    else:
        raw = _SPACE_CELLS.split(line)
        if len([p for p in raw if p.strip()]) < 3:
            return ()
        parts = [normalise(c) for c in raw]
        if len([p for p in parts if p]) < 3:
            return ()
    while parts and not parts[-1]:
        parts.pop()
    if len([p for p in parts if p]) < 2:
        return ()
    return tuple(parts)


def is_heading(text: str) -> bool:
    return any(p.match(text) for p in _HEADINGS)


def join_broken(paras: Iterable[Para]) -> list[Para]:
    """Re-join prose lines broken inside a sentence (page breaks, hard wraps)."""
    out: list[Para] = []
    for para in paras:
        prev = out[-1] if out else None
        if prev and _continues(prev, para):
            out[-1] = Para(prev.line, prev.text + para.text)
        else:
            out.append(para)
    return out


def _continues(prev: Para, para: Para) -> bool:
    """True when ``para`` is the rest of the sentence that ``prev`` breaks off."""
    if prev.is_row or para.is_row or is_heading(para.text) or _ADDRESSEE.match(para.text):
        return False
    if _STANDALONE_END.search(prev.text):
        return False
    if (
        prev.text.endswith(tuple(_TERMINAL))
        or HEADING_1.match(prev.text)
        or BOX_HEADING.match(prev.text)
    ):
        return False
    return bool(_OPEN_END.search(prev.text) or _INNER_PUNCT.search(prev.text))
