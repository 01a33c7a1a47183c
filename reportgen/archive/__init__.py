"""The snapshot archive: each period's figures frozen, for 较上期, history and an audit trail.

with Archive.open() as archive:   # outputs/archive.sqlite, $REPORTGEN_ARCHIVE, or postgresql://…
    archive.add(plan, period, dataset, result)    # -> SnapshotInfo (version 1, 2, …)
    previous = archive.previous(plan.id, period)  # -> Snapshot | None

The names below load on first use: ``reportgen.archive.location`` tells whether an archive
exists without loading the rest (a report with no archive imports nothing more).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.lazy import names_from

if TYPE_CHECKING:
    from reportgen.archive.archive import (
        DEFAULT_PATH,
        ENV_VAR,
        VERIFY_SCOPE,
        Archive,
        append_receipt,
        archive_path,
        heads_from,
        parse_heads,
    )
    from reportgen.archive.snapshot import ArchivedFile, Snapshot, SnapshotInfo, Void
    from reportgen.compare import (
        History,
        HistoryPoint,
        IndicatorChange,
        indicator_change,
        indicator_changes,
    )

__getattr__ = names_from(
    __name__,
    {
        "reportgen.archive.archive": (
            "DEFAULT_PATH",
            "ENV_VAR",
            "VERIFY_SCOPE",
            "Archive",
            "append_receipt",
            "archive_path",
            "heads_from",
            "parse_heads",
        ),
        "reportgen.archive.snapshot": ("ArchivedFile", "Snapshot", "SnapshotInfo", "Void"),
        "reportgen.compare": (
            "History",
            "HistoryPoint",
            "IndicatorChange",
            "indicator_change",
            "indicator_changes",
        ),
    },
)
__all__ = [
    "DEFAULT_PATH",
    "ENV_VAR",
    "VERIFY_SCOPE",
    "Archive",
    "ArchivedFile",
    "History",
    "HistoryPoint",
    "IndicatorChange",
    "Snapshot",
    "SnapshotInfo",
    "Void",
    "append_receipt",
    "archive_path",
    "heads_from",
    "indicator_change",
    "indicator_changes",
    "parse_heads",
]
