"""Builders for the workbench tests: a workspace with a plan, a client, a round, filled returns."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from reportgen.web import create_app
from tests.support.intake_builders import write_plan
from tests.support.round_builders import fill_return, round_plan

PLAN_ID = "test-plan"
PERIOD = "2024-Q2"
GOOD_VALUES = {"C1": 6, "L1": 43, "R1": 0.46}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LINK = re.compile(r'value="(http://[^"]+/d/[^"]+)"')


def workspace(root: Path) -> Path:
    """A workspace whose office plans hold the round test plan (six departments)."""
    (root / "plans").mkdir(parents=True, exist_ok=True)
    write_plan(round_plan(), root / "plans")
    return root


def client(root: Path, password: str | None = None) -> TestClient:
    return TestClient(create_app(workspace(root), password))


def csrf(client: TestClient, path: str = "/plans") -> str:
    """The session's CSRF token, read from a page with a form."""
    found = _CSRF.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def open_round(client: TestClient) -> int:
    """Open the test round through the page; returns its id."""
    token = csrf(client, "/rounds")
    response = client.post(
        "/rounds",
        data={"csrf_token": token, "plan": PLAN_ID, "period": PERIOD, "deadline": "5个工作日"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def links(client: TestClient, round_id: int) -> dict[str, str]:
    """Department -> the path of its upload link, from the status board."""
    page = client.get(f"/rounds/{round_id}").text
    found = {}
    for row in page.split("<tr>")[1:]:
        match = _LINK.search(row)
        if match:
            department = re.search(r"<td>([^<]+)</td>", row)
            assert department
            found[department.group(1)] = "/d/" + match.group(1).split("/d/", 1)[1]
    return found


def template_bytes(client: TestClient, link: str) -> bytes:
    response = client.get(f"{link}/template")
    assert response.status_code == 200, response.text
    return response.content


def filled(client: TestClient, link: str, folder: Path, name: str, values: dict[str, Any]) -> Path:
    """The department's template downloaded through its link and filled with ``values``."""
    path = folder / name
    path.write_bytes(template_bytes(client, link))
    return fill_return(path, values)


def upload(
    client: TestClient, action: str, files: list[tuple[str, bytes]], token: str | None = None
) -> Any:
    """POST workbooks to an upload form (``action``); ``token`` defaults to a fresh CSRF token."""
    page = action.rsplit("/upload", 1)[0] if action.startswith("/d/") else action
    token = token if token is not None else csrf(client, page)
    parts = [("files", (name, body, "application/octet-stream")) for name, body in files]
    return client.post(action, data={"csrf_token": token}, files=parts)
