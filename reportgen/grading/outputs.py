"""Writing a year's outputs together: the 通报 (.docx, optionally .pdf) and 评议汇总.xlsx.

Every file is written atomically, and all of them or none: a failure (LibreOffice missing, a
full disk) leaves earlier versions untouched.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from reportgen.fileio import atomic_path
from reportgen.grading.compute import GradingResult
from reportgen.grading.model import Scheme
from reportgen.grading.notice import NoticeFront, build_notice
from reportgen.grading.summary import write_summary
from reportgen.locations import outputs_dir
from reportgen.render import pdf
from reportgen.render.titles import UNSAFE_IN_NAMES

NOTICE_SUFFIX = "评议结果通报"


@dataclass(frozen=True)
class Written:
    """The files written."""

    notice: Path
    summary: Path | None
    pdf: Path | None


def default_notice_path(scheme: Scheme) -> Path:
    """outputs/grading/<scheme>/<year>/2024年度各区县食品安全工作评议结果通报.docx"""
    name = UNSAFE_IN_NAMES.sub("_", f"{scheme.year}年度{scheme.subject}{NOTICE_SUFFIX}.docx")
    return outputs_dir() / "grading" / scheme.id / str(scheme.year) / name


def default_summary_path(notice: Path) -> Path:
    """Beside the 通报: '2024年度…评议结果通报.docx' -> '2024年度…评议汇总.xlsx', else 评议汇总.xlsx."""
    head, found, _ = notice.stem.rpartition(NOTICE_SUFFIX)
    return notice.with_name(f"{head if found else ''}评议汇总.xlsx")


def write_outputs(
    scheme: Scheme,
    result: GradingResult,
    front: NoticeFront,
    out: Path,
    summary: Path | None = None,
    with_pdf: bool = False,
) -> Written:
    """Write the 通报 to ``out`` (and its PDF beside it) and the summary workbook."""
    soffice = pdf.require_soffice() if with_pdf else None
    document = build_notice(scheme, result, front)
    pdf_path = out.with_suffix(".pdf") if soffice else None
    with ExitStack() as stack:
        docx_tmp = stack.enter_context(atomic_path(out))
        document.save(str(docx_tmp))
        if soffice is not None and pdf_path is not None:
            pdf.convert_to_pdf(docx_tmp, stack.enter_context(atomic_path(pdf_path)), soffice)
        if summary is not None:
            write_summary(scheme, result, stack.enter_context(atomic_path(summary)))
    return Written(out, summary, pdf_path)
