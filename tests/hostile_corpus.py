"""A generator of hostile and broken inputs (issue 9): workbooks, plan YAML and report templates.

Every case is built by code from one valid workbook/template, so the corpus can be regenerated.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SHEET = "xl/worksheets/sheet2.xml"  # 指标填报 is the second sheet of a template


@dataclass(frozen=True)
class Case:
    """One hostile input: the file to feed and which command reads it."""

    name: str
    kind: str  # "workbook" | "plan" | "template"
    path: Path
    acceptable: bool = False  # True when exit 0 with a warning is a correct answer


def _rezip(
    data: bytes, edit: Callable[[str, bytes], bytes | None], extra: dict | None = None
) -> bytes:
    """Copy a zip package, passing each entry through ``edit`` (None drops it)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = edit(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def _sheet_edit(pattern: str, repl: str) -> Callable[[str, bytes], bytes | None]:
    def edit(name: str, body: bytes) -> bytes:
        if name != SHEET:
            return body
        return re.sub(pattern, repl, body.decode("utf-8"), count=1).encode("utf-8")

    return edit


def _entity_bomb(root: str) -> bytes:
    levels = ['<!ENTITY l0 "boom">'] + [
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE {root} [{"".join(levels)}]><{root}>&l9;</{root}>'.encode()
    )


def _million_rows() -> bytes:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1_000_001))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{rows}</sheetData></worksheet>"
    ).encode()


def workbook_mutations(valid: bytes) -> dict[str, tuple[bytes, bool]]:
    """name -> (file bytes, acceptable) for broken variants of one valid filled workbook."""
    cases: dict[str, tuple[bytes, bool]] = {}
    for n, cut in enumerate(
        (10, 100, 500, 1000, len(valid) // 4, len(valid) // 2, len(valid) - 200, len(valid) - 22)
    ):
        cases[f"truncated_{n}.xlsx"] = (valid[:cut], False)
    rng = random.Random(9704)
    for n, size in enumerate((0, 1, 16, 512, 4096, 65536, 300_000)):
        cases[f"random_{n}.xlsx"] = (rng.randbytes(size), False)
    cases["zip_header_then_junk.xlsx"] = (b"PK\x03\x04" + rng.randbytes(2000), False)
    cases["ole_encrypted.xlsx"] = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), False)
    cases["garbage.xls"] = (rng.randbytes(3000), False)
    cases["garbage.ods"] = (rng.randbytes(3000), False)
    cases["garbage.et"] = (rng.randbytes(3000), False)
    cases["text_renamed.xlsx"] = ("指标编号,完成值\nZS01,3\n".encode(), False)
    cases["html_renamed.xlsx"] = (
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        False,
    )
    cases["pdf_renamed.xlsx"] = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF", False)
    cases["png_renamed.xlsx"] = (b"\x89PNG\r\n\x1a\n" + bytes(100), False)
    cases["empty_zip.xlsx"] = (_rezip(valid, lambda name, body: None), False)
    cases["no_workbook_part.xlsx"] = (
        _rezip(valid, lambda name, body: None if name == "xl/workbook.xml" else body),
        False,
    )
    cases["no_content_types.xlsx"] = (
        _rezip(valid, lambda name, body: None if name == "[Content_Types].xml" else body),
        False,
    )
    cases["docx_content_types.xlsx"] = (
        _rezip(
            valid,
            lambda name, body: (
                body.replace(b"spreadsheetml", b"wordprocessingml")
                if name == "[Content_Types].xml"
                else body
            ),
        ),
        False,
    )
    cases["sheet_xml_garbage.xlsx"] = (
        _rezip(valid, lambda name, body: b"<<<not xml" if name == SHEET else body),
        False,
    )
    cases["workbook_xml_garbage.xlsx"] = (
        _rezip(valid, lambda name, body: b"\x00\x01" if name == "xl/workbook.xml" else body),
        False,
    )
    for part in (SHEET, "xl/workbook.xml", "xl/sharedStrings.xml", "[Content_Types].xml"):
        cases[f"entity_bomb_{Path(part).stem.strip('[]')}.xlsx"] = (
            _rezip(
                valid,
                lambda name, body, part=part: _entity_bomb("worksheet") if name == part else body,
            ),
            False,
        )
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet>&e;</worksheet>'
    cases["external_entity.xlsx"] = (
        _rezip(valid, lambda name, body: xxe if name == SHEET else body),
        False,
    )
    cases["million_rows.xlsx"] = (
        _rezip(valid, lambda name, body: _million_rows() if name == SHEET else body),
        False,
    )
    cases["zip_bomb.xlsx"] = (
        _rezip(valid, lambda name, body: body, {"xl/media/zeros.bin": bytes(200 * 1024 * 1024)}),
        False,
    )
    cases["many_entries.xlsx"] = (
        _rezip(
            valid, lambda name, body: body, {f"xl/junk/{n}.xml": b"<a/>" for n in range(20_000)}
        ),
        False,
    )
    cases["huge_cell_string.xlsx"] = (
        _rezip(
            valid,
            _sheet_edit(
                r"(<c r=\"J4\"[^>]*?)(/>|>.*?</c>)",
                r'\1 t="inlineStr"><is><t>' + "长" * 100_000 + "</t></is></c>",
            ),
        ),
        True,
    )
    return cases


def plan_yaml_cases() -> dict[str, tuple[bytes, bool]]:
    """name -> (bytes, acceptable) for broken plan files."""
    good = "id: bad-plan\ntitle: 测试方案\nissuer: 某局\nsource: x.txt\nstart: 2023-01-01\nend: 2025-12-31\n"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(9)
    )
    rng = random.Random(22)
    cases = {
        "gb18030.yaml": (good.encode("gb18030"), False),
        "utf16.yaml": (good.encode("utf-16"), False),
        "latin1.yaml": ("id: x\ntitle: café\n".encode("latin-1"), False),
        "alias_bomb.yaml": (bomb.encode(), False),
        "anchor_simple.yaml": ((good + "x: &x 1\ny: *x\n").encode(), False),
        "empty.yaml": (b"", False),
        "only_comments.yaml": (b"# nothing\n", False),
        "tabs.yaml": (good.replace("title", "\ttitle").encode(), False),
        "unclosed_bracket.yaml": ((good + "indicators: [\n").encode(), False),
        "duplicate_keys.yaml": ((good + "id: other\n").encode(), False),
        "list_top.yaml": (b"- a\n- b\n", False),
        "scalar_top.yaml": (b"just text\n", False),
        "deep_nesting.yaml": (("[" * 50_000 + "]" * 50_000).encode(), False),
        "huge.yaml": ((good + "note: " + "x" * 3_000_000 + "\n").encode(), False),
        "nan_target.yaml": (
            (
                good
                + "indicators:\n  - {id: A, name: a, method: level, targets: {2025: .nan}, source_ref: r}\n"
            ).encode(),
            False,
        ),
        "inf_target.yaml": (
            (
                good
                + "indicators:\n  - {id: A, name: a, method: level, targets: {2025: .inf}, source_ref: r}\n"
            ).encode(),
            False,
        ),
        "bool_target.yaml": (
            (
                good
                + "indicators:\n  - {id: A, name: a, method: level, targets: {2025: true}, source_ref: r}\n"
            ).encode(),
            False,
        ),
        "python_tag.yaml": (
            (good + "x: !!python/object/apply:os.system ['echo hi']\n").encode(),
            False,
        ),
        "binary_junk.yaml": (rng.randbytes(4096), False),
        "nul_bytes.yaml": (good.encode() + b"\x00\x00", False),
        "missing_keys.yaml": (b"id: only-id\n", False),
        "bad_dates.yaml": (good.replace("2023-01-01", "2023-13-45").encode(), False),
    }
    return cases


def template_cases(valid_docx: bytes) -> dict[str, tuple[bytes, bool]]:
    """name -> (bytes, acceptable) for broken or malicious report templates."""
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

        return _rezip(valid_docx, edit)

    return {
        "tpl_random.docx": (rng.randbytes(5000), False),
        "tpl_truncated.docx": (valid_docx[: len(valid_docx) // 2], False),
        "tpl_not_docx.docx": (b"plain text", False),
        "tpl_entity_bomb.docx": (
            _rezip(
                valid_docx,
                lambda n, b: _entity_bomb("w:document") if n == "word/document.xml" else b,
            ),
            False,
        ),
        "tpl_dunder.docx": (body_with("{{ ''.__class__.__mro__ }}"), False),
        "tpl_globals.docx": (body_with("{{ cycler.__init__.__globals__ }}"), False),
        "tpl_import.docx": (body_with("{% import 'os' as os %}"), False),
        "tpl_include_file.docx": (body_with("{% include '/etc/passwd' %}"), False),
        "tpl_unclosed_tag.docx": (body_with("{% if x %}"), False),
        "tpl_syntax.docx": (body_with("{{ x + }}"), False),
        "tpl_zip_bomb.docx": (
            _rezip(valid_docx, lambda n, b: b, {"word/media/z.bin": bytes(200 * 1024 * 1024)}),
            False,
        ),
    }


def build_corpus(root: Path, valid_xlsx: bytes, valid_docx: bytes) -> list[Case]:
    """Write every case under ``root`` and return them."""
    cases: list[Case] = []
    groups = (
        ("workbook", workbook_mutations(valid_xlsx)),
        ("plan", plan_yaml_cases()),
        ("template", template_cases(valid_docx)),
    )
    for kind, items in groups:
        folder = root / kind
        folder.mkdir(parents=True, exist_ok=True)
        for name, (data, acceptable) in items.items():
            path = folder / name
            path.write_bytes(data)
            cases.append(Case(name, kind, path, acceptable))
    return cases
