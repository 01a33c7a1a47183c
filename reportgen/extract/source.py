"""Opening a source plan: a text file or a Word (.docx) document, as paragraphs and table rows.

For .docx the "line" of a paragraph is its position in the document (paragraphs and table rows
counted together from 1), which is what the review table shows as 第N段.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table

from reportgen.errors import LimitError, PlanError, Problem
from reportgen.extract.text import Para, decode, join_broken, normalise, text_paragraphs
from reportgen.fileio import not_a_file
from reportgen.limits import ENV, Limits, check_file_size, check_package_zip, current_limits

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


@dataclass(frozen=True)
class Source:
    """A source document's paragraphs and how to refer to a place in it."""

    path: Path
    paras: list[Para]
    unit: str  # "行" for text files, "段" for .docx

    def where(self, line: int) -> str:
        return f"{self.path.name} 第{line}{self.unit}"


def read_source(path: Path) -> Source:
    """Read a .txt or .docx plan; raise PlanError naming the file when it cannot be read."""
    name = str(path)
    reason = not_a_file(path)
    if reason is not None:
        raise PlanError(Problem(name, f"源文件：{reason}（支持 .txt 和 .docx）"))
    if not path.is_file():
        raise PlanError(Problem(name, "找不到源文件，请检查路径（支持 .txt 和 .docx）"))
    limits = current_limits()
    check_file_size(path, limits)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return Source(path, _docx_paragraphs(path, limits), "段")
    if suffix == ".doc":
        raise PlanError(
            Problem(name, "不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后重试")
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(Problem(name, f"无法读取文件：{exc.strerror or exc}")) from exc
    if raw.startswith(b"PK\x03\x04"):
        return Source(path, _docx_paragraphs(path, limits), "段")
    text = decode(raw, name)
    _check_size(name, len(text), text.count("\n") + 1, "行", limits)
    return Source(path, text_paragraphs(text), "行")


def _check_size(name: str, chars: int, lines: int, unit: str, limits: Limits) -> None:
    """Refuse a source far longer than any plan, before the (per-line) extraction runs."""
    if chars > limits.max_source_chars:
        what = f"{chars} 个字符，超过上限 {limits.max_source_chars}（{ENV['max_source_chars']}）"
    elif lines > limits.max_source_lines:
        what = f"{lines} {unit}，超过上限 {limits.max_source_lines}（{ENV['max_source_lines']}）"
    else:
        return
    raise LimitError(
        Problem(
            name,
            f"文件过长：{what}。实施方案通常只有几万字；请只保留方案正文后重试，"
            "或设置括号中的环境变量调高上限。",
        )
    )


def _docx_paragraphs(path: Path, limits: Limits) -> list[Para]:
    name = str(path)
    try:
        with path.open("rb") as stream:  # one open: the bytes checked are the bytes parsed
            with zipfile.ZipFile(stream) as package:
                check_package_zip(package, name, limits)
            document = Document(stream)
        body = document.element.body
    except LimitError:
        raise
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise PlanError(
            Problem(name, f"无法作为 Word（.docx）文件打开（{type(exc).__name__}），文件可能已损坏")
        ) from exc
    chars = sum(len(text) for text in body.itertext())
    _check_size(name, chars, sum(1 for _ in body.iter(qn("w:p"))), "段", limits)
    paras: list[Para] = []
    position = 0
    table_number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_number += 1
            for cells in _table_cells(block):
                position += 1
                paras.append(_row_para(position, cells, table_number))
            continue
        for piece in block.text.split("\n"):
            position += 1
            paras.append(Para(position, normalise(piece)))
    return join_broken(p for p in paras if p.text)


def _table_cells(table: Table) -> list[tuple[str, ...]]:
    return [
        tuple(normalise(cell.text.replace("\n", "")) for cell in row.cells) for row in table.rows
    ]


def _row_para(position: int, cells: tuple[str, ...], table: int) -> Para:
    """A Word table row; a row whose cells all repeat one text (merged across) is a caption line."""
    distinct = {c for c in cells if c}
    if len(distinct) == 1 and len(cells) > 1 and all(cells):
        return Para(position, cells[0])
    return Para(position, "\t".join(cells) if distinct else "", cells if distinct else (), table)
