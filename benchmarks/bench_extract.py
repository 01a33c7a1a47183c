"""Benchmark: `plan extract` on a 1 MB source (target < 2 s).

Run: python benchmarks/bench_extract.py [--repeat 5] [--mb 1]
The source is built from the real plan texts of the extraction corpus (tests/extract/corpus) and
the seed plans: numbered chapters, each holding the texts in turn (prose, "——" bullets, pasted
tables, years in lead sentences) until the file reaches the size asked for, in UTF-8. The default
input limits refuse such a file (they guard against pasted junk), so the benchmark raises them
through their environment variables. Each run starts with the memo caches empty, as a fresh
`plan extract` does. Prints the median of N interleaved runs after a warm-up,
the characters per second, and the time of one of the corpus files for scale.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

from timing import interleaved, median

from reportgen.extract import extract_plan
from reportgen.extract.names import normalise_name, same_name
from reportgen.extract.years import clause_years
from reportgen.limits import ENV
from reportgen.locations import resource_path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "extract" / "corpus"
_CN = "一二三四五六七八九十"
_DOCUMENT_END = re.compile(
    r"^[（(]?(?:此件|附件|抄送|主送|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)


def texts() -> list[str]:
    """The corpus and seed texts without the lines that end a document (a signature date,
    "（此件公开发布）", "附件", "抄送"): the benchmark reads one long plan, not a gazette."""
    files = sorted(CORPUS.glob("*/*.txt")) + sorted(resource_path("sources").glob("*.txt"))
    return [
        "\n".join(
            line
            for line in f.read_text(encoding="utf-8").splitlines()
            if not _DOCUMENT_END.match(line.strip())
        )
        for f in files
    ]


def build_source(path: Path, megabytes: float) -> int:
    """Write a plan of about ``megabytes`` MB (UTF-8) to ``path``; return its size in bytes."""
    pieces = texts()
    parts = ["某市人民政府办公室关于印发某市综合发展实施方案的通知\n\n某市综合发展实施方案\n"]
    size, n = len(parts[0].encode()), 0
    while size < megabytes * 1_000_000:
        chapter = f"第{_CN[(n // 10) % 10]}{_CN[n % 10]}章 综合任务{n + 1}\n"
        text = chapter + pieces[n % len(pieces)] + "\n"
        parts.append(text)
        size += len(text.encode())
        n += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path.stat().st_size


def cold(path: Path) -> None:
    """One extraction with the memo caches emptied first, as in a fresh `plan extract`."""
    for cached in (clause_years, normalise_name, same_name):
        cached.cache_clear()
    extract_plan(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--mb", type=float, default=1.0)
    args = parser.parse_args()
    os.environ[ENV["max_source_chars"]] = "10000000"
    os.environ[ENV["max_source_lines"]] = "1000000"
    os.environ[ENV["max_file_mb"]] = "100"
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big-plan.txt"
        size = build_source(big, args.mb)
        chars = len(big.read_text(encoding="utf-8"))
        small = CORPUS / "dev" / "rural-2026.txt"
        (big_times, small_times) = interleaved(
            [lambda: cold(big), lambda: cold(small)], args.repeat
        )
        extraction = extract_plan(big)
    seconds = median(big_times)
    print(f"source: {size / 1e6:.2f} MB, {chars} characters")
    print(
        f"plan extract: median {seconds:.2f} s of {args.repeat} "
        f"({chars / seconds / 1e6:.2f} M characters/s; target < 2 s) — "
        f"{len(extraction.plan.indicators)} indicators, {len(extraction.items)} review items"
    )
    print(f"one corpus file ({small.name}): median {median(small_times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
