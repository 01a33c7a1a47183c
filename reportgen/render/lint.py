"""``lint_template``: find broken Jinja tags in a .docx template and say where they are.

Checks, each reported with the paragraph number or table/row/column: tags not closed within
their paragraph (split across paragraphs or half deleted), stray closers, syntax errors, unknown
filters, docxtpl's ``{%p``/``{%tr``/``{%tc`` tags in the wrong place or sharing their paragraph
with text that would be lost, unbalanced ``{% for %}``/``{% if %}`` blocks, and variables the
report context does not provide. Tags split across *runs* are fine: docxtpl joins them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docx.document import Document as DocumentObject
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from jinja2 import TemplateSyntaxError, meta
from lxml.etree import XMLSyntaxError

from reportgen.errors import Problem, RenderError
from reportgen.fileio import not_a_file
from reportgen.limits import check_package, current_limits
from reportgen.render.context import CONTEXT_NAMES
from reportgen.render.sandbox import SafeSandbox
from reportgen.render.template_rules import package_parts, unsafe_parts, whole_template_parts

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
OPEN = re.compile(r"\{\{|\{%|\{#")
CLOSE = re.compile(r"\}\}|%\}|#\}")
PREFIX = re.compile(r"(p|r|tr|tc) ")
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
BLOCKS = {"for", "if", "with", "macro", "call", "filter", "block", "raw", "autoescape"}
CELL_TAGS = {"cellbg", "colspan"}
MERGE_TAGS = {"vm", "hm"}
FORBIDDEN = {"include", "import", "from", "extends"}
SNIPPET = 16
MAX_NESTING = 50  # for/if … blocks inside one another
TOO_DEEP = "嵌套层数过多，超出了模板允许的范围（安全限制）。请简化标签。"


@dataclass(frozen=True)
class Block:
    """A block tag (for/if/else/endfor …) and where it is."""

    word: str
    prefix: str
    text: str
    where: str


@dataclass(frozen=True)
class Spot:
    """A paragraph of the template: its location text, its text, and whether it is in a table."""

    where: str
    text: str
    in_table: bool


def lint_template(path: Path | str) -> list[Problem]:
    """Every broken tag in the template at ``path``; an empty list when it is fine.

    Raises RenderError when ``path`` is not a readable .docx.
    """
    path = Path(path)
    tpl = open_template(path)
    found = list(spots(tpl.get_docx(), path.name))
    env = SafeSandbox(autoescape=True)
    problems: list[Problem] = []
    blocks: list[Block] = []
    for spot in found:
        problems += _check_spot(env, spot, blocks)
    problems += _check_blocks(blocks)
    if not problems:
        problems += _check_variables(env, tpl, path.name, found)
    return problems


def open_template(path: Path) -> DocxTemplate:
    """The template, opened once for all checks; RenderError for a missing or non-.docx file."""
    from docxtpl import DocxTemplate

    reason = not_a_file(path)
    if reason is not None:
        raise RenderError(Problem(str(path), f"模板文件：{reason}。"))
    if not path.is_file():
        raise RenderError(Problem(str(path), "找不到模板文件，请检查路径。"))
    try:
        check_package(path, current_limits())
        _check_parts(path)
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        tpl.get_docx().element.body  # noqa: B018  a main part that is not w:document has no body
        return tpl
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        AttributeError,
        PackageNotFoundError,
        XMLSyntaxError,
    ):
        raise RenderError(
            Problem(
                path.name, "不是有效的 Word 文档（.docx）。请用 Word 或 WPS 另存为 .docx 后重试。"
            )
        ) from None


def _check_parts(path: Path) -> None:
    """RenderError listing external relationships, altChunk, OLE, ActiveX and macro parts."""
    with zipfile.ZipFile(path) as package:
        messages = package_parts(package)
    if messages:
        raise RenderError([Problem(path.name, message) for message in messages])


def spots(doc: DocumentObject, name: str) -> Iterator[Spot]:
    """Every paragraph in the body (numbered), its tables, and the headers and footers."""
    body = doc.element.body
    paragraphs = tables = 0
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            paragraphs += 1
            text = Paragraph(child, doc).text
            yield Spot(f"{name} 第{paragraphs}段（{_snippet(text)}）", text, False)
        elif child.tag.endswith("}tbl"):
            tables += 1
            yield from _table_spots(Table(child, doc), f"{name} 表格{tables}")
    for number, section in enumerate(doc.sections, 1):
        parts = [
            ("页眉", section.header),
            ("页脚", section.footer),
            ("偶数页页眉", section.even_page_header),
            ("偶数页页脚", section.even_page_footer),
            ("首页页眉", section.first_page_header),
            ("首页页脚", section.first_page_footer),
        ]
        for label, part in parts:
            if part.is_linked_to_previous:
                continue
            for paragraph in part.paragraphs:
                where = f"{name} 第{number}节{label}（{_snippet(paragraph.text)}）"
                yield Spot(where, paragraph.text, False)


def _table_spots(table: Table, where: str) -> Iterator[Spot]:
    for r, tr in enumerate(table._tbl.tr_lst, 1):
        for c, tc in enumerate(tr.tc_lst, 1):
            for paragraph in _Cell(tc, table).paragraphs:
                yield Spot(
                    f"{where}第{r}行第{c}列（{_snippet(paragraph.text)}）", paragraph.text, True
                )


def _snippet(text: str) -> str:
    text = text.strip()
    return f"“{text[:SNIPPET]}…”" if len(text) > SNIPPET else f"“{text}”"


# ---------------------------------------------------------------- one paragraph


def _check_spot(env: SafeSandbox, spot: Spot, blocks: list[Block]) -> list[Problem]:
    text = spot.text.translate(QUOTES)
    tags, messages = scan(text)
    for opener, inner in tags:
        if opener == "{#":
            continue
        prefix_match = PREFIX.match(inner)
        prefix = prefix_match.group(1) if prefix_match else ""
        body = inner[len(prefix) :].strip() if prefix else inner.strip()
        messages += _placement(prefix, opener, inner, text, spot)
        if opener == "{{":
            messages += _compile(env, f"{{{{ {body} }}}}")
        else:
            messages += _statement(env, body, prefix, spot.where, blocks)
    return [Problem(spot.where, m) for m in messages]


def scan(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The complete tags in ``text`` as (opener, inner text), and messages for broken ones."""
    tags: list[tuple[str, str]] = []
    messages: list[str] = []
    pos = 0
    while True:
        found = OPEN.search(text, pos)
        stray = CLOSE.findall(text, pos, found.start() if found else len(text))
        messages += [f"多余的“{c}”：前面没有对应的开始符号。" for c in stray]
        if found is None:
            return tags, messages
        closer = OPENERS[found.group()]
        end = text.find(closer, found.end())
        if end < 0:
            start = text[found.start() : found.start() + 30]
            messages.append(
                f"“{start}”缺少结束符号“{closer}”。标签必须在同一段内写完，"
                "请检查是否漏写、误删或被拆成了两段。"
            )
            return tags, messages
        tags.append((found.group(), text[found.end() : end]))
        pos = end + len(closer)


def _placement(prefix: str, opener: str, inner: str, text: str, spot: Spot) -> list[str]:
    """docxtpl's paragraph/row/cell tags must stand alone, and row/cell tags sit in tables."""
    if not prefix or prefix == "r":
        return []
    tag = f"{opener}{inner}{OPENERS[opener]}"
    if prefix in ("tr", "tc") and not spot.in_table:
        return [f"“{tag}”只能写在表格的单元格中。"]
    if text.replace(tag, "", 1).strip():
        unit = {"p": "段", "tr": "行", "tc": "单元格"}[prefix]
        return [
            f"“{tag}”所在的整{unit}会在生成时被替换，同{unit}的其他文字会丢失；请把标签单独放一{unit}。"
        ]
    return []


def _statement(
    env: SafeSandbox, body: str, prefix: str, where: str, blocks: list[Block]
) -> list[str]:
    word, _, rest = body.partition(" ")
    if word in CELL_TAGS:
        return _compile(env, f"{{{{ {rest} }}}}") if rest.strip() else [f"“{word}”后缺少取值。"]
    if word in MERGE_TAGS:
        return []
    if word in FORBIDDEN:
        return [f"模板中不能使用“{word}”（不允许读取其他文件）。"]
    if word in BLOCKS or (word == "set" and "=" not in rest):
        blocks.append(Block(word, prefix, body, where))
        return _compile(env, f"{{% {body} %}}{{% end{word} %}}")
    if word in ("else", "elif") or word.startswith("end"):
        blocks.append(Block(word, prefix, body, where))
        check = f"{{% if x %}}{{% {body} %}}{{% endif %}}" if word == "elif" else ""
        return _compile(env, check) if check else []
    return _compile(env, f"{{% {body} %}}")


def _compile(env: SafeSandbox, source: str) -> list[str]:
    """Syntax errors, unknown filters/tests and private attributes of one tag, in Chinese."""
    try:
        tree = env.parse(source)
        env.compile(tree)
    except TemplateSyntaxError as exc:
        return [f"标签“{_short(source)}”有误：{_translate(exc.message or '')}"]
    except RecursionError:
        return [f"标签“{_short(source)}”{TOO_DEEP}"]
    return [f"标签“{source}”{message}" for message in unsafe_parts(tree)]


def _short(source: str) -> str:
    return source if len(source) <= 80 else f"{source[:60]}…{source[-16:]}"


def _translate(message: str) -> str:
    for pattern, chinese in (
        (r"No filter named '([^']+)'", "没有名为“{}”的过滤器"),
        (r"No test named '([^']+)'", "没有名为“{}”的测试"),
        (r"Encountered unknown tag '([^']+)'", "未知的标签“{}”"),
        (r"unexpected '([^']+)'", "出现了意外的“{}”"),
    ):
        found = re.search(pattern, message)
        if found:
            return f"{chinese.format(found.group(1))}（{message}）"
    return f"Jinja2 语法错误（{message}）"


# ---------------------------------------------------------------- blocks across paragraphs


def _check_blocks(blocks: list[Block]) -> list[Problem]:
    """for/endfor, if/elif/else/endif … must nest, with the same docxtpl prefix on both ends."""
    problems: list[Problem] = []
    stack: list[Block] = []
    for block in blocks:
        if block.word in ("else", "elif"):
            if not stack or stack[-1].word not in ("if", "for"):
                problems.append(Problem(block.where, f"“{{% {block.text} %}}”前面没有对应的 if。"))
            else:
                problems += _same_prefix(stack[-1], block)
        elif block.word.startswith("end"):
            problems += _close(stack, block)
        else:
            stack.append(block)
            if len(stack) == MAX_NESTING + 1:
                problems.append(Problem(block.where, f"“{{% {block.text} %}}”{TOO_DEEP}"))
    for block in stack:
        problems.append(
            Problem(block.where, f"“{{% {block.text} %}}”没有对应的 {{% end{block.word} %}}。")
        )
    return problems


def _close(stack: list[Block], block: Block) -> list[Problem]:
    opened = block.word[3:]
    if not stack:
        return [Problem(block.where, f"多余的“{{% {block.text} %}}”：前面没有对应的 {opened}。")]
    if stack[-1].word != opened:
        top = stack[-1]
        if any(b.word == opened for b in stack):
            while stack[-1].word != opened:
                stack.pop()
            stack.pop()
        return [
            Problem(
                block.where,
                f"“{{% {block.text} %}}”与{top.where}的“{{% {top.text} %}}”不匹配，"
                f"请先用 {{% end{top.word} %}} 结束它。",
            )
        ]
    return _same_prefix(stack.pop(), block)


def _same_prefix(opener: Block, other: Block) -> list[Problem]:
    if opener.prefix == other.prefix:
        return []
    return [
        Problem(
            other.where,
            f"“{{%{other.prefix} {other.text} %}}”与{opener.where}的“{{%{opener.prefix} "
            f"{opener.text} %}}”必须使用相同的前缀（p 段落、tr 行、tc 单元格）。",
        )
    ]


# ---------------------------------------------------------------- the whole template


def _check_variables(
    env: SafeSandbox, tpl: DocxTemplate, name: str, spots_: list[Spot]
) -> list[Problem]:
    """Parse the template as docxtpl will, then report variables the context does not have."""
    sources = [tpl.patch_xml(tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        sources += [tpl.patch_xml(tpl.get_part_xml(p)) for _, p in tpl.get_headers_footers(uri)]
    names: set[str] = set()
    rules: list[tuple[str, str]] = []
    for source in sources:
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            return [Problem(name, f"模板结构有误：{_translate(exc.message or '')}")]
        except RecursionError:
            return [Problem(name, TOO_DEEP)]
        names |= meta.find_undeclared_variables(tree)
        rules += whole_template_parts(tree)
    known = "、".join(sorted(CONTEXT_NAMES))
    problems = [
        Problem(_first_use(word, spots_, name), message) for word, message in dict.fromkeys(rules)
    ]
    return problems + [
        Problem(_first_use(name, spots_, name), f"未知变量“{name}”。可用的变量：{known}。")
        for name in sorted(names - CONTEXT_NAMES)
    ]


def _first_use(name: str, spots_: list[Spot], fallback: str) -> str:
    """The first paragraph with a tag using ``name`` (a variable, or ``.attr``)."""
    start = "" if name.startswith(".") else r"(?<![\w.])"
    word = re.compile(rf"{start}{re.escape(name)}\b")
    for spot in spots_:
        tags, _ = scan(spot.text.translate(QUOTES))
        if any(word.search(inner) for _, inner in tags):
            return spot.where
    return fallback
