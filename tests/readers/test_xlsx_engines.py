"""The calamine path reads every workbook exactly as the openpyxl path does.

Each workbook is read both ways and compared cell by cell (``_sheet_rows``: type
and value, so ``10`` is not ``10.0``) and document by document (``repr``, so
``Decimal('10')`` is not ``Decimal('10.0')``), errors included.  The workbooks:
every ``.xlsx`` in the repository, a broad set built here with openpyxl (merged
cells, percent and date formats, text formats, booleans, error cells, shared
and inline strings, rich text, leading blanks, several and hidden sheets,
unsaved formulas, styled empty cells, wide sheets…), some edited at the XML
level as Excel and WPS write them, and random sheets from Hypothesis.
"""

from __future__ import annotations

import datetime
import gc
import re
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import Border, PatternFill, Side

from perfscore.errors import ReadError
from perfscore.indicators import SELF_EVALUATION_HEADER
from perfscore.readers import _xlsx
from perfscore.readers.tabular import _sheet_rows, read_xlsx, read_xlsx_sheets

ROOT = Path(__file__).parents[2]
REPOSITORY_WORKBOOKS = sorted(
    p.relative_to(ROOT)
    for folder in ("examples", "tests", "docs")
    for p in (ROOT / folder).rglob("*.xlsx")
)
HEADER = list(SELF_EVALUATION_HEADER[:8])  # the official header without 偏差原因


def typed(rows: list[list[object]]) -> list[list[tuple[str, object]]]:
    """Each cell as (type, value): 10 and 10.0 compare equal, these do not."""
    return [[(type(v).__name__, v) for v in row] for row in rows]


def outcome(read: Callable[..., object], path: Path, **options: object) -> str:
    """What a read gives, as text: the documents' repr, or the error's type and message.

    openpyxl warns of a date serial out of range (and leaves a file open when it fails
    on a broken workbook): neither is what is compared here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return repr(read(path, **options))
        except ReadError as error:
            gc.collect()
            return f"{type(error).__name__}: {error} @ {error.file}"


def assert_same(path: Path, *, fast: bool | None = None) -> None:
    """The calamine path and the openpyxl path agree on ``path`` in every way."""
    book = _xlsx.read_book(str(path))
    if fast is not None:
        assert (book is not None) == fast, "calamine path taken" if book else "fell back"
    if book is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(path, data_only=True)
        assert book.titles == workbook.sheetnames
        assert book.active == workbook.index(workbook.active)
        assert len(book.sheets) == len(workbook.worksheets)
        for rows, worksheet in zip(book.sheets, workbook.worksheets, strict=True):
            assert typed(rows) == typed(_sheet_rows(worksheet)), worksheet.title
    for every_sheet in (False, True):
        expected = outcome(read_xlsx_sheets, path, every_sheet=every_sheet, _engine="openpyxl")
        assert outcome(read_xlsx_sheets, path, every_sheet=every_sheet) == expected
    assert outcome(read_xlsx, path) == outcome(read_xlsx, path, _engine="openpyxl")
    for title in [*(book.titles if book else []), "没有这张表"]:
        expected = outcome(read_xlsx, path, sheet=title, _engine="openpyxl")
        assert outcome(read_xlsx, path, sheet=title) == expected


@pytest.mark.parametrize("name", [str(p) for p in REPOSITORY_WORKBOOKS])
def test_every_workbook_in_the_repository_reads_the_same(name: str) -> None:
    """examples/, docs/templates/, tests/: each workbook read both ways, compared."""
    assert_same(ROOT / name, fast=True)


def test_the_repository_has_workbooks() -> None:
    assert len(REPOSITORY_WORKBOOKS) >= 2


# --- workbooks built here --------------------------------------------------------------


def rewrite(path: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Rewrite the package member by member (``change`` returns new bytes or None)."""
    with zipfile.ZipFile(path) as source:
        members = [(i.filename, source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            target.writestr(name, change(name, data) or data)
    return path


def sheet_xml(path: Path, change: Callable[[bytes], bytes]) -> Path:
    """Edit every worksheet part's XML."""
    return rewrite(path, lambda n, d: change(d) if n.startswith("xl/worksheets/sheet") else None)


INLINE = re.compile(
    rb'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t[^>]*>([^<]*)</t></is></c>'
)


def shared_strings(path: Path, rich: bool = False) -> Path:
    """Move every inline string into xl/sharedStrings.xml, as Excel and WPS store text."""
    strings: list[bytes] = []

    def to_shared(data: bytes) -> bytes:
        def one(found: re.Match[bytes]) -> bytes:
            strings.append(found.group(3))
            index = str(len(strings) - 1).encode()
            return b'<c r="%s"%s t="s"><v>%s</v></c>' % (
                found.group(1),
                found.group(2) or b"",
                index,
            )

        return INLINE.sub(one, data)

    sheet_xml(path, to_shared)

    def item(text: bytes) -> bytes:
        cut = text.find(b";") + 1 if text.startswith(b"&") else 1
        if rich and len(text) > cut:  # two runs, the first bold: the text is both together
            return (
                b'<si><r><rPr><b/></rPr><t xml:space="preserve">%s</t></r>'
                b'<r><t xml:space="preserve">%s</t></r></si>'
            ) % (
                text[:cut],
                text[cut:],
            )
        return b'<si><t xml:space="preserve">%s</t></si>' % text

    table = b"".join(item(s) for s in strings)
    sst = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d"'
        b' uniqueCount="%d">%s</sst>' % (len(strings), len(strings), table)
    )

    def add(name: str, data: bytes) -> bytes | None:
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                b"</Relationships>",
            )
        return None

    rewrite(path, add)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", sst)
    return path


def book(path: Path, rows: list[list[object]], **formats: str) -> Path:
    """One sheet of ``rows``; ``formats`` maps a cell (``"E3"``) to its number format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评表"
    for row in rows:
        sheet.append(row)
    for cell, number_format in formats.items():
        sheet[cell].number_format = number_format
    workbook.save(path)
    return path


FORM = [
    ["2024年度某单位整体支出绩效自评表"],
    HEADER,
    ["绩效目标1", "产出指标", "数量指标", "培训人次", "≥100人次", "120人次", 10, 10],
    [None, None, "质量指标", "合格率", 0.95, 0.98, 10.5, 9.5],
    [None, "效益指标", "社会效益指标", "满意度", "≥90%", 0.9, 20, 18],
    ["总分", None, None, None, None, None, 100, 93.95],
]


def _merged(path: Path) -> Path:
    book(path, FORM)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    for ref in ("A1:H1", "A3:A5", "B3:B4", "A6:F6", "G8:H9", "J1:J1"):
        sheet.merge_cells(ref)
    sheet["G8"] = "角落"
    workbook.save(path)
    return path


def _percents(path: Path) -> Path:
    rows = [HEADER, ["甲", "产出指标", "质量指标", "率", 0.95, 1, 0.333, 0.5, True, "95%"]]
    return book(path, rows, E2="0%", F2="0.0%", G2="0.00%", H2="#,##0.0%", I2="0%", J2="0%")


def _dates(path: Path) -> Path:
    moments = [
        datetime.date(2024, 12, 31),
        datetime.datetime(2024, 3, 1, 8, 30, 15),
        datetime.time(17, 45),
        datetime.timedelta(hours=30, minutes=5),
        datetime.date(1900, 1, 15),
        datetime.datetime(2024, 6, 30, 23, 59, 59, 600000),
    ]
    rows = [HEADER, ["甲", "产出指标", "时效指标", "完成时间", *moments[:4]], ["乙", *moments[4:]]]
    return book(
        path, rows, E2='yyyy"年"m"月"d"日"', F2="yyyy/m/d h:mm:ss", G2="h:mm", H2="[h]:mm:ss"
    )


def _text_format(path: Path) -> Path:
    rows = [HEADER, ["甲", "产出指标", "数量指标", "件数", 12, "012", 3.5, 1]]
    return book(path, rows, E2="@", F2="@", G2="@")


def _leading_blanks(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for column, text in enumerate(HEADER, start=3):
        sheet.cell(5, column, text)
    for column, value in enumerate(["绩效目标1", "产出", "数量", "甲", "≥1", "2", 5, 4], start=3):
        sheet.cell(6, column, value)
    workbook.save(path)
    return path


def _sheets(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["请按要求填写"])
    for name in ("项目一", "项目二", "隐藏"):
        sheet = workbook.create_sheet(name)
        for row in FORM:
            sheet.append(row)
        sheet.sheet_state = "hidden" if name == "隐藏" else "visible"
    workbook.active = 2
    workbook.save(path)
    return path


def _styled_empty(path: Path) -> Path:
    book(path, FORM)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    thin = Side(style="thin")
    for ref in ("K2", "K20", "A25", "L3"):
        sheet[ref].border = Border(left=thin, right=thin)
        sheet[ref].fill = PatternFill("solid", fgColor="FFFF00")
    workbook.save(path)
    return path


def _wide(path: Path, columns: int = 200) -> Path:
    rows = [HEADER + [f"列{i}" for i in range(len(HEADER), columns)]]
    rows.append(["甲", "产出", "数量", "件数", "≥1", "2", 3, 3, *range(len(HEADER), columns)])
    return book(path, rows)


def _too_wide(path: Path) -> Path:
    return _wide(path, 201)


def _unsaved_formula(path: Path) -> Path:
    rows = [HEADER, ["甲", "产出", "数量", "件数", "≥1", "2", 3, "=G2*1"]]
    return book(path, rows)


def _strings(path: Path) -> Path:
    rows = [
        HEADER,
        ["甲", " 前后空格 ", "多\n行", "回车_x000D_", "", "  ", "x005F_", "=不是公式"],
    ]
    return book(path, rows)


def _plain_strings(path: Path) -> Path:
    rows = [
        HEADER,
        ["甲", "  ", " 前后 ", "多\n行", "制表\t符", "amp&<>\"'", "\u3000全角", "A1=B1"],
    ]
    return book(path, rows)


def _numbers(path: Path) -> Path:
    values = [0, -0.0, 1, 10.0, 0.1 + 0.2, 1e20, 1e-7, 2**53, -12.5, 123456789.12, 96.08]
    return book(path, [HEADER, values])


def _booleans(path: Path) -> Path:
    return book(path, [HEADER, ["甲", True, False, "TRUE", 1, 0, None, "否"]])


def _official(path: Path) -> Path:
    from forms import write_project_form_xlsx

    return write_project_form_xlsx(path, total_span=6)


def _department(path: Path) -> Path:
    from forms import department_form_rows

    return book(path, department_form_rows(grade="优"))


def _several_forms(path: Path) -> Path:
    from forms import write_workbook

    return write_workbook(path)


BUILT: dict[str, tuple[Callable[[Path], Path], bool]] = {
    # name: (builder, whether the calamine path reads it)
    "merged": (_merged, True),
    "percents": (_percents, True),
    "dates": (_dates, True),
    "text-format": (_text_format, True),
    "leading-blanks": (_leading_blanks, True),
    "sheets": (_sheets, True),
    "styled-empty": (_styled_empty, True),
    "wide": (_wide, True),
    "too-wide": (_too_wide, False),
    "unsaved-formula": (_unsaved_formula, False),
    "strings": (_strings, False),  # _x000D_ and empty strings: openpyxl reads them
    "numbers": (_numbers, True),
    "plain-strings": (_plain_strings, True),
    "booleans": (_booleans, True),
    "official": (_official, True),
    "department": (_department, True),
    "several-forms": (_several_forms, True),
}


@pytest.mark.parametrize("name", sorted(BUILT))
@pytest.mark.parametrize("strings", ["inline", "shared", "rich"])
def test_built_workbooks_read_the_same(tmp_path: Path, name: str, strings: str) -> None:
    """Each built workbook, with inline, shared or rich-text strings, reads the same both ways."""
    build, fast = BUILT[name]
    path = build(tmp_path / f"{name}.xlsx")
    if strings != "inline":
        shared_strings(path, rich=strings == "rich")
    assert_same(path, fast=fast)


# --- as Excel and WPS write: edited at the XML level ------------------------------------


def _replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new)

    return change


NUMBERS_ROW = ["甲", "产出", "数量", "件数", "≥1", "2", 10, 5]
XML_EDITS: dict[str, tuple[bytes, bytes, bool]] = {
    # name: (what openpyxl wrote, what Excel or WPS may write, calamine path?)
    "whole-float": (b'<c r="G2" t="n"><v>10</v>', b'<c r="G2" t="n"><v>10.0</v>', True),
    "exponent": (b'<c r="G2" t="n"><v>10</v>', b'<c r="G2"><v>1E+1</v>', True),
    "untyped": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2"><v>5</v>', True),
    "big-int": (b'<c r="G2" t="n"><v>10</v>', b'<c r="G2"><v>9007199254740993</v>', False),
    "error": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2" t="e"><v>#DIV/0!</v>', True),
    "saved-formula": (
        b'<c r="H2" t="n"><v>5</v>',
        b'<c r="H2"><f>G2/2</f><v>5</v>',
        True,
    ),
    "saved-error-formula": (
        b'<c r="H2" t="n"><v>5</v>',
        b'<c r="H2" t="e"><f>1/0</f><v>#DIV/0!</v>',
        True,
    ),
    "shared-formula": (
        b'<c r="H2" t="n"><v>5</v>',
        b'<c r="H2"><f t="shared" ref="H2:H2" si="0">G2/2</f><v>5</v>',
        True,
    ),
    "unsaved-formula": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2"><f>G2/2</f></c><c r="I2">', False),
    "text-result": (
        b'<c r="H2" t="n"><v>5</v>',
        b'<c r="H2" t="str"><f>"5.0"</f><v>5.0</v>',
        True,
    ),
    "boolean": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2" t="b"><v>1</v>', True),
    "crlf-text": (b"<t>&#20214;&#25968;</t>", b"<t>&#20214;\r\n&#25968;</t>", True),
    # calamine trims a <t> not marked xml:space="preserve"; openpyxl does not: openpyxl reads
    "unpreserved-space": (b"<t>&#20214;&#25968;</t>", b"<t> &#20214;&#25968;</t>", False),
    "control-reference": (b"<t>&#20214;&#25968;</t>", b"<t>&#20214;&#1;</t>", False),
    "control-byte": (b"<t>&#20214;&#25968;</t>", b"<t>&#20214;\x01</t>", False),
    "unpreserved-newline": (b"<t>&#20214;&#25968;</t>", b"<t>&#20214;&#25968;&#10;</t>", False),
    "extra-attribute": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2" t="n" cm="1"><v>5</v>', True),
    "type-before-style": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2" t="n" s="0"><v>5</v>', True),
    "empty-value": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2" s="0"><v></v>', True),
    "iso-date": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2" t="d"><v>2024-01-02T00:00:00</v>', False),
    "prefixed": (
        b'<c r="H2" t="n"><v>5</v>',
        b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="H2" t="n">'
        b'<v>5</v></x:c><c r="Z9">',
        False,
    ),
    "attribute-order": (b'<c r="H2" t="n"><v>5</v>', b'<c t="n" r="H2"><v>5</v>', False),
    "single-quotes": (b'<c r="H2" t="n"><v>5</v>', b"<c r='H2' t='n'><v>5</v>", False),
    "far-cell": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H200000" t="n"><v>5</v>', False),
    "far-column": (b'<c r="H2" t="n"><v>5</v>', b'<c r="XFD2" t="n"><v>5</v>', False),
    "style-out-of-range": (b'<c r="H2" t="n"><v>5</v>', b'<c r="H2" s="999"><v>5</v>', False),
    "inline-rich": (
        b'<c r="D2" t="inlineStr"><is><t>&#20214;&#25968;</t></is>',
        b'<c r="D2" t="inlineStr"><is><r><t>&#20214;</t></r><r><t>&#25968;</t></r></is>',
        True,
    ),
}


@pytest.mark.parametrize("name", sorted(XML_EDITS))
def test_xml_as_other_writers_write_it_reads_the_same(tmp_path: Path, name: str) -> None:
    """Cells written as Excel, WPS or scripts write them: the same values both ways."""
    old, new, fast = XML_EDITS[name]
    path = book(tmp_path / f"{name}.xlsx", [HEADER, NUMBERS_ROW])
    sheet_xml(path, _replace(old, new))
    assert_same(path, fast=fast)


def test_a_1904_workbook_reads_its_dates_the_same(tmp_path: Path) -> None:
    """Mac Excel's 1904 date system: the same serials give other dates, both ways."""
    path = _dates(tmp_path / "mac.xlsx")
    rewrite(
        path,
        lambda n, d: (
            d.replace(b"<workbookPr/>", b'<workbookPr date1904="1"/>')
            if n == "xl/workbook.xml"
            else None
        ),
    )
    assert b"date1904" in zipfile.ZipFile(path).read("xl/workbook.xml")
    assert_same(path, fast=True)


def test_builtin_date_and_percent_formats_read_the_same(tmp_path: Path) -> None:
    """Every built-in number format 0–49 on a number, a fraction and a date serial."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for index, number_format in sorted(BUILTIN_FORMATS.items()):
        sheet.append([str(index), 45292, 0.75, 45292.5, 1.5, -3])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = number_format
    path = tmp_path / "formats.xlsx"
    workbook.save(path)
    assert_same(path, fast=True)


# --- random sheets ----------------------------------------------------------------------

VALUES = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda f: abs(f) < 1e300),
    st.booleans(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6),
    st.sampled_from(["≥10人", "95%", "绩效目标1", "总分", "0.5", "是"]),
)
FORMATS = st.sampled_from(
    ["General", "0%", "0.0%", "@", "yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "h:mm", "0.00", "#,##0"]
)


@settings(max_examples=40)
@given(
    cells=st.lists(st.tuples(st.integers(1, 12), st.integers(1, 10), VALUES, FORMATS), max_size=30),
    merges=st.lists(
        st.tuples(st.integers(1, 12), st.integers(1, 10), st.integers(0, 2), st.integers(0, 2)),
        max_size=3,
    ),
    shared=st.booleans(),
)
def test_random_sheets_read_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    cells: list[tuple[int, int, object, str]],
    merges: list[tuple[int, int, int, int]],
    shared: bool,
) -> None:
    """Random cells, formats and merged ranges: the same rows and documents both ways."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row, column, value, number_format in cells:
        cell = sheet.cell(row + 1, column)
        if isinstance(value, str) and value.startswith("="):
            value = "'" + value
        try:
            cell.value = value
        except ValueError:  # a character openpyxl refuses
            continue
        cell.number_format = number_format
    taken: set[tuple[int, int]] = set()
    for row, column, down, right in merges:
        box = {
            (r, c) for r in range(row, row + down + 1) for c in range(column, column + right + 1)
        }
        if box & taken:
            continue
        taken |= box
        sheet.merge_cells(
            start_row=row, start_column=column, end_row=row + down, end_column=column + right
        )
    path = tmp_path_factory.mktemp("random") / "random.xlsx"
    workbook.save(path)
    if shared:
        shared_strings(path)
    assert_same(path)


def test_upto_matches_exactly_the_numbers_up_to_the_limit() -> None:
    """The generated number regexes (row and style limits) match 0…limit, nothing else."""
    for limit in [*range(0, 130), 999, 1000, 1001, 65535, 100_000, 123_456]:
        pattern = re.compile(_xlsx._upto(limit))
        for number in {*range(0, min(limit + 30, 2000)), limit - 1, limit, limit + 1, limit * 10}:
            if number >= 0:
                assert bool(pattern.fullmatch(str(number).encode())) == (number <= limit)
        assert not pattern.fullmatch(b"01")


@given(
    whole=st.integers(0, 10**14),
    fraction=st.text("0123456789", min_size=1, max_size=14),
    sign=st.sampled_from(["", "-", "+"]),
)
def test_short_decimals_with_a_fraction_are_never_whole_floats(
    whole: int, fraction: str, sign: str
) -> None:
    """The scan leaves decimals of at most 15 digits with a non-zero fraction to calamine:
    as floats they are never whole, so both readers give float(text)."""
    text = f"{sign}{whole}.{fraction}"
    digits = len(text.lstrip("+-")) - 1
    if digits > 15 or not fraction.strip("0"):
        return
    assert not float(text).is_integer()
    found = _xlsx._VALUE.search(f"<v>{text}</v>".encode())
    assert found is None  # not looked at: calamine's float is openpyxl's


def test_without_calamine_openpyxl_reads_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """python-calamine missing (``excel`` installs it, but): the openpyxl path reads as ever."""
    path = _official(tmp_path / "form.xlsx")
    expected = outcome(read_xlsx_sheets, path)
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    assert _xlsx.read_book(str(path)) is None
    assert outcome(read_xlsx_sheets, path) == expected
