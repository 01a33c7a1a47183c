"""催报: the notice goes to departments not returned or returned with errors, in 公文 format."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from docx import Document

from reportgen.periods import parse_period
from reportgen.rounds import RoundStore, collect, open_round, round_status
from reportgen.rounds.notice import write_reminder
from reportgen.rounds.remind import plain_text, reminder
from tests.support.gongwen import assert_gbt9704
from tests.support.round_builders import fill_return, round_plan

TODAY = date(2024, 7, 8)  # 星期一, after the 7月5日 deadline
CST = timezone(timedelta(hours=8))


@pytest.fixture
def status(tmp_path):
    with RoundStore.open(tmp_path / "archive.sqlite") as repo:
        opened = open_round(
            repo,
            round_plan(),
            parse_period("2024-Q2"),
            "2024-07-05",
            tmp_path / "out",
            departments=["市市场监管局", "市科技局", "市经信局"],
            today=date(2024, 6, 28),
        )
        ok = fill_return(opened.templates["市市场监管局"], {"C1": 5, "L1": 41, "R1": 0.45})
        bad = fill_return(opened.templates["市经信局"], {}, {"T2": "差不多"})
        collect(repo, opened.round, [ok, bad], now=datetime(2024, 7, 3, 9, tzinfo=CST))
        yield round_status(repo, opened.round, TODAY)


def test_reminder_addresses_missing_and_erroring_departments_only(status):
    note = reminder(status, round_plan())
    assert note.recipients == ["市科技局", "市经信局"]
    missing, wrong = note.items
    assert missing.status == "逾期" and missing.owed == (
        "P1 强检计量器具检定覆盖率",
        "T1 加强计量标准建设",
    )
    assert wrong.status == "有错误" and wrong.received.startswith("2024年7月3日报送的")
    assert wrong.errors and wrong.errors[0].where.startswith("重点任务!E")
    # 7月8日(一) + 2个工作日 = 7月10日(三)
    assert note.resubmit_by == date(2024, 7, 10)
    assert note.sender == "市市场监管局"


def test_notice_docx_passes_the_report_checks(status, tmp_path):
    out = write_reminder(reminder(status, round_plan()), tmp_path / "催报通知.docx")
    assert_gbt9704(out)
    doc = Document(out)
    body = [p.text for p in doc.paragraphs]
    assert body[0] == "关于催报《测试市计量发展实施方案》2024年第二季度实施进展情况的通知"
    assert doc.paragraphs[0].style.name == "Title"
    assert body[1] == "市科技局、市经信局："
    assert "应于2024年7月5日（星期五）前报送" in body[2] and "截至2024年7月8日" in body[2]
    assert body.index("（一）市科技局") < body.index("（二）市经信局")
    assert "1.P1 强检计量器具检定覆盖率" in body
    assert any(t.startswith("1.重点任务!E") for t in body)
    assert "请于2024年7月10日（星期三）前" in body[body.index("二、报送要求") + 1]
    assert body[-2:] == ["市市场监管局", "2024年7月8日"]
    assert [p.style.name for p in doc.paragraphs[-2:]] == ["落款", "成文日期"]


def test_plain_text_has_one_message_per_department(status):
    text = plain_text(reminder(status, round_plan(), sender="市计量办"))
    first, second = text.strip().split("\n\n")
    assert first.startswith("【催报】市科技局：") and "尚未报送" in first and "共2项" in first
    assert second.startswith("【催报】市经信局：") and "重点任务!E" in second
    assert first.endswith("——市计量办")


def test_nobody_to_chase_gives_no_notice(tmp_path):
    with RoundStore.open(tmp_path / "a.sqlite") as repo:
        opened = open_round(
            repo,
            round_plan(),
            parse_period("2024-Q2"),
            "2024-07-05",
            tmp_path / "out",
            departments=["市科技局"],
            today=date(2024, 6, 28),
        )
        collect(repo, opened.round, [fill_return(opened.templates["市科技局"], {"P1": 95})])
        assert reminder(round_status(repo, opened.round, TODAY), round_plan()) is None
