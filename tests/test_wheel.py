"""A built wheel works where a new user installs it: fresh venv, another folder, no repository.

Built resources (templates, catalog plans, samples) must come from the installed package; a
missing or damaged one is a clear error (exit 2), never an internal error (exit 1).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from docx import Document

from tests.support.paths import REPO, SAMPLES
from tests.support.paths import SAMPLE_PLAN_ID as PLAN_ID

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The venv's bin folder, with reportgen installed from a freshly built wheel."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(REPO)])
    (wheel,) = dist.glob("reportgen-*.whl")
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)])
    return bin_dir


@pytest.fixture
def user_folder(tmp_path) -> Path:
    """An empty working folder outside the repository."""
    folder = tmp_path / "user"
    folder.mkdir()
    assert REPO not in folder.parents
    return folder


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPORTGEN_", "PYTHON"))}
    if cwd is not None:  # a new user's cache folder, not the one of whoever runs the tests
        env["XDG_CACHE_HOME"] = str(cwd / ".cache")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _reportgen(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run([str(bin_dir / "reportgen"), *args], cwd)


def _package(bin_dir: Path, cwd: Path) -> Path:
    code = "import reportgen, pathlib; print(pathlib.Path(reportgen.__file__).parent)"
    done = _run([str(bin_dir / "python"), "-c", code], cwd)
    return Path(done.stdout.strip())


def test_the_wheel_runs_outside_the_repository(installed, user_folder):
    assert REPO not in _package(installed, user_folder).parents  # not the working copy
    listed = _reportgen(installed, user_folder, "plan", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 4

    demo = _reportgen(installed, user_folder, "demo", "-o", "demo")
    assert demo.returncode == 0, demo.stderr
    for kind in ("weekly", "quarterly", "midterm"):
        assert Document(user_folder / "demo" / f"{kind}.docx").paragraphs

    report = _reportgen(
        installed, user_folder, "report", PLAN_ID, "--period", "2024-Q2", "--data", str(SAMPLES)
    )
    assert report.returncode == 0, report.stderr
    out = user_folder / "outputs" / "舟山市计量发展规划实施方案_2024年第二季度进展报告.docx"
    assert any("2024年第二季度" in p.text for p in Document(out).paragraphs)


def test_a_damaged_or_missing_resource_is_a_clear_error(installed, user_folder):
    data = _package(installed, user_folder) / "data"
    template = data / "templates" / "quarterly.docx"
    kept = user_folder / "kept.docx"
    shutil.copy2(template, kept)
    try:
        template.write_bytes(b"not a docx")
        damaged = _reportgen(
            installed, user_folder, "report", PLAN_ID, "--period", "2024-Q2", "--data", str(SAMPLES)
        )
        template.unlink()
        missing = _reportgen(
            installed, user_folder, "report", PLAN_ID, "--period", "2024-Q2", "--data", str(SAMPLES)
        )
    finally:
        shutil.copy2(kept, template)
    assert (damaged.returncode, missing.returncode) == (2, 2), damaged.stderr + missing.stderr
    assert "内置报告模板 quarterly.docx 已损坏" in damaged.stderr
    assert "reportgen/data/templates/quarterly.docx 缺失" in missing.stderr
    assert "内部错误" not in damaged.stderr + missing.stderr
