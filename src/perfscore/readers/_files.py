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
    "check_sheet_cells",
    "decode_text",
    "read_file_bytes",
    "too_many_rows",
]

# A sheet, CSV or text form longer than this is not one unit's table: the flat
# tables of a whole province go through perfscore.scale.frames or perfscore.scale.dask.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
# Text, CSV and JSON files: 100,000 rows of long texts stay well under this.
MAX_FILE_BYTES = 64 * 1024 * 1024
# ZIP containers (XLSX, DOCX): unpacked size, and the ratio that marks a zip bomb.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200


class TooLargeError(ReadError):
    """A file past one of the size limits above: refused before it is unpacked or read.

    Still a :class:`ReadError`; the subclass lets a caller such as ``perfscore serve``
    tell "too large" (HTTP 413) from "unreadable" (422).
    """


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


def too_many_rows(file: str, rows: int, what: str = "表格") -> ReadError:
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
    """Count a workbook's cells and rows from its XML, streaming, before openpyxl loads it.

    A sheet's ``<dimension>`` may lie, so the cells themselves are counted; the
    count stops, and the file is refused, at :data:`MAX_CELLS` cells or past
    :data:`MAX_ROWS` rows.  Memory stays flat: elements are cleared as they are read.
    Returns whether any cell holds a formula with no saved value (``<f>`` without
    ``<v>``: a workbook written by a program and never opened in Excel or WPS).
    """
    import re
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    unsaved = False
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError):
        return False  # the reader reports a file it cannot open with its own message
    with archive:
        sheets = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)]
        cells = 0
        for name in sheets:
            try:
                with archive.open(name) as stream:
                    for _, element in iterparse(stream):
                        tag = element.tag.rsplit("}", 1)[-1]
                        if tag == "c":
                            cells += 1
                            if not unsaved and len(element):
                                unsaved = _unsaved_formula(element)
                                # (a plain value cell has one child, <v> or <is>: cheap)
                        elif tag == "row" and int(element.get("r") or 0) > MAX_ROWS:
                            raise _too_big(file, f"第 {element.get('r')} 行 (row)", MAX_ROWS)
                        if tag in ("c", "row"):
                            element.clear()
                        if cells > MAX_CELLS:
                            raise _too_big(file, f"{cells} 个单元格 (cells)", MAX_CELLS)
            except ReadError:
                raise  # (a ValueError too: not to be taken for malformed XML below)
            except (ParseError, KeyError, zipfile.BadZipFile, ValueError):
                return unsaved  # malformed XML: openpyxl reports it in its own words
    return unsaved


def _unsaved_formula(cell: Any) -> bool:
    """Whether a ``<c>`` element holds a formula (``<f>``) and no saved value (``<v>``)."""
    if len(cell) == 1:
        tag = str(cell[0].tag)
        return tag == "f" or tag.endswith("}f")
    tags = {child.tag.rsplit("}", 1)[-1]: child for child in cell}
    value = tags.get("v")
    return "f" in tags and (value is None or not value.text)


def _too_big(file: str, what: str, limit: int) -> ReadError:
    return TooLargeError(
        f"工作簿过大：{what}超过上限 {limit}；请删除表格下方或右侧的多余内容，或按项目拆分"
        f" (the workbook is too large: {what} over the limit of {limit}; delete stray cells"
        " or split it by project)",
        file=file,
    )
