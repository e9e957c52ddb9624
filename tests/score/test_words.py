"""Issue 18 case table: every word accounted for, direction from the indicator's name.

``tests/data/words.tsv`` holds rows as a finance officer writes them: the indicator's
name (三级指标; ``一级|三级`` where the level matters, as for 成本指标), the target, the
actual, the weight, and the points a finance expert gives (two places) or ``review``
where a person must decide.  Each row is scored through :func:`perfscore.score_indicator`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import casetable
from perfscore import Indicator, evaluate, score_indicator
from perfscore.cli import main
from perfscore.errors import SchemeError
from perfscore.parse.vocabulary import MEANINGFUL_WORDS, MEANINGS, PASSABLE_WORDS, unaccounted
from perfscore.review.audit import audit
from perfscore.score.scheme import Scheme, load_scheme
from perfscore.score.scoring import Status


def _rows() -> list[tuple[str, ...]]:
    rows = casetable.load_rows("words.tsv")
    bad = [row for row in rows if not all(row[:5])]
    assert not bad, f"words.tsv: six tab-separated cells expected: {bad}"
    return rows


ROWS = _rows()


def _indicator(name: str, target: str, actual: str, weight: str) -> Indicator:
    level1, _, level3 = name.rpartition("|")
    return Indicator(
        row=1, level1=level1, level3=level3, target=target, actual=actual, weight=Decimal(weight)
    )


def test_table_is_large_enough() -> None:
    """The table covers every class of issue 18 with at least 220 rows."""
    assert len(ROWS) >= 220


@pytest.mark.parametrize(
    ("name", "target", "actual", "weight", "expected", "note"),
    ROWS,
    ids=[f"{i + 1}-{r[2]}" for i, r in enumerate(ROWS)],
)
def test_words_case(
    name: str, target: str, actual: str, weight: str, expected: str, note: str
) -> None:
    """Each row scores as a finance expert says, or goes to review with a reason."""
    score = score_indicator(_indicator(name, target, actual, weight))
    if expected == "review":
        assert score.status is Status.NEEDS_REVIEW, (note, score.computed, score.explanation)
        assert "(" in score.explanation, score.explanation  # Chinese, then English
    else:
        assert score.computed == Decimal(expected), (note, score.explanation)


def test_direction_lists_are_scheme_data() -> None:
    """The preset's [direction] table decides; a scheme may add or move a word."""
    scheme = load_scheme()
    assert scheme.direction.decide("账务处理差错率") == ("ceiling", "差错率")
    assert scheme.direction.decide("志愿服务时长") == ("floor", "志愿服务时长")
    assert scheme.direction.decide("审核周期") == ("ambiguous", "周期")
    assert scheme.direction.decide("培训人数") is None
    data = {"name": "x", "direction": {"ceiling": ["培训人数"]}}
    custom = Scheme.from_dict(data)
    row = Indicator(row=1, level3="培训人数", target="100人", actual="120人", weight=Decimal(10))
    assert score_indicator(row, custom).computed == Decimal("8.33")
    assert "按逆向指标计" in score_indicator(row, custom).explanation
    assert "按默认正向计" in score_indicator(row).explanation


@pytest.mark.parametrize(
    "table",
    [{"ceiling": ["差错率"], "floor": ["差错率"]}, {"ceiling": "差错率"}, {"floor": [""]},
     {"upward": ["x"]}],
)  # fmt: skip
def test_bad_direction_table_is_a_scheme_error(table: dict[str, object]) -> None:
    """A word in two lists, a list that is not one, or an unknown key: a SchemeError."""
    with pytest.raises(SchemeError):
        Scheme.from_dict({"name": "x", "direction": table})


def test_schemes_command_lists_the_direction_words(capsys: pytest.CaptureFixture[str]) -> None:
    """``perfscore schemes`` shows the word lists."""
    assert main(["schemes"]) == 0
    out = capsys.readouterr().out
    assert "逆向 ceiling" in out
    assert "差错率" in out


@pytest.mark.parametrize(
    ("target", "actual", "words"),
    [("≥100人", "原计划100人", "「原计划」"), ("≥100人", "见附表2", "「见附表」"),
     ("≥100人", "比计划少完成30人", "「少完成」"), ("≤50万元", "超支5万元", "「超支」"),
     ("≥100人", "其中女性50人", "「女性」")],
)  # fmt: skip
def test_review_names_the_words(target: str, actual: str, words: str) -> None:
    """The reason names each word that was not accounted for, and what it means."""
    score = score_indicator(_indicator("培训人数", target, actual, "10"))
    assert score.status is Status.NEEDS_REVIEW
    assert words in score.explanation


def test_audit_reads_a_reverse_name_as_the_scorer_does() -> None:
    """差错率 2% ← 2.5% published 0.75: audit explains it by the reverse rules too."""
    rows = [
        Indicator(row=1, level1="产出指标", level2="质量指标", level3="账务处理差错率",
                  target="2%", actual="2.5%", weight=Decimal(1), published=Decimal("0.75")),
        Indicator(row=2, level1="产出指标", level2="数量指标", level3="其他", target="≥1项",
                  actual="1项", weight=Decimal(89), published=Decimal(89)),
    ]  # fmt: skip
    findings = audit(evaluate(rows, budget=Decimal(100), executed=Decimal(100)))
    (finding,) = [f for f in findings if f.code == "deviation-reverse-rule"]
    assert finding.numbers["rule_1"] == "0.8"  # A/B × 1 = 2/2.5


def test_passable_and_meaningful_words_are_disjoint() -> None:
    """A word is either passed over or used, never both."""
    meaningful = {w for words in MEANINGFUL_WORDS.values() for w in words}
    assert not meaningful & set(PASSABLE_WORDS)
    assert set(MEANINGS) == {"unknown", *MEANINGFUL_WORDS}


@pytest.mark.parametrize("word", PASSABLE_WORDS)
def test_every_passable_word_passes(word: str) -> None:
    """Each passable word alone, before a name or after it, leaves nothing unaccounted."""
    assert unaccounted(word, ("培训人数",)) == ()
    assert unaccounted(word + "培训人数", ("培训人数",)) == ()


@pytest.mark.parametrize(
    ("word", "kind"), [(w, k) for k, words in MEANINGFUL_WORDS.items() for w in words]
)
def test_every_meaningful_word_is_named(word: str, kind: str) -> None:
    """Each meaningful word alone is named with a meaning, never passed over."""
    found = unaccounted(word, ("培训人数",))
    assert found
    assert all(k != "unknown" for _, k in found)
    assert kind in {k for _, k in found} or word.endswith(("完成", "支出"))


def test_name_pieces_pass_and_other_words_are_unknown() -> None:
    """Pieces of two or more characters of the name pass; a single stray character does not."""
    assert unaccounted("年度培训人数", ("培训人数",)) == ()
    assert unaccounted("实际完成率", ("完成率",)) == ()
    assert unaccounted("举办讲座", ("科普讲座场次",)) == (("举办", "unknown"),)
    assert unaccounted("满意率", ("群众满意度",)) == (("率", "unknown"),)
