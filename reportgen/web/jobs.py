"""Long work (reports, PDF conversion) in a thread pool; its state is a JSON file per job.

Pages poll ``/jobs/<id>`` (htmx) until the job is done. A job interrupted by a restart shows
as failed with a note to start it again; finished jobs and their files stay.
"""

from __future__ import annotations

import json
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from reportgen.errors import ReportgenError
from reportgen.fileio import write_text

State = Literal["运行中", "已完成", "失败"]
Work = Callable[[Path], list[Path]]


@dataclass
class Job:
    """One background job: what it does, where it stands, the files it wrote."""

    id: str
    title: str
    back: str = ""  # the page the job was started from
    state: State = "运行中"
    started: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Jobs:
    """Runs work off the request path and records its state under ``folder``."""

    def __init__(self, folder: Path, output_root: Path, workers: int = 2) -> None:
        self.folder = folder
        self.output_root = output_root
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reportgen-job")
        self._running: set[str] = set()

    def start(self, title: str, work: Work, back: str = "") -> Job:
        """Queue ``work(output_folder)``; it returns the files it wrote."""
        job = Job(uuid.uuid4().hex, title, back)
        self._running.add(job.id)
        self._save(job)
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job | None:
        if not job_id.isalnum():
            return None
        path = self.folder / f"{job_id}.json"
        if not path.is_file():
            return None
        job = Job(**json.loads(path.read_text(encoding="utf-8")))
        if job.state == "运行中" and job.id not in self._running:
            job.state, job.problems = "失败", ["服务曾重新启动，此任务未完成，请重新生成。"]
        return job

    def output(self, job: Job, name: str) -> Path | None:
        """A file ``job`` wrote, by its file name; None for anything else."""
        for file in job.files:
            path = Path(file)
            if path.name == name:
                return path
        return None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: Job, work: Work) -> None:
        try:
            job.files = [str(p) for p in work(self.output_root / job.id)]
            job.state = "已完成"
        except ReportgenError as exc:
            job.state = "失败"
            job.problems = [str(p) for p in exc.problems]
        except Exception as exc:  # a bug must not kill the worker thread silently
            job.state = "失败"
            job.problems = [
                f"内部错误（{type(exc).__name__}）：{exc}。这不是您输入的问题，请联系维护人员。"
            ]
            traceback.print_exception(exc)
        finally:
            self._save(job)
            self._running.discard(job.id)

    def _save(self, job: Job) -> None:
        write_text(self.folder / f"{job.id}.json", json.dumps(asdict(job), ensure_ascii=False))
