"""Reports through LibreOffice: PDF pages as text (pdftotext) and as images (pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reportgen.render import pdf

needs_libreoffice = pytest.mark.skipif(
    pdf.find_soffice() is None or shutil.which("pdftotext") is None,
    reason="需要 LibreOffice 和 poppler-utils（pdftotext、pdftoppm）",
)


def to_pdf(docx: Path) -> Path:
    """``docx`` converted as ``reportgen report --pdf`` does, beside it."""
    out = docx.with_suffix(".pdf")
    pdf.convert_to_pdf(docx, out, pdf.require_soffice())
    return out


def page_texts(path: Path) -> list[str]:
    """The text of every page (pdftotext -layout, split at form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def page_image(path: Path, page: int, dpi: int = 40) -> Path:
    """Page ``page`` (1-based) as a PNG beside the PDF."""
    prefix = path.with_name(f"{path.stem}-p{page}")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
         str(path), str(prefix)],
        check=True,
    )  # fmt: skip
    return prefix.with_suffix(".png")


def many_to_pdf(docs: list[Path], folder: Path) -> list[Path]:
    """Several reports converted in one LibreOffice run (as ``to_pdf``, but faster)."""
    copies = []
    for n, docx in enumerate(docs):
        copy = folder / f"lo-{n}.docx"
        pdf.libreoffice_copy(docx, copy)
        copies.append(copy)
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [pdf.require_soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile}",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, copies)],
        capture_output=True, check=True, timeout=600,
    )  # fmt: skip
    return [copy.with_suffix(".pdf") for copy in copies]
