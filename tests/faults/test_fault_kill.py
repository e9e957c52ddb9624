"""Kill `perfscore batch` with SIGKILL at seeded random moments and check what it leaves behind.

Invariants: the output is the previous one (or none, or the new one, complete) —
never a truncated or unreadable file; no worker process outlives the batch; the
next run removes the hidden temporary files the killed one left.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_fault_batch import projects_of, write_form

import perfscore

FILES = 60
KILLS = 3  # per format: a few seconds each; raise locally to hunt for a rare window
SRC = str(Path(perfscore.__file__).parent.parent)


def _batch(src: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": SRC}
    command = [sys.executable, "-m", "perfscore", "batch", str(src), "-o", str(out), "--jobs", "2"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the batch's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _whole(out: Path) -> bool:
    """Whether ``out`` (and its companion) holds every project of a complete batch."""
    return len(projects_of(out)) == FILES


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("kill-in")
    for n in range(FILES):
        write_form(src / f"unit{n:02}.csv", n)
    return src


@pytest.fixture(scope="module")
def complete(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """A complete summary in each format, to stand as the previous output."""
    made = {}
    for fmt in ("csv", "jsonl", "xlsx", "parquet"):
        folder = tmp_path_factory.mktemp(f"complete-{fmt}")
        assert _batch(inputs, folder / f"summary.{fmt}").wait(timeout=120) == 0
        made[fmt] = _snapshot(folder)
    return made


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx", "parquet"])
def test_a_killed_batch_leaves_the_previous_output_and_no_workers(
    inputs: Path, complete: dict[str, dict[str, bytes]], tmp_path: Path, fmt: str
) -> None:
    """SIGKILL at a random moment: previous output (or none) intact, workers gone, temps swept."""
    rng = random.Random(f"kill-{fmt}")
    for attempt in range(KILLS):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        out = folder / f"summary.{fmt}"
        previous = attempt % 2 == 0  # half the kills hit a first run, with no previous output
        before = complete[fmt] if previous else {}
        for name, data in before.items():
            (folder / name).write_bytes(data)
        process = _batch(inputs, out)
        time.sleep(rng.uniform(0.2, 1.6))
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers), "a worker outlived the killed batch"
        visible = {n: b for n, b in _snapshot(folder).items() if not n.startswith(".")}
        if previous and fmt in ("csv", "jsonl"):
            assert visible == before  # previous or new, the bytes are the same: never partial
        if visible:
            assert _whole(out), f"{fmt}: a partial summary was left at attempt {attempt}"
        else:
            assert not previous
        assert _batch(inputs, out).wait(timeout=120) == 0
        assert _whole(out)
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_csv_companion_matches_its_projects(inputs: Path, tmp_path: Path) -> None:
    """After a complete run, the indicators file holds ten rows for every project."""
    out = tmp_path / "summary.csv"
    assert _batch(inputs, out).wait(timeout=120) == 0
    with open(tmp_path / "summary-indicators.csv", encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == 10 * FILES
