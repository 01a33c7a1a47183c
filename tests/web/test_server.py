"""`reportgen serve` start-up rules, and a restart that loses nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from reportgen.cli import run
from reportgen.fileio import write_text
from tests.support.web_builders import GOOD_VALUES, client, filled, links, open_round, upload


def test_serve_refuses_to_listen_beyond_loopback_without_a_password(monkeypatch, capsys):
    monkeypatch.delenv("REPORTGEN_PASSWORD", raising=False)
    assert run(["serve", "--host", "0.0.0.0", "--no-browser"]) == 2
    assert "必须设置密码" in capsys.readouterr().err
    assert run(["serve", "--host", "0.0.0.0", "--password", "short", "--no-browser"]) == 2


def test_a_restart_keeps_rounds_returns_and_links(tmp_path):
    with client(tmp_path / "ws") as first:
        round_id = open_round(first)
        link = links(first, round_id)["市市场监管局"]
        workbook = filled(first, link, tmp_path, "m.xlsx", GOOD_VALUES)
        assert "已接收" in upload(first, f"{link}/upload", [("m.xlsx", workbook.read_bytes())]).text
    with client(tmp_path / "ws") as second:  # a new process over the same workspace
        assert links(second, round_id)["市市场监管局"] == link
        page = second.get(link)
        assert page.status_code == 200 and "已报送" in page.text
        assert second.get(f"/rounds/{round_id}").text.count(">已报送<") == 1


def test_long_work_runs_beside_the_pages_and_reports_its_state(tmp_path):
    release = threading.Event()

    def work(folder: Path) -> list[Path]:
        assert release.wait(30)
        folder.mkdir(parents=True)
        return [write_text(folder / "测试报告.docx", "x")]

    with client(tmp_path / "ws") as web:
        job = web.app.state.web.jobs.start("测试", work)
        running = web.get(f"/jobs/{job.id}", headers={"hx-request": "true"})
        assert "正在生成" in running.text and "<html" not in running.text  # an htmx fragment
        assert 'hx-trigger="load delay:1s"' in running.text
        assert web.get("/plans").status_code == 200  # not blocked by the job
        release.set()
        deadline = time.monotonic() + 30
        while "已完成" not in (page := web.get(f"/jobs/{job.id}").text):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "测试报告.docx" in page
        download = web.get(f"/jobs/{job.id}/files/测试报告.docx")
        assert (
            download.status_code == 200
            and "filename*=utf-8''" in download.headers["content-disposition"].lower()
        )
        assert web.get(f"/jobs/{job.id}/files/..%2Fsecret.key").status_code == 404
