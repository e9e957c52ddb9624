"""Tests for perfscore.review.lint: every finding code, and the four target-table seeds."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from perfscore import Document, Indicator, Project
from perfscore.documents import DocumentKind, Goal
from perfscore.readers import read
from perfscore.review.findings import Finding, FindingSeverity
from perfscore.review.lint import lint
from review_cli import run

DATA = Path(__file__).parents[2] / "examples" / "data"
D = Decimal

# A project with nothing to report: goals, budget, plan and a satisfaction indicator.
GOOD_INDICATORS = (
    Indicator(row=10, level1="产出指标", level2="数量指标", level3="培训人次", target="≥500人次"),
    Indicator(row=11, level1="产出指标", level2="成本指标", level3="培训经费", target="≤20万元"),
    Indicator(
        row=12, level1="满意度指标", level2="服务对象满意度指标", level3="学员满意度", target="≥90%"
    ),
)


def project(*indicators: Indicator, **fields: Any) -> Project:
    """A clean project, with ``indicators`` added and ``fields`` replaced."""
    values: dict[str, Any] = {
        "name": "培训项目",
        "budget": D(20),
        "fiscal_funds": D(20),
        "goals": (Goal("1", "举办培训班10期"),),
        "spending_plan": (
            ("3月底", D(30)),
            ("6月底", D(60)),
            ("10月底", D(90)),
            ("12月底", D(100)),
        ),
        "indicators": (*GOOD_INDICATORS, *indicators),
    }
    return Project(**(values | fields))


def codes(*projects: Project) -> list[str]:
    """The codes lint reports for a target table of ``projects``."""
    document = Document(path="", kind=DocumentKind.TARGET_TABLE, projects=projects)
    return [f.code for f in lint(document)]


def indicator(level1: str, level2: str, level3: str, target: str) -> Indicator:
    """One target-table row."""
    return Indicator(row=20, level1=level1, level2=level2, level3=level3, target=target)


def test_clean_project() -> None:
    """A well-written project gives no finding."""
    assert codes(project()) == []


# code → (level1, level2, level3, target): one row that shows it.
ROW_CASES: dict[str, tuple[str, str, str, str]] = {
    "target-missing": ("产出指标", "数量指标", "培训期数", ""),
    "target-unreadable": ("产出指标", "数量指标", "培训期数", "≥"),
    "unit-broken": ("效益指标", "经济效益指标", "带动社会投入比例", "≥2无"),
    "unit-missing": ("产出指标", "数量指标", "培训期数", "≥10"),
    "unit-mismatch": ("效益指标", "社会效益指标", "科技馆正常运行率", "≥230天"),
    "name-repeated-in-value": (
        "效益指标",
        "社会效益指标",
        "提高一般债券使用率",
        "提高一般债券使用率95%",
    ),
    "qualitative-needs-number": ("产出指标", "质量指标", "培训合格率", "显著提高"),
    "vague-target": ("效益指标", "社会效益指标", "促进科技成果转化水平", "促进"),
    "misfiled-value": ("产出指标", "成本指标", "房屋租赁时间", "2023年1-12月"),
    "cost-without-amount": ("成本指标", "经济成本指标", "按照预算执行", "≥95%"),
}


@pytest.mark.parametrize(("code", "cells"), ROW_CASES.items(), ids=list(ROW_CASES))
def test_row_codes(code: str, cells: tuple[str, str, str, str]) -> None:
    """Each row code is reported, alone, for the row built to show it."""
    assert codes(project(indicator(*cells))) == [code]


def test_money_under_social_benefit_is_misfiled() -> None:
    """An amount of money under 社会效益指标 is probably a cost."""
    row = indicator("效益指标", "社会效益指标", "办公用房租金", "≤160万元")
    assert codes(project(row)) == ["misfiled-value"]


def test_money_under_economic_benefit_is_fine() -> None:
    """An amount of money is a fair 经济效益 target (技术合同成交额 ≥1900亿元)."""
    assert (
        codes(project(indicator("效益指标", "经济效益指标", "技术合同成交额", "≥1900亿元"))) == []
    )


def test_ratio_needs_no_unit() -> None:
    """A ratio (比例, 倍) may be a bare number."""
    assert codes(project(indicator("效益指标", "经济效益指标", "带动投入比例", "≥2"))) == []


def test_compound_clause_labels_are_fine() -> None:
    """Clauses of a compound target may name their parts."""
    row = indicator(
        "产出指标", "数量指标", "组织市级科普主场活动", "主场活动2场，带动全市开展活动不少于1万场"
    )
    assert codes(project(row)) == []


def test_unreadable_target_is_a_finding_not_an_error() -> None:
    """A target the parser rejects gives target-unreadable with its position."""
    document = Document(
        path="",
        kind=DocumentKind.TARGET_TABLE,
        projects=(project(indicator("产出指标", "数量指标", "期数", "≥")),),
    )
    (finding,) = lint(document)
    assert finding.severity is FindingSeverity.ERROR
    assert finding.numbers["position"] == "0-1"


# code → the project fields that show it.
PROJECT_CASES: dict[str, dict[str, Any]] = {
    "goal-placeholder": {"goals": (Goal("1", "目标内容1"),)},
    "goal-missing": {"goals": ()},
    "budget-parts-mismatch": {"fiscal_funds": D(15), "other_funds": D(4)},
    "spending-plan-decreasing": {
        "spending_plan": (("3月底", D(60)), ("6月底", D(30)), ("12月底", D(100)))
    },
    "spending-plan-incomplete": {"spending_plan": (("3月底", D(30)), ("12月底", D(90)))},
    "no-indicators": {"indicators": ()},
    "satisfaction-missing": {"indicators": GOOD_INDICATORS[:2]},
    "duplicate-indicator": {"indicators": (*GOOD_INDICATORS, GOOD_INDICATORS[0])},
}


@pytest.mark.parametrize(("code", "fields"), PROJECT_CASES.items(), ids=list(PROJECT_CASES))
def test_project_codes(code: str, fields: dict[str, Any]) -> None:
    """Each project code is reported, alone, for the project built to show it."""
    assert codes(project(**fields)) == [code]


def test_blank_plan_points_are_carried() -> None:
    """Blank plan cells carry the previous point: 100, blank, blank, blank is complete."""
    plan = (("3月底", D(100)), ("6月底", None), ("10月底", None), ("12月底", None))
    assert codes(project(spending_plan=plan)) == []


def test_findings_name_the_project() -> None:
    """Every finding carries the project name and, for rows, the row and the target text."""
    (finding,) = lint(
        Document(
            path="",
            kind=DocumentKind.TARGET_TABLE,
            projects=(project(indicator("产出指标", "数量指标", "期数", "≥10")),),
        )
    )
    assert (finding.project, finding.row, finding.text) == ("培训项目", 20, "≥10")
    assert finding.suggestion


# --- the seeds ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[Finding, ...]]:
    """Lint findings of the four target-table seeds, by file stem."""
    return {path.stem: lint(read(path)) for path in sorted(DATA.glob("targets-*.txt"))}


def _texts(findings: tuple[Finding, ...], code: str) -> set[str]:
    return {f.text for f in findings if f.code == code}


def test_seed_placeholders(seeds: dict[str, tuple[Finding, ...]]) -> None:
    """Seeds 000 and 003 leave template goals (目标内容1, 目标内容2) in place."""
    assert _texts(seeds["targets-tianjin-kejiju"], "goal-placeholder") == {"目标内容2"}
    placeholders = [
        f for f in seeds["targets-tangshan-fengrun-kejiju"] if f.code == "goal-placeholder"
    ]
    assert [f.row for f in placeholders] == [64, 736, 832, 928]
    assert {f.text for f in placeholders} == {"目标内容1"}


def test_seed_broken_units(seeds: dict[str, tuple[Finding, ...]]) -> None:
    """≥2无 (seed 000) and ≥90科技馆正常运转率 (seed 001) are broken units."""
    assert "≥2无" in _texts(seeds["targets-tianjin-kejiju"], "unit-broken")
    assert "≥90科技馆正常运转率" in _texts(seeds["targets-tianjin-kexie"], "unit-broken")


def test_seed_misfiled(seeds: dict[str, tuple[Finding, ...]]) -> None:
    """Seed 000 files a period under 成本指标 and a rent under 社会效益指标."""
    misfiled = {
        f.text: f.message for f in seeds["targets-tianjin-kejiju"] if f.code == "misfiled-value"
    }
    assert set(misfiled) == {"2023年1-12月", "≤160万元"}
    assert "成本指标" in misfiled["2023年1-12月"]
    assert "社会效益指标" in misfiled["≤160万元"]


def test_seed_vague_targets(seeds: dict[str, tuple[Finding, ...]]) -> None:
    """促进, 提高 and 有效保障 are vague targets."""
    assert {"促进", "提高", "提升"} <= _texts(seeds["targets-tianjin-kejiju"], "vague-target")
    assert "有效保障" in _texts(seeds["targets-tangshan-kexie"], "vague-target")


def test_seed_name_repeated(seeds: dict[str, tuple[Finding, ...]]) -> None:
    """Seed 000 writes 提高一般债券使用率95%: the name repeated in the value."""
    assert "提高一般债券使用率95%" in _texts(
        seeds["targets-tianjin-kejiju"], "name-repeated-in-value"
    )


SEED_COUNTS = {
    "targets-tianjin-kejiju": {
        "vague-target": 8,
        "name-repeated-in-value": 3,
        "misfiled-value": 2,
        "unit-broken": 2,
        "goal-placeholder": 1,
    },
    "targets-tianjin-kexie": {
        "vague-target": 6,
        "unit-broken": 2,
        "cost-without-amount": 1,
        "qualitative-needs-number": 1,
        "unit-mismatch": 1,
    },
    "targets-tangshan-fengrun-kejiju": {"goal-placeholder": 4},
    "targets-tangshan-kexie": {"vague-target": 16},
}


def test_seed_counts(seeds: dict[str, tuple[Finding, ...]]) -> None:
    """The count of each code on each seed is pinned, so a change in lint shows up."""
    from collections import Counter

    assert {stem: dict(Counter(f.code for f in fs)) for stem, fs in seeds.items()} == SEED_COUNTS


# --- CLI ----------------------------------------------------------------------------------


def test_cli_lint_json() -> None:
    """``perfscore lint --format json`` prints the findings; ERROR findings exit 1."""
    status, out, _ = run(
        "lint", str(DATA / "targets-tangshan-fengrun-kejiju.txt"), "--format", "json"
    )
    data = json.loads(out)
    assert (data["schema"], data["command"]) == ("perfscore.findings/1", "lint")
    findings = data["findings"]
    assert status == 1
    assert [f["code"] for f in findings] == ["goal-placeholder"] * 4
    assert findings[0]["project"] == "优秀科技特派员奖励（2021年借款）"


def test_cli_lint_table_warnings_only() -> None:
    """Warnings alone exit 0, and the table ends with the count."""
    status, out, _ = run("lint", str(DATA / "targets-tangshan-kexie.txt"))
    assert status == 0
    assert "vague-target" in out
    assert out.rstrip().endswith("共 16 条（错误 0，警告 16，提示 0）")
