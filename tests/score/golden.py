"""The scorer's golden outputs: every field of every Score, for rows of every case table.

``tests/data/golden_scores.jsonl.xz`` holds, one JSON object a line, the inputs of a
row (texts, names, weight, published score, scheme, year, recompute) and the full
:class:`~perfscore.score.scoring.Score` the scorer gave before any of its fast paths
existed: computed, counted, status, explanation, warnings, problems, over_share and the
repr of the parsed target and actual.  ``test_golden.py`` scores every row again and
compares; a fast path that changes one character of one output fails it.

The rows: every row of the case tables with a target and an actual (scoring, judging,
numbers, words, the seed), the texts of the text tables paired with typical partners,
a few checklist and 不适用 rows, and both mixtures of ``benchmarks/bench_floor.py``;
under every preset (case rows) or three (the others), with and without a year, a
published score and recompute.  Written once by ``python tests/score/golden.py``.
"""

from __future__ import annotations

import json
import lzma
import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import casetable
from perfscore import Indicator, load_scheme, score_indicator
from perfscore.score.scheme import available_schemes
from perfscore.score.scoring import Score

GOLDEN = casetable.DATA / "golden_scores.jsonl.xz"
_THREE = ("mof2020", "province-integer-down", "vendor-linear")
_FIELDS = ("row", "level1", "level2", "level3", "target", "actual", "standard", "read_problem")


def record(score: Score) -> dict[str, Any]:
    """Every output field of ``score``, as text."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "computed": text(score.computed),
        "counted": text(score.counted),
        "status": score.status.value,
        "explanation": score.explanation,
        "warnings": list(score.warnings),
        "problems": [list(p) for p in score.problems],
        "over_share": text(score.over_share),
        "target": repr(score.target),
        "actual": repr(score.actual),
        "lost": text(score.lost),
        "differs": score.differs,
    }


def indicator(given: dict[str, Any]) -> Indicator:
    """The Indicator a stored input names."""
    return Indicator(
        **{k: given.get(k, "") for k in _FIELDS if k != "row"},
        row=given.get("row", 1),
        weight=None if given.get("weight") is None else Decimal(given["weight"]),
        published=None if given.get("published") is None else Decimal(given["published"]),
    )


def score(given: dict[str, Any]) -> Score:
    """Score a stored input as it was scored when the file was written."""
    return score_indicator(
        indicator(given),
        load_scheme(given["scheme"]),
        year=given.get("year"),
        recompute=given.get("recompute", False),
    )


def _rows() -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
    """(input without scheme, the schemes to score it under)."""
    every = tuple(available_schemes())
    for case in casetable.load("scoring.tsv"):
        yield (
            {"level1": case["level1"], "target": case["target"], "actual": case["actual"],
             "weight": case["weight"], "year": int(case["year"]) if case["year"] else None},
            (case["scheme"], *_THREE),
        )  # fmt: skip
    for name, column in (("judging.tsv", ""), ("numbers.tsv", "indicator"), ("words.tsv", "name")):
        for case in casetable.load(name):
            row = {"target": case["target"], "actual": case["actual"], "weight": case["weight"]}
            if column:
                row["level3"] = case[column]
            yield {**row, "year": 2024}, every
    for case in casetable.load("seed002_indicators.tsv"):
        yield (
            {"level1": case["level1"], "level2": case["level2"], "level3": case["level3"],
             "target": case["target"], "actual": case["actual"], "weight": case["weight"],
             "published": case["score"] or None, "year": 2024},
            every,
        )  # fmt: skip
    texts = [
        c["text"]
        for name in ("targets.tsv", "reading.tsv", "simple_path.tsv", "invalid_targets.tsv")
        for c in casetable.load(name)
    ]
    for text in dict.fromkeys(texts):
        for actual in ("95%", "已完成", text, "12月20日", ""):
            yield {"level3": "指标", "target": text, "actual": actual, "weight": "5"}, _THREE
    for case in casetable.load("actuals.tsv"):
        for target in ("≥90%", "≥10次", "2024年12月31日前", "满意", "≤100万元"):
            yield {"target": target, "actual": case["text"], "weight": "5"}, _THREE
    for standard, target in (("每缺一项扣1分", ""), ("未按时完成扣2分；", ""), ("", "不适用")):
        for actual in ("", "不适用", "缺一项", "已完成"):
            yield (
                {"level1": "过程", "target": target, "actual": actual, "standard": standard,
                 "weight": "5", "published": "4"},
                every,
            )  # fmt: skip
    yield {"target": "≥90%", "actual": "95%", "weight": "5", "read_problem": "公式未保存"}, _THREE
    for name, rows in _bench_rows():
        for row in rows:
            yield {**row, "year": 2024, "mixture": name}, _THREE


def _bench_rows() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_floor import distinct, repeating

    rng = random.Random(2024)
    for name, rows in (("repeating", repeating(1500, rng)), ("distinct", distinct(2500, rng))):
        yield name, [
            {**{k: getattr(r, k) for k in _FIELDS}, "weight": None if r.weight is None
             else str(r.weight), "published": None if r.published is None else str(r.published)}
            for r in rows
        ]  # fmt: skip


def inputs() -> Iterator[dict[str, Any]]:
    """Every stored input: each row under each of its schemes, with variants."""
    n = 0
    for row, schemes in _rows():
        for scheme in dict.fromkeys(schemes):
            n += 1
            yield {**row, "scheme": scheme}
            if scheme == "mof2020":
                # A published score, counted or recomputed; and no evaluation year.
                weight = Decimal(row["weight"]) if row.get("weight") else Decimal(0)
                published = str((weight * Decimal("0.8")).quantize(Decimal("0.1")))
                yield {**row, "scheme": scheme, "published": published, "recompute": n % 2 == 0}
                if row.get("year") is not None:
                    yield {**row, "scheme": scheme, "year": None}


def write() -> int:
    """Write the golden file from today's scorer; return the number of rows."""
    lines = [json.dumps({"in": given, "out": record(score(given))}, ensure_ascii=False)
             for given in inputs()]  # fmt: skip
    GOLDEN.write_bytes(lzma.compress(("\n".join(lines) + "\n").encode("utf-8")))
    return len(lines)


def load() -> list[dict[str, Any]]:
    """The stored rows: ``{"in": input, "out": record}`` each."""
    text = lzma.decompress(GOLDEN.read_bytes()).decode("utf-8")
    return [json.loads(line) for line in text.splitlines()]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(write(), "rows written to", GOLDEN)
