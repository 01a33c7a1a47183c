"""Archived results, one JSON file per scheme and year, and last year's places read back.

The archive database is being moved to SQLAlchemy; until a grading table lands there, results
live in ``outputs/grading-archive/<scheme id>/<year>.json`` ($REPORTGEN_GRADING_ARCHIVE moves
the folder). A year is archived once; archiving it again needs ``replace=True``.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reportgen.errors import GradingError, Problem
from reportgen.fileio import os_reason, write_text
from reportgen.grading import wording as W
from reportgen.grading.compute import GradingResult, PreviousPlaces
from reportgen.grading.model import Scheme
from reportgen.locations import outputs_dir

ARCHIVE_ENV = "REPORTGEN_GRADING_ARCHIVE"
FORMAT = "reportgen-grading-result"
FORMAT_VERSION = 1
MAX_BYTES = 5 * 1024 * 1024


def archive_dir(folder: Path | None = None) -> Path:
    """``folder``, else $REPORTGEN_GRADING_ARCHIVE, else outputs/grading-archive."""
    if folder is not None:
        return Path(folder)
    return Path(os.environ.get(ARCHIVE_ENV) or outputs_dir() / "grading-archive")


def result_path(scheme_id: str, year: int, folder: Path | None = None) -> Path:
    return archive_dir(folder) / scheme_id / f"{year}.json"


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
    scheme: Scheme, result: GradingResult, folder: Path | None = None, replace: bool = False
) -> Path:
    """Archive the year's result atomically; GradingError when the year is there already."""
    path = result_path(scheme.id, result.year, folder)
    if path.exists() and not replace:
        raise GradingError(
            Problem(
                str(path),
                f"{result.year}年度的评议结果已经归档。确需用本次结果替换时，请加 --replace。",
            )
        )
    data = {**result_json(scheme, result), "archived_at": datetime.now(UTC).isoformat()}
    return write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


class _ArchivedUnit(BaseModel):
    model_config = ConfigDict(extra="ignore")
    unit: str = Field(min_length=1)
    place: int = Field(ge=1)


class _Archived(BaseModel):
    model_config = ConfigDict(extra="ignore")
    format: str
    scheme_id: str
    year: int
    units: list[_ArchivedUnit] = Field(min_length=1)


def load_places(scheme_id: str, year: int, folder: Path | None = None) -> PreviousPlaces | None:
    """The places archived for ``year``, or None when that year was not archived."""
    path = result_path(scheme_id, year, folder)
    if not path.exists():
        return None
    try:
        if path.stat().st_size > MAX_BYTES:
            raise GradingError(Problem(str(path), "归档文件过大，不是 reportgen 写的评议结果。"))
        archived = _Archived.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise GradingError(
            Problem(str(path), f"无法读取归档的评议结果：{os_reason(exc)}。")
        ) from None
    except ValidationError:
        raise GradingError(
            Problem(
                str(path),
                "归档的评议结果已损坏或被改动，无法读取上年度名次。"
                "请恢复该文件，或删除它并在评议方案的 previous 中填写上年度名次。",
            )
        ) from None
    if archived.format != FORMAT or archived.scheme_id != scheme_id or archived.year != year:
        raise GradingError(
            Problem(str(path), f"该文件不是“{scheme_id}”{year}年度的评议结果，请检查归档目录。")
        )
    places = {u.unit: u.place for u in archived.units}
    return PreviousPlaces(year, places, f"{year}年度评议结果（归档）")


def previous_places(scheme: Scheme, folder: Path | None = None) -> PreviousPlaces | None:
    """Last year's places: archived, else the scheme's ``previous``; None when neither exists."""
    archived = load_places(scheme.id, scheme.year - 1, folder)
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
