"""Tests for schemes: presets as data, formulas checked at load, bands, rounding."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import Indicator, SchemeError, available_schemes, load_scheme, score_indicator
from perfscore.score.scheme import Scheme

MOF = {"name": "custom"}


def test_presets_are_listed() -> None:
    """The shipped presets include mof2020 and the variants."""
    assert {"mof2020", "provincial-bands", "vendor-linear", "department"} <= set(
        available_schemes()
    )


@pytest.mark.parametrize("name", available_schemes())
def test_every_preset_loads(name: str) -> None:
    """Each preset file is a valid scheme whose name matches its file."""
    assert load_scheme(name).name == name


def test_default_is_mof2020() -> None:
    """load_scheme() without arguments gives mof2020 with half-up rounding to 2 places."""
    scheme = load_scheme()
    assert (scheme.name, scheme.places, scheme.rounding) == ("mof2020", 2, "ROUND_HALF_UP")
    assert scheme.round(Decimal("9.645")) == Decimal("9.65")


def test_minimal_scheme_uses_mof2020_rules() -> None:
    """A scheme that gives only a name gets the official defaults."""
    scheme = Scheme.from_dict(MOF)
    assert scheme.higher_unmet.expression == "weight * actual / target"
    assert [g.name for g in scheme.grades] == ["优", "良", "中", "差"]


def test_formulas_are_exact() -> None:
    """Number literals in formulas are Decimals, so 0.7 × 3 is exactly 2.1."""
    scheme = Scheme.from_dict({**MOF, "quantitative": {"higher_unmet": "weight * 0.7"}})
    result = scheme.higher_unmet(weight=Decimal(3), actual=Decimal(1), target=Decimal(2))
    assert result == Decimal("2.1")


@pytest.mark.parametrize(
    ("settings", "key", "message"),
    [
        (
            {"quantitative": {"higher_unmet": "weight * actul"}},
            "quantitative.higher_unmet",
            "未知名称「actul」",
        ),
        ({"quantitative": {"lower_unmet": "weight *"}}, "quantitative.lower_unmet", "公式语法错误"),
        (
            {"quantitative": {"lower_unmet": "__import__('os')"}},
            "quantitative.lower_unmet",
            "未知函数",
        ),
        (
            {"quantitative": {"lower_unmet": "weight.real"}},
            "quantitative.lower_unmet",
            "不允许的写法",
        ),
        (
            {"quantitative": {"lower_unmet": "'a'"}},
            "quantitative.lower_unmet",
            "公式只能包含数字常量",
        ),
        ({"deadline": {"late": "weight - actual"}}, "deadline.late", "未知名称「actual」"),
        ({"qualitative": {"achieved": 0.7}}, "qualitative.achieved", "不在官方区间"),
        ({"qualitative": {"partial": 0.8}}, "qualitative.partial", "不在官方区间"),
        ({"rounding": {"mode": "ROUND_NICE"}}, "rounding.mode", "未知的舍入方式"),
        ({"rounding": {"places": 9}}, "rounding.places", "应为 0–6 的整数"),
        ({"quantitative": {"equal": "both"}}, "quantitative.equal", "应为 higher 或 two-sided"),
        (
            {"grades": [{"name": "差", "min": 0}, {"name": "优", "min": 90}]},
            "grades",
            "等级应按分数",
        ),
        ({"execution": {"weight": "ten"}}, "execution.weight", "应为数字"),
    ],
)
def test_bad_settings_fail_at_load(settings: dict[str, object], key: str, message: str) -> None:
    """A bad setting raises SchemeError at load time, naming its key."""
    with pytest.raises(SchemeError) as info:
        Scheme.from_dict({**MOF, **settings}, source="my.toml")
    assert info.value.key == key
    assert message in info.value.message
    assert str(info.value).startswith(f"my.toml: [{key}] ")


def test_scheme_needs_a_name() -> None:
    """A scheme without a name is rejected."""
    with pytest.raises(SchemeError, match="name"):
        Scheme.from_dict({})


def test_load_from_path(tmp_path: Path) -> None:
    """A user's TOML file loads by path."""
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[rounding]\nplaces = 1\n', "utf-8")
    scheme = load_scheme(path)
    assert (scheme.name, scheme.places) == ("mine", 1)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    """A file that is not TOML gives a SchemeError naming the file."""
    path = tmp_path / "bad.toml"
    path.write_text("name = \n", "utf-8")
    with pytest.raises(SchemeError, match=r"bad\.toml: TOML 格式错误"):
        load_scheme(path)


def test_unknown_scheme_lists_presets() -> None:
    """An unknown name says which presets exist."""
    with pytest.raises(SchemeError, match="presets: department, mof2020, "):
        load_scheme("nope")


def test_formula_renders_with_numbers() -> None:
    """Formulas render with the numbers written in, for explanations."""
    formula = load_scheme().lower_unmet
    assert formula.render(weight=Decimal(1), target=Decimal("5"), actual=Decimal("6.5")) == (
        "1 × 5 / 6.5"
    )


def test_rounding_modes() -> None:
    """The rounding mode is the scheme's: half-up by default, half-even when asked."""
    even = Scheme.from_dict({**MOF, "rounding": {"places": 1, "mode": "ROUND_HALF_EVEN"}})
    assert even.round(Decimal("0.25")) == Decimal("0.2")
    assert load_scheme().round(Decimal("0.125")) == Decimal("0.13")


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ({"name": "x", "formulas": {}}, "formulas", "未知的设置项"),
        ({"name": "x", "rounding": {"place": 1}}, "rounding.place", "rounding.places"),
        ({"name": "x", "quantitative": {"higher_unmett": "0"}}, "quantitative.higher_unmett",
         "quantitative.higher_unmet"),
        ({"name": "x", "range": {"above": "weight / 0"}}, "range.above", "示例数据"),
        ({"name": "x", "quantitative": {"higher_unmet": "9 ** 9 ** 9"}},
         "quantitative.higher_unmet", "幂指数"),
        ({"name": "x", "quantitative": {"higher_unmet": "floor(10 ** 999998)"}},
         "quantitative.higher_unmet", "幂指数"),
        ({"name": "x", "quantitative": {"higher_unmet": "1" + " + 1" * 300}},
         "quantitative.higher_unmet", "公式过长"),
        ({"name": "x", "quantitative": {"higher_unmet": "weight * 10000000000000000"}},
         "quantitative.higher_unmet", "数字常量过大"),
        ({"name": "x", "execution": {"formula": "weight * executed / (budget - budget)"}},
         "execution.formula", "示例数据"),
        ({"name": "x", "approximate": {"margin": 2}}, "approximate.margin", "0 到 1"),
        ({"name": "x", "phrases": {"achieved": "完成"}}, "phrases.achieved", "字符串列表"),
    ],
)  # fmt: skip
def test_scheme_is_checked_at_load(data: dict[str, object], key: str, words: str) -> None:
    """Typos, power towers, huge literals and formulas that fail on sample values stop the load."""
    with pytest.raises(SchemeError) as info:
        Scheme.from_dict(data)
    assert info.value.key == key
    assert words in str(info.value)


def test_phrase_lists_are_scheme_data() -> None:
    """A province may add its own words to a band; the scheme decides the judgement."""
    scheme = Scheme.from_dict({"name": "x", "phrases": {"partial": ["推进中"]}})
    row = Indicator(row=1, target="提升", actual="推进中", weight=Decimal(10))
    assert score_indicator(row, scheme).computed == Decimal("7.00")
    assert score_indicator(row).computed is None
