"""Every setting a scheme may hold, in one table: key, type, default, range, label.

:data:`FIELDS` drives everything that names a setting: loading and checking a TOML
file (:mod:`perfscore.score.scheme`), the unknown-key check, ``perfscore schemes``,
the scheme written back as TOML (``perfscore fit``) and the JSON Schema of
``perfscore schemes --format json`` (a test checks they agree).  Each default is
written here once, as TOML would write it.

Kinds: ``string``, ``integer``, ``number``, ``boolean``, ``choice`` (one of
``allowed``), ``mode`` (a rounding mode), ``formula`` (required), ``formula?`` (may be
empty), ``shares`` (phrase → share of the weight), ``numbers`` (name → number),
``phrases`` and ``direction`` (word lists) and ``grades`` (the list of ``[[grades]]``); each kind is
read by one function of ``scheme._READERS``.  A default of
None means "not set": the optional rounding keys then follow ``rounding.places``
and ``rounding.mode``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..parse.vocabulary import DIRECTION_KINDS, PHRASE_KEYS

__all__ = [
    "FIELDS",
    "FORMULA_NAMES",
    "HEADING_KEYS",
    "KNOWN_KEYS",
    "ROUNDING_MODES",
    "TABLE_KINDS",
    "Field",
    "field",
    "settings_schema",
]

# Rounding modes by their decimal names, and the short names the docs of the
# provinces use (四舍五入 half-up, 直接舍去 down, 银行家舍入 half-even).
ROUNDING_MODES: dict[str, str] = {
    "ROUND_HALF_UP": "ROUND_HALF_UP",
    "ROUND_HALF_EVEN": "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN": "ROUND_HALF_DOWN",
    "ROUND_UP": "ROUND_UP",
    "ROUND_DOWN": "ROUND_DOWN",
    "ROUND_CEILING": "ROUND_CEILING",
    "ROUND_FLOOR": "ROUND_FLOOR",
    "half-up": "ROUND_HALF_UP",
    "half-even": "ROUND_HALF_EVEN",
    "down": "ROUND_DOWN",
    "up": "ROUND_UP",
}

# Kinds whose value is a table or list of any keys (checked by the kind's reader in
# scheme.py, not by the unknown-key check).  A new table setting (e.g. a [direction]
# table of words) is a Field of kind "table" or a kind of its own added here.
TABLE_KINDS = frozenset({"numbers", "shares", "grades", "table"})

_QUANTITY = frozenset({"weight", "actual", "target"})
_RANGE = frozenset({"weight", "actual", "low", "high"})


@attrs.frozen
class Field:
    """One setting: its TOML key, the Scheme attribute it fills, type, default and label."""

    key: str
    attr: str
    kind: str
    default: Any
    label: str
    meaning: str
    allowed: tuple[Any, ...] = ()  # choices, or (low, high) for numbers
    names: frozenset[str] = frozenset()  # the names a formula may use


_F = Field
_SHARE = (Decimal(0), Decimal(1))
_PLACES = (0, 6)
_POINTS = (Decimal(0), Decimal(1000))

FIELDS: tuple[Field, ...] = (
    _F("name", "name", "string", None, "名称", "the scheme's name (required)"),
    _F("version", "version", "string", "", "版本", "shown next to the name"),
    _F("title", "title", "string", None, "标题", "one line shown in reports (default: the name)"),
    _F("description", "description", "string", "", "说明", "a paragraph; cite the rule here"),
    _F("rounding.places", "places", "integer", 2, "舍入位数",
       "decimal places of every indicator score", _PLACES),
    _F("rounding.mode", "rounding", "mode", "ROUND_HALF_UP", "舍入方式",
       "how indicator scores are rounded"),
    _F("rounding.execution_places", "execution_places", "integer", None, "执行得分舍入位数",
       "places of the execution points (default: rounding.places)", _PLACES),
    _F("rounding.execution_mode", "execution_mode", "mode", None, "执行得分舍入方式",
       "rounding of the execution points (default: rounding.mode)"),
    _F("rounding.total_places", "total_places", "integer", None, "总分舍入位数",
       "places of the total (default: the exact sum of the rounded parts)", _PLACES),
    _F("rounding.total_mode", "total_mode", "mode", None, "总分舍入方式",
       "rounding of the total (default: rounding.mode)"),
    _F("quantitative.higher_unmet", "higher_unmet", "formula", "weight * actual / target",
       "正向未达标", "points when a ≥ target is missed", names=_QUANTITY),
    _F("quantitative.lower_unmet", "lower_unmet", "formula", "weight * target / actual",
       "反向未达标", "points when a ≤ target is exceeded", names=_QUANTITY),
    _F("quantitative.equal", "equal", "choice", "higher", "等于型",
       "score = targets like ≥, or penalise both sides", ("higher", "two-sided")),
    _F("quantitative.equal_unmet", "equal_unmet", "formula",
       "weight * (1 - abs(actual - target) / target)", "等于型未达标",
       "points for a missed two-sided = target", names=_QUANTITY),
    _F("quantitative.negative_actual_as_zero", "negative_actual_as_zero", "boolean", True,
       "负数按0计", "count a negative actual as 0"),
    _F("over_achievement.warn_share", "over_share", "number", "0.3", "超额预警",
       "warn when an actual exceeds a ≥ target by more than this share",
       (Decimal(0), Decimal(1000))),
    _F("over_achievement.deduct", "over_deduct", "formula?", "", "超额扣减",
       "points when the actual exceeds the target by more than warn_share",
       names=_QUANTITY | {"share"}),
    _F("deadline.late", "deadline_late", "formula", "0", "逾期",
       "points for a deadline missed by days_late days", names=frozenset({"weight", "days_late"})),
    _F("qualitative.achieved", "achieved_share", "number", "1", "达成得分比例",
       "share of the weight for 达成 (inside its band)", _SHARE),
    _F("qualitative.partial", "partial_share", "number", "0.7", "部分达成得分比例",
       "share of the weight for 部分达成 (inside its band)", _SHARE),
    _F("qualitative.not_achieved", "not_achieved_share", "number", "0", "未达成得分比例",
       "share of the weight for 未达成 (inside its band)", _SHARE),
    _F("qualitative.achieved_from", "achieved_from", "number", "0.8", "达成档下限",
       "the 达成 band is [achieved_from, 1]", _SHARE),
    _F("qualitative.partial_from", "partial_from", "number", "0.6", "部分达成档下限",
       "the 部分达成 band is [partial_from, achieved_from); 未达成 below", _SHARE),
    _F("qualitative.phrases", "phrase_shares", "shares", {}, "按用语计分",
       "a share per phrase, e.g. 基本达到 = 0.875 (longest phrase found wins)"),
    _F("compound.combine", "compound", "choice", "mean", "复合指标",
       "how the clauses of a compound target combine", ("mean", "min")),
    _F("cost.under_budget", "cost_under_budget", "choice", "full", "成本节约",
       "a cost under its budget: full marks, or B/A × weight", ("full", "B/A")),
    _F("cap.at_weight", "cap", "boolean", True, "得分不超过分值",
       "false: an exceeded ≥ target scores weight × actual / target, above the weight"),
    _F("execution.weight", "execution_weight", "number", "10", "预算执行分值",
       "points for budget execution (10, 20…)", _POINTS),
    _F("execution.formula", "execution_formula", "formula", "weight * min(executed / budget, 1)",
       "预算执行得分", "execution points", names=frozenset({"weight", "budget", "executed"})),
    _F("execution.as_indicator", "execution_as_indicator", "boolean", False, "执行率作为指标",
       "true: execution is an ordinary indicator row inside the 100, no separate block"),
    _F("range.above", "range_above", "formula", "weight * high / actual", "区间之上",
       "an actual above a target band", names=_RANGE),
    _F("range.below", "range_below", "formula", "weight * actual / low", "区间之下",
       "an actual below a target band", names=_RANGE),
    _F("tolerance.beyond", "tolerance_beyond", "formula", "weight * tolerance / deviation",
       "超出容差", "a deviation beyond ±t",
       names=frozenset({"weight", "tolerance", "deviation"})),
    _F("change.smaller", "change_smaller", "formula", "weight * actual / target", "增幅不足",
       "a change in the right direction but smaller", names=_QUANTITY),
    _F("approximate.margin", "approximate_margin", "number", "0.1", "近似数容差",
       "an approximate actual this close to the target goes to review", _SHARE),
    _F("plausibility.percent", "percent_plausibility", "boolean", True, "百分比核对",
       "a bare 0.93 against ≥90% goes to review"),
    _F("not_applicable.rescale", "not_applicable_rescale", "boolean", False, "不适用重算",
       "rows marked 不适用 leave the total, the rest rescaled to the full marks"),
    _F("rows.derived_weights", "derived_weights", "boolean", False, "上级分值为下级之和",
       "a row with no 三级指标, target, actual or 评分标准 is a heading: its weight and score"
       " are its rows' sums, not counted again"),
    _F("checklist.score", "checklist", "boolean", False, "按评分标准计分",
       "rows with a 评分标准 and no target/actual are scored by its rule"),
    _F("checklist.deduction", "checklist_deduction", "number", "1", "每处扣分",
       "points off per finding when the 评分标准 does not say", _POINTS),
    _F("checklist.likert", "likert", "shares", {"好": "1", "较好": "0.8", "一般": "0.6", "差": "0"},
       "等级量表", "Likert scale: grade word → share of the weight"),
    _F("weights", "weights", "numbers",
       {"产出指标": "50", "效益指标": "30", "满意度指标": "10", "成本指标": "0"}, "默认权重",
       "default 一级 weights for new templates", _POINTS),
    _F("monitoring", "monitoring", "numbers", {"yellow": "5", "red": "15"}, "监控阈值",
       "mid-year monitoring thresholds (percentage points behind plan)", _POINTS),
    _F("phrases", "phrases", "phrases", None, "结果用语",
       "word lists that judge a qualitative actual (built in when absent)"),
    _F("direction", "direction", "direction", None, "方向用语",
       "words of indicator names that make a comparator-less target a ceiling, a floor,"
       " or a question for a person (lists ceiling, floor, ambiguous; built in when absent)"),
    _F("grades", "grades", "grades",
       ({"name": "优", "min": "90"}, {"name": "良", "min": "80"},
        {"name": "中", "min": "60"}, {"name": "差", "min": "0"}),
       "等级", "grade bands, highest first; the lowest starts at 0"),
)  # fmt: skip

_BY_KEY = {f.key: f for f in FIELDS}

# The names each formula may use; all are Decimal magnitudes in the target's unit.
FORMULA_NAMES: dict[str, frozenset[str]] = {
    f.key: f.names for f in FIELDS if f.kind in ("formula", "formula?")
}


def field(key: str) -> Field:
    """The field with the dotted ``key``."""
    return _BY_KEY[key]


def _known_keys() -> dict[str, Any]:
    """The tree of keys a scheme may set: None a value, "*" a table of any keys."""
    tree: dict[str, Any] = {}
    for f in FIELDS:
        *parents, last = f.key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        if f.kind == "phrases":
            node[last] = dict.fromkeys(PHRASE_KEYS)
        elif f.kind == "direction":
            node[last] = dict.fromkeys(DIRECTION_KINDS)
        elif f.kind in TABLE_KINDS:
            node[last] = "*"  # any keys: the kind's reader checks them
        else:
            node[last] = None
    return tree


KNOWN_KEYS: Mapping[str, Any] = _known_keys()


# Shown as the scheme's heading, not among its settings.
HEADING_KEYS = ("name", "version", "title", "description")


def settings_schema() -> dict[str, Any]:
    """The JSON Schema of ``settings`` in ``perfscore schemes --format json``."""
    shown = [f for f in FIELDS if f.key not in HEADING_KEYS]
    return {
        "type": "object",
        "required": [f.key for f in shown],
        "additionalProperties": False,
        "properties": {f.key: {"type": "string", "title": f.label} for f in shown},
    }
