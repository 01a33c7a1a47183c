"""The checked-in templates are exactly what scripts/build_templates.py makes."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.support.paths import TEMPLATES


def test_templates_match_the_build_script(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "reportgen.render.build_templates", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for kind in ("weekly", "quarterly", "midterm"):
        with (
            zipfile.ZipFile(tmp_path / f"{kind}.docx") as built,
            zipfile.ZipFile(TEMPLATES / f"{kind}.docx") as checked_in,
        ):
            assert built.namelist() == checked_in.namelist(), kind
            for name in built.namelist():
                assert built.read(name) == checked_in.read(name), (
                    f"{kind}.docx {name}：请重新运行 scripts/build_templates.py"
                )
