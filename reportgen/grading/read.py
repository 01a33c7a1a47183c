"""Reading filled scoring workbooks: which member unit sent each, then its two sheets.

Files are read by intake's reader (size and zip limits, format sniffing, calamine); a problem
names the file, sheet and cell, the unit and the item, and what to enter instead. A member unit
that sent nothing, or sent twice, is named too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import GradingError, Problem, ReportgenError
from reportgen.grading.compute import Finding, Score
from reportgen.grading.layout import (
    FINDING_SHEET,
    META_KEYS,
    META_SHEET,
    SCORE_SHEET,
    TEMPLATE_VERSION,
)
from reportgen.grading.model import Scheme
from reportgen.grading.sheets import ScoreSheet, read_findings, read_scores
from reportgen.intake.reader import RawWorkbook, expand_paths, read_workbook
from reportgen.intake.result import Issue
from reportgen.intake.values import cell_text
from reportgen.limits import Limits, current_limits


@dataclass
class ScoreCheck:
    """Every workbook checked, and the member units that have sent nothing."""

    sheets: list[ScoreSheet]
    missing_scorers: list[str]

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sheets) and not self.missing_scorers

    @property
    def errors(self) -> list[Problem]:
        problems = [p for s in self.sheets for p in s.problems(s.errors)]
        problems += [
            Problem(scorer, "尚未报送评分表，无法计算总分。请收齐后再计算。")
            for scorer in self.missing_scorers
        ]
        return problems

    @property
    def scores(self) -> list[Score]:
        return [score for s in self.sheets for score in s.scores]

    @property
    def findings(self) -> list[Finding]:
        return [finding for s in self.sheets for finding in s.findings]

    def to_json(self) -> dict[str, object]:
        return {
            "files": [s.to_json() for s in self.sheets],
            "missing_scorers": self.missing_scorers,
        }


def check_scoresheets(scheme: Scheme, paths: list[Path]) -> ScoreCheck:
    """Read every workbook at ``paths`` (files or folders) against ``scheme``."""
    files = expand_paths([Path(p) for p in paths])
    if not files:
        where = "、".join(str(p) for p in paths)
        raise GradingError(Problem(where, "没有找到评分表（.xlsx）。请检查路径。"))
    limits = current_limits()
    counts = Counter(f.name for f in files)
    sheets = [
        read_scoresheet(scheme, f, f.name if counts[f.name] == 1 else str(f), limits) for f in files
    ]
    _flag_duplicates(sheets)
    sent = {s.scorer for s in sheets if s.scorer}
    return ScoreCheck(sheets, [s for s in scheme.scorers() if s not in sent])


def load_scores(scheme: Scheme, paths: list[Path]) -> ScoreCheck:
    """``check_scoresheets``, raising GradingError with every problem unless all is well."""
    check = check_scoresheets(scheme, paths)
    if not check.ok:
        raise GradingError(check.errors)
    return check


def _flag_duplicates(sheets: list[ScoreSheet]) -> None:
    first: dict[str, ScoreSheet] = {}
    for sheet in sheets:
        if sheet.scorer is None:
            continue
        if sheet.scorer in first:
            sheet.errors.append(
                Issue(
                    META_SHEET,
                    "",
                    f"“{sheet.scorer}”的评分表已有 {first[sheet.scorer].display}，"
                    "同一单位只能报送一份。请删除多余的文件。",
                )
            )
        else:
            first[sheet.scorer] = sheet


def read_scoresheet(scheme: Scheme, path: Path, display: str, limits: Limits) -> ScoreSheet:
    """One workbook: identity from _meta (or the file name), then 评分 and 情形认定."""
    result = ScoreSheet(path, display)
    try:
        raw = read_workbook(path, display, limits)
    except ReportgenError as exc:
        result.errors = [Issue("", "", p.message) for p in exc.problems]
        return result
    scorer = _identify(raw, scheme, result)
    result.scorer = scorer
    if scorer is None or result.errors:
        return result
    sheet = raw.sheets.get(SCORE_SHEET)
    if sheet is None:
        result.errors.append(Issue(SCORE_SHEET, "", _missing_sheet(SCORE_SHEET)))
    else:
        read_scores(scheme, scorer, sheet, result)
    findings = raw.sheets.get(FINDING_SHEET)
    if findings is not None:
        read_findings(scheme, findings, result)
    return result


def _missing_sheet(name: str) -> str:
    return f"缺少“{name}”工作表。请用 reportgen grade template 生成的评分表填写。"


# ---------------------------------------------------------------- identity


def _meta(raw: RawWorkbook) -> dict[str, tuple[str, str]]:
    """_meta key -> (value, cell)."""
    sheet = raw.sheets.get(META_SHEET)
    found: dict[str, tuple[str, str]] = {}
    for number, row in enumerate(sheet.rows if sheet else [], start=1):
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in META_KEYS:
            found[row[0].strip()] = (cell_text(row[1]), f"B{number}")
    return found


def _identify(raw: RawWorkbook, scheme: Scheme, result: ScoreSheet) -> str | None:
    meta = _meta(raw)
    if not all(meta.get(k, ("", ""))[0] for k in META_KEYS):
        return _scorer_from_name(raw.path.stem, scheme, result)
    checks = (
        (
            "scheme_id",
            scheme.id,
            f"本表是评议方案“{meta['scheme_id'][0]}”的评分表，不是“{scheme.id}”的",
        ),
        (
            "year",
            str(scheme.year),
            f"本表是{meta['year'][0]}年度的评分表，而本次评议的是{scheme.year}年度",
        ),
    )
    for key, expected, message in checks:
        if meta[key][0] != expected:
            result.errors.append(
                Issue(META_SHEET, meta[key][1], f"{message}。请确认文件是否发错。")
            )
    version = meta["template_version"]
    if not version[0].isdigit() or int(version[0]) > TEMPLATE_VERSION:
        result.errors.append(
            Issue(
                META_SHEET,
                version[1],
                "评分表的版本比本程序新或无法识别。请升级 reportgen 后再读取。",
            )
        )
    scorer, cell = meta["scorer"]
    if scorer not in scheme.scorers():
        result.errors.append(
            Issue(META_SHEET, cell, f"评议方案中没有由“{scorer}”评分的项目。请确认评议方案和文件。")
        )
        return None
    if meta["scheme_hash"][0] != scheme.content_hash:
        result.warnings.append(
            Issue(
                META_SHEET,
                meta["scheme_hash"][1],
                "评议方案在生成本表后有修改；本表的项目和分值若与现行方案不一致，会在下面逐项指出。",
            )
        )
    return scorer


def _scorer_from_name(stem: str, scheme: Scheme, result: ScoreSheet) -> str | None:
    matches = [s for s in scheme.scorers() if s in stem]
    if not matches:
        result.errors.append(
            Issue(
                META_SHEET,
                "",
                "缺少隐藏的 _meta 工作表，文件名中也没有评分单位的名称，无法判断是哪个单位的评分表。"
                f"请用 reportgen grade template 生成的评分表填写（评分单位：{'、'.join(scheme.scorers())}）。",
            )
        )
        return None
    result.warnings.append(
        Issue(
            META_SHEET,
            "",
            "缺少隐藏的 _meta 工作表（表格可能被复制到了新文件），已按文件名识别评分单位。",
        )
    )
    return max(matches, key=len)
