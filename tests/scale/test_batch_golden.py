"""The batch summary, byte for byte, as it was before the batch was made faster.

``golden/`` holds what ``run_batch`` wrote for :func:`build_inputs`'s folder before
the speed work of issue 21 (generated from ``main`` by running this file as a script:
``PYTHONPATH=src python tests/scale/test_batch_golden.py``).  Every later batch must
write the same bytes — project and indicator rows, statuses, totals, grades, finding
counts and reasons — in CSV (with and without ``--recompute``), JSON Lines and
Parquet, the same cells, formats and charts in XLSX, and the same counts, with one
process or two.  A fast path that changes one character fails here.

The folder is varied on purpose: official-layout forms with every fault the generator
knows (score above weight, total not adding up, weights missing 100, unreadable
actuals), the same forms as XLSX, a two-sheet workbook, the project and department
forms, a Word form, the seed example as text, CSV and XLSX, an empty table, a corrupt
workbook, a lock file and a file of another format.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from perfscore.indicators import SELF_EVALUATION_HEADER
from perfscore.scale.batch import open_writer, run_batch

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
EXAMPLES = HERE.parents[1] / "examples" / "data"


def build_inputs(root: Path) -> None:
    """Write the varied input folder ``root`` (deterministic: the same bytes read alike)."""
    import openpyxl
    from official_batch import build_folder, form_rows, write_csv

    from forms import department_form_rows, write_project_form_docx, write_project_form_xlsx

    build_folder(root, 22, ".csv")
    build_folder(root / "xlsx", 11, ".xlsx", start=100)
    book = openpyxl.Workbook(write_only=True)
    for sheet_number in (1, 2):
        sheet = book.create_sheet(f"项目{sheet_number}")
        for row in form_rows(200 + sheet_number):
            sheet.append([c or None for c in row])
    book.save(root / "two-sheets.xlsx")
    (root / "forms").mkdir()
    write_project_form_xlsx(root / "forms" / "project.xlsx")
    write_project_form_docx(root / "forms" / "project.docx")
    write_csv(root / "forms" / "department.csv", department_form_rows())
    (root / "examples").mkdir()
    for name in ("tianjin-2024.csv", "tianjin-2024.xlsx", "tianjin-2024-self-evaluation.txt"):
        shutil.copyfile(EXAMPLES / name, root / "examples" / name)
    # Two projects in one file: each evaluated on its own (not evaluate_document).
    rows = [
        {"goal": "目标1", "level1": "产出指标", "level2": "数量指标", "level3": f"指标{k}",
         "target": f"≥{10 + k}个", "actual": f"{9 + k + s}个", "weight": "10",
         "published": str(10 if s else 9)}
        for s in (0, 1)
        for k in range(9)
    ]  # fmt: skip
    projects = [{"name": "项目甲", "unit": "单位甲", "indicators": rows}, {"name": "项目乙"}]
    text = json.dumps({"projects": projects}, ensure_ascii=False)
    (root / "two-projects.json").write_text(text, encoding="utf-8")
    (root / "empty.csv").write_text(",".join(SELF_EVALUATION_HEADER) + "\n", encoding="utf-8")
    (root / "broken.xlsx").write_bytes(b"not a workbook")
    (root / "~$unit00000.xlsx").write_bytes(b"lock")
    (root / "notes.md").write_text("not an input", encoding="utf-8")


def xlsx_dump(path: Path) -> str:
    """Every part of the workbook as written (sheets, styles, charts, comments), but the
    timestamp in docProps/core.xml: byte for byte what a spreadsheet program reads."""
    with zipfile.ZipFile(path) as book:
        return "".join(
            f"== {name}\n{book.read(name).decode('utf-8')}\n"
            for name in sorted(book.namelist())
            if name != "docProps/core.xml"
        )


def parquet_dump(path: Path) -> str:
    import pyarrow.parquet as pq

    return json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, indent=0, default=str)


# Texts and values a summary must write safely: formulas, signs, error codes, controls,
# a long text, blanks, booleans, a number a double cannot hold.
HOSTILE: list[Any] = [
    "=1+1", "-6", " =x", "+a", "@b", "x" * 2000, "#N/A", "a\x0bb", "\x1b[31m", "😀", "",
    "  lead", "-1.5%", True, 7, None, Decimal("1.50"), Decimal("12345678901234567890"),
]  # fmt: skip


def write_hostile(out: Path) -> None:
    """One file's result whose every cell is a hostile value, in CSV, JSON Lines and XLSX."""
    from perfscore.scale.summary import INDICATOR_COLUMNS, PROJECT_COLUMNS, FileResult

    projects = tuple(
        dict.fromkeys(PROJECT_COLUMNS, text) | {"status": "scored", "grade": "优", "total": 90}
        for text in HOSTILE
    )
    indicators = tuple(dict.fromkeys(INDICATOR_COLUMNS, text) for text in HOSTILE)
    for name in ("hostile.csv", "hostile.jsonl", "hostile.xlsx"):
        writer = open_writer(out / name)
        writer.write(FileResult("hostile", projects, indicators))
        writer.close()


# Output name → how to turn it into comparable text; None: compare the bytes.
OUTPUTS: dict[str, Any] = {
    "hostile.csv": None,
    "hostile-indicators.csv": None,
    "hostile.jsonl": None,
    "hostile.xlsx": xlsx_dump,
    "summary.csv": None,
    "summary-indicators.csv": None,
    "recompute.csv": None,
    "recompute-indicators.csv": None,
    "summary.jsonl": None,
    "summary.xlsx": xlsx_dump,
    "summary.parquet": parquet_dump,
    "summary-indicators.parquet": parquet_dump,
}


def run_all(root: Path, jobs: int = 1) -> dict[str, str]:
    """Run the batch over ``root/in`` into every format; the outputs and counts as text."""
    out = root / f"out{jobs}"
    out.mkdir()
    previous = os.getcwd()
    os.chdir(root)  # the summaries name the inputs relative to the folder given
    try:
        counts = {}
        for name in ("summary.csv", "summary.jsonl", "summary.xlsx", "summary.parquet"):
            counts[name] = run_batch(["in"], open_writer(out / name), jobs=jobs)
        counts["recompute.csv"] = run_batch(
            ["in"], open_writer(out / "recompute.csv"), jobs=jobs, recompute=True
        )
    finally:
        os.chdir(previous)
    write_hostile(out)
    texts = {"counts.json": json.dumps(counts, ensure_ascii=False, indent=1) + "\n"}
    for name, dump in OUTPUTS.items():
        path = out / name
        texts[name] = path.read_text(encoding="utf-8") if dump is None else dump(path)
    return texts


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("golden")
    build_inputs(root / "in")
    return run_all(root)


# Outputs small enough to read in a diff are kept as text, the others gzipped.
PLAIN = frozenset({"counts.json", "summary.csv", "recompute.csv"})


def golden_path(name: str) -> Path:
    return GOLDEN / (name + (".txt" if name in PLAIN else ".txt.gz"))


def read_golden(name: str) -> str:
    data = golden_path(name).read_bytes()
    return (data if name in PLAIN else gzip.decompress(data)).decode("utf-8")


@pytest.mark.parametrize("name", ["counts.json", *OUTPUTS])
def test_batch_writes_what_main_wrote(outputs: dict[str, str], name: str) -> None:
    """Each output is the golden one, character for character."""
    expected = read_golden(name)
    if outputs[name] != expected:  # name the first line that differs, not a 1 MB diff
        got, want = outputs[name].splitlines(), expected.splitlines()
        first = next(
            (n for n, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), len(want)
        )
        line = got[first] if first < len(got) else "(missing)"
        pytest.fail(f"{name} line {first + 1}:\n got:  {line[:500]}\n want: "
                    f"{want[first][:500] if first < len(want) else '(none)'}")  # fmt: skip


def test_two_processes_write_what_one_wrote(
    outputs: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Worker processes (a cold scheme, caches and imports in each) change no output."""
    root = tmp_path_factory.mktemp("golden2")
    build_inputs(root / "in")
    assert run_all(root, jobs=2) == outputs


def _cells_before(
    row: dict[str, Any], columns: tuple[str, ...], known: frozenset[str], seen: dict[str, str]
) -> list[Any]:
    """``perfscore.scale.summary._cells`` as it was before its fast paths (the reference)."""
    from perfscore._safe import neutralise
    from perfscore.scale.summary import _text

    if not known.issuperset(row):
        wrong = row.keys() - known
        raise ValueError("dict contains fields not in fieldnames: " + ", ".join(map(repr, wrong)))
    cells: list[Any] = []
    for column in columns:
        value = row.get(column)
        if type(value) is str:
            cell = seen.get(value)
            if cell is None:
                cell = seen[value] = neutralise(value)
            cells.append(cell)
        elif value is None:
            cells.append("")
        elif type(value) is Decimal:
            cells.append(f"{value:f}")
        else:
            cells.append(_text(value))
    return cells


class _Text(str):
    """A str subclass: written through _text, as before."""


class _Amount(Decimal):
    """A Decimal subclass: written through _text, as before."""


_TEXTS = [t for t in HOSTILE if isinstance(t, str)] + [
    "=", "+", "-", "@", " =1", "\t-1", "\u3000=x", "\ufffd+1", "-6", "-1.5%", "a\x0bb",
    "\x7f", "\u2028", "甲", "  ", "\n", "'=1",
]  # fmt: skip


def _summary_values() -> Any:
    from hypothesis import strategies as st

    decimals = st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.sampled_from(
            ["1E+1", "1E-7", "0E-7", "-0", "-0.00", "93.95", "sNaN", "NaN5", "1E+30"]
        ).map(Decimal),
    )
    return st.one_of(
        st.sampled_from(_TEXTS),
        st.text(max_size=6),
        decimals,
        decimals.map(_Amount),
        st.sampled_from(_TEXTS).map(_Text),
        st.none(),
        st.integers(),
        st.booleans(),
        st.floats(),
    )


def test_summary_cells_are_written_as_before() -> None:
    """The CSV summary's cells (texts made safe, Decimals without exponent, the rest as
    _text writes them) are what the reference gives, row after row of one file."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from perfscore.scale import summary

    keys = st.sampled_from([*summary.INDICATOR_COLUMNS, "not_a_column"])

    @settings(max_examples=300)
    @given(st.lists(st.dictionaries(keys, _summary_values(), max_size=20), max_size=6))
    def check(rows: list[dict[str, Any]]) -> None:
        before: dict[str, str] = {}
        after: dict[str, str] = {}
        for row in rows:
            args = (summary.INDICATOR_COLUMNS, summary._INDICATOR_KEYS)
            try:
                expected: Any = _cells_before(row, *args, before)
            except ValueError as error:
                expected = str(error)
            try:
                got: Any = summary._cells(row, *args, after)
            except ValueError as error:
                got = str(error)
            assert [(type(c), c) for c in got] == [(type(c), c) for c in expected]

    check()


def regenerate() -> None:
    """Write golden/ from the code as it is (run on main, before a speed change)."""
    import tempfile

    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_inputs(root / "in")
        GOLDEN.mkdir(exist_ok=True)
        for name, text in run_all(root).items():
            data = text.encode("utf-8")
            golden_path(name).write_bytes(data if name in PLAIN else gzip.compress(data, mtime=0))


if __name__ == "__main__":
    regenerate()
