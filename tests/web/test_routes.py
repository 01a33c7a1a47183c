"""Workbench routes through Starlette's test client: access, CSRF, link scope, upload limits."""

from __future__ import annotations

import asyncio
import html
import io
import re
import zipfile
from html.parser import HTMLParser

import httpx
import pytest

from reportgen.locations import resource_path
from reportgen.web import create_app
from reportgen.web.server import ServeError, server_password
from tests.support.intake_builders import plan_data, write_plan
from tests.support.round_builders import fill_return
from tests.support.web_builders import (
    GOOD_VALUES,
    client,
    csrf,
    filled,
    links,
    open_round,
    template_bytes,
    upload,
)


@pytest.fixture
def web(tmp_path):
    with client(tmp_path / "ws") as test_client:
        yield test_client


@pytest.fixture
def round_id(web):
    return open_round(web)


class _Controls(HTMLParser):
    """Form controls with neither a wrapping <label> nor a <label for=…>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.targets, self.bare = 0, set(), []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "label":
            self.depth += 1
            self.targets.add(found.get("for"))
        elif (
            tag in ("input", "select", "textarea")
            and found.get("type") != "hidden"
            and not self.depth
        ):
            self.bare.append(found.get("id") or found.get("name"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.depth -= 1


def unlabelled(page: str) -> list[str]:
    parser = _Controls()
    parser.feed(page)
    return [c for c in parser.bare if c not in parser.targets]


def test_pages_carry_security_headers_and_labels(web, round_id):
    department = links(web, round_id)["市科技局"]
    for path in (
        department,
        "/login",
        "/plans",
        "/rounds",
        f"/rounds/{round_id}",
        f"/rounds/{round_id}/upload",
        f"/rounds/{round_id}/report",
        "/archive",
    ):
        response = web.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "<script>" not in response.text  # no inline script (CSP)
        assert not unlabelled(response.text), path


def test_clerk_pages_need_the_password_when_one_is_set(tmp_path):
    with client(tmp_path / "ws", password="s3cret-pass") as web:
        first = web.get("/rounds", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].startswith("/login")
        token = csrf(web, "/login")
        wrong = web.post(
            "/login", data={"csrf_token": token, "password": "nope", "next": "/rounds"}
        )
        assert wrong.status_code == 401 and "密码不正确" in wrong.text
        right = web.post(
            "/login",
            data={"csrf_token": token, "password": "s3cret-pass", "next": "//evil.example/x"},
            follow_redirects=False,
        )
        assert right.headers["location"] == "/"  # never an open redirect
        assert web.get("/rounds").status_code == 200
        assert web.post("/rounds", data={"plan": "x"}).status_code == 403  # logged in, no CSRF


def test_serving_beyond_loopback_needs_a_password(monkeypatch):
    monkeypatch.delenv("REPORTGEN_PASSWORD", raising=False)
    with pytest.raises(ServeError, match="--password"):
        server_password("0.0.0.0", None)
    assert server_password("127.0.0.1", None) is None
    monkeypatch.setenv("REPORTGEN_PASSWORD", "from-the-env")
    assert server_password("0.0.0.0", None) == "from-the-env"


def test_forms_refuse_missing_or_foreign_csrf_tokens(web, tmp_path):
    data = {"plan": "test-plan", "period": "2024-Q2", "deadline": "5个工作日"}
    assert web.post("/rounds", data=data).status_code == 403
    assert web.post("/rounds", data={**data, "csrf_token": "forged"}).status_code == 403
    with client(tmp_path / "ws") as other:  # another browser's session token
        assert web.post("/rounds", data={**data, "csrf_token": csrf(other)}).status_code == 403
    assert "还没有发起过填报" in web.get("/rounds").text


def test_other_hosts_are_refused_on_loopback(web):
    assert web.get("/plans", headers={"host": "attacker.example"}).status_code == 400


def test_a_department_link_shows_and_accepts_only_that_department(web, round_id, tmp_path):
    link = links(web, round_id)
    own, other = link["市科技局"], link["市市场监管局"]
    page = web.get(own).text
    assert "市科技局" in page and "市市场监管局" not in page
    assert 'href="/rounds' not in page and 'href="/plans' not in page
    foreign = filled(web, other, tmp_path, "a.xlsx", GOOD_VALUES)
    refused = upload(web, f"{own}/upload", [("填报.xlsx", foreign.read_bytes())])
    assert "只接收“市科技局”" in refused.text
    board = web.get(f"/rounds/{round_id}").text
    assert board.count(">已报送<") == 0
    assert web.get(own[:-4] + "AAAA").status_code == 404  # forged signature
    assert web.get(own.replace("/d/", "/d/x")).status_code == 404


def test_department_links_open_no_clerk_page(tmp_path):
    with client(tmp_path / "ws", password="s3cret-pass") as clerk:
        token = csrf(clerk, "/login")
        clerk.post("/login", data={"csrf_token": token, "password": "s3cret-pass", "next": "/"})
        round_id = open_round(clerk)
        link = links(clerk, round_id)["市科技局"]
        with client(tmp_path / "ws", password="s3cret-pass") as department:
            assert department.get(link).status_code == 200
            assert department.get(f"/rounds/{round_id}", follow_redirects=False).status_code == 303
            assert (
                department.get(
                    f"/rounds/{round_id}/templates.zip", follow_redirects=False
                ).status_code
                == 303
            )


def test_client_paths_never_become_paths(web, round_id, tmp_path):
    link = links(web, round_id)["市科技局"]
    workbook = filled(web, link, tmp_path, "b.xlsx", {"P1": 95})
    response = upload(web, f"{link}/upload", [("../../x.xlsx", workbook.read_bytes())])
    assert "已接收" in response.text and "x.xlsx" in response.text
    root = tmp_path / "ws"
    assert not (tmp_path / "x.xlsx").exists() and not (root / "x.xlsx").exists()
    stored = list((root / "uploads").rglob("*.xlsx"))
    assert len(stored) == 1 and len(stored[0].stem) == 32  # a generated name


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/worksheets/sheet1.xml", b"0" * (600 * 1024 * 1024))
    return buffer.getvalue()


def test_zip_bombs_and_disguised_files_are_refused(web, round_id, tmp_path):
    link = links(web, round_id)["市科技局"]
    bomb = upload(web, f"{link}/upload", [("bomb.xlsx", _zip_bomb())])
    assert "压缩炸弹" in bomb.text
    fake = upload(web, f"{link}/upload", [("fake.xlsx", b"name,value\nP1,95\n")])
    assert "按内容识别" in fake.text
    assert not list((tmp_path / "ws" / "uploads").rglob("*.xlsx"))


def test_the_file_size_limit_applies(web, round_id, tmp_path, monkeypatch):
    link = links(web, round_id)["市科技局"]
    monkeypatch.setenv("REPORTGEN_MAX_FILE_MB", "0.001")
    response = upload(web, f"{link}/upload", [("big.xlsx", template_bytes(web, link))])
    assert "文件超过上限" in response.text


def test_an_error_then_a_fix_moves_the_board(web, round_id, tmp_path):
    link = links(web, round_id)["市科技局"]
    wrong = filled(web, link, tmp_path, "w.xlsx", {"P1": "九十五"})
    first = upload(web, f"{link}/upload", [("科技局.xlsx", wrong.read_bytes())])
    assert "处错误" in first.text and "P1" in first.text
    assert ">有错误<" in web.get(f"/rounds/{round_id}").text
    fixed = fill_return(wrong, {"P1": 95})
    upload(web, f"{link}/upload", [("科技局.xlsx", fixed.read_bytes())])
    board = web.get(f"/rounds/{round_id}").text
    assert ">有错误<" not in board.split("<tbody>")[1]


@pytest.mark.slow
def test_thirty_departments_uploading_at_once_lose_nothing(tmp_path):
    data = plan_data()
    base = data["indicators"][0]
    data["indicators"] = [
        {**base, "id": f"X{n:02}", "name": f"指标{n:02}", "lead": [f"测试{n:02}局"]}
        for n in range(30)
    ]
    data["tasks"] = []
    root = tmp_path / "ws"
    (root / "plans").mkdir(parents=True)
    write_plan(
        __import__("reportgen.plan", fromlist=["Plan"]).Plan.model_validate(data), root / "plans"
    )
    app = create_app(root)
    from starlette.testclient import TestClient

    with TestClient(app) as web:
        round_id = open_round(web)
        found = links(web, round_id)
        assert len(found) == 30
        bodies = {}
        for department, link in found.items():
            ident = f"X{int(department[2:4]):02}"
            bodies[link] = filled(web, link, tmp_path, f"{ident}.xlsx", {ident: 5}).read_bytes()
        tokens = {link: csrf(web, link) for link in found.values()}
        cookies = dict(web.cookies)

    async def send_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", cookies=cookies
        ) as ac:
            return await asyncio.gather(
                *(
                    ac.post(
                        f"{link}/upload",
                        data={"csrf_token": tokens[link]},
                        files=[("files", ("填报.xlsx", body, "application/octet-stream"))],
                    )
                    for link, body in bodies.items()
                )
            )

    responses = asyncio.run(send_all())
    assert all(r.status_code == 200 and "已接收，未发现错误" in r.text for r in responses)
    with TestClient(app) as web:
        board = web.get(f"/rounds/{round_id}").text
    assert board.count(">已报送<") == 30
    assert len(list((root / "uploads").rglob("*.xlsx"))) == 30


def test_a_plan_text_becomes_a_reviewed_plan(web):
    source = resource_path("sources", "zhoushan-2023-metrology-plan.txt").read_bytes()
    token = csrf(web)
    refused = web.post(
        "/plans/extract",
        data={"csrf_token": token, "plan_id": "../x"},
        files=[("source", ("a.txt", source, "text/plain"))],
    )
    assert refused.status_code == 400 and "方案编号" in refused.text
    drafted = web.post(
        "/plans/extract",
        data={"csrf_token": token, "plan_id": "my-zhoushan"},
        files=[("source", ("../方案.txt", source, "text/plain"))],
        follow_redirects=False,
    )
    assert drafted.status_code == 303
    review = web.get(drafted.headers["location"]).text
    assert "可信度" in review and "方案.txt" in review
    draft_text = re.search(r'<textarea id="yaml"[^>]*>(.*?)</textarea>', review, re.S)
    assert draft_text
    text = html.unescape(draft_text.group(1))
    broken = web.post(
        drafted.headers["location"], data={"csrf_token": token, "yaml": "id: [unclosed"}
    )
    assert broken.status_code == 400 and "方案还不能保存" in broken.text
    saved = web.post(
        drafted.headers["location"],
        data={"csrf_token": token, "yaml": text},
        follow_redirects=False,
    )
    assert saved.headers["location"] == "/plans/my-zhoushan"
    assert "本单位" in web.get("/plans").text


def test_the_progress_page_filters_by_department_and_status(web, round_id, tmp_path):
    assert "暂无进度" in web.get(f"/rounds/{round_id}/progress").text
    link = links(web, round_id)
    for department, values in (("市科技局", {"P1": 96}), ("市市场监管局", GOOD_VALUES)):
        workbook = filled(web, link[department], tmp_path, f"{department}.xlsx", values)
        upload(web, f"{link[department]}/upload", [("x.xlsx", workbook.read_bytes())])
    rows = lambda query: re.findall(  # noqa: E731
        r"<tr><td>([A-Z]\d+)</td>", web.get(f"/rounds/{round_id}/progress{query}").text
    )
    assert rows("") == ["C1", "L1", "P1", "A1", "R1"]
    assert rows("?department=市科技局") == ["P1"]
    assert rows("?status=未填报") == ["A1"]
    page = web.get(f"/rounds/{round_id}/progress").text
    assert "<svg" in page
    # A1 (项/年, 1 -> 2): the 2024 target 1.67项 is shown as the whole count that meets it
    a1 = re.search(r"<tr><td>A1</td>.*?</tr>", page, re.S)
    assert a1 and '<td class="num">2项</td>' in a1.group(0) and "1.67" not in a1.group(0)
