"""Tests of .ci/run: the Chinese font does not depend on whether Chromium was missing."""

from __future__ import annotations

from pathlib import Path

SCRIPT = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")


def test_font_is_installed_on_its_own_check() -> None:
    """The font is added when no Chinese font is found, on a line of its own, not with Chromium."""
    font_line = next(line for line in SCRIPT.splitlines() if "fonts-wqy-microhei" in line)
    assert "fc-list :lang=zh" in font_line
    assert "chromium" not in font_line


def test_ci_fails_without_a_chinese_font() -> None:
    """A rendering of boxes must not pass: CI stops when no Chinese font is present."""
    assert 'fc-list :lang=zh | grep -q . || { echo "no Chinese font' in SCRIPT
    assert "exit 1" in SCRIPT.split("no Chinese font")[1].splitlines()[0]
