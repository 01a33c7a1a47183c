"""方案: the plans on offer, importing a plan file, and reviewing an extraction draft."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from reportgen import api
from reportgen.errors import PlanError, Problem
from reportgen.fileio import write_text
from reportgen.web.app import clerk_only, page, posted_form, web_of

_DRAFT_ID = re.compile(r"[0-9a-f]{32}")
_PLAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")
_ID_RULE = (
    "方案编号只能由英文字母、数字和“-”“_”“.”组成（如 zhoushan-2023-metrology），请修改后重试。"
)


@clerk_only
async def plan_list(request: Request) -> Response:
    ws = web_of(request).workspace
    own = await run_in_threadpool(ws.user_plans)
    everything = await run_in_threadpool(ws.all_plans)
    own_ids = {p.id for p in own}
    return page(request, "plans.html", plans=everything, own_ids=own_ids)


@clerk_only
async def plan_detail(request: Request) -> Response:
    ws = web_of(request).workspace
    plan = await run_in_threadpool(api.show_plan, ws.plan_ref(request.path_params["plan_id"]))
    return page(request, "plan.html", plan=plan)


@clerk_only
async def import_plan(request: Request) -> Response:
    """A plan file (.yaml/.json text) checked by ``api.validate_plan`` and saved as the office's."""
    ws = web_of(request).workspace
    form = await posted_form(request)
    upload = form.get("plan_file")
    if not isinstance(upload, UploadFile):
        raise PlanError(Problem("", "请选择要导入的方案文件（.yaml）。"))
    stored = await ws.store(upload, "sources", (".txt",))
    text = stored.path.read_text(encoding="utf-8", errors="replace")
    stored.path.unlink()
    plan_id = await run_in_threadpool(
        _save_plan, ws.folder("drafts"), ws.folder("plans"), text, stored.display
    )
    return RedirectResponse(f"/plans/{plan_id}", 303)


@clerk_only
async def extract_upload(request: Request) -> Response:
    """A 实施方案 (.txt/.docx) → ``api.extract`` draft → the review page."""
    ws = web_of(request).workspace
    form = await posted_form(request)
    upload = form.get("source")
    if not isinstance(upload, UploadFile):
        raise PlanError(Problem("", "请选择实施方案原文（.txt 或 .docx）。"))
    plan_id = str(form.get("plan_id") or "").strip()
    if not _PLAN_ID.fullmatch(plan_id):
        raise PlanError(Problem("方案编号", _ID_RULE))
    stored = await ws.store(upload, "sources", (".docx", ".txt"), named=True)
    draft = uuid.uuid4().hex
    target = ws.folder("drafts") / f"{draft}.yaml"
    run = await run_in_threadpool(api.extract, stored.path, target, plan_id)
    review = {
        "source": stored.display,
        "unit": run.extraction.line_unit,
        "items": [
            asdict(i) | {"kind_label": i.kind_label, "label": i.label} for i in run.extraction.items
        ],
        "warnings": [str(w) for w in run.extraction.warnings],
    }
    write_text(ws.folder("drafts") / f"{draft}.json", json.dumps(review, ensure_ascii=False))
    return RedirectResponse(f"/plans/drafts/{draft}", 303)


@clerk_only
async def draft_page(request: Request) -> Response:
    ws = web_of(request).workspace
    draft = _draft_id(request)
    review = json.loads((ws.folder("drafts") / f"{draft}.json").read_text(encoding="utf-8"))
    text = (ws.folder("drafts") / f"{draft}.yaml").read_text(encoding="utf-8")
    return page(request, "draft.html", draft=draft, review=review, text=text, problems=[])


@clerk_only
async def save_draft(request: Request) -> Response:
    """The corrected YAML: validated as a plan, then saved among the office's plans."""
    ws = web_of(request).workspace
    draft = _draft_id(request)
    form = await posted_form(request)
    text = str(form.get("yaml") or "")
    write_text(ws.folder("drafts") / f"{draft}.yaml", text)
    try:
        plan_id = await run_in_threadpool(
            _save_plan, ws.folder("drafts"), ws.folder("plans"), text, "方案草稿"
        )
    except PlanError as exc:
        review = json.loads((ws.folder("drafts") / f"{draft}.json").read_text(encoding="utf-8"))
        problems = [str(p) for p in exc.problems]
        return page(
            request, "draft.html", 400, draft=draft, review=review, text=text, problems=problems
        )
    return RedirectResponse(f"/plans/{plan_id}", 303)


def _save_plan(drafts: Path, plans: Path, text: str, shown: str) -> str:
    """Validate ``text`` as a plan (the CLI's rules) and save it as plans/<id>.yaml."""
    check = drafts / f"{uuid.uuid4().hex}.yaml"
    write_text(check, text)
    try:
        plan = api.validate_plan(check)
    finally:
        check.unlink(missing_ok=True)
    if not _PLAN_ID.fullmatch(plan.id):
        raise PlanError(
            Problem(f"{shown} id", "方案 id 只能由字母、数字、“-”“_”“.”组成，请修改后保存。")
        )
    write_text(plans / f"{plan.id}.yaml", text)
    return plan.id


def _draft_id(request: Request) -> str:
    draft = str(request.path_params["draft"])
    ws = web_of(request).workspace
    if not _DRAFT_ID.fullmatch(draft) or not (ws.folder("drafts") / f"{draft}.json").is_file():
        raise HTTPException(404, "没有这份方案草稿，请重新上传实施方案。")
    return draft


ROUTES = [
    Route("/", lambda request: RedirectResponse("/plans", 303)),
    Route("/plans", plan_list),
    Route("/plans/import", import_plan, methods=["POST"]),
    Route("/plans/extract", extract_upload, methods=["POST"]),
    Route("/plans/drafts/{draft}", draft_page),
    Route("/plans/drafts/{draft}", save_draft, methods=["POST"]),
    Route("/plans/{plan_id}", plan_detail),
]
