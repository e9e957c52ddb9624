"""Run every example script as a user would and check what it prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
# (script, texts its output must contain).
CASES = (
    ("score_tianjin_2024.py", ("2024年度天津市科学技术局绩效自评表", "总分 93.95，等级 优")),
    (
        "score_excel.py",
        ("采用填报得分：总分 93.95，等级 优", "按方案重新计算：总分 95.43，等级 优"),
    ),
    ("custom_scheme.py", ("mof2020", "总分 95.43", "my-scheme", "总分 95.4，等级 好")),
)


def _run(script: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("cwd", [ROOT, EXAMPLES], ids=["from-root", "from-examples"])
@pytest.mark.parametrize(("script", "expected"), CASES)
def test_example_output(script: str, expected: tuple[str, ...], cwd: Path) -> None:
    """The example runs from the repository root and from its own folder and prints the totals."""
    done = _run(script, cwd)
    assert done.returncode == 0, done.stderr
    for text in expected:
        assert text in done.stdout


def test_write_xlsx_report(tmp_path: Path) -> None:
    """write_xlsx_report.py writes the workbook to the path given as its argument."""
    import openpyxl

    out = tmp_path / "自评表.xlsx"
    done = _run("write_xlsx_report.py", tmp_path, str(out))
    assert done.returncode == 0, done.stderr
    assert "总分 93.95，等级 优" in done.stdout
    assert openpyxl.load_workbook(out).sheetnames == ["自评表", "汇总与说明", "图表"]


def test_every_example_is_tested() -> None:
    """Each example script in examples/ has a case here."""
    scripts = {p.name for p in EXAMPLES.glob("*.py")}
    assert scripts == {script for script, _ in CASES} | {"write_xlsx_report.py"}
