"""`reportgen serve` start-up rules, and a restart that loses nothing."""

from __future__ import annotations

from reportgen.cli import run
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
