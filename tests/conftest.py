"""Fixtures shared by every test package (helpers that are not fixtures live in tests/support)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.locations import ARCHIVE_ENV, CACHE_ENV, PLANS_ENV
from reportgen.plan import Plan, load_plan
from tests.support.paths import SAMPLE_PLAN_ID


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The compiled-template cache in a folder of this test session, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="session")
def sample_plan() -> Plan:
    """The catalog plan of the built-in sample returns (loaded once; plans are immutable)."""
    return load_plan(SAMPLE_PLAN_ID)


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in ``tmp_path`` with no archive or user plans from the environment, so nothing
    outside the test is read or written (default outputs land in tmp_path/outputs)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ARCHIVE_ENV, raising=False)
    monkeypatch.delenv(PLANS_ENV, raising=False)
    return tmp_path


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables printed without wrapping (rich reads COLUMNS on every print)."""
    monkeypatch.setenv("COLUMNS", "250")
