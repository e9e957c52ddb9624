"""Issue 19 item 8: the 预算管理一体化 data standard's element names, read and written."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import evaluate_document
from perfscore.cli import main
from perfscore.indicators import column_for_header
from perfscore.readers import read
from perfscore.report.yth import YTH_INDICATOR_ELEMENTS

YTH_CSV = """\
lv1_perf_ind_name,lv2_perf_ind_name,lv3_perf_ind_name,computesign,kpi_val,meterunit,ind_comp,kpi_evalstd,ind_weight,eval_score,devi_analy
产出指标,数量指标,培训人次,≥,800,人次,850,完成得满分,50,50,
产出指标,时效指标,办结时间,≤,30,天,40,超时按比例扣分,50,40,个别事项超时
"""


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("lv1_perf_ind_name", "level1"),
        ("lv2_perf_ind_name", "level2"),
        ("lv3_perf_ind_name", "level3"),
        ("kpi_val", "target"),
        ("ind_comp", "actual"),
        ("actual_val", "actual"),
        ("kpi_actual_val", "actual"),
        ("ind_weight", "weight"),
        ("eval_score", "score"),
        ("kpi_evalstd", "standard"),
        ("devi_analy", "reason"),
        ("KPI_VAL", "target"),
    ],
)
def test_element_names_are_headers(header: str, field: str) -> None:
    """Every element name of the standard's self-evaluation indicator table is a header."""
    assert column_for_header(header) == field


def test_yth_headers_read_and_score(tmp_path: Path) -> None:
    """A budget system's export with element names as headers is read and scored."""
    path = tmp_path / "yth.csv"
    path.write_text(YTH_CSV, encoding="utf-8")
    document = read(path)
    first, second = document.indicators
    assert (first.level3, first.target, first.actual) == ("培训人次", "≥800人次", "850人次")
    assert (second.target, second.actual, second.standard) == ("≤30天", "40天", "超时按比例扣分")
    result = evaluate_document(document, recompute=True)
    assert [s.computed for s in result.scores] == [Decimal("50.00"), Decimal("37.50")]


def test_profile_writes_element_names_and_reads_back(tmp_path: Path) -> None:
    """--format json --profile yth: the standard's tables and elements; read back the same."""
    source = tmp_path / "yth.csv"
    source.write_text(YTH_CSV, encoding="utf-8")
    out = tmp_path / "out.json"
    main(["score", str(source), "--format", "json", "--profile", "yth", "-o", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["profile"] == "perfscore.yth/1"
    rows = data["PM_SELF_EVAL_INDICATOR"]
    assert len(rows) == 2  # rows in = rows out
    assert set(YTH_INDICATOR_ELEMENTS) <= set(rows[0])
    assert (rows[1]["kpi_val"], rows[1]["ind_comp"], rows[1]["eval_score"]) == (
        "≤30天",
        "40天",
        "40.00",
    )
    assert rows[1]["x_perfscore"]["computed"] == "37.50"
    assert data["PM_PERF_SELF_EVAL"]["total_eval_value"] == "90.00"
    again = read(out)
    assert [(i.row, i.target, i.published) for i in again.indicators] == [
        (2, "≥800人次", Decimal(50)),
        (3, "≤30天", Decimal(40)),
    ]


def test_profile_needs_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--profile with a format other than JSON is a usage error, said in both languages."""
    source = tmp_path / "yth.csv"
    source.write_text(YTH_CSV, encoding="utf-8")
    assert main(["score", str(source), "--profile", "yth"]) != 0
    assert "--profile" in capsys.readouterr().err


def test_profile_of_the_official_form(tmp_path: Path) -> None:
    """The official project form under --profile yth: budget, goal, rows and total."""
    import forms

    source = forms.write_project_form_xlsx(tmp_path / "form.xlsx", total_span=6)
    out = tmp_path / "out.json"
    main(["score", str(source), "--format", "json", "--profile", "yth", "-o", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["PM_PERF_SELF_EVAL"]["pro_name"] == forms.PROJECT
    assert data["PM_PERF_SELF_EVAL"]["total_eval_value"] == forms.TOTAL
    assert data["PM_PERF_SELF_EVAL"]["x_perfscore"]["grade"] == "优"
    budget = data["PM_PERF_SELF_BGT"]
    assert (budget["reply_amt"], budget["cur_amt"], budget["year_exe_amt"]) == ("500", "480", "470")
    assert data["PM_SELF_EVAL_GOAL"] == [
        {"kpi_target": forms.GOAL_TEXT, "goal_comp": forms.GOAL_ACHIEVED}
    ]
    assert len(data["PM_SELF_EVAL_INDICATOR"]) == len(forms.INDICATORS)
