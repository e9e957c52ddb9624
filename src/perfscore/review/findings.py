"""Findings: what a review (复核 audit or 目标审核 lint) reports about a row or a document.

A :class:`Finding` is data — a stable ``code``, a severity, where it is, the
numbers behind it and a suggestion — so reports can render it in any format
and programs can filter on ``code``.  docs/review.md explains every code.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..documents import Severity

__all__ = ["CODE_NAMES", "Finding", "FindingSeverity", "finding_name"]


# Findings and reading diagnostics grade problems on the same three steps, so they share one
# enum; the old name stays an alias so ``FindingSeverity.ERROR is Severity.ERROR``.
FindingSeverity = Severity


# Each code's name as a Chinese reader sees it in reports (the code itself stays stable
# for programs).  docs/review.md explains each; a test checks every code has a name.
CODE_NAMES: dict[str, str] = {
    "deviation-convention": "按本表规则计分",
    "deviation-rounding": "舍入差异",
    "deviation-over-achievement": "超额完成被扣分",
    "full-marks-on-miss": "未完成却得满分",
    "deviation-qualitative": "定性指标人工取值",
    "deviation-reverse-rule": "反向指标扣分规则不同",
    "deviation-other": "得分差异原因不明",
    "score-above-weight": "得分超过分值",
    "qualitative-out-of-band": "定性得分不在档内",
    "lost-without-reason": "扣分未说明原因",
    "over-achievement": "超额完成较多",
    "row-needs-review": "需人工判定",
    "weights-not-100": "分值合计不为100",
    "total-mismatch": "总分与各项之和不符",
    "total-adds-up": "总分核对一致",
    "execution-score-differs": "预算执行得分不符",
    "execution-low-no-reason": "执行率低未说明原因",
    "execution-attainment-divergence": "执行率与完成度背离",
    "goal-placeholder": "绩效目标为占位文字",
    "goal-missing": "未填写绩效目标",
    "budget-parts-mismatch": "资金构成不符",
    "spending-plan-decreasing": "支出计划进度倒退",
    "spending-plan-incomplete": "支出计划未到100%",
    "no-indicators": "没有绩效指标",
    "satisfaction-missing": "缺少满意度指标",
    "duplicate-indicator": "指标名称重复",
    "target-missing": "指标值为空",
    "target-unreadable": "指标值无法识别",
    "unit-broken": "单位无法识别",
    "unit-missing": "缺少单位",
    "unit-mismatch": "单位与指标不符",
    "name-repeated-in-value": "指标值重复指标名称",
    "qualitative-needs-number": "应为数值却是文字",
    "vague-target": "指标值不可衡量",
    "misfiled-value": "指标值与类别不符",
    "cost-without-amount": "成本指标不是金额",
    "coefficient-mismatch": "得分系数不符",
    "target-adjusted": "指标值经过调整",
    "level1-missing": "缺少一级指标",
    "cost-level-missing": "没有成本指标",
    "core-indicator-missing": "缺少可量化的数量指标",
    "date-outside-period": "日期超出项目期间",
    "target-below-last-year": "目标低于上年",
    "target-below-last-actual": "目标低于上年实际完成",
    "indicator-dropped": "上年指标未延续",
    "last-year-unmatched": "上年无对应项目",
    "grade-mismatch": "自评等级与总分不符",
}


def finding_name(code: str) -> str:
    """The Chinese name of a finding code (``full-marks-on-miss`` → 未完成却得满分), or the code."""
    return CODE_NAMES.get(code, code)


@attrs.frozen
class Finding:
    """One review finding.

    ``row`` is the source row number (None for document-wide findings),
    ``project`` the project name for target tables, ``text`` the cell text the
    finding is about (e.g. ``≥30项 → 68项``), ``numbers`` the figures used,
    as strings so that they serialise exactly.
    """

    code: str
    severity: FindingSeverity
    message: str
    suggestion: str = ""
    row: int | None = None
    project: str = ""
    text: str = ""
    numbers: dict[str, str] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: ``code``, ``severity``, ``project``, ``row``, ``text``, …"""
        return {
            "code": self.code,
            "name": finding_name(self.code),
            "severity": self.severity.value,
            "project": self.project,
            "row": self.row,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
            "numbers": dict(self.numbers),
        }
