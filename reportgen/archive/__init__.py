"""The snapshot archive: each period's figures frozen, for 较上期, history and an audit trail.

with Archive.open() as archive:   # outputs/archive.sqlite, $REPORTGEN_ARCHIVE, or postgresql://…
    archive.add(plan, period, dataset, result)    # -> SnapshotInfo (version 1, 2, …)
    previous = archive.previous(plan.id, period)  # -> Snapshot | None

The names below load on first use: ``reportgen.archive.location`` tells whether an archive
exists without loading the rest (a report with no archive imports nothing more).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

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

_HOME = {
    "DEFAULT_PATH": "reportgen.archive.archive",
    "ENV_VAR": "reportgen.archive.archive",
    "VERIFY_SCOPE": "reportgen.archive.archive",
    "Archive": "reportgen.archive.archive",
    "append_receipt": "reportgen.archive.archive",
    "archive_path": "reportgen.archive.archive",
    "heads_from": "reportgen.archive.archive",
    "parse_heads": "reportgen.archive.archive",
    "ArchivedFile": "reportgen.archive.snapshot",
    "Snapshot": "reportgen.archive.snapshot",
    "SnapshotInfo": "reportgen.archive.snapshot",
    "Void": "reportgen.archive.snapshot",
    "History": "reportgen.compare",
    "HistoryPoint": "reportgen.compare",
    "IndicatorChange": "reportgen.compare",
    "indicator_change": "reportgen.compare",
    "indicator_changes": "reportgen.compare",
}
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


def __getattr__(name: str) -> object:
    """The public name ``name``, imported from its module the first time it is asked for."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
