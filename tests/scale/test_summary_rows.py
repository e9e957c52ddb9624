"""The XLSX summary's rows (summary_xlsx.SheetRows) are the XML openpyxl writes, byte for byte.

The summary writer serialises its data rows itself (openpyxl's write-only append costs
about 10 µs a cell); here the same rows go through openpyxl's own ``append`` and through
``SheetRows`` + ``splice``, and every part of the two workbooks is compared: sheets,
styles (registered in the same order), comments and their drawings.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

openpyxl = pytest.importorskip("openpyxl", reason="the excel extra is not installed")

from perfscore.scale import summary_xlsx  # noqa: E402
from perfscore.scale.summary import INDICATOR_COLUMNS, PROJECT_COLUMNS  # noqa: E402


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


def write(
    path: Path,
    rows: list[dict[str, Any]],
    ours: bool,
    lang: str = "zh",
    places: int = 2,
    columns: tuple[str, ...] = INDICATOR_COLUMNS,
) -> None:
    """A workbook with a header and ``rows``, by openpyxl's append or by SheetRows."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("指标")
    summary_xlsx.prepare(sheet, columns, lang)
    sheet.append(summary_xlsx.header(sheet, columns, lang))
    styles: dict[str, Any] = {}
    serialised = summary_xlsx.SheetRows(sheet)
    for row in rows:
        if ours:
            serialised.append_row(row, columns, lang, places, styles)
        else:
            sheet.append(summary_xlsx.row_cells(sheet, row, columns, lang, places, styles))
    summary_xlsx.finish(sheet, columns, len(rows))
    book.save(path)
    if ours:
        summary_xlsx.splice(path, [(sheet.path.lstrip("/"), serialised)])
    serialised.close()


# Every kind of value a summary cell holds, and the texts that need escaping.
texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", " lead", "trail ", "a&b<c>d", "x\r\ny", "\t", "=1+1", "=", "-6", "+a", "@b",
         "#N/A", "#DIV/0!", "😀", "é", "x" * 1500, "'q'", '"q"', "]]>", "&amp;",
         "full", "partial", "zero", "needs_review", "scored", "failed", "未评级 (not graded)", "优"]
    ),
)  # fmt: skip
values = st.one_of(
    st.none(),
    texts,
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.integers(0, 6).flatmap(
        lambda p: st.decimals(allow_nan=False, allow_infinity=False, places=p)
    ),
    st.sampled_from(
        [Decimal("1.50"), Decimal("-0"), Decimal("1E+1"), Decimal("12345678901234567890"),
         Decimal("0.1"), Decimal("93.950"), Decimal("2E-7")]
    ),
)  # fmt: skip
rows = st.lists(
    st.fixed_dictionaries(dict.fromkeys((*INDICATOR_COLUMNS, *PROJECT_COLUMNS), values)),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_rows_are_the_xml_openpyxl_writes(
    tmp_path_factory: Any, drawn: list[dict[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("rows")
    write(folder / "openpyxl.xlsx", drawn, ours=False)
    write(folder / "ours.xlsx", drawn, ours=True)
    assert parts(folder / "ours.xlsx") == parts(folder / "openpyxl.xlsx")


def test_a_number_a_double_cannot_hold_keeps_its_note(tmp_path: Path) -> None:
    """The note (a comment, with its VML drawing) is written for a spliced row too."""
    row = dict.fromkeys(INDICATOR_COLUMNS, "x") | {"weight": Decimal("12345678901234567890")}
    write(tmp_path / "openpyxl.xlsx", [row, row], ours=False)
    write(tmp_path / "ours.xlsx", [row, row], ours=True)
    ours = parts(tmp_path / "ours.xlsx")
    assert any(name.startswith("xl/comments") for name in ours)
    assert ours == parts(tmp_path / "openpyxl.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "ours.xlsx")["指标"]
    assert sheet.max_row == 3
    assert sheet.cell(2, INDICATOR_COLUMNS.index("weight") + 1).comment is not None


# Values from a small pool, so that rows repeat their cells: SheetRows keeps a cell's XML
# by column and value and writes it again (Decimals equal in value but written
# differently, 1 and True, and notes' numbers among them).
pool = st.sampled_from(
    [None, "", "x", " x", "=1", "-6", "#N/A", "full", "scored", "needs_review", "1", "10", "1.50",
     "未评级 (not graded)", "a" * 1500, True, False, 0, 1, 7, 10**17, Decimal("1"),
     Decimal("1.0"), Decimal("1.50"), Decimal("1.5"), Decimal("-0"), Decimal("0"),
     Decimal("1E+1"), Decimal("10"), Decimal("12345678901234567890"), Decimal("2E-7")]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(dict.fromkeys((*INDICATOR_COLUMNS, *PROJECT_COLUMNS), pool)),
        min_size=2,
        max_size=12,
    ),
    st.sampled_from(["zh", "en"]),
    st.integers(0, 3),
    st.sampled_from([INDICATOR_COLUMNS, PROJECT_COLUMNS]),
    st.sampled_from([1, 3, 20_000]),
)
def test_repeated_cells_are_the_xml_openpyxl_writes(
    tmp_path_factory: Any,
    drawn: list[dict[str, Any]],
    lang: str,
    places: int,
    columns: tuple[str, ...],
    kept: int,
) -> None:
    """Cells written again from what SheetRows kept (and after it started again, with
    ``kept`` cells at most) are what openpyxl writes, in every language and places."""
    from unittest import mock

    folder = tmp_path_factory.mktemp("repeated")
    arguments = {"lang": lang, "places": places, "columns": columns}
    write(folder / "openpyxl.xlsx", drawn, ours=False, **arguments)  # type: ignore[arg-type]
    with mock.patch.object(summary_xlsx, "_KEPT_CELLS", kept):
        write(folder / "ours.xlsx", drawn, ours=True, **arguments)  # type: ignore[arg-type]
    assert parts(folder / "ours.xlsx") == parts(folder / "openpyxl.xlsx")


def test_kept_cells_are_reused_and_bounded(tmp_path: Path) -> None:
    """A repeated cell is written from what was kept; the kept cells never pass the bound."""
    from unittest import mock

    row = dict.fromkeys(INDICATOR_COLUMNS, "同一个文本") | {"weight": Decimal("5")}
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("指标")
    rows = summary_xlsx.SheetRows(sheet)
    styles: dict[str, Any] = {}
    with mock.patch.object(summary_xlsx, "_KEPT_CELLS", 8):
        for k in range(30):
            rows.append_row(row | {"row": k}, INDICATOR_COLUMNS, "zh", 2, styles)
            assert len(rows._tails) <= 8
    rows.close()
    fresh = summary_xlsx.SheetRows(book.create_sheet("二"))
    fresh.append_row(row, INDICATOR_COLUMNS, "zh", 2, {})
    fresh.append_row(row, INDICATOR_COLUMNS, "zh", 2, {})
    assert ("weight", Decimal, "5", "zh", 2) in fresh._tails
    fresh.close()
