"""PDF through LibreOffice (``soffice --headless --convert-to pdf``), when it is installed."""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
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


# ---------------------------------------------------------------- 公文 fonts on this machine


@dataclass(frozen=True)
class MissingFont:
    """A 公文 font (none of its names installed) and what fontconfig draws instead."""

    name: str
    substitute: str


GOVERNMENT_FONTS = (
    ("仿宋_GB2312", ("仿宋_GB2312", "仿宋", "FangSong", "STFangsong")),
    ("黑体", ("黑体", "SimHei", "STHeiti")),
    ("楷体_GB2312", ("楷体_GB2312", "楷体", "KaiTi", "STKaiti")),
    ("方正小标宋简体", ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S")),
)
FONT_HINT = (
    "Word 文档中的字体名不变，用 Word/WPS 打开或在装有这些字体的电脑上转换即为正式字体。"
    "在本机安装：把字体文件（Windows 的 C:\\Windows\\Fonts 下的 simfang.ttf、simhei.ttf、"
    "simkai.ttf，以及方正小标宋简体）复制到 ~/.local/share/fonts/，再运行 fc-cache -f。"
)


@functools.cache
def missing_fonts() -> tuple[MissingFont, ...]:
    """公文 fonts LibreOffice will not find here, with fontconfig's substitute (cached)."""
    if shutil.which("fc-list") is None or shutil.which("fc-match") is None:
        return ()
    missing = []
    for name, aliases in GOVERNMENT_FONTS:
        if not any(_installed(alias) for alias in aliases):
            missing.append(MissingFont(name, _substitute(name)))
    return tuple(missing)


def _fontconfig(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def _installed(family: str) -> bool:
    return bool(_fontconfig("fc-list", f":family={family}", "family"))


def _substitute(family: str) -> str:
    """The family fontconfig draws Chinese text of ``family`` with."""
    return _fontconfig("fc-match", "-f", "%{family[0]}", f"{family}:lang=zh-cn") or "未知字体"


def font_notice() -> str | None:
    """One notice naming every missing 公文 font and its substitute, or None."""
    missing = missing_fonts()
    if not missing:
        return None
    listed = "、".join(f"{m.name}（以 {m.substitute} 代替）" for m in missing)
    return f"本机未安装公文字体：{listed}，PDF 中这些文字用代替字体显示。{FONT_HINT}"
