"""Where things are: resources shipped inside the package, and the user's default locations.

Built-in resources (report templates, catalog plans, demo samples, source texts) are package
data read through ``importlib.resources``, so a wheel installed anywhere finds them. User
locations are relative to the working folder unless an environment variable says otherwise;
the cache folder is the user's own (``cache_dir``).
"""

from __future__ import annotations

import atexit
import functools
import os
from contextlib import ExitStack
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from reportgen.errors import ResourceError

OUTPUTS = Path("outputs")
ARCHIVE_ENV = "REPORTGEN_ARCHIVE"
PLANS_ENV = "REPORTGEN_PLANS"
CACHE_ENV = "REPORTGEN_CACHE"
USER_PLANS = Path("inputs") / "plans"
REINSTALL = "安装不完整，请重新安装 reportgen（pip install --force-reinstall reportgen）。"


def data(*parts: str) -> Traversable:
    """The package resource ``reportgen/data/<parts>`` (it may not exist)."""
    return resources.files("reportgen").joinpath("data", *parts)


_KEPT = ExitStack()  # extracted copies (zip installs) live as long as the process
atexit.register(_KEPT.close)


@functools.cache
def resource_path(*parts: str) -> Path:
    """A real path for the resource file or folder ``data/<parts>``.

    ResourceError when the installation lacks it (a damaged install is not the user's input).
    """
    item = data(*parts)
    if not (item.is_file() or item.is_dir()):
        raise ResourceError(f"内置文件 reportgen/data/{'/'.join(parts)} 缺失。{REINSTALL}")
    return _KEPT.enter_context(resources.as_file(item))


def outputs_dir() -> Path:
    """The default folder for generated files: ./outputs."""
    return OUTPUTS


def default_archive() -> str:
    """The archive location: $REPORTGEN_ARCHIVE (a path or URL) or outputs/archive.sqlite."""
    return os.environ.get(ARCHIVE_ENV) or str(OUTPUTS / "archive.sqlite")


def user_plan_dirs() -> list[Path]:
    """Folders of the user's own plans: $REPORTGEN_PLANS (os.pathsep-separated), ./inputs/plans."""
    env = [Path(p) for p in os.environ.get(PLANS_ENV, "").split(os.pathsep) if p]
    return [*env, Path.cwd() / USER_PLANS]


def cache_dir() -> Path | None:
    """reportgen's cache folder (its contents may be deleted at any time; None without a home).

    $REPORTGEN_CACHE, else %LOCALAPPDATA%\\reportgen\\Cache on Windows, else
    $XDG_CACHE_HOME/reportgen (an absolute path) or ~/.cache/reportgen.
    """
    if own := os.environ.get(CACHE_ENV):
        return Path(own)
    if os.name == "nt" and (local := os.environ.get("LOCALAPPDATA")):
        return Path(local, "reportgen", "Cache")
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg, "reportgen")
    home = os.path.expanduser("~")
    return None if home == "~" else Path(home, ".cache", "reportgen")
