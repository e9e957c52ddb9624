"""Every finding code has a Chinese name, shown wherever findings are shown."""

from __future__ import annotations

import re
from pathlib import Path

from perfscore.review.findings import CODE_NAMES, Finding, FindingSeverity, finding_name

ROOT = Path(__file__).parents[2]


def _documented_codes() -> set[str]:
    text = (ROOT / "docs" / "review.md").read_text("utf-8")
    return set(re.findall(r"^\| `([a-z0-9-]+)`", text, re.MULTILINE))


def _emitted_codes() -> set[str]:
    source = "".join(p.read_text("utf-8") for p in (ROOT / "src/perfscore/review").glob("*.py"))
    return set(re.findall(r'"([a-z0-9]+(?:-[a-z0-9]+)+)"', source)) & set(_documented_codes())


def test_every_documented_code_has_a_chinese_name() -> None:
    """docs/review.md lists no code without a name, and CODE_NAMES names no unknown code."""
    assert _documented_codes() == set(CODE_NAMES)
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in CODE_NAMES.values())


def test_emitted_codes_are_named() -> None:
    """The codes the review modules write all have names (a sample that cannot be empty)."""
    emitted = _emitted_codes()
    assert len(emitted) > 20
    assert emitted <= set(CODE_NAMES)


def test_finding_json_carries_the_name() -> None:
    """A finding's JSON has the code for programs and the name for people."""
    finding = Finding("full-marks-on-miss", FindingSeverity.ERROR, "…")
    assert finding.to_dict()["name"] == "未完成却得满分"
    assert finding_name("not-a-code") == "not-a-code"
