"""The README's Python examples run as written, from the repository root."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_runs(block: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each ```python block in README.md runs without error."""
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)


def test_readme_example_prints_the_seed_total(capsys: pytest.CaptureFixture[str]) -> None:
    """The ten-line example prints the seed-002 total 93.95, grade 优, and 95.43 recomputed."""
    test_readme_block_runs(BLOCKS[0], capsys)
    lines = capsys.readouterr().out.splitlines()
    assert (lines[0], lines[-1]) == ("93.95 优", "95.43")
    assert len(lines) == 5  # the total, three differing rows, the recomputed total
