"""The fast ``.xlsx`` path: python-calamine reads the values, one scan of the XML the rest.

openpyxl builds an object per cell (about 90 small workbooks a second); calamine,
a Rust reader, gives the same values 25 times faster.  What calamine does not
give, or gives differently, comes from the package itself, read once:

* the limits (:data:`~._files.MAX_CELLS`, rows, columns, merged ranges) of every
  worksheet the workbook names, wherever the package stores it, checked on the
  inflated bytes before calamine builds a single row (calamine builds a dense
  range: one far cell would make it allocate billions); each part calamine reads
  is inflated here first and must be exactly the size its header declares;
* the number formats that change a value's meaning (percent, date, time), from
  ``xl/styles.xml`` and the cells' ``s`` attributes, read as openpyxl reads them;
* whether a number was written as ``10`` or ``10.0`` (openpyxl: ``int`` or
  ``float``; calamine: always ``float``), error cells (``#DIV/0!``), and the
  sheet's extent as openpyxl counts it (empty styled cells, merged ranges).

Anything this path is not sure to read exactly as openpyxl does — a workbook
over a limit, an unsaved formula, a ``_x000D_`` escape, an empty or untrimmed
text calamine would read apart, a character XML forbids, a prefixed element, a
cell tag written unlike Excel, WPS and openpyxl write it, a date cell calamine
reads differently, a chart sheet, a member zipfile cannot inflate exactly, an error
from calamine — makes :func:`read_book` return ``None``: the caller then reads
the workbook the old way (openpyxl, with every check and message it has), so a
refused or broken workbook gets today's error.  tests/readers/test_xlsx_engines.py
reads every workbook both ways and compares them cell by cell.

Known differences, all on workbooks no spreadsheet program writes: a worksheet
part no workbook names is not counted against the limits (openpyxl does not
load it either), and an empty row tag past the row limit before the last row is
not refused.
"""

from __future__ import annotations

import datetime
import functools
import html
import io
import math
import os
import posixpath
import re
import struct
import zipfile
import zlib
from decimal import Decimal
from typing import Any

import attrs

from . import _files

__all__ = ["Book", "read_book"]


class _Fallback(Exception):
    """This workbook is to be read by openpyxl (the exact old path)."""


@attrs.define
class Book:
    """A workbook read by calamine: sheet titles, the active sheet, each sheet's rows.

    ``sheets[i]`` is what ``tabular._sheet_rows`` gives for the i-th worksheet:
    from row 1 and column A, as wide and as long as openpyxl counts the sheet, a
    merged range's value copied into all its cells, percent and dates shown as text.
    """

    titles: list[str]
    active: int
    sheets: list[list[list[object]]]


def read_book(file: str) -> Book | None:
    """The workbook read by calamine, or ``None`` when openpyxl must read it (see above)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    try:
        return _read(file, CalamineWorkbook)
    except _Fallback:
        return None


# --- the package ----------------------------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4s22xHH")


class _Parts:
    """The package's members, each inflated (and its size and CRC checked by zipfile) when
    first asked for."""

    def __init__(
        self, data: bytes, archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]
    ) -> None:
        self._data, self._archive, self._infos = data, archive, infos
        self._inflated = dict[str, bytes]()

    def _stored(self, name: str) -> tuple[zipfile.ZipInfo, int] | None:
        """A member's directory entry and where its stored bytes start (past its local
        header's name and extra field); None if there is no such member."""
        info = self._infos.get(name)
        if info is None:
            return None
        try:
            _, name_length, extra_length = _LOCAL_HEADER.unpack_from(self._data, info.header_offset)
        except struct.error:
            raise _Fallback from None  # (zipfile: a truncated header)
        return info, info.header_offset + 30 + name_length + extra_length

    def packed(self, name: str) -> tuple[int, int, int, bytes] | None:
        """A member as stored (method, size, CRC, compressed bytes): a key for its content."""
        found = self._stored(name)
        if found is None:
            return None
        info, start = found
        stored = self._data[start : start + info.compress_size]
        return info.compress_type, info.file_size, info.CRC, stored

    def read_key(self, name: str) -> tuple[object, ...] | None:
        """Everything zipfile reads to inflate a member: its local header (name, extra),
        the directory's name, flags, method, sizes and CRC, and the stored bytes.  Two
        members of one key inflate to the same bytes, or fail alike."""
        found = self._stored(name)
        if found is None:
            return None
        info, start = found
        # Where the next member starts, for a zipfile that refuses overlapping members
        # (Python 3.12's _end_offset): as a length, so that it keys the member alone.
        end: int | None = getattr(info, "_end_offset", None)
        return (
            self._data[info.header_offset : start], info.orig_filename, info.flag_bits,
            info.compress_type, info.compress_size, info.file_size, info.CRC,
            self._data[start : start + info.compress_size],
            None if end is None else end - info.header_offset,
        )  # fmt: skip

    def get(self, name: str) -> bytes | None:
        if name not in self._inflated:
            info = self._infos.get(name)
            if info is None:
                return None
            if info.flag_bits & 0x1 or info.compress_type not in (
                zipfile.ZIP_STORED,
                zipfile.ZIP_DEFLATED,
            ):
                raise _Fallback  # encrypted, or bzip2/lzma: the openpyxl path decides
            try:
                # zipfile reads at most the declared size and checks the CRC: a member
                # that lies about its size (a bomb) fails here and goes to openpyxl.
                self._inflated[name] = self._archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
                raise _Fallback from None
        return self._inflated[name]


def _package(file: str) -> _Parts:
    """The package's members, after the checks of ``check_archive``."""
    try:
        if os.path.getsize(file) > _files.MAX_UNCOMPRESSED:
            raise _Fallback
        with open(file, "rb") as stream:
            data = stream.read()
        archive = zipfile.ZipFile(io.BytesIO(data))  # as the openpyxl path reads it
        infos = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, struct.error):
        raise _Fallback from None
    unpacked = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if unpacked > _files.MAX_UNCOMPRESSED or (
        unpacked > 10 * 1024 * 1024 and unpacked / packed > _files.MAX_RATIO
    ):
        raise _Fallback  # check_archive refuses it, in its words
    named = {i.filename: i for i in infos if not i.filename.endswith("/")}
    if len(named) != sum(not i.filename.endswith("/") for i in infos):
        raise _Fallback  # two members of one name: zipfile picks one; we do not
    return _Parts(data, archive, named)


# The first element of an XML part, after the declaration, comments and whitespace.
_ROOT = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<([\w.:-]+)[\s/>]", re.S)


def _root(raw: bytes) -> bytes | None:
    """The root element's name; ``None`` for a part that is not XML (an image)."""
    found = _ROOT.match(raw)
    if found is not None:
        return found.group(1)
    head = raw[:64].lstrip()
    if head.startswith((b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00<" in head:
        raise _Fallback  # XML in a form this scan does not read (UTF-16, a DOCTYPE…)
    return None


# --- styles -----------------------------------------------------------------------------


@attrs.frozen
class _Styles:
    """What the workbook's cell formats mean, as openpyxl reads them (by ``s`` index)."""

    count: int
    dates: frozenset[int]
    timedeltas: frozenset[int]
    formats: dict[int, str]  # the number format of each date or percent xf
    wanted: re.Pattern[bytes] | None  # finds the cells whose ``s`` is one of those


_NUMFMT = re.compile(rb'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"\s*/>')
_XF = re.compile(rb"<xf\b([^>]*)>")
_NUMFMT_ID = re.compile(rb'\snumFmtId="([^"]*)"')


def _styles(raw: bytes | None) -> _Styles:
    """Parse ``xl/styles.xml`` (numFmts and cellXfs) into the xf indices that matter."""
    try:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
    except ImportError:
        raise _Fallback from None
    if raw is None:
        raise _Fallback
    custom = {}
    found = _NUMFMT.findall(raw)
    if len(found) != raw.count(b"<numFmt ") or b":numFmt" in raw or b":xf" in raw:
        raise _Fallback
    for number, written in found:
        if b"&#" in written:
            raise _Fallback
        custom[int(number)] = html.unescape(written.decode("utf-8"))
    start, end = raw.find(b"<cellXfs"), raw.find(b"</cellXfs>")
    if start < 0 or end < start:
        raise _Fallback
    block = raw[start:end]
    xfs = _XF.findall(block)
    if len(xfs) != block.count(b"<xf") or not xfs:
        raise _Fallback
    dates, timedeltas, formats = set(), set(), {}
    for index, attributes in enumerate(xfs):
        given = _NUMFMT_ID.search(attributes)
        if given is not None and not given.group(1).isdigit():
            raise _Fallback
        number = int(given.group(1)) if given else 0
        if number in custom:
            shown: str | None = custom[number]
            code: str | None = shown
        elif number >= 164:
            raise _Fallback  # openpyxl fails on the cell's number_format: its own error
        else:
            code = BUILTIN_FORMATS.get(number)
            shown = BUILTIN_FORMATS.get(number, "General")
        if is_date_format(code):
            dates.add(index)
            if is_timedelta_format(code):
                timedeltas.add(index)
            formats[index] = str(shown)
        elif "%" in (shown or ""):
            formats[index] = str(shown)
    wanted = None
    if formats:
        alternatives = b"|".join(str(i).encode() for i in sorted(formats))
        wanted = re.compile(rb' s="(?:' + alternatives + rb')"')
    return _Styles(len(xfs), frozenset(dates), frozenset(timedeltas), formats, wanted)


# --- one worksheet part ---------------------------------------------------------------


@attrs.define
class _Scan:
    """One worksheet part: its cells, extent, merged ranges and the cells calamine misreads."""

    cells: int
    height: int
    width: int
    merged: list[tuple[int, int, int, int]]  # 0-based first row, first col, last row, last col
    floats: set[tuple[int, int]]  # whole numbers written 10.0 / 1E+20: floats for openpyxl
    shown: dict[tuple[int, int], object]  # cells openpyxl gives differently: their value


# A cell's start tag as Excel and openpyxl write it: r first, then s (a style the
# workbook has) and t (not "d") in either order, then any others but those three;
# double quotes, one space.  Any other <c gives empty groups, and the sheet goes to
# openpyxl: so the r, s and t this scan reads are the ones calamine reads.
_OTHERS = rb'(?: (?![rst]=)[\w:]+="[^"<]*")*\s*/?>'


@functools.lru_cache(maxsize=16)
def _cell_tags(styles: int) -> re.Pattern[bytes]:
    """Finds every ``<c`` of sheet data: (column, row) when written as above, else ("", "")."""
    s = rb' s="(?:' + _upto(styles - 1) + rb')"'
    t = rb' t="(?!d")\w+"'
    return re.compile(
        rb'<c(?: r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?:(?:'
        + s
        + rb")?(?:"
        + t
        + rb")?|"
        + t
        + s
        + rb")"
        + _OTHERS
        + rb"|[\s/>])"
    )


_MERGED = re.compile(
    rb'<mergeCell ref="([A-Z]{1,3})([1-9][0-9]{0,6})(?::([A-Z]{1,3})([1-9][0-9]{0,6}))?"\s*/>'
)
_PREFIXED = re.compile(rb"<[\w.-]+:")
_C_TAG = re.compile(rb"<c[\s/>]")
# What calamine and openpyxl may read apart: a <v attr>, an empty text (calamine: an
# empty cell), a phonetic run; formulas (<f) are looked at further.
_ATTENTION = re.compile(rb"<(f[\s/>]|v[^>]|rPh\b|t(?:\s[^>]*)?(?:/>|></t>))")
# A formula with its saved value right after it.
_FORMULA = re.compile(rb"<f(?:\s[^>]*?)?(?:/>|>[^<]*</f>)<v>[^<]")
# A value that is not a plain integer: decimals, errors, text results.
# (A decimal of at most 15 digits with a fractional digit not 0 is no whole number as a
# float either: calamine and openpyxl both give float(text).  Those are not looked at.)
_VALUE = re.compile(
    rb"<v>(?![-+]?(?:[0-9]{1,15}|(?=[0-9.]{2,16}</v>)[0-9]*\.[0-9]*[1-9][0-9]*)</v>)([^<]*)</v>"
)
_NUMBER = re.compile(rb"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_ATTRIBUTE = re.compile(rb'\s([\w:]+)="([^"]*)"')
_INNER_VALUE = re.compile(rb"<v>([^<]*)</v>")
# Text calamine and openpyxl read apart: _x000D_ escapes (calamine decodes them, openpyxl
# keeps them; it drops x005F_ from shared strings), empty strings (calamine: empty
# cells), phonetic runs.
_ESCAPES = re.compile(rb"_x[0-9A-Fa-f]{4}_|x005F_", re.I)
_EMPTY_TEXT = re.compile(rb"<t(?:\s[^>]*)?(?:/>|></t>)")
# calamine trims a <t> without xml:space="preserve" (entities too); openpyxl keeps it.
_SPACE = rb"(?:[ \t\r\n]|&#(?:[xX]0*(?:20|9|[aAdD])|0*(?:32|9|10|13));)"
_TRIMMED = re.compile(rb"<t>(?:" + _SPACE + rb"|[^<]*" + _SPACE + rb"</t>)")
_LEADING_SPACE = re.compile(rb"<t>" + _SPACE)
# _TRIMMED's second branch read backwards (a text ending in a space, then its <t>):
# a pattern that starts with a literal, where the forward one backtracks over every text.
_TRAILING_SPACE_REVERSED = re.compile(
    rb">t/<(?:[ \t\r\n]|;(?:02|9|[aAdD])0*[xX]#&|;(?:23|9|01|31)0*#&)[^<]*>t<"
)


def _trimmed(raw: bytes) -> bool:
    """Whether ``_TRIMMED`` finds a text in ``raw``: a ``<t>`` then a space, or a ``<t>``,
    no ``<``, a space and ``</t>`` (found in the reversed bytes).

    tests/readers/test_read_rows_reference.py compares the two.
    """
    if _LEADING_SPACE.search(raw) is not None:
        return True
    return b"</t>" in raw and _TRAILING_SPACE_REVERSED.search(raw[::-1]) is not None


# Characters XML 1.0 forbids, raw or as a character reference: openpyxl's parser
# refuses the file (its error, BAD_XLSX), calamine's reads it.
_CONTROL = bytes([*range(0, 9), 11, 12, *range(14, 32)])
_CONTROL_REFERENCE = re.compile(
    rb"&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]));"
)


def _not_xml(raw: bytes) -> bool:
    return len(raw.translate(None, _CONTROL)) != len(raw) or _control_reference(raw)


# Where a control reference can start: a leading zero, hexadecimal, or one or two digits.
_CONTROL_SHAPED = re.compile(rb"&#(?:[0xX]|[1-9][0-9]?;)")


def _control_reference(raw: bytes) -> bool:
    """Whether ``_CONTROL_REFERENCE`` finds a reference in ``raw``.

    Text written as references (&#24180;, as openpyxl writes Chinese) makes that pattern
    try, and fail slowly, at every one.  Every control reference has the shape
    ``_CONTROL_SHAPED`` finds (much faster), so the pattern is run only from the first
    reference of that shape, if any.
    """
    if b"&#" not in raw:
        return False
    shaped = _CONTROL_SHAPED.search(raw)
    return shaped is not None and _CONTROL_REFERENCE.search(raw, shaped.start()) is not None


def _strings_read_apart(raw: bytes) -> bool:
    return _not_xml(raw) or bool(
        (b"_" in raw and _ESCAPES.search(raw))
        or _EMPTY_TEXT.search(raw)
        or b"<rPh" in raw
        or _trimmed(raw)
    )


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _scan(raw: bytes, styles: _Styles, epoch: datetime.datetime) -> _Scan:
    """Check one worksheet part and find what calamine alone cannot say (see the module)."""
    start = raw.find(b"<sheetData")
    end = raw.rfind(b"</sheetData>") if start >= 0 else -1
    if start < 0 or end < start:
        head, data, tail = raw, b"", b""
    else:
        head, data, tail = raw[:start], raw[start:end], raw[end + 12 :]
    if _C_TAG.search(head) or _C_TAG.search(tail) or b"sheetData" in tail or b"mergeCell" in head:
        raise _Fallback  # cells outside sheetData, or two of them: not as Excel writes
    if len(data) > 11 * _files.MAX_CELLS and data.count(b"<c") > _files.MAX_CELLS:
        raise _Fallback  # refused by the streaming count, before a list of cells is built
    refs = _cell_tags(styles.count).findall(data)
    if not refs:
        height = width = 0
    else:
        columns, numbers = zip(*refs, strict=True)
        if b"" in columns:
            raise _Fallback  # a cell tag written unlike Excel and openpyxl
        height = max(map(int, set(numbers)))
        width = max(map(_column, set(columns)))
    last_row = data.rfind(b'<row r="')
    if last_row >= 0:
        found_row = re.match(rb'<row r="([0-9]{1,7})"', data[last_row : last_row + 20])
        if found_row is None or int(found_row.group(1)) > _files.MAX_ROWS:
            raise _Fallback  # check_sheet_cells refuses a row past the limit
    if height > _files.MAX_ROWS or width > _files.MAX_COLUMNS:
        raise _Fallback
    if b":" in data and _PREFIXED.search(data):
        raise _Fallback  # a prefixed element: calamine reads local names
    attention = _ATTENTION.findall(data)
    formulas = attention.count(b"f ") + attention.count(b"f>") + attention.count(b"f/")
    if len(attention) != formulas or (b"_" in data and _ESCAPES.search(data)):
        raise _Fallback
    if _trimmed(data) or _not_xml(data):
        raise _Fallback
    if formulas and len(_FORMULA.findall(data)) != formulas:
        raise _Fallback  # a formula perhaps never computed: openpyxl names it
    cells = len(refs)
    merged = []
    found = _MERGED.findall(tail)
    if len(found) != tail.count(b"<mergeCell ") or b":mergeCell" in tail:
        raise _Fallback
    for first_col, first_row, last_col, last_row_ in found:
        last_col, last_row_ = last_col or first_col, last_row_ or first_row  # "J1": one cell
        box = (
            int(first_row) - 1,
            _column(first_col) - 1,
            int(last_row_) - 1,
            _column(last_col) - 1,
        )
        if box[2] < box[0] or box[3] < box[1]:
            raise _Fallback
        if box[2] >= _files.MAX_ROWS or box[3] >= _files.MAX_COLUMNS:
            raise _Fallback
        cells += (box[2] - box[0] + 1) * (box[3] - box[1] + 1)
        merged.append(box)
        height, width = max(height, box[2] + 1), max(width, box[3] + 1)
    scan = _Scan(cells, height, width, merged, set(), {})
    for found_value in _VALUE.finditer(data):
        _odd_value(data, found_value, scan)
    if styles.wanted is not None:
        for found_style in styles.wanted.finditer(data):
            _styled(data, found_style.start(), styles, epoch, scan)
    return scan


def _upto(limit: int) -> bytes:
    """A regex for 0 … limit (no leading zeros)."""
    digits = str(limit)
    options = [b"0", b"[1-9][0-9]{0,%d}" % (len(digits) - 2)] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            below = f"[{lowest}-{int(digit) - 1}]"
            options.append(f"{digits[:i]}{below}[0-9]{{{len(digits) - i - 1}}}".encode())
    options.append(digits.encode())
    if len(digits) == 1:
        options.append(f"[0-{digits}]".encode())
    return b"|".join(options)


def _cell_at(data: bytes, position: int) -> tuple[tuple[int, int], dict[bytes, bytes], int]:
    """The ``<c>`` element around ``position``: (row, col) 0-based, its attributes, tag end."""
    start = data.rfind(b"<c ", 0, position)
    close = data.find(b">", start)
    if start < 0 or close < 0 or data.rfind(b"</c>", start, position) >= 0:
        raise _Fallback
    attributes = dict(_ATTRIBUTE.findall(data[start + 2 : close + 1]))
    ref = re.fullmatch(rb"([A-Z]{1,3})([1-9][0-9]{0,6})", attributes.get(b"r", b""))
    if ref is None or any(b"&" in value for value in attributes.values()):
        raise _Fallback
    return (int(ref.group(2)) - 1, _column(ref.group(1)) - 1), attributes, close


def _odd_value(data: bytes, found: re.Match[bytes], scan: _Scan) -> None:
    """A ``<v>`` that is not a plain integer: a whole float, an error, or text of a formula."""
    text = found.group(1)
    if not text:
        return  # <v></v>: no value, for both
    number = _NUMBER.fullmatch(text)
    if number is not None:
        value = float(text)
        if not math.isfinite(value):
            raise _Fallback
        if not value.is_integer():
            return  # calamine and openpyxl both give float(text)
    where, attributes, _ = _cell_at(data, found.start())
    kind = attributes.get(b"t", b"n")
    if kind == b"e":
        scan.shown[where] = text.decode("utf-8")  # calamine gives "" for #DIV/0!
    elif kind == b"str":
        return
    elif kind != b"n" or number is None:
        raise _Fallback  # openpyxl fails (or reads it its own way)
    elif b"." in text or b"e" in text or b"E" in text:
        scan.floats.add(where)
    elif int(text) != value:
        raise _Fallback  # calamine's float has lost the integer's last digits


def _styled(
    data: bytes, position: int, styles: _Styles, epoch: datetime.datetime, scan: _Scan
) -> None:
    """A cell with a percent or date format: its value as openpyxl and ``_cell_value`` give it."""
    start = data.rfind(b"<", 0, position)
    if not data.startswith(b"<c ", start):
        return  # a row's default style: openpyxl's cells keep their own
    where, attributes, close = _cell_at(data, position)
    style = int(attributes[b"s"])
    if data[close - 1 : close] == b"/":
        return  # no value
    end = data.find(b"</c>", close)
    if end < 0:
        raise _Fallback
    value = _INNER_VALUE.search(data, close, end)
    kind = attributes.get(b"t", b"n")
    if kind != b"n" or value is None or not value.group(1):
        return  # text, booleans, errors: no format changes them
    text = value.group(1).decode("ascii", "replace")
    if _NUMBER.fullmatch(value.group(1)) is None:
        raise _Fallback
    number: float | int = float(text) if "." in text or "e" in text or "E" in text else int(text)
    shown: object = number
    if style in styles.dates:
        from openpyxl.utils.datetime import from_excel

        try:
            shown = from_excel(number, epoch, timedelta=style in styles.timedeltas)
        except (OverflowError, ValueError):
            shown = "#VALUE!"
    scan.shown[where] = _shown(shown, styles.formats[style])


def _shown(value: object, number_format: str) -> object:
    """A cell's value as the reader takes it: percent as ``"95%"``, dates as ISO text.

    openpyxl gives dates as datetime (midnight: a date) and numbers as they are; a
    number whose format has ``%`` is shown as Excel shows it, ``0.95`` → ``"95%"``.
    """
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and "%" in number_format:
        return f"{(Decimal(repr(value)) * 100).normalize():f}%"
    return value


# --- the workbook -----------------------------------------------------------------------


_SHEET = re.compile(rb"<sheet\b([^>]*)>")
_VIEW = re.compile(rb"<workbookView\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<Relationship\b([^>]*)>")
_DATE1904 = re.compile(rb'<workbookPr\b[^>]*\sdate1904="([^"]*)"')
_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")


def _attributes(tag: bytes) -> dict[bytes, bytes]:
    return dict(_ATTRIBUTE.findall(tag))


_Workbook = tuple[list[tuple[str, str]], int, datetime.datetime, frozenset[str]]
# Workbooks read, by their stored bytes: a batch of files made from one template, or
# by one program, shares its workbook.xml and styles.xml (same bytes, same meaning).
_WORKBOOKS: dict[object, _Workbook] = {}
_STYLES: dict[object, _Styles] = {}
_NAMES = ("_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _workbook(parts: _Parts) -> _Workbook:
    """What ``_read_workbook`` says, remembered by the parts' stored bytes."""
    key = tuple(parts.packed(name) for name in _NAMES)
    found = _WORKBOOKS.get(key)
    if found is None:
        found = _read_workbook(parts)
        if len(_WORKBOOKS) > 256:
            _WORKBOOKS.clear()  # (a dict: safe for the service's threads)
        _WORKBOOKS[key] = found
    return found


def _workbook_styles(parts: _Parts) -> _Styles:
    key = parts.packed("xl/styles.xml")
    found = _STYLES.get(key)
    if found is None:
        found = _styles(parts.get("xl/styles.xml"))
        if len(_STYLES) > 256:
            _STYLES.clear()
        _STYLES[key] = found
    return found


def _read_workbook(parts: _Parts) -> _Workbook:
    """The sheets in order (title, part), the active sheet's index, the date epoch, and
    the parts the workbook names that calamine may read (not its theme or calcChain)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    package = parts.get("_rels/.rels") or b""
    book, rels = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    if (
        book is None
        or rels is None
        or b'Target="xl/workbook.xml"' not in package.replace(b'"/xl/', b'"xl/')
    ):
        raise _Fallback
    targets, read = {}, set()
    for tag in _RELATIONSHIP.findall(rels):
        attributes = _attributes(tag)
        target = html.unescape(attributes.get(b"Target", b"").decode("utf-8"))
        if attributes.get(b"TargetMode") == b"External":
            continue
        if b"chartsheet" in attributes.get(b"Type", b"") or b"dialogsheet" in attributes.get(
            b"Type", b""
        ):
            raise _Fallback
        path = target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)
        targets[attributes.get(b"Id", b"")] = path
        if not attributes.get(b"Type", b"").endswith((b"/theme", b"/calcChain")):
            read.add(path)
    sheets = []
    for tag in _SHEET.findall(book):
        attributes = _attributes(tag)
        ids = [v for k, v in attributes.items() if k.endswith(b":id")]
        title = html.unescape(attributes.get(b"name", b"").decode("utf-8"))
        if len(ids) != 1 or ids[0] not in targets or not title or _BAD_TITLE.search(title):
            raise _Fallback
        sheets.append((title, targets[ids[0]]))
    lowered = [title.lower() for title, _ in sheets]
    if not sheets or len(set(lowered)) != len(lowered):
        raise _Fallback  # openpyxl renames a repeated title
    active = 0
    for tag in _VIEW.findall(book):
        tab = _attributes(tag).get(b"activeTab")
        if tab is not None:
            if not tab.isdigit():
                raise _Fallback
            active = int(tab)
            break
    if active >= len(sheets):
        raise _Fallback
    epoch = CALENDAR_WINDOWS_1900
    date1904 = _DATE1904.search(book)
    if date1904 is not None:
        flag = date1904.group(1).lower()
        if flag not in (b"0", b"1", b"true", b"false"):
            raise _Fallback
        epoch = CALENDAR_MAC_1904 if flag in (b"1", b"true") else epoch
    return sheets, active, epoch, frozenset(read)


# Parts calamine may read whatever the workbook's relationships say.
_FIXED = ("xl/sharedStrings.xml", "xl/styles.xml", "[Content_Types].xml")
# Parts read before that hold no sheet and passed their checks, by Parts.read_key: a
# batch made from one template shares its [Content_Types].xml and styles.xml, whose
# verdict depends on their bytes alone.
_PLAIN_PARTS: set[tuple[object, ...]] = set()


def _read(file: str, calamine: Any) -> Book:
    parts = _package(file)
    sheets, active, epoch, named = _workbook(parts)
    styles = _workbook_styles(parts)
    scans: dict[str, _Scan] = {}
    cells = 0
    for name in sorted(named.union(_FIXED)):
        key = parts.read_key(name)
        if key is None or key in _PLAIN_PARTS:
            continue  # absent, or a part seen before (same bytes) with nothing to check
        raw = parts.get(name)
        if raw is None:
            continue
        root = _root(raw)
        if root == b"sst" and _strings_read_apart(raw):
            raise _Fallback
        if root is None or (root != b"worksheet" and b"sheetData" not in raw):
            if root != b"sst":  # (a workbook's own strings: not kept, nor their bytes)
                if len(_PLAIN_PARTS) > 256:
                    _PLAIN_PARTS.clear()  # (a set: safe for the service's threads)
                _PLAIN_PARTS.add(key)
            continue
        if root != b"worksheet":
            raise _Fallback
        scans[name] = _scan(raw, styles, epoch)
        cells += scans[name].cells
    if cells > _files.MAX_CELLS or any(path not in scans for _, path in sheets):
        raise _Fallback
    titles = [title for title, _ in sheets]
    try:
        workbook = calamine.from_path(file)
        if list(workbook.sheet_names) != titles:
            raise _Fallback
        if any(str(m.typ) != "SheetTypeEnum.WorkSheet" for m in workbook.sheets_metadata):
            raise _Fallback
        values = []
        for title, path in sheets:
            sheet = workbook.get_sheet_by_name(title)
            ranges = sorted((a, b, c, d) for (a, b), (c, d) in (sheet.merged_cell_ranges or []))
            if ranges != sorted(scans[path].merged):
                raise _Fallback
            values.append(sheet.to_python(skip_empty_area=False))
    except (_Fallback, KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # calamine's errors (a Rust panic is a BaseException): openpyxl
        raise _Fallback from None  # gives today's message, or reads the workbook
    rows = [_rows(v, scans[path]) for v, (_, path) in zip(values, sheets, strict=True)]
    return Book(titles, active, rows)


_DATES = (datetime.date, datetime.time, datetime.timedelta)


def _rows(values: list[list[object]], scan: _Scan) -> list[list[object]]:
    """calamine's values as openpyxl gives them, in ``_sheet_rows``' shape."""
    height, width = max(scan.height, 1), max(scan.width, 1)
    if len(values) > height or (values and len(values[0]) > width):
        raise _Fallback
    dated: list[object] = []

    def other(value: object) -> object:
        """A value that is not text: whole floats are ints, as openpyxl reads ``10``."""
        if type(value) is float:
            if value.is_integer():
                return int(value)
            if math.isfinite(value):
                return value
            raise _Fallback
        if type(value) is not bool and type(value) is not int:
            dated.append(value)
        return value

    pad = [None] * (width - len(values[0])) if values else []
    rows: list[list[object]] = [
        [(v or None) if type(v) is str else other(v) for v in cells] for cells in values
    ]
    if pad:
        for row in rows:
            row.extend(pad)
    rows.extend([None] * width for _ in range(height - len(rows)))
    if dated:
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, _DATES) and (r, c) not in scan.shown:
                    raise _Fallback  # calamine saw a date where openpyxl sees a number
    for r, c in scan.floats:
        value = rows[r][c]
        if type(value) is int:
            rows[r][c] = float(value)
    for (r, c), value in scan.shown.items():
        rows[r][c] = value
    covered: set[tuple[int, int]] = set()
    for first_row, first_col, last_row, last_col in scan.merged:
        value = rows[first_row][first_col]
        for r in range(first_row, last_row + 1):
            for c in range(first_col, last_col + 1):
                if (r, c) in covered:
                    raise _Fallback  # overlapping ranges: openpyxl's order decides
                covered.add((r, c))
                rows[r][c] = value
    return rows
