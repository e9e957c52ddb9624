"""The department preset scores a 部门整体支出 table with checklist items end to end."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import Indicator, evaluate, load_scheme
from perfscore.cli import main
from perfscore.readers import read
from perfscore.score.checklist import parse_standard
from perfscore.score.rollup import evaluate_document
from perfscore.score.scoring import Status, score_indicator

TABLE = Path(__file__).parents[2] / "examples" / "data" / "department-2024.csv"
DEPARTMENT = load_scheme("department")


def test_department_table_scores() -> None:
    """决策/过程/产出/效益 add up to 100; 不适用 is left out and the total rescaled."""
    evaluation = evaluate_document(read(TABLE), scheme=DEPARTMENT)
    by_level1: dict[str, Decimal] = {s.key[0]: s.weight for s in evaluation.by_level1}
    assert by_level1 == {"决策": 25, "过程": 30, "产出": 25, "效益": 20}
    assert evaluation.execution is None
    assert evaluation.indicator_total == Decimal("88.72")
    assert evaluation.total == Decimal("90.53")  # 88.72 × 100 / 98
    assert evaluation.grade == "优"
    statuses = {s.indicator.level3: s.status for s in evaluation.scores}
    assert statuses["政府采购执行率"] is Status.NOT_APPLICABLE
    assert statuses["资金使用合规性"] is Status.PARTIAL  # 3 under 每处扣1分: two findings
    assert statuses["在职人员控制率"] is Status.PARTIAL


def test_a_score_the_standard_cannot_give_withholds_an_uncertain_grade(tmp_path: Path) -> None:
    """3.5 under 每处扣1分 needs review; its 5 points could move 优 to 良, so no grade."""
    text = TABLE.read_text("utf-8-sig").replace("扣完为止,,,5,3,", "扣完为止,,,5,3.5,")
    path = tmp_path / "department.csv"
    path.write_text(text, encoding="utf-8-sig")
    evaluation = evaluate_document(read(path), scheme=DEPARTMENT)
    statuses = {s.indicator.level3: s.status for s in evaluation.scores}
    assert statuses["资金使用合规性"] is Status.NEEDS_REVIEW
    assert evaluation.total == Decimal("91.04")  # 89.22 × 100 / 98, as published
    assert (evaluation.graded, evaluation.grade) == (False, "")
    assert evaluation.verdict.codes == ("rows-need-review",)


@pytest.mark.parametrize(
    ("standard", "kind", "per", "floor"),
    [
        ("每发现一处不符扣1分，扣完为止", "deduction", "1", "0"),
        ("每发现一项未量化扣0.5分，扣完为止", "deduction", "0.5", "0"),
        ("每超过一人扣1分，最低得2分", "deduction", "1", "2"),
        ("扣完为止", "deduction", "1", "0"),
        ("每具备一项制度得1分", "elements", "1", "0"),
        ("评价等级为好、较好、一般、差", "likert", "0", "0"),
    ],
)
def test_standards_are_read(standard: str, kind: str, per: str, floor: str) -> None:
    """Deduction per finding with its floor, element counts and Likert scales are read."""
    rule = parse_standard(standard, DEPARTMENT)
    assert rule is not None
    assert (rule.kind, rule.per, rule.floor) == (kind, Decimal(per), Decimal(floor))


@pytest.mark.parametrize(
    ("standard", "actual", "published", "computed"),
    [
        ("每发现一处扣1分，扣完为止", "发现问题2处", None, "3.00"),
        ("每发现一处扣2分，扣完为止", "发现问题三处", None, "0.00"),
        ("每发现一处扣1分，最低得2分", "发现问题4处", None, "2.00"),
        ("每发现一处扣1分，扣完为止", "未发现问题", None, "5.00"),
        ("每具备一项得2分", "具备2项", None, "4.00"),
        ("好、较好、一般、差", "一般", None, "3.00"),
        ("每发现一处扣1分，扣完为止", "", "3", "3.00"),
        ("每发现一处扣1分，扣完为止", "", "3.5", None),
        ("好、较好、一般、差", "", "4", "4.00"),
        ("好、较好、一般、差", "", "4.5", None),
        ("按实际情况酌情打分", "", "4", None),
    ],
)
def test_checklist_items(
    standard: str, actual: str, published: str | None, computed: str | None
) -> None:
    """A count or grade in the actual is scored; a published score is checked against the rule."""
    row = Indicator(row=1, level1="过程", standard=standard, actual=actual, weight=Decimal(5),
                    published=None if published is None else Decimal(published))  # fmt: skip
    score = score_indicator(row, DEPARTMENT)
    assert score.computed == (None if computed is None else Decimal(computed))
    if computed is None:
        assert score.status is Status.NEEDS_REVIEW


def test_checklist_off_by_default() -> None:
    """Under mof2020 a checklist row keeps its published score as entered (manual)."""
    row = Indicator(row=1, standard="每发现一处扣1分", weight=Decimal(5), published=Decimal(3))
    assert score_indicator(row).status is Status.MANUAL
    assert evaluate([row]).scores[0].counted == 3


def test_department_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text, JSON and XLSX reports of the department table."""
    main(["score", str(TABLE), "--scheme", "department"])
    text = capsys.readouterr().out
    assert "不适用" in text
    assert "90.53" in text
    main(["score", str(TABLE), "--scheme", "department", "--format", "json"])
    data = json.loads(capsys.readouterr().out)["sheets"][0]["evaluation"]
    assert (data["total"], data["grade"]) == ("90.53", "优")
    assert {r["status"] for r in data["indicators"]} >= {"not_applicable", "partial"}
    out = tmp_path / "department.xlsx"
    main(["score", str(TABLE), "--scheme", "department", "--format", "xlsx", "-o", str(out)])
    openpyxl = pytest.importorskip("openpyxl")
    cells = [c.value for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row]
    assert "不适用" in cells
    assert any(isinstance(v, float | int) and abs(v - 90.53) < 1e-9 for v in cells)


def test_derived_weights() -> None:
    """Heading rows (决策 25, …) are their rows' sums: shown, checked, never counted twice."""
    scheme = load_scheme("department")
    rows = [
        Indicator(row=1, level1="决策", weight=Decimal(10), published=Decimal(9)),
        Indicator(
            row=2,
            level1="决策",
            level3="甲",
            standard="每发现一处扣1分，扣完为止",
            weight=Decimal(6),
            published=Decimal(5),
        ),
        Indicator(
            row=3,
            level1="决策",
            level3="乙",
            standard="每发现一处扣1分，扣完为止",
            weight=Decimal(4),
            published=Decimal(4),
        ),
        Indicator(row=4, level1="产出", weight=Decimal(80), published=Decimal(70)),
        Indicator(
            row=5,
            level1="产出",
            level3="丙",
            target="≥100项",
            actual="90项",
            weight=Decimal(90),
            published=Decimal(81),
        ),
    ]
    result = evaluate(rows, scheme=scheme)
    assert [s.status for s in result.scores][::3] == [Status.HEADING, Status.HEADING]
    assert result.indicator_weight == 100
    assert result.total == Decimal(90)
    assert result.computed_total == Decimal("90.00")
    assert any("第4行「产出」分值 80 不等于下级之和 90" in w for w in result.warnings)
    assert any("第4行「产出」得分 70 不等于下级之和 81" in w for w in result.warnings)
    assert not any("第1行" in w for w in result.warnings)
    # Without the setting the heading rows are counted as entered (manual).
    assert evaluate(rows).scores[0].status is Status.MANUAL


def test_not_applicable_keeps_a_computed_total() -> None:
    """A 不适用 row does not stop the computed total."""
    evaluation = evaluate_document(read(TABLE), scheme=DEPARTMENT, recompute=True)
    assert any(s.status is Status.NOT_APPLICABLE for s in evaluation.scores)
    assert evaluation.computed_total == Decimal("90.53")
