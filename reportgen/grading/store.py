"""Archived results, one per scheme and year, in the archive database; last year's places.

Results go into the ``grading_results`` table of the archive database (the SQLite file or
PostgreSQL database of ``reportgen archive``, $REPORTGEN_ARCHIVE or outputs/archive.sqlite): one
row per archiving, append-only. Archiving a year again needs ``replace=True`` and adds a new
version; the latest version is the year's result.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reportgen.archive.location import locate
from reportgen.archive.migrate import Component, Step
from reportgen.archive.schema import ARCHIVE, _append_only, _pg_append_only
from reportgen.errors import GradingError, Problem
from reportgen.grading import wording as W
from reportgen.grading.compute import GradingResult, PreviousPlaces
from reportgen.grading.model import Scheme

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

FORMAT = "reportgen-grading-result"
FORMAT_VERSION = 1
TABLE = "grading_results"
_CREATE = (
    f"CREATE TABLE {TABLE} ("
    "scheme_id TEXT NOT NULL, year INTEGER NOT NULL, version INTEGER NOT NULL, "
    "scheme_hash TEXT NOT NULL, archived_at TEXT NOT NULL, content TEXT NOT NULL, "
    "PRIMARY KEY (scheme_id, year, version))"
)
GRADING = Component(
    "grading",
    (
        Step(  # 1: grading_results, append-only
            sqlite=(_CREATE, *_append_only(TABLE)),
            postgresql=(_CREATE, *_pg_append_only(TABLE)),
        ),
    ),
    requires=(ARCHIVE,),  # PostgreSQL's append-only trigger function comes with the archive
)
ArchiveRef = str | Path | None


def results_table() -> Table:
    """The SQLAlchemy Core definition the queries use (a test keeps it equal to the migration)."""
    from sqlalchemy import Column, Integer, MetaData, Table, Text

    return Table(
        TABLE,
        MetaData(),
        Column("scheme_id", Text, primary_key=True),
        Column("year", Integer, primary_key=True),
        Column("version", Integer, primary_key=True),
        Column("scheme_hash", Text, nullable=False),
        Column("archived_at", Text, nullable=False),
        Column("content", Text, nullable=False),
    )


def result_json(scheme: Scheme, result: GradingResult) -> dict[str, Any]:
    """The result as JSON data: what `grade compute --json` prints and the archive keeps."""
    categories = {c.id: c.name for c in scheme.categories}
    lists = {r.id: r.name for r in scheme.lists}
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "scheme_id": scheme.id,
        "scheme_hash": scheme.content_hash,
        "year": result.year,
        "title": scheme.title,
        "top_count": result.top_count,
        "previous": None
        if result.previous is None
        else {"year": result.previous.year, "source": result.previous.source},
        "units": [
            {
                "unit": u.unit,
                "place": u.place,
                "tied": u.tied,
                "total": str(u.total),
                "subtotals": {categories[c]: str(v) for c, v in u.subtotals.items()},
                "ranked_grade": u.ranked_grade,
                "grade": u.grade,
                "previous_place": u.previous_place,
                "change": u.change,
                "findings": [
                    {"situation": f.situation_id, "facts": f.facts, "where": f.where}
                    for f in u.findings
                ],
                "lists": {lists[k]: [r.text for r in v] for k, v in u.lists.items()},
                "left_off": {lists[k]: [r.text for r in v] for k, v in u.left_off.items()},
            }
            for u in result.units
        ],
        "scores": [
            {
                "unit": s.unit,
                "item": s.item_id,
                "value": str(s.value),
                "reason": s.reason,
                "where": s.where,
            }
            for s in result.scores
        ],
    }


def save_result(
    scheme: Scheme, result: GradingResult, archive: ArchiveRef = None, replace: bool = False
) -> int:
    """Archive the year's result; return its version. GradingError when the year is there."""
    from sqlalchemy import func, select

    from reportgen.archive.db import Database

    table = results_table()
    content = json.dumps(result_json(scheme, result), ensure_ascii=False)
    key = (table.c.scheme_id == scheme.id) & (table.c.year == result.year)

    def insert(conn: Connection) -> int:
        latest = conn.execute(select(func.max(table.c.version)).where(key)).scalar()
        if latest and not replace:
            raise GradingError(
                Problem(
                    locate(archive).display,
                    f"{result.year}年度的评议结果已经归档。确需用本次结果替换时，请加 --replace。",
                )
            )
        version = int(latest or 0) + 1
        row = {
            "scheme_id": scheme.id,
            "year": result.year,
            "version": version,
            "scheme_hash": scheme.content_hash,
            "archived_at": datetime.now(UTC).isoformat(),
            "content": content,
        }
        conn.execute(table.insert(), row)
        return version

    with Database.open(archive, readonly=False, components=(GRADING,)) as db:
        return db.write(insert)


class _ArchivedUnit(BaseModel):
    model_config = ConfigDict(extra="ignore")
    unit: str = Field(min_length=1)
    place: int = Field(ge=1)


class _Archived(BaseModel):
    model_config = ConfigDict(extra="ignore")
    format: str
    units: list[_ArchivedUnit] = Field(min_length=1)


def load_places(scheme_id: str, year: int, archive: ArchiveRef = None) -> PreviousPlaces | None:
    """The places of the latest archived result for ``year``; None when there is none."""
    content = _latest(scheme_id, year, archive)
    if content is None:
        return None
    where = f"{locate(archive).display} {TABLE}（{scheme_id} {year}）"
    try:
        archived = _Archived.model_validate_json(content)
    except ValidationError:
        raise GradingError(
            Problem(
                where,
                "归档的评议结果已损坏，无法读取上年度名次。请检查归档库，或在评议方案的 previous 中填写上年度名次。",
            )
        ) from None
    if archived.format != FORMAT:
        raise GradingError(Problem(where, "该记录不是 reportgen 写的评议结果。"))
    places = {u.unit: u.place for u in archived.units}
    return PreviousPlaces(year, places, f"{year}年度评议结果（归档）")


def _latest(scheme_id: str, year: int, archive: ArchiveRef) -> str | None:
    """The latest archived content for the year; None without an archive, table or row."""
    from sqlalchemy import inspect, select

    from reportgen.archive.db import Database

    location = locate(archive)
    if location.path is not None and not location.path.exists():
        return None
    table = results_table()
    with Database.open(archive, readonly=True, components=()) as db, db.read() as conn:
        if not inspect(conn).has_table(TABLE):
            return None
        query = (
            select(table.c.content)
            .where((table.c.scheme_id == scheme_id) & (table.c.year == year))
            .order_by(table.c.version.desc())
            .limit(1)
        )
        found = conn.execute(query).scalar()
    return None if found is None else str(found)


def previous_places(scheme: Scheme, archive: ArchiveRef = None) -> PreviousPlaces | None:
    """Last year's places: archived, else the scheme's ``previous``; None when neither exists."""
    archived = load_places(scheme.id, scheme.year - 1, archive)
    if archived is not None:
        return archived
    given = scheme.previous
    if given is None:
        return None
    return PreviousPlaces(given.year, dict(given.places), given.source)


def previous_notice(scheme: Scheme, previous: PreviousPlaces | None) -> str | None:
    """A note for the user when last year's places are missing or incomplete."""
    if previous is None:
        return (
            f"没有{scheme.year - 1}年度的评议结果（未归档，评议方案也未填写 previous），"
            "名次变化及据此表扬、约谈的规则本次不适用。"
        )
    missing = [u for u in scheme.units if u not in previous.places]
    if missing:
        return f"{previous.source}中没有{W.joined(missing)}，这些单位不计名次变化。"
    return None
