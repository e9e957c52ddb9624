"""Every output of the scorer equals the golden file written before its fast paths (golden.py)."""

from __future__ import annotations

import golden

from perfscore.parse.targets import _parse_actual_text, parse_target
from perfscore.score.scoring import _outcome

ROWS = golden.load()


def _mismatches() -> list[str]:
    wrong = []
    for row in ROWS:
        got = golden.record(golden.score(row["in"]))
        if got != row["out"]:
            fields = [k for k in got if got[k] != row["out"][k]]
            wrong.append(f"{row['in']}: {fields}: {[got[k] for k in fields]}")
    return wrong


def test_golden_rows_cover_every_mixture() -> None:
    """The file holds case-table rows and both benchmark mixtures, under several schemes."""
    assert len(ROWS) > 30_000
    assert {r["in"].get("mixture") for r in ROWS} == {None, "repeating", "distinct"}
    assert len({r["in"]["scheme"] for r in ROWS}) == 8
    assert {r["out"]["status"] for r in ROWS} >= {"full", "partial", "zero", "needs_review"}


def test_scores_equal_the_golden_file_cold_then_warm() -> None:
    """Cold caches, then every row again from warm caches: both equal the file exactly."""
    parse_target.cache_clear()
    _parse_actual_text.cache_clear()
    _outcome.cache_clear()
    cold = _mismatches()
    assert not cold, f"{len(cold)} rows differ, first: {cold[:5]}"
    warm = _mismatches()
    assert not warm, f"{len(warm)} rows differ when cached, first: {warm[:5]}"
