"""The ASGI app: wiring, shared page helpers, login, errors. Pages live in the sibling modules.

Every page calls ``reportgen.api`` / ``reportgen.rounds`` / ``reportgen.archive`` for its
figures and rules; this package only turns requests into those calls and results into HTML.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from reportgen import fmt
from reportgen.errors import ReportgenError
from reportgen.limits import MB, current_limits
from reportgen.render import sentences as S
from reportgen.web.jobs import Jobs
from reportgen.web.security import (
    SecurityHeaders,
    Tokens,
    check_csrf,
    csrf_token,
    is_clerk,
    password_ok,
)
from reportgen.web.workspace import Workspace

HERE = Path(__file__).parent
MAX_FILES = 50  # workbooks in one upload
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "testserver"]
Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class Web:
    """What every request handler needs: the workspace and the server's settings."""

    workspace: Workspace
    password: str | None
    tokens: Tokens
    jobs: Jobs
    templates: Jinja2Templates
    writes: threading.Lock  # one round write at a time (SQLite has a single writer)


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def page(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    """Render the page template ``name`` with the CSRF token and login state."""
    web = web_of(request)
    context |= {
        "csrf": csrf_token(request),
        "clerk": is_clerk(request, web.password),
        "has_password": web.password is not None,
    }
    return web.templates.TemplateResponse(request, name, context, status_code=code)


async def posted_form(request: Request) -> FormData:
    """The POSTed form after the size caps and the CSRF check (403 without a valid token)."""
    limits = current_limits()
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limits.max_file_mb * MB * MAX_FILES:
        raise HTTPException(
            413,
            f"上传内容过大：每个文件不超过 {limits.max_file_mb:g} MB，每次不超过 {MAX_FILES} 个。",
        )
    form = await request.form(max_files=MAX_FILES, max_fields=500)
    check_csrf(request, form)
    return form


def clerk_only(handler: Handler) -> Handler:
    """Send visitors without the clerk's login to /login (only when a password is set)."""

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        if not is_clerk(request, web_of(request).password):
            if request.method != "GET":
                raise HTTPException(401, "请先登录。")
            return RedirectResponse(f"/login?next={quote(request.url.path)}", 303)
        return await handler(request)

    return guarded


# ---------------------------------------------------------------- login


async def login_page(request: Request) -> Response:
    return page(request, "login.html", next=_safe_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    web = web_of(request)
    form = await posted_form(request)
    given = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or ""))
    if web.password is None or password_ok(given, web.password):
        request.session["clerk"] = True
        return RedirectResponse(target, 303)
    return page(request, "login.html", 401, next=target, failed=True)


async def logout(request: Request) -> Response:
    await posted_form(request)
    request.session.clear()
    return RedirectResponse("/login", 303)


def _safe_next(target: str | None) -> str:
    """Only local paths: no scheme, no host, no protocol-relative '//' (open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# ---------------------------------------------------------------- errors


async def user_error(request: Request, exc: Exception) -> Response:
    """A ReportgenError: its problems listed on a page, status 400."""
    assert isinstance(exc, ReportgenError)
    return page(request, "error.html", 400, problems=[str(p) for p in exc.problems])


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return page(request, "error.html", exc.status_code, problems=[exc.detail])


# ---------------------------------------------------------------- the app


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters |= {"percent": fmt.percent, "number": fmt.number, "quantity": fmt.quantity}
    # a count's target and 序时应达值 as the whole number that meets it; 进展状态未填 (issue 15)
    env.filters |= {"requirement": lambda value, ind: S.target_text(ind, value)}
    env.filters |= {"task_status": S.task_status_text}
    return Jinja2Templates(env=env)


def _lifespan(web: Web) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        web.jobs.shutdown()

    return lifespan


def create_app(workspace: Path, password: str | None = None, loopback: bool = True) -> Starlette:
    """The workbench over ``workspace``; ``password`` guards the clerk pages when given.

    ``loopback`` (served on 127.0.0.1 only) also refuses requests for any other host name,
    so a web page elsewhere cannot reach the server through DNS rebinding.
    """
    from reportgen.web import department, plans, results, rounds

    ws = Workspace(workspace)
    secret = ws.secret()
    web = Web(
        ws,
        password or None,
        Tokens(secret),
        Jobs(ws.folder("jobs"), ws.folder("reports")),
        _templates(),
        threading.Lock(),
    )
    routes: list[BaseRoute] = [
        Route("/login", login_page),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        *plans.ROUTES,
        *rounds.ROUTES,
        *results.ROUTES,
        *department.ROUTES,
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if loopback:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_HOSTS))
    middleware.append(
        Middleware(
            SessionMiddleware,
            secret_key=secret,
            session_cookie="reportgen_session",
            same_site="strict",
            https_only=False,
            max_age=12 * 3600,
        )
    )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ReportgenError: user_error, HTTPException: http_error},
        lifespan=_lifespan(web),
    )
    app.state.web = web
    return app
