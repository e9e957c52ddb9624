"""The review layer: the reviewer's 审核得分 beside the unit's 自评得分, row by row and in total.

A reviewer (主管部门审核, 财政复核, a third party) writes a score and an opinion
next to the unit's own (columns 审核得分 / 主管部门评分 / 评定得分 / 复核得分 and
审核意见 / 复核意见; see :data:`perfscore.indicators.COLUMNS`).  :func:`compare`
keeps the two apart and explains every difference; the reports show them side by
side.

Rules (docs/review.md):

- a row whose 审核得分 is blank was not reviewed: the reviewed total counts the
  unit's score for it and says how many rows that is;
- the difference is 审核 − 自评 (negative when the reviewer deducted), compared with
  the scheme's score too, so "审核与方案一致" shows where the reviewer applied the rule;
- :func:`deduction_flags` marks rows a person should consider deducting on, whatever
  the scores: an actual at 120% or more of a ≥ target (目标可能偏低), a met ``=``
  target whose actual is not the target, and a missed ≤ (reverse) or ``=`` target.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..parse.values import Comparator, Quantity, format_decimal
from ..score.rollup import Evaluation
from ..score.scoring import Score

__all__ = [
    "FLAG_NAMES",
    "ReviewComparison",
    "RowReview",
    "compare",
    "deduction_flags",
    "has_review",
]

_ZERO = Decimal(0)
# Over-achievement at or above this share of the target is flagged (1.2 = 120%).
OVER_FLAG = Decimal("1.2")
FLAG_NAMES = {
    "over-120": "超额完成≥120%，目标可能偏低",
    "equal-not-exact": "“=”目标判为完成，但完成值与目标不同",
    "reverse-miss": "反向指标（≤）未完成",
    "equal-miss": "“=”指标未完成",
}


def has_review(evaluation: Evaluation) -> bool:
    """Whether any row carries a reviewer's score or opinion."""
    return any(
        s.indicator.reviewed is not None or s.indicator.review_note for s in evaluation.scores
    )


def deduction_flags(score: Score) -> tuple[str, ...]:
    """Codes of :data:`FLAG_NAMES` that apply to a row (a person decides on a deduction)."""
    flags = []
    target, actual = score.target, score.actual
    comparator = target.comparator if isinstance(target, Quantity) else None
    over = score.over_share
    if comparator in (Comparator.GE, Comparator.GT) and over is not None and over + 1 >= OVER_FLAG:
        flags.append("over-120")
    met = score.computed is not None and score.computed >= score.weight
    missed = score.computed is not None and score.computed < score.weight
    exact = (
        isinstance(target, Quantity)
        and isinstance(actual, Quantity)
        and actual.unit == target.unit
        and actual.magnitude == target.magnitude
    )
    if comparator is Comparator.EQ and met and isinstance(actual, Quantity) and not exact:
        flags.append("equal-not-exact")
    if comparator in (Comparator.LE, Comparator.LT) and missed:
        flags.append("reverse-miss")
    if comparator is Comparator.EQ and missed:
        flags.append("equal-miss")
    return tuple(flags)


@attrs.frozen
class RowReview:
    """One row: the unit's score, the reviewer's, the scheme's, the difference and why."""

    row: int
    name: str
    weight: Decimal
    published: Decimal | None
    reviewed: Decimal | None
    computed: Decimal | None
    note: str
    flags: tuple[str, ...]
    explanation: str

    @property
    def difference(self) -> Decimal | None:
        """审核 − 自评 (None unless both are there)."""
        if self.reviewed is None or self.published is None:
            return None
        return self.reviewed - self.published

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (decimals as strings)."""
        return {
            "row": self.row,
            "name": self.name,
            "weight": format_decimal(self.weight),
            "published": _text(self.published),
            "reviewed": _text(self.reviewed),
            "computed": _text(self.computed),
            "difference": _text(self.difference),
            "review_note": self.note,
            "flags": [{"code": f, "name": FLAG_NAMES[f]} for f in self.flags],
            "explanation": self.explanation,
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


@attrs.frozen
class ReviewComparison:
    """The project: 自评总分, 审核总分, their difference and a sentence that explains it."""

    rows: tuple[RowReview, ...]
    published_total: Decimal
    reviewed_total: Decimal
    reviewed_rows: int
    explanation: str

    @property
    def difference(self) -> Decimal:
        """审核总分 − 自评总分."""
        return self.reviewed_total - self.published_total

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (decimals as strings)."""
        return {
            "published_total": format_decimal(self.published_total),
            "reviewed_total": format_decimal(self.reviewed_total),
            "difference": format_decimal(self.difference),
            "reviewed_rows": self.reviewed_rows,
            "explanation": self.explanation,
            "rows": [r.to_dict() for r in self.rows],
        }


def _row(score: Score) -> RowReview:
    i = score.indicator
    published, reviewed, computed = i.published, i.reviewed, score.computed
    parts = []
    if reviewed is None:
        parts.append("未审核，按自评得分计" if published is not None else "未审核")
    elif published is None:
        parts.append(f"审核得分 {format_decimal(reviewed)}，单位未填自评得分")
    elif reviewed == published:
        parts.append("审核认可自评得分")
    else:
        change = reviewed - published
        verb = "扣减" if change < 0 else "调增"
        parts.append(
            f"审核{verb} {format_decimal(abs(change))} 分"
            f"（自评 {format_decimal(published)} → 审核 {format_decimal(reviewed)}）"
        )
    if reviewed is not None and computed is not None:
        parts.append(
            "与方案得分一致"
            if reviewed == computed
            else f"方案得分 {format_decimal(computed)}，审核与方案相差 "
            f"{format_decimal(reviewed - computed)} 分"
        )
    if reviewed is not None and reviewed > score.weight:
        parts.append(f"审核得分超过分值 {format_decimal(score.weight)}，请核对")
    if i.review_note:
        parts.append(f"审核意见：{i.review_note}")
    flags = deduction_flags(score)
    if flags:
        parts.append("提请人工判断扣分：" + "；".join(FLAG_NAMES[f] for f in flags))
    name = i.level3 or f"第{i.row}行"
    return RowReview(
        i.row, name, score.weight, published, reviewed, computed, i.review_note, flags,
        "；".join(parts),
    )  # fmt: skip


def compare(evaluation: Evaluation) -> ReviewComparison:
    """Compare the reviewer's scores with the unit's, row by row and in total.

    The totals add the budget-execution points (the unit's, as published or computed)
    to both sides, so they match the form's 总分.
    """
    rows = tuple(_row(s) for s in evaluation.scores)
    execution = evaluation.execution
    extra = _ZERO
    if execution is not None:
        extra = execution.published if execution.published is not None else execution.computed
    published = sum((r.published or _ZERO for r in rows), _ZERO) + extra
    reviewed = (
        sum(
            (r.reviewed if r.reviewed is not None else (r.published or _ZERO) for r in rows),
            _ZERO,
        )
        + extra
    )
    done = sum(1 for r in rows if r.reviewed is not None)
    return ReviewComparison(
        rows, published, reviewed, done, _explain(rows, published, reviewed, done)
    )


def _explain(rows: Sequence[RowReview], published: Decimal, reviewed: Decimal, done: int) -> str:
    head = f"自评总分 {format_decimal(published)}，审核总分 {format_decimal(reviewed)}"
    changed = [r for r in rows if r.difference]
    if not changed:
        body = "审核未调整任何得分"
    else:
        moves = "、".join(
            f"第{r.row}行{r.name} {'+' if (r.difference or 0) > 0 else ''}"
            f"{format_decimal(r.difference or _ZERO)}"
            for r in changed[:6]
        )
        more = f"等 {len(changed)} 行" if len(changed) > 6 else f"共 {len(changed)} 行"
        body = f"相差 {format_decimal(reviewed - published)} 分：{moves}（{more}）"
    tail = f"；{len(rows) - done} 行未审核，按自评得分计" if done < len(rows) else ""
    flagged = sum(1 for r in rows if r.flags)
    if flagged:
        tail += f"；{flagged} 行提请人工判断扣分"
    return f"{head}，{body}{tail}。"
