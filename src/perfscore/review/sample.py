"""A 复核 sample that can be defended: drawn by risk, reproducible, with a reason per pick.

:func:`draw` takes projects already assessed by :mod:`.risk`, splits them into
three strata by their rank in the risk list (``[strata]`` in ``risk.toml``: the
top 20% 高风险, the next 30% 中风险, the rest 低风险), and draws

- ``n`` projects, split between the strata by ``[strata.shares]`` (60/30/10 by
  default; a stratum with too few projects passes its places down, then up), or
- projects covering ``funds`` (0.3 = 30%) of all projects' funds, taking the
  strata in order 高 → 中 → 低 and, inside each, in the drawn order until the
  funds are covered.

Inside a stratum the order is a shuffle by :class:`random.Random` seeded with
``seed`` over the projects in rank order, so the same seed and the same files
give the same sample on every machine.  Projects whose file failed are never
drawn (they are listed for a person instead); projects without funds cannot
cover funds and are left out of a ``funds`` sample, with a note.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from ..parse.values import format_decimal
from .risk import ProjectRisk, RiskWeights, load_weights, rank

__all__ = ["SAMPLE_SCHEMA", "Pick", "Sample", "draw", "strata"]

SAMPLE_SCHEMA = "perfscore.sample/1"
STRATUM_NAMES = {"high": "高风险", "medium": "中风险", "low": "低风险"}
_ZERO = Decimal(0)


@attrs.frozen
class Pick:
    """One drawn project: its risk, stratum, place in the risk list and why it was drawn."""

    risk: ProjectRisk
    stratum: str
    rank: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the project's risk, then stratum, rank and reason."""
        return {
            **self.risk.to_dict(),
            "stratum": self.stratum,
            "rank": self.rank,
            "reason": self.reason,
        }


@attrs.frozen
class Sample:
    """The drawn projects, with how they were drawn (seed, size or funds) and notes."""

    picks: tuple[Pick, ...]
    seed: int
    population: int
    n: int | None = None
    funds: Decimal | None = None
    covered: Decimal | None = None  # share of all funds the picks cover (0.31 = 31%)
    notes: tuple[str, ...] = ()

    @property
    def method(self) -> str:
        """How the sample was drawn, in one Chinese sentence."""
        if self.funds is not None:
            share = format_decimal((self.funds * 100).normalize())
            got = "" if self.covered is None else f"，实际覆盖 {_percent(self.covered)}"
            return (
                f"按风险分层抽取资金占比 {share}% 的项目（随机种子 {self.seed}），"
                f"共 {self.population} 个项目，抽中 {len(self.picks)} 个{got}"
            )
        return (
            f"按风险分层抽取 {self.n} 个项目（随机种子 {self.seed}），"
            f"共 {self.population} 个项目，抽中 {len(self.picks)} 个"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (decimals as strings)."""
        return {
            "schema": SAMPLE_SCHEMA,
            "seed": self.seed,
            "population": self.population,
            "n": self.n,
            "funds": None if self.funds is None else format_decimal(self.funds),
            "covered": None if self.covered is None else format_decimal(self.covered),
            "method": self.method,
            "picks": [p.to_dict() for p in self.picks],
            "notes": list(self.notes),
        }


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def strata(
    ranked: Sequence[ProjectRisk], weights: RiskWeights
) -> dict[str, list[tuple[int, ProjectRisk]]]:
    """Stratum → (rank, project) for ranked, scored projects (rank 1 is the riskiest).

    The top ``high`` share (rounded half up, at least one when there is any) is 高风险,
    the next ``medium`` share 中风险, the rest 低风险.  A project with risk 0 is never
    高 or 中 风险: nothing points at it.
    """
    count = len(ranked)
    high = _places(count, weights.strata["high"])
    medium = _places(count, weights.strata["high"] + weights.strata["medium"]) - high
    out: dict[str, list[tuple[int, ProjectRisk]]] = {"high": [], "medium": [], "low": []}
    for index, risk in enumerate(ranked):
        if risk.score <= 0:
            name = "low"
        else:
            name = "high" if index < high else "medium" if index < high + medium else "low"
        out[name].append((index + 1, risk))
    return out


def _places(count: int, share: Decimal) -> int:
    places = int((Decimal(count) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(places, 1 if count and share > 0 else 0)


def draw(
    risks: Sequence[ProjectRisk],
    *,
    seed: int,
    n: int | None = None,
    funds: Decimal | None = None,
    weights: RiskWeights | None = None,
) -> Sample:
    """Draw a risk-stratified sample of ``n`` projects or of ``funds`` (a share, 0–1)."""
    if (n is None) == (funds is None):
        raise ValueError("需给出 n 或 funds 之一 (give exactly one of n and funds)")
    weights = weights or load_weights()
    ranked = [r for r in rank(risks) if r.status == "scored"]
    notes = []
    left = [r for r in risks if r.status != "scored"]
    if left:
        notes.append(
            f"{len(left)} 项未评分（目标表、空工作表或读取失败），未参加抽样，请人工查看"
            f" ({len(left)} files or sheets were not scored and not drawn)"
        )
    layers = strata(ranked, weights)
    rng = random.Random(seed)
    shuffled = {name: _shuffle(layer, rng) for name, layer in layers.items()}
    if n is not None:
        picks = _by_count(shuffled, n, weights)
        return Sample(tuple(picks), seed, len(ranked), n=n, notes=tuple(notes))
    assert funds is not None
    picks, covered, unfunded = _by_funds(shuffled, funds)
    if unfunded:
        notes.append(
            f"{unfunded} 个项目没有预算数，不计入资金抽样"
            f" ({unfunded} projects have no budget and are not drawn by funds)"
        )
    return Sample(tuple(picks), seed, len(ranked), funds=funds, covered=covered, notes=tuple(notes))


def _shuffle(
    layer: list[tuple[int, ProjectRisk]], rng: random.Random
) -> list[tuple[int, ProjectRisk]]:
    order = list(layer)
    rng.shuffle(order)
    return order


def _quota(
    shuffled: dict[str, list[tuple[int, ProjectRisk]]], n: int, weights: RiskWeights
) -> dict[str, int]:
    """Places per stratum: n × share (largest remainders), capped by the stratum's size;
    places a stratum cannot fill pass to the next riskier-first stratum with room."""
    names = ("high", "medium", "low")
    total = sum(weights.shares[k] for k in names) or Decimal(1)
    exact = {k: Decimal(n) * weights.shares[k] / total for k in names}
    quota = {k: int(exact[k]) for k in names}
    rest = n - sum(quota.values())
    for k in sorted(names, key=lambda k: (-(exact[k] - quota[k]), names.index(k)))[:rest]:
        quota[k] += 1
    spare = 0
    for k in names:
        room = len(shuffled[k])
        if quota[k] > room:
            spare += quota[k] - room
            quota[k] = room
    for k in names:  # 高 first: spare places go to the riskiest stratum with room
        take = min(spare, len(shuffled[k]) - quota[k])
        quota[k] += take
        spare -= take
    return quota


def _by_count(
    shuffled: dict[str, list[tuple[int, ProjectRisk]]], n: int, weights: RiskWeights
) -> list[Pick]:
    quota = _quota(shuffled, n, weights)
    picks = []
    for name in ("high", "medium", "low"):
        layer = shuffled[name]
        for order, (place, risk) in enumerate(layer[: quota[name]], start=1):
            stratum = STRATUM_NAMES[name]
            why = f"{stratum}层 {len(layer)} 个项目中随机抽取 {quota[name]} 个，第 {order} 个"
            picks.append(Pick(risk, STRATUM_NAMES[name], place, _reason(risk, place, why)))
    return sorted(picks, key=lambda p: p.rank)


def _by_funds(
    shuffled: dict[str, list[tuple[int, ProjectRisk]]], funds: Decimal
) -> tuple[list[Pick], Decimal | None, int]:
    funded = {k: [(p, r) for p, r in v if r.funds and r.funds > 0] for k, v in shuffled.items()}
    unfunded = sum(len(v) for v in shuffled.values()) - sum(len(v) for v in funded.values())
    total = sum((r.funds or _ZERO for v in funded.values() for _, r in v), _ZERO)
    if total <= 0:
        return [], None, unfunded
    goal = total * funds
    got = _ZERO
    picks = []
    for name in ("high", "medium", "low"):
        for place, risk in funded[name]:
            if got >= goal:
                break
            got += risk.funds or _ZERO
            share = _percent(got / total)
            why = f"{STRATUM_NAMES[name]}层按随机顺序累计资金，抽中后累计覆盖 {share}"
            picks.append(Pick(risk, STRATUM_NAMES[name], place, _reason(risk, place, why)))
    return sorted(picks, key=lambda p: p.rank), got / total, unfunded


def _reason(risk: ProjectRisk, place: int, how: str) -> str:
    lead = f"风险排名第 {place}，风险分 {format_decimal(risk.score)}"
    if risk.reasons:
        main = "、".join(r.name for r in risk.reasons[:3])
        return f"{lead}（{main}）；{how}"
    return f"{lead}（未发现风险信号，作为低风险对照）；{how}"
