"""Size limits of the readers: refused with a clear error, early, never a MemoryError."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from perfscore.errors import ReadError
from perfscore.readers import _files, read
from perfscore.readers._cells import indicator_from_row
from perfscore.readers.tabular import read_rows

HEADER = "三级指标,年度指标值,实际完成值,分值,得分\n"


def _csv(path: Path, rows: int) -> Path:
    path.write_text(HEADER + "".join(f"甲{i},≥10人,12人,1,1\n" for i in range(rows)), "utf-8")
    return path


def test_csv_over_the_row_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CSV longer than MAX_ROWS stops at the limit with an error naming the file and row."""
    monkeypatch.setattr(_files, "MAX_ROWS", 50)
    path = _csv(tmp_path / "big.csv", 60)
    with pytest.raises(ReadError, match="超过 50 行") as info:
        read(path)
    assert info.value.file == str(path)
    assert info.value.row == 51
    assert "perfscore.scale.frames" in str(info.value)


def test_csv_at_the_row_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exactly MAX_ROWS rows (header included) are read, every indicator kept."""
    monkeypatch.setattr(_files, "MAX_ROWS", 50)
    document = read(_csv(tmp_path / "ok.csv", 49))
    assert len(document.indicators) == 49


@pytest.mark.parametrize("suffix", [".csv", ".txt", ".json"])
def test_file_over_the_byte_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A text, CSV or JSON file over MAX_FILE_BYTES is refused by its size, not read."""
    monkeypatch.setattr(_files, "MAX_FILE_BYTES", 1024)
    path = tmp_path / f"big{suffix}"
    path.write_text("x" * 2048, "utf-8")
    with pytest.raises(ReadError, match="文件过大") as info:
        read(path)
    assert info.value.file == str(path)


def test_text_form_over_the_row_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pasted text with more lines than MAX_ROWS is refused, naming the limit."""
    monkeypatch.setattr(_files, "MAX_ROWS", 10)
    path = tmp_path / "form.txt"
    path.write_text("\n".join(["甲\t≥1人\t1人\t1\t1"] * 20), "utf-8")
    with pytest.raises(ReadError, match="超过 10 行"):
        read(path)


def test_read_rows_streams_a_generator() -> None:
    """read_rows takes a generator and reads it once, row numbers as the rows were given."""
    consumed = []

    def rows() -> Iterator[list[str]]:
        yield ["三级指标", "年度指标值", "实际完成值", "分值", "得分"]
        for i in range(300):
            consumed.append(i)
            yield [f"甲{i}", "≥10人", "12人", "1", "1"]

    document = read_rows(rows())
    assert len(consumed) == 300
    assert [i.row for i in document.indicators] == list(range(2, 302))


def test_bad_numbers_in_one_row_each_give_a_diagnostic() -> None:
    """Both a bad 分值 and a bad 得分 are reported in one pass; the row is kept with blanks."""
    headers = {"level3": "三级指标", "weight": "分值（分）", "score": "得分"}
    cells = {"level3": "甲", "weight": "十分", "score": "满分"}
    indicator, diagnostics = indicator_from_row(headers, cells, number=7, file="a.csv")
    assert indicator.level3 == "甲"
    assert indicator.weight is None
    assert indicator.published is None
    assert [(d.row, d.column, d.text) for d in diagnostics] == [
        (7, "分值（分）", "十分"),
        (7, "得分", "满分"),
    ]


@pytest.mark.parametrize("weight", ["-5", "1E+26", "1000.5", "-0.01", "１２３４"])
def test_absurd_weight_is_an_error_naming_the_row(tmp_path: Path, weight: str) -> None:
    """A negative or absurd 分值 is an error naming file, row, column and text; the row stays."""
    path = tmp_path / "w.csv"
    path.write_text(HEADER + f"甲,≥10人,12人,{weight},1\n乙,≥10人,12人,10,10\n", "utf-8")
    document = read(path)
    assert [i.level3 for i in document.indicators] == ["甲", "乙"]
    assert document.indicators[0].weight is None
    [error] = [d for d in document.diagnostics if d.row == 2]
    assert (error.file, error.column, error.text) == (str(path), "分值", weight)
    assert "0–1000" in error.message


@pytest.mark.parametrize("weight", ["0", "1000", "12.5"])
def test_sane_weights_are_read(tmp_path: Path, weight: str) -> None:
    """Points from 0 to 1000 are read as they are, with no diagnostic."""
    path = tmp_path / "w.csv"
    path.write_text(HEADER + f"甲,≥10人,12人,{weight},0\n", "utf-8")
    document = read(path)
    assert str(document.indicators[0].weight) == weight
    assert not document.diagnostics


def test_absurd_weight_in_json_is_an_error(tmp_path: Path) -> None:
    """JSON weights get the same bound, named by their JSON path."""
    path = tmp_path / "w.json"
    path.write_text('{"indicators": [{"row": 3, "level3": "甲", "weight": -5}]}', "utf-8")
    document = read(path)
    assert document.indicators[0].weight is None
    [error] = document.diagnostics
    assert (error.row, error.column) == (3, "indicators[0].weight")
    assert "0–1000" in error.message


def test_indicator_from_row_refuses_absurd_points() -> None:
    """The public Indicator.from_row raises ReadError for points outside 0–1000."""
    from perfscore import Indicator

    with pytest.raises(ReadError, match="0–1000") as info:
        Indicator.from_row({"分值": "-5"}, number=4, file="x.csv")
    assert (info.value.row, info.value.column, info.value.text) == (4, "分值", "-5")


def test_workbook_over_the_cell_limit_is_refused_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cells are counted from the sheet XML, streaming; too many is an error, not a load."""
    import openpyxl

    import perfscore.readers.tabular as tabular

    book = openpyxl.Workbook()
    book.active.append(["三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    for i in range(20):
        book.active.append([f"甲{i}", "≥10人", "12人", 1, 1])
    path = tmp_path / "big.xlsx"
    book.save(path)
    monkeypatch.setattr(_files, "MAX_CELLS", 50)

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not load a workbook over the limit")

    monkeypatch.setattr(openpyxl, "load_workbook", no_load)
    with pytest.raises(ReadError, match="单元格") as info:
        tabular.read_xlsx(path)
    assert info.value.file == str(path)


def test_workbook_under_the_cell_limit_is_read(tmp_path: Path) -> None:
    """An ordinary workbook passes the count and is read whole."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    book.active.append(["甲", "≥10人", "12人", 1, 1])
    path = tmp_path / "ok.xlsx"
    book.save(path)
    assert len(read(path).indicators) == 1
