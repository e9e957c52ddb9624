"""The 预算管理一体化 profile: a scored self-evaluation under the data standard's element names.

``perfscore score FILE --format json --profile yth`` writes what a budget system's
绩效自评 tables hold, keyed by the standard's table and element names, so the system
can load perfscore's results without a mapping layer (docs/input-columns.md lists the
mapping, and the readers accept the same element names as input headers):

``PM_PERF_SELF_EVAL``       项目绩效自评信息: fiscal_year, dept_name, agency_name, pro_code,
                            pro_name, total_eval_value (单位自评得分)
``PM_PERF_SELF_BGT``        项目预算执行: reply_amt (年初批复数), cur_amt (变动后预算数),
                            year_exe_amt (全年执行数), exe_amt_rate, exe_score
``PM_SELF_EVAL_GOAL``       绩效目标: kpi_target (预期目标), goal_comp (完成情况)
``PM_SELF_EVAL_INDICATOR``  指标: lv1/lv2/lv3_perf_ind_name, kpi_val, ind_comp, kpi_evalstd,
                            ind_weight, eval_score, devi_analy

Decimals are strings, exact.  What the standard has no element for (the scheme's own
score, status, explanation, grade) goes under ``x_perfscore`` in each record, so
nothing perfscore found is lost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..documents import Document
from ..parse.values import format_decimal
from ..score.rollup import Evaluation
from ._common import display_places, fmt
from ._json import dumps

__all__ = ["YTH_INDICATOR_ELEMENTS", "YTH_PROFILE", "to_yth_data", "to_yth_json"]

YTH_PROFILE = "perfscore.yth/1"

# Indicator element → (Indicator or Score attribute, 中文名 in the standard).
YTH_INDICATOR_ELEMENTS: dict[str, tuple[str, str]] = {
    "lv1_perf_ind_name": ("level1", "一级绩效指标名称"),
    "lv2_perf_ind_name": ("level2", "二级绩效指标名称"),
    "lv3_perf_ind_name": ("level3", "三级绩效指标名称"),
    "kpi_val": ("target", "指标值"),
    "ind_comp": ("actual", "指标值完成情况"),
    "kpi_evalstd": ("standard", "评(扣)分标准"),
    "ind_weight": ("weight", "权重"),
    "eval_score": ("counted", "自评得分"),
    "devi_analy": ("reason", "偏差分析及整改措施"),
}


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def to_yth_data(evaluation: Evaluation, document: Document | None = None) -> dict[str, Any]:
    """The evaluation as the data standard's tables: a dict of table name → record(s)."""
    places = display_places(evaluation)
    project = document.projects[0] if document is not None and document.projects else None
    execution = evaluation.execution
    rows = []
    for score in evaluation.scores:
        i = score.indicator
        row: dict[str, Any] = {}
        for element, (field, _) in YTH_INDICATOR_ELEMENTS.items():
            if field == "weight":
                row[element] = _dec(i.weight)
            elif field == "counted":
                row[element] = fmt(score.counted, places)
            else:
                row[element] = getattr(i, field)
        row["x_perfscore"] = {
            "row": i.row,
            "goal": i.goal,
            "computed": None if score.computed is None else fmt(score.computed, places),
            "published": None if score.published is None else fmt(score.published, places),
            "status": score.status.value,
            "explanation": score.explanation,
            "initial_target": i.initial_target,
            "adjusted_target": i.adjusted_target,
            "composed_from": i.composed_from,
            "coefficient": _dec(i.coefficient),
        }
        rows.append(row)
    return {
        "profile": YTH_PROFILE,
        "PM_PERF_SELF_EVAL": {
            "fiscal_year": None if evaluation.year is None else str(evaluation.year),
            "dept_name": document.department if document else "",
            "agency_name": project.unit if project else "",
            "pro_code": project.code if project else "",
            "pro_name": project.name if project else "",
            "total_eval_value": fmt(evaluation.total, places),
            "x_perfscore": {
                "grade": evaluation.grade if evaluation.graded else None,
                "not_graded_reason": evaluation.not_graded_reason or None,
                "published_total": None
                if evaluation.published_total is None
                else fmt(evaluation.published_total, places),
                "warnings": list(evaluation.warnings),
            },
        },
        "PM_PERF_SELF_BGT": None
        if execution is None
        else {
            "reply_amt": _dec(document.initial_budget) if document else None,
            "cur_amt": _dec(execution.budget),
            "year_exe_amt": _dec(execution.executed),
            "exe_amt_rate": _dec(execution.rate),
            "exe_score": fmt(execution.counted, places),
        },
        "PM_SELF_EVAL_GOAL": [
            {"kpi_target": goal.text, "goal_comp": goal.achieved}
            for goal in (project.goals if project else ())
        ],
        "PM_SELF_EVAL_INDICATOR": rows,
    }


def to_yth_json(evaluation: Evaluation, document: Document | None = None) -> str:
    """:func:`to_yth_data` as JSON text."""
    return dumps(to_yth_data(evaluation, document))
