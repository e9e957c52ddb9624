"""The batch's fast paths give exactly what the full paths give.

``finding_counts`` fits the table's convention only when it can change a count; here it
is compared with counting ``audit``'s findings on every kind of unit the official-layout
generator writes (Hypothesis draws the seeds), on the seed examples, on the test forms,
and with ``recompute``.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from official_batch import form_rows, write_csv, write_xlsx

from perfscore.readers import read_all
from perfscore.review.audit import audit, finding_counts
from perfscore.review.findings import FindingSeverity
from perfscore.score.rollup import evaluate, evaluate_document

EXAMPLES = Path(__file__).parents[2] / "examples" / "data"


def full_counts(findings: tuple[object, ...]) -> dict[FindingSeverity, int]:
    counted = Counter(f.severity for f in findings)  # type: ignore[attr-defined]
    return {s: counted[s] for s in FindingSeverity}


def check(path: Path) -> None:
    for document in read_all(path, every_sheet=True):
        for recompute in (False, True):
            evaluation = evaluate_document(document, recompute=recompute)
            assert finding_counts(evaluation, document) == full_counts(audit(evaluation, document))
            # Several projects in a file are audited without their document, as batch does.
            bare = evaluate(document.indicators, recompute=recompute)
            assert finding_counts(bare) == full_counts(audit(bare))


@settings(max_examples=30)
@given(st.integers(0, 100_000), st.sampled_from([".csv", ".xlsx"]))
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
