"""One-pass rendering for the built-in templates: docxtpl's result without its detours.

docxtpl renders the body to a string, reparses it with a recovering parser, walks every table
(``fix_tables``), rewrites every paragraph with regular expressions (``resolve_listing``) and
then moves the new body into the python-docx tree (``map_tree``). The last steps grow faster
than the document (moving 10 000 rows between lxml documents alone takes seconds).

``OnePassTemplate`` renders the whole document element once and parses the result once, with
python-docx's element classes, straight into place. ``fix_tables`` runs only for templates that
loop over cells, ``resolve_listing`` only on paragraphs holding a tab, line or page break: the
XML is the same as docxtpl's. Only the built-in templates take this path; user templates keep
docxtpl's full one (and the sandbox, see reportgen.render.sandbox).
"""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.parser import element_class_lookup
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree

# Tags whose rendering changes a row's cell count, which docxtpl's fix_tables repairs.
_CELL_TAGS = re.compile(r"\{%-?\s*(?:tc|colspan|hm|vm)\b|\{%tc\b")
# Characters docxtpl's resolve_listing turns into tabs, line breaks, paragraphs and pages.
_LISTING = re.compile("[\t\a\n\f]")
# docxtpl's resolve_listing works paragraph by paragraph, found with this expression.
_PARAGRAPH_XML = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_OTHER_LISTING = re.compile("[\t\a\f]")
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'

_PREPARED: dict[str, tuple[str, bool]] = {}
_PREPARED_LIMIT = 16

# The recovering parser docxtpl uses for the rendered body, with python-docx's element classes.
_PARSER = etree.XMLParser(recover=True)
_PARSER.set_element_class_lookup(element_class_lookup)


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
        root = self.render_document(part._element, context, env)
        self.number_drawings(root)
        part._element = root
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

    def render_document(self, root: Any, context: dict[str, Any], env: Environment) -> Any:
        """The rendered ``w:document`` element (a new tree, python-docx element classes)."""
        source, loops_cells = self.prepared(etree.tostring(root, encoding="unicode"))
        xml = env.from_string(source).render(context)
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        if _LISTING.search(xml):
            xml = self.resolve_breaks(xml)
        if loops_cells:
            xml = etree.tostring(self.fix_tables(xml), encoding="unicode")
        return etree.fromstring(xml, _PARSER)

    def resolve_breaks(self, xml: str) -> str:
        """docxtpl's ``resolve_listing``; line breaks alone (the usual case) in one replace.

        With no tab, page break or \\a, docxtpl only turns each LF in a ``w:t`` into a ``w:br``
        between two ``w:t``; when every LF is in ``w:t`` text that is one ``str.replace``.
        """
        if not _OTHER_LISTING.search(xml):
            in_text = sum(text.count("\n") for text in _TEXT.findall(xml))
            if in_text == xml.count("\n"):
                return xml.replace("\n", _BREAK)
        return _PARAGRAPH_XML.sub(self._resolve_paragraph, xml)

    def _resolve_paragraph(self, match: re.Match[str]) -> str:
        """docxtpl's ``resolve_listing`` for one paragraph, run only where it changes something."""
        paragraph = match.group(0)
        return self.resolve_listing(paragraph) if _LISTING.search(paragraph) else paragraph

    def prepared(self, raw: str) -> tuple[str, bool]:
        """The Jinja source of the document XML ``raw`` and whether it loops over table cells.

        Kept per process (by the XML itself): a batch prepares each template once.
        """
        if raw not in _PREPARED:
            if len(_PREPARED) >= _PREPARED_LIMIT:
                _PREPARED.clear()
            source = self.patch_xml(raw)
            _PREPARED[raw] = (source, bool(_CELL_TAGS.search(_TAG.sub("", raw))))
        return _PREPARED[raw]
