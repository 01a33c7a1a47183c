"""工作评议: score, rank and grade the units a 办法 holds to account, and the 评议结果通报.

    scheme = load_scheme("jinan-food-safety")             # 评议方案 (catalog id or path)
    write_template(scheme, "市市场监管局", path)          # a member unit's scoring workbook
    run = evaluate(scheme, [folder])                       # read, check, last year, compute
    write_outputs(scheme, run.result, NoticeFront(day), out, summary=xlsx)
    save_result(scheme, run.result)                        # archived by year

``evaluate`` is ``load_scores`` + ``previous_places`` + ``compute``, each usable on its own.

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
from reportgen.grading.evaluate import Evaluation, evaluate
from reportgen.grading.load import catalog_schemes, load_scheme, load_scheme_file
from reportgen.grading.model import Scheme
from reportgen.grading.notice import NoticeFront, build_notice
from reportgen.grading.outputs import (
    Written,
    default_notice_path,
    default_summary_path,
    write_outputs,
)
from reportgen.grading.read import ScoreCheck, check_scoresheets, load_scores
from reportgen.grading.sheets import ScoreSheet
from reportgen.grading.store import (
    load_places,
    previous_notice,
    previous_places,
    result_json,
    save_result,
)
from reportgen.grading.template import default_template_path, make_template, write_template

__all__ = [
    "Evaluation",
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
    "default_summary_path",
    "default_template_path",
    "evaluate",
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
