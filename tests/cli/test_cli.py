"""Tests for perfscore.cli: the ``perfscore`` command's output and exit codes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import perfscore.cli as cli_module
from perfscore.cli import build_parser, main
from perfscore.readers.tabular import BAD_XLSX

DATA = Path(__file__).parents[2] / "examples/data"
SEED = str(DATA / "tianjin-2024-self-evaluation.txt")
BUDGET = ["--budget", "176875.03", "--executed", "170639.2"]
HEADER = "绩效目标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"
# Malformed inputs: (file name, content, text stderr must contain).
MALFORMED = (
    (
        "bad-weight.csv",
        HEADER + "绩效目标1,产出指标,数量指标,培训人次,≥500人次,450人次,十分,9\n",
        "第2行 (row 2), 列「分值」(column 分值), 「十分」",
    ),
    (
        "missing-column.csv",
        "绩效目标,一级指标,三级指标,实际完成值,得分\n绩效目标1,产出指标,培训人次,450人次,9\n",
        "缺少必需的列「年度指标值」(missing required column: target)",
    ),
    (
        "unknown-unit.csv",
        HEADER + "绩效目标1,产出指标,数量指标,培训,≥500人次,450筐,10,\n",
        "第2行 (row 2), 列「实际完成值」(column 实际完成值), 「450筐」: 单位「筐」无法识别",
    ),
    (
        "bad-target.csv",
        HEADER + "绩效目标1,产出指标,数量指标,培训,≥,450人次,10,\n",
        "第2行 (row 2), 列「年度指标值」(column 年度指标值), 「≥」",
    ),
)


def _evaluation(output: str) -> dict[str, object]:
    """The one sheet's evaluation in ``score --format json`` output (perfscore.workbook/2)."""
    data = json.loads(output)
    assert data["schema"] == "perfscore.workbook/2"
    assert len(data["sheets"]) == 1
    evaluation: dict[str, object] = data["sheets"][0]["evaluation"]
    return evaluation


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _total(table: str) -> str:
    match = re.search(r"^总分\s+\d+\s+(\S+)$", table, re.M)
    assert match, table
    return match.group(1)


def test_score_seed_text(capsys: pytest.CaptureFixture[str]) -> None:
    """``perfscore score`` on the seed text prints total 93.95 and grade 优, exit 0."""
    code, out, err = _run(capsys, "score", SEED)
    assert code == 0, err
    assert _total(out) == "93.95"
    assert "自评等级：优" in out


def test_score_recompute(capsys: pytest.CaptureFixture[str]) -> None:
    """``--recompute`` counts the scheme's scores: 95.43."""
    code, out, _ = _run(capsys, "score", SEED, "--recompute")
    assert code == 0
    assert _total(out) == "95.43"


@pytest.mark.parametrize("name", ["tianjin-2024.csv", "tianjin-2024.xlsx"])
def test_csv_and_xlsx_give_the_seed_total(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """The CSV and the XLSX with --budget/--executed give the seed's computed-execution total."""
    code, out, err = _run(capsys, "score", str(DATA / name), *BUDGET, "--format", "json")
    assert code == 0, err
    data = _evaluation(out)
    assert (data["total"], data["grade"]) == ("93.95", "优")
    assert data["execution"]["budget"] == "176875.03"


def test_every_row_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    """Every input row appears in the JSON output, in input order."""
    _, out, _ = _run(capsys, "score", str(DATA / "tianjin-2024.csv"), "--format", "json")
    rows = [r["row"] for r in _evaluation(out)["indicators"]]
    assert len(rows) == 60
    assert rows == sorted(rows)


def test_year_override(capsys: pytest.CaptureFixture[str]) -> None:
    """``--year`` overrides the document's year."""
    _, out, _ = _run(capsys, "score", SEED, "--year", "2025", "--format", "json")
    assert _evaluation(out)["year"] == 2025


def test_json_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Scoring the JSON written by ``score --format json`` gives the same total."""
    report = tmp_path / "report.json"
    assert main(["score", SEED, "--format", "json", "-o", str(report)]) == 0
    code, out, _ = _run(capsys, "score", str(report), "--format", "json")
    assert code == 0
    assert _evaluation(out)["total"] == "93.95"
    assert _evaluation(out)["document"]["department"] == "天津市科学技术局"


def test_xlsx_output(tmp_path: Path) -> None:
    """``--format xlsx -o`` writes a workbook whose total row says 93.95."""
    out = tmp_path / "自评表.xlsx"
    assert main(["score", SEED, "--format", "xlsx", "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    total = next(c.row for c in sheet["A"] if c.value == "总分")
    assert sheet.cell(row=total, column=8).value == pytest.approx(93.95)


def test_csv_output_file_has_bom(tmp_path: Path) -> None:
    """A CSV written with -o starts with a BOM so Excel shows the Chinese."""
    out = tmp_path / "report.csv"
    assert main(["score", SEED, "--format", "csv", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_scheme_option(capsys: pytest.CaptureFixture[str]) -> None:
    """``--scheme`` takes a preset name; a missing scheme is exit 1 with a message."""
    code, out, _ = _run(capsys, "score", SEED, "--scheme", "provincial-bands", "--recompute")
    assert code == 0
    assert "provincial-bands" in out
    code, _, err = _run(capsys, "score", SEED, "--scheme", "nope")
    assert code == 1
    assert "找不到方案「nope」" in err


@pytest.mark.parametrize(("name", "content", "message"), MALFORMED)
def test_malformed_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: str, message: str
) -> None:
    """Malformed inputs exit 1 with a message naming row and column, and no traceback."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "score", str(path))
    assert code == 1
    assert message in err
    assert "Traceback" not in err
    assert "总分" in out  # the table is still written, no row dropped


def test_truncated_xlsx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A truncated XLSX exits 1 with a message naming the file."""
    path = tmp_path / "broken.xlsx"
    path.write_bytes((DATA / "tianjin-2024.xlsx").read_bytes()[:2000])
    code, out, err = _run(capsys, "score", str(path))
    assert code == 1
    assert out == ""
    assert err == f"perfscore: {path}: {BAD_XLSX}\n"
    assert "BadZipFile" not in err


def test_error_rows_are_kept(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A row with a bad weight is still in the JSON output, and the exit status is 1."""
    path = tmp_path / "rows.csv"
    path.write_text(
        HEADER + "g,产出指标,数量指标,a,≥1项,1项,x,\ng,产出指标,数量指标,b,≥1项,1项,5,\n"
    )
    code, out, _ = _run(capsys, "score", str(path), "--format", "json")
    assert code == 1
    assert [r["level3"] for r in _evaluation(out)["indicators"]] == ["a", "b"]


@pytest.mark.parametrize(
    "argv",
    [
        ["score", SEED, "--budget", "1"],
        ["score", SEED, "--format", "xlsx"],
        ["score", SEED, "--budget", "abc", "--executed", "1"],
        ["score"],
        ["nonsense"],
        [],
    ],
)
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """Usage errors exit 2 without a traceback."""
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file exits 1 naming it."""
    code, _, err = _run(capsys, "score", "no-such-file.csv")
    assert (code, err) == (1, "perfscore: no-such-file.csv: 找不到文件 (file not found)\n")


def test_parse_json(capsys: pytest.CaptureFixture[str]) -> None:
    """``parse --format json`` gives one object per text, with an error object for a bad text."""
    texts = ["≥135人", "2023年12月31日前", "2023年1-12月", "提升", "主场活动2场，不少于1万场", "≥"]
    code, out, _ = _run(capsys, "parse", "--format", "json", *texts)
    assert code == 1
    data = json.loads(out)
    assert data["schema"] == "perfscore.parse/1"
    results = data["results"]
    assert [r["text"] for r in results] == texts
    kinds = ["quantity", "deadline", "period", "qualitative", "compound", None]
    assert [r["kind"] for r in results] == kinds
    assert results[0]["magnitude"] == "135"
    assert results[-1]["error"]["position"] == [0, 1]
    assert results[-1]["error"]["message"].startswith("比较符号后缺少数值")


def test_parse_table_and_caret(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json, parse prints a table and draws a caret under a bad text on stderr."""
    code, out, err = _run(capsys, "parse", "≥2万人次", "≥")
    assert code == 1
    assert "≥20000人次" in out
    assert "    ≥\n    ^" in err


def test_parse_actual(capsys: pytest.CaptureFixture[str]) -> None:
    """``--actual`` reads texts as actual values, with their outcome."""
    code, out, _ = _run(capsys, "parse", "--json", "--actual", "已完成")
    assert code == 0
    assert json.loads(out)["results"][0]["outcome"] == "达成"  # --json: the old --format json


def test_read_json(capsys: pytest.CaptureFixture[str]) -> None:
    """``read --format json`` shows projects with their rows and the diagnostics."""
    code, out, _ = _run(capsys, "read", str(DATA / "targets-tianjin-kexie.txt"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert len(data["projects"]) == 5
    first = data["projects"][0]
    assert {"name", "code", "unit", "budget", "goals", "spending_plan"} <= first.keys()
    assert {"level1", "level2", "level3", "target"} <= first["indicators"][0].keys()
    assert data["diagnostics"] == []


def test_read_table(capsys: pytest.CaptureFixture[str]) -> None:
    """``read`` shows the self-evaluation as one project with its metadata."""
    code, out, _ = _run(capsys, "read", SEED)
    assert code == 0
    assert "天津市科学技术局" in out
    assert "（60 行指标）" in out


def test_schemes(capsys: pytest.CaptureFixture[str]) -> None:
    """``schemes`` lists every preset and a table of what differs."""
    code, out, _ = _run(capsys, "schemes")
    assert code == 0
    for name in ("mof2020", "provincial-bands", "vendor-linear", "department"):
        assert name in out
    assert re.search(r"^    舍入位数 rounding.places\s+1\s+2$", out, re.M)  # provincial-bands
    assert re.search(r"^舍入位数 rounding.places\s+2$", out, re.M)  # every setting, mof2020


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _many_rows(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "many.csv"
    lines = [f"g,产出指标,数量指标,指标{n},≥1项,1项,1,1" for n in range(count)]
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_progress_on_a_terminal(tmp_path: Path) -> None:
    """Scoring more than 1000 rows shows a progress line when stderr is a terminal."""
    args = build_parser().parse_args(["score", str(_many_rows(tmp_path, 1500)), "--format", "csv"])
    stderr = _Terminal()
    args.handler(args, io.StringIO(), stderr)
    assert "1500/1500" in stderr.getvalue()


def test_no_progress_when_piped(tmp_path: Path) -> None:
    """No progress line is written when stderr is not a terminal."""
    args = build_parser().parse_args(["score", str(_many_rows(tmp_path, 1500)), "--format", "csv"])
    stderr = io.StringIO()
    args.handler(args, io.StringIO(), stderr)
    assert "1500/1500" not in stderr.getvalue()


def test_module_entry_point() -> None:
    """``python -m perfscore`` runs the same command."""
    done = subprocess.run(
        [sys.executable, "-m", "perfscore", "score", SEED],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "93.95" in done.stdout


def test_score_without_budget_rows_is_not_graded(capsys: pytest.CaptureFixture[str]) -> None:
    """A table whose weights do not reach 100 prints why it is not graded first, and exits 1."""
    code, out, err = _run(capsys, "score", str(DATA / "tianjin-2024.csv"))
    assert code == 1
    assert out.splitlines()[1].startswith("【不评定等级 NOT GRADED】")
    assert "不等于满分 100" in err


def test_broken_pipe_exits_quietly() -> None:
    """``perfscore lint … | head -1`` ends without a BrokenPipe traceback."""
    target = str(DATA / "targets-tangshan-kexie.txt")
    pipeline = f"{sys.executable} -m perfscore lint {target} | head -1"
    done = subprocess.run(pipeline, shell=True, capture_output=True, text=True, check=False)
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr
    assert done.stdout.startswith(target)


def test_csv_on_stdout_has_a_bom(capsys: pytest.CaptureFixture[str]) -> None:
    """CSV written to stdout starts with a BOM (Chinese Excel), unless --no-bom."""
    _, out, _ = _run(capsys, "score", SEED, "--format", "csv")
    assert out.startswith("\ufeff行号")
    _, out, _ = _run(capsys, "score", SEED, "--format", "csv", "--no-bom")
    assert out.startswith("行号")


def test_output_folders_are_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o out/report.xlsx works when out/ does not exist yet, as the guides tell users."""
    out = tmp_path / "out" / "sub" / "report.xlsx"
    code, _, err = _run(capsys, "score", SEED, "--format", "xlsx", "-o", str(out))
    assert (code, err) == (0, f"已写出 {out}（xlsx）(wrote {out})\n")
    assert out.is_file()


def test_output_format_follows_the_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o x.json`` writes JSON without --format; ``--quiet`` leaves stderr empty."""
    out = tmp_path / "x.json"
    code, stdout, err = _run(capsys, "score", SEED, "-o", str(out), "--quiet")
    assert (code, stdout, err) == (0, "", "")
    assert _evaluation(out.read_text(encoding="utf-8"))["total"] == "93.95"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "r.xlsx", "--format", "json"], "输出文件 r.xlsx 的扩展名与 --format json 不一致"),
        (["-o", "r.pdf"], "无法从 r.pdf 判断输出格式"),
    ],
)
def test_output_name_that_lies_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """A format the -o name contradicts, or cannot name, is a usage error; nothing written."""
    code, _, err = _run(capsys, "score", SEED, *argv)
    assert code == 2
    assert message in err
    assert not Path(argv[1]).exists()


def test_missing_excel_extra_on_write_is_a_clean_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without openpyxl, --format xlsx says how to install it instead of a traceback."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, _, err = _run(capsys, "score", SEED, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert code == 1
    assert "pip install 'perfscore[excel]'" in err


def test_xlsx_execution_rate_is_a_number(tmp_path: Path) -> None:
    """The XLSX report's 执行率 is a percentage number (96.47%), not a 28-digit text."""
    out = tmp_path / "r.xlsx"
    assert main(["score", SEED, "-o", str(out), "--quiet"]) == 0
    sheet = openpyxl.load_workbook(out)["自评表"]
    label = next(c for row in sheet.iter_rows() for c in row if c.value == "执行率(B/A)")
    cells = [sheet.cell(row=label.row, column=label.column + k) for k in range(1, 4)]
    (cell,) = [c for c in cells if c.value is not None]
    assert isinstance(cell.value, float)
    assert cell.number_format == "0.00%"
    assert abs(cell.value - 170639.2 / 176875.03) < 1e-12


def test_collector_thresholds_are_raised_while_a_command_runs_and_restored_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI collects cyclic garbage less often while it works (big files), and leaves a
    program that calls main() as it found it — after a failing command too."""
    import gc

    from perfscore.cli import GC_THRESHOLDS

    seen: list[tuple[int, int, int]] = []
    real_evaluate = cli_module._evaluate

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return real_evaluate(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_module, "_evaluate", spy)
    before = gc.get_threshold()
    assert main(["score", SEED, "--format", "csv", "-o", str(tmp_path / "out.csv")]) == 0
    assert seen == [GC_THRESHOLDS]
    assert gc.get_threshold() == before
    assert main(["score", str(tmp_path / "missing.csv")]) != 0
    assert gc.get_threshold() == before


def test_the_text_table_is_rendered_without_automatic_collections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table makes no reference cycles, so the CLI renders it with the collector off,
    and switches it back on after (also when rendering fails)."""
    import gc

    from perfscore import report

    seen: list[bool] = []
    real = report.render_table

    def spy(*args: Any, **kwargs: Any) -> str:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "render_table", spy)
    assert gc.isenabled()
    assert main(["score", SEED, "-o", str(tmp_path / "out.txt")]) == 0
    assert seen == [False]
    assert gc.isenabled()

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr(report, "render_table", broken)
    with pytest.raises(RuntimeError):
        main(["score", SEED, "-o", str(tmp_path / "out2.txt")])
    assert gc.isenabled()
