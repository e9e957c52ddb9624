"""Tests that each input no reader can use gets a message a user can act on, via the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfscore.cli import main

CASES = Path(__file__).parents[1] / "data" / "messages.tsv"
# Python's own words, which mean nothing to a finance officer.
_CLASS_NAME = re.compile(r"\b[A-Z]\w*(?:Error|Exception)\b|BadZipFile|Traceback|No module named")


def _cases() -> list[tuple[str, str, str, int, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, content, command, status, expected = line.split("\t")
            rows.append((name, content, command, int(status), expected))
    return rows


def _make(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    if content == "<dir>":
        path.mkdir()
    elif content.startswith("<bytes:"):
        path.write_bytes(bytes(range(7, 7 + int(content[7:-1]))))
    else:
        path.write_text(content.replace("\\n", "\n"), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "content", "command", "status", "expected"), _cases())
def test_message_says_what_to_do(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
    command: str,
    status: int,
    expected: str,
) -> None:
    """Each case in tests/data/messages.tsv exits as listed, names the file, says what to do."""
    path = _make(tmp_path, name, content)
    out = tmp_path / "out" / ("out.docx" if command == "report" else "out.xlsx")
    argv = [command, str(path)] + (["-o", str(out)] if command in ("template", "report") else [])
    assert main(argv) == status
    err = capsys.readouterr().err
    assert expected in err
    assert str(path) in err
    assert not _CLASS_NAME.search(err), err
    assert "绩效目标表" not in err  # not "this is a target table, use template"
    assert not out.exists()  # nothing written when nothing was read


def test_batch_refuses_an_output_name_that_lies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``batch -o out.pdf`` and ``-o out.csv --format xlsx`` are usage errors; nothing written."""
    seed = str(Path(__file__).parents[2] / "examples/data/tianjin-2024-self-evaluation.txt")
    assert main(["batch", seed, "-o", str(tmp_path / "out.pdf")]) == 2
    assert "无法从" in capsys.readouterr().err
    assert main(["batch", seed, "-o", str(tmp_path / "out.csv"), "--format", "xlsx"]) == 2
    assert "不一致" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_batch_that_reads_nothing_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch whose every file fails says nothing was read and exits 1."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"junk")
    assert main(["batch", str(bad), "-o", str(tmp_path / "s.xlsx"), "--jobs", "1"]) == 1
    assert "没有读取到任何自评表" in capsys.readouterr().err


def test_batch_quiet_and_no_bar_off_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Off a terminal no progress bar is drawn; ``--quiet`` also drops the count line."""
    seed = str(Path(__file__).parents[2] / "examples/data/tianjin-2024-self-evaluation.txt")
    assert main(["batch", seed, "-o", str(tmp_path / "s.xlsx"), "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    assert "\r" not in err
    assert "file/s" not in err
    assert "1 个路径 (paths)" in out
    assert main(["batch", seed, "-o", str(tmp_path / "t.xlsx"), "--jobs", "1", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
