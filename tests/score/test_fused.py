"""The fused row path and the name-free cache give what the full path gives (issue 21).

``scoring._fused_row`` judges the commonest pairs (two quantities in one unit, a date
against a deadline) without the general machinery, or declines (None).  Every test
here calls both it and the full path (``scoring._judged_row``: _judge, the problems and
the rounding) and requires the same answer in every field, or a decline: on every text
of the case tables paired with typical partners, on every row of the tables with a
target and an actual, on both mixtures of ``benchmarks/bench_floor.py``, under every
preset scheme, and on Hypothesis pairs.  The name-free cache is checked the same way:
an outcome kept without the names equals the outcome computed under other names.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casetable
import strategies
from perfscore import Indicator, load_scheme, score_indicator
from perfscore.parse.units import vocabulary
from perfscore.parse.values import Comparator, Deadline, Period, Qualitative, Quantity
from perfscore.score.formulas import in_decimal_context
from perfscore.score.scheme import Scheme, available_schemes
from perfscore.score.scoring import (
    Judged,
    _fused_row,
    _judged_outcome,
    _judged_row,
    _lean_judged,
    _names_unread,
    _outcome,
    _weight_problem,
)

SCHEMES = [load_scheme(name) for name in available_schemes()]
# Schemes no preset is: each turns one setting the fused rule reads, so it must decline
# (or compute the same) wherever that setting decides.
CUSTOM = [
    Scheme.from_dict({"name": f"custom-{n}", **settings_})
    for n, settings_ in enumerate([
        {"cap": {"at_weight": False}},
        {"cost": {"under_budget": "B/A"}},
        {"quantitative": {"higher_unmet": "weight * (actual / target)",
                          "lower_unmet": "weight * target / actual * 1"}},
        {"quantitative": {"higher_unmet": "min(weight, weight * actual / target * 1.2)"}},
        {"over_achievement": {"deduct": "weight * 0.9", "warn_share": 0.1}},
        {"over_achievement": {"warn_share": 0}},
        {"quantitative": {"equal": "two-sided", "negative_actual_as_zero": False}},
        {"rounding": {"places": 3, "mode": "ROUND_DOWN"}},
        {"deadline": {"late": "max(0, weight - days_late * 0.1)"}},
    ])
]  # fmt: skip
_PARTNERS = ["95%", "≥90%", "100个", "≥120个", "≤160万元", "150.3万元", "0", "2024年11月20日",
             "2024年12月31日前", "第四季度", "2024年10月", "满意", "已完成", ""]  # fmt: skip
_NAMES = [
    ("", ""),
    ("完成率", "质量指标"),
    ("项目成本（成本）", "成本指标"),
    ("满意度", "满意度指标"),
]


def _seen(judged: tuple[object, ...]) -> tuple[object, ...]:
    """Every output of a judged row, as text where text is what a reader sees."""
    target, actual, result, problems, computed = judged
    return (
        repr(target),
        repr(actual),
        target,
        actual,
        result.points,  # type: ignore[attr-defined]
        str(result.points),  # type: ignore[attr-defined]
        result.how,  # type: ignore[attr-defined]
        result.warnings,  # type: ignore[attr-defined]
        result.over_share,  # type: ignore[attr-defined]
        str(result.over_share),  # type: ignore[attr-defined]
        problems,
        computed,
        str(computed),
    )


# How many pairs the lean lane took in this run (the tests below check it took some).
LEAN_TAKEN = [0]


def _agree(
    target: str,
    actual: str,
    weight: Decimal | None,
    scheme: Scheme,
    year: int | None,
    names: tuple[str, str] = ("", ""),
    is_cost: bool = False,
) -> bool:
    """Whether the fused path took the pair; when it did, it must equal the full path.

    The lean lane (scoring._lean_judged, which _decided tries first) is checked on the
    same pair: whenever it takes it, its result and values must equal the full path's.
    """
    args = (target, actual, weight, is_cost, scheme, year, names)
    fused = in_decimal_context(_fused_row, *args)
    lean = _lean(target, actual, weight, scheme, names, is_cost)
    if fused is None and lean is None:
        return False
    full = _seen(in_decimal_context(_judged_row, target, actual, weight, False, *args[3:]))
    if lean is not None:
        LEAN_TAKEN[0] += 1
        assert lean == full, ("lean", target, actual, weight, scheme.name, year, names)
    if fused is None:
        return False
    assert _seen(fused) == full, (target, actual, weight, scheme.name, year, names)
    return True


def _lean(
    target: str,
    actual: str,
    weight: Decimal | None,
    scheme: Scheme,
    names: tuple[str, str],
    is_cost: bool,
) -> tuple[object, ...] | None:
    """What the lean lane gives for the pair, as _seen shows it; None when it declines."""
    if weight is None or _weight_problem(weight):
        return None  # _decided does not ask it
    lean = in_decimal_context(_lean_judged, target, actual, weight, scheme, is_cost, names[0])
    return None if lean is None else _seen(lean)


def _case_pairs() -> Iterator[tuple[str, str, Decimal | None, tuple[str, str]]]:
    """Every (target, actual) row of the tables that have both, with its weight and names."""
    for name in (
        "judging.tsv",
        "numbers.tsv",
        "scoring.tsv",
        "words.tsv",
        "seed002_indicators.tsv",
    ):
        for row in casetable.load(name):
            weight = Decimal(row["weight"]) if row.get("weight", "").strip() else Decimal(5)
            level3 = row.get("level3") or row.get("name") or row.get("indicator") or ""
            yield row["target"], row["actual"], weight, (level3, row.get("level2", ""))


def _texts() -> list[str]:
    """Every text of the text tables and every target and actual of the row tables."""
    texts: set[str] = set()
    for path in sorted(casetable.DATA.glob("*.tsv")):
        for row in casetable.load(path.name):
            texts.update(row[c] for c in ("text", "target", "actual", "cell", "value") if c in row)
    return sorted(texts)


def test_every_case_row_under_every_scheme() -> None:
    taken, lean = 0, LEAN_TAKEN[0]
    for target, actual, weight, names in _case_pairs():
        for scheme in SCHEMES:
            for year in (None, 2023, 2024):
                for is_cost in (False, True):
                    taken += _agree(target, actual, weight, scheme, year, names, is_cost)
    assert taken > 1000  # the tables exercise the fused path, not only its declines
    assert LEAN_TAKEN[0] - lean > 1000  # and the lean lane


@pytest.mark.parametrize("scheme", CUSTOM, ids=lambda s: s.name)
def test_case_rows_and_mixtures_under_schemes_no_preset_is(scheme: Scheme) -> None:
    taken = 0
    for target, actual, weight, names in _case_pairs():
        taken += _agree(target, actual, weight, scheme, 2024, names)
        taken += _agree(target, actual, weight, scheme, 2024, names, True)
    for r in _mixtures():
        taken += _agree(r.target, r.actual, r.weight, scheme, 2024, (r.level3, r.level2), r.is_cost)
    assert taken > 500


def test_every_case_text_against_typical_partners() -> None:
    taken = 0
    schemes = [load_scheme(n) for n in ("mof2020", "province-integer-down", "vendor-linear")]
    for text in _texts():
        for partner in _PARTNERS:
            for scheme in schemes:
                for target, actual in ((text, partner), (partner, text)):
                    taken += _agree(target, actual, Decimal(5), scheme, 2024)
                    taken += _agree(target, actual, Decimal("2.0"), scheme, None, _NAMES[2], True)
    assert taken > 1000


def _mixtures() -> list[Indicator]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_floor import distinct, repeating

    rng = random.Random(21)
    return repeating(600, rng) + distinct(1500, rng)


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.name)
def test_both_benchmark_mixtures(scheme: Scheme) -> None:
    rows = _mixtures()
    lean = LEAN_TAKEN[0]
    taken = sum(
        _agree(r.target, r.actual, r.weight, scheme, 2024, (r.level3, r.level2), r.is_cost)
        for r in rows
    )
    assert taken > len(rows) // 2
    assert LEAN_TAKEN[0] - lean > len(rows) // 4


def test_the_fused_path_takes_the_distinct_quantities_costs_and_dates() -> None:
    """What the benchmark's distinct mixture is made of, the fused path reads (mof2020)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_floor import distinct

    scheme = load_scheme()
    for row in distinct(2000, random.Random(7)):
        if row.level2 != "效益指标":
            names = (row.level3, row.level2)
            assert _agree(row.target, row.actual, row.weight, scheme, 2024, names, row.is_cost)


def test_an_impossible_date_is_left_to_the_full_path() -> None:
    """29 February in a non-leap year: the rule raises; the full path words the review."""
    scheme = load_scheme()
    args = ("2月29日前", "2月20日", Decimal(5), False, scheme, 2023, ("", ""))
    assert in_decimal_context(_fused_row, *args) is None
    row = Indicator(row=1, target="2月29日前", actual="2月20日", weight=Decimal(5))
    assert "2月29日" in score_indicator(row, scheme, year=2023).explanation
    assert _agree("2月29日前", "2月20日", Decimal(5), scheme, 2024)


def test_a_restated_target_with_trailing_words_keeps_the_full_paths_warnings() -> None:
    """Found by Hypothesis: a plain answer with unread words passes them as _judge does."""
    for scheme in SCHEMES:
        assert _agree(
            "≥１万百分数", "≥１万百分数", Decimal(5), scheme, 2024, ("完成率", "质量指标")
        )
        assert _agree("100人。", "100人。", Decimal(5), scheme, 2024, ("培训人数", "数量指标"))


def test_declines_what_it_does_not_prove() -> None:
    scheme = load_scheme()
    for target, actual in [
        ("≥90%", "约95%"),  # an approximation
        ("≥90%", "≥95%"),  # a stated bound
        ("≥90%", "0.95"),  # a bare actual against a percent
        ("≥100个", "120人"),  # two units
        ("≥100个", "-5个"),  # negative
        ("100个", "80个"),  # no comparator: the name decides (fused only when it has none)
        ("2024年12月31日前", "已于2024年11月1日完成"),  # a label
        ("≥90%", "满意"),  # words against a number
    ]:
        args = (target, actual, Decimal(5), False, scheme, 2024, ("效率", "质量指标"))
        fused = in_decimal_context(_fused_row, *args)
        assert fused is None or target == "100个", (target, actual)
        _agree(target, actual, Decimal(5), scheme, 2024, ("效率", "质量指标"))


# --- Hypothesis pairs ---------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
_UNITS = [*[u for u in vocabulary().units if len(u) <= 4][:60], "%", "万元", "亿元", "个", "人次"]


@st.composite
def _number(draw: st.DrawFn) -> str:
    whole = draw(st.integers(min_value=0, max_value=10**7))
    text = str(whole)
    if draw(st.booleans()):
        text += "." + draw(st.from_regex(r"[0-9]{1,3}", fullmatch=True))
    if draw(st.integers(0, 9)) == 0:
        text = "0" + text  # a leading zero
    if draw(st.integers(0, 9)) == 0:
        text = "-" + text
    return text


@st.composite
def _quantity(draw: st.DrawFn) -> str:
    comparator = draw(st.sampled_from([*strategies.SYMBOLS, "不低于", "不少于", "达到", "不超过",
                                       "控制在", "大于等于", "≥ ", " "]))  # fmt: skip
    number = draw(_number())
    multiplier = draw(st.sampled_from(["", "", "", "万", "亿"]))
    unit = draw(st.sampled_from(["", *_UNITS]))
    suffix = draw(st.sampled_from(["", "", "以上", "以下", "以内", " "]))
    text = f"{comparator}{number}{multiplier}{unit}{suffix}"
    if draw(st.integers(0, 7)) == 0:
        text = text.translate(_FULL_WIDTH)
    return text


@st.composite
def _date(draw: st.DrawFn) -> str:
    year = draw(st.sampled_from(["", "2023年", "2024年", "2025年", "次年"]))
    month, day = draw(st.integers(1, 13)), draw(st.integers(1, 31))
    shape = draw(st.sampled_from([
        f"{year}{month}月{day}日前", f"{year}{month}月{day}日",
        f"{year}2月29日前", f"{year}2月29日",
        f"{year}底前", f"{year}年底前", f"{year}{month}月底前", f"{year}{month}月",
        f"{year}{month}月完成", "第一季度", "第四季度", f"{year}第三季度末前", "上半年",
        f"{year}1-{month}月", f"已于{year}{month}月{day}日完成", f"{year}{month}月{day}日前完成",
    ]))  # fmt: skip
    return shape.translate(_FULL_WIDTH) if draw(st.integers(0, 9)) == 0 else shape


_texts_st = st.one_of(
    _quantity(), _date(), strategies.target_like_text(), st.sampled_from(_PARTNERS)
)


@settings(max_examples=400)
@given(
    _texts_st,
    _texts_st,
    st.sampled_from(
        [None, Decimal(0), Decimal(5), Decimal("2.50"), Decimal(1001), Decimal("1E+3")]
    ),
    st.sampled_from(SCHEMES),
    st.sampled_from([None, 2023, 2024]),
    st.sampled_from(_NAMES),
    st.booleans(),
)
def test_generated_pairs_agree_or_decline(
    target: str,
    actual: str,
    weight: Decimal | None,
    scheme: Scheme,
    year: int | None,
    names: tuple[str, str],
    is_cost: bool,
) -> None:
    _agree(target, actual, weight, scheme, year, names, is_cost)


@settings(max_examples=300)
@given(_quantity(), _quantity(), st.sampled_from(SCHEMES + CUSTOM), st.booleans())
def test_generated_quantity_pairs_agree_or_decline(
    target: str, actual: str, scheme: Scheme, is_cost: bool
) -> None:
    _agree(target, actual, Decimal(5), scheme, 2024, ("完成率", "质量指标"), is_cost)


@settings(max_examples=300)
@given(_date(), _date(), st.sampled_from(SCHEMES + CUSTOM), st.sampled_from([None, 2023, 2024]))
def test_generated_date_pairs_agree_or_decline(
    target: str, actual: str, scheme: Scheme, year: int | None
) -> None:
    _agree(target, actual, Decimal(5), scheme, year, ("完成时间", "时效指标"))


# --- the name-free cache ---------------------------------------------------------------


def _judged_seen(judged: Judged) -> tuple[object, ...]:
    target, actual, result, computed, problems, fields = judged
    shown = dict(fields or {})
    explain = shown.pop("_explain", None)
    return (
        _seen((target, actual, result, problems, computed)),
        repr(shown),
        None if explain is None else (explain[0], explain[1].how, explain[2]),
    )


def _words_of(*texts: str) -> list[str]:
    """Names that repeat the texts' words: the names most likely to change a judgement."""
    words = {"", "预计", "完成", "成本", "满意度", "时间"}
    for text in texts:
        words.update({text, text[:2], text[-2:], text.strip("已")})
    return sorted(words)


def _unnamed_agree(
    target: str, actual: str, scheme: Scheme, year: int | None, has_published: bool
) -> None:
    """Keep the pair under one name; every other name must get what it would compute."""
    weight = Decimal(5)
    first = ("甲", "乙")
    key = (target, actual, weight, has_published, False, scheme, year, first, "5")
    _outcome.cache_clear()
    kept = _outcome.call(key)
    if not _names_unread(kept[0], kept[1], quantities=True):
        return
    for level3 in _words_of(target, actual):
        for level2 in ("", level3, "效益指标"):
            other = (*key[:7], (level3, level2), "5")
            assert _judged_seen(_outcome.call(other)) == _judged_seen(_judged_outcome(*other))


def test_the_name_free_cache_on_the_case_tables() -> None:
    scheme = load_scheme()
    pairs = {(t, a) for t, a, _, _ in _case_pairs()}
    pairs |= {(t, p) for t in _texts() for p in ("满意", "已完成", "2024年11月20日", "第四季度")}
    # A forecast word makes a label that a name may repeat: such pairs must not be kept.
    pairs |= {("提升", "预计提升"), ("完成", "预计完成"), ("年底前", "预计11月完成"),
              ("2024年12月31日前", "预计2024年11月20日"), ("满意", "預計满意")}  # fmt: skip
    kept = 0
    for target, actual in sorted(pairs):
        _unnamed_agree(target, actual, scheme, 2024, False)
        kept += len(_outcome._unnamed)
    assert kept > 100


@settings(max_examples=200)
@given(_texts_st, _texts_st, st.sampled_from(SCHEMES), st.sampled_from([None, 2023]), st.booleans())
def test_the_name_free_cache_on_generated_pairs(
    target: str, actual: str, scheme: Scheme, year: int | None, has_published: bool
) -> None:
    _unnamed_agree(target, actual, scheme, year, has_published)


def test_what_is_kept_without_names() -> None:
    for quantities in (False, True):
        assert _names_unread(Qualitative("满意"), Qualitative("基本满意"), quantities=quantities)
        assert not _names_unread(Qualitative("提升"), Qualitative("预计提升"), quantities=False)
        date, period = Deadline("第四季度", 12), Period("2024年10月", 10, 10, 2024)
        assert _names_unread(date, period, quantities=quantities)
        labelled = Deadline("已于11月完成", 11, label="已于")
        assert not _names_unread(date, labelled, quantities=quantities)
        target = Quantity("≥90%", Decimal(90), "percent", Comparator.GE)
        assert not _names_unread(target, Qualitative("满意"), quantities=quantities)
        assert not _names_unread(None, None, quantities=quantities)
        actual = Quantity("95%", Decimal(95), "percent")
        assert _names_unread(target, actual, quantities=quantities) is quantities
        no_comparator = Quantity("90%", Decimal(90), "percent")
        assert not _names_unread(no_comparator, actual, quantities=quantities)
        forecast = Quantity("预计95%", Decimal(95), "percent", label="预计")
        assert not _names_unread(target, forecast, quantities=quantities)


def test_scores_with_the_name_free_cache_equal_scores_without() -> None:
    """Whole Scores: a row whose pair was kept under another name, and the same row cold."""
    scheme = load_scheme()
    rows = [
        Indicator(row=k, level2="效益指标", level3=name, target=t, actual=a, weight=Decimal(5),
                  published=published)
        for k, (name, t, a, published) in enumerate([
            ("服务质量1", "提升", "有所提升", None), ("服务质量2", "提升", "有所提升", None),
            ("提升", "提升", "有所提升", Decimal(4)), ("满意度", "满意", "基本满意", None),
            ("完成时间", "第四季度", "2024年10月", None),
            ("第四季度", "第四季度", "2024年10月", None),
        ])
    ]  # fmt: skip
    _outcome.cache_clear()
    warm = [score_indicator(r, scheme, year=2024) for r in rows]
    cold = []
    for r in rows:
        _outcome.cache_clear()
        cold.append(score_indicator(r, scheme, year=2024))
    assert [repr(s) for s in warm] == [repr(s) for s in cold]
    assert warm == cold
