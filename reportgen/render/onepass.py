"""One-pass rendering for the built-in templates: docxtpl's result without its detours.

docxtpl renders the body to a string, reparses it with a recovering parser, walks every table
(``fix_tables``), rewrites every paragraph with regular expressions (``resolve_listing``) and
then moves the new body into the python-docx tree (``map_tree``). The last steps grow faster
than the document (moving 10 000 rows between lxml documents alone takes seconds).

``OnePassTemplate`` renders the whole document element once. The rows of table-row loops
(``{%tr for … %}`` without loops inside: the annex tables) never become lxml elements: Jinja
renders each such loop as a block whose output is finished as text (docxtpl's markers and line
breaks) and kept as UTF-8 chunks (``reportgen.render.rowsplice``). The rest of the document,
the frame, holds a processing instruction where the rows go and is parsed once, with
python-docx's element classes; python-docx, the charts and the layout work on it. When the
document is saved, the rows are streamed into document.xml in place of the instructions
(``SplicedDocumentPart``, ``save_package``).

``fix_tables`` runs only for templates that loop over cells, ``resolve_listing`` only on
paragraphs holding a tab, line or page break: the XML is that of docxtpl (canonically: the
same elements, attributes and text). Only the built-in templates take this path; user
templates keep docxtpl's full one (and the sandbox, see reportgen.render.sandbox).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipInfo

from docx.opc.oxml import serialize_part_xml
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.oxml.parser import element_class_lookup
from docx.parts.document import DocumentPart
from docxtpl import DocxTemplate
from docxtpl import __version__ as docxtpl_version
from jinja2 import Environment, Template
from jinja2.runtime import Context
from lxml import etree

from reportgen.render import rowsplice
from reportgen.render.compiled import cached_text

# Tags whose rendering changes a row's cell count, which docxtpl's fix_tables repairs.
_CELL_TAGS = re.compile(r"\{%-?\s*(?:tc|colspan|hm|vm)\b|\{%tc\b")
# Characters docxtpl's resolve_listing turns into tabs, line breaks, paragraphs and pages.
_LISTING = re.compile("[\t\a\n\f]")
_TAG = re.compile(r"<[^>]*>")
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")

_PREPARED: dict[str, tuple[str, bool]] = {}
_PREPARED_LIMIT = 16

# The recovering parser docxtpl uses for the rendered body, with python-docx's element classes.
_PARSER = etree.XMLParser(recover=True)
_PARSER.set_element_class_lookup(element_class_lookup)

# python-docx's package writers (untyped): the zip file, the content types and package rels.
_ZIP_WRITER: Any = PhysPkgWriter
_PACKAGE_WRITER: Any = PackageWriter

Rows = list[list[bytes]]  # per spliced loop (in document order), its rows as UTF-8 chunks
_Block = Callable[[Context], Iterator[str]]


class SplicedDocumentPart(DocumentPart):
    """The main document part whose spliced rows are written in place of their placeholders."""

    rows: Rows

    def save(self, path_or_stream: str | IO[bytes]) -> None:
        """Save the document (python-docx's ``Document.save`` comes here), streaming this part."""
        save_package(self.package, path_or_stream)

    @property
    def blob(self) -> bytes:
        """The part's XML (``save_package`` streams ``pieces`` instead, without this copy)."""
        return b"".join(self.pieces())

    def pieces(self) -> Iterator[bytes]:
        """The part's XML in pieces: the serialized frame, each placeholder replaced by its rows."""
        frame = rowsplice.PLACEHOLDER.split(serialize_part_xml(self._element))
        if len(frame) != 2 * len(self.rows) + 1:
            raise RuntimeError("a placeholder of spliced table rows went missing")
        for index, piece in enumerate(frame):
            yield from self.rows[int(piece)] if index % 2 else (piece,)


def save_package(package: Any, file: str | IO[bytes]) -> None:
    """python-docx's ``OpcPackage.save``, streaming a spliced document part into its zip member.

    The document's XML is never joined into one more copy in memory; every other part and the
    zip entries are written as python-docx writes them.
    """
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    writer = _ZIP_WRITER(file)
    _PACKAGE_WRITER._write_content_types_stream(writer, parts)
    _PACKAGE_WRITER._write_pkg_rels(writer, package.rels)
    for part in parts:
        if isinstance(part, SplicedDocumentPart):
            entry = ZipInfo(part.partname.membername, time.localtime(time.time())[:6])
            entry.compress_type, entry.external_attr = ZIP_DEFLATED, 0o600 << 16  # as writestr
            with writer._zipf.open(entry, "w") as member:
                for piece in part.pieces():
                    member.write(piece)
        else:
            writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()


class OnePassTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl is untyped
    """A DocxTemplate whose ``render`` parses the rendered document once, in place."""

    docx: Any  # the python-docx Document (set by init_docx)

    def render(
        self,
        context: dict[str, Any],
        jinja_env: Environment | None = None,
        autoescape: bool = False,
    ) -> None:
        """Render body, headers, footers, properties and footnotes (as DocxTemplate.render)."""
        self.render_init()
        env = jinja_env or Environment()
        env.autoescape = autoescape or env.autoescape
        part = self.docx.part
        root, rows = self.render_document(part._element, context, env)
        self.number_drawings(root)
        part._element = root
        if rows:
            part.__class__ = SplicedDocumentPart
            part.rows = rows
        self.docx = part.document
        for uri in (self.HEADER_URI, self.FOOTER_URI):
            for rel_key, xml in self.build_headers_footers_xml(context, uri, env):
                self.map_headers_footers_xml(rel_key, xml)
        self.render_properties(context, env)
        self.render_footnotes(context, env)
        self.is_rendered = True

    def number_drawings(self, root: Any) -> None:
        """docxtpl's ``fix_docpr_ids``: number every drawing anew so no two share an id."""
        for doc_pr in root.iter(qn("wp:docPr")):
            self.docx_ids_index += 1
            doc_pr.set("id", str(self.docx_ids_index))

    def render_document(
        self, root: Any, context: dict[str, Any], env: Environment
    ) -> tuple[Any, Rows]:
        """The rendered ``w:document`` frame (python-docx element classes) and its spliced rows."""
        source, loops_cells = self.prepared(etree.tostring(root, encoding="unicode"))
        rows: Rows = []
        xml = rowsplice.unmark(self.render_frame(env.from_string(source), context, rows))
        if _LISTING.search(xml):
            xml = self.resolve_breaks(xml)
        frame = etree.fromstring(xml, _PARSER)
        if loops_cells:
            self.fix_cell_loops(frame)
        return frame, rows

    def fix_cell_loops(self, root: Any) -> None:
        """docxtpl's ``fix_tables`` (grid columns for rows that loop over cells), table by table.

        It treats each table on its own (with the tables inside it), so running it on each
        outermost table gives the same XML without serializing and parsing the whole document.
        """
        tables = [
            t for t in root.iter(qn("w:tbl")) if next(t.iterancestors(qn("w:tbl")), None) is None
        ]
        for table in tables:
            fixed = self.fix_tables(etree.tostring(table, encoding="unicode"))
            table.getparent().replace(table, etree.fromstring(etree.tostring(fixed), _PARSER))

    def render_frame(self, template: Template, context: dict[str, Any], rows: Rows) -> str:
        """``template`` rendered; each row block's output goes to ``rows``, a placeholder stays."""
        ctx = template.new_context(context)
        for name in rowsplice.block_names(ctx.blocks):
            ctx.blocks[name] = [self._captured(ctx.blocks[name][0], rows)]
        try:
            return "".join(template.root_render_func(ctx))
        except Exception:
            template.environment.handle_exception()  # re-raises, with the template's lines
            raise

    def _captured(self, block: _Block, rows: Rows) -> _Block:
        def render(context: Context) -> Iterator[str]:
            rows.append(rowsplice.finished_rows(block(context), self._resolve_paragraph))
            yield rowsplice.placeholder(len(rows) - 1)

        return render

    def resolve_breaks(self, xml: str) -> str:
        """docxtpl's ``resolve_listing``; line breaks alone (the usual case) in one replace.

        With no tab, page break or \\a, docxtpl only turns each LF in a ``w:t`` into a ``w:br``
        between two ``w:t``; when every LF is in ``w:t`` text that is one ``str.replace``.
        """
        if not rowsplice.OTHER_LISTING.search(xml):
            in_text = sum(text.count("\n") for text in _TEXT.findall(xml))
            if in_text == xml.count("\n"):
                return xml.replace("\n", rowsplice.BREAK)
        return rowsplice.PARAGRAPH_XML.sub(self._resolve_paragraph, xml)

    def _resolve_paragraph(self, match: re.Match[str]) -> str:
        """docxtpl's ``resolve_listing`` for one paragraph, run only where it changes something."""
        paragraph = match.group(0)
        return self.resolve_listing(paragraph) if _LISTING.search(paragraph) else paragraph

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's ``patch_xml`` (its regular expressions are compiled anew in each process),
        kept in the user's cache folder (``reportgen.render.compiled.cached_text``)."""
        patch: Callable[[str], str] = super().patch_xml
        return cached_text(f"docxtpl {docxtpl_version} patch_xml", src_xml, patch)

    def prepared(self, raw: str) -> tuple[str, bool]:
        """The Jinja source of the document XML ``raw`` and whether it loops over table cells.

        Kept per process (by the XML itself): a batch prepares each template once.
        """
        if raw not in _PREPARED:
            if len(_PREPARED) >= _PREPARED_LIMIT:
                _PREPARED.clear()
            source = rowsplice.with_row_blocks(self.patch_xml(raw))
            _PREPARED[raw] = (source, bool(_CELL_TAGS.search(_TAG.sub("", raw))))
        return _PREPARED[raw]
