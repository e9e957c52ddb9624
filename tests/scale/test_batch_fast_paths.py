"""The batch's fast paths give exactly what the full paths give.

``finding_counts`` fits the table's convention only when it can change a count; here it
is compared with counting ``audit``'s findings on every kind of unit the official-layout
generator writes (Hypothesis draws the seeds), on the seed examples, on the test forms,
and with ``recompute``.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from official_batch import form_rows, write_csv, write_xlsx

from perfscore.documents import Document
from perfscore.indicators import Indicator
from perfscore.readers import read_all
from perfscore.review.audit import _convention, _row_convention, audit, finding_counts
from perfscore.review.findings import FindingSeverity
from perfscore.score import fit
from perfscore.score.fit import MIN_GAIN, _Search, fit_scheme, may_explain
from perfscore.score.rollup import Evaluation, Subtotal, _subtotal, evaluate, evaluate_document
from perfscore.score.scheme import Scheme, available_schemes, load_scheme
from perfscore.score.scoring import Score, Status, score_indicator
from perfscore.score.verdict import Tally

EXAMPLES = Path(__file__).parents[2] / "examples" / "data"
PRESETS = available_schemes()


def full_counts(findings: tuple[object, ...]) -> dict[FindingSeverity, int]:
    counted = Counter(f.severity for f in findings)  # type: ignore[attr-defined]
    return {s: counted[s] for s in FindingSeverity}


def check(path: Path, scheme: Scheme | None = None) -> None:
    for document in read_all(path, every_sheet=True):
        for recompute in (False, True):
            evaluation = evaluate_document(document, scheme=scheme, recompute=recompute)
            assert finding_counts(evaluation, document) == full_counts(audit(evaluation, document))
            same_convention(evaluation, document)
            # Several projects in a file are audited without their document, as batch does.
            bare = evaluate(document.indicators, scheme=scheme, recompute=recompute)
            assert finding_counts(bare) == full_counts(audit(bare))
            same_convention(bare, None)


def same_convention(evaluation: Evaluation, document: Document | None) -> None:
    """The counting convention scores each differing row and the execution as the fit does."""
    full, counting = _convention(evaluation, document), _row_convention(evaluation, document)
    if counting is None:
        # No convention, or one that changes only the total's rounding: it explains no
        # row and not the execution score, so counting without it is the same.
        if full is not None:
            assert not any(
                s.differs and full.row(i) == s.published for i, s in enumerate(evaluation.scores)
            )
            execution = evaluation.execution
            assert not (
                execution is not None
                and execution.differs
                and full.execution is not None
                and full.execution.computed == execution.published
            )
        return
    assert full is not None
    # The audit's rule also names the total's rounding when the fit changes it.
    shown, named = counting.rule.split("；"), full.rule.split("；")
    assert shown == [part for part in named if not part.startswith("总分")]
    for index, score in enumerate(evaluation.scores):
        if score.differs:
            assert counting.row(index) == full.row(index), score.indicator.level3
    if full.execution is not None:
        assert counting.execution is not None
        assert counting.execution.computed == full.execution.computed


@settings(max_examples=30)
@given(st.integers(0, 100_000), st.sampled_from([".csv", ".xlsx"]))
@example(661, ".csv")  # the fit also changes the total's rounding: the audit's rule names it
def test_finding_counts_are_the_audit_counts(seed: int, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"unit{suffix}"
        (write_csv if suffix == ".csv" else write_xlsx)(path, form_rows(seed))
        check(path)


@pytest.mark.parametrize("seed", range(44))
def test_finding_counts_on_every_fault(seed: int, tmp_path: Path) -> None:
    """Every fault the generator knows (seed % 11), four units each."""
    path = tmp_path / "unit.csv"
    write_csv(path, form_rows(seed))
    check(path)


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("seed", [3, 7, 8, 14, 19, 25, 30, 41])
def test_finding_counts_under_every_preset(preset: str, seed: int, tmp_path: Path) -> None:
    """Each preset fits from its own settings (places, shares, cap, cost rule, headings)."""
    path = tmp_path / "unit.csv"
    write_csv(path, form_rows(seed))
    check(path, load_scheme(preset))


@pytest.mark.parametrize(
    "name", ["tianjin-2024.csv", "tianjin-2024.xlsx", "tianjin-2024-self-evaluation.txt"]
)
def test_finding_counts_on_the_examples(name: str) -> None:
    check(EXAMPLES / name)


def test_finding_counts_on_the_forms(tmp_path: Path) -> None:
    from forms import department_form_rows, write_project_form_xlsx

    check(write_project_form_xlsx(tmp_path / "project.xlsx"))
    write_csv(tmp_path / "department.csv", department_form_rows())
    check(tmp_path / "department.csv")


# --- the roll-up's one-pass sums ----------------------------------------------------------

decimals = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False)
tallies = st.builds(
    Tally,
    rows=st.integers(0, 50),
    weight=decimals,
    counted=decimals,
    published_parts=decimals,
    needs_review=st.integers(0, 5),
    review_weight=decimals,
    review_counted=decimals,
    above_weight=st.integers(0, 3),
    full_marks_on_miss=st.integers(0, 3),
    unsaved_formulas=st.integers(0, 3),
)


@given(st.lists(tallies, max_size=60))
def test_tally_total_adds_every_field_in_order(parts: list[Tally]) -> None:
    """Tally.total is the field-by-field fold from the defaults (what it was written as)."""
    names = [f.name for f in attrs.fields(Tally)]
    sums = [getattr(Tally(), name) for name in names]
    for tally in parts:
        for at, name in enumerate(names):
            sums[at] += getattr(tally, name)
    assert Tally.total(parts) == Tally(*sums)
    assert Tally.total(iter(parts)) == Tally(*sums)


def reference_subtotal(key: tuple[str, ...], group: list[Score]) -> Subtotal:
    """The roll-up's subtotal as main wrote it: four sums."""
    reviewed = any(s.status is Status.NEEDS_REVIEW for s in group)
    computed = None
    if not reviewed:
        computed = sum(
            (s.computed if s.computed is not None else s.counted for s in group), Decimal(0)
        )
    return Subtotal(
        key=key,
        weight=sum((s.weight for s in group), Decimal(0)),
        counted=sum((s.counted for s in group), Decimal(0)),
        computed=computed,
        rows=len(group),
    )


@settings(max_examples=30)
@given(st.integers(0, 100_000), st.booleans())
def test_subtotals_are_the_four_sums(seed: int, recompute: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "unit.csv"
        write_csv(path, form_rows(seed))
        (document,) = read_all(path)
    evaluation = evaluate_document(document, recompute=recompute)
    keys = (
        lambda i: (i.goal,),
        lambda i: (i.level1,),
        lambda i: (i.level1, i.level2),
    )
    for key, subtotals in zip(
        keys, (evaluation.by_goal, evaluation.by_level1, evaluation.by_level2), strict=True
    ):
        assert sum(s.rows for s in subtotals) == len(evaluation.scores)
        for subtotal in subtotals:
            group = [s for s in evaluation.scores if key(s.indicator) == subtotal.key]
            assert subtotal == reference_subtotal(subtotal.key, group)
            assert _subtotal(subtotal.key, group) == subtotal


# --- the scheme, loaded once per process --------------------------------------------------


def test_a_scheme_file_is_loaded_again_when_it_changes(tmp_path: Path) -> None:
    """score_file keeps the scheme between files, but never a scheme file's old version."""
    import os

    from perfscore.scale import batch
    from perfscore.scale.batch import score_file

    unit = tmp_path / "unit.csv"
    write_csv(unit, form_rows(0))
    preset = Path(__file__).parents[2] / "src" / "perfscore" / "score" / "presets"
    scheme = tmp_path / "scheme.toml"
    text = (preset / "mof2020.toml").read_text(encoding="utf-8")
    scheme.write_text(text, encoding="utf-8")
    before = score_file(str(unit), str(scheme))
    assert before == score_file(str(unit), None)  # the same rules as the default
    scheme.write_text(text.replace("places = 2", "places = 0", 1), encoding="utf-8")
    os.utime(scheme, ns=(1, 1))  # the same size: the modification time tells the change
    after = score_file(str(unit), str(scheme))
    batch._last_scheme = None  # a fresh process: the file loaded anew
    assert score_file(str(unit), str(scheme)) == after
    computed = {row["computed"] for row in after.indicators if row["computed"] is not None}
    assert all(value == value.to_integral_value() for value in computed)
    assert after != before


# --- the convention search's bound ----------------------------------------------------------


def _choose_every_candidate(
    self: _Search,
    state: Any,
    candidates: Sequence[Any],
    default: Any,
    apply: Callable[[Any, Any], None],
    subset: Sequence[int] | range,
) -> None:
    """_Search._choose as it was: every candidate counted, even when none can be taken."""
    apply(state, default)
    best, best_count = default, self.explained(state, subset)
    floor = best_count + MIN_GAIN
    for candidate in candidates:
        apply(state, candidate)
        count = self.explained(state, subset)
        if count >= floor and count > best_count:
            best, best_count = candidate, count
    apply(state, best)


@pytest.mark.parametrize("preset", PRESETS)
def test_the_search_bound_changes_no_fit(
    preset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dimension whose subset is too small to gain MIN_GAIN rows is not searched: the
    same fit as counting every candidate, on every fault the generator writes."""
    scheme = load_scheme(preset)
    for seed in range(0, 44, 3):
        path = tmp_path / f"unit-{seed}.csv"
        write_csv(path, form_rows(seed))
        for document in read_all(path):
            bounded = fit_scheme(document, scheme)
            with monkeypatch.context() as patched:
                patched.setattr(_Search, "_choose", _choose_every_candidate)
                full = fit_scheme(document, scheme)
            assert bounded.changes == full.changes
            assert bounded.scheme.to_toml() == full.scheme.to_toml()
            assert (bounded.explained, bounded.unexplained, bounded.computed_total) == (
                full.explained,
                full.unexplained,
                full.computed_total,
            )


# --- may_explain: the search skipped only where no convention explains a row -------------


def _row(target: str, actual: str, published: str, *, level2: str = "数量指标") -> Indicator:
    return Indicator(
        row=1,
        level1="产出指标",
        level2=level2,
        level3="指标",
        target=target,
        actual=actual,
        weight=Decimal(10),
        published=Decimal(published),
    )


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        # 10 × 95/100 = 9.5: a typed 8 is no rounding of it, and nothing else moves it.
        (_row("≥100个", "95个", "8"), False),
        (_row("2024年6月30日前", "2024年8月1日", "5"), False),  # late: 0 points, 5 typed
        (_row("≥100个", "95个", "10"), True),  # 9.5 rounded to whole points, half up
        (_row("≥100个", "95个", "9"), True),  # … or down
        (_row("≥100个", "120个", "8"), True),  # met above the target: the cap may move it
        (_row("≤160万元", "170万元", "8", level2="成本指标"), True),  # the cost rule may move it
        (_row("≤160万元", "170万元", "8"), False),  # 10 × 160/170, not a cost row
        (_row("≥95%", "≥95%", "8"), True),  # restated: scored by the achieved share
        (_row("提升", "有所提升", "8"), True),  # words: scored by a share
        (_row("≥100个", "约95个", "8"), True),  # an approximation beside the value
        (_row("≥100个", "95个（预计）", "8"), True),  # words after the value
    ],
)
def test_may_explain_says_no_only_for_fixed_points_no_rounding_gives(
    indicator: Indicator, expected: bool
) -> None:
    assert may_explain(indicator, load_scheme(), year=2024) is expected
    unpublished = attrs.evolve(indicator, published=None)
    assert may_explain(unpublished, load_scheme(), year=2024) is True


def _every_convention(base: Scheme) -> list[Scheme]:
    """Schemes the search may fit from ``base``: every rounding it tries, both cost rules,
    the cap on and off, and shares moved (their grid's ends and a middle)."""
    shares = [
        {},
        {"achieved_share": Decimal("0.9"), "partial_share": Decimal("0.5")},
        {
            "achieved_share": Decimal(1),
            "partial_share": Decimal("0.8"),
            "not_achieved_share": Decimal("0.2"),
        },
    ]
    return [
        attrs.evolve(base, places=places, rounding=mode, cost_under_budget=cost, cap=cap, **moved)
        for places in fit._PLACES
        for mode in fit._MODES
        for cost in ("full", "B/A")
        for cap in (True, False)
        for moved in shares
    ]


@pytest.mark.parametrize("preset", PRESETS)
def test_may_explain_is_never_wrong_when_it_says_no(preset: str, tmp_path: Path) -> None:
    """Every differing row of every fault the generator knows, under each preset: where
    may_explain says no convention explains the row, none of the conventions the search
    may fit scores it at its published score — and it does say so for some rows."""
    base = load_scheme(preset)
    conventions = _every_convention(base)
    refused = 0
    for seed in range(44):
        path = tmp_path / f"unit{seed}.csv"
        write_csv(path, form_rows(seed))
        for document in read_all(path, every_sheet=True):
            evaluation = evaluate_document(document, scheme=base)
            for score in evaluation.scores:
                indicator = score.indicator
                if not score.differs or may_explain(indicator, base, year=evaluation.year):
                    continue
                refused += 1
                for scheme in conventions:
                    fitted = score_indicator(
                        indicator, scheme, year=evaluation.year, recompute=True
                    )
                    assert fitted.computed != indicator.published, (seed, indicator.level3, scheme)
    assert refused > 0
