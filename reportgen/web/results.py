"""进度, 生成报告 (a background job) and 归档 (archive, history, diff, verify)."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from reportgen import api, fmt
from reportgen.archive import Archive
from reportgen.errors import IntakeError
from reportgen.periods import parse_date, parse_period
from reportgen.render import REPORT_KINDS, ReportOptions, titles
from reportgen.render.pdf import find_soffice
from reportgen.schedule import Status
from reportgen.web.app import Web, clerk_only, page, posted_form, web_of
from reportgen.web.charts import completion_bars, line_chart
from reportgen.web.rounds import find_round, latest_returns, round_status

KIND_LABELS = {"weekly": "周报", "quarterly": "季度报告", "midterm": "中期评估报告"}
STATUS_CLASSES: dict[Status, str] = {
    "已完成": "done",
    "进度正常": "ok",
    "滞后": "lag",
    "严重滞后": "severe",
    "未填报": "blank",
}


@functools.lru_cache(maxsize=16)
def _progress(
    plan_ref: str | Path, period: str, files: tuple[tuple[str, float], ...]
) -> api.ProgressRun:
    """``api.progress`` for a set of returns, kept while none of the files changes.

    ``files`` pairs each path with its modification time (the plan file's among them).
    """
    returns = [Path(f) for f, _ in files if f != str(plan_ref)]
    return api.progress(plan_ref, period, returns)


def round_progress(web: Web, round_id: int) -> tuple[object, api.ProgressRun]:
    """The round and the progress computed from each department's latest return."""
    round_ = find_round(web, round_id)
    status = round_status(web, round_)
    paths = latest_returns(status)
    if not paths:
        raise IntakeError("本轮还没有单位报送，暂无进度。请先在“报送情况”中查看并催报。")
    plan_ref = web.workspace.plan_ref(round_.plan_id)
    watched = [*paths, plan_ref] if isinstance(plan_ref, Path) else paths
    files = tuple((str(p), p.stat().st_mtime) for p in watched)
    return round_, _progress(plan_ref, round_.period, files)


# ---------------------------------------------------------------- 进度


@clerk_only
async def progress_page(request: Request) -> Response:
    web = web_of(request)
    round_, run = await run_in_threadpool(round_progress, web, request.path_params["round_id"])
    department = request.query_params.get("department", "")
    wanted = request.query_params.get("status", "")
    leads = run.result.plan.leads
    shown = [
        i
        for i in run.result.indicators
        if (not department or department in leads.get(i.id, ()))
        and (not wanted or i.status == wanted)
    ]
    chart = completion_bars(
        [
            (
                f"{i.id} {i.name}"[:18],
                i.completion,
                i.time_progress,
                STATUS_CLASSES[i.status],
                fmt.percent(i.completion),
            )
            for i in shown
        ]
    )
    departments = sorted({d for ds in leads.values() for d in ds})
    return page(
        request,
        "progress.html",
        round=round_,
        result=run.result,
        indicators=shown,
        chart=chart,
        departments=departments,
        department=department,
        wanted=wanted,
        statuses=list(STATUS_CLASSES),
        classes=STATUS_CLASSES,
        leads=leads,
    )


# ---------------------------------------------------------------- 生成报告


@clerk_only
async def report_form(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    plan = api.plan_of(web.workspace.plan_ref(round_.plan_id))
    period = parse_period(round_.period)
    kind = "weekly" if period.kind == "week" else "quarterly"
    return page(
        request,
        "report.html",
        round=round_,
        kinds=KIND_LABELS,
        kind=kind,
        title="",
        signer=plan.issuer,
        today=date.today().isoformat(),
        pdf_available=find_soffice() is not None,
        label=period.label,
    )


@clerk_only
async def start_report(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    form = await posted_form(request)
    kind = str(form.get("kind") or "quarterly")
    if kind not in REPORT_KINDS:
        raise HTTPException(400, "请选择报告类型。")
    day = str(form.get("date") or "").strip()
    options = ReportOptions(
        title=str(form.get("title") or "").strip() or None,
        issuer=str(form.get("signer") or "").strip() or None,
        date=parse_date(day) if day else None,
        pdf=form.get("pdf") == "on" and find_soffice() is not None,
    )
    allow_errors = form.get("allow_errors") == "on"
    status = await run_in_threadpool(round_status, web, round_)
    paths = latest_returns(status)
    plan_ref = web.workspace.plan_ref(round_.plan_id)
    archive = web.workspace.archive

    def work(folder: Path) -> list[Path]:
        plan, period = api.plan_of(plan_ref), parse_period(round_.period)
        short = titles.plan_short_title(plan.short_title, plan.title, plan.issuer)
        out = folder / titles.output_name(short, period.label, kind)
        summary = folder / titles.summary_name(short, period.label)
        chosen = ReportOptions(
            options.template,
            options.title,
            options.issuer,
            options.recipients,
            options.date,
            options.pdf,
            summary,
        )
        api.report(
            plan, period, paths, kind, out, chosen, archive=archive, allow_errors=allow_errors
        )
        return sorted(p for p in folder.iterdir() if not p.name.startswith("."))

    title = f"{KIND_LABELS[kind]}（{parse_period(round_.period).label}）"
    job = web.jobs.start(title, work, back=f"/rounds/{round_.id}/report")
    return RedirectResponse(f"/jobs/{job.id}", 303)


@clerk_only
async def job_page(request: Request) -> Response:
    job = web_of(request).jobs.get(request.path_params["job_id"])
    if job is None:
        raise HTTPException(404, "没有这个任务。")
    fragment = request.headers.get("hx-request") == "true"
    return page(
        request,
        "job_part.html" if fragment else "job.html",
        job=job,
        names=[Path(f).name for f in job.files],
    )


@clerk_only
async def job_file(request: Request) -> Response:
    jobs = web_of(request).jobs
    job = jobs.get(request.path_params["job_id"])
    path = jobs.output(job, request.path_params["name"]) if job else None
    if path is None or not path.is_file():
        raise HTTPException(404, "没有这个文件。")
    return FileResponse(path, filename=path.name)


# ---------------------------------------------------------------- 归档


@clerk_only
async def archive_round(request: Request) -> Response:
    web = web_of(request)
    round_ = find_round(web, request.path_params["round_id"])
    await posted_form(request)
    status = await run_in_threadpool(round_status, web, round_)
    plan_ref = web.workspace.plan_ref(round_.plan_id)
    await run_in_threadpool(_archive, web, plan_ref, round_.period, latest_returns(status))
    return RedirectResponse(f"/archive?plan={round_.plan_id}", 303)


def _archive(web: Web, plan_ref: str | Path, period: str, paths: list[Path]) -> None:
    with web.writes:
        api.add_to_archive(plan_ref, period, paths, archive=web.workspace.archive, note="网页归档")


@clerk_only
async def archive_page(request: Request) -> Response:
    web = web_of(request)
    query = request.query_params
    view = await run_in_threadpool(
        _archive_view,
        web,
        query.get("plan", ""),
        query.get("indicator", ""),
        query.get("a", ""),
        query.get("b", ""),
    )
    return page(request, "archive.html", **view)


def _archive_view(web: Web, plan_id: str, indicator: str, a: str, b: str) -> dict[str, Any]:
    view: dict[str, Any] = {
        "plan_id": plan_id,
        "indicator": indicator,
        "a": a,
        "b": b,
        "snapshots": [],
        "plans": [],
        "chart": None,
        "changes": None,
        "names": {},
    }
    if not web.workspace.archive.exists():
        return view
    with Archive.open(web.workspace.archive, readonly=True) as archive:
        every = archive.snapshots()
        view["plans"] = sorted({s.plan_id for s in every})
        snapshots = [s for s in every if s.plan_id == plan_id]
        view["snapshots"] = snapshots
        if not snapshots:
            return view
        history = archive.history(plan_id)
        view["names"] = history.names()
        if indicator:
            series = [
                (
                    p.period.label,
                    _actual(p.indicators.get(indicator)),
                    fmt.number(_actual(p.indicators.get(indicator))),
                )
                for p in history.points
            ]
            view["chart"] = line_chart(series)
        if a and b:
            view["changes"] = archive.diff(plan_id, a, b)
    return view


def _actual(figures: object) -> float | None:
    return getattr(figures, "actual", None)


@clerk_only
async def verify(request: Request) -> Response:
    web = web_of(request)
    await posted_form(request)

    def run() -> list[str]:
        with Archive.open(web.workspace.archive, readonly=True) as archive:
            return [str(p) for p in archive.verify()]

    problems = await run_in_threadpool(run) if web.workspace.archive.exists() else []
    return page(request, "verify.html", problems=problems)


ROUTES = [
    Route("/rounds/{round_id:int}/progress", progress_page),
    Route("/rounds/{round_id:int}/report", report_form),
    Route("/rounds/{round_id:int}/report", start_report, methods=["POST"]),
    Route("/rounds/{round_id:int}/archive", archive_round, methods=["POST"]),
    Route("/jobs/{job_id}", job_page),
    Route("/jobs/{job_id}/files/{name}", job_file),
    Route("/archive", archive_page),
    Route("/archive/verify", verify, methods=["POST"]),
]
