"""Tests for perfscore.audit: every finding code, and the seed 002 review."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from perfscore import Document, Indicator, evaluate
from perfscore.documents import DocumentKind
from perfscore.readers import read
from perfscore.review.audit import audit
from perfscore.review.findings import Finding, FindingSeverity
from review_cli import run

SEED002 = Path(__file__).parents[2] / "examples" / "data" / "tianjin-2024-self-evaluation.txt"
D = Decimal


def row(
    target: str,
    actual: str,
    weight: str,
    published: str | None,
    reason: str = "",
    level1: str = "产出指标",
    level2: str = "数量指标",
) -> Indicator:
    """One indicator row as a self-evaluation writes it."""
    return Indicator(
        row=1,
        level1=level1,
        level2=level2,
        level3="测试指标",
        target=target,
        actual=actual,
        weight=D(weight),
        published=None if published is None else D(published),
        reason=reason,
    )


def filler(weight: str) -> Indicator:
    """A met indicator that brings the weights up to 90."""
    return Indicator(
        row=99,
        level1="产出指标",
        level3="补足",
        target="≥1项",
        actual="1项",
        weight=D(weight),
        published=D(weight),
    )


def codes_for(*rows: Indicator, document: Document | None = None, **kwargs: Any) -> list[str]:
    """The finding codes audit reports for ``rows`` padded to 90 points with execution 10."""
    weight = sum((r.weight or D(0) for r in rows), D(0))
    padded = [*rows, filler(str(90 - weight))] if weight < 90 else list(rows)
    options: dict[str, Any] = {"budget": D(100), "executed": D(100)} | kwargs
    return [f.code for f in audit(evaluate(padded, **options), document)]


# code → the row that should produce it (published scores as units really write them).
ROW_CASES: dict[str, Indicator] = {
    "deviation-over-achievement": row("≥30项", "68项", "2", "1.5", reason="目标偏低"),
    "deviation-reverse-rule": row(
        "≤100万元", "125万元", "1", "0.75", reason="超支", level2="成本指标"
    ),
    "deviation-qualitative": row(
        "提升", "基本完成", "2", "1.3", reason="部分完成", level1="效益指标", level2="社会效益指标"
    ),
    "deviation-rounding": row("≥3项", "2项", "1", "0.7", reason="未完成"),
    "deviation-other": row("≥100人", "80人", "1", "0.5", reason="未完成"),
    "full-marks-on-miss": row("≥100人", "50人", "2", "2"),
    "score-above-weight": row("≥10项", "10项", "2", "3"),
    "qualitative-out-of-band": row(
        "提升", "已完成", "2", "1", reason="判断", level1="效益指标", level2="社会效益指标"
    ),
    "lost-without-reason": row("≥10项", "5项", "2", "1"),
    "over-achievement": row("≥10项", "20项", "2", "2"),
    "row-needs-review": row("≥10人", "进行中", "2", None),
}


@pytest.mark.parametrize(("code", "indicator"), ROW_CASES.items(), ids=list(ROW_CASES))
def test_row_codes(code: str, indicator: Indicator) -> None:
    """Each row finding code is reported for the small row built to show it."""
    assert code in codes_for(indicator)


def test_a_met_row_gives_no_finding() -> None:
    """A met target scored as the scheme says gives no row finding at all."""
    assert codes_for(row("≥10项", "12项", "2", "2")) == []


def test_deviation_codes_are_exclusive() -> None:
    """A differing score gets exactly one deviation-* explanation."""
    for indicator in ROW_CASES.values():
        deviations = [c for c in codes_for(indicator) if c.startswith(("deviation-", "full-"))]
        assert len(deviations) <= 1


def test_reverse_rule_names_the_matching_rule() -> None:
    """A ≤ target scored by linear deduction is recognised as the linear rule."""
    (finding,) = [
        f
        for f in _findings(ROW_CASES["deviation-reverse-rule"])
        if f.code == "deviation-reverse-rule"
    ]
    assert "线性扣减" in finding.numbers["matches"]
    assert finding.numbers["rule_1"] == "0.8"  # A/B × 1 = 100/125
    assert finding.numbers["rule_2"] == "0.75"


def test_qualitative_within_band_is_not_out_of_band() -> None:
    """65% of the weight for 基本完成 is a judgement inside 部分达成 [60%, 80%)."""
    assert "qualitative-out-of-band" not in codes_for(ROW_CASES["deviation-qualitative"])


def test_over_achievement_says_kept_and_reason() -> None:
    """The over-achievement message says whether marks were kept and a reason given."""
    (finding,) = [
        f for f in _findings(ROW_CASES["over-achievement"]) if f.code == "over-achievement"
    ]
    assert "仍得满分" in finding.message
    assert "未说明原因" in finding.message
    assert finding.numbers["over_share"] == "1"


def _findings(*rows: Indicator, **kwargs: Any) -> tuple[Finding, ...]:
    weight = sum((r.weight or D(0) for r in rows), D(0))
    options: dict[str, Any] = {"budget": D(100), "executed": D(100)} | kwargs
    return audit(evaluate([*rows, filler(str(90 - weight))], **options))


def _document(**fields: Any) -> Document:
    return Document(path="", kind=DocumentKind.SELF_EVALUATION, **fields)


DOCUMENT_CASES: list[tuple[str, dict[str, Any], Document | None]] = [
    ("weights-not-100", {"budget": None, "executed": None}, _document(execution_weight=D(5))),
    ("total-mismatch", {"published_total": D(99)}, None),
    ("total-adds-up", {"published_total": D(100)}, None),
    ("execution-score-differs", {"execution_published": D(9)}, None),
    ("execution-low-no-reason", {"executed": D(70)}, _document()),
    ("execution-attainment-divergence", {"executed": D(70)}, None),
]


@pytest.mark.parametrize(
    ("code", "options", "document"), DOCUMENT_CASES, ids=[c[0] for c in DOCUMENT_CASES]
)
def test_document_codes(code: str, options: dict[str, Any], document: Document | None) -> None:
    """Each document-wide code is reported for the evaluation built to show it."""
    assert code in codes_for(row("≥10项", "10项", "2", "2"), document=document, **options)


def test_weights_of_90_without_execution_block_are_fine() -> None:
    """Ninety indicator points and no execution data is the 90 + 10 form, not an error."""
    assert "weights-not-100" not in codes_for(
        row("≥10项", "10项", "2", "2"), budget=None, executed=None
    )


def test_low_execution_with_reason_is_fine() -> None:
    """An execution rate below 90% with an explanation needs no finding."""
    document = _document(execution_reason="项目跨年度实施")
    codes = codes_for(row("≥10项", "10项", "2", "2"), document=document, executed=D(85))
    assert "execution-low-no-reason" not in codes


def test_low_attainment_with_full_spending_diverges() -> None:
    """Money spent while most points are lost is flagged too."""
    rows = [row("≥100项", "10项", "90", "9", reason="未完成")]
    assert "execution-attainment-divergence" in codes_for(*rows)


# --- seed 002 -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed002() -> tuple[Finding, ...]:
    """The audit of seed 002 as read from its text export."""
    document = read(SEED002)
    evaluation = evaluate(
        document.indicators,
        budget=document.budget,
        executed=document.executed,
        execution_published=document.execution_published,
        year=document.year,
        published_total=document.published_total,
    )
    return audit(evaluation, document)


def test_seed002_rule_deviations(seed002: tuple[Finding, ...]) -> None:
    """Seed 002 has exactly three rule deviations: two over-achievement cuts and one cost."""
    deviations = {
        (f.code, f.text.replace(" ", ""))
        for f in seed002
        if f.code.startswith(("deviation-", "full-marks"))
    }
    assert deviations == {
        ("deviation-over-achievement", "≥30项→68项"),
        ("deviation-over-achievement", "≥300项→498项"),
        ("deviation-reverse-rule", "≤34403.58万元→44316.45万元"),
    }


def test_seed002_reverse_rule_figures(seed002: tuple[Finding, ...]) -> None:
    """The cost row's 0.3 matches neither A/B (0.78) nor linear deduction (0.71)."""
    (finding,) = [f for f in seed002 if f.code == "deviation-reverse-rule"]
    assert finding.numbers["rule_1"] == "0.78"
    assert finding.numbers["rule_2"] == "0.71"
    assert "matches" not in finding.numbers
    assert "均不一致" in finding.message


def test_seed002_over_achievement_kept(seed002: tuple[Finding, ...]) -> None:
    """≥4000家 → 7667家 is +92%, full marks kept, with a reason given."""
    (finding,) = [f for f in seed002 if f.code == "over-achievement" and "7667" in f.text]
    assert finding.row == 84
    assert "92%" in finding.message
    assert "仍得满分" in finding.message
    assert "已说明原因" in finding.message
    assert finding.numbers["deducted"] == "no"


def test_seed002_total_adds_up(seed002: tuple[Finding, ...]) -> None:
    """The published total 93.95 equals the sum of its published parts."""
    (finding,) = [f for f in seed002 if f.code in ("total-adds-up", "total-mismatch")]
    assert finding.code == "total-adds-up"
    assert finding.severity is FindingSeverity.INFO
    assert finding.numbers == {"published_total": "93.95", "parts": "93.95"}


def test_seed002_has_no_errors(seed002: tuple[Finding, ...]) -> None:
    """Seed 002 breaks no hard rule: weights, total and caps are all in order."""
    assert [f.code for f in seed002 if f.severity is FindingSeverity.ERROR] == []


# --- CLI ----------------------------------------------------------------------------------


def test_cli_audit_table() -> None:
    """``perfscore audit`` prints the total, a table and the count, and exits 0."""
    status, out, _ = run("audit", str(SEED002))
    assert status == 0
    assert "总分 93.95，等级 优" in out
    assert "deviation-reverse-rule" in out
    assert "共 10 条（错误 0，警告 9，提示 1）" in out


def test_cli_audit_json() -> None:
    """``--format json`` prints the tagged findings with code, severity, row and text."""
    status, out, _ = run("audit", str(SEED002), "--format", "json")
    data = json.loads(out)
    assert (data["schema"], data["command"], data["file"]) == (
        "perfscore.findings/1",
        "audit",
        str(SEED002),
    )
    findings = data["findings"]
    assert status == 0
    assert {"code", "severity", "project", "row", "text", "message"} <= findings[0].keys()


def test_cli_audit_budget_override() -> None:
    """--budget/--executed replace the document's execution figures."""
    status, out, _ = run("audit", str(SEED002), "--budget", "100", "--executed", "60")
    assert status == 0
    assert "execution-score-differs" in out  # 9.65 published, 6 from 60 / 100


def test_cli_audit_budget_needs_executed() -> None:
    """--budget without --executed is a usage error (status 2)."""
    status, _, err = run("audit", str(SEED002), "--budget", "100")
    assert status == 2
    assert "--executed" in err


def test_cli_audit_missing_file() -> None:
    """A file that does not exist is an input problem (status 1) told on stderr."""
    status, out, err = run("audit", "no-such-file.txt")
    assert (status, out) == (1, "")
    assert "找不到文件" in err


def test_cli_audit_errors_exit_1(tmp_path: Path) -> None:
    """An audit with an ERROR finding exits with status 1."""
    path = tmp_path / "bad.csv"
    path.write_text("三级指标,年度指标值,实际完成值,分值,得分\n甲,≥10项,5项,90,90\n", "utf-8")
    status, out, _ = run("audit", str(path))
    assert status == 1
    assert "full-marks-on-miss" in out


def test_one_over_achievement_is_reported_once(seed002: tuple[Finding, ...]) -> None:
    """Seed 002 row 29 (≥30项 → 68项, cut to 1.5) is one deviation finding, not two."""
    on_row = [f.code for f in seed002 if f.text == "≥30项 → 68项"]
    assert on_row == ["deviation-over-achievement"]
