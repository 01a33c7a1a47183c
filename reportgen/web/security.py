"""Who may do what: clerk password, department links, CSRF and the security headers.

Clerk pages need the password when one is set (always when serving beyond loopback). A
department's link carries a signed token naming one round and one department; it opens only
that department's page. Every POST carries the session's CSRF token.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1 and localhost: only this computer can connect."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class DepartmentGrant:
    """What a department link opens: one department of one round."""

    round_id: int
    department: str


class Tokens:
    """Signed department links (itsdangerous); the key lives in the workspace."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="reportgen-department")

    def make(self, grant: DepartmentGrant) -> str:
        return self._serializer.dumps([grant.round_id, grant.department])

    def read(self, token: str) -> DepartmentGrant:
        """The grant in ``token``; 404 for anything forged or damaged (nothing to probe)."""
        try:
            round_id, department = self._serializer.loads(token)
        except (BadSignature, ValueError, TypeError):
            raise HTTPException(404, "链接无效或已损坏，请向牵头单位索取新的填报链接。") from None
        if not isinstance(round_id, int) or not isinstance(department, str):
            raise HTTPException(404, "链接无效或已损坏，请向牵头单位索取新的填报链接。")
        return DepartmentGrant(round_id, department)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def check_csrf(request: Request, form: FormData) -> None:
    """403 unless the form (or the htmx header) carries this session's CSRF token."""
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(sent, str) or not isinstance(expected, str):
        raise HTTPException(403, "页面已过期（缺少安全令牌），请刷新页面后重试。")
    if not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "页面已过期（安全令牌不符），请刷新页面后重试。")


def password_ok(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def is_clerk(request: Request, password: str | None) -> bool:
    """True when no password is set or this session has logged in."""
    return password is None or request.session.get("clerk") is True


class SecurityHeaders:
    """ASGI middleware adding ``HEADERS`` and a Server-Timing header to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                message["headers"] = [
                    *message.get("headers", []),
                    (b"server-timing", f"app;dur={took:.1f}".encode()),
                ]
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode())
                    for k, v in HEADERS.items()
                    if k.encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
