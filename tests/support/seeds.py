"""Where the seed source texts are, and the plans transcribed from them (shared by the tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.paths import REPO, SOURCES

CATALOG_IDS = (
    "jinan-2023-metrology",
    "qingdao-2023-metrology",
    "shandong-2013-metrology",
    "zhoushan-2023-metrology",
)
SEED_DIRS = [Path(p) for p in os.environ.get("REPORTGEN_SEEDS", "").split(os.pathsep) if p] + [
    SOURCES,
    REPO.parent / "shared" / "seeds",
]
SEEDS = next((d for d in SEED_DIRS if (d / "INDEX.md").is_file()), None)
needs_seeds = pytest.mark.skipif(
    SEEDS is None,
    reason="种子原文不在 REPORTGEN_SEEDS、inputs/sources 或 ../shared/seeds（需含 INDEX.md）",
)
