"""A scheme crosses process boundaries (Dask workers, process pools) as its formulas' text."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from perfscore import Indicator, load_scheme, score_indicator
from perfscore.score.formulas import Formula
from perfscore.score.scheme import available_schemes

ROWS = [
    Indicator(row=1, level3="培训人数", target="≥100人", actual="80人", weight=Decimal(10)),
    Indicator(row=2, level1="成本指标", level3="项目成本", target="≤50万元", actual="60万元",
              weight=Decimal(5)),
    Indicator(row=3, level3="完成时间", target="2024年6月底前", actual="2024年8月10日",
              weight=Decimal(5)),
]  # fmt: skip


@pytest.mark.parametrize("name", available_schemes())
@pytest.mark.parametrize("dumps", ["pickle", "cloudpickle"])
def test_a_pickled_scheme_scores_as_the_original(name: str, dumps: str) -> None:
    module = pytest.importorskip(dumps)
    scheme = load_scheme(name)
    loaded = pickle.loads(module.dumps(scheme))
    assert loaded.to_toml() == scheme.to_toml()
    for row in ROWS:
        mine, theirs = (
            score_indicator(row, scheme, year=2024),
            score_indicator(row, loaded, year=2024),
        )
        assert (mine.computed, mine.explanation) == (theirs.computed, theirs.explanation)


def test_a_formula_is_pickled_as_its_text_and_compiled_again() -> None:
    """Its compiled function never travels: cloudpickle would pickle it by value after
    looking it up through every loaded module (Dask paid that for every task)."""
    formula = load_scheme().higher_unmet
    data = pickle.dumps(formula)
    assert b"<lambda>" not in data
    loaded = pickle.loads(data)
    assert isinstance(loaded, Formula)
    assert loaded == formula
    values = {"weight": Decimal(10), "actual": Decimal(7), "target": Decimal(9)}
    assert loaded(**values) == formula(**values)
