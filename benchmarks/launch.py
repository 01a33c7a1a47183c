"""Run one command and write its wall time, CPU time, peak RSS and exit code as JSON.

    python launch.py RESULT.json COMMAND [ARG …]

``timing.run_child`` starts every measured command through this small process. Linux keeps a
process's peak RSS across ``exec``: a command started straight from the benchmark process (which
has built the workbooks and holds tens to hundreds of MB) would report at least the benchmark's
own peak. Forked from here, it starts from this process's few MB.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    result, *argv = sys.argv[1:]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    with open(result, "w", encoding="utf-8") as out:
        json.dump(
            {
                "seconds": seconds,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
                "code": os.waitstatus_to_exitcode(status),
            },
            out,
        )


if __name__ == "__main__":
    main()
