"""perfscore: score Chinese budget performance self-evaluations (预算绩效自评).

Data flows one way — read → parse → score → roll up → render::

    >>> from decimal import Decimal
    >>> from perfscore import Indicator, evaluate
    >>> rows = [Indicator(row=1, level1="产出指标", target="≥2万人次", actual="15000人次",
    ...                   weight=Decimal(2))]
    >>> evaluate(rows).scores[0].explanation
    '完成值 15000人次 未达到目标 ≥2万人次，得分 = 2 × 15000 / 20000 = 1.50'
"""

from .documents import Document, Project
from .errors import PerfscoreError, ReadError, SchemeError, TargetSyntaxError
from .indicators import Indicator
from .rollup import Evaluation, evaluate, evaluate_document
from .scheme import Scheme, available_schemes, load_scheme
from .scoring import Score, Status, score_indicator
from .targets import parse_actual, parse_target
from .values import Comparator, Compound, Deadline, Outcome, Period, Qualitative, Quantity, Value

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
