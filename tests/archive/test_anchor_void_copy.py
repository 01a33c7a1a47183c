"""Chain-head receipts, voids and `archive copy`, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.archive import Archive
from reportgen.archive.copy import copy_archive
from reportgen.cli import run
from reportgen.errors import ArchiveError
from tests.support.archive_builders import add, make_plan
from tests.support.postgres import fresh_database, tamper

pytestmark = pytest.mark.usefixtures("wide_console")


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def filled(target: str) -> str:
    plan = make_plan()
    with Archive.open(target) as archive:
        for key, value in (("2024-Q1", 80), ("2024-Q2", 100), ("2024-Q2", 101)):
            add(archive, plan, key, {"I1": value, "I2": 80.0, "I3": 10})
    return target


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["archive", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _delete_newest(target: str) -> None:
    children = ("source_files", "reported_values", "task_reports", "indicator_results",
                "task_results", "warnings")  # fmt: skip
    tamper(
        target,
        *(f"DELETE FROM {table} WHERE snapshot_id = 3" for table in children),
        "DELETE FROM snapshots WHERE id = 3",
    )


def test_deleting_the_newest_snapshot_is_caught_only_with_a_head(filled: str) -> None:
    with Archive.open(filled, readonly=True) as archive:
        head = archive.head()
    assert head is not None and head.startswith("3:")
    _delete_newest(filled)
    with Archive.open(filled, readonly=True) as archive:
        assert archive.verify() == []  # the rest of the chain is intact: as documented
        problems = archive.verify([(3, head.split(":")[1])])
    assert len(problems) == 1 and "被删除过" in problems[0].message


def test_verify_head_from_a_receipt_file_and_an_export(
    capsys: pytest.CaptureFixture[str], filled: str, tmp_path: Path
) -> None:
    receipt = tmp_path / "凭据.txt"
    with Archive.open(filled) as archive:
        info = add(archive, make_plan(), "2024-Q3", {"I1": 1})
        from reportgen.archive import append_receipt

        append_receipt(receipt, info)
    code, _, _ = cli(
        capsys, "export", "demo-plan", "-o", str(tmp_path / "x.json"), "--archive", filled
    )
    assert json.loads((tmp_path / "x.json").read_text("utf-8"))["chain_head"].startswith("4:")
    for anchor in (receipt, tmp_path / "x.json"):
        code, out, _ = cli(capsys, "verify", "--head", str(anchor), "--archive", filled)
        assert code == 0 and "1 个链头凭据所指的快照都在" in out and "不能发现" in out
    children = ("source_files", "reported_values", "task_reports", "indicator_results",
                "task_results", "warnings")  # fmt: skip
    tamper(filled, *(f"DELETE FROM {t} WHERE snapshot_id = 4" for t in children),
           "DELETE FROM snapshots WHERE id = 4")  # fmt: skip
    code, _, err = cli(capsys, "verify", "--head", str(receipt), "--archive", filled)
    assert code == 2 and "第 4 号快照不在归档中" in err
    code, _, err = cli(capsys, "verify", "--head", "nonsense", "--archive", filled)
    assert code == 2 and "没有找到链头凭据" in err


def test_void_records_who_and_why_and_hides_the_snapshot_from_latest(
    capsys: pytest.CaptureFixture[str], filled: str
) -> None:
    args = ["demo-plan", "2024-Q2", "--version", "2", "--archive", filled]
    code, out, err = cli(capsys, "void", *args, "--by", "张三", "--reason", "数据录错")
    assert code == 0, err
    with Archive.open(filled, readonly=True) as archive:
        assert archive.get("demo-plan", "2024-Q2").info.version == 1  # latest not void
        voided = archive.get("demo-plan", "2024-Q2", 2).info
        assert voided.void is not None and (voided.void.voided_by, voided.void.reason) == (
            "张三", "数据录错")  # fmt: skip
        assert [p.period.key for p in archive.history("demo-plan").points] == ["2024-Q1", "2024-Q2"]
        assert archive.history("demo-plan").points[1].version == 1
        assert archive.verify() == []
    code, out, _ = cli(capsys, "list", "--archive", filled)
    assert "已作废：数据录错（张三）" in out
    code, _, err = cli(capsys, "void", *args, "--by", "李四", "--reason", "再来一次")
    assert code == 2 and "已于" in err and "张三" in err
    code, _, err = cli(capsys, "void", "demo-plan", "2024-Q1", "--version", "1", "--by", " ",
                       "--reason", "x", "--archive", filled)  # fmt: skip
    assert code == 2 and "作废人" in err
    tamper(filled, "UPDATE voids SET reason = '改过'")
    with Archive.open(filled, readonly=True) as archive:
        assert ["作废记录与其校验和不符" in p.message for p in archive.verify()] == [True]


def test_copy_round_trips_sqlite_postgresql_sqlite_with_identical_checksums(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_cluster: object
) -> None:
    source = str(tmp_path / "source.sqlite")
    plan = make_plan()
    with Archive.open(source) as archive:
        for key in ("2024-Q1", "2024-Q2", "2024-Q2", "2024-W10"):
            add(archive, plan, key, {"I1": 10, "I2": 66.6, "I3": None})
        archive.void("demo-plan", "2024-Q2", 1, "王五", "重复")
        before = [(i.id, i.checksum) for i in archive.snapshots()]
    back = str(tmp_path / "back.sqlite")
    with fresh_database(pg_cluster) as url:  # type: ignore[arg-type]
        code, out, err = cli(capsys, "copy", source, url)
        assert code == 0 and "已复制 4 个快照、1 条作废记录" in out, err
        code, _, err = cli(capsys, "copy", source, url)
        assert code == 2 and "已有快照" in err
        report = copy_archive(url, back)
    assert report.snapshots == 4 and report.head == f"4:{dict(before)[4]}"
    with Archive.open(back, readonly=True) as archive:
        assert [(i.id, i.checksum) for i in archive.snapshots()] == before
        assert archive.verify() == [] and archive.get("demo-plan", "2024-Q2").info.version == 2


def test_copy_onto_itself_is_refused(filled: str) -> None:
    with pytest.raises(ArchiveError, match="同一个"):
        copy_archive(filled, filled)
