"""The JSON of ``parse``, ``schemes``, ``audit`` and ``lint``, built once for every caller.

``perfscore`` (the CLI) and ``perfscore serve`` (the HTTP service) write the same
outputs; building them here keeps them the same to the byte.  Each function
returns plain dicts and lists; :func:`dumps` writes them as the CLI does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .schemas import TAGS

if TYPE_CHECKING:
    from ..parse.vocabulary import Phrases
    from ..review.findings import Finding
    from ..score.scheme import Formula, Scheme

__all__ = [
    "dumps",
    "findings_data",
    "parse_data",
    "parse_result",
    "scheme_data",
    "scheme_settings",
    "schemes_data",
]


def dumps(data: object) -> str:
    """JSON as the CLI writes it: UTF-8 text, two-space indent (no final newline)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- parse ----------------------------------------------------------------------------


def parse_result(text: str, actual: bool, phrases: Phrases) -> dict[str, Any]:
    """One text's JSON object: the parsed value's fields, or ``error`` with its position."""
    from ..errors import TargetSyntaxError
    from ..parse.targets import parse_actual, parse_target

    try:
        value = parse_actual(text, phrases) if actual else parse_target(text)
    except TargetSyntaxError as error:
        position = list(error.span)
        return {
            "text": text,
            "kind": None,
            "warnings": [],
            "error": {"message": error.message, "position": position, "display": str(error)},
        }
    return {**value.to_dict(), "text": text, "describe": value.describe()}


def parse_data(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``perfscore parse --format json``: the results of :func:`parse_result`."""
    return {"schema": TAGS["parse"], "results": list(results)}


# --- schemes --------------------------------------------------------------------------


def scheme_data(scheme: Scheme) -> dict[str, Any]:
    """One scheme as ``perfscore schemes --format json`` lists it."""
    return {
        "name": scheme.name,
        "version": scheme.version,
        "title": scheme.title,
        "description": scheme.description.strip(),
        "settings": scheme_settings(scheme),
    }


def schemes_data(schemes: Sequence[Scheme]) -> dict[str, Any]:
    """``perfscore schemes --format json``."""
    return {"schema": TAGS["schemes"], "schemes": [scheme_data(s) for s in schemes]}


def scheme_settings(scheme: Scheme) -> dict[str, str]:
    """Every setting of a scheme, labelled in Chinese and by its TOML key, as text."""
    q = scheme.qualitative
    return {
        "舍入位数 rounding.places": str(scheme.places),
        "舍入方式 rounding.mode": scheme.rounding,
        "正向未达标 higher_unmet": scheme.higher_unmet.expression,
        "反向未达标 lower_unmet": scheme.lower_unmet.expression,
        "等于型 equal": "two-sided" if scheme.equal_two_sided else "higher",
        "等于型未达标 equal_unmet": scheme.equal_unmet.expression,
        "超额预警 warn_share": str(scheme.over_share),
        "超额扣减 deduct": scheme.over_deduct.expression if scheme.over_deduct else "（不扣减）",
        "逾期 deadline.late": scheme.deadline_late.expression,
        "定性 达成/部分/未达成": " / ".join(str(q[o]) for o in q),
        "复合 compound": scheme.compound,
        "区间之上 range.above": _expression(scheme.range_above),
        "区间之下 range.below": _expression(scheme.range_below),
        "超出容差 tolerance.beyond": _expression(scheme.tolerance_beyond),
        "增幅不足 change.smaller": _expression(scheme.change_smaller),
        "近似数容差 approximate.margin": str(scheme.approximate_margin),
        "百分比核对 plausibility.percent": str(scheme.percent_plausibility).lower(),
        "达成用语 phrases.achieved": _phrase_summary(scheme.phrases.achieved),
        "部分达成用语 phrases.partial": _phrase_summary(scheme.phrases.partial),
        "未达成用语 phrases.not_achieved": _phrase_summary(scheme.phrases.not_achieved),
        "否定词 phrases.negations": _phrase_summary(scheme.phrases.negations),
        "预算执行 execution": f"{scheme.execution_weight}：{scheme.execution_formula.expression}",
        "等级 grades": " ".join(f"{g.name}≥{g.minimum}" for g in scheme.grades),
    }


def _expression(formula: Formula | None) -> str:
    return formula.expression if formula is not None else ""


def _phrase_summary(words: Sequence[str]) -> str:
    shown = "、".join(words[:4])
    return f"{len(words)} 个：{shown}…" if len(words) > 4 else shown


# --- audit and lint -------------------------------------------------------------------


def findings_data(findings: Sequence[Finding], command: str, file: str) -> dict[str, Any]:
    """``perfscore audit`` / ``lint --format json``: the findings about ``file``."""
    return {
        "schema": TAGS["findings"],
        "command": command,
        "file": file,
        "findings": [f.to_dict() for f in findings],
    }
