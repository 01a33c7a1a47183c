"""The workbench's folder: everything the server knows lives here, so a restart loses nothing.

plans/      the office's own plans (.yaml), saved from the 方案 page
sources/    实施方案 files uploaded for extraction (generated names)
drafts/     extraction drafts awaiting review
rounds/     templates written for each round
uploads/    returned workbooks (generated names; the client's file name is never a path)
reports/    generated reports, one folder per job
jobs/       the state of background jobs (JSON)
archive.sqlite  rounds, returns and archived periods
"""

from __future__ import annotations

import re
import secrets
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile

from reportgen.errors import LimitError, Problem
from reportgen.fileio import atomic_path, write_text
from reportgen.limits import MB, Limits, check_package_zip, current_limits
from reportgen.plan import Plan, list_plans, load_plan_file

FOLDERS = ("plans", "sources", "drafts", "rounds", "uploads", "reports", "jobs")
_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def display_name(client_name: str | None, fallback: str = "未命名文件") -> str:
    """The client's file name for showing only: last path part, no separators or controls."""
    base = re.split(r"[\\/]", client_name or "")[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:120] or fallback


@dataclass(frozen=True)
class Stored:
    """An uploaded file saved under a generated name, with the name the user knows it by."""

    path: Path
    display: str


class Workspace:
    """Paths of the workbench's state under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        for name in FOLDERS:
            (self.root / name).mkdir(parents=True, exist_ok=True)

    def folder(self, name: str) -> Path:
        return self.root / name

    @property
    def archive(self) -> Path:
        return self.root / "archive.sqlite"

    def secret(self) -> str:
        """The signing key for sessions and department links, kept across restarts."""
        path = self.root / "secret.key"
        if not path.exists():
            write_text(path, secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    # ------------------------------------------------------------ plans

    def user_plans(self) -> list[Plan]:
        return [load_plan_file(p) for p in sorted(self.folder("plans").glob("*.yaml"))]

    def all_plans(self) -> list[Plan]:
        """The office's plans first, then the catalog's (same id: the office's wins)."""
        own = self.user_plans()
        ids = {p.id for p in own}
        return [*own, *(p for p in list_plans() if p.id not in ids)]

    def plan_ref(self, plan_id: str) -> str | Path:
        """What to hand ``reportgen.api`` for ``plan_id``: the office's file, else the id."""
        own = self.folder("plans") / f"{plan_id}.yaml"
        return own if own.is_file() else plan_id

    # ------------------------------------------------------------ uploads

    async def store(
        self, upload: UploadFile, folder: str, allowed: tuple[str, ...], named: bool = False
    ) -> Stored:
        """Save ``upload`` as ``<folder>/<uuid><suffix>`` atomically, within the input limits.

        ``named`` keeps the shown name inside a generated folder (``<folder>/<uuid>/<name>``)
        for files whose name ends up in a document (a plan's ``source``).

        The suffix comes from the content (a zip package, or plain text), never from the name;
        zip packages pass the CLI's package checks (expansion, entries, DTDs) or are deleted.
        """
        limits = current_limits()
        shown = display_name(upload.filename)
        head = await upload.read(8)
        await upload.seek(0)
        suffix = sniffed_suffix(head, shown, allowed)
        stem = uuid.uuid4().hex
        name = f"{Path(shown).stem}{suffix}" if named else f"{stem}{suffix}"
        target = self.folder(folder) / stem / name if named else self.folder(folder) / name
        size = 0
        with atomic_path(target) as tmp, tmp.open("wb") as out:
            while chunk := await upload.read(1024 * 1024):
                size += len(chunk)
                if size > limits.max_file_mb * MB:
                    raise LimitError(
                        Problem(
                            shown, f"文件超过上限 {limits.max_file_mb:g} MB，请删除无关内容后重试。"
                        )
                    )
                out.write(chunk)
        if suffix != ".txt":
            _check_package(target, shown, limits)
        return Stored(target, shown)


def _check_package(path: Path, shown: str, limits: Limits) -> None:
    """The CLI's zip checks; the file is removed when they fail."""
    try:
        with zipfile.ZipFile(path) as package:
            check_package_zip(package, shown, limits)
    except zipfile.BadZipFile:
        path.unlink(missing_ok=True)
        raise LimitError(
            Problem(shown, "文件已损坏，无法作为 Excel/Word 文件打开。请重新保存后上传。")
        ) from None
    except LimitError:
        path.unlink(missing_ok=True)
        raise


def sniffed_suffix(head: bytes, shown: str, allowed: tuple[str, ...]) -> str:
    """The suffix the content shows (.xlsx/.docx zip, .xls OLE, else .txt), if ``allowed``."""
    if head.startswith(ZIP_MAGIC):
        found: str | None = next((s for s in (".xlsx", ".docx") if s in allowed), None)
    elif head.startswith(OLE_MAGIC):
        found = None
    elif ".txt" in allowed and b"\x00" not in head:
        found = ".txt"
    else:
        found = None
    if found is None:
        wanted = "、".join(allowed)
        raise LimitError(
            Problem(
                shown,
                f"文件内容不是 {wanted} 文件（与扩展名无关，按内容识别）。请上传 Excel 2007 及以上版本保存的 .xlsx 文件。"
                if ".xlsx" in allowed
                else f"文件内容不是 {wanted} 文件。",
            )
        )
    return found
