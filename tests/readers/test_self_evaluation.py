"""Tests for perfscore.readers.self_evaluation: the 绩效自评表 text and Word reader."""

from __future__ import annotations

import pathlib
import sys
from decimal import Decimal

import docx
import pytest
from docx.document import Document as WordDocument

from perfscore.documents import Document, DocumentKind, Severity
from perfscore.errors import ReadError
from perfscore.indicators import Indicator
from perfscore.readers.self_evaluation import (
    parse_self_evaluation_rows,
    parse_self_evaluation_text,
    read_self_evaluation_docx,
)

SEED = pathlib.Path(__file__).parents[2] / "examples/data/tianjin-2024-self-evaluation.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
HEADER_CELLS = ("年度指标完成情况", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值")
HEADER = "\t".join((*HEADER_CELLS, "分值", "得分", "偏差原因分析及改进措施"))

# (target, actual, weight, published) rows the seed must contain.
SEED_ROWS = [
    ("≥30项", "68项", "2", "1.5"),
    ("≥300项", "498项", "1", "0.5"),
    ("≤34403.58万元", "44316.45万元", "1", "0.3"),
    ("≥4000家", "7667家", "2", "2"),
    ("2024年12月31日前", "已于2024年12月31日前完成", "1", "1"),
]

# Line number → (goal, 一级, 二级, 三级) for rows whose cells are shifted in the export.
SHIFTED_ROWS = {
    28: ("绩效目标1", "产出指标", "成本指标", "京津冀科技协同、京津冀基础研究等项目成本"),
    32: ("绩效目标2", "产出指标", "数量指标", "应用基础研究立项项目数"),
    33: ("绩效目标2", "产出指标", "数量指标", "支持优秀市级重点实验室数量"),
    35: ("绩效目标2", "产出指标", "质量指标", "国内外基础科技文献资源采购覆盖率"),
    70: ("绩效目标5", "产出指标", "成本指标", "科技人才队伍建设、科普等工作成本"),
    82: ("绩效目标6", "产出指标", "时效指标", "数字档案室系统建设时间"),
    83: ("绩效目标6", "产出指标", "成本指标", "保障科技局运转及所属事业单位运行成本"),
    86: ("绩效目标6", "满意度指标", "服务对象满意度", "运转服务对象满意度"),
}

# Rows after the header → (一级, 二级) of the last indicator: how 成本指标 is placed.
COST_CASES = [
    (
        "绩效目标1\t产出指标\t数量指标\t甲\t≥1\t1\t1\t1\n\t成本指标\t乙\t≤5万元\t4万元\t1\t1",
        ("产出指标", "成本指标"),
    ),
    ("绩效目标1\t成本指标\t经济成本指标\t乙\t≤5万元\t4万元\t1\t1", ("成本指标", "经济成本指标")),
    (
        "绩效目标1\t效益指标\t社会效益指标\t甲\t提升\t提升\t1\t1\n\t成本指标\t\t乙\t≤5万元\t4万元\t1\t1",
        ("成本指标", ""),
    ),
    (
        "绩效目标1\t产出指标\t数量指标\t甲\t≥1\t1\t1\t1\n绩效目标2\t成本指标\t乙\t≤5万元\t4万元\t1\t1",
        ("成本指标", ""),
    ),
    ("绩效目标1\t产出指标\t成本指标\t乙\t≤5万元\t4万元\t1\t1", ("产出指标", "成本指标")),
]


@pytest.fixture(scope="module")
def seed() -> Document:
    """The seed self-evaluation read from its text export."""
    return parse_self_evaluation_text(SEED_TEXT, file=SEED.name)


def indicator_rows(text: str, *, file: str = "t.txt") -> Document:
    """Read indicator lines placed under the indicator header."""
    return parse_self_evaluation_text(f"{HEADER}\n{text}", file=file)


def as_tuple(row: Indicator) -> tuple[str, str, str, str]:
    """The (target, actual, weight, published) of a row, numbers as text."""
    return (row.target, row.actual, str(row.weight), str(row.published))


def test_seed_has_sixty_indicators_with_published_sums(seed: Document) -> None:
    """The seed reads to 60 indicators whose weights sum to 90 and scores to 84.30."""
    assert len(seed.indicators) == 60
    assert sum(i.weight or 0 for i in seed.indicators) == Decimal("90")
    assert sum(i.published or 0 for i in seed.indicators) == Decimal("84.30")


def test_seed_metadata(seed: Document) -> None:
    """Department, year, budget execution, total and conclusion are read from their blocks."""
    assert seed.kind is DocumentKind.SELF_EVALUATION
    assert (seed.department, seed.year) == ("天津市科学技术局", 2024)
    assert seed.initial_budget == Decimal("85652.16")
    assert (seed.budget, seed.executed) == (Decimal("176875.03"), Decimal("170639.2"))
    assert (seed.execution_weight, seed.execution_published) == (Decimal(10), Decimal("9.65"))
    assert seed.execution_reason.startswith("主要原因是天津医学健康研究院项目")
    assert seed.published_total == Decimal("93.95")
    assert seed.conclusion.startswith("本部门整体支出绩效自评得分93.95分")
    assert "<p>" not in seed.conclusion


def test_seed_goals(seed: Document) -> None:
    """The six 年度绩效目标 are read with their labels, texts and achievements."""
    (project,) = seed.projects
    assert project.name == "天津市科学技术局"
    assert [g.label for g in project.goals] == ["1", "2", "3", "4", "5", "6"]
    assert project.goals[1].text.startswith("高质量建设和运行实验室体系")
    assert project.goals[1].achieved.startswith("新增2家全国重点实验室")


def test_seed_reads_without_diagnostics(seed: Document) -> None:
    """The seed is read cleanly: no diagnostics at all."""
    assert seed.diagnostics == ()


@pytest.mark.parametrize("expected", SEED_ROWS)
def test_seed_rows_present(seed: Document, expected: tuple[str, str, str, str]) -> None:
    """Rows with deducted or unusual scores are read with their published numbers."""
    assert expected in [as_tuple(i) for i in seed.indicators]


@pytest.mark.parametrize(("line", "expected"), SHIFTED_ROWS.items())
def test_shifted_rows_get_goal_and_levels(
    seed: Document, line: int, expected: tuple[str, str, str, str]
) -> None:
    """Rows shifted left or right in the export still get the right goal and levels."""
    (row,) = [i for i in seed.indicators if i.row == line]
    assert (row.goal, row.level1, row.level2, row.level3) == expected


def test_qualitative_row_keeps_both_texts(seed: Document) -> None:
    """A qualitative row keeps its target and its long actual text."""
    (row,) = [i for i in seed.indicators if i.target == "促进我市重大疾病防治技术发展"]
    assert row.level3 == "提高人民健康水平"
    assert row.actual.startswith("围绕心脑血管、肿瘤、慢性疾病等领域")
    assert row.actual.endswith("全部达到预期指标")


def test_reason_mentioning_header_words_is_kept(seed: Document) -> None:
    """A reason that contains the words 年度指标值 stays a reason, not a header."""
    (row,) = [i for i in seed.indicators if i.row == 84]
    assert row.reason.endswith("进一步精细测算年度指标值")


def test_page_headers_and_blank_lines_are_not_rows() -> None:
    """Every non-blank, non-header line of the indicator block becomes exactly one indicator."""
    lines = SEED_TEXT.split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("年度指标完成情况"))
    end = next(n for n, line in enumerate(lines) if line.startswith("总分"))
    body = [line for line in lines[start:end] if line.strip() and line != HEADER]
    assert len(parse_self_evaluation_text(SEED_TEXT).indicators) == len(body) == 60


@pytest.mark.parametrize(("text", "levels"), COST_CASES)
def test_cost_level_is_decided_by_context(text: str, levels: tuple[str, str]) -> None:
    """成本指标 is a 二级 under an open 产出指标 and a 一级 otherwise or before a 二级 name."""
    last = indicator_rows(text).indicators[-1]
    assert (last.level1, last.level2) == levels


def test_bad_weight_is_reported_and_row_kept() -> None:
    """A weight that is not a number gives a diagnostic with row, column and text; the row stays."""
    document = indicator_rows("绩效目标1\t产出指标\t数量指标\t甲\t≥10次\t14次\t二\t1\t")
    (row,) = document.indicators
    assert (row.row, row.weight, row.published, row.actual) == (2, None, Decimal(1), "14次")
    (diagnostic,) = document.diagnostics
    assert (diagnostic.row, diagnostic.column, diagnostic.text) == (2, "分值", "二")
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.message == "不是有效数字，按空白读取 (not a number, read as empty)"


def test_every_bad_cell_is_reported() -> None:
    """Bad weights and scores on several rows each give a diagnostic; no row is dropped."""
    document = indicator_rows(
        "绩效目标1\t产出指标\t数量指标\t甲\t≥1项\t1项\t2\tx\n\t\t\t乙\t≥1项\t1项\ty\t1"
    )
    assert len(document.indicators) == 2
    assert [(d.row, d.column, d.text) for d in document.diagnostics] == [
        (2, "得分", "x"),
        (3, "分值", "y"),
    ]


def test_row_without_numbers_is_read_by_header_position() -> None:
    """A row with no weight or score is kept, read by the header's positions, with a warning."""
    document = indicator_rows("绩效目标1\t产出指标\t数量指标\t甲\t≥10次\t14次\t\t\t")
    (row,) = document.indicators
    assert (row.level3, row.target, row.actual, row.weight) == ("甲", "≥10次", "14次", None)
    assert [d.severity for d in document.diagnostics] == [Severity.WARNING]


def test_text_without_indicator_table_is_an_error() -> None:
    """Text without a 年度指标完成情况 table gives an ERROR diagnostic."""
    document = parse_self_evaluation_text("整体支出绩效自评表\n(2024年度)", file="x.txt")
    assert document.indicators == ()
    assert document.year == 2024
    assert document.has_errors


def test_rows_and_text_agree() -> None:
    """The row classifier given split lines reads the same as the text reader."""
    rows = [line.split("\t") for line in SEED_TEXT.split("\n")]
    assert parse_self_evaluation_rows(rows) == parse_self_evaluation_text(SEED_TEXT)


def test_crlf_and_bom_do_not_change_the_result() -> None:
    """Windows line endings and a BOM give the same document and row numbers."""
    windows = "\ufeff" + SEED_TEXT.replace("\n", "\r\n")
    assert parse_self_evaluation_text(windows) == parse_self_evaluation_text(SEED_TEXT)


# --- Word ---------------------------------------------------------------------------


def word_from_text(text: str) -> WordDocument:
    """A Word document laid out like the export: TAB lines as table rows, others as paragraphs."""
    document = docx.Document()
    lines = text.split("\n")
    width = max(len(line.split("\t")) for line in lines)
    table = None
    for line in lines:
        if "\t" not in line:
            document.add_paragraph(line)
            table = None
            continue
        if table is None:
            table = document.add_table(rows=0, cols=width)
        for cell, text_ in zip(table.add_row().cells, line.split("\t"), strict=False):
            cell.text = text_
    return document


def test_docx_reads_same_as_text(tmp_path: pathlib.Path, seed: Document) -> None:
    """A Word file with the seed's rows reads to the same indicators, goals and metadata."""
    path = tmp_path / "seed.docx"
    word_from_text(SEED_TEXT).save(str(path))
    document = read_self_evaluation_docx(path)
    assert document.indicators == seed.indicators
    assert document.projects[0].goals == seed.projects[0].goals
    assert (document.published_total, document.budget) == (seed.published_total, seed.budget)
    assert document.diagnostics == ()


def test_docx_merged_cells_are_carried_down(tmp_path: pathlib.Path) -> None:
    """Vertically merged goal/level cells carry down; horizontally merged cells count once."""
    document = docx.Document()
    table = document.add_table(rows=4, cols=8)
    header = ["年度指标完成情况", "一级指标", "二级指标", "三级指标"]
    rows = [[*header, "年度指标值", "实际完成值", "分值", "得分"]]
    rows += [
        ["绩效目标1", "产出指标", "数量指标", f"指标{n}", "≥1项", "1项", "1", "1"] for n in (1, 2)
    ]
    rows += [["", "", "", "满意度", "≥90%", "95%", "2", "2"]]
    for word_row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(word_row.cells, cells, strict=True):
            cell.text = text
    for column in range(3):
        table.cell(1, column).merge(table.cell(2, column)).text = rows[1][column]
    table.cell(3, 0).merge(table.cell(3, 2)).text = "满意度指标"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    read = read_self_evaluation_docx(path).indicators
    assert [(i.goal, i.level1, i.level2, i.level3) for i in read] == [
        ("绩效目标1", "产出指标", "数量指标", "指标1"),
        ("绩效目标1", "产出指标", "数量指标", "指标2"),
        ("绩效目标1", "满意度指标", "", "满意度"),
    ]


def test_corrupt_docx_raises_read_error(tmp_path: pathlib.Path) -> None:
    """A truncated Word file raises ReadError naming the file."""
    good, bad = tmp_path / "good.docx", tmp_path / "bad.docx"
    word_from_text(HEADER).save(str(good))
    bad.write_bytes(good.read_bytes()[:1000])
    with pytest.raises(ReadError, match=r"bad\.docx") as caught:
        read_self_evaluation_docx(bad)
    assert caught.value.file == str(bad)
    assert "无法打开 Word 文件：文件已损坏" in str(caught.value)
    assert "(cannot open the Word file: it is damaged or not a .docx" in str(caught.value)
    assert "Error" not in str(caught.value)  # no exception class name


def test_docx_without_python_docx_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    """Without python-docx installed the reader says to pip install perfscore[word]."""
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(ReadError, match=r"pip install 'perfscore\[word\]'"):
        read_self_evaluation_docx(tmp_path / "x.docx")


def test_level_only_row_and_plain_header_row() -> None:
    """A row of only goal/level names sets them; a header row of labels opens the table."""
    header = HEADER.replace("年度指标完成情况", "绩效目标")
    text = f"{header}\n绩效目标1\t产出指标\t\t\t\t\t\t\t\n\t\t数量指标\t甲\t≥1项\t1项\t1\t1\t"
    (row,) = parse_self_evaluation_text(text).indicators
    assert (row.row, row.goal, row.level1, row.level2) == (3, "绩效目标1", "产出指标", "数量指标")


def test_execution_and_goal_block_problems_are_reported() -> None:
    """A bad execution number and an unkept goals reason give warnings naming their rows."""
    text = "\n".join(
        [
            "预算执行情况\t部门预算金额(万元)\t年初预算数\t全年预算数(A)\t全年执行数(B)\t分值\t得分",
            "\t\t1\t2\t未知\t10\t9",
            "年度绩效目标完成情况\t目标序号\t年度绩效目标\t实际完成情况",
            "\t完成目标\t已完成",
            "\t偏差原因分析及改进措施\t无偏差",
            HEADER,
        ]
    )
    document = parse_self_evaluation_text(text)
    assert (document.budget, document.executed, document.execution_published) == (
        Decimal(2),
        None,
        Decimal(9),
    )
    assert [(g.label, g.text, g.achieved) for g in document.projects[0].goals] == [
        ("1", "完成目标", "已完成")
    ]
    assert [(d.row, d.column, d.text) for d in document.diagnostics] == [
        (2, "全年执行数(B)", "未知"),
        (5, "", "无偏差"),
    ]


# Indicator line → the warning it gives; the row is kept either way.
WARNING_CASES = [
    (
        "绩效目标1\t产出指标\t数量指标\t\t≥1项\t1项\t1\t1",
        "缺少三级指标名称 (the 三级指标 name is missing)",
    ),
    (
        "绩效目标1\t产出指标\t甲\t乙\t≥1项\t1项\t1\t1",
        "多个文字单元格，已合并为三级指标 (several text cells, joined as the 三级指标)",
    ),
]


@pytest.mark.parametrize(("line", "message"), WARNING_CASES)
def test_odd_name_cells_give_warnings(line: str, message: str) -> None:
    """A row without a name, or with several text cells before the target, warns and is kept."""
    document = indicator_rows(line)
    assert len(document.indicators) == 1
    assert [(d.severity, d.message) for d in document.diagnostics] == [(Severity.WARNING, message)]


def test_a_pasted_table_without_a_score_column_reads_every_row(tmp_path: pathlib.Path) -> None:
    """三级指标 | 年度指标值 | 实际完成值 | 分值 and nothing after: 分值 is the last cell."""
    rows = "\n".join(f"指标{n}\t≥{n}万人次\t{n + 1}万人次\t10" for n in range(1, 11))
    path = tmp_path / "pasted.tsv"
    path.write_text(f"三级指标\t年度指标值\t实际完成值\t分值\n{rows}\n", encoding="utf-8")
    from perfscore import evaluate_document
    from perfscore.readers import read

    evaluation = evaluate_document(read(str(path)))
    assert len(evaluation.scores) == 10
    assert evaluation.total == Decimal(100)
