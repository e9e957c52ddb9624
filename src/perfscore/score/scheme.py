"""Scoring schemes: the rules as data, loaded from TOML.

A scheme says how points are computed (formulas, :mod:`.formulas`), how they are
rounded, the qualitative bands and shares, the cost, cap, execution,
not-applicable and checklist rules, and the grade thresholds.  Every setting is a
row of :data:`.fields.FIELDS`, which this module reads generically: a value of the
wrong type or outside its range is a :class:`SchemeError` naming its key, at load,
never a surprise at the thousandth row.  The presets live in ``score/presets/*.toml``;
:func:`load_scheme` takes a preset name or the path of a user's own file.
"""

from __future__ import annotations

import decimal
import difflib
import functools
import json
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ..errors import SchemeError
from ..parse._folding import fold
from ..parse.values import Outcome, format_decimal
from ..parse.vocabulary import (
    DIRECTION_KINDS,
    DIRECTION_LISTS,
    PHRASE_LISTS,
    NameDirection,
    Phrases,
    default_direction,
    default_phrases,
)
from .fields import FIELDS, KNOWN_KEYS, ROUNDING_MODES, Field, field
from .formulas import DECIMAL_CONTEXT, Formula

__all__ = [
    "DECIMAL_CONTEXT",
    "Formula",
    "Grade",
    "Phrases",
    "Scheme",
    "available_schemes",
    "default_phrases",
    "load_scheme",
]

DEFAULT_SCHEME = "mof2020"

# A scheme file larger than this is not a scheme (the presets are ~4 KB).
MAX_SCHEME_BYTES = 1_000_000


@attrs.frozen
class Grade:
    """A grade name and the lowest total that earns it: 优 ≥ 90."""

    name: str
    minimum: Decimal


@attrs.frozen(eq=False, kw_only=True)
class Scheme:
    """A complete scoring scheme; build with :meth:`from_dict` or :func:`load_scheme`.

    Every attribute but ``source`` is a row of :data:`.fields.FIELDS` (its ``attr``),
    so the defaults live there only.  Schemes compare and hash by identity: a loaded
    scheme is a fixed set of compiled rules, and scores are cached per scheme.
    """

    name: str
    version: str
    title: str
    description: str
    places: int
    rounding: str
    execution_places: int | None
    execution_mode: str | None
    total_places: int | None
    total_mode: str | None
    higher_unmet: Formula
    lower_unmet: Formula
    equal: str
    equal_unmet: Formula
    negative_actual_as_zero: bool
    over_share: Decimal
    over_deduct: Formula | None
    deadline_late: Formula
    achieved_share: Decimal
    partial_share: Decimal
    not_achieved_share: Decimal
    achieved_from: Decimal
    partial_from: Decimal
    phrase_shares: Mapping[str, Decimal]
    compound: str
    cost_under_budget: str
    cap: bool
    execution_weight: Decimal
    execution_formula: Formula
    execution_as_indicator: bool
    range_above: Formula
    range_below: Formula
    tolerance_beyond: Formula
    change_smaller: Formula
    approximate_margin: Decimal
    percent_plausibility: bool
    not_applicable_rescale: bool
    derived_weights: bool
    checklist: bool
    checklist_deduction: Decimal
    likert: Mapping[str, Decimal]
    weights: Mapping[str, Decimal]
    monitoring: Mapping[str, Decimal]
    phrases: Phrases
    direction: NameDirection
    grades: tuple[Grade, ...]
    source: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "") -> Scheme:
        """Build a scheme from parsed TOML, checking every setting and formula."""
        return _build(data, source)

    @property
    def equal_two_sided(self) -> bool:
        """Whether ``=`` targets are penalised on both sides."""
        return self.equal == "two-sided"

    @property
    def qualitative(self) -> dict[Outcome, Decimal]:
        """Share of the weight for each qualitative outcome."""
        return {
            Outcome.ACHIEVED: self.achieved_share,
            Outcome.PARTIAL: self.partial_share,
            Outcome.NOT_ACHIEVED: self.not_achieved_share,
        }

    @property
    def bands(self) -> dict[Outcome, tuple[Decimal, Decimal, bool]]:
        """The qualitative bands (low, high, high inclusive) as this scheme sets them."""
        return {
            Outcome.ACHIEVED: (self.achieved_from, Decimal(1), True),
            Outcome.PARTIAL: (self.partial_from, self.achieved_from, False),
            Outcome.NOT_ACHIEVED: (Decimal(0), self.partial_from, False),
        }

    def round(self, value: Decimal) -> Decimal:
        """Round an indicator score to the scheme's places and mode (half-up by default)."""
        return _round(value, self.places, self.rounding)

    def round_execution(self, value: Decimal) -> Decimal:
        """Round the execution points (``rounding.execution_*``, else as indicators)."""
        places = self.places if self.execution_places is None else self.execution_places
        return _round(value, places, self.execution_mode or self.rounding)

    def round_total(self, value: Decimal) -> Decimal:
        """Round the total when ``rounding.total_places`` is set; else the exact sum."""
        if self.total_places is None:
            return value
        return _round(value, self.total_places, self.total_mode or self.rounding)

    def grade(self, total: Decimal) -> str:
        """Return the grade name for ``total``."""
        for grade in self.grades:
            if total >= grade.minimum:
                return grade.name
        return self.grades[-1].name

    def to_dict(self) -> dict[str, str]:
        """Return the name and version, as reports show them."""
        return {"name": self.name, "version": self.version}

    def setting(self, key: str) -> str:
        """One setting as ``perfscore schemes`` shows it: ``rounding.places`` → ``"2"``."""
        f = field(key)
        return _shown(f, getattr(self, f.attr))

    def to_toml(self) -> str:
        """The scheme as a TOML file that loads back to the same rules."""
        return _to_toml(self)


def _round(value: Decimal, places: int, mode: str) -> Decimal:
    how = _QUANTA.get((places, mode))
    if how is None:
        # Decimal((0, (1,), -places)) is Decimal(1).scaleb(-places) built without a
        # context: 1E-places, the same in every context, so it is made once per key.
        how = _QUANTA[places, mode] = (Decimal((0, (1,), -places)), getattr(decimal, mode))
    return value.quantize(how[0], rounding=how[1])


_QUANTA: dict[tuple[int, str], tuple[Decimal, str]] = {}


# --- reading one setting by its kind -------------------------------------------------


def _get(data: Mapping[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _number(raw: Any, key: str, source: str, bounds: tuple[Any, ...] = ()) -> Decimal:
    try:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
            raise decimal.InvalidOperation
        value = Decimal(str(raw))
    except decimal.InvalidOperation:
        raise SchemeError(
            f"应为数字 (expected a number), got {raw!r}", key=key, source=source
        ) from None
    if not value.is_finite():
        raise SchemeError(f"应为有限数字 (expected a finite number), got {raw!r}", key=key,
                          source=source)  # fmt: skip
    if bounds and not bounds[0] <= value <= bounds[1]:
        raise SchemeError(
            f"应在 {bounds[0]} 到 {bounds[1]} 之间 (expected {bounds[0]}–{bounds[1]}), got {value}",
            key=key,
            source=source,
        )
    return value


def _table(raw: Any, f: Field, source: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise SchemeError("应为表 (expected a table)", key=f.key, source=source)
    return raw


def _read(data: Mapping[str, Any], f: Field, source: str) -> Any:
    """The value of field ``f`` in ``data`` (its default when absent), checked by its kind."""
    raw = _get(data, f.key)
    if raw is None:
        raw = f.default
    if raw is None and f.kind not in ("phrases", "direction"):
        return None
    return _READERS[f.kind](raw, f, source)


def _string(raw: Any, f: Field, source: str) -> str:
    if not isinstance(raw, str):
        raise SchemeError(f"应为字符串 (expected a string), got {raw!r}", key=f.key, source=source)
    return raw


def _integer(raw: Any, f: Field, source: str) -> int:
    low, high = f.allowed
    if not isinstance(raw, int) or isinstance(raw, bool) or not low <= raw <= high:
        raise SchemeError(f"应为 {low}–{high} 的整数 (expected an integer {low}–{high})",
                          key=f.key, source=source)  # fmt: skip
    return raw


def _boolean(raw: Any, f: Field, source: str) -> bool:
    if not isinstance(raw, bool):
        raise SchemeError(f"应为 true 或 false (expected a boolean), got {raw!r}", key=f.key,
                          source=source)  # fmt: skip
    return raw


def _choice(raw: Any, f: Field, source: str) -> str:
    if raw not in f.allowed:
        raise SchemeError(f"应为 {' 或 '.join(f.allowed)} (expected one of"
                          f" {', '.join(f.allowed)}), got {raw!r}", key=f.key,
                          source=source)  # fmt: skip
    return str(raw)


def _mode(raw: Any, f: Field, source: str) -> str:
    if not isinstance(raw, str) or raw not in ROUNDING_MODES:
        raise SchemeError(f"未知的舍入方式 {raw!r} (unknown rounding mode); one of"
                          f" {', '.join(ROUNDING_MODES)}", key=f.key, source=source)  # fmt: skip
    return ROUNDING_MODES[raw]


def _formula(raw: Any, f: Field, source: str) -> Formula | None:
    if not isinstance(raw, str):
        raise SchemeError("公式应为字符串 (formula must be a string)", key=f.key, source=source)
    if not raw.strip():
        if f.kind == "formula?":
            return None
        raise SchemeError("公式不能为空 (formula must not be empty)", key=f.key, source=source)
    return Formula.compile(f.key, raw, f.names, source=source)


def _numbers(raw: Any, f: Field, source: str) -> dict[str, Decimal]:
    bounds = (Decimal(0), Decimal(1)) if f.kind == "shares" else f.allowed
    fold_key = fold if f.key == "qualitative.phrases" else str
    return {
        fold_key(str(k)): _number(v, f"{f.key}.{k}", source, bounds)
        for k, v in _table(raw, f, source).items()
    }


def _grades(raw: Any, f: Field, source: str) -> tuple[Grade, ...]:
    if not isinstance(raw, list | tuple) or not raw:
        raise SchemeError("应为非空列表 (expected a non-empty list)", key="grades", source=source)
    grades = []
    for index, item in enumerate(raw):
        key = f"grades[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise SchemeError("应有 name 和 min (needs name and min)", key=key, source=source)
        extra = set(item) - {"name", "min"}
        if extra:
            raise SchemeError(
                f"未知的设置项 (unknown keys) {sorted(extra)}", key=key, source=source
            )
        minimum = _number(item.get("min"), f"{key}.min", source, (Decimal(0), Decimal(1000)))
        grades.append(Grade(item["name"], minimum))
    if sorted(grades, key=lambda g: g.minimum, reverse=True) != grades or len(
        {g.minimum for g in grades}
    ) != len(grades):
        raise SchemeError(
            "等级应按分数从高到低排列 (list grades from highest)", key="grades", source=source
        )
    if grades[-1].minimum != 0:
        raise SchemeError(
            f"最低等级应从 0 分起（现为 {grades[-1].minimum}），否则低分无等级"
            " (the lowest grade must start at 0: grades must cover 0–100 without a gap)",
            key="grades",
            source=source,
        )
    return tuple(grades)


def _phrases(raw: Any, f: Field, source: str) -> Phrases:
    if raw is None:
        return default_phrases()
    if not isinstance(raw, Mapping):
        raise SchemeError("应为表 (expected a table)", key="phrases", source=source)
    if not raw:
        return default_phrases()
    lists = dict(PHRASE_LISTS)
    for key, words in raw.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise SchemeError(
                "应为非空字符串列表 (expected a list of words)", key=f"phrases.{key}", source=source
            )
        lists[key] = tuple(fold(w) for w in words)
    return Phrases.build(lists)


def _direction(raw: Any, f: Field, source: str) -> NameDirection:
    """``[direction]``: any of the lists ``ceiling``, ``floor``, ``ambiguous`` replaced."""
    if raw is None or raw == {}:
        return default_direction()
    if not isinstance(raw, Mapping):
        raise SchemeError("应为表 (expected a table)", key="direction", source=source)
    lists = dict(DIRECTION_LISTS)
    for kind in DIRECTION_KINDS:
        if kind not in raw:
            continue
        words = raw[kind]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise SchemeError(
                "应为非空字符串列表 (expected a list of words)", key=f"direction.{kind}",
                source=source,
            )  # fmt: skip
        lists[kind] = tuple(fold(w.strip()) for w in words)
    try:
        return NameDirection.build(lists)
    except ValueError as error:
        raise SchemeError(
            f"{error} (a word in two lists)", key="direction", source=source
        ) from None


# How each kind of field is read and checked.  A new kind of table (the words
# helper's [direction]) is one Field row in fields.py and one function here.
_READERS: dict[str, Callable[[Any, Field, str], Any]] = {
    "string": _string,
    "integer": _integer,
    "number": lambda raw, f, source: _number(raw, f.key, source, f.allowed),
    "boolean": _boolean,
    "choice": _choice,
    "mode": _mode,
    "formula": _formula,
    "formula?": _formula,
    "shares": _numbers,
    "numbers": _numbers,
    "grades": _grades,
    "phrases": _phrases,
    "direction": _direction,
}


def _check_keys(
    data: Mapping[str, Any], known: Mapping[str, Any], prefix: str, source: str
) -> None:
    """Reject keys no rule reads, naming the nearest valid one: a typo must not pass silently."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if key not in known:
            nearest = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.5)
            hint = (
                f"；是否为「{prefix}{nearest[0]}」(did you mean {prefix}{nearest[0]}?)"
                if nearest
                else ""
            )
            raise SchemeError(
                f"未知的设置项「{dotted}」(unknown key {dotted!r}){hint}", key=dotted, source=source
            )
        expected = known[key]
        if isinstance(expected, dict):
            if not isinstance(value, Mapping):
                raise SchemeError("应为表 (expected a table)", key=dotted, source=source)
            _check_keys(value, expected, f"{dotted}.", source)
        elif expected is None and isinstance(value, Mapping):
            raise SchemeError("应为单个值而非表 (expected a value, not a table)", key=dotted,
                              source=source)  # fmt: skip


def _check_bands(values: dict[str, Any], source: str) -> None:
    """Band limits in order, and each qualitative share inside its band."""
    partial_from, achieved_from = values["partial_from"], values["achieved_from"]
    if not 0 < partial_from < achieved_from:
        raise SchemeError(
            f"应满足 0 < partial_from < achieved_from (got {partial_from}, {achieved_from})",
            key="qualitative.partial_from",
            source=source,
        )
    official = (partial_from, achieved_from) == (Decimal("0.6"), Decimal("0.8"))
    where = "官方区间" if official else "方案区间"
    bands = {
        "achieved": (achieved_from, Decimal(1), True),
        "partial": (partial_from, achieved_from, False),
        "not_achieved": (Decimal(0), partial_from, False),
    }
    for name, (low, high, inclusive) in bands.items():
        share = values[f"{name}_share"]
        if not (low <= share <= high if inclusive else low <= share < high):
            bracket = "]" if inclusive else ")"
            raise SchemeError(
                f"{share} 不在{where} [{low}, {high}{bracket} 内"
                f" (outside the band [{low}, {high}{bracket})",
                key=f"qualitative.{name}",
                source=source,
            )


def _build(data: Mapping[str, Any], source: str) -> Scheme:
    if not isinstance(data, Mapping):
        raise SchemeError("方案应为表 (a scheme is a table)", source=source)
    _check_keys(data, KNOWN_KEYS, "", source)
    values = {f.attr: _read(data, f, source) for f in FIELDS}
    if not values["name"]:
        raise SchemeError("方案需要名称 (a scheme needs a name)", key="name", source=source)
    values["title"] = values["title"] if values["title"] is not None else values["name"]
    _check_bands(values, source)
    return Scheme(**values, source=source)


# --- showing and writing a scheme -------------------------------------------------------


def _shown(f: Field, value: Any) -> str:
    """A setting's value in one line, as ``perfscore schemes`` shows it."""
    if value is None:
        return "（未设置）" if f.kind != "formula?" else "（不扣减）"
    if isinstance(value, Formula):
        return value.expression
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, Phrases):
        return "；".join(
            f"{k} {len(words)} 个：{'、'.join(words[:4])}{'…' if len(words) > 4 else ''}"
            for k, words in ((k, getattr(value, k)) for k in ("achieved", "partial",
                                                              "not_achieved", "negations"))
        )  # fmt: skip
    if isinstance(value, NameDirection):
        # Every word: a finance officer checks whether her indicator's name is listed.
        return "；".join(
            f"{label}：{'、'.join(getattr(value, kind))}"
            for kind, label in (("ceiling", "逆向 ceiling"), ("floor", "正向 floor"),
                                ("ambiguous", "待定 ambiguous"))
        )  # fmt: skip
    if f.kind == "grades":
        return " ".join(f"{g.name}≥{format_decimal(g.minimum)}" for g in value)
    if isinstance(value, Mapping):
        return "、".join(f"{k} {format_decimal(v)}" for k, v in value.items()) or "（无）"
    return str(value)


def _quoted(value: str | list[str]) -> str:
    """A TOML basic string (or array of them): JSON's escapes, and DEL escaped as TOML asks."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Formula):
        return _quoted(value.expression)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, Mapping):
        items = (f"{_quoted(str(k))} = {_toml_value(v)}" for k, v in
                 value.items())  # fmt: skip
        return "{ " + ", ".join(items) + " }" if value else "{}"
    raise TypeError(type(value).__name__)  # pragma: no cover


def _to_toml(scheme: Scheme) -> str:
    top: list[str] = []
    sections: dict[str, list[str]] = {}
    for f in FIELDS:
        value = getattr(scheme, f.attr)
        if f.kind == "grades":
            continue
        if f.kind == "formula?" and value is None:
            value = ""
        if f.kind == "phrases":
            if value == default_phrases():
                continue
            lines = [f"{k} = {_quoted(list(getattr(value, k)))}"
                     for k in PHRASE_LISTS]  # fmt: skip
            sections.setdefault("phrases", []).extend(lines)
            continue
        if f.kind == "direction":
            if value == default_direction():
                continue
            lines = [f"{k} = {_quoted(list(getattr(value, k)))}"
                     for k in DIRECTION_KINDS]  # fmt: skip
            sections.setdefault("direction", []).extend(lines)
            continue
        if f.kind == "numbers":
            lines = [f"{_quoted(k)} = {_toml_value(v)}"
                     for k, v in value.items()]  # fmt: skip
            sections.setdefault(f.key, []).extend(lines)
            continue
        text = _toml_value(value)
        if text is None:
            continue
        section, _, last = f.key.rpartition(".")
        (sections.setdefault(section, []) if section else top).append(f"{last} = {text}")
    out = [*top, ""]
    for section, lines in sections.items():
        out += [f"[{section}]", *lines, ""]
    for grade in scheme.grades:
        out += ["[[grades]]", f"name = {_quoted(grade.name)}",
                f"min = {_toml_value(grade.minimum)}", ""]  # fmt: skip
    return "\n".join(out)


# --- loading ---------------------------------------------------------------------------


def available_schemes() -> list[str]:
    """Return the names of the preset schemes shipped with perfscore."""
    folder = resources.files(__package__).joinpath("presets")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


@functools.cache
def _load_preset(name: str) -> Scheme:
    data = resources.files(__package__).joinpath("presets", f"{name}.toml").read_bytes()
    return from_toml(data, f"{name}.toml")


def from_toml(text: str | bytes, source: str = "") -> Scheme:
    """Build a scheme from TOML text (or UTF-8 bytes); every problem is a SchemeError."""
    if isinstance(text, bytes):
        if len(text) > MAX_SCHEME_BYTES:
            raise SchemeError(f"方案文件过大 (scheme file over {MAX_SCHEME_BYTES} bytes)",
                              source=source)  # fmt: skip
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SchemeError(
                f"方案文件不是 UTF-8 编码，请另存为 UTF-8 (not UTF-8: byte {error.start})",
                source=source,
            ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SchemeError(f"TOML 格式错误 (invalid TOML): {error}", source=source) from None
    except RecursionError:
        raise SchemeError("TOML 嵌套过深 (TOML nested too deeply)", source=source) from None
    return Scheme.from_dict(data, source=source)


def load_scheme(name_or_path: str | Path | None = None) -> Scheme:
    """Load a preset by name (``"mof2020"``, the default) or a scheme TOML file by path."""
    if name_or_path is None:
        return _load_preset(DEFAULT_SCHEME)
    text = str(name_or_path)
    if isinstance(name_or_path, str) and text in available_schemes():
        return _load_preset(text)
    path = Path(name_or_path)
    if not path.is_file():
        raise SchemeError(
            f"找不到方案「{text}」(no such scheme); presets: {', '.join(available_schemes())}",
            source=text,
        )
    try:
        if path.stat().st_size > MAX_SCHEME_BYTES:
            raise SchemeError(f"方案文件过大 (scheme file over {MAX_SCHEME_BYTES} bytes)",
                              source=text)  # fmt: skip
        data = path.read_bytes()
    except OSError as error:
        raise SchemeError(
            f"无法读取方案文件 (cannot read): {error.strerror}", source=text
        ) from None
    return from_toml(data, str(path))
