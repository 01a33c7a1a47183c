"""Shared helpers for the extraction tests: write a small plan text and extract it."""

from __future__ import annotations

from pathlib import Path

from reportgen.extract import Extraction, extract_plan

HEAD = "某市人民政府办公室文件\n\n某政办发〔2023〕7号\n\n某市某某工作实施方案\n\n"


def extract_text(
    tmp_path: Path, body: str, name: str = "plan.txt", encoding: str = "utf-8"
) -> Extraction:
    path = tmp_path / name
    path.write_bytes(body.encode(encoding))
    return extract_plan(path)


def targets(extraction: Extraction) -> dict[str, dict[int, float]]:
    return {i.name: i.targets for i in extraction.plan.indicators}


def messages(extraction: Extraction) -> str:
    return "\n".join(str(w) for w in extraction.warnings)
