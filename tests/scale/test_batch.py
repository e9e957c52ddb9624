"""Tests for perfscore.scale.batch and `perfscore batch`: every file kept, totals as alone."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

import casetable
from perfscore import evaluate_document
from perfscore.cli import main
from perfscore.indicators import SELF_EVALUATION_HEADER
from perfscore.readers import read
from perfscore.scale.batch import (
    INDICATOR_COLUMNS,
    NOT_GRADED,
    PROJECT_COLUMNS,
    discover,
    open_writer,
    run_batch,
    score_file,
)

WORKBOOKS = 30


def make_workbook(path: Path, seed: int, sheets: int = 1) -> None:
    """Write a self-evaluation workbook of ten rows weighing 10 each, actuals varied by seed."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for s in range(sheets):
        sheet = book.create_sheet(f"项目{s + 1}")
        sheet.append(list(SELF_EVALUATION_HEADER))
        for k in range(10):
            target = f"≥{(k + 1) * 10}个"
            actual = f"{(k + 1) * 10 - (seed + k + s) % 7}个"
            sheet.append(
                ["目标1", "产出指标", "数量指标", f"指标{k}", target, actual, 10, None, ""]
            )
    book.save(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of generated workbooks, one with two sheets, one corrupt, one empty text."""
    root = tmp_path_factory.mktemp("batch")
    (root / "sub").mkdir()
    for n in range(WORKBOOKS):
        make_workbook(root / ("sub" if n % 3 else ".") / f"unit{n:03}.xlsx", n)
    make_workbook(root / "two-sheets.xlsx", 99, sheets=2)
    (root / "broken.xlsx").write_bytes(b"not a workbook")
    (root / "notes.md").write_text("ignored: not an input suffix", encoding="utf-8")
    return root


def summary_rows(out: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Read the CSV summary's two tables."""
    with open(out, encoding="utf-8-sig", newline="") as f:
        projects = list(csv.DictReader(f))
    with open(out.with_name(out.stem + "-indicators.csv"), encoding="utf-8-sig", newline="") as f:
        indicators = list(csv.DictReader(f))
    return projects, indicators


def test_batch_cli_lists_every_file_with_single_file_totals(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI scores a folder in two processes; each project total equals single-file scoring."""
    out = tmp_path / "summary.csv"
    status = main(["batch", str(folder), "-o", str(out), "--jobs", "2"])
    assert status == 1  # broken.xlsx failed, and the exit status says so
    projects, indicators = summary_rows(out)
    files = {p["file"] for p in projects if p["status"] != "skipped"}
    assert files == set(discover([folder]))
    assert len(files) == WORKBOOKS + 2
    skipped = [p for p in projects if p["status"] == "skipped"]
    assert [p["file"] for p in skipped] == [str(folder / "notes.md")]
    assert "not a format perfscore reads: .md" in skipped[0]["reason"]
    projects = [p for p in projects if p["status"] != "skipped"]
    by_key = {(p["file"], p["sheet"]): p for p in projects}
    assert by_key[(str(folder / "broken.xlsx"), "")]["status"] == "failed"
    assert "无法打开" in by_key[(str(folder / "broken.xlsx"), "")]["reason"]
    for (file, sheet), project in by_key.items():
        if project["status"] == "failed":
            continue
        single = evaluate_document(read(file, sheet=sheet))
        assert Decimal(project["total"]) == single.total
        assert project["grade"] == single.grade
        assert project["status"] == "scored"
        assert int(project["indicators"]) == 10
    assert len(indicators) == 10 * (WORKBOOKS + 2)
    assert "读取失败 (failed)" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["xlsx", "jsonl", "parquet"])
def test_every_format_holds_the_same_projects(folder: Path, tmp_path: Path, fmt: str) -> None:
    """XLSX, JSON Lines and Parquet summaries hold the same project totals as exact values."""
    out = tmp_path / f"summary.{fmt}"
    counts = run_batch([folder / "sub"], open_writer(out, lang="en"), jobs=1)
    assert counts["failed"] == 0
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        rows = list(book["项目"].values)
        assert rows[0] == PROJECT_COLUMNS
        assert next(iter(book["指标"].values)) == INDICATOR_COLUMNS
        # Numbers are numbers; str() of the double gives back the Decimal's digits.
        totals = [Decimal(str(r[PROJECT_COLUMNS.index("total")])) for r in rows[1:]]
    elif fmt == "jsonl":
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        totals = [Decimal(r["total"]) for r in lines if r["record"] == "project"]
        assert sum(r["record"] == "indicator" for r in lines) == 10 * len(totals)
    else:
        totals = list(pq.read_table(out).column("total").to_pylist())
        assert pq.read_table(out.with_name("summary-indicators.parquet")).num_rows == 10 * len(
            totals
        )
    files = discover([folder / "sub"])
    assert totals == [evaluate_document(read(f)).total for f in files]


def test_discover_keeps_unmatched_paths_and_globs(folder: Path) -> None:
    """A glob expands in order; a path that matches nothing stays, to be reported as failed."""
    found = discover(
        [str(folder / "unit00*.xlsx"), folder / "missing.csv", folder / "unit000.xlsx"]
    )
    assert found == [
        str(folder / "unit000.xlsx"),
        str(folder / "unit003.xlsx"),
        str(folder / "unit006.xlsx"),
        str(folder / "unit009.xlsx"),
        str(folder / "missing.csv"),
    ]
    assert discover([str(folder / "nothing-*.xlsx")]) == [str(folder / "nothing-*.xlsx")]


def test_missing_and_empty_files_are_rows(tmp_path: Path) -> None:
    """A missing file is failed and a file with no indicator rows is empty, both not graded."""
    missing = score_file(str(tmp_path / "gone.xlsx"))
    assert missing.failed
    assert missing.projects[0]["reason"] == "找不到文件 (file not found)"
    empty = tmp_path / "empty.csv"
    empty.write_text(
        "一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n", encoding="utf-8"
    )
    result = score_file(str(empty))
    assert [p["status"] for p in result.projects] == ["empty"]
    assert result.projects[0]["grade"] == NOT_GRADED


def test_rows_needing_review_leave_the_project_ungraded(tmp_path: Path) -> None:
    """One unreadable actual makes the project needs_review and ungraded, with the reason."""
    path = tmp_path / "review.xlsx"
    make_workbook(path, 1)
    book = openpyxl.load_workbook(path)
    book.active["F2"] = "见附件"
    book.save(path)
    project = score_file(str(path)).projects[0]
    assert project["status"] == "needs_review"
    assert project["grade"] == NOT_GRADED
    assert project["needs_review"] == 1
    assert "1 of 10 rows need review" in project["reason"]


def test_batch_rejects_bad_jobs_and_schemes(tmp_path: Path) -> None:
    """--jobs 0 is a usage error and an unknown scheme stops before any file is read."""
    out = str(tmp_path / "s.csv")
    assert main(["batch", str(tmp_path), "-o", out, "--jobs", "0"]) == 2
    assert main(["batch", str(tmp_path), "-o", out, "--scheme", "no-such-scheme"]) == 1


def test_reader_and_scoring_crashes_fail_one_file_not_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception while reading or scoring becomes that file's failed row."""
    path = tmp_path / "one.xlsx"
    make_workbook(path, 1)
    import perfscore.readers

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(perfscore.readers, "read_all", explode)
    result = score_file(str(path))
    assert result.failed
    assert result.projects[0]["reason"] == "读取失败 (could not read: RuntimeError: boom)"
    monkeypatch.undo()
    monkeypatch.setattr("perfscore.review.audit.finding_counts", explode)
    result = score_file(str(path))
    assert [p["status"] for p in result.projects] == ["failed"]
    assert result.indicators == ()
    assert "could not score: RuntimeError: boom" in result.projects[0]["reason"]


def test_formula_like_texts_stay_text_in_xlsx(tmp_path: Path) -> None:
    """A target "=100%" is written quoted so that Excel keeps it as text, not a formula."""
    src = tmp_path / "in"
    src.mkdir()
    make_workbook(src / "f.xlsx", 0)
    book = openpyxl.load_workbook(src / "f.xlsx")
    book.active["E2"] = "'=100%"
    book.save(src / "f.xlsx")
    out = tmp_path / "s.xlsx"
    run_batch([src], open_writer(out), jobs=1)
    rows = list(openpyxl.load_workbook(out)["指标"].values)
    assert rows[1][INDICATOR_COLUMNS.index("target")] == "'=100%"


def _status_cases() -> list[tuple[str, ...]]:
    return casetable.load_rows("batch_status.tsv")


@pytest.mark.parametrize(("cell", "value", "status", "grade", "reason"), _status_cases())
def test_project_status_follows_the_case_table(
    tmp_path: Path, cell: str, value: str, status: str, grade: str, reason: str
) -> None:
    """Each row of tests/data/batch_status.tsv gives the project status, grade and reason."""
    path = tmp_path / "case.xlsx"
    make_workbook(path, 0)
    if cell != "-":
        book = openpyxl.load_workbook(path)
        # Weight and score cells hold numbers where the text is one, as Excel stores them.
        numeric = cell[0] in "GH" and value.replace(".", "", 1).lstrip("-").isascii()
        book.active[cell] = (Decimal(value) if numeric and value else value) or None
        book.save(path)
    project = score_file(str(path)).projects[0]
    assert (project["status"], project["grade"]) == (status, grade), project["reason"]
    if reason:
        assert reason in project["reason"]
    else:
        assert project["reason"] == ""


def test_every_sheet_of_an_ods_workbook_is_scored(tmp_path: Path) -> None:
    """A multi-sheet .ods gives one project per table sheet and an EMPTY row for a notes sheet."""
    pytest.importorskip("odf")
    from forms import write_ods

    path = tmp_path / "book.ods"
    table = [
        ["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["甲", "≥10人", "12人", "100", "100"],
    ]
    write_ods(path, {"项目一": table, "说明": [["填表说明"]], "项目二": table})
    result = score_file(str(path))
    assert [(p["sheet"], p["status"]) for p in result.projects] == [
        ("项目一", "scored"),
        ("说明", "empty"),
        ("项目二", "scored"),
    ]


def test_xlsx_summary_charts_grades_and_totals(folder: Path, tmp_path: Path) -> None:
    """The XLSX summary's 图表 sheet counts projects by grade (or status) and totals by band."""
    out = tmp_path / "summary.xlsx"
    run_batch([folder], open_writer(out), jobs=1)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["项目", "指标", "图表"]
    charts = book["图表"]
    assert len(charts._charts) == 2
    projects = list(book["项目"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in book["项目"][1]]
    status, grade = header.index("状态"), header.index("等级")
    expected: dict[str, int] = {}
    for p in projects:
        label = p[grade] if p[status] == "已评分" else p[status]
        expected[label] = expected.get(label, 0) + 1
    counted = {}
    for name, n in charts.iter_rows(min_row=2, max_col=2, values_only=True):
        if name == "总分区间（已评级）":
            break
        if name is not None:
            counted[name] = n
    assert counted == expected
    assert sum(counted.values()) == len(projects)


def test_xlsx_summary_is_laid_out_for_a_chinese_reviewer(folder: Path, tmp_path: Path) -> None:
    """Chinese headers and status words, totals as numbers with two places, widths, frozen
    header, filter, and A4 landscape one page wide, on both sheets."""
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--jobs", "1"]) == 1  # broken.xlsx
    book = openpyxl.load_workbook(out)
    projects, indicators = book["项目"], book["指标"]
    header = [c.value for c in projects[1]]
    assert header[:7] == ["状态", "文件", "工作表", "单位", "项目", "总分", "等级"]
    assert [c.value for c in indicators[1]][3:8] == [
        "行",
        "绩效目标",
        "一级指标",
        "二级指标",
        "三级指标",
    ]
    rows = list(projects.iter_rows(min_row=2))
    statuses = {r[0].value for r in rows}
    assert statuses == {"已评分", "读取失败", "未读取"}
    scored = [r for r in rows if r[0].value == "已评分"]
    total = scored[0][header.index("总分")]
    assert isinstance(total.value, float)
    assert total.number_format == "0.00"
    failed = next(r for r in rows if r[0].value == "读取失败")
    assert failed[header.index("等级")].value == "未评级"
    assert isinstance(failed[header.index("指标数")].value, int)
    counted = next(indicators.iter_rows(min_row=2))[
        [c.value for c in indicators[1]].index("计入得分")
    ]
    assert isinstance(counted.value, float)
    assert counted.number_format == "0.00"
    assert {c.value for c in indicators["O"][1:]} <= {
        "满分",
        "部分得分",
        "零分",
        "按填报",
        "需复核",
    }
    for sheet in (projects, indicators):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"
    assert projects.column_dimensions["B"].width == 36
    assert projects.column_dimensions["M"].width == 60


def test_xlsx_summary_english_profile(folder: Path, tmp_path: Path) -> None:
    """``--lang en`` keeps the column keys and status values, numbers still numbers."""
    out = tmp_path / "summary.xlsx"
    main(["batch", str(folder / "sub"), "-o", str(out), "--jobs", "1", "--lang", "en"])
    rows = list(openpyxl.load_workbook(out)["项目"].values)
    assert rows[0] == PROJECT_COLUMNS
    assert {r[0] for r in rows[1:]} == {"scored"}
    assert all(isinstance(r[PROJECT_COLUMNS.index("total")], float) for r in rows[1:])


def test_a_killed_runs_temporary_files_are_removed_by_the_next(tmp_path: Path) -> None:
    """A run killed while splicing an XLSX summary's rows left ``.NAME.PID.tmp.rows``."""
    from perfscore.scale._atomic import AtomicOutputs, temp_path

    output = tmp_path / "summary.xlsx"
    left = [temp_path(output, 4242), tmp_path / ".summary.xlsx.4242.tmp.rows"]
    kept = [tmp_path / ".summary.xlsx.notapid.tmp", tmp_path / ".summary.xlsx.4242.tmpx",
            tmp_path / ".other.xlsx.4242.tmp", tmp_path / "summary.xlsx.4242.tmp"]  # fmt: skip
    for path in (*left, *kept):
        path.write_bytes(b"x")
    outputs = AtomicOutputs([output])
    outputs.abort()
    assert [p for p in left if p.exists()] == []
    assert all(p.exists() for p in kept)


def test_a_failed_splice_leaves_no_rows_file(tmp_path: Path) -> None:
    from perfscore.scale import summary_xlsx

    book = tmp_path / ".summary.xlsx.1.tmp"
    book.write_bytes(b"not a zip")
    with pytest.raises(Exception, match="zip"):
        summary_xlsx.splice(book, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".summary.xlsx.1.tmp"]
