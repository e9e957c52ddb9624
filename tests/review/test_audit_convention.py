"""audit reports a deviation the table's own convention explains as information."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from perfscore import Indicator, evaluate
from perfscore.review.audit import audit
from perfscore.review.findings import FindingSeverity


def _rows() -> list[Indicator]:
    """Twenty rows rounded down to whole points, and one row scored by no rule."""
    rows = []
    for n in range(1, 21):
        weight, done = Decimal(3 + n % 5), 500 + 23 * n
        score = (weight * done / 1000).quantize(Decimal(1), rounding=ROUND_DOWN)
        rows.append(Indicator(row=n, level3=f"指标{n}", target="≥1000项", actual=f"{done}项",
                              weight=weight, published=score, reason="未完成"))  # fmt: skip
    rows.append(Indicator(row=21, level3="另一指标", target="≥100人", actual="80人",
                          weight=Decimal(5), published=Decimal(1), reason="未完成"))  # fmt: skip
    return rows


def test_convention_is_information() -> None:
    """Rows rounded down to whole points are 按××规则 info; the odd row stays a warning."""
    findings = audit(evaluate(_rows()))
    by_row = {f.row: f for f in findings if f.code.startswith(("deviation-", "full-marks"))}
    convention = [f for f in by_row.values() if f.code == "deviation-convention"]
    assert len(convention) >= 15
    assert all(f.severity is FindingSeverity.INFO for f in convention)
    assert "舍入位数 0" in convention[0].message
    assert "按本表采用的「" in convention[0].message
    assert by_row[21].code == "deviation-other"
    assert by_row[21].severity is FindingSeverity.WARNING


def test_no_convention_for_one_row() -> None:
    """A single row rounded another way is not a convention: it stays a deviation finding."""
    rows = [
        Indicator(row=n, level3=f"指标{n}", target="≥1000项", actual=f"{500 + 23 * n}项",
                  weight=Decimal(3), published=(Decimal(3) * (500 + 23 * n) / 1000).quantize(
                      Decimal("0.01")), reason="x")
        for n in range(1, 11)
    ]  # fmt: skip
    rows[0] = Indicator(row=1, level3="指标1", target="≥1000项", actual="523项",
                        weight=Decimal(3), published=Decimal(1), reason="x")  # fmt: skip
    codes = {f.code for f in audit(evaluate(rows)) if f.row == 1}
    assert "deviation-convention" not in codes
    assert "deviation-other" in codes
