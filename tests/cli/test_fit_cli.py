"""`perfscore fit FILE` prints the fitted scheme, rows explained, and rows unexplained."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import pytest

from perfscore.cli import main
from perfscore.score.scheme import load_scheme

EXAMPLE = Path(__file__).parents[2] / "examples" / "data" / "tianjin-2024-self-evaluation.txt"
HEADER = "绩效目标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"


def _whole_down_table(path: Path) -> Path:
    """Twenty rows scored weight × actual / target, rounded down to whole points."""
    lines = []
    for n in range(20):
        weight, done = 3 + n % 5, 500 + 23 * n
        score = (Decimal(weight) * done / 1000).quantize(Decimal(1), rounding=ROUND_DOWN)
        lines.append(f"g,产出指标,数量指标,指标{n},≥1000项,{done}项,{weight},{score}")
    path.write_text(HEADER + "\n".join(lines) + "\n", "utf-8")
    return path


def test_fit_seed_example(capsys: pytest.CaptureFixture[str]) -> None:
    """The Tianjin example follows mof2020 but for three rows, each shown with both numbers."""
    assert main(["fit", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "解释 57/60 行" in out
    assert "未发现与 mof2020 不同的规则" in out
    assert "总分：填报 93.95，按拟合方案 95.43，不一致" in out
    assert "0.3         0.78" in out


def test_fit_writes_a_scheme_that_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table rounded down to whole points is fitted; -o saves a scheme --scheme accepts."""
    table = _whole_down_table(tmp_path / "t.csv")
    saved = tmp_path / "out" / "fitted.toml"
    assert main(["fit", str(table), "-o", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "解释 20/20 行" in out
    assert "rounding.places = 0" in out
    assert "rounding.mode = ROUND_DOWN" in out
    scheme = load_scheme(saved)
    assert (scheme.places, scheme.rounding) == (0, "ROUND_DOWN")
    assert main(["score", str(table), "--scheme", str(saved), "--format", "csv"]) in (0, 1)
    assert "不一致" not in capsys.readouterr().out


def test_fit_toml_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format toml prints the scheme alone."""
    table = _whole_down_table(tmp_path / "t.csv")
    assert main(["fit", str(table), "--format", "toml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('name = "mof2020-fit"')


def test_fit_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file is a message and exit status 1, never a traceback."""
    assert main(["fit", str(tmp_path / "none.csv")]) == 1
    assert "perfscore fit:" in capsys.readouterr().err


def test_fit_target_table(capsys: pytest.CaptureFixture[str]) -> None:
    """A target table has no published scores: nothing to fit, said so, exit status 1."""
    targets = EXAMPLE.parent / "targets-tangshan-kexie.txt"
    assert main(["fit", str(targets)]) == 1
    assert "nothing to fit" in capsys.readouterr().err
