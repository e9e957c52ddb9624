"""Tests for perfscore.readers.target_table: 绩效目标表 text exports and Word files."""

from __future__ import annotations

import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from perfscore.documents import Diagnostic, Document, Goal, Project, Severity
from perfscore.errors import ReadError
from perfscore.indicators import Indicator
from perfscore.readers.target_table import parse_target_table_text, read_target_table_docx

DATA = Path(__file__).parents[2] / "examples" / "data"

# Seed 000, 001, 003 and 004 of the domain notes, by their example file name.
SEEDS = {
    "000": "targets-tianjin-kejiju.txt",
    "001": "targets-tianjin-kexie.txt",
    "003": "targets-tangshan-fengrun-kejiju.txt",
    "004": "targets-tangshan-kexie.txt",
}

# seed → (projects, indicator rows)
COUNTS = {"000": (15, 103), "001": (5, 70), "003": (10, 70), "004": (24, 144)}

# (seed, project index, name, project code, unit, budget, spending plan, goals)
PROJECTS: list[tuple[str, int, str, str, str, str, tuple[Any, ...], tuple[Goal, ...]]] = [
    (
        "000",
        0,
        "办公用房租赁",
        "",
        "天津市科学技术局资源配置与管理处",
        "144.00",
        (),
        (
            Goal(
                "1",
                "完成办公用房租赁，租赁房屋建筑面积4831平方米（含办公用房、会议室、服务保障用房等），"
                "能够满足科技局日常办公所需的办公用房、场地及车位需求。",
            ),
        ),
    ),
    (
        "000",
        13,
        "天津市引进境外专家项目管理信息系统维护及天津市外国专家科研项目管理信息系统建设",
        "",
        "天津市科学技术信息研究所",
        "38.00",
        (),
        (
            Goal(
                "1",
                "用于天津市外国专家科研项目管理信息系统的申报、受理、审核、专家评审、评估、"
                "年度总结等环节的开发，以及引进境外专家项目系统的升级维护。",
            ),
            Goal("2", "目标内容2"),
        ),
    ),
    (
        "001",
        0,
        "基层科普能力提升项目（中央专款）",
        "",
        "天津市科学技术协会",
        "185.00",
        (),
        (Goal("1", "提升基层公共科普服务能力。"), Goal("2", "实施基层科普能力提升项目8项以上。")),
    ),
    (
        "001",
        2,
        "2023年天津科学技术馆编制外长聘人员经费项目",
        "",
        "天津科学技术馆",
        "156.50",
        (),
        (
            Goal(
                "1",
                "通过招聘编制外长聘人员，补充科技馆工作人员力量，保障科技馆正常运行，提高公益服务水平。",
            ),
        ),
    ),
    (
        "003",
        0,
        "优秀科技特派员奖励（2021年借款）",
        "13020822P00871410001L",
        "唐山市丰润区科学技术局",
        "1.00",
        (("3月底", Decimal("100")), ("6月底", None), ("10月底", None), ("12月底", None)),
        (Goal("1", "目标内容1"),),
    ),
    (
        "003",
        1,
        "科技创新扶持资金",
        "13020822P00933810001D",
        "唐山市丰润区科学技术局",
        "300.00",
        (
            ("3月底", Decimal("30")),
            ("6月底", Decimal("60")),
            ("10月底", Decimal("90")),
            ("12月底", Decimal("100")),
        ),
        (Goal("1", "奖补资金按时拨付到位"),),
    ),
    (
        "004",
        0,
        "办公家具购置",
        "13020023P00682010632U",
        "唐山市科学技术协会本级",
        "0.60",
        (
            ("3月底", None),
            ("6月底", Decimal("100")),
            ("10月底", Decimal("100")),
            ("12月底", Decimal("100")),
        ),
        (Goal("", "保障单位业务正常开展"),),
    ),
]

# (seed, target exactly as written): odd shapes a reader must not "fix".
TARGETS = [
    ("000", "≥2无"),
    ("000", "2023年1-12月"),
    ("000", "≤160万元"),
    ("000", "提高一般债券使用率95%"),
    ("000", "7*24小时"),
    ("001", "≥90科技馆正常运转率"),
    ("001", "主场活动2场，带动全市开展活动不少于1万场"),
    ("001", "平台服务能力和新媒体影响力，位于全国科协系统前列"),
    ("003", "年底之前"),
    ("004", "2023.12.31"),
]

# (seed, row, level1, level2, level3, target, basis): rows pinned to the line of their first cell.
ROWS = [
    ("000", 30, "产出指标", "数量指标", "服务人数", "≥135人", ""),
    ("000", 36, "产出指标", "质量指标", "租赁房屋面积", "≥4831平方米", ""),
    ("000", 48, "产出指标", "成本指标", "房屋租赁时间", "2023年1-12月", ""),
    ("000", 54, "效益指标", "社会效益指标", "办公用房租金", "≤160万元", ""),
    ("003", 76, "产出指标", "数量指标", "奖补数量", "≥5人", "资金发放表"),
    ("003", 83, "产出指标", "质量指标", "奖补质量", "≥95百分比", "工作标准"),
]

# The only diagnostics the seeds give: (seed, row, text) of placeholder goals.
SEED_DIAGNOSTICS = {
    "000": [(980, "目标内容2")],
    "001": [],
    "003": [(64, "目标内容1"), (736, "目标内容1"), (832, "目标内容1"), (928, "目标内容1")],
    "004": [],
}

PLACEHOLDER = "绩效目标是模板占位文字 (the goal is a template placeholder)"

# (goal cell text, labels and texts it splits into)
GOALS = [
    ("1.甲\n2.乙", (("1", "甲"), ("2", "乙"))),
    ("1. 甲。2.乙", (("1", "甲。"), ("2", "乙"))),
    ("1.甲；2.乙；3.丙", (("1", "甲；"), ("2", "乙；"), ("3", "丙"))),
    ("保障单位业务正常开展", (("", "保障单位业务正常开展"),)),
    ("1.注册用户达2.1万人以上", (("1", "注册用户达2.1万人以上"),)),
    ("1.甲\n3.乙", (("1", "甲\n3.乙"),)),
    ("总目标\n1.甲", (("", "总目标"), ("1", "甲"))),
    ("", ()),
]

# A small table in the export's format, with {goal} and {rows} to fill in.
TEMPLATE = """\
 [bookmark: _Toc1]1.测试项目绩效目标表
\t331101测试单位
\t单位：万元

\t项目名称
\t测试项目

\t预算规模及资金用途
\t预算数
\t{budget}
\t其中：财政    资金
\t10.00
\t其他资金
\t{other}

\t
\t测试用途

\t绩效目标
\t{goal}

\x20
\t一级指标
\t二级指标
\t三级指标
\t绩效指标描述
\t指标值
{rows}"""

ROW_1 = "\n\t产出指标\n\t数量指标\n\t甲\n\t甲描述\n\t≥1个\n"


PLAN = "\t资金支出计划（%）\n\t3月底\n\t6月底\n\n\t\n\t{}\n\t{}\n\n\t绩效目标\n"

# (edit of the sample: old text → new text, expected (severity, message) diagnostics)
MALFORMED: list[tuple[str, str, list[tuple[Severity, str]]]] = [
    ("\t1.目标\n", "", [(Severity.WARNING, "缺少对应的内容 (the label has no value)")]),
    ("\t331101测试单位\n", "", [(Severity.WARNING, "缺少预算单位 (the unit line is missing)")]),
    (
        "\t测试用途\n",
        "\t测试用途\n\t多余\n",
        [(Severity.WARNING, "无法识别的单元格 (unrecognised cell)")],
    ),
    (
        "\t绩效目标\n",
        "\t资金支出计划（%）\n\n\t绩效目标\n",
        [(Severity.WARNING, "资金支出计划没有时间节点 (spending plan has no periods)")],
    ),
    (
        "\t绩效目标\n",
        "\t资金支出计划（%）\n\t3月底\n\t6月底\n\n\t\n\t30%\n\t绩效目标\n",
        [(Severity.WARNING, "资金支出计划缺少比例 (spending plan lacks a percent)")],
    ),
    (
        "\t绩效目标\n",
        PLAN.format("三成", "100%"),
        [(Severity.WARNING, "支出比例不是有效数字 (spending percent is not a number)")],
    ),
    (
        "\t≥1个\n",
        "\t≥1个\n\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n",
        [],
    ),
    ("\t甲\n\t甲描述", "\t\n\t甲描述", [(Severity.WARNING, "三级指标为空 (level3 is empty)")]),
    (
        "\t指标值\n\n",
        "\t指标值\n\t分值\n\n",
        [(Severity.WARNING, "行缺少1个单元格：分值 (row lacks 1 cells: 分值)")],
    ),
    (
        "\t指标值\n\n\t产出指标\n\t数量指标\n\t甲\n\t甲描述\n\t≥1个\n",
        "\t指标值\n\t分值\n\n\t产出指标\n\t数量指标\n\t甲\n\t甲描述\n\t≥1个\n\t五分\n",
        [(Severity.ERROR, "不是有效数字 (not a number)")],
    ),
]


def sample(
    rows: str = ROW_1, *, goal: str = "1.目标", budget: str = "10.00", other: str = " "
) -> str:
    """Return a one-project text export with the given indicator rows."""
    return TEMPLATE.format(rows=rows, goal=goal, budget=budget, other=other)


def read_seed(seed: str) -> Document:
    """Read one seed's text export, named by its file name."""
    name = SEEDS[seed]
    return parse_target_table_text((DATA / name).read_text(encoding="utf-8"), file=name)


def without_rows(indicators: tuple[Indicator, ...]) -> list[Indicator]:
    """Indicators with their row numbers zeroed, for comparing text and Word."""
    return [attrs.evolve(indicator, row=0) for indicator in indicators]


# --- seeds -------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "counts"), COUNTS.items())
def test_seed_counts(seed: str, counts: tuple[int, int]) -> None:
    """Each seed has its known number of projects and indicator rows."""
    document = read_seed(seed)
    assert (len(document.projects), len(document.indicators)) == counts


def test_seeds_hold_387_rows() -> None:
    """The four target-table seeds together hold exactly 387 indicator rows."""
    assert sum(len(read_seed(seed).indicators) for seed in SEEDS) == 387


@pytest.mark.parametrize(
    ("seed", "index", "name", "code", "unit", "budget", "plan", "goals"), PROJECTS
)
def test_seed_project(
    seed: str,
    index: int,
    name: str,
    code: str,
    unit: str,
    budget: str,
    plan: tuple[Any, ...],
    goals: tuple[Goal, ...],
) -> None:
    """A project's name, code, unit, budget, spending plan and goals are read as written."""
    project = read_seed(seed).projects[index]
    assert (project.name, project.code, project.unit) == (name, code, unit)
    assert (project.budget, project.fiscal_funds, project.other_funds) == (
        Decimal(budget),
        Decimal(budget),
        None,
    )
    assert project.spending_plan == plan
    assert project.goals == goals


@pytest.mark.parametrize(("seed", "target"), TARGETS)
def test_targets_kept_verbatim(seed: str, target: str) -> None:
    """Targets are kept exactly as written, however odd their shape."""
    assert target in [indicator.target for indicator in read_seed(seed).indicators]


@pytest.mark.parametrize(("seed", "row", "level1", "level2", "level3", "target", "basis"), ROWS)
def test_seed_rows(
    seed: str, row: int, level1: str, level2: str, level3: str, target: str, basis: str
) -> None:
    """A row is numbered by the line of its first cell and carries merged levels down."""
    [indicator] = [i for i in read_seed(seed).indicators if i.row == row]
    assert (indicator.level1, indicator.level2, indicator.level3) == (level1, level2, level3)
    assert (indicator.target, indicator.basis) == (target, basis)


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_diagnostics(seed: str) -> None:
    """The seeds give no errors, only a warning for each placeholder goal."""
    document = read_seed(seed)
    expected = [
        Diagnostic(PLACEHOLDER, Severity.WARNING, SEEDS[seed], row, "绩效目标", text)
        for row, text in SEED_DIAGNOSTICS[seed]
    ]
    assert list(document.diagnostics) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_rows_start_at_a_cell(seed: str) -> None:
    """Every indicator's row is the line of a table cell holding its 一级指标 or nothing."""
    lines = (DATA / SEEDS[seed]).read_text(encoding="utf-8").splitlines()
    for indicator in read_seed(seed).indicators:
        assert lines[indicator.row - 1] in ("\t", f"\t{indicator.level1}")


def test_preamble_is_skipped() -> None:
    """The 部门整体绩效目标 preamble before the first table neither becomes a project nor warns."""
    document = read_seed("004")
    assert document.projects[0].name == "办公家具购置"
    assert document.projects[0].purpose == "主席办公室家具购置，新增空调、沙发"


# --- the text format, in small ------------------------------------------------


def test_sample_reads() -> None:
    """A minimal table gives one project with one indicator and no diagnostics."""
    document = parse_target_table_text(sample(), file="t.txt")
    assert document.projects == (
        Project(
            name="测试项目",
            unit="测试单位",
            unit_code="331101",
            budget=Decimal("10.00"),
            fiscal_funds=Decimal("10.00"),
            purpose="测试用途",
            goals=(Goal("1", "目标"),),
            indicators=(Indicator(29, "产出指标", "数量指标", "甲", "≥1个", description="甲描述"),),
        ),
    )
    assert document.path == "t.txt"
    assert document.diagnostics == ()


def test_missing_last_cell_is_kept_and_reported() -> None:
    """A row that lacks its last cell at the end of the file is kept, with an error."""
    document = parse_target_table_text(sample(ROW_1 + "\n\t\n\t质量指标\n\t乙\n\t乙描述"), file="t")
    assert [i.level3 for i in document.indicators] == ["甲", "乙"]
    assert document.indicators[1].target == ""
    assert document.diagnostics == (
        Diagnostic("行缺少1个单元格：指标值 (row lacks 1 cells: 指标值)", Severity.ERROR, "t", 35),
        Diagnostic("指标值为空 (target is empty)", Severity.ERROR, "t", 35, "指标值"),
    )


@pytest.mark.parametrize(("old", "new", "expected"), MALFORMED)
def test_malformed_tables_report(old: str, new: str, expected: list[tuple[Severity, str]]) -> None:
    """Odd cells become diagnostics while every indicator row is kept."""
    text = sample()
    assert old in text
    document = parse_target_table_text(text.replace(old, new, 1))
    assert [(d.severity, d.message) for d in document.diagnostics] == expected
    assert [i.level1 for i in document.indicators] == ["产出指标"]


def test_unknown_level_name_warns() -> None:
    """A 一级指标 outside the official names is kept and warned about."""
    document = parse_target_table_text(sample("\n\t產出指標\n\t数量指标\n\t甲\n\t甲\n\t1个\n"))
    assert document.indicators[0].level1 == "產出指標"
    assert document.diagnostics == (
        Diagnostic(
            "不是标准的一级指标名称 (not a standard level1 name)",
            Severity.WARNING,
            "",
            29,
            "一级指标",
            "產出指標",
        ),
    )


def test_first_row_without_level1_warns() -> None:
    """An empty 一级指标 with no row above to carry from is reported."""
    document = parse_target_table_text(sample("\n\t\n\t数量指标\n\t甲\n\t甲\n\t1个\n"))
    assert [str(d) for d in document.diagnostics] == [
        "第29行 (row 29), 列「一级指标」(column 一级指标): 一级指标为空 (level1 is empty)"
    ]


def test_budget_that_does_not_add_up_warns() -> None:
    """A 预算数 different from 财政资金 + 其他资金 is reported."""
    document = parse_target_table_text(sample(budget="12.00", other="1"))
    assert [d.message for d in document.diagnostics] == [
        "预算数不等于财政资金与其他资金之和 (budget 12.00 ≠ funds 11.00)"
    ]


def test_amount_that_is_not_a_number_warns() -> None:
    """A 预算数 that is not a number becomes None and a warning."""
    document = parse_target_table_text(sample(budget="十万"))
    assert document.projects[0].budget is None
    assert [(d.message, d.text) for d in document.diagnostics] == [
        ("金额不是有效数字 (amount is not a number)", "十万")
    ]


def test_title_right_after_a_cell_starts_a_project() -> None:
    """A bookmarked title directly after the last cell of a table starts the next project."""
    text = sample().rstrip("\n") + "\n" + sample().replace("测试项目\n", "第二项目\n")
    document = parse_target_table_text(text)
    assert [p.name for p in document.projects] == ["测试项目", "第二项目"]
    assert [i.target for i in document.indicators] == ["≥1个", "≥1个"]


def test_missing_name_falls_back_to_title() -> None:
    """Without 项目名称 the title, less its number and 绩效目标表, names the project."""
    text = sample().replace("\t项目名称\n\t测试项目\n", "")
    document = parse_target_table_text(text)
    assert document.projects[0].name == "测试项目"
    assert [d.message for d in document.diagnostics] == [
        "缺少项目名称，使用标题 (no 项目名称; the title is used)"
    ]


def test_table_without_indicators_warns() -> None:
    """A project whose table has no indicator header is reported, not dropped."""
    text = sample().split("\t一级指标")[0]
    document = parse_target_table_text(text)
    assert document.projects[0].name == "测试项目"
    assert [d.message for d in document.diagnostics] == ["未找到指标表 (no indicator table found)"]


@pytest.mark.parametrize(("text", "goals"), GOALS)
def test_goals_split_on_numbers(text: str, goals: tuple[tuple[str, str], ...]) -> None:
    """Goals split at 1. 2. 3. in order; other numbers stay in the text."""
    document = parse_target_table_text(sample(goal=text))
    assert document.projects[0].goals == tuple(Goal(label, t) for label, t in goals)


# --- Word files ----------------------------------------------------------------


def _row(table: Any, values: list[str]) -> Any:
    """Append a row, writing values left to right and spanning the last over the rest."""
    cells = table.add_row().cells
    for cell, value in zip(cells, values, strict=False):
        cell.text = value
    if len(values) < len(cells):
        cells[len(values) - 1].merge(cells[-1])
    return cells


def _add_form(document: Any, project: Project) -> None:
    """Add the form table above the indicators, merging cells as the templates do."""
    table = document.add_table(rows=0, cols=7)
    _row(table, [project.unit_code + project.unit, "", "", "", "", "", "单位：万元"])[0].merge(
        table.rows[0].cells[5]
    )
    if project.code:
        _row(table, ["项目编码", project.code, "项目名称", project.name])
    else:
        _row(table, ["项目名称", project.name])
    amounts = [str(v) if v is not None else "" for v in (project.budget, project.fiscal_funds)]
    other = "" if project.other_funds is None else str(project.other_funds)
    top = _row(
        table,
        [
            "预算规模及资金用途",
            "预算数",
            amounts[0],
            "其中：财政资金",
            amounts[1],
            "其他资金",
            other,
        ],
    )
    top[0].merge(_row(table, ["", project.purpose])[0])
    if project.spending_plan:
        labels = [label for label, _ in project.spending_plan]
        values = ["" if v is None else f"{v}%" for _, v in project.spending_plan]
        first = _row(table, ["资金支出计划（%）", *labels])
        first[0].merge(_row(table, ["", *values])[0])
    goals = "\n".join(f"{g.label}.{g.text}" if g.label else g.text for g in project.goals)
    _row(table, ["绩效目标", goals])


def _add_indicators(document: Any, project: Project, basis: bool) -> None:
    """Add the indicator table, merging equal 一级 and 二级 cells vertically."""
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]
    table = document.add_table(rows=0, cols=len(header) + basis)
    _row(table, [*header, "指标值确定依据"] if basis else header)
    for above, indicator in zip((None, *project.indicators), project.indicators, strict=False):
        cells = _row(
            table,
            [
                indicator.level1,
                indicator.level2,
                indicator.level3,
                indicator.description,
                indicator.target,
                *([indicator.basis] if basis else []),
            ],
        )
        same1 = above is not None and above.level1 == indicator.level1
        same2 = same1 and above is not None and above.level2 == indicator.level2
        for column, same in ((0, same1), (1, same2)):
            if same:
                cells[column].text = ""
                table.rows[-2].cells[column].merge(cells[column])


def build_docx(source: Document, path: Path) -> Path:
    """Write a Word file with the projects of ``source``: title, form table, indicator table."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("第一部分")
    document.add_paragraph("部门整体绩效目标")
    basis = any(indicator.basis for indicator in source.indicators)
    for number, project in enumerate(source.projects, start=1):
        document.add_paragraph(f"{number}.{project.name}绩效目标表")
        _add_form(document, project)
        document.add_paragraph(" ")
        _add_indicators(document, project, basis)
        document.add_paragraph("")
    document.save(path)
    return path


@pytest.mark.parametrize("seed", SEEDS)
def test_docx_reads_like_text(seed: str, tmp_path: Path) -> None:
    """A Word file built from a seed, with merged level cells, reads the same projects."""
    text = read_seed(seed)
    word = read_target_table_docx(build_docx(text, tmp_path / "seed.docx"))
    assert len(word.projects) == len(text.projects)
    for got, expected in zip(word.projects, text.projects, strict=True):
        assert without_rows(got.indicators) == without_rows(expected.indicators)
        assert attrs.evolve(got, indicators=()) == attrs.evolve(expected, indicators=())
    assert [d.text for d in word.diagnostics] == [d.text for d in text.diagnostics]


def test_docx_rows_and_tables_are_located(tmp_path: Path) -> None:
    """Word rows are numbered by table row and diagnostics name the table."""
    source = parse_target_table_text(sample(ROW_1 + "\n\t\n\t质量指标\n\t乙\n\t乙描述\n\t \n"))
    path = build_docx(source, tmp_path / "x.docx")
    document = read_target_table_docx(path)
    assert [i.row for i in document.indicators] == [2, 3]
    [error] = document.diagnostics
    assert (error.file, error.row, error.message) == (
        f"{path} 表2",
        3,
        "指标值为空 (target is empty)",
    )


NOT_DOCX = "不是有效的 Word (.docx) 文件 (not a valid Word .docx file)"


def test_truncated_docx_raises(tmp_path: Path) -> None:
    """A truncated Word file raises ReadError naming the file."""
    whole = build_docx(read_seed("001"), tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ReadError) as caught:
        read_target_table_docx(path)
    assert (caught.value.file, str(caught.value)) == (str(path), f"{path}: {NOT_DOCX}")
    assert caught.value.__suppress_context__


@pytest.mark.parametrize("content", [b"not a zip", b"", b"PK\x03\x04garbage"])
def test_garbage_docx_raises(tmp_path: Path, content: bytes) -> None:
    """A file that is not a Word file at all raises ReadError naming the file."""
    path = tmp_path / "garbage.docx"
    path.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        read_target_table_docx(path)
    assert str(caught.value) == f"{path}: {NOT_DOCX}"


def test_zip_that_is_not_word_raises(tmp_path: Path) -> None:
    """A zip file without Word's parts raises ReadError, not KeyError."""
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(ReadError) as caught:
        read_target_table_docx(path)
    assert str(caught.value) == f"{path}: {NOT_DOCX}"


def test_missing_docx_raises(tmp_path: Path) -> None:
    """A path that does not exist raises ReadError saying so."""
    path = tmp_path / "none.docx"
    with pytest.raises(ReadError) as caught:
        read_target_table_docx(path)
    assert str(caught.value) == f"{path}: 找不到文件 (file not found)"


def test_docx_without_python_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without python-docx installed, reading a Word file says what to install."""
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(ReadError) as caught:
        read_target_table_docx(tmp_path / "x.docx")
    assert str(caught.value) == (
        f"{tmp_path / 'x.docx'}: 读取 Word 文件需要 python-docx (reading .docx needs python-docx): "
        "pip install 'perfscore[word]'"
    )


def test_word_bookmarks_inside_cells_are_dropped() -> None:
    """A ``[bookmark: _GoBack]`` anchor inside a cell is not part of the target text."""
    targets = {i.target for i in read_seed("004").indicators} | {
        i.target for i in read_seed("003").indicators
    }
    assert "有效提升" in targets
    assert not any("bookmark" in t for t in targets)
