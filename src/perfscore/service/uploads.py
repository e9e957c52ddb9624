"""Uploaded files: the body read within its limit, its name made safe, a private folder.

An upload comes as ``multipart/form-data`` (a part named ``file``) or as the raw
body with its name in ``?filename=`` or ``Content-Disposition``.  The body is
read into memory (at most ``max_bytes``, counted as it arrives: a lying or
missing ``Content-Length`` changes nothing) and the multipart form parsed from
there, so no byte touches the disk outside :func:`private_folder`: a folder only
this user may enter (``mkdtemp`` makes it 0700), removed on the way out however
the work ended.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import unicodedata
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import attrs

from .problems import Problem

__all__ = [
    "SUFFIXES",
    "Upload",
    "parse_multipart",
    "private_folder",
    "read_limited",
    "safe_name",
    "upload_from_body",
]

# What ``perfscore score`` reads, by extension ("" and .txt: pasted or exported text).
SUFFIXES = (".txt", ".tsv", ".text", ".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".json", ".docx")
# A raw body without a name: its content type says what it is.
CONTENT_TYPES = {
    "text/plain": ".txt",
    "text/tab-separated-values": ".tsv",
    "text/csv": ".csv",
    "application/json": ".json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
FIELD = "file"  # the multipart part that holds the file
MAX_NAME = 120  # characters of a file name kept

UNSUPPORTED = (
    "不支持的文件格式「{name}」：请上传 .txt .tsv .csv .xlsx .xlsm .xls .ods .docx 或 .json"
    " (unsupported file format {name!r}: send .txt .tsv .csv .xlsx .xlsm .xls .ods .docx or .json)"
)
TOO_LARGE = (
    "请求过大（超过 {limit} 字节）：一份自评表不会这么大；请拆分后再上传"
    " (the request is larger than the {limit}-byte limit: split the file)"
)


@attrs.frozen
class Upload:
    """A file as the client sent it: its safe name and its bytes."""

    name: str
    data: bytes


def too_large(limit: int) -> Problem:
    """The 413 answer for a body past ``limit`` bytes."""
    return Problem(413, "too-large", TOO_LARGE.format(limit=limit))


async def read_limited(
    chunks: AsyncIterator[bytes], limit: int, declared: str | None = None
) -> bytes:
    """The whole body, refused with 413 as soon as it passes ``limit`` bytes.

    ``declared`` (``Content-Length``) lets an honest client be refused before it sends
    anything; the count of what arrives is what holds.
    """
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        parts.append(chunk)
    return b"".join(parts)


def safe_name(name: str) -> str:
    """The last part of a client's file name, without control characters; its extension kept.

    ``../../etc/passwd`` → ``passwd``; ``C:\\表\\自评.xlsx`` → ``自评.xlsx``.
    """
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: MAX_NAME - len(suffix) - 1]}.{suffix}" if dot else name[:MAX_NAME]
    return name


def checked_name(name: str, content_type: str = "") -> str:
    """A safe name with a suffix perfscore reads (415 otherwise); a bare name gets one."""
    name = safe_name(name)
    suffix = Path(name).suffix.lower() if name else ""
    if not suffix:
        suffix = CONTENT_TYPES.get(_media_type(content_type), ".txt" if name else "")
        if not suffix:
            shown = content_type or "（无）"
            raise Problem(415, "unsupported-format", UNSUPPORTED.format(name=shown))
        name = (name or "upload") + suffix
    if suffix not in SUFFIXES:
        raise Problem(415, "unsupported-format", UNSUPPORTED.format(name=name))
    return name


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def disposition_name(header: str) -> str:
    """The file name in a ``Content-Disposition`` header (``filename*=UTF-8''…`` first)."""
    extended = re.search(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", header, re.IGNORECASE)
    if extended:
        charset = extended.group(1) or "utf-8"
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return urllib.parse.unquote(extended.group(2).strip(), charset, errors="strict")
    plain = re.search(r'filename\s*=\s*("(?:[^"\\]|\\.)*"|[^;]+)', header, re.IGNORECASE)
    if not plain:
        return ""
    value = plain.group(1).strip()
    if value.startswith('"'):
        value = value[1:-1].replace('\\"', '"')
    return _latin1_to_utf8(value)


def _latin1_to_utf8(value: str) -> str:
    """HTTP headers arrive as Latin-1; clients send UTF-8 names in them."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def upload_from_body(body: bytes, content_type: str, filename: str, disposition: str) -> Upload:
    """The file in a request: a multipart part, or the raw body named by query or header."""
    if _media_type(content_type) == "multipart/form-data":
        return parse_multipart(body, content_type)
    name = filename or disposition_name(disposition)
    if not body:
        raise Problem(400, "bad-request", NO_FILE)
    return Upload(checked_name(name, content_type), body)


NO_FILE = (
    "请求中没有文件：请以 multipart/form-data 的 file 字段上传，或把文件作为请求体并用"
    " ?filename= 给出文件名 (no file in the request: send a multipart 'file' part, or the"
    " file as the body with ?filename=NAME)"
)
BAD_FORM = "multipart 表单格式错误 (malformed multipart form): {error}"


def parse_multipart(body: bytes, content_type: str) -> Upload:
    """The ``file`` part of a multipart form held in memory (other parts are ignored)."""
    from python_multipart.exceptions import MultipartParseError
    from python_multipart.multipart import MultipartParser, parse_options_header

    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise Problem(400, "bad-request", BAD_FORM.format(error="no boundary"))
    parts: list[tuple[dict[str, str], bytearray]] = []
    header = {"field": b"", "value": b""}

    def begin() -> None:
        parts.append(({}, bytearray()))

    def header_field(data: bytes, start: int, end: int) -> None:
        header["field"] += data[start:end]

    def header_value(data: bytes, start: int, end: int) -> None:
        header["value"] += data[start:end]

    def header_end() -> None:
        field = header["field"].decode("latin-1").lower()
        parts[-1][0][field] = header["value"].decode("latin-1")
        header["field"], header["value"] = b"", b""

    def part_data(data: bytes, start: int, end: int) -> None:
        parts[-1][1].extend(data[start:end])

    callbacks = {
        "on_part_begin": begin,
        "on_header_field": header_field,
        "on_header_value": header_value,
        "on_header_end": header_end,
        "on_part_data": part_data,
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError as error:
        raise Problem(400, "bad-request", BAD_FORM.format(error=error)) from None
    for headers, data in parts:
        disposition = headers.get("content-disposition", "")
        _, params = parse_options_header(disposition)
        if params.get(b"name", b"").decode("latin-1") != FIELD:
            continue
        raw = params.get(b"filename")
        name = _latin1_to_utf8(raw.decode("latin-1")) if raw is not None else ""
        name = name or disposition_name(disposition)
        if not data:
            raise Problem(400, "bad-request", NO_FILE)
        return Upload(checked_name(name, headers.get("content-type", "")), bytes(data))
    raise Problem(400, "bad-request", NO_FILE)


@contextlib.contextmanager
def private_folder() -> Iterator[Path]:
    """A new folder only this user can enter, removed with all it holds on the way out."""
    folder = Path(tempfile.mkdtemp(prefix="perfscore-serve-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
