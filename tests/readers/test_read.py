"""Tests for perfscore.readers.read: choosing the reader by extension and content."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfscore import ReadError
from perfscore.documents import DocumentKind
from perfscore.readers import read, read_text

DATA = Path(__file__).parents[2] / "examples" / "data"


@pytest.mark.parametrize(
    ("name", "kind", "rows"),
    [
        ("tianjin-2024-self-evaluation.txt", DocumentKind.SELF_EVALUATION, 60),
        ("tianjin-2024.csv", DocumentKind.SELF_EVALUATION, 60),
        ("tianjin-2024.xlsx", DocumentKind.SELF_EVALUATION, 60),
        ("targets-tianjin-kejiju.txt", DocumentKind.TARGET_TABLE, 103),
        ("targets-tangshan-kexie.txt", DocumentKind.TARGET_TABLE, 144),
    ],
)
def test_read_picks_the_reader(name: str, kind: DocumentKind, rows: int) -> None:
    """Each bundled example is read by the right reader, with all its rows."""
    document = read(DATA / name)
    assert (document.kind, len(document.indicators)) == (kind, rows)


def test_gb18030_text_is_decoded(tmp_path: Path) -> None:
    """A text export saved as GB18030 reads like the UTF-8 original."""
    original = (DATA / "tianjin-2024-self-evaluation.txt").read_text("utf-8")
    path = tmp_path / "gbk.txt"
    path.write_bytes(original.encode("gb18030"))
    assert read(path).indicators == read_text(original, file=str(path)).indicators


def test_missing_file_is_a_read_error() -> None:
    """A path that does not exist raises ReadError naming it, in Chinese and English."""
    with pytest.raises(ReadError, match=r"nope\.csv: 找不到文件 \(file not found\)"):
        read("nope.csv")


def test_kind_can_be_forced() -> None:
    """``kind`` overrides detection for text that could be read either way."""
    text = (DATA / "targets-tianjin-kexie.txt").read_text("utf-8")
    assert read_text(text).kind is DocumentKind.TARGET_TABLE
    forced = read_text(text, kind=DocumentKind.SELF_EVALUATION)
    assert forced.kind is DocumentKind.SELF_EVALUATION
