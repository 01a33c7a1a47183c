"""The built-in templates' compiled code, kept in the user's cache folder between processes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import StrictUndefined

from reportgen.locations import CACHE_ENV
from reportgen.render import ReportOptions, compiled, render_report
from reportgen.render.compiled import FOLDER, CompiledOnce, cache_key
from tests.support import render_samples as rs
from tests.support.paths import TEMPLATES

SOURCE = "{% for x in items %}{{ x }};{% endfor %}"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache folder of compiled templates, in tmp_path (not created yet)."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / FOLDER


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every source the built-in environments compile (Jinja's lexer, parser and codegen)."""
    sources: list[str] = []
    original = CompiledOnce.compile

    def counting(self, source, *args, **kwargs):
        sources.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(CompiledOnce, "compile", counting)
    return sources


@pytest.fixture
def new_process_environment() -> Iterator[None]:
    """The built-in environment made anew, as in a new process (and again afterwards)."""
    compiled.builtin_environment.cache_clear()
    yield
    compiled.builtin_environment.cache_clear()


def fresh() -> CompiledOnce:
    return CompiledOnce(autoescape=False, undefined=StrictUndefined)


def test_a_fresh_environment_loads_the_code_without_compiling(cache, compiles):
    assert fresh().from_string(SOURCE).render(items=[1, 2]) == "1;2;"
    assert compiles == [SOURCE]
    assert len(list(cache.iterdir())) == 1
    assert fresh().from_string(SOURCE).render(items=[3]) == "3;"
    assert compiles == [SOURCE]


def test_a_second_process_loads_from_the_cache(cache, tmp_path):
    script = (
        "import sys\n"
        "from reportgen.render.compiled import CompiledOnce\n"
        "compiles = []\n"
        "original = CompiledOnce.compile\n"
        "CompiledOnce.compile = lambda self, *a, **k: compiles.append(1) or original(self, *a, **k)\n"
        f"print(CompiledOnce().from_string({SOURCE!r}).render(items=[7]), len(compiles))\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert [run.stdout.split() for run in runs] == [["7;", "1"], ["7;", "0"]]


def test_the_in_process_cache_compiles_once(cache, compiles):
    env = fresh()
    assert env.from_string(SOURCE) is env.from_string(SOURCE)
    assert compiles == [SOURCE]


@pytest.mark.parametrize("damage", [b"", b"not a cache file", "truncated"])
def test_a_corrupt_cache_file_is_ignored_and_replaced(cache, compiles, damage):
    fresh().from_string(SOURCE)
    (stored,) = cache.iterdir()
    good = stored.read_bytes()
    stored.write_bytes(good[: len(good) // 2] if damage == "truncated" else damage)
    assert fresh().from_string(SOURCE).render(items=[1]) == "1;"
    assert len(compiles) == 2
    assert stored.read_bytes() == good
    fresh().from_string(SOURCE)
    assert len(compiles) == 2


def test_an_unwritable_cache_folder_still_renders(tmp_path, monkeypatch, compiles):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))  # cannot be created, nor read
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(2):
            assert fresh().from_string(SOURCE).render(items=[2]) == "2;"
    assert len(compiles) == 2
    assert blocker.read_text() == "not a folder"


def test_no_cache_folder_compiles_as_before(monkeypatch, compiles):
    monkeypatch.setattr(compiled, "cache_dir", lambda: None)
    assert fresh().from_string(SOURCE).render(items=[]) == ""
    assert compiles == [SOURCE]


def test_the_key_changes_with_source_jinja_and_python(monkeypatch):
    env = fresh()
    key = cache_key(env, SOURCE)
    assert cache_key(env, SOURCE + " ") != key
    assert cache_key(CompiledOnce(trim_blocks=True), SOURCE) != key
    monkeypatch.setattr(compiled.jinja2, "__version__", "0.0")
    assert cache_key(env, SOURCE) != key
    monkeypatch.undo()
    monkeypatch.setattr(compiled, "MAGIC_NUMBER", b"\0\0\r\n")
    assert cache_key(env, SOURCE) != key


def _parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as z:
        return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("kind", ["weekly", "quarterly"])
def test_report_is_identical_with_and_without_the_cache(
    cache, compiles, new_process_environment, tmp_path, kind
):
    result = rs.result(period=rs.WEEK if kind == "weekly" else rs.PERIOD)
    compiled_out = render_report(result, kind, tmp_path / "compiled.docx")
    assert compiles and cache.is_dir()
    compiled.builtin_environment.cache_clear()
    count = len(compiles)
    cached_out = render_report(result, kind, tmp_path / "cached.docx")
    assert len(compiles) == count  # every part came from the cache
    assert _parts(cached_out) == _parts(compiled_out)


def test_user_templates_never_touch_the_cache(cache, compiles, tmp_path):
    mine = tmp_path / "mine.docx"
    shutil.copy(TEMPLATES / "quarterly.docx", mine)
    render_report(rs.result(), "quarterly", tmp_path / "q.docx", ReportOptions(template=mine))
    assert not cache.parent.exists()
    assert compiles == []
