"""The tokenizer's shortcut for spaces agrees with its SPACE rule on every character."""

from __future__ import annotations

import re
import sys

from perfscore.parse._tokenizer import Tokenizer


def test_isspace_is_the_regex_space_class() -> None:
    """str.isspace, tested before the SPACE regex runs, is true exactly where \\s matches."""
    space = re.compile(r"\s")
    differ = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if bool(space.match(chr(code))) != chr(code).isspace()
    ]
    assert differ == []


def test_spaces_of_every_kind_are_skipped() -> None:
    """Ideographic, no-break and tab spaces between tokens are skipped like ASCII spaces."""
    tokenizer = Tokenizer("≥\u3000\u00a0\t95 %")
    assert tokenizer.consume("CMP_SYMBOL") is not None
    assert tokenizer.consume("NUMBER") is not None
    assert tokenizer.consume("UNIT") is not None
    assert tokenizer.at_end()
