"""--pdf names the 公文 fonts this machine lacks and what fontconfig draws instead, once."""

from __future__ import annotations

import pytest
from docx import Document

from reportgen.render import RenderWarning, ReportOptions, pdf, render_report
from tests.support import render_samples as rs
from tests.support.pdf_pages import needs_libreoffice


@pytest.fixture(autouse=True)
def _fresh_lookup():
    pdf.missing_fonts.cache_clear()
    yield
    pdf.missing_fonts.cache_clear()


def test_notice_names_each_missing_font_its_substitute_and_the_fix(monkeypatch):
    monkeypatch.setattr(pdf, "_installed", lambda family: family in {"SimHei", "KaiTi"})
    monkeypatch.setattr(pdf, "_substitute", lambda family: "Noto Serif CJK SC")
    notice = pdf.font_notice()
    assert "仿宋_GB2312（以 Noto Serif CJK SC 代替）" in notice
    assert "方正小标宋简体（以 Noto Serif CJK SC 代替）" in notice
    assert "黑体" not in notice.split("，PDF")[0] and "楷体" not in notice.split("，PDF")[0]
    assert "fc-cache -f" in notice


def test_no_notice_when_every_font_is_installed(monkeypatch):
    monkeypatch.setattr(pdf, "_installed", lambda family: True)
    assert pdf.font_notice() is None


@pytest.mark.slow
@needs_libreoffice
def test_pdf_warns_once_and_the_docx_keeps_the_proper_names(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "_installed", lambda family: False)
    with pytest.warns(RenderWarning, match="本机未安装公文字体") as caught:
        out = render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions(pdf=True))
    assert len([w for w in caught if "公文字体" in str(w.message)]) == 1
    styles = Document(str(out)).styles.element.xml
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="方正小标宋简体"' in styles
