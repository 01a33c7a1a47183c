"""A plain `reportgen report` imports only what it uses (measured with ``python -X importtime``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from reportgen.plan import load_plan_file
from tests.support.paths import CATALOG, SAMPLES

# Never needed by a report from a JSON plan read with calamine when no archive exists.
FORBIDDEN = (
    "yaml",  # JSON plan
    "openpyxl",  # calamine reads the workbooks
    "sqlalchemy",  # no archive
    "alembic",
    "fastapi",  # the web workbench
    "uvicorn",
    "starlette",
    "matplotlib",  # native charts
    "reportgen.web",
    "reportgen.extract",
    "reportgen.grading",
    "reportgen.rounds",
)


def imported_modules(stderr: str) -> set[str]:
    """The module names in ``-X importtime`` output."""
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)$", stderr, re.MULTILINE))


def test_plain_report_imports_nothing_it_does_not_use(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(load_plan_file(CATALOG / "zhoushan-2023-metrology.yaml").to_data(),
                               ensure_ascii=False), encoding="utf-8")  # fmt: skip
    env = {**os.environ, "REPORTGEN_ARCHIVE": str(tmp_path / "none.sqlite")}
    argv = [sys.executable, "-X", "importtime", "-m", "reportgen", "report", str(plan),
            "--period", "2024-Q2", "--data", str(SAMPLES), "--kind", "quarterly",
            "-o", str(tmp_path / "r.docx")]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    modules = imported_modules(done.stderr)
    assert "reportgen.render.report" in modules  # the measurement works
    unwanted = sorted(m for m in modules for f in FORBIDDEN if m == f or m.startswith(f + "."))
    assert not unwanted
    assert not (tmp_path / "none.sqlite").exists()
