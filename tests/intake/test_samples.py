"""inputs/samples: the 舟山 2024-Q2 workbooks pass the check and match scripts/make_samples.py."""

from __future__ import annotations

import importlib.util

import pytest

from reportgen.intake import check_files, load_dataset
from reportgen.periods import parse_period
from reportgen.plan import load_plan
from tests.support.paths import REPO, SAMPLES


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_samples", REPO / "scripts" / "make_samples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dataset():
    plan = load_plan("zhoushan-2023-metrology")
    return load_dataset(plan, parse_period("2024-Q2"), [SAMPLES])


def test_samples_pass_without_warnings(dataset):
    assert [f.department for f in dataset.files] == ["市市场监管局", "市科技局", "市经信局"]
    assert dataset.warnings == [] and dataset.missing_departments == []


def test_samples_hold_the_scripted_values(dataset):
    script = _script()
    expected = {k: v for values in script.VALUES.values() for k, (v, _) in values.items()}
    assert {k: r.value for k, r in dataset.values.items()} == expected
    assert dataset.value_of("ZS07") is None  # left blank, with an explanation
    assert dataset.values["ZS07"].remark
    tasks = {(r.task_id, r.department) for records in dataset.tasks.values() for r in records}
    scripted = {(t, d) for d, rows in script.TASKS.items() for t in rows}
    assert tasks == scripted


def test_samples_are_reproducible(tmp_path):
    script = _script()
    fresh = script.make_sample("市市场监管局", tmp_path / "填报_市市场监管局.xlsx")
    checked_in = SAMPLES / "填报_市市场监管局.xlsx"
    (a,), (b,) = check_files([fresh]).files, check_files([checked_in]).files
    assert a.ok and b.ok
    assert _values(a.values) == _values(b.values)
    assert [t.progress for t in a.tasks] == [t.progress for t in b.tasks]


def _values(records) -> list[tuple]:
    return [(r.indicator_id, r.value, r.remark, r.as_of) for r in records]
