"""The one verdict: whether a scored document is graded, and if not, why.

Every path that scores a document — :func:`perfscore.evaluate`, ``perfscore score``,
``perfscore batch``, :mod:`perfscore.scale.frames` and :mod:`perfscore.scale.dask` —
reads its grade and its status from :func:`decide`; none decides for itself.  The rule
(``docs/scoring.md``, "The verdict") is:

A document is **graded** (优/良/中/差) only when every one of these holds —

==========================  ==================================================================
``no-rows``                 at least one indicator row was read (else status ``empty``)
``target-table``            it is a self-evaluation, not a 绩效目标表 (no actuals to grade)
``read-errors``             reading found no errors (a cell that could not be read)
``weights``                 the weights read, execution included, add up to the full marks
``rows-need-review``        no row needs review — or the grade is the same whatever those rows
                            score, from 0 to their weight (then the verdict carries a note)
``unsaved-formulas``        no published score is a spreadsheet formula whose value was never saved
``score-above-weight``      no row's counted score is above its weight
``full-marks-on-miss``      no row claims full marks for a target the scheme finds missed
``total-mismatch``          the published 总分, if any, equals the sum of its published parts
``total-above-full-marks``  the total is not above the full marks
==========================  ==================================================================

Otherwise its status is ``needs_review``: the total is shown, no grade is given, and the
reasons say, in Chinese and English, what a person must look at.  A file that cannot be
read at all is ``failed`` (only ``batch`` sees those; ``score`` stops with the error).

The facts the rule needs are a :class:`Tally` — counts and sums that add across rows,
partitions and workers exactly (Decimals), so the Dask path decides from partition sums
with the same function as a single process.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from ..parse.values import format_decimal

__all__ = ["Reason", "Tally", "Verdict", "VerdictStatus", "decide"]

_ZERO = Decimal(0)


class VerdictStatus(enum.Enum):
    """A document's status: graded, or why not."""

    GRADED = "graded"
    NEEDS_REVIEW = "needs_review"
    EMPTY = "empty"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """The status in Chinese, as reports show it."""
        return _LABELS[self]


_LABELS = {
    VerdictStatus.GRADED: "已评级",
    VerdictStatus.NEEDS_REVIEW: "需复核，未评级",
    VerdictStatus.EMPTY: "无指标，未评级",
    VerdictStatus.FAILED: "读取失败",
}


@attrs.frozen
class Reason:
    """One reason a document is not graded, with a stable code."""

    code: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} ({self.en})"


@attrs.frozen
class Verdict:
    """The decision on one document: status, grade ("" unless graded) and the reasons."""

    status: VerdictStatus
    grade: str = ""
    reasons: tuple[Reason, ...] = ()
    # What a person should still know about a graded document (rows to check that
    # cannot change the grade).
    notes: tuple[Reason, ...] = ()

    @property
    def graded(self) -> bool:
        """Whether the document was given a grade."""
        return self.status is VerdictStatus.GRADED

    @property
    def text(self) -> str:
        """The reasons as one line ("" when graded)."""
        return "；".join(str(r) for r in self.reasons)

    @property
    def codes(self) -> tuple[str, ...]:
        """The reasons' codes, in order."""
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict[str, object]:
        """The verdict as JSON-ready data."""
        return {
            "status": self.status.value,
            "label": self.status.label,
            "graded": self.graded,
            "grade": self.grade,
            "reasons": [{"code": r.code, "zh": r.zh, "en": r.en} for r in self.reasons],
            "notes": [{"code": r.code, "zh": r.zh, "en": r.en} for r in self.notes],
        }

    @classmethod
    def failed(cls, why: str) -> Verdict:
        """The verdict on a file that could not be read at all."""
        return cls(VerdictStatus.FAILED, "", (Reason("unreadable", why, "file could not be read"),))


@attrs.frozen
class Tally:
    """Counts and sums over scored rows that the verdict needs; they add exactly."""

    rows: int = 0
    weight: Decimal = _ZERO
    counted: Decimal = _ZERO
    published_parts: Decimal = _ZERO
    needs_review: int = 0
    # The weights and counted points of the rows that need review: the grade is certain
    # only if it is the same whatever they score between 0 and their weight.
    review_weight: Decimal = _ZERO
    review_counted: Decimal = _ZERO
    above_weight: int = 0
    full_marks_on_miss: int = 0
    # Published scores that are spreadsheet formulas whose value was never saved.
    unsaved_formulas: int = 0

    def __add__(self, other: Tally) -> Tally:
        mine, theirs = attrs.astuple(self), attrs.astuple(other)
        return Tally(*(a + b for a, b in zip(mine, theirs, strict=True)))

    @classmethod
    def of_row(
        cls,
        *,
        weight: Decimal | None,
        counted: Decimal,
        computed: Decimal | None,
        published: Decimal | None,
        needs_review: bool,
        unsaved_formula: bool = False,
    ) -> Tally:
        """The tally of one scored row (from a Score or a flat record alike)."""
        shown = weight if weight is not None else _ZERO
        return cls(
            rows=1,
            weight=shown,
            counted=counted,
            # As the audit adds them: the published score, else the scheme's (0 if none).
            published_parts=published if published is not None else (computed or _ZERO),
            needs_review=int(needs_review),
            review_weight=shown if needs_review else _ZERO,
            review_counted=counted if needs_review else _ZERO,
            above_weight=int(weight is not None and counted > weight),
            unsaved_formulas=int(unsaved_formula),
            full_marks_on_miss=int(
                weight is not None
                and published is not None
                and computed is not None
                and published == weight
                and computed < weight
            ),
        )

    @classmethod
    def total(cls, tallies: Iterable[Tally]) -> Tally:
        """The sum of ``tallies``: each field added up in order, from its default (0).

        It runs once per document over every row, so the fields are named, not looked
        up; :data:`_FIELDS` must list every field (checked below, at import).
        """
        rows = needs_review = above_weight = full_marks_on_miss = unsaved_formulas = 0
        weight = counted = published_parts = review_weight = review_counted = _ZERO
        for tally in tallies:
            rows += tally.rows
            weight += tally.weight
            counted += tally.counted
            published_parts += tally.published_parts
            needs_review += tally.needs_review
            review_weight += tally.review_weight
            review_counted += tally.review_counted
            above_weight += tally.above_weight
            full_marks_on_miss += tally.full_marks_on_miss
            unsaved_formulas += tally.unsaved_formulas
        return cls(
            rows=rows,
            weight=weight,
            counted=counted,
            published_parts=published_parts,
            needs_review=needs_review,
            review_weight=review_weight,
            review_counted=review_counted,
            above_weight=above_weight,
            full_marks_on_miss=full_marks_on_miss,
            unsaved_formulas=unsaved_formulas,
        )


_FIELDS = tuple(f.name for f in attrs.fields(Tally))
# Tally.total adds these by name: a new field must be added there too.
if set(_FIELDS) != {
    "rows", "weight", "counted", "published_parts", "needs_review", "review_weight",
    "review_counted", "above_weight", "full_marks_on_miss", "unsaved_formulas",
}:  # fmt: skip
    raise AssertionError(f"Tally.total does not add every field of Tally: {_FIELDS}")


def decide(
    tally: Tally,
    grade_of: Callable[[Decimal], str],
    *,
    full_marks: Decimal | None = Decimal(100),
    execution_weight: Decimal | None = None,
    execution_counted: Decimal | None = None,
    execution_published: Decimal | None = None,
    published_total: Decimal | None = None,
    target_table: bool = False,
    read_errors: Sequence[str] = (),
    recompute: bool = False,
    total: Decimal | None = None,
) -> Verdict:
    """Decide the verdict from the facts; ``grade_of(total)`` names the grade (a scheme's).

    ``full_marks`` None skips the weights check (a caller that knows none).  ``total`` is
    the document's final total when the roll-up rescaled or rounded the sum of its parts
    (不适用 rows, a scheme's total rounding); the sum of the parts otherwise.  With
    ``recompute`` the total is the scheme's own, so the unit's published claims (full
    marks on a miss, its 总分's arithmetic) cannot change the grade and are left to the
    audit.
    """
    if recompute:
        tally = attrs.evolve(tally, full_marks_on_miss=0)
        published_total = None
    if tally.rows == 0:
        return Verdict(
            VerdictStatus.EMPTY,
            "",
            (Reason("no-rows", "未读到任何指标行，不评定等级", "no indicator rows were read"),),
        )
    reasons = list(_reasons(tally, full_marks, execution_weight, target_table, read_errors))
    parts = tally.counted + (execution_counted or _ZERO)
    total = parts if total is None else total
    if published_total is not None:
        parts = tally.published_parts + (
            execution_published if execution_published is not None else (execution_counted or _ZERO)
        )
        if parts != published_total:
            reasons.append(
                Reason(
                    "total-mismatch",
                    f"填报总分 {format_decimal(published_total)} 与各项填报得分之和"
                    f" {format_decimal(parts)} 不一致",
                    "the published total is not the sum of its parts",
                )
            )
    if full_marks is not None and total > full_marks:
        reasons.append(
            Reason(
                "total-above-full-marks",
                f"总分 {format_decimal(total)} 超过满分 {format_decimal(full_marks)}",
                "the total is above the full marks",
            )
        )
    notes: tuple[Reason, ...] = ()
    if tally.needs_review:
        low = total - tally.review_counted
        high = low + tally.review_weight
        if grade_of(low) == grade_of(high):
            notes = (
                Reason(
                    "rows-need-review",
                    f"{tally.needs_review}/{tally.rows} 行需人工复核；无论其得分如何（总分在"
                    f" {format_decimal(low)}–{format_decimal(high)} 之间），"
                    f"等级均为{grade_of(total)}",
                    f"{tally.needs_review} rows need review; the grade holds whatever they score",
                ),
            )
        else:
            reasons.append(
                Reason(
                    "rows-need-review",
                    f"{tally.needs_review}/{tally.rows} 行需人工复核，其得分可使总分在"
                    f" {format_decimal(low)}–{format_decimal(high)} 之间，等级未定",
                    f"{tally.needs_review} of {tally.rows} rows need review and could change"
                    " the grade",
                )
            )
    if reasons:
        return Verdict(VerdictStatus.NEEDS_REVIEW, "", tuple(reasons))
    return Verdict(VerdictStatus.GRADED, grade_of(total), (), notes)


def _reasons(
    tally: Tally,
    full_marks: Decimal | None,
    execution_weight: Decimal | None,
    target_table: bool,
    read_errors: Sequence[str],
) -> Iterable[Reason]:
    if target_table:
        yield Reason(
            "target-table",
            "这是绩效目标表，没有实际完成值可评分；请先用 perfscore template 生成自评表",
            "a target table has no actuals to grade: start a self-evaluation with"
            " perfscore template",
        )
    if read_errors:
        yield Reason(
            "read-errors",
            f"读取时发现 {len(read_errors)} 个错误，如：{read_errors[0]}",
            f"{len(read_errors)} reading errors",
        )
    weights = tally.weight + (execution_weight or _ZERO)
    if full_marks is not None and weights != full_marks:
        missing = "（未读到预算执行分值）" if execution_weight is None else ""
        yield Reason(
            "weights",
            f"读到的分值合计 {format_decimal(weights)}{missing}，不等于满分"
            f" {format_decimal(full_marks)}",
            f"weights read add up to {format_decimal(weights)}, not {format_decimal(full_marks)}",
        )
    if tally.unsaved_formulas:
        yield Reason(
            "unsaved-formulas",
            f"{tally.unsaved_formulas} 行的得分是未保存计算结果的公式，请用 Excel 或 WPS"
            " 打开并保存后重新评分",
            f"{tally.unsaved_formulas} published scores are formulas with no saved value:"
            " open and save the file in Excel or WPS, then score it again",
        )
    if tally.above_weight:
        yield Reason(
            "score-above-weight",
            f"{tally.above_weight} 行得分超过分值",
            f"{tally.above_weight} rows score above their weight",
        )
    if tally.full_marks_on_miss:
        yield Reason(
            "full-marks-on-miss",
            f"{tally.full_marks_on_miss} 行目标未完成却填报满分",
            f"{tally.full_marks_on_miss} rows claim full marks on a missed target",
        )
