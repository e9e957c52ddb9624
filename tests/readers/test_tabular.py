"""Tests for perfscore.readers.tabular: indicator rows from CSV and Excel files."""

from __future__ import annotations

import csv
import datetime
import io
import pathlib
import random
import sys
from collections.abc import Sequence
from decimal import Decimal

import openpyxl
import pytest

from perfscore import evaluate_document
from perfscore.documents import Document, DocumentKind, Severity
from perfscore.errors import ReadError
from perfscore.indicators import Indicator
from perfscore.readers.self_evaluation import parse_self_evaluation_text
from perfscore.readers.tabular import read_csv, read_xlsx

DATA = pathlib.Path(__file__).parents[2] / "examples/data"
TEMPLATES = pathlib.Path(__file__).parents[2] / "docs/templates"
CHINESE = (
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
)
ENGLISH = ("goal", "level1", "level2", "level3", "target", "actual", "weight", "score")
# Extra header spellings users write: 指标值, 全年实际值, 权重.
VARIANT = ("绩效目标", "一级指标", "二级指标", "三级指标", "指标值", "全年实际值", "权重", "得分")
REASON = "偏差原因分析及改进措施"
# Encodings a CSV may come in, as written by Python, plain tools and Chinese Excel.
ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")


@pytest.fixture(scope="module")
def seed() -> tuple[Indicator, ...]:
    """The seed's 60 indicators, read from its text export."""
    text = (DATA / "tianjin-2024-self-evaluation.txt").read_text(encoding="utf-8")
    return parse_self_evaluation_text(text).indicators


def content(rows: Sequence[Indicator]) -> list[tuple[object, ...]]:
    """Everything a row says except its row number."""
    return [
        (i.goal, i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.published, i.reason)
        for i in rows
    ]


def table(rows: Sequence[Indicator], headers: Sequence[str] = CHINESE) -> list[list[str]]:
    """The rows as a header row plus one full row of text cells per indicator."""
    body = [[str(c if c is not None else "") for c in row] for row in content(rows)]
    return [[*headers, REASON], *body]


def write_csv(path: pathlib.Path, rows: Sequence[Sequence[object]], encoding: str) -> None:
    """Write rows as CSV in the given encoding."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(path: pathlib.Path, rows: Sequence[Sequence[object]]) -> None:
    """Write rows into the first sheet of a new workbook."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    for line in workbook.active.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # "=100%" is a target, not a formula
    workbook.save(path)


def test_example_csv_reads_like_the_seed(seed: tuple[Indicator, ...]) -> None:
    """The example CSV (UTF-8 with BOM, levels written once) reads to the seed's 60 rows."""
    document = read_csv(DATA / "tianjin-2024.csv")
    assert content(document.indicators) == content(seed)
    assert [i.row for i in document.indicators] == list(range(2, 62))
    assert document.kind is DocumentKind.SELF_EVALUATION
    assert document.diagnostics == ()


def test_example_xlsx_with_title_row_reads_like_the_seed(seed: tuple[Indicator, ...]) -> None:
    """The example workbook (merged title row, merged level cells) reads to the seed's rows."""
    document = read_xlsx(DATA / "tianjin-2024.xlsx")
    assert content(document.indicators) == content(seed)
    assert [i.row for i in document.indicators] == list(range(3, 63))
    assert (document.year, document.department) == (2024, "天津市科学技术局")
    assert sum(i.weight or 0 for i in document.indicators) == 90
    assert sum(i.published or 0 for i in document.indicators) == Decimal("84.30")
    assert document.diagnostics == ()


@pytest.mark.parametrize("reader", [read_csv, read_xlsx])
def test_templates_read_cleanly(reader: object) -> None:
    """Each template has two example rows that read without diagnostics."""
    suffix = ".csv" if reader is read_csv else ".xlsx"
    document = reader(TEMPLATES / f"自评表模板{suffix}")  # type: ignore[operator]
    assert len(document.indicators) == 2
    assert document.diagnostics == ()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_csv_encodings(tmp_path: pathlib.Path, seed: tuple[Indicator, ...], encoding: str) -> None:
    """UTF-8 with and without BOM and GB18030 CSV files read to the same rows."""
    path = tmp_path / "table.csv"
    write_csv(path, table(seed), encoding)
    assert content(read_csv(path).indicators) == content(seed)


@pytest.mark.parametrize("headers", [ENGLISH, VARIANT])
def test_header_spellings_and_shuffled_columns(
    tmp_path: pathlib.Path, seed: tuple[Indicator, ...], headers: tuple[str, ...]
) -> None:
    """English or variant headers in a shuffled column order read to the same rows."""
    columns = list(zip(*table(seed, headers), strict=True))
    random.Random(2024).shuffle(columns)
    path = tmp_path / "shuffled.csv"
    write_csv(path, list(zip(*columns, strict=True)), "utf-8")
    assert content(read_csv(path).indicators) == content(seed)


def test_xlsx_numbers_and_merged_cells(tmp_path: pathlib.Path) -> None:
    """Numbers stored as numbers, percent-formatted cells and merged level cells are read."""
    path = tmp_path / "numbers.xlsx"
    rows: list[list[object]] = [
        ["2023年度某单位整体支出绩效自评表"],
        [*CHINESE, REASON],
        ["绩效目标1", "产出指标", "数量指标", "甲", "≥10次", "12次", 2, 1.5],
        [None, None, None, "乙", 0.9, 0.95, 0.3, 0.3],
    ]
    write_xlsx(path, rows)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet["E4"].number_format = sheet["F4"].number_format = "0%"
    workbook.save(path)
    document = read_xlsx(path)
    assert content(document.indicators) == [
        (
            "绩效目标1",
            "产出指标",
            "数量指标",
            "甲",
            "≥10次",
            "12次",
            Decimal(2),
            Decimal("1.5"),
            "",
        ),
        (
            "绩效目标1",
            "产出指标",
            "数量指标",
            "乙",
            "90%",
            "95%",
            Decimal("0.3"),
            Decimal("0.3"),
            "",
        ),
    ]
    assert (document.year, document.department) == (2023, "某单位")


def test_bad_weight_is_reported_and_row_kept(tmp_path: pathlib.Path) -> None:
    """A weight that is not a number gives a diagnostic naming row, column and text."""
    path = tmp_path / "bad.csv"
    write_csv(
        path,
        [CHINESE, ["绩效目标1", "产出指标", "数量指标", "甲", "≥1项", "1项", "两分", "1"]],
        "utf-8",
    )
    document = read_csv(path)
    (row,) = document.indicators
    assert (row.row, row.level3, row.weight, row.published) == (2, "甲", None, Decimal(1))
    (diagnostic,) = document.diagnostics
    assert (diagnostic.file, diagnostic.row) == (str(path), 2)
    assert (diagnostic.column, diagnostic.text) == ("分值", "两分")
    assert diagnostic.severity is Severity.ERROR
    assert str(diagnostic).endswith("不是有效数字，按空白读取 (not a number, read as empty)")


@pytest.mark.parametrize(
    ("headers", "missing"),
    [
        (
            ("三级指标", "实际完成值", "分值", "得分"),
            "缺少必需的列「年度指标值」(missing required column: target)：请在表头加上这一列，"
            "列名见 docs/input-columns.md (add the column; names in docs/input-columns.md)",
        ),
    ],
)
def test_missing_column_is_an_error(
    tmp_path: pathlib.Path, headers: tuple[str, ...], missing: str
) -> None:
    """A sheet without a required column gives an ERROR naming it; the rows are still read."""
    path = tmp_path / "missing.csv"
    write_csv(path, [headers, ["甲", "1项", "1", "1"]], "utf-8")
    document = read_csv(path)
    assert [d.message for d in document.diagnostics] == [missing]
    assert document.has_errors
    assert len(document.indicators) == 1


def test_form_without_weights_keeps_published_scores(tmp_path: pathlib.Path) -> None:
    """A form that prints only 得分 is read with a warning; its scores are kept, ungraded."""
    path = tmp_path / "no-weights.csv"
    write_csv(
        path,
        [("三级指标", "年度指标值", "实际完成值", "得分"), ["甲", "≥1项", "1项", "9"]],
        "utf-8",
    )
    document = read_csv(path)
    assert not document.has_errors
    assert "没有「分值」列" in document.diagnostics[0].message
    result = evaluate_document(document)
    assert result.scores[0].counted == Decimal(9)
    assert result.scores[0].computed is None
    assert not result.graded


def test_target_table_kind(tmp_path: pathlib.Path) -> None:
    """A sheet without actual, weight or score columns is a target table and needs no weight."""
    path = tmp_path / "targets.csv"
    write_csv(
        path,
        [("一级指标", "二级指标", "三级指标", "指标值"), ("产出指标", "数量指标", "甲", "≥1项")],
        "utf-8",
    )
    document = read_csv(path)
    assert document.kind is DocumentKind.TARGET_TABLE
    assert document.diagnostics == ()
    assert document.indicators[0].target == "≥1项"


def test_no_header_is_an_error(tmp_path: pathlib.Path) -> None:
    """A file with no recognisable header row gives an ERROR diagnostic."""
    path = tmp_path / "nothing.csv"
    write_csv(path, [["名称", "数值"], ["甲", "1"]], "utf-8")
    document = read_csv(path)
    assert document.has_errors
    assert document.indicators == ()


def test_metadata_goal_rows_and_blank_rows(tmp_path: pathlib.Path) -> None:
    """Metadata rows above and below, goal-only rows and blank rows are read as such."""
    path = tmp_path / "meta.csv"
    rows = [
        ["部门名称", "某局"],
        ["全年预算数(A)", "176875.03"],
        ["全年执行数(B)", "170639.2"],
        [*CHINESE, REASON],
        ["绩效目标1"],
        ["", "产出指标", "数量指标", "甲", "≥1项", "1项", "1", "1"],
        [],
        ["绩效目标2", "", "", "", "", "", "", ""],
        ["", "效益指标", "社会效益指标", "乙", "提升", "提升", "1", "0.9"],
        ["总分", "", "", "", "", "", "100", "93.95"],
    ]
    write_csv(path, rows, "utf-8-sig")
    document = read_csv(path)
    assert (document.department, document.budget) == ("某局", Decimal("176875.03"))
    assert (document.executed, document.published_total) == (Decimal("170639.2"), Decimal("93.95"))
    assert [(i.row, i.goal, i.level1) for i in document.indicators] == [
        (6, "绩效目标1", "产出指标"),
        (9, "绩效目标2", "效益指标"),
    ]


def test_new_level1_resets_level2(tmp_path: pathlib.Path) -> None:
    """Blank level cells carry down, but a new 一级 does not inherit the old 二级."""
    path = tmp_path / "carry.csv"
    rows = [
        CHINESE,
        ["绩效目标1", "产出指标", "数量指标", "甲", "≥1项", "1项", "1", "1"],
        ["", "", "", "乙", "≥1项", "1项", "1", "1"],
        ["", "效益指标", "", "丙", "提升", "提升", "1", "1"],
    ]
    write_csv(path, rows, "utf-8")
    levels = [(i.level1, i.level2) for i in read_csv(path).indicators]
    assert levels == [("产出指标", "数量指标"), ("产出指标", "数量指标"), ("效益指标", "")]


def test_no_row_is_dropped(tmp_path: pathlib.Path, seed: tuple[Indicator, ...]) -> None:
    """Every non-empty data row becomes one indicator, bad cells or not."""
    rows = table(seed)
    for row in rows[1::7]:
        row[6] = "坏"
    path = tmp_path / "bad-many.csv"
    write_csv(path, rows, "gb18030")
    document = read_csv(path)
    assert len(document.indicators) == len(rows) - 1 == 60
    assert len(document.diagnostics) == len(rows[1::7])


def test_truncated_xlsx_raises_read_error(tmp_path: pathlib.Path) -> None:
    """A truncated workbook raises ReadError naming the file, with a bilingual message."""
    data = (DATA / "tianjin-2024.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError) as caught:
        read_xlsx(path)
    assert caught.value.file == str(path)
    assert str(caught.value).startswith(f"{path}: 无法打开 Excel 文件：文件已损坏")
    assert "(cannot open the Excel file: it is damaged" in str(caught.value)


def test_unknown_sheet_raises_read_error() -> None:
    """Asking for a sheet that does not exist names the sheets there are."""
    with pytest.raises(ReadError, match="绩效自评表"):
        read_xlsx(DATA / "tianjin-2024.xlsx", sheet="Sheet9")


def test_undecodable_csv_raises_read_error(tmp_path: pathlib.Path) -> None:
    """Bytes that are neither UTF-8, UTF-16 nor GB18030 raise ReadError naming the file."""
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8")  # a UTF-16 BOM, then half a surrogate pair
    with pytest.raises(ReadError, match=r"binary\.csv.*not UTF-8, UTF-16 or GB18030"):
        read_csv(path)


def test_missing_csv_raises_read_error(tmp_path: pathlib.Path) -> None:
    """A file that does not exist raises ReadError naming it."""
    with pytest.raises(ReadError, match=r"absent\.csv"):
        read_csv(tmp_path / "absent.csv")


def test_xlsx_without_openpyxl_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    """Without openpyxl installed the reader says to pip install perfscore[excel]."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ReadError, match=r"pip install 'perfscore\[excel\]'"):
        read_xlsx(tmp_path / "x.xlsx")


def test_csv_and_xlsx_agree(tmp_path: pathlib.Path, seed: tuple[Indicator, ...]) -> None:
    """The same rows written as CSV and as a workbook give the same document apart from the path."""
    rows = table(seed)
    write_csv(tmp_path / "t.csv", rows, "utf-8")
    write_xlsx(tmp_path / "t.xlsx", rows)
    from_csv: Document = read_csv(tmp_path / "t.csv")
    from_xlsx: Document = read_xlsx(tmp_path / "t.xlsx")
    assert from_csv.indicators == from_xlsx.indicators


def test_named_sheet_dates_and_bad_metadata(tmp_path: pathlib.Path) -> None:
    """A named sheet is read; date cells become ISO dates; a bad budget figure is reported."""
    path = tmp_path / "named.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.create_sheet("自评")
    sheet.append(["全年预算数", "不详"])
    sheet.append([*CHINESE, REASON])
    sheet.append(["绩效目标1", "产出指标", "时效指标", "甲", datetime.datetime(2024, 12, 31)])
    sheet.append(["", "", "", "乙", datetime.date(2024, 6, 30), "", 1, 1])
    workbook.save(path)
    document = read_xlsx(path, sheet="自评")
    assert [i.target for i in document.indicators] == ["2024-12-31", "2024-06-30"]
    assert [(d.row, d.column, d.text) for d in document.diagnostics] == [(1, "全年预算数", "不详")]
    assert read_xlsx(path).has_errors  # the first, empty sheet has no header row


def test_execution_weight_row_is_read(tmp_path: pathlib.Path) -> None:
    """A ``预算执行率分值 | 10`` row above the table sets the execution weight."""
    path = tmp_path / "w.csv"
    path.write_text(
        "预算执行率分值,10\n三级指标,年度指标值,实际完成值,分值,得分\n人数,≥1人,1人,90,90\n",
        "utf-8",
    )
    document = read_csv(path)
    assert document.execution_weight == Decimal(10)
    assert document.diagnostics == ()


def test_formula_guard_quote_is_removed(tmp_path: pathlib.Path) -> None:
    """A CSV cell ``'=100%`` written to keep Excel from running it reads back as ``=100%``."""
    path = tmp_path / "q.csv"
    path.write_text("三级指标,年度指标值,实际完成值,分值,得分\n覆盖率,'=100%,100%,2,2\n", "utf-8")
    assert read_csv(path).indicators[0].target == "=100%"
