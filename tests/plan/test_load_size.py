"""Plan files: the size limit follows the workbook limits; JSON plans never load PyYAML."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reportgen.errors import PlanError
from reportgen.limits import MB, Limits
from reportgen.plan import load_plan_file
from reportgen.plan.load import MIN_PLAN_BYTES, max_plan_bytes
from tests.support.intake_builders import plan_data


def test_limit_scales_with_rows_and_never_drops_below_the_minimum():
    assert max_plan_bytes(Limits()) >= 40 * MB  # 100 000 rows
    assert max_plan_bytes(Limits(max_rows=20_000)) == 2 * max_plan_bytes(Limits(max_rows=10_000))
    assert max_plan_bytes(Limits(max_rows=10)) == MIN_PLAN_BYTES


def test_plan_over_the_limit_is_refused_with_the_setting_to_change(tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_data(), ensure_ascii=False) + " " * MIN_PLAN_BYTES)
    monkeypatch.setenv("REPORTGEN_MAX_ROWS", "10")
    with pytest.raises(PlanError, match="REPORTGEN_MAX_ROWS"):
        load_plan_file(path)
    monkeypatch.setenv("REPORTGEN_MAX_ROWS", "100000")
    assert load_plan_file(path).id == plan_data()["id"]


def test_json_plan_does_not_import_yaml(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_data(), ensure_ascii=False), encoding="utf-8")
    code = (
        "import sys; from reportgen.plan import load_plan_file; "
        f"load_plan_file({str(path)!r}); print('yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_valid_json_plan_is_parsed_and_validated_in_one_pass(tmp_path, monkeypatch):
    """pydantic-core reads the bytes itself: no json.loads tree, no second validation."""
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(plan_data(), ensure_ascii=False).encode())
    expected = load_plan_file(path)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a valid JSON plan was parsed twice")

    monkeypatch.setattr("reportgen.plan.load.json.loads", refuse)
    assert load_plan_file(path) == expected


@pytest.mark.parametrize(
    ("target", "message"),
    [("12", "必须是数字"), (True, "必须是数字"), (1e16, "数值过大"), (1e-12, "数值过小")],
)
def test_json_plan_errors_are_those_of_the_exact_path(tmp_path, target, message):
    data = plan_data()
    data["indicators"][0]["targets"] = {"2025": target}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan_file(path)
    (problem,) = caught.value.problems
    assert problem.where == f"{path} indicators[0].targets[2025]" and message in problem.message
