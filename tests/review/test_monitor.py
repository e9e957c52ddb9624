"""Tests for perfscore.review.monitor: the planned percent, the traffic light and the summary."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import Indicator, Project, load_scheme
from perfscore.review.monitor import Light, monitor, planned_percent
from review_cli import run

D = Decimal
SEED004 = Path(__file__).parents[2] / "examples" / "data" / "targets-tangshan-kexie.txt"
PLAN = (("3月底", D(30)), ("6月底", D(60)), ("10月底", D(90)), ("12月底", D(100)))
GAPPED = (("3月底", None), ("6月底", D(40)), ("10月底", None), ("12月底", D(100)))

# (plan, date, planned percent)
PLANNED_CASES = [
    (PLAN, "2024-01-01", "0.00"),
    (PLAN, "2024-03-31", "30.00"),
    (PLAN, "2024-05-15", "44.84"),  # 30 + 30 × 45/91
    (PLAN, "2024-06-30", "60.00"),
    (PLAN, "2024-12-31", "100.00"),
    (GAPPED, "2024-03-31", "0.00"),  # a blank first point carries 0 from 1 January
    (GAPPED, "2024-08-31", "40.00"),  # 10月底 blank: 40 carried
    (GAPPED, "2024-11-30", "69.51"),  # 40 + 60 × 30/61
]


@pytest.mark.parametrize(("plan", "day", "expected"), PLANNED_CASES)
def test_planned_percent(
    plan: tuple[tuple[str, Decimal | None], ...], day: str, expected: str
) -> None:
    """The planned percent is linear between month ends, blanks carried, 0 on 1 January."""
    assert planned_percent(plan, dt.date.fromisoformat(day)) == D(expected)


def test_no_plan() -> None:
    """A project without a spending plan has no planned percent."""
    assert planned_percent((), dt.date(2024, 6, 30)) is None
    assert planned_percent((("3月底", None),), dt.date(2024, 6, 30)) is None


# (spent of 100 at 30 June when 60% is planned, light) — mof2020: yellow 5, red 15.
LIGHT_CASES = [
    ("70", Light.GREEN),
    ("55", Light.GREEN),
    ("54.99", Light.YELLOW),
    ("45", Light.YELLOW),
    ("44.99", Light.RED),
]


@pytest.mark.parametrize(("spent", "light"), LIGHT_CASES)
def test_light(spent: str, light: Light) -> None:
    """Behind by ≤ yellow points is green, ≤ red is yellow, more is red."""
    project = Project(name="甲", budget=D(100), spending_plan=PLAN)
    report = monitor(project, spent=D(spent), on=dt.date(2024, 6, 30))
    assert report.light is light
    assert report.gap == D(60) - D(spent)


def test_thresholds_come_from_the_scheme() -> None:
    """provincial-bands allows 10 points before yellow."""
    project = Project(name="甲", budget=D(100), spending_plan=PLAN)
    report = monitor(
        project, spent=D(51), on=dt.date(2024, 6, 30), scheme=load_scheme("provincial-bands")
    )
    assert report.light is Light.GREEN


def test_summary() -> None:
    """The summary states budget, spending, plan, gap and light in Chinese."""
    project = Project(name="科普项目", budget=D(300), spending_plan=PLAN)
    report = monitor(project, spent=D(120), on=dt.date(2024, 6, 30))
    assert report.summary == (
        "截至2024-06-30，项目「科普项目」预算 300 万元，已支出 120 万元，支出进度 40.00%，"
        "计划进度 60.00%，落后 20.00 个百分点，红灯（黄灯 > 5，红灯 > 15 个百分点）。"
    )


def test_unknown_without_budget() -> None:
    """Without a budget the light is unknown and the notes say why."""
    report = monitor(Project(name="甲", spending_plan=PLAN), spent=D(1), on=dt.date(2024, 6, 30))
    assert report.light is Light.UNKNOWN
    assert any("预算数" in note for note in report.notes)


def test_overspending_is_noted() -> None:
    """Spending above the budget is noted."""
    project = Project(name="甲", budget=D(10), spending_plan=PLAN)
    report = monitor(project, spent=D(11), on=dt.date(2024, 6, 30))
    assert any("超过预算" in note for note in report.notes)


def test_indicator_progress() -> None:
    """Progress texts are read against their targets; unknown rows are noted."""
    project = Project(
        name="甲",
        budget=D(10),
        spending_plan=PLAN,
        indicators=(
            Indicator(row=5, level1="产出指标", level3="奖补数量", target="≥200家"),
            Indicator(row=6, level1="产出指标", level3="完成时限", target="年底前"),
        ),
    )
    report = monitor(
        project, spent=D(6), on=dt.date(2024, 6, 30), progress={5: "120家", 6: "进行中", 9: "x"}
    )
    assert [(p.row, p.share) for p in report.indicators] == [(5, D("0.60")), (6, None)]
    assert any("第9行" in note for note in report.notes)
    assert report.to_dict()["indicators"][0]["share"] == "0.6"


def test_cli_monitor_json() -> None:
    """``perfscore monitor --format json`` prints the report of the named project."""
    status, out, _ = run(
        "monitor",
        str(SEED004),
        "--spent",
        "10",
        "--date",
        "2023-08-30",
        "--project",
        "唐山市科普专项经费",
        "--format",
        "json",
    )
    report = json.loads(out)
    assert status == 0
    assert (report["planned_percent"], report["status"]) == ("39.92", "red")


def test_cli_monitor_needs_project() -> None:
    """A table of several projects needs --project (usage error 2)."""
    status, _, err = run("monitor", str(SEED004), "--spent", "1", "--date", "2023-06-30")
    assert status == 2
    assert "--project" in err


def test_cli_monitor_duplicate_names() -> None:
    """Projects with the same name are picked by their sheet name, 其他交通费（2）."""
    status, out, _ = run(
        "monitor",
        str(SEED004),
        "--spent",
        "1",
        "--date",
        "2023-10-31",
        "--project",
        "其他交通费（2）",
    )
    assert status == 0
    assert "其他交通费" in out


@pytest.mark.parametrize("spent", ["10.01", "11", "100", "1000"])
def test_overspending_is_never_green(spent: str) -> None:
    """Spending above the budget is its own status, shown as 红灯, whatever the plan says."""
    project = Project(name="甲", budget=D(10), spending_plan=PLAN)
    report = monitor(project, spent=D(spent), on=dt.date(2024, 12, 31))
    assert report.light is Light.OVERSPENT
    assert "红灯" in report.light.chinese
    assert "绿灯" not in report.summary
    assert "超过预算" in report.summary


def test_spending_the_whole_budget_is_not_overspent() -> None:
    """Exactly 100% of the budget on 31 December is on plan: green."""
    project = Project(name="甲", budget=D(10), spending_plan=PLAN)
    report = monitor(project, spent=D(10), on=dt.date(2024, 12, 31))
    assert report.light is Light.GREEN


def test_cli_monitor_prints_notes_and_overspend(tmp_path: Path) -> None:
    """The text output shows the overspend status and every note, not only the JSON."""
    status, out, _ = run(
        *("monitor", str(SEED004), "--spent", "100000", "--date", "2023-10-31"),
        *("--project", "其他交通费（2）", "--progress", "9999=1家"),
    )
    assert status == 0
    assert "红灯（超预算支出）" in out
    assert "注意 (note)：已支出超过预算数" in out
    assert "第9999行不是本项目的指标" in out
    assert "\x1b[" not in out  # no colour codes into a file or a pipe


def test_lights_are_coloured_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal overspending is bold red; NO_COLOR or a pipe gives plain text."""
    import io

    from perfscore.cli.review import _coloured

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _coloured(Light.OVERSPENT, "超支", Terminal()) == "\x1b[1;31m超支\x1b[0m"
    assert _coloured(Light.GREEN, "正常", Terminal()) == "\x1b[32m正常\x1b[0m"
    assert _coloured(Light.OVERSPENT, "超支", io.StringIO()) == "超支"
    monkeypatch.setenv("NO_COLOR", "1")
    assert _coloured(Light.OVERSPENT, "超支", Terminal()) == "超支"
