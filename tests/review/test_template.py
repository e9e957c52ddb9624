"""Tests for perfscore.review.template: default weights, sheet names and the round trip."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfscore import Document, Indicator, Project, evaluate, load_scheme
from perfscore.documents import DocumentKind, Severity
from perfscore.readers import read
from perfscore.review.template import HEADER, build_template, sheet_names, weights_for
from perfscore.score.scheme import Scheme
from review_cli import run
from strategies import schemes

DATA = Path(__file__).parents[2] / "examples" / "data"
SEED003 = DATA / "targets-tangshan-fengrun-kejiju.txt"
D = Decimal

LEVELS = ["产出指标", "效益指标", "满意度指标", "成本指标", "", "其他指标"]
LEVEL2 = ["数量指标", "成本指标", "社会效益指标", "服务对象满意度指标", ""]


def rows(*level1: str) -> list[Indicator]:
    """Indicators with the given 一级指标, numbered from 1."""
    return [Indicator(row=n, level1=name) for n, name in enumerate(level1, 1)]


indicators = st.lists(
    st.builds(
        lambda n, l1, l2: Indicator(row=n, level1=l1, level2=l2),
        st.integers(1, 999),
        st.sampled_from(LEVELS),
        st.sampled_from(LEVEL2),
    ),
    min_size=1,
    max_size=40,
)


@given(indicators, schemes)
def test_weights_sum_to_indicator_points(rows: list[Indicator], scheme: Scheme) -> None:
    """For any mix of levels the weights sum to exactly 100 − the execution weight."""
    weights = weights_for(rows, scheme)
    assert len(weights) == len(rows)
    assert sum(weights, D(0)) == 100 - scheme.execution_weight


@given(indicators, schemes)
def test_weights_are_whole_units(rows: list[Indicator], scheme: Scheme) -> None:
    """Every weight is non-negative and written to the scheme's decimal places."""
    unit = D(1).scaleb(-scheme.places)
    assert all(w >= 0 and w % unit == 0 for w in weights_for(rows, scheme))


@given(st.lists(st.sampled_from(LEVELS[:3]), min_size=0, max_size=20), schemes)
def test_levels_keep_the_scheme_weights(extra: list[str], scheme: Scheme) -> None:
    """With 产出, 效益 and 满意度 all present, each level sums to the scheme's weight."""
    indicators = rows(*LEVELS[:3], *extra)
    weights = weights_for(indicators, scheme)
    for level in LEVELS[:3]:
        total = sum(
            (w for i, w in zip(indicators, weights, strict=True) if i.level1 == level), D(0)
        )
        assert total == scheme.weights[level]


# (一级 of each row, expected weights under mof2020)
WEIGHT_CASES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("产出指标",) * 7 + ("效益指标", "满意度指标"), ("7.15",) * 2 + ("7.14",) * 5 + ("30", "10")),
    (("产出指标", "满意度指标"), ("75", "15")),  # 效益 absent: 50 : 10 scaled to 90
    (("产出指标", "效益指标", "满意度指标", "成本指标"), ("50", "30", "10", "0")),
    (("成本指标", "成本指标"), ("45", "45")),  # no level with points: split evenly
    (("", "其他指标", "效益指标", "满意度指标"), ("25", "25", "30", "10")),  # → 产出指标
]


@pytest.mark.parametrize(("levels", "expected"), WEIGHT_CASES)
def test_weight_cases(levels: tuple[str, ...], expected: tuple[str, ...]) -> None:
    """Default weights under mof2020 for typical and odd mixes of levels."""
    assert weights_for(rows(*levels)) == tuple(D(e) for e in expected)


def test_level2_decides_when_level1_is_blank() -> None:
    """A blank 一级 falls back to the 二级: 服务对象满意度指标 is a 满意度 row."""
    indicators = [
        Indicator(row=1, level1="产出指标"),
        Indicator(row=2, level2="服务对象满意度指标"),
    ]
    assert weights_for(indicators) == (D(75), D(15))


def test_no_indicators() -> None:
    """No indicators, no weights."""
    assert weights_for([]) == ()


def test_sheet_names_are_valid_and_unique() -> None:
    """Sheet names lose []:*?/\\, stay within 31 characters and are made unique."""
    names = ["其他交通费", "其他交通费", "a/b[c]:d*e?f\\g", "长" * 40, "长" * 40]
    document = Document(
        path="", kind=DocumentKind.TARGET_TABLE, projects=tuple(Project(name=n) for n in names)
    )
    assert sheet_names(document) == (
        "其他交通费",
        "其他交通费（2）",
        "a_b_c__d_e_f_g",
        "长" * 31,
        "长" * 28 + "（2）",
    )


@pytest.fixture(scope="module")
def seed003() -> Document:
    """Seed 003: ten projects with 资金支出计划, four with placeholder goals."""
    return read(SEED003)


@pytest.fixture(scope="module")
def workbook(seed003: Document) -> openpyxl.Workbook:
    """The template built from seed 003, opened with openpyxl."""
    return openpyxl.load_workbook(io.BytesIO(build_template(seed003, year=2022)))


def test_one_sheet_per_project(seed003: Document, workbook: openpyxl.Workbook) -> None:
    """The workbook has one sheet per project, named as sheet_names says."""
    assert tuple(workbook.sheetnames) == sheet_names(seed003)
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_sheet_layout(workbook: openpyxl.Workbook) -> None:
    """A sheet has the title, metadata, the reader's header and the targets with weights."""
    sheet = workbook["科技创新扶持资金"]
    cells = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "2022年度科技创新扶持资金项目支出绩效自评表"
    header = next(i for i, r in enumerate(cells) if r == HEADER)
    first = cells[header + 1]
    assert first[1:5] == ("产出指标", "数量指标", "奖补数量", "≥200家")
    assert first[6] == 12.5
    assert cells[-1][0] == "总分"
    assert cells[-1][6] == 100


def _fill(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    """Enter budget figures and an actual for every indicator, as a unit would."""
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 4).value == "三级指标")
    for r in range(1, header):
        label = str(sheet.cell(r, 1).value)
        if label.startswith("全年预算数"):
            sheet.cell(r, 2).value = 300
        elif label.startswith("全年执行数"):
            sheet.cell(r, 2).value = 270
    actuals = {"≥200家": "180家", "年底前": "已于2022年12月20日完成", "≤20万元": "19万元"}
    for r in range(header + 1, sheet.max_row):
        sheet.cell(r, 6).value = actuals.get(sheet.cell(r, 5).value, "96%")


def test_round_trip(workbook: openpyxl.Workbook, tmp_path: Path) -> None:
    """Template → actuals filled in → read back → evaluate: weights 100, scores computed."""
    _fill(workbook["科技创新扶持资金"])
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    document = read(path, sheet="科技创新扶持资金")
    assert document.kind is DocumentKind.SELF_EVALUATION
    assert (document.budget, document.executed, document.year) == (D(300), D(270), 2022)
    # The template's 总分 is =SUM(…); saved by openpyxl, not Excel, it has no value (issue 19).
    assert [(d.severity, d.column) for d in document.diagnostics] == [(Severity.WARNING, "H20")]
    evaluation = evaluate(
        document.indicators, budget=document.budget, executed=document.executed, year=document.year
    )
    assert evaluation.indicator_weight + evaluation.execution.weight == 100
    assert evaluation.warnings == ()
    assert evaluation.total == D("97.75")  # 12.5 × 180/200 = 11.25, execution 9


def test_template_scheme_places(seed003: Document) -> None:
    """A scheme with integer rounding gives whole-number weights."""
    data = build_template(seed003, load_scheme("vendor-linear"))
    sheet = openpyxl.load_workbook(io.BytesIO(data))["科技创新扶持资金"]
    weights = [r[6] for r in sheet.iter_rows(values_only=True) if r[2] and isinstance(r[6], int)]
    assert weights == [13, 13, 12, 12, 15, 15, 10]


def test_cli_template(tmp_path: Path) -> None:
    """``perfscore template`` writes the workbook and lists its sheets."""
    output = tmp_path / "自评表.xlsx"
    status, out, _ = run("template", str(SEED003), "-o", str(output))
    assert status == 0
    assert output.is_file()
    assert "10 个工作表" in out


def test_template_prints_on_a4_landscape_one_page_wide() -> None:
    """Every sheet prints landscape A4, fit to one page wide, header repeated, labels wrapped."""
    data = build_template(read(SEED003), load_scheme())
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9)  # 9 = A4
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows
        labels = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(c.alignment.wrap_text for c in labels if c.row > 1 and c.value[:1] != "=")
