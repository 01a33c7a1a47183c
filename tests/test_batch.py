"""Batches: several periods, plans and kinds in one `reportgen report`, workbooks read once."""

from __future__ import annotations

import gc
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.parts.document import DocumentPart

from reportgen import cli
from reportgen.cli import run
from reportgen.errors import IntakeError, OutputError
from reportgen.periods import parse_period
from reportgen.pipeline import make_reports, plan_jobs, read_batch
from tests.support.paths import SAMPLE_PLAN_ID, SAMPLES

Q1_DIR = SAMPLES / "2024-Q1"
PLAN_ID = SAMPLE_PLAN_ID
Q1_NAME = "舟山市计量发展规划实施方案_2024年第一季度进展报告.docx"
Q2_NAME = "舟山市计量发展规划实施方案_2024年第二季度进展报告.docx"
Q1, Q2 = parse_period("2024-Q1"), parse_period("2024-Q2")
BOTH = ["--data", str(SAMPLES), "--data", str(Q1_DIR)]


pytestmark = pytest.mark.usefixtures("isolated")


def _text(path: Path) -> list[str]:
    doc = Document(path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return [p.text for p in doc.paragraphs] + cells


def _last_columns(path: Path) -> dict[str, list[str]]:
    rows = Document(path).tables[-1].rows
    return {row.cells[0].text: [c.text for c in row.cells[-2:]] for row in rows[1:]}


def test_jobs_are_in_time_order_with_one_folder_per_plan_and_period(sample_plan, tmp_path):
    jobs = plan_jobs(
        [sample_plan], [Q2, Q1], ["midterm", "quarterly"], tmp_path, tmp_path, store=True
    )
    assert [(j.period.key, j.kind) for j in jobs] == [
        ("2024-Q1", "midterm"), ("2024-Q1", "quarterly"),
        ("2024-Q2", "midterm"), ("2024-Q2", "quarterly"),
    ]  # fmt: skip
    assert jobs[1].out == tmp_path / "舟山市计量发展规划实施方案_2024年第一季度进展报告.docx"
    # the summary workbook and the snapshot: once per plan and period, with its first kind
    assert [j.summary_xlsx is not None for j in jobs] == [True, False, True, False]
    assert [j.store for j in jobs] == [True, False, True, False]
    assert jobs[0].summary_xlsx == tmp_path / "舟山市计量发展规划实施方案_2024年第一季度汇总.xlsx"


def test_one_job_keeps_the_output_file_and_several_need_a_folder(sample_plan, tmp_path):
    single = plan_jobs([sample_plan], [Q2], ["quarterly"], tmp_path / "w.docx")
    assert single[0].out == tmp_path / "w.docx"
    with pytest.raises(OutputError, match="必须是文件夹"):
        plan_jobs([sample_plan], [Q1, Q2], ["quarterly"], tmp_path / "w.docx")
    existing = tmp_path / "file"
    existing.write_text("x")
    with pytest.raises(OutputError):
        plan_jobs([sample_plan], [Q2], ["quarterly", "midterm"], existing)


def test_workbooks_are_routed_to_their_period(sample_plan, tmp_path):
    jobs = plan_jobs([sample_plan], [Q1, Q2], ["quarterly"], tmp_path)
    outcomes = {
        o.job.period.key: o for o in make_reports(jobs, read_batch(jobs, [SAMPLES, Q1_DIR]))
    }
    assert all(o.ok for o in outcomes.values())
    # the 2024-Q1 folder holds two departments' returns, the Q2 sample three
    assert len(outcomes["2024-Q1"].run.dataset.files) == 2
    assert len(outcomes["2024-Q2"].run.dataset.files) == 3
    # ZS02 诚信计量示范单位-like level indicator: Q1 reported 79, Q2 80 (see test_pipeline)
    assert outcomes["2024-Q1"].run.dataset.value_of("ZS02") == 79
    assert outcomes["2024-Q2"].run.dataset.value_of("ZS02") == 80


def test_parallel_workers_write_the_same_reports_as_one_process(sample_plan, tmp_path):
    texts = {}
    for workers in (1, 2):
        jobs = plan_jobs([sample_plan], [Q1, Q2], ["midterm", "quarterly"], tmp_path / str(workers))
        outcomes = list(make_reports(jobs, read_batch(jobs, [SAMPLES, Q1_DIR]), workers=workers))
        assert len(outcomes) == 4 and all(o.ok for o in outcomes)
        texts[workers] = {o.job.label: _text(o.run.out) for o in outcomes}
    assert texts[1] == texts[2]


def _documents_alive() -> int:
    return sum(isinstance(o, DocumentPart) for o in gc.get_objects())


def test_a_batch_holds_one_document_at_a_time(sample_plan, tmp_path):
    """With the CLI's seldom collections, each job's document is freed before the next."""
    before = gc.get_threshold()
    gc.set_threshold(*cli.GC_THRESHOLDS)
    try:
        gc.collect()
        jobs = plan_jobs([sample_plan], [Q1, Q2], ["midterm", "quarterly"], tmp_path)
        alive = [
            _documents_alive()
            for _ in make_reports(jobs, read_batch(jobs, [Q1_DIR, SAMPLES]), workers=1)
        ]
    finally:
        gc.set_threshold(*before)
    assert len(alive) == 4 and max(alive) == 0


def test_cli_batch_writes_every_report_and_counts(capsys):
    code = run(["report", PLAN_ID, "--period", "2024-Q2", "--period", "2024-Q1", *BOTH,
                "--kind", "quarterly", "--kind", "midterm", "--date", "2024-07-05"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    for period in ("第一季度", "第二季度"):
        for kind in ("进展报告", "中期评估报告（初稿）"):
            path = Path("outputs") / f"舟山市计量发展规划实施方案_2024年{period}{kind}.docx"
            assert path.is_file()
            assert f"已生成报告：{path}（9 项指标：" in out
    assert "共 4 份报告：已生成 4 份。" in out


def test_archive_in_a_batch_compares_with_the_period_archived_before(tmp_path, capsys):
    archive = tmp_path / "a.sqlite"
    code = run(["report", PLAN_ID, "--period", "2024-Q2", "--period", "2024-Q1", *BOTH,
                "-o", str(tmp_path / "out"), "--store", "--archive", str(archive)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("已归档：第 1 版快照。") == 2  # one snapshot per period
    q2 = _last_columns(tmp_path / "out" / Q2_NAME)
    assert q2["ZS02"] == ["+1", "+50.0"]  # 较上期 against Q1, archived earlier in the batch
    q1 = _last_columns(tmp_path / "out" / Q1_NAME)
    assert q1["ZS02"] == ["无上期数据", "无上期数据"]


def test_a_period_without_workbooks_fails_alone(tmp_path, capsys):
    out_dir = tmp_path / "out"
    code = run(["report", PLAN_ID, "--period", "2024-Q2", "--period", "2024-Q3",
                "--data", str(SAMPLES), "-o", str(out_dir), "--workers", "1"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2
    assert "没有找到方案“zhoushan-2023-metrology”2024年第三季度（2024-Q3）的填报表" in captured.err
    assert "填报表属于：zhoushan-2023-metrology 2024-Q2（3 个文件）" in captured.err
    assert "失败 1 份" in captured.err
    assert (out_dir / Q2_NAME).is_file()  # finished reports stay
    assert not list(out_dir.glob("*第三季度*"))


def test_output_that_is_not_a_folder_exits_2_before_reading(tmp_path, capsys):
    code = run(["report", PLAN_ID, "--period", "2024-Q1", "--period", "2024-Q2", *BOTH,
                "-o", "q.docx"])  # fmt: skip
    assert code == 2
    assert "-o/--output 必须是文件夹" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_options_that_fit_one_report_only_are_refused(tmp_path, capsys):
    base = ["report", PLAN_ID, *BOTH]
    assert run([*base, "--period", "2024-Q1", "--period", "2024-Q2", "--as-of", "2024-06-20"]) == 2
    assert "--as-of 只能和单个 --period" in capsys.readouterr().err
    assert run([*base, "--period", "2024-Q1", "--period", "2024-Q2", "--title", "标题"]) == 2
    assert "不能用 --title" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_that_cannot_be_placed_stops_the_batch(sample_plan, tmp_path):
    book = openpyxl.load_workbook(Q1_DIR / "填报_市科技局.xlsx")
    del book["_meta"]
    book.save(tmp_path / "填报_市科技局.xlsx")
    jobs = plan_jobs([sample_plan], [Q1, Q2], ["quarterly"], tmp_path / "out")
    with pytest.raises(IntakeError) as caught:
        read_batch(jobs, [SAMPLES, tmp_path])
    assert any("_meta" in p.message for p in caught.value.problems)
    assert not (tmp_path / "out").exists()


def test_workbooks_of_periods_not_asked_for_are_skipped_with_a_notice(sample_plan, tmp_path):
    jobs = plan_jobs([sample_plan], [Q2, parse_period("2024-Q3")], ["quarterly"], tmp_path)
    data = read_batch(jobs, [SAMPLES, Q1_DIR])
    assert data.notices == [
        "已跳过不属于本次报告的填报表：zhoushan-2023-metrology 2024-Q1（2 个文件）。"
    ]


def test_every_command_is_mapped_to_the_modules_that_register_it():
    """`run` imports only the modules MODULES_OF names for a command (the CLI's start-up time)."""
    cli.load_commands([])  # all of them
    for info in cli.app.registered_commands:
        assert info.callback.__module__.rsplit(".", 1)[1] in cli.MODULES_OF[info.name], info.name
    for group in cli.app.registered_groups:
        typer_app = group.typer_instance
        callbacks = [c.callback for c in typer_app.registered_commands]
        if typer_app.registered_callback:
            callbacks.append(typer_app.registered_callback.callback)
        for callback in callbacks:
            assert callback.__module__.rsplit(".", 1)[1] in cli.MODULES_OF[group.name], group.name
