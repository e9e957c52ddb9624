"""Hostile and careless input: a clear library error naming the file, never a traceback."""

from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore import TargetSyntaxError, parse_actual, parse_target
from perfscore.errors import ReadError
from perfscore.readers import read


def _big_field(path: Path) -> None:
    path.write_text(
        '三级指标,年度指标值,实际完成值,分值\n甲,"' + "x" * 200_000 + '",1,1\n', "utf-8"
    )


def _deep_json(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")


def _long_int_json(path: Path) -> None:
    path.write_text('{"indicators": [{"row": 1, "weight": ' + "9" * 5000 + "}]}", "utf-8")


def _far_cell(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["三级指标", "年度指标值", "实际完成值", "分值"])
    book.active["A200000"] = "x"
    book.save(path)


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * 250_000_000)


def _not_a_zip(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 not really a zip")


HOSTILE = {
    "big-field.csv": (_big_field, "131072"),
    "deep.json": (_deep_json, "嵌套过深"),
    "far-cell.xlsx": (_far_cell, "过大"),
    "bomb.docx": (_zip_bomb, "解压后过大"),
    "broken.xlsx": (_not_a_zip, "Excel"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_ends_in_a_clear_error(tmp_path: Path, name: str) -> None:
    """Each hostile file raises ReadError naming the file and saying what is wrong, quickly."""
    build, words = HOSTILE[name]
    path = tmp_path / name
    build(path)
    with pytest.raises(ReadError) as info:
        read(path)
    assert info.value.file == str(path)
    assert words in str(info.value)


def test_a_5000_digit_json_number_is_that_rows_error(tmp_path: Path) -> None:
    """A 5000-digit weight is the row's error naming the field, not the file's failure."""
    path = tmp_path / "long-int.json"
    _long_int_json(path)
    document = read(path)
    assert [i.weight for i in document.indicators] == [None]
    [error] = document.diagnostics
    assert (error.row, error.column) == (1, "indicators[0].weight")
    assert error.text.startswith("999")
    assert len(error.text) < 100


# --- fuzzing the parser with a wide alphabet ----------------------------------------------

ALPHABET = st.sampled_from(
    list("0123456789.-+*/%‰±≥≤<>=~至到与和之间以上下内前底末年月日号季度旬半次上年同比增长下降")
    + list("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩點負廿卅卌分之点负")
    + list("约余多近几数元角毛分人次项个万元吨公斤%,，；;：()（）　 \t\r\n\x00\u200b\ufeff")
    + ["未", "无", "零事故", "不超過", "不少于", "达到", "左右", "个百分点", "2024年", "Q3"]
)
fuzzed = st.lists(ALPHABET, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=fuzzed)
def test_fuzzed_text_only_raises_the_library_error(text: str) -> None:
    """Any text from a wide alphabet (controls, zero-width) parses or raises TargetSyntaxError."""
    for parse in (parse_target, parse_actual):
        with contextlib.suppress(TargetSyntaxError):
            parse(text)


@pytest.mark.parametrize("unit", ["九", "1", "约1", "1-", "2024年", "提高", "±1", "万"])
def test_texts_over_the_limit_are_refused(unit: str) -> None:
    """Up to 2000 characters a run parses (or errs); beyond, it is refused with a clear error.

    (How long it takes is measured by benchmarks/bench_hostile.py, not asserted here.)
    """
    with contextlib.suppress(TargetSyntaxError):
        parse_target((unit * 2000)[:2000])
    with pytest.raises(TargetSyntaxError, match="文字过长"):
        parse_target((unit * 2001)[:2001])
