"""`fit_scheme` recovers the convention a table followed, and refuses to fit noise."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

import seed002
from perfscore import Indicator, evaluate, load_scheme
from perfscore.score.fit import fit_scheme
from perfscore.score.scheme import Scheme, from_toml

BASE = {"name": "truth"}


def _rows(seed: int, count: int = 40) -> list[Indicator]:
    """Quantitative rows whose points have three decimals, plus qualitative and cost rows."""
    rng = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        weight = Decimal(rng.choice([3, 4, 5, 6, 7, 9]))
        kind = n % 8
        if kind == 0:
            actual = rng.choice(["基本达到预期", "基本完成", "部分完成", "已完成"])
            rows.append(Indicator(row=n, level1="效益指标", level3=f"定性{n}", target="有效提升",
                                  actual=actual, weight=weight))  # fmt: skip
        elif kind == 1:
            spent = rng.randint(700, 999)
            rows.append(Indicator(row=n, level1="成本指标", level2="经济成本指标",
                                  level3=f"成本{n}", target="≤1000万元", actual=f"{spent}万元",
                                  weight=weight))  # fmt: skip
        elif kind == 2:
            done = rng.randint(1001, 1200)
            rows.append(Indicator(row=n, level1="产出指标", level3=f"超额{n}", target="≥1000项",
                                  actual=f"{done}项", weight=weight))  # fmt: skip
        else:
            done = rng.randint(500, 999)
            rows.append(Indicator(row=n, level1="产出指标", level3=f"数量{n}", target="≥1000项",
                                  actual=f"{done}项", weight=weight))  # fmt: skip
    return rows


def _published(rows: list[Indicator], scheme: Scheme) -> list[Indicator]:
    evaluation = evaluate(rows, scheme=scheme, recompute=True, full_marks=None)
    return [
        Indicator(**{**_fields(s.indicator), "published": s.computed}) for s in evaluation.scores
    ]


def _fields(indicator: Indicator) -> dict[str, Any]:
    return {
        k: getattr(indicator, k)
        for k in ("row", "level1", "level2", "level3", "target", "actual", "weight")
    }


CONVENTIONS: dict[str, dict[str, Any]] = {
    "whole-half-up": {"rounding": {"places": 0, "mode": "half-up"}},
    "whole-down": {"rounding": {"places": 0, "mode": "down"}},
    "one-decimal-down": {"rounding": {"places": 1, "mode": "down"}},
    "half-even": {"rounding": {"places": 2, "mode": "half-even"}},
    "phrase-share": {"qualitative": {"phrases": {"基本达到": 0.875}}},
    "partial-band": {"qualitative": {"partial": 0.5, "partial_from": 0.5}},
    "cost-b-over-a": {"cost": {"under_budget": "B/A"}},
    "no-cap": {"cap": {"at_weight": False}},
    "one-decimal-no-cap": {"rounding": {"places": 1}, "cap": {"at_weight": False}},
}
EXPECTED: dict[str, set[str]] = {
    "whole-half-up": {"rounding.places"},
    "whole-down": {"rounding.places", "rounding.mode"},
    "one-decimal-down": {"rounding.places", "rounding.mode"},
    "half-even": {"rounding.mode"},
    "phrase-share": {"qualitative.phrases"},
    "partial-band": {"qualitative.partial", "qualitative.partial_from"},
    "cost-b-over-a": {"cost.under_budget"},
    "no-cap": {"cap.at_weight"},
    "one-decimal-no-cap": {"rounding.places", "cap.at_weight"},
}


@pytest.mark.parametrize("name", CONVENTIONS)
def test_fit_recovers_each_convention(name: str) -> None:
    """A table built under a convention is fitted back to it, and the TOML reproduces it."""
    truth = Scheme.from_dict({**BASE, **CONVENTIONS[name]})
    rows = _published(_rows(seed=len(name)), truth)
    fit = fit_scheme(rows)
    assert {key for key, _ in fit.changes} == EXPECTED[name]
    assert fit.explained == fit.rows == len(rows)
    assert fit.unexplained == ()
    reloaded = from_toml(fit.toml(), "fitted.toml")
    again = evaluate(rows, scheme=reloaded, recompute=True, full_marks=None)
    assert [s.computed for s in again.scores] == [r.published for r in rows]


def test_fit_recovers_execution_and_total_rounding() -> None:
    """Execution out of 20 rounded down to one place, and the total to one place."""
    truth = Scheme.from_dict(
        {**BASE, "rounding": {"execution_places": 1, "execution_mode": "down", "total_places": 1},
         "execution": {"weight": 20}}
    )  # fmt: skip
    rows = _published(_rows(seed=7, count=16), truth)
    budget, executed = Decimal(300), Decimal("287.3")
    truth_eval = evaluate(rows, scheme=truth, budget=budget, executed=executed, recompute=True,
                          full_marks=None)  # fmt: skip
    assert truth_eval.execution is not None
    fit = fit_scheme(
        rows,
        budget=budget,
        executed=executed,
        execution_published=truth_eval.execution.computed,
        published_total=truth_eval.total,
    )
    keys = {k for k, _ in fit.changes}
    assert {"execution.weight", "rounding.execution_places", "rounding.execution_mode"} <= keys
    assert fit.total_explained is True
    assert fit.evaluation.execution is not None
    assert fit.evaluation.execution.computed == truth_eval.execution.computed


@pytest.mark.parametrize("seed", range(5))
def test_random_published_scores_stay_unexplained(seed: int) -> None:
    """Scores drawn at random fit no convention: nothing changes and most rows stay unexplained."""
    rng = random.Random(seed)
    rows = [
        Indicator(
            **{**_fields(r), "published": Decimal(rng.randint(0, int(r.weight or 0) * 100)) / 100}
        )
        for r in _rows(seed)
    ]
    fit = fit_scheme(rows)
    assert fit.changes == ()
    assert fit.scheme is load_scheme()
    assert len(fit.unexplained) >= fit.rows * 3 // 4


def test_one_exception_is_not_fitted() -> None:
    """A single row rounded another way stays unexplained: one row is not a convention."""
    rows = _published(_rows(seed=3), load_scheme())
    odd = next(
        r for r in rows if r.published is not None and r.published != r.published.quantize(1)
    )
    changed = Indicator(**{**_fields(odd), "published": odd.published.quantize(Decimal(1))})
    rows = [changed if r is odd else r for r in rows]
    fit = fit_scheme(rows)
    assert fit.changes == ()
    assert [u.row for u in fit.unexplained] == [odd.row]


def test_seed002_fits_the_default_with_three_deviations() -> None:
    """Seed 002 follows mof2020 except its three known deviations."""
    fit = fit_scheme(
        seed002.indicators(),
        budget=seed002.BUDGET,
        executed=seed002.EXECUTED,
        execution_published=seed002.EXECUTION_PUBLISHED,
        published_total=seed002.PUBLISHED_TOTAL,
        year=seed002.YEAR,
    )
    assert fit.changes == ()
    assert fit.scheme.name == "mof2020"
    assert [(u.row, u.published, u.computed) for u in fit.unexplained] == [
        (9, Decimal("1.5"), Decimal("2.00")),
        (12, Decimal("0.5"), Decimal("1.00")),
        (57, Decimal("0.3"), Decimal("0.78")),
    ]
    assert (fit.rows, fit.explained) == (60, 57)
    assert fit.total_explained is False
