"""perfscore risk: projects with known problems rank first, each with its reasons."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_units import CLEAN, UNITS, perfscore, write_batch
from perfscore import Indicator, evaluate
from perfscore.errors import SchemeError
from perfscore.review.audit import audit
from perfscore.review.risk import (
    ProjectRisk,
    assess,
    assess_file,
    load_weights,
    rank,
    risk_score,
)

D = Decimal


def _ranked(folder: Path) -> list[ProjectRisk]:
    risks = [r for f in sorted(folder.iterdir()) for r in assess_file(str(f))]
    return rank(risks)


def test_problem_units_rank_before_every_clean_one(tmp_path: Path) -> None:
    ranked = _ranked(write_batch(tmp_path, clean=5))
    names = [r.project for r in ranked]
    assert set(names[:4]) == set(UNITS)
    assert all(r.score == 0 for r in ranked[4:])
    assert all(r.score > 0 for r in ranked[:4])
    # The inflated unit is the riskiest: it changes the grade as well.
    assert names[0] == "inflated"


@pytest.mark.parametrize(
    ("unit", "code"),
    [
        ("inflated", "inflation"),
        ("inflated", "grade-inflated"),
        ("inflated", "full-marks-on-miss"),
        ("no_evidence", "qualitative-no-evidence"),
        ("low_targets", "low-targets"),
        ("outcome_missed", "output-met-outcome-missed"),
    ],
)
def test_each_problem_is_named_as_a_reason(tmp_path: Path, unit: str, code: str) -> None:
    write_batch(tmp_path, clean=0, problems=(unit,))
    (risk,) = assess_file(str(tmp_path / f"{unit}.csv"))
    assert code in {r.code for r in risk.reasons}
    assert risk.score == sum(r.points for r in risk.reasons)


def test_inflation_reason_gives_the_points_and_the_grades(tmp_path: Path) -> None:
    write_batch(tmp_path, clean=0, problems=("inflated",))
    (risk,) = assess_file(str(tmp_path / "inflated.csv"))
    by_code = {r.code: r for r in risk.reasons}
    assert by_code["inflation"].value == D(12)  # 30 published, 18 computed (60 of ≥100 × 30)
    assert by_code["inflation"].points == D(36)  # weight 3 per point
    assert "「优」" in by_code["grade-inflated"].detail
    assert "「良」" in by_code["grade-inflated"].detail
    assert risk.published_total == D(100)
    assert risk.computed_total == D(88)


def test_clean_units_have_no_reason(tmp_path: Path) -> None:
    write_batch(tmp_path, clean=1, problems=())
    (risk,) = assess_file(str(tmp_path / "clean-0.csv"))
    assert risk.reasons == ()
    assert "未发现风险信号" in risk.summary


def test_weights_file_overrides_one_signal(tmp_path: Path) -> None:
    write_batch(tmp_path / "units", clean=0)
    weights = tmp_path / "weights.toml"
    weights.write_text("[signals.low-targets]\nweight = 100\n", encoding="utf-8")
    loaded = load_weights(weights)
    assert loaded.signals["low-targets"].weight == 100
    assert loaded.signals["inflation"].weight == 3  # the others keep the built-in weights
    risks = [
        r
        for f in sorted((tmp_path / "units").iterdir())
        for r in assess_file(str(f), weights=loaded)
    ]
    assert rank(risks)[0].project == "low_targets"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[signals.no-such]\nweight = 1\n", "signals.no-such"),
        ("[signals.inflation]\nweight = -1\n", "signals.inflation.weight"),
        ("[signals.inflation]\nweight = 'a lot'\n", "signals.inflation.weight"),
        ("[strata]\nhigh = 0.8\nmedium = 0.5\n", "strata"),
    ],
)
def test_bad_weights_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemeError) as error:
        load_weights(path)
    assert error.value.key == key


def test_unreadable_and_target_files_are_listed_not_dropped(tmp_path: Path) -> None:
    missing = assess_file(str(tmp_path / "nope.csv"))
    assert [r.status for r in missing] == ["failed"]
    examples = Path(__file__).parents[2] / "examples" / "data"
    (target,) = assess_file(str(examples / "targets-tianjin-kexie.txt"))
    assert target.status == "skipped"
    assert "目标表" in target.note
    assert rank([*missing, target, *assess_file(str(examples / "tianjin-2024.csv"))])[0].status == (
        "scored"
    )


def test_seed_002_keeps_its_totals_in_the_ranking() -> None:
    seed = Path(__file__).parents[2] / "examples" / "data" / "tianjin-2024-self-evaluation.txt"
    (risk,) = assess_file(str(seed))
    assert risk.published_total == D("93.95")
    assert risk.computed_total == D("95.43")
    assert risk.funds == D("176875.03")
    # Published below computed: no inflation reason, no grade reason.
    assert not {"inflation", "grade-inflated"} & {r.code for r in risk.reasons}


# --- the CLI ------------------------------------------------------------------------------


def test_cli_text_lists_the_reasons_riskiest_first(tmp_path: Path) -> None:
    status, out, _ = perfscore("risk", str(write_batch(tmp_path, clean=2)))
    assert status == 0
    assert out.index("inflated") < out.index("clean-0")
    assert "填报得分比方案得分高 12 分" in out
    assert "共 6 项，6 个项目已评分" in out


def test_cli_csv_json_and_xlsx_carry_the_same_ranking(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "units", clean=2)
    status, out, _ = perfscore("risk", str(folder), "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["项目"] == "inflated"
    assert rows[0]["风险分"] == "50"
    status, out, _ = perfscore("risk", str(folder), "--format", "json")
    data = json.loads(out)
    assert data["schema"] == "perfscore.risk/1"
    assert [p["project"] for p in data["projects"]][:1] == ["inflated"]
    assert data["projects"][0]["reasons"][0]["code"] == "inflation"
    target = tmp_path / "out" / "风险.xlsx"
    status, out, _ = perfscore("risk", str(folder), "-o", str(target))
    assert status == 0
    import openpyxl

    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "风险排序"
    assert sheet.cell(2, 3).value == "inflated"
    assert sheet.cell(2, 2).value == 50


def test_cli_bad_weights_exit_1_with_the_key(tmp_path: Path) -> None:
    weights = tmp_path / "w.toml"
    weights.write_text("[signals.inflation]\nweight = -2\n", encoding="utf-8")
    status, _, err = perfscore("risk", str(write_batch(tmp_path / "u", clean=1)), "--weights",
                               str(weights))  # fmt: skip
    assert status == 1
    assert "signals.inflation.weight" in err


def test_cli_xlsx_to_stdout_is_a_usage_error(tmp_path: Path) -> None:
    status, _, err = perfscore("risk", str(write_batch(tmp_path, clean=1)), "--format", "xlsx")
    assert status == 2
    assert "-o" in err


# --- property: adding a discrepancy never lowers a project's risk -----------------------

_TARGETS = [("≥100人次", "人次"), ("≥90%", "%"), ("≤50万元", "万元"), ("健全", "")]


@st.composite
def _rows(draw: st.DrawFn) -> list[Indicator]:
    count = draw(st.integers(1, 6))
    rows = []
    for n in range(count):
        target, unit = draw(st.sampled_from(_TARGETS))
        level1 = draw(st.sampled_from(["产出指标", "效益指标", "满意度指标"]))
        if unit:
            actual = f"{draw(st.integers(1, 400))}{unit}"
        else:
            actual = draw(st.sampled_from(["完成", "基本完成", "未完成", "已建立3项制度"]))
        weight = D(draw(st.sampled_from([5, 10, 20])))
        reason = draw(st.sampled_from(["", "有说明"]))
        rows.append(
            Indicator(row=n + 1, level1=level1, level3=f"指标{n}", target=target, actual=actual,
                      weight=weight, reason=reason)
        )  # fmt: skip
    # Published = what the scheme computes: no discrepancy to begin with.
    scored = evaluate(rows)
    return [
        Indicator(**{**_fields(i), "published": s.computed if s.computed is not None else i.weight})
        for i, s in zip(rows, scored.scores, strict=True)
    ]


def _fields(indicator: Indicator) -> dict[str, object]:
    import attrs

    return attrs.asdict(indicator, recurse=False)


def _risk(rows: list[Indicator]) -> Decimal:
    evaluation = evaluate(rows)
    return assess(evaluation, audit(evaluation)).score


@settings(max_examples=60, deadline=None)
@given(_rows(), st.data())
def test_adding_a_discrepancy_never_lowers_risk(rows: list[Indicator], data: st.DataObject) -> None:
    before = _risk(rows)
    index = data.draw(st.integers(0, len(rows) - 1))
    row = rows[index]
    assert row.weight is not None
    assert row.published is not None
    # A discrepancy: the published score raised, up to full marks.
    raised = data.draw(st.decimals(row.published, row.weight, places=2))
    changed = [
        *rows[:index],
        Indicator(**{**_fields(row), "published": raised}),
        *rows[index + 1 :],
    ]
    assert _risk(changed) >= before


@given(
    st.dictionaries(
        st.sampled_from(sorted(load_weights().signals)),
        st.decimals(0, 50, places=2),
        min_size=1,
    ),
    st.data(),
)
def test_risk_score_is_monotone_in_every_signal(
    values: dict[str, Decimal], data: st.DataObject
) -> None:
    weights = load_weights()
    low = {code: (value, "") for code, value in values.items()}
    code = data.draw(st.sampled_from(sorted(values)))
    more = data.draw(st.decimals(0, 20, places=2))
    high = {**low, code: (values[code] + more, "")}
    assert risk_score(high, weights)[0] >= risk_score(low, weights)[0]


def test_clean_rows_have_zero_risk() -> None:
    rows = [
        Indicator(row=i + 1, level1=r[0], level2=r[1], level3=r[2], target=r[3], actual=r[4],
                  weight=D(r[5]), published=D(r[6]))
        for i, r in enumerate(CLEAN)
    ]  # fmt: skip
    assert _risk(rows) == 0


def test_a_reader_bug_fails_one_file_not_the_desk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import perfscore.readers

    def broken(*_: object, **__: object) -> object:
        raise RuntimeError("boom")

    path = tmp_path / "x.csv"
    path.write_text("a,b\n", encoding="utf-8")
    monkeypatch.setattr(perfscore.readers, "read_all", broken)
    (risk,) = assess_file(str(path))
    assert risk.status == "failed"
    assert "RuntimeError: boom" in risk.note


def test_cli_jobs_give_the_same_ranking(tmp_path: Path) -> None:
    folder = write_batch(tmp_path, clean=3)
    one = perfscore("risk", str(folder), "--format", "csv")
    two = perfscore("risk", str(folder), "--format", "csv", "--jobs", "2")
    assert one == two
    assert one[0] == 0


def test_cli_html_is_one_escaped_page(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "units", clean=1)
    (folder / "<script>x.csv").write_text((folder / "clean-0.csv").read_text("utf-8"), "utf-8")
    status, page, _ = perfscore("risk", str(folder), "--format", "html")
    assert status == 0
    assert page.startswith("<!DOCTYPE html>")
    assert "<h1>复核风险排序</h1>" in page
    assert page.index("inflated") < page.index("clean-0")
    assert "<script>" not in page
    assert "&lt;script&gt;x" in page
    status, page, _ = perfscore("sample", str(folder), "--n", "2", "--format", "html")
    assert "<h1>复核抽样</h1>" in page
    assert "随机种子 0" in page


def test_formula_looking_names_are_neutralised(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "units", clean=0, problems=("inflated",))
    (folder / "=HYPERLINK(1).csv").write_text((folder / "inflated.csv").read_text("utf-8"), "utf-8")
    _, out, _ = perfscore("risk", str(folder), "--format", "csv")
    names = [row["项目"] for row in csv.DictReader(io.StringIO(out))]
    assert "'=HYPERLINK(1)" in names
    target = tmp_path / "r.xlsx"
    perfscore("risk", str(folder), "-o", str(target))
    import openpyxl

    sheet = openpyxl.load_workbook(target).active
    cells = [sheet.cell(r, 3) for r in range(2, sheet.max_row + 1)]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"


def test_rounding_and_in_band_judgement_are_not_inflation() -> None:
    rows = [
        # 1 × 2/3 = 0.67 by the scheme; 0.7 is the same rounded to one place.
        Indicator(row=1, level1="产出指标", target="≥3项", actual="2项", weight=D(1),
                  published=D("0.7")),
        # 基本完成 is partial (70%); 75% stays inside the band [60%, 80%).
        Indicator(row=2, level1="效益指标", target="提升", actual="基本完成", weight=D(10),
                  published=D("7.5"), reason="部分完成"),
    ]  # fmt: skip
    evaluation = evaluate(rows)
    codes = {f.code for f in audit(evaluation)}
    assert {"deviation-rounding", "deviation-qualitative"} <= codes
    risk = assess(evaluation, audit(evaluation))
    assert "inflation" not in {r.code for r in risk.reasons}
