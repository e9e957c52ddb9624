"""lint's verdict: 通过 / 完善后通过 / 不通过, dimensions, dates and ``--last-year``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from desk_units import perfscore
from perfscore.documents import Document, DocumentKind, Project
from perfscore.indicators import Indicator
from perfscore.readers import read
from perfscore.review.findings import CODE_NAMES, Finding, FindingSeverity
from perfscore.review.verdict import review_table, table_checks, verdict

THIS_YEAR = """2024年度项目支出绩效目标表
项目名称,科普讲座项目
年度总体目标,预期目标,实际完成情况
年度总体目标,全年举办科普讲座不少于40场,
一级指标,二级指标,三级指标,指标值
产出指标,数量指标,讲座场次,≥40场
产出指标,质量指标,听众覆盖率,≥92%
产出指标,时效指标,完成时间,2024年11月底前
产出指标,成本指标,讲座经费,≤50万元
效益指标,社会效益指标,公众科学素质,≥12%
满意度指标,服务对象满意度指标,听众满意度,≥90%
"""
LAST_YEAR = """2023年度项目支出绩效自评表
项目名称,科普讲座项目
一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分
产出指标,数量指标,讲座场次,≥35场,38场,30,30
产出指标,质量指标,听众覆盖率,≥90%,91%,20,20
产出指标,成本指标,讲座经费,≤55万元,52万元,10,10
效益指标,社会效益指标,公众科学素质,≥10%,11%,20,20
满意度指标,服务对象满意度指标,听众满意度,≥90%,90%,20,20
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _codes(findings: tuple[Finding, ...]) -> list[str]:
    return [f.code for f in findings]


def test_a_good_table_passes(tmp_path: Path) -> None:
    document = read(_write(tmp_path, "t.csv", THIS_YEAR))
    last = read(_write(tmp_path, "l.csv", LAST_YEAR))
    findings, verdicts = review_table(document, last_year=last)
    assert _codes(findings) == []
    (only,) = verdicts
    assert (only.name, only.level, only.level_name) == ("通过", "none", "无")


def test_last_year_catches_lowered_targets(tmp_path: Path) -> None:
    lowered = THIS_YEAR.replace("≥40场", "≥30场").replace("≤50万元", "≤60万元")
    document = read(_write(tmp_path, "t.csv", lowered))
    last = read(_write(tmp_path, "l.csv", LAST_YEAR))
    findings, (only,) = review_table(document, last_year=last)
    codes = _codes(findings)
    # ≥30场 is below last year's ≥35场 and below the 38场 achieved; ≤60万元 is a looser
    # ceiling than ≤55万元 and than the 52万元 spent.
    assert codes.count("target-below-last-year") == 2
    assert codes.count("target-below-last-actual") == 2
    rows = {f.row for f in findings if f.code == "target-below-last-year"}
    assert rows == {6, 9}
    first = next(f for f in findings if f.code == "target-below-last-year")
    assert first.text == "≥35场 → ≥30场"
    assert first.numbers == {"this_year": "30", "last_year": "35"}
    assert (only.name, only.level) == ("完善后通过", "medium")
    assert "低于上年" in only.rule


def test_target_below_last_years_actual_only(tmp_path: Path) -> None:
    document = read(_write(tmp_path, "t.csv", THIS_YEAR.replace("≥12%", "≥10.5%")))
    last = read(_write(tmp_path, "l.csv", LAST_YEAR))
    findings, _ = review_table(document, last_year=last)
    assert _codes(findings) == ["target-below-last-actual"]  # above ≥10%, below 11% achieved


def test_dropped_and_unmatched(tmp_path: Path) -> None:
    fewer = "\n".join(line for line in THIS_YEAR.splitlines() if "听众满意度" not in line)
    document = read(_write(tmp_path, "t.csv", fewer + "\n"))
    findings, _ = review_table(document, last_year=read(_write(tmp_path, "l.csv", LAST_YEAR)))
    assert "indicator-dropped" in _codes(findings)
    other = Document(
        "x", DocumentKind.TARGET_TABLE, (Project(name="别的项目"), Project(name="又一个"))
    )
    assert "last-year-unmatched" in _codes(table_checks(document, last_year=other))


def test_dates_against_the_project_period(tmp_path: Path) -> None:
    late = THIS_YEAR.replace("2024年11月底前", "2025年6月底前")
    document = read(_write(tmp_path, "t.csv", late))
    findings, (only,) = review_table(document)
    (finding,) = [f for f in findings if f.code == "date-outside-period"]
    assert finding.row == 8
    assert finding.numbers == {"start": "2025-06-30", "end": "2025-06-30"}
    assert only.level == "low"
    # A two-year project period covers it.
    period = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    findings, _ = review_table(document, period=period)
    assert "date-outside-period" not in _codes(findings)
    # November is outside a project that ends in September.
    document = read(_write(tmp_path, "t2.csv", THIS_YEAR))
    findings, _ = review_table(document, period=(dt.date(2024, 1, 1), dt.date(2024, 9, 30)))
    assert "date-outside-period" in _codes(findings)


def _project(*rows: tuple[str, str, str, str]) -> Document:
    indicators = tuple(
        Indicator(row=n + 1, level1=a, level2=b, level3=c, target=d)
        for n, (a, b, c, d) in enumerate(rows)
    )
    return Document(
        "x", DocumentKind.TARGET_TABLE, (Project(name="p", goals=(), indicators=indicators),)
    )


def test_every_level1_dimension_and_a_core_indicator() -> None:
    document = _project(
        ("产出指标", "质量指标", "合格率", "≥90%"),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
    )
    codes = _codes(table_checks(document))
    assert codes.count("level1-missing") == 1  # 效益指标
    assert "core-indicator-missing" in codes  # no 数量指标 with a number
    assert "cost-level-missing" in codes


@pytest.mark.parametrize(
    ("severities", "name", "level"),
    [
        ((), "通过", "none"),
        ((FindingSeverity.INFO,), "通过", "none"),
        ((FindingSeverity.WARNING,), "完善后通过", "low"),
        ((FindingSeverity.WARNING,) * 5, "完善后通过", "medium"),
        ((FindingSeverity.WARNING, FindingSeverity.ERROR), "不通过", "high"),
    ],
)
def test_the_verdict_rule(severities: tuple[FindingSeverity, ...], name: str, level: str) -> None:
    findings = [Finding("vague-target", s, "m", row=n) for n, s in enumerate(severities)]
    result = verdict(findings, "p")
    assert (result.name, result.level) == (name, level)
    failing = [f for f in findings if f.severity is not FindingSeverity.INFO]
    assert len(result.failing) == len(failing)


def test_every_new_code_has_a_name() -> None:
    for code in ("level1-missing", "cost-level-missing", "core-indicator-missing",
                 "date-outside-period", "target-below-last-year", "target-below-last-actual",
                 "indicator-dropped", "last-year-unmatched"):  # fmt: skip
        assert code in CODE_NAMES


def test_seed_tables_keep_their_findings_and_get_a_verdict() -> None:
    data = Path(__file__).parents[2] / "examples" / "data"
    findings, verdicts = review_table(read(data / "targets-tangshan-fengrun-kejiju.txt"))
    assert _codes(findings) == ["goal-placeholder"] * 4
    assert verdicts[-1].name == "不通过"
    assert verdicts[-1].project == ""  # the table's own verdict comes last
    assert len(verdicts) == 11  # ten projects and the table


# --- CLI ----------------------------------------------------------------------------------


def test_cli_lint_last_year_and_json(tmp_path: Path) -> None:
    this = _write(tmp_path, "t.csv", THIS_YEAR.replace("≥40场", "≥30场"))
    last = _write(tmp_path, "l.csv", LAST_YEAR)
    status, out, _ = perfscore("lint", str(this), "--last-year", str(last))
    assert status == 0  # warnings only
    assert "审核结论 (verdict)：" in out
    assert "「科普讲座项目」完善后通过（预警等级 中）" in out
    assert "target-below-last-year" in out
    status, out, _ = perfscore("lint", str(this), "--last-year", str(last), "--format", "json")
    data = json.loads(out)
    assert data["verdicts"][0]["verdict"] == "完善后通过"
    assert data["verdicts"][0]["level"] == "medium"
    assert {"target-below-last-year", "target-below-last-actual"} <= {
        f["code"] for f in data["findings"]
    }


def test_cli_lint_period(tmp_path: Path) -> None:
    this = _write(tmp_path, "t.csv", THIS_YEAR)
    _, out, _ = perfscore("lint", str(this), "--period", "2024-01-01:2024-09-30")
    assert "date-outside-period" in out
    with pytest.raises(SystemExit):
        perfscore("lint", str(this), "--period", "2024-12-31:2024-01-01")
