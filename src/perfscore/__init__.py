"""perfscore: score Chinese budget performance self-evaluations (预算绩效自评).

Data flows one way — read → parse → score → roll up → render::

    >>> from decimal import Decimal
    >>> from perfscore import Indicator, evaluate
    >>> rows = [Indicator(row=1, level1="产出指标", target="≥2万人次", actual="15000人次",
    ...                   weight=Decimal(2))]
    >>> evaluate(rows).scores[0].explanation
    '完成值 15000人次 未达到目标 ≥2万人次，得分 = 2 × 15000 / 20000 = 1.50'
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - names for type checkers; loaded on first use below
    from .documents import Document, Project
    from .errors import PerfscoreError, ReadError, SchemeError, TargetSyntaxError
    from .indicators import Indicator
    from .parse.targets import parse_actual, parse_target
    from .parse.values import (
        Comparator,
        Compound,
        Deadline,
        Outcome,
        Period,
        Qualitative,
        Quantity,
        Value,
    )
    from .score.rollup import Evaluation, evaluate, evaluate_document
    from .score.scheme import Scheme, available_schemes, load_scheme
    from .score.scoring import Score, Status, score_indicator

# Where each public name lives.  ``import perfscore`` loads none of these modules
# (attrs classes, the scheme loader and the tokenizer cost ~100 ms together): a
# command such as ``perfscore --version``, or a program that only needs one
# reader, pays only for what it touches.  The first attribute access imports
# the module and caches the name in this module's globals.
_HOMES = {
    "Document": "documents",
    "Project": "documents",
    "PerfscoreError": "errors",
    "ReadError": "errors",
    "SchemeError": "errors",
    "TargetSyntaxError": "errors",
    "Indicator": "indicators",
    "Evaluation": "score.rollup",
    "evaluate": "score.rollup",
    "evaluate_document": "score.rollup",
    "Scheme": "score.scheme",
    "available_schemes": "score.scheme",
    "load_scheme": "score.scheme",
    "Score": "score.scoring",
    "Status": "score.scoring",
    "score_indicator": "score.scoring",
    "parse_actual": "parse.targets",
    "parse_target": "parse.targets",
    "Comparator": "parse.values",
    "Compound": "parse.values",
    "Deadline": "parse.values",
    "Outcome": "parse.values",
    "Period": "parse.values",
    "Qualitative": "parse.values",
    "Quantity": "parse.values",
    "Value": "parse.values",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'perfscore' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "Comparator",
    "Compound",
    "Deadline",
    "Document",
    "Evaluation",
    "Indicator",
    "Outcome",
    "PerfscoreError",
    "Period",
    "Project",
    "Qualitative",
    "Quantity",
    "ReadError",
    "Scheme",
    "SchemeError",
    "Score",
    "Status",
    "TargetSyntaxError",
    "Value",
    "available_schemes",
    "evaluate",
    "evaluate_document",
    "load_scheme",
    "parse_actual",
    "parse_target",
    "score_indicator",
]

__version__ = "0.1.0"
