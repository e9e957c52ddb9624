"""Tests for the one display-width helper the errors, reports and CLI share."""

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore._display import display_width, grid, simple_grid, wrap


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


# Report cells always hold something; tabulate drops the trailing lines of a blank last row.
_CELL = st.text(alphabet=st.sampled_from(list("ab1 .%中文字≥，（）\n-元人")), max_size=12).filter(
    str.strip
)


@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            st.lists(_CELL, min_size=n, max_size=n),
            st.lists(st.lists(_CELL, min_size=n, max_size=n), max_size=6),
            st.lists(st.sampled_from(["left", "right"]), min_size=n, max_size=n),
        )
    )
)
def test_simple_grid_is_tabulates_simple_format(table: tuple[Any, Any, Any]) -> None:
    """The reports' own table builder gives exactly tabulate's "simple" text."""
    import tabulate

    headers, rows, align = table
    tabulate.WIDE_CHARS_MODE = True
    expected = tabulate.tabulate(
        rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=align
    )
    assert simple_grid(rows, headers, align) == expected


@given(st.text(max_size=30))
def test_display_width_caches_nothing_wrong(text: str) -> None:
    """The per-character cache and the ASCII shortcut agree with wcwidth on any text."""
    from wcwidth import wcwidth

    assert display_width(text) == sum(max(wcwidth(c), 0) for c in text)


def _reference_wrap(text: str, width: int) -> str:
    """The token-by-token wrap the bisection replaced, kept as the specification."""
    import re

    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for token in re.findall(r"[!-~]+|.", paragraph, re.DOTALL):
            size = display_width(token)
            if used + size > width and line:
                lines.append(line.rstrip())
                line, used = token.lstrip(), display_width(token.lstrip())
            else:
                line, used = line + token, used + size
        lines.append(line.rstrip())
    return "\n".join(lines)


@given(
    st.text(alphabet=st.sampled_from(list("ab12.,% 　\t中文字≥，（）\n\x07é")), max_size=80),
    st.integers(1, 30),
)
def test_wrap_breaks_exactly_as_the_token_by_token_rule(text: str, width: int) -> None:
    assert wrap(text, width) == _reference_wrap(text, width)
