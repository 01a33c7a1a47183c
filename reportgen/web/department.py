"""A department's own page, opened by its signed link: its template, its status, its upload.

Nothing here shows or accepts another department's data: the token names one round and one
department, and uploads whose ``_meta`` names another department are refused.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from reportgen import rounds
from reportgen.periods import parse_period
from reportgen.web.app import Web, page, posted_form, web_of
from reportgen.web.rounds import find_round, receive, round_status, templates_of
from reportgen.web.security import DepartmentGrant


def _grant(request: Request) -> tuple[Web, DepartmentGrant, rounds.Round]:
    web = web_of(request)
    grant = web.tokens.read(request.path_params["token"])
    round_ = find_round(web, grant.round_id)
    if grant.department not in round_.departments:
        raise HTTPException(404, "链接无效或已损坏，请向牵头单位索取新的填报链接。")
    return web, grant, round_


def _own_status(web: Web, round_: rounds.Round, department: str) -> rounds.DepartmentStatus:
    status = round_status(web, round_)
    return next(d for d in status.departments if d.department == department)


async def department_page(request: Request) -> Response:
    web, grant, round_ = _grant(request)
    return await _department_view(request, web, grant, round_, None)


async def department_template(request: Request) -> Response:
    web, grant, round_ = _grant(request)
    path = templates_of(web, round_.id or 0).get(grant.department)
    if path is None or not path.is_file():
        raise HTTPException(404, "本单位的模板不存在，请联系牵头单位。")
    return FileResponse(path, filename=path.name)


async def department_upload(request: Request) -> Response:
    web, grant, round_ = _grant(request)
    form = await posted_form(request)
    results = await receive(web, round_, form, grant.department)
    return await _department_view(request, web, grant, round_, results)


async def _department_view(
    request: Request,
    web: Web,
    grant: DepartmentGrant,
    round_: rounds.Round,
    results: list[dict[str, object]] | None,
) -> Response:
    """The department's page: its status, its template, and the results of an upload."""
    mine = await run_in_threadpool(_own_status, web, round_, grant.department)
    return page(
        request,
        "department.html",
        round=round_,
        department=grant.department,
        mine=mine,
        label=parse_period(round_.period).label,
        results=results,
        token=request.path_params["token"],
    )


ROUTES = [
    Route("/d/{token}", department_page, name="department_page"),
    Route("/d/{token}/template", department_template),
    Route("/d/{token}/upload", department_upload, methods=["POST"]),
]
