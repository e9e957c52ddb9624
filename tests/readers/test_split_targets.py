"""Issue 19 items 1–3: targets split over columns, 年初/调整后 targets, the row's own standard.

Budget systems (预算管理一体化) export a target as 计算符号 | 指标值 | 计量单位; every reader
must compose them into one target, show where each part came from, and send a row
whose comparator column contradicts its value cell to review.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import evaluate_document
from perfscore.readers import read, read_text
from perfscore.score.scoring import Status, score_indicator

HEADER = ["一级指标", "二级指标", "三级指标", "计算符号", "指标值", "计量单位", "实际完成值",
          "分值", "得分"]  # fmt: skip
ROWS = [
    ["产出指标", "时效指标", "办结时间", "≤", "30", "天", "40", "5", "5"],
    ["产出指标", "数量指标", "服务人次", "≥", "2", "万人次", "15000人次", "2", "2"],
    ["产出指标", "成本指标", "成本控制", "≤", "50", "万元", "48.6", "5", "5"],
    ["效益指标", "社会效益指标", "覆盖率", "≤", "≥95%", "%", "96", "5", "5"],
    ["满意度指标", "服务对象满意度指标", "满意度", "正向", "90", "%", "92", "5", "5"],
    ["效益指标", "可持续影响指标", "长效机制", "定性", "健全", "", "健全", "3", "3"],
]
# (target, actual, status, computed) the rows above must give.
EXPECTED = [
    ("≤30天", "40天", Status.PARTIAL, Decimal("3.75")),
    ("≥2万人次", "15000人次", Status.PARTIAL, Decimal("1.50")),
    ("≤50万元", "48.6万元", Status.FULL, Decimal("5.00")),
    ("≥95%", "96%", Status.NEEDS_REVIEW, None),
    ("≥90%", "92%", Status.FULL, Decimal("5.00")),
    ("健全", "健全", Status.FULL, Decimal("3.00")),
]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])
    return path


def _write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _write_docx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import docx

    document = docx.Document()
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(path)
    return path


def _write_json(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    items = [dict(zip(header, row, strict=True)) for row in rows]
    path.write_text(json.dumps({"indicators": items}, ensure_ascii=False), encoding="utf-8")
    return path


def _write_txt(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join("\t".join(r) for r in [header, *rows]), encoding="utf-8")
    return path


WRITERS = {
    "csv": _write_csv,
    "xlsx": _write_xlsx,
    "docx": _write_docx,
    "json": _write_json,
    "txt": _write_txt,
}


@pytest.mark.parametrize("suffix", WRITERS)
def test_three_column_targets_in_every_format(tmp_path: Path, suffix: str) -> None:
    """计算符号 | 指标值 | 计量单位: composed, the unit on a bare actual, ≤ kept a ceiling."""
    document = read(WRITERS[suffix](tmp_path / f"t.{suffix}", HEADER, ROWS))
    rows = document.indicators
    assert len(rows) == len(ROWS)  # rows in = rows out
    got = []
    for indicator in rows:
        score = score_indicator(indicator, recompute=True)
        got.append((indicator.target, indicator.actual, score.status, score.computed))
    assert got == EXPECTED
    first = rows[0]
    assert (first.comparator, first.unit) == ("≤", "天")
    assert first.composed_from == (
        "计算符号「≤」 + 指标值「30」 + 计量单位「天」；实际完成值「40」 + 计量单位「天」"
    )
    review = score_indicator(rows[3])
    assert "计算符号「≤」与指标值「≥95%」中的「≥」矛盾" in review.explanation
    assert "超出" not in score_indicator(rows[1]).explanation


def test_unknown_comparator_needs_review() -> None:
    """A comparator word perfscore does not know is never guessed."""
    text = "\t".join(HEADER) + "\n" + "\t".join(["产出指标", "数量指标", "甲", "约", "3", "个",
                                                 "3", "2", "2"])  # fmt: skip
    indicator = read_text(text).indicators[0]
    assert "无法识别" in indicator.read_problem
    assert score_indicator(indicator).status is Status.NEEDS_REVIEW


@pytest.mark.parametrize("comparator", ["≥", ">=", "大于等于", "正向"])
def test_comparator_spellings_mean_a_floor(comparator: str) -> None:
    """≥, >=, 大于等于 and 正向 all make the number a floor."""
    text = (
        "\t".join(HEADER)
        + "\n"
        + "\t".join(["产出指标", "数量指标", "甲", comparator, "10", "个", "8", "5", ""])
    )
    indicator = read_text(text).indicators[0]
    assert (indicator.target, indicator.actual) == ("≥10个", "8个")
    assert score_indicator(indicator).computed == Decimal("4.00")


@pytest.mark.parametrize("comparator", ["≤", "<=", "小于等于", "反向"])
def test_comparator_spellings_mean_a_ceiling(comparator: str) -> None:
    """≤, <=, 小于等于 and 反向 all make the number a ceiling."""
    text = (
        "\t".join(HEADER)
        + "\n"
        + "\t".join(["产出指标", "时效指标", "甲", comparator, "30", "天", "40", "5", ""])
    )
    indicator = read_text(text).indicators[0]
    assert indicator.target == "≤30天"
    assert score_indicator(indicator).status is not Status.FULL


def test_target_table_reads_split_columns() -> None:
    """The 绩效目标表 reader composes a 计算符号 / 指标值 / 计量单位 table too."""
    from perfscore.readers.target_table import parse_target_table_text

    text = (
        " [bookmark: _Toc1]1.测试项目绩效目标表\n\t331101测试单位\n\t单位：万元\n\n"
        "\t项目名称\n\t测试项目\n\n\t绩效目标\n\t1.目标\n\n\x20\n"
        "\t一级指标\n\t二级指标\n\t三级指标\n\t计算符号\n\t指标值\n\t计量单位\n"
        "\n\t产出指标\n\t时效指标\n\t办结时间\n\t≤\n\t30\n\t天\n"
    )
    document = parse_target_table_text(text, file="t.txt")
    [indicator] = document.indicators
    assert (indicator.target, indicator.comparator, indicator.unit) == ("≤30天", "≤", "天")


ADJUSTED = ["一级指标", "二级指标", "三级指标", "年初指标值", "调整后指标值", "实际完成值",
            "分值", "得分", "评(扣)分标准", "得分系数"]  # fmt: skip


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "docx", "json", "txt"])
def test_adjusted_target_is_scored_and_both_kept(tmp_path: Path, suffix: str) -> None:
    """年初指标值 and 调整后指标值: scored against the adjusted one, both on the row."""
    rows = [
        ["产出指标", "数量指标", "培训人次", "≥1000人次", "≥800人次", "850人次", "10", "10",
         "完成调整后目标得满分", "1"],
        ["产出指标", "质量指标", "合格率", "≥95%", "", "90%", "10", "9", "按比例扣分", "0.8"],
    ]  # fmt: skip
    document = read(WRITERS[suffix](tmp_path / f"a.{suffix}", ADJUSTED, rows))
    first, second = document.indicators
    assert (first.initial_target, first.adjusted_target, first.target) == (
        "≥1000人次",
        "≥800人次",
        "≥800人次",
    )
    assert first.composed_from == "调整后指标值「≥800人次」"
    assert score_indicator(first).status is Status.FULL
    assert second.target == "≥95%"  # no adjustment: the original target
    assert (first.standard, first.coefficient) == ("完成调整后目标得满分", Decimal(1))
    assert second.coefficient == Decimal("0.8")
    result = evaluate_document(document)
    assert len(result.scores) == 2


SPLIT_ADJUSTED = """\
一级指标,二级指标,三级指标,计算符号,年初指标值,调整后指标值,计量单位,实际完成值,分值,得分,评(扣)分标准,得分系数
产出指标,数量指标,培训人次,≥,1000,800,人次,850,50,50,完成调整后目标得满分,1
产出指标,质量指标,合格率,≥,95,,%,90,50,45,按比例扣分,0.8
"""


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "html", "xlsx"])
def test_every_report_shows_the_adjustment_and_standard(tmp_path: Path, fmt: str) -> None:
    """Text, CSV, JSON, HTML and XLSX reports show 年初/调整后, 评(扣)分标准 and 得分系数."""
    from perfscore.cli import main

    source = tmp_path / "a.csv"
    source.write_text(SPLIT_ADJUSTED, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    main(["score", str(source), "--format", fmt, "--output", str(out)])
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(out)
        text = "\n".join(
            str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row
        )
    else:
        text = out.read_text(encoding="utf-8-sig")
    for shown in ("1000", "完成调整后目标得满分", "按比例扣分", "0.8"):
        assert shown in text, shown
    assert "调整后" in text or "adjusted_target" in text


def test_coefficient_is_checked_against_score_over_weight(tmp_path: Path) -> None:
    """得分系数 0.8 beside 45 of 50 (0.9): a coefficient-mismatch finding; 1 beside 50/50: none."""
    from perfscore.review.audit import audit

    source = tmp_path / "a.csv"
    source.write_text(SPLIT_ADJUSTED, encoding="utf-8")
    document = read(source)
    findings = audit(evaluate_document(document), document)
    mismatched = [f.row for f in findings if f.code == "coefficient-mismatch"]
    assert mismatched == [3]
    adjusted = [f for f in findings if f.code == "target-adjusted"]
    assert [f.row for f in adjusted] == [2]
    assert "1000" in adjusted[0].message


def test_ods_three_column_targets(tmp_path: Path) -> None:
    """.ods (and .xls, through the same calamine reader) composes split targets too."""
    import forms

    path = forms.write_ods(tmp_path / "t.ods", {"指标": [HEADER, *ROWS]})
    rows = read(path).indicators
    assert [(i.target, i.actual) for i in rows] == [(t, a) for t, a, _, _ in EXPECTED]


def test_unit_column_naming_an_organisation_is_not_a_unit() -> None:
    """单位 holding 某市科学技术局 (the budget unit) is never appended to a number."""
    header = ["单位", "一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]
    row = ["某市科学技术局", "产出指标", "数量指标", "甲", "≥10个", "12", "5", "5"]
    text = "\t".join(header) + "\n" + "\t".join(row)
    indicator = read_text(text).indicators[0]
    assert (indicator.target, indicator.actual, indicator.composed_from) == ("≥10个", "12", "")
