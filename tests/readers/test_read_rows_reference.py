"""The single-pass row reader gives exactly what the reader it replaced gave.

``reference_read.py`` (beside this file) keeps the rows → Document code as it stood
before it was made faster: each cell's text made twice, the header mapping merged on
every row, :func:`indicator_from_row` and the public :class:`Indicator` constructor
per row.  Here both read the same rows and must give the same ``repr`` of the
Document (every field, every Decimal's digits, every diagnostic in order):

* every row list a reader hands to ``read_rows`` while reading every CSV, workbook
  (the calamine and the openpyxl path, unsaved formulas included), Word form and text
  in the repository and the forms the tests build (the batch golden folder's official
  forms with their faults, the project and department forms in every layout);
* random sheets from Hypothesis: headers in any spelling and order (the split-target
  and reviewer columns too), metadata, budget and goal blocks, notes, footers, goal
  rows, short rows, numbers as text, int, float, Decimal, booleans, dates, unsaved
  formulas.

And the readers' :func:`trusted_indicator` builds the same Indicator as the public
constructor for every value the readers give it.
"""

from __future__ import annotations

import datetime
import inspect
import shutil
import sys
import warnings
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import forms
from perfscore.errors import ReadError
from perfscore.indicators import (
    COLUMNS,
    SELF_EVALUATION_HEADER,
    Indicator,
    parse_points,
    trusted_indicator,
)
from perfscore.readers import read, read_all, self_evaluation, tabular
from perfscore.readers._cells import UnsavedFormula

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "scale"))

import contextlib

import reference_read
from official_batch import build_folder, form_rows

ROOT = Path(__file__).parents[2]


def outcome(read_rows: Any, rows: Sequence[Sequence[object]], **options: Any) -> str:
    try:
        return repr(read_rows([list(r) for r in rows], **options))
    except Exception as error:
        return f"{type(error).__name__}: {error}"


def assert_same(rows: Sequence[Sequence[object]], **options: Any) -> None:
    new = outcome(tabular.read_rows, rows, **options)
    assert new == outcome(reference_read.read_rows, rows, **options)


class Compared:
    """Stands in for ``read_rows`` in the readers: reads each table both ways, compares."""

    def __init__(self) -> None:
        self.tables = 0
        self.with_formulas = 0  # tables read with unsaved formulas (the openpyxl path)
        self._read_rows = tabular.read_rows

    def __call__(self, rows: Iterable[Sequence[object]], **options: Any) -> Any:
        table = [list(r) for r in rows]
        self.tables += 1
        self.with_formulas += bool(options.get("formulas"))
        expected = outcome(reference_read.read_rows, table, **options)
        assert outcome(self._read_rows, table, **options) == expected
        return self._read_rows(table, **options)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Compared:
    check = Compared()
    monkeypatch.setattr(tabular, "read_rows", check)
    monkeypatch.setattr(self_evaluation, "read_rows", check)
    return check


def read_every_way(path: Path) -> None:
    """Read ``path`` as the CLI and the batch do (and a workbook with openpyxl too)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for reading in (
            lambda: read(path),
            lambda: read_all(path, every_sheet=True),
            lambda: tabular.read_xlsx_sheets(path, every_sheet=True, _engine="openpyxl"),
        ):
            if reading.__code__.co_names[-1] == "read_xlsx_sheets" and path.suffix != ".xlsx":
                continue
            with contextlib.suppress(ReadError):
                reading()


def corpus(root: Path) -> list[Path]:
    """Every table-like file in the repository, and the forms the tests build."""
    import openpyxl

    files = [
        p
        for folder in ("examples", "docs", "tests")
        for p in sorted((ROOT / folder).rglob("*"))
        if p.suffix.lower() in (".csv", ".xlsx", ".xls", ".ods", ".docx", ".tsv")
        or (p.suffix == ".txt" and "data" in p.parts and "golden" not in p.parts)
    ]
    build_folder(root / "csv", 12, ".csv")
    build_folder(root / "xlsx", 6, ".xlsx", start=100)
    files += sorted((root / "csv").iterdir()) + sorted((root / "xlsx").iterdir())
    for n, (grade, goal) in enumerate(
        (g, layout) for g in forms.GRADE_PLACES for layout in forms.GOAL_LAYOUTS
    ):
        rows = forms.project_form_rows(grade=grade, goal=goal)
        files.append(forms.write_rows_docx(root / f"project{n}.docx", rows, total_span=2))
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(root / f"project{n}.xlsx")
        files.append(root / f"project{n}.xlsx")
        (root / f"project{n}.txt").write_text(forms.rows_text(rows), "utf-8")
        files.append(root / f"project{n}.txt")
    files.append(forms.write_project_form_xlsx(root / "project-form.xlsx"))
    files.append(forms.write_project_form_ods(root / "project-form.ods"))
    files.append(forms.write_workbook(root / "workbook.xlsx"))
    for weight in (20, 10, None):
        rows = forms.department_form_rows(execution_weight=weight, grade="优")
        (root / f"department{weight}.txt").write_text(forms.rows_text(rows), "utf-8")
        files.append(root / f"department{weight}.txt")
    files.append(formulas_workbook(root / "formulas.xlsx"))
    for path in ROOT.glob("examples/data/*.csv"):
        shutil.copy(path, root / path.name)
    return files


def formulas_workbook(path: Path) -> Path:
    """Unsaved formulas (openpyxl writes the formula and no value): in the 得分, the 分值,
    a text column and the 总分 row."""
    import openpyxl

    book = openpyxl.Workbook()
    for number, row in enumerate(form_rows(7), start=1):
        book.active.append([c or None for c in row])
        if row and row[0] == "总分":
            book.active.cell(number, 8).value = "=SUM(H1:H3)"
    book.active["H8"] = "=G8*1"
    book.active["G9"] = "=1+1"
    book.active["E10"] = "=A1"
    book.active["A11"] = "=B2"
    book.save(path)
    return path


def test_every_form_reads_as_the_reference_reader_reads_it(
    tmp_path: Path, compared: Compared
) -> None:
    files = corpus(tmp_path)
    assert len(files) > 60
    for path in files:
        read_every_way(path)
    assert compared.tables > 150  # every reader reached read_rows, many times
    assert compared.with_formulas >= 3  # formulas.xlsx, read three ways


def test_the_fast_path_met_unsaved_formulas(tmp_path: Path) -> None:
    """The formula workbook above does go through the openpyxl path, with formulas."""
    path = formulas_workbook(tmp_path / "formulas.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = read(path)
    assert any("公式" in d.message for d in document.diagnostics)


# --- random sheets ---------------------------------------------------------------------

HEADER_WORDS = sorted({h for spellings in COLUMNS.values() for h in spellings})
LABELS = [
    *tabular.METADATA, *tabular.BUDGET_LABELS, *tabular.BUDGET_TOTAL_ROWS,
    *tabular.BUDGET_SUB_ROWS, *tabular.GOAL_HEADINGS, *tabular.GOAL_LABELS,
    *tabular.FOOTER_LABELS, "全年预算数(A)", "分值（分）", "总分", "合计", "自评等级：优",
    "自评结论: 良", "自评等级：", "备注：金额单位为万元", "说明:", "绩效目标1", "绩效目标 二",
    "2024年度天津市科学技术局整体支出绩效自评表", "（2023年度）", "其中：当年财政拨款",
    "填表人：张三", "产出指标", "数量指标", "效益指标", "成本指标", "甲", "乙", " 丙 ",
]  # fmt: skip
NUMBER_TEXTS = [
    "", " ", "1", "2", "10", "1.5", " 2 ", "１.５", "0", "-1", "1001", "十分", "满分", "—", "/",
    "1e999", "NaN", "95%", "1,000", "12分", "1.000000000000000000000000000001", "3\n",
]  # fmt: skip
TARGETS = ["≥10个", "≥95%", "≤480万元", "健全", "12人", "100%", "2024年6月底前", "≥", "正向"]


def cells() -> st.SearchStrategy[object]:
    texts = st.sampled_from(HEADER_WORDS + LABELS + NUMBER_TEXTS + TARGETS)
    return st.one_of(
        texts,
        texts,
        texts,
        st.none(),
        st.none(),
        st.text(max_size=6),
        st.integers(-5, 2000),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([1.0, 2.5, 10.0, 0.1, 1e20, -0.0]),
        st.decimals(allow_nan=False, places=2, min_value=-10, max_value=1200),
        st.booleans(),
        st.sampled_from(["2024-12-31", datetime.date(2024, 6, 30).isoformat()]),
        st.builds(UnsavedFormula, st.sampled_from(["=A1", "=G13*1", "=SUM(H2:H9)"]),
                  st.sampled_from(["A1", "H13", "C4"])),
    )  # fmt: skip


def rows_strategy() -> st.SearchStrategy[list[list[object]]]:
    header = st.one_of(
        st.just(list(SELF_EVALUATION_HEADER)),
        st.lists(st.sampled_from([*HEADER_WORDS, "", "备注"]), min_size=1, max_size=12),
    )
    row = st.lists(cells(), max_size=12)
    return st.tuples(st.lists(row, max_size=5), header, st.lists(row, max_size=25)).map(
        lambda parts: [*parts[0], list(parts[1]), *parts[2]]
    )


@given(rows_strategy(), st.booleans())
def test_random_sheets_read_as_the_reference_reader_reads_them(
    rows: list[list[object]], formulas: bool
) -> None:
    assert_same(rows, file="random.xlsx", formulas=formulas)


@given(st.lists(st.lists(cells(), max_size=10), max_size=30))
def test_random_rows_without_a_set_header_read_the_same(rows: list[list[object]]) -> None:
    assert_same(rows, file="rows.csv")


def test_official_forms_read_the_same() -> None:
    for seed in range(40):
        assert_same(form_rows(seed), file=f"unit{seed}.csv")
        assert_same([[c or None for c in row] for row in form_rows(seed)], file="u.xlsx")
    for weight in (20, 10, None):
        for published in (None, "86.5"):
            assert_same(forms.department_form_rows(execution_weight=weight, published=published))
    for grade in forms.GRADE_PLACES:
        for goal in forms.GOAL_LAYOUTS:
            assert_same(forms.project_form_rows(grade=grade, goal=goal))


# --- the trusted constructor -----------------------------------------------------------


def test_trusted_indicator_has_the_constructors_keywords_and_defaults() -> None:
    public = inspect.signature(Indicator)
    trusted = inspect.signature(trusted_indicator)
    assert list(public.parameters) == list(trusted.parameters)
    for name, parameter in public.parameters.items():
        assert trusted.parameters[name].default == parameter.default, name
        assert trusted.parameters[name].kind == parameter.kind, name
    assert [f.name for f in attrs.fields(Indicator)] == list(trusted.parameters)


points = st.one_of(
    st.none(),
    st.sampled_from([*NUMBER_TEXTS, "100", "0.50", "1000", "999.999", "5E+1"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0, max_value=1000),
    st.integers(0, 1000),
    st.floats(0, 1000),
).map(lambda cell: _parsed(cell))


def _parsed(cell: object) -> Decimal | None:
    """What a reader gives for a 分值 or 得分 cell: parse_points, or None for a bad one."""
    try:
        return parse_points(cell)
    except ValueError:
        return None


TEXT_FIELDS = [
    f.name for f in attrs.fields(Indicator) if f.name != "row" and f.type in ("str", str)
]


@given(
    st.integers(1, 100_000),
    st.fixed_dictionaries(
        {},
        optional={
            **{name: st.text(max_size=8) for name in TEXT_FIELDS},
            "weight": points,
            "published": points,
            "reviewed": points,
            "coefficient": st.one_of(st.none(), st.decimals(allow_nan=False, places=2)),
        },
    ),
)
def test_trusted_indicator_builds_what_the_public_constructor_builds(
    row: int, fields: dict[str, Any]
) -> None:
    public = Indicator(row=row, **fields)
    trusted = trusted_indicator(row, **fields)
    assert type(trusted) is Indicator
    assert trusted == public
    assert repr(trusted) == repr(public)
    assert hash(trusted) == hash(public)
    assert attrs.asdict(trusted) == attrs.asdict(public)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        trusted.level3 = "changed"  # type: ignore[misc]


# --- 分值 and 得分 parsed once per distinct cell -------------------------------------------


def _points_outcome(parse: Any, cell: object) -> str:
    try:
        return repr(parse(cell))
    except ValueError as error:
        return f"ValueError: {error}"


number_cells = st.one_of(
    st.sampled_from([*NUMBER_TEXTS, "100", "0.50", "5E+1", "1e-30"]),
    st.text(alphabet="0123456789.-+eE 分１．", max_size=8),
    st.integers(-10, 10**30),
    st.floats(),
    st.sampled_from([0.0, -0.0, 1.0, 1e20, 1e-20, 0.1, float("nan"), float("inf")]),
    st.decimals(),
    st.booleans(),
    st.none(),
)


@given(st.lists(number_cells, max_size=20))
def test_remembered_points_are_parse_points(cells: list[object]) -> None:
    """Whatever was parsed before (-0.0 after 0.0, "1.0" after 1), each cell reads as
    parse_points reads it, errors included."""
    from perfscore.readers._cells import points

    fixed = [0.0, -0.0, 1, 1.0, True, "1", "1.0", Decimal("1.0"), Decimal(1), -0.0, 0.0]
    for cell in [*fixed, *cells, *cells, *fixed]:
        assert _points_outcome(points, cell) == _points_outcome(parse_points, cell)


# --- CSV records --------------------------------------------------------------------------


def _records(text: str, delimiter: str, rows: Any) -> str:
    notes: list[Any] = []
    try:
        found = [list(r) for r in rows(text, "t.csv", delimiter, notes)]
    except ReadError as error:
        return f"ReadError: {error} @ {error.row}"
    return repr((found, notes))


csv_texts = st.lists(
    st.sampled_from(
        [
            ",",
            ",",
            "\t",
            '"',
            '"',
            "'",
            "'=",
            "'+1",
            "\n",
            "\r\n",
            "\r",
            "a",
            "中",
            "1",
            " ",
            "\x00",
        ]
    ),
    max_size=40,
).map("".join)


@given(csv_texts, st.sampled_from([",", "\t"]))
def test_csv_records_are_read_as_the_reference_reads_them(text: str, delimiter: str) -> None:
    """Quotes, apostrophes, unclosed quotes, line breaks of every kind, NULs."""
    from perfscore.readers._csv import csv_rows

    expected = _records(text, delimiter, reference_read.csv_rows)
    assert _records(text, delimiter, csv_rows) == expected


def test_edited_csv_files_are_read_as_the_reference_reads_them() -> None:
    from perfscore.readers._csv import csv_rows

    header = ",".join(SELF_EVALUATION_HEADER)
    texts = [
        f'{header}\n目标1,产出指标,数量指标,"甲\n乙",≥10个,12个,2,2,\n',
        f"{header}\n目标1,产出指标,数量指标,'=1+1,'+5,12个,2,2,\n",
        f'{header}\n目标1,产出指标,数量指标,"甲,≥10个,12个,2,2,\n目标1,a,b,c,d,e,1,1,\n',
        f'{header}\n"目标1,产出指标,数量指标,甲,≥10个,12个,2,2\n',
        f"{header}\r\n目标1,产出指标,数量指标,甲,≥10个,12个,2,2,\r\n",
    ]
    for text in texts:
        assert _records(text, ",", csv_rows) == _records(text, ",", reference_read.csv_rows)


# --- labels folded ------------------------------------------------------------------------


@given(
    st.one_of(
        st.text(),
        st.lists(
            st.sampled_from([*HEADER_WORDS[:40], *LABELS[:40], "(", "（", "]", "】", " ", "\u3000",
                             "\xa0", "\u2028", "\x1c", "\x85", "İ", "ẞ", "A", "分"]),
            max_size=8,
        ).map("".join),
    )
)  # fmt: skip
def test_folded_labels_are_folded_as_before(text: str) -> None:
    from perfscore.indicators import fold_label

    assert fold_label(text) == reference_read.fold_label_reference(text)


def test_every_character_folds_as_before() -> None:
    """Every code point, alone and between letters (spaces of every kind, case changes
    that lengthen a text, brackets)."""
    from perfscore.indicators import fold_label

    for code in range(0x110000):
        ch = chr(code)
        for text in (ch, f"a{ch}B"):
            assert fold_label(text) == reference_read.fold_label_reference(text), hex(code)


# --- the XLSX scan's checks -----------------------------------------------------------------

XML_PIECES = [
    b"<t>", b"</t>", b"<t xml:space=\"preserve\">", b"<", b">", b"t", b"/", b" ", b"\t", b"\r",
    b"\n", b"&#32;", b"&#x20;", b"&#X020;", b"&#0009;", b"&#9;", b"&#10;", b"&#13;", b"&#xA;",
    b"&#xd;", b"&#xD;", b"&#24180;", b"&#320;", b"&#x200;", b"&#", b";", b"a", b"0", b"x",
    b"<v>1</v>", b"<is>", b"</is>", b"<si>", b"</si>", b"&amp;",
]  # fmt: skip


@given(st.lists(st.sampled_from(XML_PIECES), max_size=30).map(b"".join))
def test_trimmed_texts_are_found_as_the_pattern_finds_them(raw: bytes) -> None:
    from perfscore.readers import _xlsx

    assert _xlsx._trimmed(raw) == (_xlsx._TRIMMED.search(raw) is not None)


@given(st.binary(max_size=40))
def test_trimmed_texts_in_any_bytes(raw: bytes) -> None:
    from perfscore.readers import _xlsx

    for data in (raw, b"<t>" + raw + b"</t>", raw + b" </t>" + raw):
        assert _xlsx._trimmed(data) == (_xlsx._TRIMMED.search(data) is not None)


@given(
    st.lists(
        st.lists(
            st.sampled_from([*HEADER_WORDS, "", "", "甲", None, " 分值（分） ", 7]), max_size=8
        ),
        max_size=120,
    )
)
def test_the_header_row_is_the_one_the_reference_finds(rows: list[list[object]]) -> None:
    """Rows of header words and blanks: ties, rows past the first hundred, a row naming
    one field many times."""
    texts = [tabular._texts(row) for row in rows]
    assert tabular._find_header(texts) == reference_read._find_header(rows)


@given(st.lists(cells(), max_size=12))
def test_row_texts_are_cell_texts(row: list[object]) -> None:
    from perfscore.readers._cells import cell_text

    assert tabular._texts(row) == [cell_text(v) for v in row]


REFERENCE_PIECES = [
    b"&#", b"&#x", b"&#X", b"0", b"00", b"1", b"2", b"3", b"9", b"13", b"24180", b"x", b"X",
    b"a", b"b", b"F", b"1f", b"20", b";", b"&", b"#", b"<t>", b"&amp;", b"&#32;", b"&#9;",
]  # fmt: skip


@given(st.lists(st.sampled_from(REFERENCE_PIECES), max_size=30).map(b"".join))
def test_control_references_are_found_as_the_pattern_finds_them(raw: bytes) -> None:
    from perfscore.readers import _xlsx

    expected = _xlsx._CONTROL_REFERENCE.search(raw) is not None
    assert _xlsx._control_reference(raw) == expected


def test_every_short_reference_is_judged_as_the_pattern_judges_it() -> None:
    """Every decimal and hexadecimal reference up to four digits, leading zeros included."""
    from perfscore.readers import _xlsx

    numbers = [str(n) for n in range(10_000)] + [f"0{n}" for n in range(1000)]
    numbers += [f"x{n:x}" for n in range(0x1000)] + [f"X0{n:X}" for n in range(0x100)]
    for number in numbers:
        for raw in (f"&#{number};".encode(), f"a&#24180;&#{number};b".encode()):
            expected = _xlsx._CONTROL_REFERENCE.search(raw) is not None
            assert _xlsx._control_reference(raw) == expected, raw


# --- parts read once per batch --------------------------------------------------------------


def _book(path: Path) -> str:
    from perfscore.readers import _xlsx

    return repr(_xlsx.read_book(str(path)))


def test_a_part_seen_before_is_read_as_if_new(tmp_path: Path) -> None:
    """A batch's workbooks read one after another (their [Content_Types].xml and
    styles.xml remembered) give what each gives read alone, the cache emptied first."""
    from perfscore.readers import _xlsx

    build_folder(tmp_path / "x", 8, ".xlsx")
    paths = sorted((tmp_path / "x").iterdir())
    paths.append(forms.write_workbook(tmp_path / "workbook.xlsx"))
    paths.append(forms.write_project_form_xlsx(tmp_path / "project.xlsx"))
    paths += sorted(ROOT.glob("examples/**/*.xlsx"))
    from test_xlsx_engines import shared_strings  # text in xl/sharedStrings.xml, as Excel

    for n, path in enumerate(paths[:3]):
        copy = tmp_path / f"shared{n}.xlsx"
        shutil.copy(path, copy)
        paths.append(shared_strings(copy))
    alone = []
    for path in paths:
        _xlsx._PLAIN_PARTS.clear()
        alone.append(_book(path))
    _xlsx._PLAIN_PARTS.clear()
    assert [_book(path) for path in paths] == alone
    assert _xlsx._PLAIN_PARTS  # the template's parts were remembered
    remembered = {key[1] for key in _xlsx._PLAIN_PARTS}
    assert "xl/styles.xml" in remembered
    assert "xl/sharedStrings.xml" not in remembered  # each workbook's own: not kept


def test_a_part_whose_header_lies_is_not_taken_for_the_one_seen_before(tmp_path: Path) -> None:
    """The same stored bytes under a local header naming another file: zipfile refuses
    the member, so the workbook goes to openpyxl, whatever was read before."""
    from perfscore.readers import _xlsx

    build_folder(tmp_path / "x", 1, ".xlsx")
    good = next((tmp_path / "x").iterdir())
    data = good.read_bytes()
    name = b"[Content_Types].xml"
    at = data.index(b"PK\x03\x04", 0)
    while data[at + 30 : at + 30 + len(name)] != name:
        at = data.index(b"PK\x03\x04", at + 4)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(data[: at + 30] + b"[Content_Typez].xml" + data[at + 30 + len(name) :])
    _xlsx._PLAIN_PARTS.clear()
    cold = _book(bad)
    assert cold == "None"
    assert _book(good) != "None"  # remembers the good [Content_Types].xml
    assert _book(bad) == cold
