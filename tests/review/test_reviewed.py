"""The review layer: 审核得分 / 审核意见 read from every format, kept apart from the unit's 得分,
compared row by row and in total, shown side by side in every report; the 复核表 round trip."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from desk_units import perfscore
from perfscore import Indicator, evaluate
from perfscore.indicators import column_for_header
from perfscore.readers import read, read_text
from perfscore.review.reviewed import compare, deduction_flags, has_review
from perfscore.score.scoring import score_indicator

D = Decimal
SEED002 = Path(__file__).parents[2] / "examples" / "data" / "tianjin-2024-self-evaluation.txt"

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
HEADER += ["审核得分", "审核意见"]
ROWS = [
    ["产出指标", "数量指标", "培训人次", "≥100人次", "60人次", "30", "30", "18", "未完成，扣分"],
    ["产出指标", "质量指标", "培训合格率", "≥90%", "95%", "30", "30", "", ""],
    ["效益指标", "社会效益指标", "技能覆盖率", "≥80%", "85%", "30", "30", "30", "认可"],
    ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "92%", "10", "10", "9.5", ""],
]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("审核得分", "reviewed"),
        ("主管部门评分", "reviewed"),
        ("评定得分", "reviewed"),
        ("复核得分", "reviewed"),
        ("审核得分（分）", "reviewed"),
        ("reviewed", "reviewed"),
        ("审核意见", "review_note"),
        ("复核意见", "review_note"),
        ("得分", "score"),  # the unit's own stays the unit's
        ("自评得分", "score"),
    ],
)
def test_headers_name_the_reviewer_columns(header: str, field: str) -> None:
    assert column_for_header(header) == field


def _check(document_rows: tuple[Indicator, ...]) -> None:
    first, second, third, fourth = document_rows
    assert (first.published, first.reviewed, first.review_note) == (
        D(30),
        D(18),
        "未完成，扣分",
    )
    assert (second.published, second.reviewed) == (D(30), None)
    assert third.review_note == "认可"
    assert fourth.reviewed == D("9.5")


def _csv_text() -> str:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *ROWS])
    return out.getvalue()


def test_read_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    _check(read(path).indicators)


def test_read_from_xlsx(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for row in [HEADER, *ROWS]:
        book.active.append(row)
    book.save(tmp_path / "r.xlsx")
    _check(read(tmp_path / "r.xlsx").indicators)


def test_read_from_pasted_text_with_a_total_row() -> None:
    lines = ["\t".join(["绩效指标", *HEADER])]
    lines += ["\t".join(["绩效指标", *row]) for row in ROWS]
    lines.append("\t".join(["总分", "", "", "", "", "", "100", "100", "87.5", ""]))
    document = read_text("\n".join(lines))
    _check(document.indicators)
    assert document.published_total == D(100)  # the unit's total, not the reviewer's 87.5


def test_read_from_json(tmp_path: Path) -> None:
    items = [
        dict(zip(["level1", "level2", "level3", "target", "actual", "weight", "published",
                  "reviewed", "review_note"], row, strict=True))
        for row in ROWS
    ]  # fmt: skip
    for item in items:
        if item["reviewed"] == "":
            del item["reviewed"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"indicators": items}, ensure_ascii=False), encoding="utf-8")
    _check(read(path).indicators)


def test_read_from_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=len(ROWS) + 1, cols=len(HEADER) + 1)
    for r, row in enumerate([HEADER, *ROWS]):
        for c, value in enumerate(["绩效指标", *row]):
            table.cell(r, c).text = value
    document.save(tmp_path / "r.docx")
    _check(read(tmp_path / "r.docx").indicators)


def test_bad_reviewer_score_is_a_diagnostic_and_the_row_stays(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    bad = [*ROWS[0][:7], "十八", ""]
    path.write_text(_csv_text().replace(",".join(ROWS[0]), ",".join(bad)), encoding="utf-8")
    document = read(path)
    assert len(document.indicators) == 4
    assert document.indicators[0].reviewed is None
    (diagnostic,) = document.diagnostics
    assert diagnostic.column == "审核得分"
    assert diagnostic.text == "十八"


def _evaluation(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "r.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    document = read(path)
    return evaluate(document.indicators), document


def test_compare_keeps_the_two_apart_and_explains(tmp_path: Path) -> None:
    evaluation, _ = _evaluation(tmp_path)
    assert has_review(evaluation)
    comparison = compare(evaluation)
    assert comparison.published_total == D(100)
    assert comparison.reviewed_total == D("87.5")  # 18 + 30 (not reviewed) + 30 + 9.5
    assert comparison.difference == D("-12.5")
    assert comparison.reviewed_rows == 3
    first = comparison.rows[0]
    assert first.difference == D(-12)
    assert "审核扣减 12 分" in first.explanation
    assert "与方案得分一致" in first.explanation
    assert "未审核，按自评得分计" in comparison.rows[1].explanation
    assert "方案得分 10" in comparison.rows[3].explanation
    assert "1 行未审核" in comparison.explanation
    # The unit's score is what counts in the evaluation: the reviewer's never replaces it.
    assert evaluation.total == D(100)


def test_no_reviewer_column_no_review() -> None:
    evaluation = evaluate([Indicator(row=1, target="≥1项", actual="1项", weight=D(100))])
    assert not has_review(evaluation)


@pytest.mark.parametrize(
    ("target", "actual", "flags"),
    [
        ("≥100人", "120人", ("over-120",)),
        ("≥100人", "119人", ()),
        ("=5个", "6个", ("equal-not-exact",)),
        ("=5个", "5个", ()),
        ("≤50万元", "60万元", ("reverse-miss",)),
        ("≤50万元", "40万元", ()),
        ("=5个", "3个", ("equal-miss",)),
    ],
)
def test_deduction_flags(target: str, actual: str, flags: tuple[str, ...]) -> None:
    score = score_indicator(Indicator(row=1, target=target, actual=actual, weight=D(10)))
    assert deduction_flags(score) == flags


# --- reports ------------------------------------------------------------------------------


def test_reports_show_both_side_by_side(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    _, text, _ = perfscore("score", str(path))
    assert "自评与审核对照" in text
    assert "自评总分 100，审核总分 87.5" in text
    _, out, _ = perfscore("score", str(path), "--format", "json")
    data = json.loads(out)["sheets"][0]["evaluation"]
    assert data["review"]["reviewed_total"] == "87.5"
    assert data["indicators"][0]["reviewed"] == "18.00"
    assert data["indicators"][0]["review_note"] == "未完成，扣分"
    _status, out, _ = perfscore("score", str(path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0]["审核得分"] == "18.00"
    assert rows[0]["得分"] == "30.00"
    again = tmp_path / "again.csv"
    again.write_text(out, encoding="utf-8")
    assert read(again).indicators[0].reviewed == D(18)  # the CSV report reads back
    target = tmp_path / "report.xlsx"
    assert perfscore("score", str(path), "--format", "xlsx", "-o", str(target))[0] in (0, 1)
    import openpyxl

    _, page, _ = perfscore("score", str(path), "--format", "html")
    assert "自评与审核对照" in page
    assert "自评总分 100，审核总分 87.5" in page
    notes = openpyxl.load_workbook(target)["汇总与说明"]
    texts = [c.value for row in notes.iter_rows() for c in row if isinstance(c.value, str)]
    assert "自评与审核对照" in texts
    assert "审核得分" in texts


def test_reports_without_review_columns_are_unchanged() -> None:
    _status, text, _ = perfscore("score", str(SEED002))
    assert "自评与审核对照" not in text
    data = json.loads(perfscore("score", str(SEED002), "--format", "json")[1])
    data = data["sheets"][0]["evaluation"]
    assert data["review"] is None
    assert data["total"] == "93.95"


# --- the reviewer's workbook --------------------------------------------------------------


def test_review_sheet_locks_the_unit_and_validates_the_reviewer(tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "复核表.xlsx"
    status, _out, _ = perfscore("review-sheet", str(SEED002), "-o", str(target))
    assert status == 0
    sheet = openpyxl.load_workbook(target)["复核表"]
    assert sheet.protection.sheet
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "行号")
    names = [sheet.cell(header, c).value for c in range(1, sheet.max_column + 1)]
    reviewed, note, score = names.index("审核得分") + 1, names.index("审核意见") + 1, 9
    assert names[score - 1] == "得分"
    first = header + 1
    assert not sheet.cell(first, reviewed).protection.locked
    assert not sheet.cell(first, note).protection.locked
    assert sheet.cell(first, score).protection.locked
    assert sheet.cell(first, 5).protection.locked  # 三级指标
    validations = sheet.data_validations.dataValidation
    weight = sheet.cell(first, names.index("分值") + 1).value
    mine = [v for v in validations if f"{openpyxl.utils.get_column_letter(reviewed)}{first}" in
            str(v.sqref)]  # fmt: skip
    assert len(mine) == 1
    assert mine[0].formula1 == "0"
    assert D(mine[0].formula2) == D(str(weight))


def test_review_sheet_round_trip(tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "复核表.xlsx"
    assert perfscore("review-sheet", str(SEED002), "-o", str(target))[0] == 0
    # Before anyone fills it in, it reads back to the seed's own totals.
    data = json.loads(perfscore("score", str(target), "--format", "json")[1])
    data = data["sheets"][0]["evaluation"]
    assert data["total"] == "93.95"
    assert data["computed_total"] == "95.43"
    assert data["review"] is None
    # The reviewer deducts 1 point on the first row and writes an opinion.
    book = openpyxl.load_workbook(target)
    sheet = book["复核表"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "行号")
    names = [sheet.cell(header, c).value for c in range(1, sheet.max_column + 1)]
    first = header + 1
    published = D(str(sheet.cell(first, names.index("得分") + 1).value))
    sheet.cell(first, names.index("审核得分") + 1).value = float(published - 1)
    sheet.cell(first, names.index("审核意见") + 1).value = "佐证材料不足，扣1分"
    book.save(target)
    data = json.loads(perfscore("score", str(target), "--format", "json")[1])
    data = data["sheets"][0]["evaluation"]
    assert data["total"] == "93.95"  # the unit's total is still the unit's
    review = data["review"]
    assert review["published_total"] == "93.95"
    assert review["reviewed_total"] == "92.95"
    assert review["rows"][0]["review_note"] == "佐证材料不足，扣1分"
    _, text, _ = perfscore("score", str(target))
    assert "自评与审核对照" in text
    assert "审核扣减 1 分" in text
    _status, text, _ = perfscore("audit", str(target))
    assert "93.95" in text


def test_review_sheet_needs_an_output() -> None:
    with pytest.raises(SystemExit):
        perfscore("review-sheet", str(SEED002))


def test_a_reviewer_score_above_the_weight_is_pointed_out() -> None:
    row = Indicator(row=1, target="≥1项", actual="1项", weight=D(5), published=D(5), reviewed=D(8))
    (review,) = compare(evaluate([row])).rows
    assert "审核得分超过分值 5，请核对" in review.explanation


def test_read_from_ods(tmp_path: Path) -> None:
    from forms import write_ods

    path = write_ods(tmp_path / "r.ods", {"自评表": [HEADER, *ROWS]})
    _check(read(path).indicators)


def _official_form_with_review() -> list[list[object]]:
    """The official project form with a 审核得分 column after 得分 (科普活动场次 reviewed 9)."""
    from forms import project_form_rows

    out = []
    for row in project_form_rows():
        cells = list(row)
        if cells[:2] == ["绩效指标", "一级指标"]:
            cells.insert(8, "审核得分")
        else:
            cells.insert(8, "9" if cells[3:4] == ["科普活动场次"] else None)
        out.append(cells)
    return out


def test_the_official_form_with_a_reviewer_column(tmp_path: Path) -> None:
    import openpyxl

    rows = _official_form_with_review()
    text = "\n".join("\t".join("" if c is None else str(c) for c in r) for r in rows)
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "form.xlsx")
    for document in (read_text(text), read(tmp_path / "form.xlsx")):
        assert document.published_total == D("96.08")  # the unit's total, still
        reviewed = {i.level3: i.reviewed for i in document.indicators if i.reviewed is not None}
        assert reviewed == {"科普活动场次": D(9)}
        published = {i.level3: i.published for i in document.indicators}
        assert published["科普活动场次"] == D(19)


def test_review_sheet_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    import openpyxl

    from perfscore.review.review_sheet import build_review_sheet

    row = Indicator(row=1, level3="=1+1", target="≥1项", actual="1项", weight=D(100),
                    published=D(100))  # fmt: skip
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_review_sheet(evaluate([row])))
    sheet = openpyxl.load_workbook(path)["复核表"]
    cell = next(c for r in sheet.iter_rows() for c in r if c.value == "=1+1")
    assert cell.data_type == "s"
    assert read(path).indicators[0].level3 == "=1+1"
