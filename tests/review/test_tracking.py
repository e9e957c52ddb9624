"""双监控: indicator lights against time (blue when ahead), projections, causes, the 2×2
matrix and the spending checkpoints, for a mid-year file."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import Indicator, Project, load_scheme
from perfscore.review.monitor import monitor
from perfscore.review.tracking import (
    IndicatorLight,
    cause_category,
    checkpoint,
    likelihood,
    time_percent,
)
from review_cli import run

D = Decimal
SEED003 = Path(__file__).parents[2] / "examples" / "data" / "targets-tangshan-fengrun-kejiju.txt"
MID_YEAR = dt.date(2024, 6, 30)
PLAN = (("3月底", D(20)), ("6月底", D(50)), ("9月底", D(75)), ("12月底", D(100)))


def _project() -> Project:
    return Project(
        name="科技创新扶持资金",
        budget=D(300),
        spending_plan=PLAN,
        indicators=(
            Indicator(row=5, level1="产出指标", level2="数量指标", level3="支持企业数",
                      target="≥200家"),
            Indicator(row=6, level1="产出指标", level2="质量指标", level3="验收合格率",
                      target="≥95%"),
            Indicator(row=7, level1="效益指标", level2="社会效益指标", level3="带动研发投入",
                      target="≥5000万元"),
            Indicator(row=8, level1="产出指标", level2="成本指标", level3="奖补成本",
                      target="≤300万元"),
        ),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "percent"),
    [("2024-01-01", "0.27"), ("2024-06-30", "49.73"), ("2023-06-30", "49.59"),
     ("2024-12-31", "100.00")],
)  # fmt: skip
def test_time_percent(day: str, percent: str) -> None:
    assert time_percent(dt.date.fromisoformat(day)) == D(percent)


def _lights(progress: dict[int, str], spent: str = "150") -> dict[int, IndicatorLight]:
    report = monitor(_project(), spent=D(spent), on=MID_YEAR, progress=progress)
    return {r.row: r.tracking.light for r in report.indicators if r.tracking is not None}


@pytest.mark.parametrize(
    ("text", "light"),
    [
        ("120家", IndicatorLight.BLUE),  # 60% done, 49.73% of the year gone: ahead by > 10
        ("110家", IndicatorLight.GREEN),  # 55%: ahead by 5.27
        ("95家", IndicatorLight.GREEN),  # 47.5%: behind by 2.23
        ("85家", IndicatorLight.YELLOW),  # 42.5%: behind by 7.23
        ("60家", IndicatorLight.RED),  # 30%: behind by 19.73
    ],
)
def test_cumulative_indicator_light_against_time(text: str, light: IndicatorLight) -> None:
    assert _lights({5: text})[5] is light


def test_a_rate_is_expected_at_its_target_already() -> None:
    assert _lights({6: "95%"})[6] is IndicatorLight.GREEN
    assert _lights({6: "88%"})[6] is IndicatorLight.YELLOW  # 92.63% of the target
    assert _lights({6: "70%"})[6] is IndicatorLight.RED


def test_a_ceiling_gets_no_light() -> None:
    assert _lights({8: "120万元"})[8] is IndicatorLight.UNKNOWN


def test_projection_and_likelihood() -> None:
    report = monitor(_project(), spent=D(150), on=MID_YEAR, progress={5: "120家", 7: "1500万元"})
    first, second = (r.tracking for r in report.indicators)
    assert first is not None
    assert second is not None
    assert first.projected == "241.3家"  # 120 / 49.73%
    assert first.likelihood == "确定能"
    assert second.projected == "3016.29万元"
    assert second.likelihood == "完全不可能"  # 60% of the target
    scheme = load_scheme()
    assert likelihood(D(85), scheme.monitoring) == "有可能"
    assert likelihood(D(79), scheme.monitoring) == "完全不可能"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("财政资金未及时拨付", "经费保障"),
        ("政府采购流程较长", "制度保障"),
        ("项目负责人员调整", "人员保障"),
        ("实验设备尚未到货", "硬件条件保障"),
        ("天气原因", "其他"),
        ("人员保障", "人员保障"),
    ],
)
def test_cause_categories(text: str, category: str) -> None:
    assert cause_category(text) == category


@pytest.mark.parametrize(
    ("spent", "progress", "quadrant"),
    [
        ("150", {5: "110家"}, "支出正常、绩效正常"),
        ("150", {5: "40家"}, "支出正常、绩效滞后"),
        ("60", {5: "110家"}, "支出滞后、绩效正常"),
        ("60", {5: "40家"}, "支出滞后、绩效滞后"),
    ],
)
def test_the_two_by_two_matrix(spent: str, progress: dict[int, str], quadrant: str) -> None:
    report = monitor(_project(), spent=D(spent), on=MID_YEAR, progress=progress)
    assert report.matrix is not None
    assert report.matrix.quadrant == quadrant


def test_no_matrix_without_indicator_progress() -> None:
    assert monitor(_project(), spent=D(150), on=MID_YEAR).matrix is None


def test_checkpoints_are_scheme_data() -> None:
    scheme = load_scheme("provincial-bands")
    assert scheme.monitoring["checkpoint_6"] == D(40)
    passed = checkpoint(scheme.monitoring, MID_YEAR, D("35.00"))
    assert passed is not None
    assert (passed.month, passed.required, passed.met) == (6, D(40), False)
    assert "6月底累计支出进度应不低于 40%" in passed.sentence
    assert checkpoint(scheme.monitoring, dt.date(2024, 3, 30), D(10)) is None  # none passed
    assert checkpoint(load_scheme().monitoring, MID_YEAR, D(10)) is None  # mof2020 has none
    report = monitor(_project(), spent=D(105), on=MID_YEAR, scheme=scheme)
    assert report.checkpoint is not None
    assert report.checkpoint.met is False  # 35% spent


def test_cli_monitor_mid_year_file_shows_lights_and_matrix() -> None:
    argv = [
        "monitor", str(SEED003), "--project", "科技创新扶持资金", "--spent", "120",
        "--date", "2024-06-30", "--progress", "172=120家", "--progress", "200=60%",
        "--cause", "200=部分企业配套资金未到位", "--scheme", "provincial-bands",
    ]  # fmt: skip
    status, out, _ = run(*argv)
    assert status == 0
    assert "时间进度 (time gone)：49.73%" in out
    assert "第172行 奖补数量：完成 60.0%，应完成 49.73%，蓝灯（超前）" in out
    assert "全年预计 241.3家" in out
    assert "第200行 对经济的影响" in out
    assert "红灯" in out
    assert "偏差原因：经费保障（部分企业配套资金未到位）" in out
    assert "双监控矩阵 (spending × attainment)：支出滞后、绩效滞后" in out
    assert "6月底累计支出进度应不低于 40%，实际 40.00%，已达到" in out
    status, out, _ = run(*argv, "--format", "json")
    data = json.loads(out)
    assert data["time_percent"] == "49.73"
    assert data["matrix"]["quadrant"] == "支出滞后、绩效滞后"
    assert data["checkpoint"] == {
        "month": 6, "required_percent": "40", "actual_percent": "40", "met": True,
    }  # fmt: skip
    first = data["indicators"][0]
    assert (first["light"], first["projected"], first["likelihood"]) == (
        "blue",
        "241.3家",
        "确定能",
    )
    assert data["indicators"][1]["cause_category"] == "经费保障"


def test_cli_bad_cause_is_a_usage_error() -> None:
    with pytest.raises(SystemExit):
        run("monitor", str(SEED003), "--spent", "1", "--date", "2024-06-30", "--cause", "x")
