"""The snapshot archive: each period's figures frozen, for 较上期, history and an audit trail.

with Archive.open() as archive:                    # outputs/archive.sqlite or $REPORTGEN_ARCHIVE
    archive.add(plan, period, dataset, result)    # -> SnapshotInfo (version 1, 2, …)
    previous = archive.previous(plan.id, period)  # -> Snapshot | None
"""

from reportgen.archive.archive import DEFAULT_PATH, ENV_VAR, Archive, archive_path
from reportgen.archive.snapshot import ArchivedFile, Snapshot, SnapshotInfo
from reportgen.compare import (
    History,
    HistoryPoint,
    IndicatorChange,
    indicator_change,
    indicator_changes,
)

__all__ = [
    "DEFAULT_PATH",
    "ENV_VAR",
    "Archive",
    "ArchivedFile",
    "History",
    "HistoryPoint",
    "IndicatorChange",
    "Snapshot",
    "SnapshotInfo",
    "archive_path",
    "indicator_change",
    "indicator_changes",
]
