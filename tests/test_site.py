"""The documentation site builds with ``mkdocs build --strict``: no broken link, no stray page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def test_site_builds_strictly(tmp_path: Path) -> None:
    """Every docs/*.md is in the nav and every relative link and anchor resolves."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "s" / "word-output" / "index.html").is_file()
    assert (tmp_path / "s" / "getting-started.zh" / "index.html").is_file()
