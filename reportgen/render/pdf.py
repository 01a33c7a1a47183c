"""PDF through LibreOffice (``soffice --headless --convert-to pdf``), when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from reportgen.errors import RenderError
from reportgen.render import oxml

TIMEOUT_S = 180
INSTALL_HINT = (
    "未找到 LibreOffice，无法生成 PDF。请先安装 LibreOffice："
    "Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer fonts-noto-cjk；"
    "Windows 或 macOS 从 https://zh-cn.libreoffice.org/ 下载安装，并确保 soffice 在 PATH 中。"
    "也可以不加 --pdf 生成 Word 文档后，用 Word 或 WPS “另存为 PDF”。"
)


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """The LibreOffice executable; RenderError with install instructions when missing."""
    found = find_soffice()
    if found is None:
        raise RenderError(INSTALL_HINT)
    return found


def libreoffice_copy(docx: Path, target: Path) -> None:
    """A copy of the report laid out for LibreOffice (see ``oxml.grid_as_condensed_text``)."""
    from docx import Document

    document = Document(str(docx))
    oxml.grid_as_condensed_text(document)
    document.save(str(target))


def convert_to_pdf(docx: Path, pdf: Path, soffice: str) -> None:
    """Convert ``docx`` to ``pdf`` in a private folder and a throw-away LibreOffice profile.

    The private profile lets several conversions run at once; ``pdf`` is written only when
    LibreOffice produced a file. The .docx itself is not changed.
    """
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        libreoffice_copy(docx, source)
        command = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice 转换 PDF 超过 {TIMEOUT_S} 秒未完成，已放弃。") from None
        produced = work / "report.pdf"
        if done.returncode != 0 or not produced.is_file():
            detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise RenderError(
                f"LibreOffice 未能把报告转换为 PDF（退出码 {done.returncode}）。{detail}"
                "Word 文档本身可用 Word 或 WPS 打开后另存为 PDF。"
            )
        shutil.copyfile(produced, pdf)
