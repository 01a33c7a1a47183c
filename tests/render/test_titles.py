"""Titles from the short title and period, balanced line breaks, Windows-safe file names."""

from __future__ import annotations

import re

import pytest

from reportgen.render import titles

YEAR_SPAN = re.compile(r"\d{4}\s*[—–-]\s*\d{4}年")


def test_short_title_derived_from_title_and_issuer():
    assert (
        titles.short_title(
            "关于贯彻落实《计量发展规划（2021—2035年）》的实施方案", "济南市人民政府"
        )
        == "济南市计量发展规划实施方案"
    )
    assert (
        titles.short_title(
            "青岛市人民政府关于贯彻落实《计量发展规划（2021—2035年）》的实施意见", "青岛市人民政府"
        )
        == "青岛市计量发展规划实施意见"
    )
    assert titles.plan_short_title("简称", "全称", "某市") == "简称"


def test_no_doubled_guanyu():
    title = titles.report_title("quarterly", "关于加快计量发展的实施意见", "2024年第二季度")
    assert title == "关于加快计量发展的实施意见2024年第二季度进展情况的报告"
    assert "关于关于" not in title


@pytest.mark.parametrize(
    "title",
    [
        "关于舟山市计量发展规划实施方案2024年第二季度进展情况的报告",
        "关于《舟山市贯彻落实〈计量发展规划（2021—2035年）〉实施方案》2024年第二季度实施进展情况的报告",
        "关于印发《济南市贯彻落实〈计量发展规划（2021—2035年）〉的实施方案》的通知",
        "关于贯彻落实《计量发展规划（2021-2035年）》2024年度工作进展情况的报告",
        "舟山市计量发展规划实施方案中期评估报告（初稿）",
    ],
)
def test_title_lines_keep_spans_whole_and_fit(title):
    lines = titles.break_title(title)
    assert "".join(lines) == title
    assert all(titles.width(line) <= titles.TITLE_CHARS for line in lines)
    spans = [m.group() for m in YEAR_SPAN.finditer(title)] + re.findall(r"\d{4}年第.季度", title)
    for span in spans:
        assert any(span in line for line in lines), (span, lines)
    for line in lines[1:]:
        assert line[0] not in "，。）》〉"


def test_title_breaks_at_a_whole_phrase_and_balances():
    assert titles.break_title("关于舟山市计量发展规划实施方案2024年第二季度进展情况的报告") == [
        "关于舟山市计量发展规划实施方案",
        "2024年第二季度进展情况的报告",
    ]
    assert titles.break_title("舟山市计量发展规划实施方案进展周报") == [
        "舟山市计量发展规划实施方案进展周报"
    ]


def test_book_title_pair_stays_whole_when_it_fits_a_line():
    lines = titles.break_title(
        "关于贯彻落实《计量发展规划（2021-2035年）》2024年度工作进展情况的报告"
    )
    assert any("《计量发展规划（2021-2035年）》" in line for line in lines)


def test_output_names_are_chinese_and_windows_safe():
    assert (
        titles.output_name("济南市计量发展规划实施方案", "2024年第二季度", "quarterly")
        == "济南市计量发展规划实施方案_2024年第二季度进展报告.docx"
    )
    assert (
        titles.output_name("某市方案", "2024年第40周（9月30日—10月6日）", "weekly")
        == "某市方案_2024年第40周周报.docx"
    )
    name = titles.output_name('a\\b/c:d*e?f"g<h>i|j' + "长" * 200, "2024年度", "midterm")
    assert not re.search(r'[\\/:*?"<>|]', name)
    assert len(name) <= titles.NAME_LIMIT and name.endswith("_2024年度中期评估报告（初稿）.docx")
