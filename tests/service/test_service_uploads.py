"""The pieces of an upload, in process: names made safe, types, multipart in memory."""

from __future__ import annotations

import httpx
import pytest

from perfscore.service.problems import Problem
from perfscore.service.uploads import (
    checked_name,
    disposition_name,
    parse_multipart,
    private_folder,
    safe_name,
    upload_from_body,
)


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("自评表.xlsx", "自评表.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\自评.xlsx", "自评.xlsx"),
        ("..\\..\\x.csv", "x.csv"),
        (".hidden.txt", "hidden.txt"),
        ("a\x00b\nc.txt", "abc.txt"),
        ("x" * 300 + ".xlsx", "x" * 115 + ".xlsx"),
        ("", ""),
    ],
)
def test_safe_name_keeps_only_the_last_part(given: str, safe: str) -> None:
    """Folders, control characters and a leading dot are dropped; the extension is kept."""
    assert safe_name(given) == safe


@pytest.mark.parametrize(
    ("name", "content_type", "result"),
    [
        ("a.XLSX", "", "a.XLSX"),
        ("", "application/json; charset=utf-8", "upload.json"),
        ("", "text/csv", "upload.csv"),
        ("notes", "", "notes.txt"),
        ("report", "application/vnd.ms-excel", "report.xls"),
    ],
)
def test_checked_name_gives_a_readable_suffix(name: str, content_type: str, result: str) -> None:
    """A bare name takes its suffix from the content type (text when there is none)."""
    assert checked_name(name, content_type) == result


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("a.pdf", ""), ("a.doc", ""), ("", ""), ("", "application/octet-stream"), ("x.exe", "")],
)
def test_checked_name_refuses_what_no_reader_reads(name: str, content_type: str) -> None:
    """415 for a suffix or a nameless type perfscore does not read."""
    with pytest.raises(Problem) as info:
        checked_name(name, content_type)
    assert info.value.status == 415


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ('attachment; filename="a b.xlsx"', "a b.xlsx"),
        ("attachment; filename=plain.csv", "plain.csv"),
        ("attachment; filename*=UTF-8''%E8%87%AA%E8%AF%84.xlsx", "自评.xlsx"),
        ("attachment; filename=\"x.txt\"; filename*=UTF-8''%E8%A1%A8.txt", "表.txt"),
        ('attachment; filename="' + "表.txt".encode().decode("latin-1") + '"', "表.txt"),
        ("inline", ""),
    ],
)
def test_disposition_names(header: str, name: str) -> None:
    """``filename*`` (RFC 5987) wins; a plain UTF-8 name sent as Latin-1 is read back."""
    assert disposition_name(header) == name


def _form(files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    request = httpx.Request("POST", "http://127.0.0.1/", files=files)
    return request.read(), request.headers["content-type"]


def test_multipart_is_parsed_in_memory() -> None:
    """The ``file`` part's name and exact bytes; other parts are ignored."""
    data = bytes(range(256)) * 10 + b"\r\n--not-a-boundary\r\n"
    body, content_type = _form({"note": ("n.txt", b"ignored"), "file": ("自评表.xlsx", data)})
    upload = parse_multipart(body, content_type)
    assert (upload.name, upload.data) == ("自评表.xlsx", data)
    assert upload_from_body(body, content_type, "", "") == upload


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--b\r\nno end", "multipart/form-data; boundary=b"),
        (b"", "multipart/form-data"),
    ],
)
def test_a_broken_form_is_400(body: bytes, content_type: str) -> None:
    """A form without a boundary or a ``file`` part is the client's mistake."""
    with pytest.raises(Problem) as info:
        parse_multipart(body, content_type)
    assert info.value.status == 400


def test_an_empty_file_part_is_400() -> None:
    """A ``file`` part with nothing in it says so."""
    body, content_type = _form({"file": ("a.txt", b"")})
    with pytest.raises(Problem) as info:
        parse_multipart(body, content_type)
    assert info.value.status == 400


def test_the_private_folder_is_private_and_removed() -> None:
    """Mode 0700 while in use, gone afterwards, also when the work fails."""
    seen = []

    def work() -> None:
        with private_folder() as folder:
            (folder / "x.txt").write_text("x", "utf-8")
            seen.append((folder, folder.stat().st_mode & 0o777))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        work()
    [(folder, mode)] = seen
    assert mode == 0o700
    assert not folder.exists()
