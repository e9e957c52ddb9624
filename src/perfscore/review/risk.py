"""Where a reviewer looks first: a risk score per project from named, documented signals.

Each signal (see ``risk.toml`` beside this module and docs/review.md) measures one
way a self-evaluation tends to be inflated — published above computed, a grade
that only the published total reaches, a qualitative row given full marks with no
evidence, targets set too low, outputs met while outcomes were not, rows the
scheme cannot score, arithmetic errors.  A project's risk is

    risk = Σ weight × min(value, cap)

with every weight ≥ 0 and every value growing with its problem, so adding a
discrepancy never lowers a project's risk (a Hypothesis test checks this).
:func:`assess` scores one evaluated project; :func:`rank` orders many, riskiest
first, ties by file and project name so the order is reproducible.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ..documents import Document
from ..errors import SchemeError
from ..parse.values import Comparator, Qualitative, Quantity, format_decimal
from ..score.rollup import Evaluation
from ..score.scheme import Scheme
from ..score.scoring import Score, Status
from .findings import Finding

__all__ = [
    "ARITHMETIC_CODES",
    "RISK_SCHEMA",
    "ProjectRisk",
    "Reason",
    "RiskWeights",
    "SignalWeight",
    "assess",
    "assess_file",
    "load_weights",
    "rank",
    "risk_score",
    "signal_values",
]

RISK_SCHEMA = "perfscore.risk/1"
_ZERO = Decimal("0.00")
_PLACE = Decimal("0.01")
_ONE = Decimal(1)
# Findings of audit that are arithmetic slips, counted by the ``arithmetic`` signal.
ARITHMETIC_CODES = frozenset(
    {"total-mismatch", "weights-not-100", "score-above-weight", "execution-score-differs"}
)
# Differences audit explains as rounding or an in-band judgement: not inflation.
_NOT_INFLATION = frozenset({"deviation-rounding", "deviation-qualitative"})
# 一级 names (or, without one, 二级 names) that make a row an output or an outcome.
_OUTPUT_LEVEL2 = frozenset({"数量指标", "质量指标", "时效指标", "成本指标"})
_OUTCOME_WORDS = ("效益", "满意")


@attrs.frozen
class SignalWeight:
    """One signal's weight, cap, Chinese name and description, as ``risk.toml`` gives them."""

    code: str
    name: str
    weight: Decimal
    cap: Decimal
    unit: str = ""
    description: str = ""
    settings: Mapping[str, Decimal] = attrs.field(factory=dict)


@attrs.frozen
class RiskWeights:
    """Every signal's weight and the sample's strata (``[strata]``), from one TOML file."""

    signals: Mapping[str, SignalWeight]
    strata: Mapping[str, Decimal]
    shares: Mapping[str, Decimal]
    source: str = ""

    def setting(self, code: str, key: str, default: str) -> Decimal:
        """A signal's own setting (``share``, ``min_rows``), or ``default``."""
        return self.signals[code].settings.get(key, Decimal(default))


def _decimal(raw: object, key: str, source: str) -> Decimal:
    try:
        if isinstance(raw, bool):
            raise InvalidOperation
        value = Decimal(str(raw))
    except InvalidOperation:
        message = f"应为数字 (expected a number), got {raw!r}"
        raise SchemeError(message, key=key, source=source) from None
    if not value.is_finite() or value < 0:
        message = f"应为不小于 0 的数字 (expected a number ≥ 0), got {raw!r}"
        raise SchemeError(message, key=key, source=source)
    return value


def _default_data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("risk.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_weights(path: str | Path | None = None) -> RiskWeights:
    """The built-in weights, with those of the TOML file at ``path`` laid over them.

    A signal the file leaves out keeps its built-in weight; an unknown signal or a
    negative weight is a :class:`~perfscore.errors.SchemeError` naming the key.
    """
    data = _default_data()
    source = "risk.toml"
    if path is not None:
        source = str(path)
        try:
            extra = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise SchemeError(f"无法读取 (cannot read): {error.strerror}", source=source) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SchemeError(f"不是有效的 TOML (not valid TOML): {error}", source=source) from None
        for code, table in extra.get("signals", {}).items():
            if code not in data["signals"]:
                known = ", ".join(data["signals"])
                message = f"没有这个信号 (no such signal); signals: {known}"
                raise SchemeError(message, key=f"signals.{code}", source=source)
            if not isinstance(table, Mapping):
                raise SchemeError("应为表 (expected a table)", key=f"signals.{code}", source=source)
            data["signals"][code] = {**data["signals"][code], **table}
        strata = extra.get("strata", {})
        data["strata"] = {**data["strata"], **strata}
        data["strata"]["shares"] = {
            **_default_data()["strata"]["shares"],
            **strata.get("shares", {}),
        }
    signals = {}
    for code, table in data["signals"].items():
        key = f"signals.{code}"
        settings = {
            k: _decimal(v, f"{key}.{k}", source)
            for k, v in table.items()
            if k not in ("name", "unit", "weight", "cap", "description")
        }
        signals[code] = SignalWeight(
            code,
            str(table.get("name", code)),
            _decimal(table.get("weight", 0), f"{key}.weight", source),
            _decimal(table.get("cap", 1), f"{key}.cap", source),
            str(table.get("unit", "")),
            str(table.get("description", "")).strip(),
            settings,
        )
    raw = data["strata"]
    strata = {k: _decimal(raw[k], f"strata.{k}", source) for k in ("high", "medium")}
    shares = {k: _decimal(raw["shares"][k], f"strata.shares.{k}", source) for k in _STRATA}
    if strata["high"] + strata["medium"] > 1:
        message = "high + medium 不能超过 1 (the strata cover more than every project)"
        raise SchemeError(message, key="strata", source=source)
    return RiskWeights(signals, strata, shares, source)


_STRATA = ("high", "medium", "low")


@attrs.frozen
class Reason:
    """One signal that fired for a project: its value, the points it adds and why."""

    code: str
    name: str
    value: Decimal
    points: Decimal
    detail: str

    def to_dict(self) -> dict[str, str]:
        """The JSON form (decimals as strings)."""
        return {
            "code": self.code,
            "name": self.name,
            "value": format_decimal(self.value),
            "points": format_decimal(self.points),
            "detail": self.detail,
        }


@attrs.frozen
class ProjectRisk:
    """One project's risk: where it is, its totals and funds, the score and the reasons.

    ``status`` is ``scored``; ``skipped`` for a target table or a sheet without
    indicator rows; ``failed`` for a file that could not be read.  Then ``reasons``
    is empty and ``note`` says why: every input still appears.
    """

    file: str
    project: str
    score: Decimal
    reasons: tuple[Reason, ...] = ()
    sheet: str = ""
    unit: str = ""
    funds: Decimal | None = None
    published_total: Decimal | None = None
    computed_total: Decimal | None = None
    status: str = "scored"
    note: str = ""

    @property
    def summary(self) -> str:
        """The reasons in one line, largest first: ``填报得分高于方案得分 4.5分（+13.5）；…``."""
        if not self.reasons:
            return self.note or "未发现风险信号 (no risk signal)"
        return "；".join(f"{r.detail}（+{format_decimal(r.points)}）" for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (decimals as strings)."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "project": self.project,
            "unit": self.unit,
            "status": self.status,
            "score": format_decimal(self.score),
            "funds": _text(self.funds),
            "published_total": _text(self.published_total),
            "computed_total": _text(self.computed_total),
            "reasons": [r.to_dict() for r in self.reasons],
            "note": self.note,
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


# --- the signals --------------------------------------------------------------------------


def signal_values(
    evaluation: Evaluation, findings: Sequence[Finding], weights: RiskWeights
) -> dict[str, tuple[Decimal, str]]:
    """Every signal's value for one project, with a Chinese detail: code → (value, detail)."""
    return {
        "inflation": _inflation(evaluation, findings),
        "grade-inflated": _grade_inflated(evaluation),
        "full-marks-on-miss": _count(findings, {"full-marks-on-miss"}, "行未完成却填报满分"),
        "qualitative-no-evidence": _no_evidence(evaluation.scores),
        "low-targets": _low_targets(evaluation.scores, weights),
        "output-met-outcome-missed": _output_outcome(evaluation.scores),
        "needs-review": _needs_review(evaluation.scores),
        "arithmetic": _count(findings, ARITHMETIC_CODES, "处算术错误"),
    }


def _rows(rows: Sequence[int]) -> str:
    return "、".join(f"第{r}行" for r in rows[:5]) + ("等" if len(rows) > 5 else "")


def _needs_review(scores: Sequence[Score]) -> tuple[Decimal, str]:
    rows = [s.indicator.row for s in scores if s.status is Status.NEEDS_REVIEW]
    return Decimal(len(rows)), f"{len(rows)} 行需人工判定（{_rows(rows)}）"


def _count(findings: Sequence[Finding], codes: Iterable[str], what: str) -> tuple[Decimal, str]:
    wanted = frozenset(codes)
    found = [f for f in findings if f.code in wanted]
    where = sorted({f.row for f in found if f.row is not None})
    return Decimal(len(found)), f"{len(found)} {what}" + (f"（{_rows(where)}）" if where else "")


def _inflation(evaluation: Evaluation, findings: Sequence[Finding]) -> tuple[Decimal, str]:
    """Σ max(0, published − computed) over the rows and the execution block.

    A row audit explains as rounding or as a qualitative judgement inside its band
    (``deviation-rounding``, ``deviation-qualitative``) is not inflation.
    """
    allowed = {f.row for f in findings if f.code in _NOT_INFLATION and f.row is not None}
    over = [
        s.published - s.computed
        for s in evaluation.scores
        if s.published is not None
        and s.computed is not None
        and s.published > s.computed
        and s.indicator.row not in allowed
    ]
    execution = evaluation.execution
    published = None if execution is None else execution.published
    if execution is not None and published is not None and published > execution.computed:
        over.append(published - execution.computed)
    total = sum(over, _ZERO)
    return total, f"填报得分比方案得分高 {format_decimal(total)} 分（{len(over)} 处）"


def _published_total(evaluation: Evaluation) -> Decimal | None:
    if evaluation.published_total is not None:
        return evaluation.published_total
    if any(s.published is None for s in evaluation.scores if s.weight > 0):
        return None
    points = sum((s.published or _ZERO for s in evaluation.scores), _ZERO)
    execution = evaluation.execution
    if execution is not None:
        points += execution.published if execution.published is not None else execution.computed
    return points


def _grade_inflated(evaluation: Evaluation) -> tuple[Decimal, str]:
    """How many grades the published total stands above the computed one (0 when not above)."""
    published, computed = _published_total(evaluation), evaluation.computed_total
    if published is None or computed is None:
        return _ZERO, "无法比较等级"
    scheme = evaluation.scheme
    names = [g.name for g in scheme.grades]
    steps = names.index(scheme.grade(computed)) - names.index(scheme.grade(published))
    if steps <= 0:
        return _ZERO, "等级一致"
    detail = (
        f"填报总分 {format_decimal(published)} 为「{scheme.grade(published)}」，"
        f"方案总分 {format_decimal(computed)} 为「{scheme.grade(computed)}」"
    )
    return Decimal(steps), detail


def _is_qualitative(score: Score) -> bool:
    return isinstance(score.target, Qualitative) or isinstance(score.actual, Qualitative)


def _no_evidence(scores: Sequence[Score]) -> tuple[Decimal, str]:
    """Qualitative rows published at full marks whose actual has no digit and no reason."""
    rows = [
        s.indicator.row
        for s in scores
        if _is_qualitative(s)
        and s.weight > 0
        and s.published is not None
        and s.published >= s.weight
        and not any(ch.isdigit() for ch in s.indicator.actual)
        and not s.indicator.reason.strip()
    ]
    return Decimal(len(rows)), f"{len(rows)} 行定性指标满分无佐证（{_rows(rows)}）"


def _low_targets(scores: Sequence[Score], weights: RiskWeights) -> tuple[Decimal, str]:
    """The share of ≥ quantity rows whose actual exceeds the target by ``share`` or more."""
    share = weights.setting("low-targets", "share", "0.5")
    minimum = weights.setting("low-targets", "min_rows", "2")
    rows = [
        s
        for s in scores
        if isinstance(s.target, Quantity)
        and s.target.comparator in (Comparator.GE, Comparator.GT)
        and s.over_share is not None
    ]
    if not rows or len(rows) < minimum:
        return _ZERO, "正向数量指标太少，无法判断"
    far = [s for s in rows if s.over_share is not None and s.over_share >= share]
    value = Decimal(len(far)) / Decimal(len(rows))
    percent = format_decimal((share * 100).normalize())
    detail = f"{len(far)}/{len(rows)} 项正向数量指标的完成值超出目标 {percent}% 以上"
    return value.quantize(Decimal("0.0001")), detail


def _kind(score: Score) -> str:
    i = score.indicator
    if "产出" in i.level1 or (not i.level1 and i.level2 in _OUTPUT_LEVEL2):
        return "output"
    if any(w in i.level1 for w in _OUTCOME_WORDS) or (
        not i.level1 and any(w in i.level2 for w in _OUTCOME_WORDS)
    ):
        return "outcome"
    return ""


def _output_outcome(scores: Sequence[Score]) -> tuple[Decimal, str]:
    """1 when every output row met its target and some outcome row did not."""
    judged = [s for s in scores if s.computed is not None and s.weight > 0]
    outputs = [s for s in judged if _kind(s) == "output"]
    missed = [s for s in judged if _kind(s) == "outcome" and (s.computed or _ZERO) < s.weight]
    if outputs and all(s.computed == s.weight for s in outputs) and missed:
        names = "、".join(s.indicator.level3 or f"第{s.indicator.row}行" for s in missed[:3])
        return _ONE, f"产出指标 {len(outputs)} 项全部完成，效益/满意度未完成：{names}"
    return _ZERO, "无"


# --- the score ----------------------------------------------------------------------------


def risk_score(
    values: Mapping[str, tuple[Decimal, str]], weights: RiskWeights
) -> tuple[Decimal, tuple[Reason, ...]]:
    """Σ weight × min(value, cap), with the signals that added points, largest first."""
    reasons = []
    for code, (value, detail) in values.items():
        signal = weights.signals[code]
        points = signal.weight * min(max(value, _ZERO), signal.cap)
        points = points.quantize(_PLACE, rounding=ROUND_HALF_UP)
        if points > 0:
            reasons.append(Reason(code, signal.name, value, points, detail))
    reasons.sort(key=lambda r: (-r.points, r.code))
    total = sum((r.points for r in reasons), _ZERO)
    return total, tuple(reasons)


def assess(
    evaluation: Evaluation,
    findings: Sequence[Finding],
    *,
    weights: RiskWeights | None = None,
    file: str = "",
    project: str = "",
    sheet: str = "",
    unit: str = "",
    document: Document | None = None,
) -> ProjectRisk:
    """The risk of one evaluated project (``findings`` from :func:`~.audit.audit`)."""
    weights = weights or load_weights()
    score, reasons = risk_score(signal_values(evaluation, findings, weights), weights)
    funds = None
    if document is not None:
        funds = document.budget or document.initial_budget
        if funds is None and len(document.projects) == 1:
            funds = document.projects[0].budget
    return ProjectRisk(
        file,
        project,
        score,
        reasons,
        sheet=sheet,
        unit=unit,
        funds=funds,
        published_total=_published_total(evaluation),
        computed_total=evaluation.computed_total,
    )


def rank(risks: Iterable[ProjectRisk]) -> list[ProjectRisk]:
    """Riskiest first; failed files last; ties by file, sheet and project (reproducible)."""
    return sorted(risks, key=lambda r: (r.status != "scored", -r.score, r.file, r.sheet, r.project))


def assess_file(
    path: str, *, scheme: Scheme | None = None, weights: RiskWeights | None = None
) -> list[ProjectRisk]:
    """Read every sheet and project of ``path``, audit it and assess its risk.

    Never raises for bad input: a file that cannot be read (``failed``), a target
    table or an empty sheet (``skipped``) comes back as a :class:`ProjectRisk` whose
    note says why.
    """
    from ..documents import DocumentKind
    from ..errors import PerfscoreError
    from ..readers import read_all
    from ..score.rollup import evaluate, evaluate_document
    from .audit import audit

    weights = weights or load_weights()
    if not Path(path).is_file():
        note = (
            "文件夹中没有 .xlsx .csv .json .docx .txt 文件 (no readable files in the folder)"
            if Path(path).is_dir()
            else "找不到文件 (file not found)"
        )
        return [ProjectRisk(path, Path(path).stem, _ZERO, status="failed", note=note)]
    try:
        documents = read_all(path, every_sheet=True)
    except PerfscoreError as error:
        return [ProjectRisk(path, Path(path).stem, _ZERO, status="failed", note=str(error))]
    except Exception as error:  # a reader bug must not stop a whole desk of files
        note = f"读取失败 (could not read: {type(error).__name__}: {error})"
        return [ProjectRisk(path, Path(path).stem, _ZERO, status="failed", note=note)]
    risks = []
    for document in documents:
        sheet = document.sheet or ""
        if document.kind is DocumentKind.TARGET_TABLE or not document.indicators:
            why = (
                "绩效目标表，无实际完成值 (a target table has no actuals)"
                if document.kind is DocumentKind.TARGET_TABLE and document.indicators
                else "没有指标行 (no indicator rows)"
            )
            name = document.department or Path(path).stem
            risks.append(ProjectRisk(path, name, _ZERO, sheet=sheet, status="skipped", note=why))
            continue
        single = len(document.projects) == 1
        for project in document.projects:
            name = project.name or document.department or Path(path).stem
            try:
                if single:
                    evaluation = evaluate_document(document, scheme=scheme)
                else:
                    evaluation = evaluate(project.indicators, scheme=scheme)
            except Exception as error:  # a scoring bug fails this project, never the desk
                note = f"评分失败 (could not score: {type(error).__name__}: {error})"
                risks.append(
                    ProjectRisk(path, name, _ZERO, sheet=sheet, status="failed", note=note)
                )
                continue
            risk = assess(
                evaluation,
                audit(evaluation, document if single else None),
                weights=weights,
                file=path,
                project=name,
                sheet=sheet,
                unit=project.unit or document.department,
                document=document if single else None,
            )
            if not single and project.budget is not None:
                risk = attrs.evolve(risk, funds=project.budget)
            risks.append(risk)
    return risks
