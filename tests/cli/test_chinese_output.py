"""Tests that Chinese output says everything in Chinese, in form order, with the right labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfscore.cli import main

SEED = str(Path(__file__).parents[2] / "examples/data/tianjin-2024-self-evaluation.txt")


def _out(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    return capsys.readouterr().out


def test_severity_is_a_chinese_word(capsys: pytest.CaptureFixture[str]) -> None:
    """The findings table's 级别 column says 警告/提示, never warning/info."""
    out = _out(capsys, "score", SEED)
    assert re.search(r"\s(warning|info|error)\s", out) is None
    assert re.search(r"\s警告\s", out)


def test_value_kind_and_document_kind_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """``parse`` shows 类型 数量 (not quantity); ``read`` shows 类型 绩效自评表."""
    out = _out(capsys, "parse", "≥135人", "2024年12月31日前")
    assert "数量" in out
    assert "时限" in out
    assert "quantity" not in out
    assert "deadline" not in out
    out = _out(capsys, "read", SEED)
    assert re.search(r"类型\s+绩效自评表", out)
    assert "self_evaluation" not in out


def test_approximation_warning_is_english_words_not_an_enum_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """近1000人 warns 略少于该数 (a little under the number), not (…: just_under)."""
    out = _out(capsys, "parse", "近1000人")
    assert "数值为近似值（略少于该数）(approximate value: a little under the number)" in out
    assert "just_under" not in out


def test_recomputed_grade_is_not_the_units_own(capsys: pytest.CaptureFixture[str]) -> None:
    """With --recompute the text says 评分等级（按方案重算）, not 自评等级."""
    out = _out(capsys, "score", SEED, "--recompute")
    assert "评分等级（按方案重算）：优" in out
    assert "自评等级" not in out
    assert "自评等级：优" in _out(capsys, "score", SEED)


def test_level_subtotals_follow_the_form(capsys: pytest.CaptureFixture[str]) -> None:
    """Each 一级's 二级 subtotals stay together, 一级 in the form's order."""
    out = _out(capsys, "score", SEED)
    block = out.split("四、按指标层级汇总")[1].split("五、")[0]
    level1 = [line.split(" / ")[0] for line in block.splitlines() if " / " in line]
    assert level1[0] == "一级"  # the header
    order = list(dict.fromkeys(level1[1:]))
    assert order == ["产出指标", "效益指标", "满意度指标"]
    assert level1[1:] == sorted(level1[1:], key=order.index)
