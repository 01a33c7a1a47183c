"""reportgen.api: the library call behind each CLI verb, with the CLI's rules."""

from __future__ import annotations

from collections import Counter

import pytest

from reportgen import api, pipeline
from reportgen.errors import IntakeError, PeriodError, PlanError, RenderError
from reportgen.intake import check as intake_check
from reportgen.render import ReportOptions
from tests.support.paths import SAMPLE_PLAN_ID as PLAN_ID
from tests.support.paths import SAMPLES


def test_a_batch_of_three_kinds_reads_each_workbook_once_and_computes_once(tmp_path, monkeypatch):
    reads: Counter[str] = Counter()
    computed, compared = [], []
    read_workbook = intake_check.read_workbook
    compute_progress = pipeline.compute_progress
    read_comparison = pipeline.read_comparison

    def counting_read(path, *args, **kwargs):
        reads[str(path)] += 1
        return read_workbook(path, *args, **kwargs)

    def counting_compute(*args, **kwargs):
        computed.append(args[2].key)
        return compute_progress(*args, **kwargs)

    def counting_compare(*args, **kwargs):
        compared.append(args[0].period.key)
        return read_comparison(*args, **kwargs)

    monkeypatch.setattr(intake_check, "read_workbook", counting_read)
    monkeypatch.setattr(pipeline, "compute_progress", counting_compute)
    monkeypatch.setattr(pipeline, "read_comparison", counting_compare)
    batch = api.reports([PLAN_ID], ["2024-Q2"], [SAMPLES], ["quarterly", "midterm"], tmp_path)
    outcomes = list(batch.outcomes)
    assert [o.ok for o in outcomes] == [True, True]
    assert reads and set(reads.values()) == {1}
    assert computed == compared == ["2024-Q2"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda p: api.reports([PLAN_ID], ["2024-Q2"], [SAMPLES], ["yearly"]),
            RenderError,
            "yearly",
        ),
        (lambda p: api.reports([PLAN_ID], [], [SAMPLES]), PeriodError, "--period"),
        (
            lambda p: api.reports([PLAN_ID], ["2024-Q2"], [SAMPLES], ["weekly"]),
            PeriodError,
            "--period 2024-W26",
        ),
        (lambda p: api.reports([PLAN_ID], ["2024-Q2"], []), IntakeError, "--data"),
        (
            lambda p: api.reports([PLAN_ID], ["2024-Q1", "2024-Q2"], [SAMPLES], as_of="2024-05-01"),
            PeriodError,
            "--as-of",
        ),
        (
            lambda p: api.reports(
                [PLAN_ID], ["2024-Q1", "2024-Q2"], [SAMPLES], options=ReportOptions(title="x")
            ),
            RenderError,
            "--title",
        ),
        (lambda p: api.progress(PLAN_ID, None, [SAMPLES]), PeriodError, "--period"),
        (lambda p: api.progress(PLAN_ID, "2024-Q2", [SAMPLES], severe_gap_pp=-1), PlanError, "lag"),
        (
            lambda p: api.add_to_archive(PLAN_ID, "2024-Q2", [], p / "a.sqlite"),
            IntakeError,
            "--data",
        ),
    ],
)
def test_the_cli_rules_live_in_the_library(tmp_path, call, error, message):
    with pytest.raises(error, match=message):
        call(tmp_path)


def test_a_user_template_is_checked_once_at_entry(tmp_path, monkeypatch):
    from reportgen.render import lint as lint_module
    from tests.support.paths import TEMPLATES

    template = tmp_path / "t.docx"
    template.write_bytes((TEMPLATES / "weekly.docx").read_bytes())
    calls = []
    lint = lint_module.lint_template
    monkeypatch.setattr(lint_module, "lint_template", lambda path: calls.append(path) or lint(path))
    batch = api.reports(
        [PLAN_ID],
        ["2024-Q1", "2024-Q2"],
        [SAMPLES, SAMPLES / "2024-Q1"],
        ["quarterly"],
        tmp_path / "out",
        ReportOptions(template=template),
    )
    assert [o.ok for o in batch.outcomes] == [True, True]
    assert calls == [template]


def test_report_returns_one_run(tmp_path):
    run = api.report(PLAN_ID, "2024-Q2", [SAMPLES], "quarterly", tmp_path / "w.docx")
    assert run.out == tmp_path / "w.docx" and run.out.exists()
    assert run.result.period.key == "2024-Q2"
