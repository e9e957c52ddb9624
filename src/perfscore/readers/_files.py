"""Bytes → text, with the bounds checked before anything is unpacked or decoded.

Shared by every reader; imports nothing from its siblings.  A self-evaluation
has hundreds of rows and a few MB of XML, so anything far larger is refused
with a message that says what to do, instead of exhausting memory.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
from typing import Any

from ..errors import ReadError

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "TooLargeError",
    "check_archive",
    "check_ods_cells",
    "check_sheet_cells",
    "decode_text",
    "read_file_bytes",
    "too_many_rows",
]


class TooLargeError(ReadError):
    """A file past one of the size limits above: refused before it is unpacked or read.

    Still a :class:`ReadError`; the subclass lets a caller such as ``perfscore serve``
    tell "too large" (HTTP 413) from "unreadable" (422).
    """


# A sheet, CSV or text form longer than this is not one unit's table: the flat
# tables of a whole province go through perfscore.scale.frames or perfscore.scale.dask.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
# Text, CSV and JSON files: 100,000 rows of long texts stay well under this.
MAX_FILE_BYTES = 64 * 1024 * 1024
# ZIP containers (XLSX, DOCX): unpacked size, and the ratio that marks a zip bomb.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200

# Encodings tried in order: UTF-8 (a BOM is dropped), then what Chinese Excel writes.
ENCODINGS = ("utf-8-sig", "gb18030")
BAD_ENCODING = (
    "无法识别文件编码，请另存为 UTF-8 (cannot decode the file: not UTF-8, UTF-16 or GB18030)"
)


def read_file_bytes(file: str) -> bytes:
    """The file's bytes, refusing a file over :data:`MAX_FILE_BYTES` before reading it."""
    try:
        size = os.path.getsize(file)
        if size > MAX_FILE_BYTES:
            megabytes = size // (1024 * 1024)
            raise TooLargeError(
                f"文件过大（{megabytes} MB，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）：一份自评表"
                "不会这么大；多个项目的汇总表请拆分，或用 perfscore.scale.frames / .dask 评分"
                f" (the file is {megabytes} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB"
                " limit: split it, or score a flat table with perfscore.scale.frames or .dask)",
                file=file,
            )
        return pathlib.Path(file).read_bytes()
    except OSError as error:
        raise ReadError(
            f"无法读取文件 (cannot read the file: {error.strerror})", file=file
        ) from None


def too_many_rows(file: str, rows: int, what: str = "表格") -> TooLargeError:
    """The error for a table longer than :data:`MAX_ROWS` (raised while streaming, at once)."""
    return TooLargeError(
        f"{what}超过 {MAX_ROWS} 行：一份自评表不会这么长；请删除多余内容，或按项目拆分；"
        "多个项目的汇总表请用 perfscore.scale.frames / perfscore.scale.dask 评分"
        f" (more than {MAX_ROWS} rows: split the table by project, or score a flat table"
        " with perfscore.scale.frames or perfscore.scale.dask)",
        file=file,
        row=rows,
    )


def decode_text(data: bytes, file: str) -> str:
    """Decode a file's bytes as Chinese Excel and Word save them.

    UTF-16 with a BOM (Excel's "Unicode 文本", Word's Unicode export), UTF-16
    without one when every other byte is NUL, UTF-8 with or without BOM, GB18030.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError(BAD_ENCODING, file=file) from None
    if b"\x00" in data and len(data) % 2 == 0:
        # UTF-8 and GB18030 text holds no NUL byte; UTF-16 holds one in every ASCII
        # character: after it (little-endian) or before it (big-endian).
        little = data[1::2].count(0) >= data[0::2].count(0)
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16-le" if little else "utf-16-be")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(BAD_ENCODING, file=file)


def check_archive(file: str) -> None:
    """Refuse a ZIP (XLSX, DOCX) whose contents would unpack to far more than a table needs."""
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # the reader reports a file it cannot open with its own message
    unpacked = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    # Real XLSX/DOCX compress about 5–20 times; a bomb compresses thousands of times.
    bomb = unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_RATIO
    if unpacked > MAX_UNCOMPRESSED or bomb:
        megabytes = unpacked // (1024 * 1024)
        raise TooLargeError(
            f"文件解压后过大（{megabytes} MB），疑为压缩炸弹或损坏文件"
            f" (the file unpacks to {megabytes} MB: refused)",
            file=file,
        )


# Cells a workbook may hold in all: 100,000 rows of 20 filled columns.  openpyxl keeps
# every cell as an object (~0.5 KB), so this bounds its memory to about 1 GB.
MAX_CELLS = 2_000_000


def check_sheet_cells(file: str) -> bool:
    """Count a workbook's cells, rows and merged ranges from its XML, before openpyxl loads it.

    Every part of the package whose root element is a worksheet is counted, wherever
    the package puts it (``[Content_Types].xml`` may name any path).  A sheet's
    ``<dimension>`` may lie, so the cells themselves are counted, and a merged range
    counts every cell it covers (openpyxl makes an object for each): the file is
    refused at :data:`MAX_CELLS` cells, past :data:`MAX_ROWS` rows or past
    :data:`MAX_COLUMNS` columns of a merged range.  Memory stays flat: elements are
    cleared as they are read.  Returns whether any cell holds a formula with no saved
    value (``<f>`` without ``<v>``: a workbook written by a program and never opened in
    Excel or WPS).
    """
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError):
        return False  # the reader reports a file it cannot open with its own message
    cells, unsaved = 0, False
    with archive:
        for name in archive.namelist():
            if name.endswith("/"):
                continue
            try:
                with archive.open(name) as stream:
                    events = iterparse(stream, events=("start", "end"))
                    _, root = next(events)
                    if root.tag.rsplit("}", 1)[-1] != "worksheet":
                        continue
                    cells, unsaved = _count_sheet(file, events, cells, unsaved)
            except ReadError:
                raise  # (a ValueError too: not to be taken for malformed XML below)
            except (ParseError, KeyError, zipfile.BadZipFile, ValueError, StopIteration):
                continue  # not XML, or malformed: openpyxl reports it in its own words
    return unsaved


def _count_sheet(file: str, events: Any, cells: int, unsaved: bool) -> tuple[int, bool]:
    """Add one worksheet part's cells (merged ranges counted whole) to ``cells``; and
    whether a formula without a saved value was seen."""
    for event, element in events:
        if event != "end":
            continue
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "c":
            cells += 1
            if not unsaved and len(element):
                unsaved = _unsaved_formula(element)
                # (a plain value cell has one child, <v> or <is>: cheap)
        elif tag == "row" and int(element.get("r") or 0) > MAX_ROWS:
            raise _too_big(file, f"第 {element.get('r')} 行 (row)", MAX_ROWS)
        elif tag == "mergeCell":
            cells += _merged_area(file, element.get("ref") or "")
        if tag in ("c", "row", "mergeCell"):
            element.clear()
        if cells > MAX_CELLS:
            raise _too_big(file, f"{cells} 个单元格 (cells)", MAX_CELLS)
    return cells, unsaved


def _unsaved_formula(cell: Any) -> bool:
    """Whether a ``<c>`` element holds a formula (``<f>``) and no saved value (``<v>``)."""
    if len(cell) == 1:
        tag = str(cell[0].tag)
        return tag == "f" or tag.endswith("}f")
    tags = {child.tag.rsplit("}", 1)[-1]: child for child in cell}
    value = tags.get("v")
    return "f" in tags and (value is None or not value.text)


def _merged_area(file: str, ref: str) -> int:
    """The cells a merged range ``A1:XFD1048576`` covers, refusing one past the sheet limits."""
    import re

    found = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?", ref)
    if found is None:
        return 0
    first_col, first_row, last_col, last_row = found.groups()
    columns = _column(last_col or first_col) - _column(first_col) + 1
    rows = int(last_row or first_row) - int(first_row) + 1
    if int(last_row or first_row) > MAX_ROWS:
        raise _too_big(file, f"合并区域 {ref} 的行 (merged range rows)", MAX_ROWS)
    if _column(last_col or first_col) > MAX_COLUMNS:
        raise _too_big(file, f"合并区域 {ref} 的列 (merged range columns)", MAX_COLUMNS)
    return max(rows, 0) * max(columns, 0)


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_ods_cells(file: str) -> None:
    """Count an ``.ods`` workbook's filled rows and cells, repeats included, before loading.

    ``table:number-rows-repeated="2000000"`` makes a 1 KB file a two-million-row
    table; calamine would build it whole.  Rows with no value (LibreOffice repeats
    empty rows to the sheet's end) cost nothing and are not counted.  Refused past
    :data:`MAX_ROWS` filled rows in a table or :data:`MAX_CELLS` filled cells in all.
    """
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError):
        return
    table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    cells = rows = 0
    with archive:
        try:
            with archive.open("content.xml") as stream:
                for event, element in iterparse(stream, events=("start", "end")):
                    tag = element.tag
                    if event == "start":
                        if tag == f"{table_ns}table":
                            rows = 0
                        continue
                    if tag != f"{table_ns}table-row":
                        continue
                    repeat = _repeat(element, f"{table_ns}number-rows-repeated")
                    filled = sum(
                        _repeat(cell, f"{table_ns}number-columns-repeated")
                        for cell in element
                        if len(cell) or any(k.endswith("value-type") for k in cell.attrib)
                    )
                    element.clear()
                    if filled:
                        rows += repeat
                        cells += repeat * filled
                    if rows > MAX_ROWS:
                        raise _too_big(file, f"{rows} 行 (rows)", MAX_ROWS)
                    if cells > MAX_CELLS:
                        raise _too_big(file, f"{cells} 个单元格 (cells)", MAX_CELLS)
        except ReadError:
            raise
        except (ParseError, KeyError, zipfile.BadZipFile, ValueError):
            return  # calamine reports a file it cannot read in its own words


def _repeat(element: Any, attribute: str) -> int:
    try:
        return max(int(element.get(attribute) or 1), 1)
    except ValueError:
        return 1


def _too_big(file: str, what: str, limit: int) -> ReadError:
    return TooLargeError(
        f"工作簿过大：{what}超过上限 {limit}；请删除表格下方或右侧的多余内容，或按项目拆分"
        f" (the workbook is too large: {what} over the limit of {limit}; delete stray cells"
        " or split it by project)",
        file=file,
    )
