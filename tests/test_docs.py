"""Run the examples in docs/*.md: every ```python block, and every ``$ perfscore`` line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from perfscore.cli import main

ROOT = Path(__file__).parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def _blocks(language: str) -> list[tuple[Path, str]]:
    return [
        (doc, match.group(2))
        for doc in DOCS
        for match in FENCE.finditer(doc.read_text("utf-8"))
        if match.group(1) == language
    ]


def _commands() -> list[tuple[Path, str]]:
    return [
        (doc, line.removeprefix("$ perfscore").strip())
        for doc, block in _blocks("console")
        for line in block.splitlines()
        if line.startswith("$ perfscore")
    ]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder that sees the repository's examples/ and docs/ (outputs stay here)."""
    for name in ("examples", "docs", "src"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _doc_id(doc: Path) -> str:
    return doc.name


@pytest.mark.parametrize("doc", sorted({d for d, _ in _blocks("python")}), ids=_doc_id)
def test_python_blocks(doc: Path, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each document's python blocks run in order, sharing one namespace, without error."""
    namespace: dict[str, object] = {"__name__": "__doc__"}
    for block_doc, code in _blocks("python"):
        if block_doc == doc:
            exec(compile(code, str(doc), "exec"), namespace)


@pytest.mark.parametrize(("doc", "command"), _commands(), ids=lambda v: getattr(v, "name", v))
def test_console_commands(
    doc: Path, command: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each ``$ perfscore …`` line in the docs exits with status 0."""
    if "out/tianjin.json" in command and not (workdir / "out/tianjin.json").exists():
        main(shlex.split(_first_with("-o out/tianjin.json")))
    code = main(shlex.split(command))
    assert code == 0, capsys.readouterr().err


def _first_with(text: str) -> str:
    return next(c for _, c in _commands() if text in c)


def test_docs_link_existing_files() -> None:
    """Relative links in the docs point at files that exist (templates included)."""
    missing = [
        f"{doc.name}: {target}"
        for doc in DOCS
        for target in re.findall(r"\]\(([^)#:]+)\)", doc.read_text("utf-8"))
        if not (doc.parent / target).exists()
    ]
    assert missing == []


def test_documentation_site_builds_with_every_link_checked(tmp_path: Path) -> None:
    """``mkdocs build --strict``: every page in the nav, every link and anchor between pages."""
    pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install '.[docs]'")
    pytest.importorskip("material", reason="mkdocs-material is not installed")
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "scoring" / "index.html").exists()
