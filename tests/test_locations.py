"""The user's cache folder: the environment variable, the XDG folder, the home folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen import locations
from reportgen.locations import CACHE_ENV, cache_dir


@pytest.fixture
def no_cache_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "/home/someone")
    return monkeypatch


def test_reportgen_cache_comes_first(no_cache_env, tmp_path):
    no_cache_env.setenv("XDG_CACHE_HOME", "/xdg")
    no_cache_env.setenv(CACHE_ENV, str(tmp_path))
    assert cache_dir() == tmp_path


def test_xdg_cache_home_when_absolute(no_cache_env):
    no_cache_env.setenv("XDG_CACHE_HOME", "/xdg")
    assert cache_dir() == Path("/xdg/reportgen")
    no_cache_env.setenv("XDG_CACHE_HOME", "relative")  # the XDG spec: ignored
    assert cache_dir() == Path("/home/someone/.cache/reportgen")


def test_home_cache_folder_or_none_without_a_home(no_cache_env):
    assert cache_dir() == Path("/home/someone/.cache/reportgen")
    no_cache_env.setattr(locations.os.path, "expanduser", lambda path: path)
    assert cache_dir() is None
