"""The one verdict: score, batch, frames and Dask decide graded-or-not by the same rule."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import forms
from perfscore import Indicator, evaluate
from perfscore.cli import main
from perfscore.scale.batch import score_file
from perfscore.score.scheme import load_scheme
from perfscore.score.verdict import Tally, VerdictStatus, decide

EXAMPLES = Path(__file__).parents[2] / "examples" / "data"
GRADE = load_scheme().grade


def _row(target: str, actual: str, weight: int = 10, published: str | None = None) -> Indicator:
    return Indicator(
        row=1,
        target=target,
        actual=actual,
        weight=Decimal(weight),
        published=None if published is None else Decimal(published),
    )


def _ten(
    actual3: str = "30个", published3: str | None = None, *, twice: bool = False
) -> list[Indicator]:
    rows = [_row(f"≥{k * 10}个", f"{k * 10}个") for k in range(1, 11)]
    rows[2] = _row("≥30个", actual3, published=published3)
    if twice:  # two such rows: their 20 points can move 优 to 良
        rows[0] = _row("≥10个", actual3, published=published3)
    return rows


# --- the rule, fact by fact -------------------------------------------------------------


def test_graded_when_every_fact_holds() -> None:
    verdict = evaluate(_ten()).verdict
    assert (verdict.status, verdict.grade, verdict.reasons) == (VerdictStatus.GRADED, "优", ())


def test_empty_document_is_empty_not_graded() -> None:
    verdict = evaluate([]).verdict
    assert verdict.status is VerdictStatus.EMPTY
    assert verdict.codes == ("no-rows",)


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        (_ten()[:9], "weights"),
        (_ten("见附件", "5", twice=True), "rows-need-review"),
        (_ten("20个", "10"), "full-marks-on-miss"),
        (_ten("30个", "12"), "score-above-weight"),
    ],
)
def test_each_fact_withholds_the_grade(rows: list[Indicator], code: str) -> None:
    verdict = evaluate(rows).verdict
    assert verdict.status is VerdictStatus.NEEDS_REVIEW
    assert code in verdict.codes
    assert verdict.grade == ""
    assert all(r.zh and r.en for r in verdict.reasons)


def test_a_review_row_that_cannot_change_the_grade_leaves_it_graded_with_a_note() -> None:
    rows = [_row(f"≥{k * 10}个", f"{k * 10}个", weight=19) for k in range(1, 6)]
    rows.append(_row("健全", "情况见附件", weight=5, published="4"))
    verdict = evaluate(rows).verdict
    # 95 + 4 published; the review row can give 95..100: 优 either way.
    assert verdict.graded
    assert verdict.grade == "优"
    assert verdict.codes == ()
    assert [n.code for n in verdict.notes] == ["rows-need-review"]


def test_published_total_must_be_the_sum_of_its_parts() -> None:
    verdict = evaluate(_ten(), published_total=Decimal(99)).verdict
    assert verdict.codes == ("total-mismatch",)
    assert evaluate(_ten(), published_total=Decimal(100)).verdict.graded


def test_recompute_ignores_the_units_claims() -> None:
    """With --recompute the scheme's scores are counted: a unit's full marks cannot inflate."""
    assert evaluate(_ten("20个", "10"), recompute=True).verdict.graded


def test_target_table_and_read_errors_are_reasons() -> None:
    verdict = evaluate(_ten(), target_table=True, read_errors=["第3行：无法读取"]).verdict
    assert verdict.codes == ("target-table", "read-errors")


def test_tally_adds_exactly_in_any_grouping() -> None:
    rows = [
        Tally.of_row(
            weight=Decimal("3.3"),
            counted=Decimal("1.1"),
            computed=None,
            published=None,
            needs_review=k % 3 == 0,
        )
        for k in range(30)
    ]
    whole = Tally.total(rows)
    halves = Tally.total(rows[:7]) + Tally.total(rows[7:])
    assert whole == halves
    assert decide(whole, GRADE) == decide(halves, GRADE)


# --- every path reads the same verdict --------------------------------------------------


def _files(tmp_path: Path) -> list[Path]:
    made = [
        forms.write_project_form_xlsx(tmp_path / "form.xlsx"),
        forms.write_project_form_docx(tmp_path / "form.docx"),
        forms.write_workbook(tmp_path / "book.xlsx"),
    ]
    text = tmp_path / "form.txt"
    text.write_text(forms.project_form_text(), encoding="utf-8")
    missed = tmp_path / "missed.txt"
    missed.write_text(forms.project_form_text().replace("95场\t20\t19", "95场\t20\t20"), "utf-8")
    made += [text, missed]
    return [*sorted(EXAMPLES.glob("*.txt")), *sorted(EXAMPLES.glob("*.csv")), *made]


def _score_verdicts(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["score", str(path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    sheets = [s["evaluation"] for s in data["sheets"]] if "sheets" in data else [data]
    return code, [s["grade"] if s["graded"] else "未评级" for s in sheets]


def test_score_and_batch_give_the_same_verdict_on_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``perfscore score``'s grades and exit status agree with ``batch``'s project rows."""
    checked = 0
    for path in _files(tmp_path):
        code, grades = _score_verdicts(path, capsys)
        projects = [p for p in score_file(str(path)).projects if p["status"] != "empty"]
        batch = [p["grade"] if p["status"] == "scored" else "未评级" for p in projects]
        if len(grades) == len(batch):
            assert grades == batch, path.name
        graded_everywhere = all(p["status"] == "scored" for p in projects)
        assert (code == 0) == graded_everywhere, path.name
        checked += 1
    assert checked >= 8


def test_missed_target_with_full_marks_fails_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "missed.txt"
    path.write_text(forms.project_form_text().replace("95场\t20\t19", "95场\t20\t20"), "utf-8")
    code, grades = _score_verdicts(path, capsys)
    project = score_file(str(path)).projects[0]
    assert (code, grades, project["status"]) == (1, ["未评级"], "needs_review")
    assert "full marks" in project["reason"]


# --- parse, score and audit judge with the scheme's own phrases -------------------------

SCHEME_WITH_PHRASES = """
name = "phrases-test"
version = "1"
title = "自定义完成情况用语"
description = "推进中 counts as 部分达成."

[phrases]
partial = ["基本完成", "推进中"]
"""


def test_parse_score_and_audit_agree_under_a_scheme_with_its_own_phrases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scheme_path = tmp_path / "phrases.toml"
    scheme_path.write_text(SCHEME_WITH_PHRASES, encoding="utf-8")
    scheme = load_scheme(scheme_path)
    # parse: the command line judges the actual with the scheme's words.
    assert (
        main(["parse", "--actual", "--scheme", str(scheme_path), "--format", "json", "推进中"]) == 0
    )
    parsed = json.loads(capsys.readouterr().out)["results"][0]
    assert parsed["outcome"] == "部分达成"
    assert main(["parse", "--actual", "--format", "json", "推进中"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["outcome"] is None
    # score: the same word puts the row in the partial band (60–80%).
    row = _row("按计划推进", "推进中", published="10")
    evaluation = evaluate([row], scheme=scheme, full_marks=None)
    assert evaluation.scores[0].computed == Decimal("7.00")
    # audit: full marks for a partial row is out of band under this scheme.
    from perfscore.review.audit import audit

    codes = {f.code for f in audit(evaluation)}
    assert "qualitative-out-of-band" in codes, codes
