"""Atomic output and input fingerprints: outputs appear whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from reportgen.errors import OutputError, Problem

# Errors writing the temp file that are about the output place, not about the program.
_DISK_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
)


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temp path beside ``target``; rename it into place only if the block succeeds.

    The folder is created when missing. On any error the temp file is removed and an existing
    ``target`` is untouched. An unwritable folder or target, a read-only file system or a full
    disk is an OutputError (a user error with a Chinese message), not a crash.
    """
    target = Path(target)
    try:
        is_folder = target.is_dir()
    except OSError as exc:  # a name too long, a loop of links …
        raise _output_error(target, exc) from exc
    if is_folder:
        raise OutputError(
            Problem(str(target), "这是一个已有的文件夹，不能作为输出文件。请指定文件名。")
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=f"{target.suffix}.tmp", dir=target.parent
        )
    except OSError as exc:
        raise _output_error(target, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
            raise _output_error(target, exc) from exc
        raise
    try:
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _output_error(target, exc) from exc


_REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EFBIG: "文件超过了文件系统允许的大小",
    errno.EROFS: "所在的文件系统是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "路径不存在且无法创建",
    errno.EEXIST: "路径中的上级目录其实是一个文件",
    errno.ENOTDIR: "路径中的上级目录其实是一个文件",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ELOOP: "路径中的符号链接形成了循环",
}
NAME_MAX_BYTES = 255  # longest file name most file systems take (ext4, NTFS, APFS)


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese where the cause is a common one."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def _output_error(target: Path, exc: OSError) -> OutputError:
    reason = os_reason(exc)
    return OutputError(
        Problem(
            str(target),
            f"无法写入输出文件（{reason}）。请检查目录是否存在、有写权限且磁盘有空间，"
            "或用 -o 指定其他位置。已有的同名文件保持原样。",
        )
    )


def _mode_for(target: Path) -> int:
    """The permissions the output should get: the old file's, else the usual 0666 & ~umask.

    (mkstemp creates 0600 files, which other users of a shared folder could not open.)
    """
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(target: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    return write_bytes(target, text.encode("utf-8"))


def sha256_file(path: Path | str) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- inputs are never outputs


def check_outputs(
    outputs: Iterable[Path | str | None], inputs: Iterable[Path | str | None]
) -> None:
    """OutputError (exit 2) when an output would be one of the run's inputs.

    A folder among ``inputs`` stands for every file in it. Paths are compared after resolving
    symbolic links, and existing files also by device and inode (hard links, other spellings
    of one file). Call it before anything is written.
    """
    taken = _identities(_files_of(inputs))
    problems = []
    for output in outputs:
        if output is None:
            continue
        too_long = _too_long(Path(output))
        if too_long:
            problems.append(Problem(str(output), too_long))
            continue
        found = taken.get(_resolved(Path(output))) or taken.get(_inode(Path(output)))
        if found is not None:
            problems.append(
                Problem(
                    str(output),
                    f"输出文件就是本次运行的输入文件“{found}”，写入会覆盖它，已停止，未写入任何文件。"
                    "请用 -o 等选项指定其他位置。",
                )
            )
    if problems:
        raise OutputError(problems)


def _too_long(path: Path) -> str | None:
    """Why ``path`` cannot be created for its length, before any work is done."""
    longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    if longest > NAME_MAX_BYTES:
        return (
            f"输出文件名过长（{longest} 字节，上限 {NAME_MAX_BYTES} 字节），无法创建。"
            "请用 -o 等选项指定较短的文件名。"
        )
    return None


def _files_of(inputs: Iterable[Path | str | None]) -> Iterator[Path]:
    for item in inputs:
        if item is None:
            continue
        path = Path(item)
        if path.is_dir():
            with contextlib.suppress(OSError):
                yield from (p for p in path.iterdir() if not p.is_dir())
        else:
            yield path
            yield from (path.with_name(path.name + s) for s in ("-wal", "-journal", "-shm"))


def _identities(paths: Iterable[Path]) -> dict[object, Path]:
    """Each input by its resolved path and, when it exists, its (device, inode)."""
    taken: dict[object, Path] = {}
    for path in paths:
        taken.setdefault(_resolved(path), path)
        inode = _inode(path)
        if inode is not None:
            taken.setdefault(inode, path)
    return taken


def _resolved(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    return (stat.st_dev, stat.st_ino)


# ---------------------------------------------------------------- special files


_SPECIAL = (
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISDIR, "文件夹"),
)


def not_a_file(path: Path | str) -> str | None:
    """Why ``path`` cannot be read as an input file, in Chinese; None for a regular file or
    one that does not exist (the caller reports that in its own words).

    Named pipes and devices are refused before anything opens them: reading one waits for a
    writer forever (a pipe) or never ends (/dev/zero).
    """
    try:
        mode = Path(path).stat().st_mode
    except (OSError, ValueError):
        return None  # missing: the caller's own message says so
    for test, name in _SPECIAL:
        if test(mode):
            return f"这是{name}，不是普通文件，已拒绝读取。请给出文件的路径"
    return None


# ---------------------------------------------------------------- outputs moved in together


class Staging:
    """Outputs written into a hidden folder first, then moved into place by ``commit``: a
    step that must succeed before any output appears (archiving) runs in between."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.moves: list[tuple[Path, Path]] = []

    def path(self, target: Path) -> Path:
        """Where to write ``target`` for now."""
        staged = self.folder / f"{len(self.moves)}-{target.name}"
        self.moves.append((staged, target))
        return staged

    def also(self, staged: Path, target: Path) -> None:
        """Move ``staged`` (written beside another staged output) to ``target`` too."""
        self.moves.append((staged, target))

    def commit(self) -> None:
        """Move every staged output that was written into place."""
        for staged, target in self.moves:
            if staged.exists():
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(staged, target)
                except OSError as exc:
                    raise _output_error(target, exc) from exc


@contextlib.contextmanager
def staging(beside: Path) -> Iterator[Staging]:
    """A ``Staging`` in a hidden folder of ``beside`` (same file system); removed afterwards."""
    try:
        beside.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=".reportgen-", dir=beside))
    except OSError as exc:
        raise _output_error(beside, exc) from exc
    try:
        yield Staging(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
