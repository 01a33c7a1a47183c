"""工作评议: score, rank and grade the units a 办法 holds to account, and the 评议结果通报.

    scheme = load_scheme("jinan-food-safety")             # 评议方案 (catalog id or path)
    write_template(scheme, "市市场监管局", path)          # a member unit's scoring workbook
    scores = load_scores(scheme, [folder])                 # filled workbooks, cell-precise errors
    result = compute(scheme, scores.scores, scores.findings, previous_places(scheme))
    write_outputs(scheme, result, NoticeFront(day), out, summary=xlsx)
    save_result(scheme, result)                            # archived by year

docs/grading.md explains the rules and the decisions behind them.
"""

from reportgen.grading.compute import (
    Finding,
    GradingResult,
    PreviousPlaces,
    Reason,
    Score,
    UnitResult,
    compute,
)
from reportgen.grading.load import catalog_schemes, load_scheme, load_scheme_file
from reportgen.grading.model import Scheme
from reportgen.grading.notice import NoticeFront, build_notice
from reportgen.grading.outputs import Written, default_notice_path, write_outputs
from reportgen.grading.read import ScoreCheck, ScoreSheet, check_scoresheets, load_scores
from reportgen.grading.store import (
    load_places,
    previous_notice,
    previous_places,
    result_json,
    save_result,
)
from reportgen.grading.template import default_template_path, make_template, write_template

__all__ = [
    "Finding",
    "GradingResult",
    "NoticeFront",
    "PreviousPlaces",
    "Reason",
    "Scheme",
    "Score",
    "ScoreCheck",
    "ScoreSheet",
    "UnitResult",
    "Written",
    "build_notice",
    "catalog_schemes",
    "check_scoresheets",
    "compute",
    "default_notice_path",
    "default_template_path",
    "load_places",
    "load_scheme",
    "load_scheme_file",
    "load_scores",
    "make_template",
    "previous_notice",
    "previous_places",
    "result_json",
    "save_result",
    "write_outputs",
    "write_template",
]
