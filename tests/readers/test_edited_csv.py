"""Issue 19 item 6: CSV as people edit it gives diagnostics naming the row, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfscore.cli import main
from perfscore.documents import Severity
from perfscore.readers import read

HEADER = "一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分"


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "edited.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _messages(path: Path) -> dict[int | None, list[str]]:
    found: dict[int | None, list[str]] = {}
    for diagnostic in read(path).diagnostics:
        found.setdefault(diagnostic.row, []).append(diagnostic.message)
    return found


def test_note_line_is_a_note_not_a_row(tmp_path: Path) -> None:
    """备注：金额单位为万元 on a line of its own: a note naming its row, never an indicator."""
    path = _write(
        tmp_path, HEADER, "备注：金额单位为万元", "产出指标,数量指标,甲,≥10个,12个,100,100"
    )
    document = read(path)
    assert [i.level3 for i in document.indicators] == ["甲"]
    [note] = [d for d in document.diagnostics if d.row == 2]
    assert "note line" in note.message
    assert note.severity is Severity.INFO


def test_short_line_is_kept_and_named(tmp_path: Path) -> None:
    """A line with fewer cells than the header: kept, its missing cells named."""
    path = _write(
        tmp_path, HEADER, "产出指标,数量指标,甲,≥10个", "产出指标,数量指标,乙,≥5个,6个,50,50"
    )
    document = read(path)
    first = document.indicators[0]
    assert (first.level3, first.actual, first.weight) == ("甲", "", None)
    assert len(document.indicators) == 2
    assert any("short line" in m and "实际完成值" in m for m in _messages(path)[2])


@pytest.mark.parametrize("at", [2, 3, 4])
def test_unclosed_quote_loses_no_row(tmp_path: Path, at: int) -> None:
    """An unclosed quote on any line: every row still comes out, the bad one named."""
    rows = [
        "产出指标,数量指标,甲,≥10个,12个,40,40",
        "产出指标,质量指标,乙,≥90%,95%,30,30",
        '效益指标,社会效益指标,丙,"明显,\n有改善",明显,30,30',
    ]
    rows[at - 2] = rows[at - 2].replace(",≥", ',"≥', 1) if at < 4 else rows[at - 2]
    if at == 4:
        rows[2] = '效益指标,社会效益指标,"丙,好,好,30,30'
    path = _write(tmp_path, HEADER, *rows)
    document = read(path)
    assert [i.level3 for i in document.indicators] == ["甲", "乙", "丙"]
    assert any("unclosed quote" in m for m in _messages(path)[at])


def test_trailing_empty_columns_are_ignored(tmp_path: Path) -> None:
    """Empty columns right of the table (",,,") change nothing."""
    path = _write(tmp_path, HEADER + ",,,", "产出指标,数量指标,甲,≥10个,12个,100,100,,,")
    document = read(path)
    assert [(i.level3, i.published) for i in document.indicators] == [("甲", 100)]
    assert not [d for d in document.diagnostics if d.severity is not Severity.INFO]


def test_cli_never_prints_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """All of it at once through `perfscore score`: messages, no traceback."""
    path = _write(
        tmp_path,
        HEADER + ",,",
        "备注：金额单位为万元",
        "产出指标,数量指标,甲,≥10个,12个,50,50",
        "产出指标,数量指标,乙",
        '产出指标,质量指标,"丙,≥90%,95%,50,50',
    )
    status = main(["score", str(path)])
    err = capsys.readouterr().err
    assert status in (0, 1)
    assert "Traceback" not in err
    assert "第2行" in err
    assert "第5行" in err


def test_quoted_cell_with_line_breaks_is_one_cell(tmp_path: Path) -> None:
    """A properly quoted cell holding line breaks (Alt+Enter in Excel) is one cell, no warning."""
    path = _write(
        tmp_path,
        HEADER + ",偏差原因分析及改进措施",
        '产出指标,数量指标,甲,≥10个,8个,50,40,"1、天气影响\n2、已整改\n"',
        "产出指标,数量指标,乙,≥10个,12个,50,50,",
    )
    document = read(path)
    assert [i.level3 for i in document.indicators] == ["甲", "乙"]
    assert document.indicators[0].reason == "1、天气影响\n2、已整改"
    assert not any("quote" in d.message for d in document.diagnostics)


def test_quoted_reason_with_commas_on_its_lines_is_one_cell(tmp_path: Path) -> None:
    """A quoted reason whose lines hold a few commas is a cell, not a swallowed table."""
    path = _write(
        tmp_path,
        HEADER + ",偏差原因分析及改进措施",
        '产出指标,数量指标,甲,≥10个,8个,50,40,"原因如下:\n受天气影响, 进度推迟, 已整改"',
        "产出指标,数量指标,乙,≥10个,12个,50,50,",
    )
    document = read(path)
    assert [i.level3 for i in document.indicators] == ["甲", "乙"]
    assert document.indicators[0].reason.endswith("已整改")
    assert not any("quote" in d.message for d in document.diagnostics)
