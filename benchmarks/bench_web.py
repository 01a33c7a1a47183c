"""Benchmark: the workbench's 进度 page for a 100-indicator plan, and memory after 100 uploads.

Run: python benchmarks/bench_web.py [--repeats 20]

A round of a 100-indicator plan (10 departments × 10 indicators) is opened, every department's
template filled and uploaded through its link; then GET /rounds/1/progress is timed. The time is
the server's own (the Server-Timing header the app sets: request in → response headers out),
first cold (returns read, progress computed) and then warm (nothing changed since). Memory is the
process RSS after 100 uploads in all (each department sends 10 successive versions).
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from starlette.testclient import TestClient

from reportgen.plan import Plan
from reportgen.web import create_app
from tests.support.intake_builders import plan_data, write_plan
from tests.support.round_builders import fill_return
from tests.support.web_builders import csrf, links, open_round

DEPARTMENTS = 10
PER_DEPARTMENT = 10


def big_plan() -> Plan:
    data = plan_data()
    base = data["indicators"][0]
    data["indicators"] = [
        {
            **base,
            "id": f"X{n:03}",
            "name": f"指标{n:03}",
            "lead": [f"测试{n // PER_DEPARTMENT:02}局"],
        }
        for n in range(DEPARTMENTS * PER_DEPARTMENT)
    ]
    data["tasks"] = []
    return Plan.model_validate(data)


def server_ms(response) -> float:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text[:500]
    return float(re.search(r"dur=([\d.]+)", response.headers["server-timing"]).group(1))  # type: ignore[union-attr]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-web-"))
    (root / "plans").mkdir()
    write_plan(big_plan(), root / "plans")
    with TestClient(create_app(root)) as web:
        round_id = open_round(web)
        found = links(web, round_id)
        templates = {}
        for department, link in found.items():
            path = root / f"{department}.xlsx"
            path.write_bytes(web.get(f"{link}/template").content)
            templates[link] = path
        before = rss_mb()
        upload_times = []
        for version in range(PER_DEPARTMENT):
            for link, path in templates.items():
                number = int(path.stem[2:4])
                values = {
                    f"X{number * PER_DEPARTMENT + k:03}": 1 + version + k
                    for k in range(PER_DEPARTMENT)
                }
                body = fill_return(path, values).read_bytes()
                token = csrf(web, link)
                started = time.perf_counter()
                response = web.post(
                    f"{link}/upload",
                    data={"csrf_token": token},
                    files=[("files", ("填报.xlsx", body, "application/octet-stream"))],
                )
                upload_times.append(time.perf_counter() - started)
                assert "已接收" in response.text
        after = rss_mb()
        cold = server_ms(web.get(f"/rounds/{round_id}/progress"))
        warm = [server_ms(web.get(f"/rounds/{round_id}/progress")) for _ in range(args.repeats)]
    print(
        f"进度 page, 100 indicators: cold {cold:.1f} ms, warm median {statistics.median(warm):.1f} ms "
        f"(min {min(warm):.1f}, max {max(warm):.1f}, n={len(warm)})"
    )
    print(
        f"uploads: {len(upload_times)}, median {statistics.median(upload_times) * 1000:.0f} ms each"
    )
    print(
        f"RSS: {before:.0f} MB before the uploads, {after:.0f} MB after 100 uploads "
        f"(peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
