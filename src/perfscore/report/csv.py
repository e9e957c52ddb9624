"""Render an evaluation as CSV rows that the tabular reader reads back."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ..indicators import SELF_EVALUATION_HEADER
from ..parse.values import format_decimal
from ..review.reviewed import has_review
from ..score.rollup import Evaluation
from ..score.scoring import Score
from ._common import (
    STATUS_LABELS,
    _weight,
    display_places,
    fmt,
    neutralise,
)
from .sections import ROW_NOTE_FIELDS

# --- CSV ------------------------------------------------------------------------------

# The official columns (SELF_EVALUATION_HEADER) in their order, with the row number first and
# perfscore's own columns before the reason, so the tabular reader reads the file back.
CSV_HEADERS = (
    "行号",
    *SELF_EVALUATION_HEADER[:-1],
    "方案得分",
    "填报得分",
    "状态",
    "得分说明",
    SELF_EVALUATION_HEADER[-1],
)


def to_csv(evaluation: Evaluation) -> str:
    """Return the rows as CSV that the tabular reader reads back (得分 = the counted score).

    Below the indicator rows come the execution figures and the 总分 row, as
    ``label, value`` rows.  Texts that a spreadsheet would run as a formula
    are prefixed with ``'``.
    """
    places = display_places(evaluation)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # 年初/调整后指标值, 评(扣)分标准, 得分系数, 指标值来源: columns only when a row has them.
    extra = [
        (field, label)
        for field, label in ROW_NOTE_FIELDS
        if any(getattr(s.indicator, field) not in ("", None) for s in evaluation.scores)
    ]
    reviewed = has_review(evaluation)
    writer.writerow(
        [*CSV_HEADERS, *(label for _, label in extra), *(REVIEW_HEADERS if reviewed else ())]
    )
    rows = [
        *(_csv_row(s, places) + _extra_cells(s, extra) for s in evaluation.scores),
        *_csv_footer(evaluation, places),
    ]
    if reviewed:
        # The reviewer's columns come last, beside the unit's: 审核得分, 审核意见.
        for score, row in zip(evaluation.scores, rows, strict=False):
            i = score.indicator
            row += [fmt(i.reviewed, places), neutralise(i.review_note)]
    # Every cell, footers and grade names included, is neutralised in one place.
    writer.writerows([neutralise(str(cell)) for cell in row] for row in rows)
    return out.getvalue()


# The reviewer's columns, written only when the evaluation has them.
REVIEW_HEADERS = ("审核得分", "审核意见")


def _csv_row(score: Score, places: int) -> list[str]:
    i = score.indicator
    texts = [i.goal, i.level1, i.level2, i.level3, i.target, i.actual]
    numbers = [_weight(i.weight), fmt(score.counted, places), fmt(score.computed, places)]
    notes = [STATUS_LABELS[score.status], score.explanation, i.reason]
    cells = [neutralise(t) for t in texts] + numbers + [fmt(score.published, places)]
    return [str(i.row), *cells, *(neutralise(n) for n in notes)]


def _extra_cells(score: Score, extra: list[tuple[str, str]]) -> list[str]:
    values = [getattr(score.indicator, field) for field, _ in extra]
    return [format_decimal(v) if isinstance(v, Decimal) else neutralise(v or "") for v in values]


def _csv_footer(evaluation: Evaluation, places: int) -> list[list[str]]:
    width = len(CSV_HEADERS)
    rows: list[list[str]] = []
    execution = evaluation.execution
    if execution is not None:
        rows += [
            ["全年预算数(A)", format_decimal(execution.budget)],
            ["全年执行数(B)", format_decimal(execution.executed)],
            ["预算执行率得分", fmt(execution.counted, places)],
        ]
    total = [""] * width
    total[0], total[CSV_HEADERS.index("分值")] = "总分", _weight(_total_weight(evaluation))
    total[CSV_HEADERS.index("得分")] = fmt(evaluation.total, places)
    total[CSV_HEADERS.index("状态")] = evaluation.grade
    return [*rows, total]


def _total_weight(evaluation: Evaluation) -> Decimal:
    execution = evaluation.execution
    return evaluation.indicator_weight + (execution.weight if execution else Decimal(0))


def with_sheet_column(sheets: list[tuple[str, str]]) -> str:
    """Join the CSV of several sheets into one table: a leading 工作表 column, one header.

    Each part is a :func:`to_csv` output; a program (pandas, Excel) reads the result as one
    table, where banner lines between sheets broke it.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("工作表", *CSV_HEADERS))
    for sheet, text in sheets:
        rows = list(csv.reader(io.StringIO(text)))[1:]
        writer.writerows([neutralise(sheet), *row] for row in rows)
    return out.getvalue()
