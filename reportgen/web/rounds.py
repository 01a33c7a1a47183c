"""填报轮次, 报送情况 and 上传: rounds opened, templates handed out, returns collected, 催报."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from reportgen import api, rounds
from reportgen.errors import IntakeError, LimitError, ReportgenError
from reportgen.fileio import write_text
from reportgen.intake.meta import read_meta
from reportgen.intake.reader import read_workbook
from reportgen.intake.result import Issue
from reportgen.limits import current_limits
from reportgen.periods import parse_period
from reportgen.web.app import MAX_FILES, Web, clerk_only, page, posted_form, web_of
from reportgen.web.security import DepartmentGrant
from reportgen.web.workspace import Stored


def all_rounds(web: Web) -> list[rounds.Round]:
    """Every round opened in the workspace, oldest first."""
    with rounds.RoundStore.open(web.workspace.archive) as repo:
        return repo.rounds()


def find_round(web: Web, round_id: int) -> rounds.Round:
    """The round with ``round_id``; 404 when there is none."""
    found = next((r for r in all_rounds(web) if r.id == round_id), None)
    if found is None:
        raise HTTPException(404, "没有这个填报轮次。")
    return found


def round_status(web: Web, round_: rounds.Round) -> rounds.RoundStatus:
    return rounds.current_status(round_.plan_id, round_.period, archive=web.workspace.archive)


def latest_returns(status: rounds.RoundStatus) -> list[Path]:
    """The workbooks that count: each department's latest return."""
    return [Path(d.latest.path) for d in status.departments if d.latest is not None]


def templates_of(web: Web, round_id: int) -> dict[str, Path]:
    """Department → its template file, as written when the round was opened."""
    index = web.workspace.folder("rounds") / f"{round_id}.json"
    if not index.is_file():
        return {}
    return {k: Path(v) for k, v in json.loads(index.read_text(encoding="utf-8")).items()}


# ---------------------------------------------------------------- 填报轮次


@clerk_only
async def round_list(request: Request) -> Response:
    web = web_of(request)
    opened = list(reversed(await run_in_threadpool(all_rounds, web)))
    plans = await run_in_threadpool(web.workspace.all_plans)
    return page(request, "rounds.html", rounds=opened, plans=plans, today=date.today())


@clerk_only
async def open_round(request: Request) -> Response:
    web = web_of(request)
    form = await posted_form(request)
    plan_ref = web.workspace.plan_ref(str(form.get("plan") or ""))
    period = str(form.get("period") or "").strip()
    deadline = str(form.get("deadline") or "").strip()
    out = web.workspace.folder("rounds") / "templates"
    opened = await run_in_threadpool(_open, web, plan_ref, period, deadline, out)
    assert opened.round.id is not None
    return RedirectResponse(f"/rounds/{opened.round.id}", 303)


def _open(
    web: Web, plan_ref: str | Path, period: str, deadline: str, out: Path
) -> rounds.OpenedRound:
    with web.writes:
        plan, parsed = api.plan_of(plan_ref), api.period_of(period)
        folder = out / f"{plan.id}_{parsed.key}"
        opened = rounds.start_round(plan, parsed, deadline, folder, archive=web.workspace.archive)
    index = {d: str(p) for d, p in opened.templates.items()}
    write_text(
        web.workspace.folder("rounds") / f"{opened.round.id}.json",
        json.dumps(index, ensure_ascii=False),
    )
    return opened


# ---------------------------------------------------------------- 报送情况


@clerk_only
async def board(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    status = await run_in_threadpool(round_status, web, round_)
    links = {
        d.department: str(
            request.url_for(
                "department_page",
                token=web.tokens.make(DepartmentGrant(round_.id or 0, d.department)),
            )
        )
        for d in status.departments
    }
    names = list(templates_of(web, round_.id or 0))
    return page(
        request,
        "board.html",
        round=round_,
        status=status,
        links=links,
        names=names,
        counts=status.counts(),
        label=parse_period(round_.period).label,
    )


@clerk_only
async def template_file(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    files = templates_of(web, round_.id or 0)
    number = int(request.path_params["number"])
    if not 0 <= number < len(files):
        raise HTTPException(404, "没有这个单位的模板。")
    path = list(files.values())[number]
    return FileResponse(path, filename=path.name)


@clerk_only
async def templates_zip(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in templates_of(web, round_.id or 0).values():
            bundle.write(path, path.name)
    name = f"填报模板_{parse_period(round_.period).label}.zip"
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"content-disposition": _attachment(name)},
    )


@clerk_only
async def remind(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    await posted_form(request)
    folder = web.workspace.folder("rounds") / "reminders" / str(round_.id)
    files = await run_in_threadpool(_remind, web, round_, folder)
    return page(request, "remind.html", round=round_, files=files)


def _remind(web: Web, round_: rounds.Round, folder: Path) -> rounds.ReminderFiles | None:
    name = f"催报通知_{date.today().isoformat()}.docx"
    return rounds.write_reminders(
        round_.plan_id, round_.period, archive=web.workspace.archive, output=folder / name
    )


@clerk_only
async def reminder_file(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    folder = web.workspace.folder("rounds") / "reminders" / str(round_.id)
    wanted = request.path_params["name"]
    found = next((p for p in folder.glob("催报通知_*") if p.name == wanted), None)
    if found is None:
        raise HTTPException(404, "没有这份催报通知。")
    return FileResponse(found, filename=found.name)


# ---------------------------------------------------------------- 上传


@clerk_only
async def upload_page(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    return page(
        request, "upload.html", round=round_, results=None, action=f"/rounds/{round_.id}/upload"
    )


@clerk_only
async def upload(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    form = await posted_form(request)
    results = await receive(web, round_, form, None)
    return page(
        request, "upload.html", round=round_, results=results, action=f"/rounds/{round_.id}/upload"
    )


async def receive(
    web: Web, round_: rounds.Round, form: FormData, department: str | None
) -> list[dict[str, object]]:
    """Store each uploaded workbook and collect it into ``round_``; one result per file.

    ``department`` (a department's link) refuses workbooks of any other department.
    """
    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    if not uploads:
        raise IntakeError("请选择要上传的 Excel 填报表（.xlsx），可一次选择多个。")
    if len(uploads) > MAX_FILES:
        raise IntakeError(f"一次最多上传 {MAX_FILES} 个文件。")
    results = []
    for upload_file in uploads:
        try:
            stored = await web.workspace.store(upload_file, f"uploads/{round_.id}", (".xlsx",))
        except LimitError as exc:
            results.append(_refused(exc.problems[0].where, [p.message for p in exc.problems]))
            continue
        results.append(await run_in_threadpool(_collect, web, round_, stored, department))
    return results


def _collect(
    web: Web, round_: rounds.Round, stored: Stored, department: str | None
) -> dict[str, object]:
    if department is not None:
        owner = _owner(stored)
        if owner is not None and owner != department:
            stored.path.unlink(missing_ok=True)
            return _refused(
                stored.display,
                [
                    f"这是“{owner}”的填报表。本链接只接收“{department}”的填报表，请使用本单位的模板。"
                ],
            )
    with web.writes:
        _, (received,) = rounds.collect_returns(
            [stored.path], round_.plan_id, round_.period, archive=web.workspace.archive
        )
    if received.refused is not None or received.record is None:
        stored.path.unlink(missing_ok=True)
        return _refused(stored.display, [received.refused or "未能登记。"])
    record = received.record
    errors, warnings = _problems(web, round_, stored)
    return {
        "name": stored.display,
        "department": record.department,
        "ok": record.ok,
        "duplicate": received.duplicate,
        "errors": errors,
        "warnings": warnings,
    }


Row = tuple[str, str, str]  # where, indicator or task, what to do


def _problems(web: Web, round_: rounds.Round, stored: Stored) -> tuple[list[Row], list[Row]]:
    """Every problem of the workbook as `reportgen check` words it, with the item's name."""
    plan = api.plan_of(web.workspace.plan_ref(round_.plan_id))
    names = {i.id: f"{i.id} {i.name}" for i in plan.indicators} | {
        t.id: f"{t.id} {t.title}" for t in plan.tasks
    }
    (result,) = api.check([stored.path], plan, round_.period, web.workspace.archive).files

    def rows(issues: list[Issue]) -> list[Row]:
        return [
            (f"{i.sheet}!{i.cell}" if i.cell else i.sheet, names.get(i.item, ""), i.message)
            for i in issues
        ]

    return rows(result.errors), rows(result.warnings)


def _owner(stored: Stored) -> str | None:
    """The department named in the workbook's ``_meta`` (None: unreadable or not a template)."""
    try:
        meta = read_meta(read_workbook(stored.path, stored.display, current_limits()))
    except ReportgenError:
        return None
    return meta.department if meta else None


def _refused(name: str, reasons: Sequence[str]) -> dict[str, object]:
    return {
        "name": name,
        "department": None,
        "ok": False,
        "duplicate": False,
        "refused": True,
        "errors": [("", "", r) for r in reasons],
        "warnings": [],
    }


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"download\"; filename*=UTF-8''{quote(name)}"


ROUTES = [
    Route("/rounds", round_list),
    Route("/rounds", open_round, methods=["POST"]),
    Route("/rounds/{round_id:int}", board),
    Route("/rounds/{round_id:int}/templates.zip", templates_zip),
    Route("/rounds/{round_id:int}/templates/{number:int}", template_file),
    Route("/rounds/{round_id:int}/remind", remind, methods=["POST"]),
    Route("/rounds/{round_id:int}/reminders/{name}", reminder_file),
    Route("/rounds/{round_id:int}/upload", upload_page),
    Route("/rounds/{round_id:int}/upload", upload, methods=["POST"]),
]
