"""Every limit meets a file built to slip past it: refused early with a ReadError, never loaded."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from perfscore.errors import ReadError
from perfscore.readers import _files, read, read_all
from perfscore.readers.json_reader import read_json_text

HEADER = ["三级指标", "年度指标值", "实际完成值", "分值", "得分"]
ROW = ["甲", "≥10人", "12人", 100, 100]


def rewrite(path: Path, change: Callable[[str, bytes], tuple[str, bytes] | None]) -> Path:
    """Rewrite a ZIP package member by member: ``change`` returns the new (name, data) or None."""
    with zipfile.ZipFile(path) as source:
        members = [(i.filename, source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            target.writestr(*(change(name, data) or (name, data)))
    return path


def workbook(path: Path, rows: int = 1) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for _ in range(rows):
        book.active.append(ROW)
    book.save(path)
    return path


def ods(path: Path) -> Path:
    pytest.importorskip("odf")
    from forms import write_ods

    return write_ods(path, {"项目": [HEADER, ROW]})


def test_an_ods_repeating_a_row_two_million_times_is_refused(tmp_path: Path) -> None:
    """A 1 KB .ods whose row says number-rows-repeated=2000000 is refused before calamine runs."""
    pytest.importorskip("python_calamine")
    path = ods(tmp_path / "repeat.ods")
    assert len(read(path).indicators) == 1  # the same file, unrepeated, reads

    def repeat(name: str, data: bytes) -> tuple[str, bytes] | None:
        if name != "content.xml":
            return None
        text = data.decode()
        last = text.rindex("<table:table-row>")
        row = '<table:table-row table:number-rows-repeated="2000000">'
        return name, (text[:last] + row + text[last + len("<table:table-row>") :]).encode()

    rewrite(path, repeat)
    assert path.stat().st_size < 4000
    with pytest.raises(ReadError, match="100000") as info:
        read_all(path, every_sheet=True)
    assert info.value.file == str(path)


def test_ods_empty_repeated_rows_cost_nothing(tmp_path: Path) -> None:
    """LibreOffice's empty rows repeated to the sheet's end are not counted: the file reads."""
    pytest.importorskip("python_calamine")
    path = ods(tmp_path / "tail.ods")

    def tail(name: str, data: bytes) -> tuple[str, bytes] | None:
        if name != "content.xml":
            return None
        empty = (
            '<table:table-row table:number-rows-repeated="1048570">'
            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        )
        return name, data.replace(b"</table:table>", empty.encode() + b"</table:table>")

    rewrite(path, tail)
    _files.check_ods_cells(str(path))  # passes: nothing filled is repeated


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A2:Z90000", "A1:GS2"])
def test_an_xlsx_with_one_huge_merged_range_is_refused_quickly(tmp_path: Path, ref: str) -> None:
    """One merged range over a million cells (a 5 KB file) is refused from the XML, unloaded."""
    path = workbook(tmp_path / "merged.xlsx")

    def merge(name: str, data: bytes) -> tuple[str, bytes] | None:
        if not name.startswith("xl/worksheets/"):
            return None
        cells = f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
        return name, data.replace(b"</sheetData>", cells.encode())

    rewrite(path, merge)
    with pytest.raises(ReadError, match=r"merged range|cells") as info:
        read(path)
    assert info.value.file == str(path)


def test_a_small_merged_range_still_reads(tmp_path: Path) -> None:
    """A merged title row (A1:E1) is an ordinary form: counted, and read."""
    path = workbook(tmp_path / "title.xlsx")
    _files.check_sheet_cells(str(path))
    book = openpyxl.load_workbook(path)
    book.active.insert_rows(1)
    book.active["A1"] = "项目支出绩效自评表"
    book.active.merge_cells("A1:E1")
    book.save(path)
    assert len(read(path).indicators) == 1


def test_a_sheet_stored_elsewhere_in_the_package_is_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cell count follows the package's own paths, not only xl/worksheets/*.xml."""
    path = workbook(tmp_path / "moved.xlsx", rows=30)

    def move(name: str, data: bytes) -> tuple[str, bytes] | None:
        if name == "xl/worksheets/sheet1.xml":
            return "xl/hidden/data.xml", data
        if name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
            data = data.replace(b"/xl/worksheets/sheet1.xml", b"/xl/hidden/data.xml")
            return name, data.replace(b'"worksheets/sheet1.xml"', b'"/xl/hidden/data.xml"')
        return None

    rewrite(path, move)
    with zipfile.ZipFile(path) as archive:
        assert "xl/worksheets/sheet1.xml" not in archive.namelist()
    assert len(read(path).indicators) == 30  # openpyxl finds the moved sheet
    monkeypatch.setattr(_files, "MAX_CELLS", 100)
    with pytest.raises(ReadError, match="cells"):
        read(path)


def test_json_over_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON list of more indicators than MAX_ROWS is refused, naming the count."""
    monkeypatch.setattr(_files, "MAX_ROWS", 10)
    rows = [{"target": "≥10人", "actual": "12人", "weight": 1}] * 11
    with pytest.raises(ReadError, match="超过 10 行") as info:
        read_json_text(json.dumps({"indicators": rows}), file="big.json")
    assert info.value.row == 11
    assert len(read_json_text(json.dumps({"indicators": rows[:10]})).indicators) == 10


def test_an_xls_over_the_byte_limit_is_refused_before_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An .xls (at most 65,536 rows by format) is bounded by its size, checked first."""
    pytest.importorskip("python_calamine")
    monkeypatch.setattr(_files, "MAX_FILE_BYTES", 1024)
    path = tmp_path / "big.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 4096)
    with pytest.raises(ReadError, match="文件过大"):
        read(path)


def test_an_ods_sheet_over_the_row_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filled rows past MAX_ROWS in one .ods table are refused, repeated or written out."""
    pytest.importorskip("python_calamine")
    pytest.importorskip("odf")
    from forms import write_ods

    monkeypatch.setattr(_files, "MAX_ROWS", 20)
    path = write_ods(tmp_path / "long.ods", {"项目": [HEADER] + [ROW] * 25})
    with pytest.raises(ReadError, match="超过上限 20"):
        read(path)
