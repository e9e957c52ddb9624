"""Tests for the one display-width helper the errors, reports and CLI share."""

import subprocess
import sys

import pytest

from perfscore._display import display_width, grid, wrap


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("完成率达到100%以上", 10, "完成率达到\n100%以上"),
        ("资金1,234.56万元", 8, "资金\n1,234.56\n万元"),
        ("covers all districts", 10, "covers all\ndistricts"),
        ("第一行\n第二行", 20, "第一行\n第二行"),
        ("", 10, ""),
        ("12345678901", 4, "12345678901"),
        ("5051.15万元", 6, "5051.15\n万元"),
        ("≤34403.58万元", 4, "≤\n34403.58\n万元"),
    ],
)
def test_wrap_keeps_numbers_and_words_whole(text: str, width: int, expected: str) -> None:
    """Lines break between Chinese characters or ASCII runs; an overlong run stays whole."""
    assert wrap(text, width) == expected
    for line in expected.split("\n"):
        assert display_width(line) <= width or " " not in line.strip()


def test_display_width_counts_chinese_twice() -> None:
    """A Chinese character takes two columns, ASCII one, a control character none."""
    assert display_width("2万人次") == 7
    assert display_width("a\x07") == 1


def test_grid_aligns_chinese_by_display_width() -> None:
    """Columns line up on screen when cells mix Chinese and ASCII."""
    lines = grid([["万人次", "1"], ["ab", "22"]], headers=["单位", "n"]).splitlines()
    assert len({display_width(line) for line in lines}) == 1


def test_importing_perfscore_leaves_tabulate_alone() -> None:
    """Importing the package and its CLI sets no tabulate global: width mode is set per render."""
    code = (
        "import tabulate; tabulate.WIDE_CHARS_MODE = False; "
        "import perfscore.cli, perfscore.report; print(tabulate.WIDE_CHARS_MODE)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
