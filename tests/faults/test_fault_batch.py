"""Fault injection on `perfscore batch`: killed workers, odd paths, concurrent runs, own outputs."""

from __future__ import annotations

import csv
import json
import os
import signal
import time
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

import perfscore.readers
from perfscore.cli import main
from perfscore.errors import OutputBusyError
from perfscore.indicators import SELF_EVALUATION_HEADER
from perfscore.scale._pool import DIED
from perfscore.scale.batch import open_writer, run_batch, survey

FORMATS = ("csv", "xlsx", "jsonl", "parquet")


def write_form(path: Path, seed: int = 0, name: str = "") -> Path:
    """A ten-row self-evaluation CSV weighing 100, its actuals varied by ``seed``."""
    rows = [list(SELF_EVALUATION_HEADER)]
    for k in range(10):
        actual = f"{(k + 1) * 10 - (seed + k) % 5}个"
        name_k = name or f"指标{k}"
        rows.append(["目标", "产出", "数量", name_k, f"≥{(k + 1) * 10}个", actual, "10", "", ""])
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def projects_of(out: Path) -> list[dict[str, object]]:
    """The project rows of a summary in any format."""
    suffix = out.suffix.lstrip(".")
    if suffix == "csv":
        with open(out, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    if suffix == "jsonl":
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return [line for line in lines if line["record"] == "project"]
    if suffix == "parquet":
        return pq.read_table(out).to_pylist()  # type: ignore[no-any-return]
    book = openpyxl.load_workbook(out, read_only=True)
    rows = list(book["项目"].iter_rows(values_only=True))
    book.close()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]  # type: ignore[arg-type]


def _kill_on(marker: str, once: Path | None = None) -> object:
    """A read_all that SIGKILLs its process (as the OOM killer does) on files named ``marker``."""
    real = perfscore.readers.read_all

    def read_all(path: object, **kwargs: object) -> object:
        if marker in os.path.basename(str(path)) and (once is None or not once.exists()):
            if once is not None:
                once.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, **kwargs)  # type: ignore[arg-type]

    return read_all


def test_a_worker_killed_for_good_fails_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose worker is SIGKILLed twice is failed with the reason; every other file scores."""
    src = tmp_path / "in"
    src.mkdir()
    for n in range(12):
        write_form(src / f"{'kill' if n == 5 else 'unit'}{n:02}.csv", n)
    monkeypatch.setattr(perfscore.readers, "read_all", _kill_on("kill"))
    out = tmp_path / "summary.csv"
    counts = run_batch([src], open_writer(out, lang="en"), jobs=2, timeout=60)
    rows = projects_of(out)
    assert [Path(str(r["file"])).name for r in rows] == sorted(p.name for p in src.iterdir())
    died = [r for r in rows if r["status"] == "failed"]
    assert [Path(str(r["file"])).name for r in died] == ["kill05.csv"]
    assert died[0]["reason"] == DIED
    assert (counts["scored"], counts["failed"]) == (11, 1)


def test_a_worker_killed_once_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies once (memory short for a moment) costs nothing: the retry scores."""
    src = tmp_path / "in"
    src.mkdir()
    for n in range(6):
        write_form(src / f"{'kill' if n == 2 else 'unit'}{n}.csv", n)
    monkeypatch.setattr(perfscore.readers, "read_all", _kill_on("kill", once=tmp_path / "died"))
    out = tmp_path / "summary.jsonl"
    counts = run_batch([src], open_writer(out, lang="en"), jobs=2, timeout=60)
    assert (tmp_path / "died").exists()
    assert (counts["scored"], counts["failed"]) == (6, 0)
    assert len(projects_of(out)) == 6


def test_a_stuck_worker_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that never finishes is stopped after the timeout, retried once, then failed."""
    src = tmp_path / "in"
    src.mkdir()
    for n in range(4):
        write_form(src / f"{'slow' if n == 1 else 'unit'}{n}.csv", n)
    real = perfscore.readers.read_all

    def read_all(path: object, **kwargs: object) -> object:
        if "slow" in str(path):
            time.sleep(3600)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(perfscore.readers, "read_all", read_all)
    out = tmp_path / "summary.csv"
    counts = run_batch([src], open_writer(out, lang="en"), jobs=2, timeout=0.5)
    rows = {Path(str(r["file"])).name: r for r in projects_of(out)}
    assert rows["slow1.csv"]["status"] == "failed"
    assert "not finished within 0.5 s" in str(rows["slow1.csv"]["reason"])
    assert counts["scored"] == 3


def test_a_second_run_on_the_same_output_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """While one batch writes an output, a second stops at once with a clear message (exit 1)."""
    src = tmp_path / "in"
    src.mkdir()
    write_form(src / "a.csv")
    out = tmp_path / "summary.csv"
    first = open_writer(out, lang="en")
    with pytest.raises(OutputBusyError, match="another batch, process"):
        open_writer(out, lang="en")
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1"]) == 1
    assert "another batch" in capsys.readouterr().err
    assert not out.exists()  # the first run has not finished: nothing in place yet
    first.close()
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1"]) == 0
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # no lock, no temp


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_interrupted_batch_keeps_the_previous_output(tmp_path: Path, fmt: str) -> None:
    """An error midway (here Ctrl-C) leaves the previous summary whole and no temporary file."""
    src = tmp_path / "in"
    src.mkdir()
    for n in range(5):
        write_form(src / f"u{n}.csv", n)
    out = tmp_path / f"summary.{fmt}"
    run_batch([src], open_writer(out, lang="en"), jobs=1)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}

    def interrupt(results: object, total: int) -> object:
        for n, result in enumerate(results):  # type: ignore[attr-defined]
            if n == 3:
                raise KeyboardInterrupt
            yield result

    write_form(src / "u9.csv", 9)
    with pytest.raises(KeyboardInterrupt):
        run_batch([src], open_writer(out, lang="en"), jobs=2, progress=interrupt)  # type: ignore[arg-type]
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == before
    assert len(projects_of(out)) == 5


def test_every_odd_path_has_a_row(tmp_path: Path) -> None:
    """Broken links, link loops, a FIFO, other formats, lock files: each a row with its reason."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    write_form(src / "good.csv")
    (src / "dangling.csv").symlink_to(src / "nowhere.csv")
    (src / "loop.csv").symlink_to(src / "loop.csv")
    (src / "sub" / "up").symlink_to(src)  # a folder link back up: searched once
    os.mkfifo(src / "pipe.csv")
    (src / "~$good.xlsx").write_bytes(b"lock")
    (src / "photo.jpg").write_bytes(b"\xff\xd8")
    out = tmp_path / "summary.csv"
    counts = run_batch(
        [src, tmp_path / "missing.csv"], open_writer(out, lang="en"), jobs=2, timeout=60
    )
    rows = {Path(str(r["file"])).name: r for r in projects_of(out)}
    expected = {
        "good.csv": ("scored", ""),
        "dangling.csv": ("failed", "broken symbolic link"),
        "loop.csv": ("failed", "symbolic link loop"),
        "up": ("skipped", "link back to a folder already searched"),
        "pipe.csv": ("failed", "not a regular file"),
        "~$good.xlsx": ("skipped", "lock file"),
        "photo.jpg": ("skipped", "not a format perfscore reads: .jpg"),
        "missing.csv": ("failed", "file not found"),
    }
    assert set(rows) == set(expected)
    for name, (status, reason) in expected.items():
        assert rows[name]["status"] == status, name
        assert reason in str(rows[name]["reason"]), name
    assert counts["files"] == len(expected)


def test_unreadable_files_and_folders_have_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that cannot be opened and an unreadable file are failed rows, not a crash."""
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    write_form(src / "locked" / "hidden.csv")
    write_form(src / "secret.csv")
    write_form(src / "open.csv")
    if os.geteuid() == 0:  # root reads everything: make the system say no as it would
        real_scandir, real_access = os.scandir, os.access

        def scandir(path: str) -> object:
            if str(path).endswith("locked"):
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(os, "access", lambda p, m: "secret" not in str(p) and real_access(p, m))
    else:
        (src / "locked").chmod(0)
        (src / "secret.csv").chmod(0)
    out = tmp_path / "summary.csv"
    try:
        run_batch([src], open_writer(out, lang="en"), jobs=1)
    finally:
        (src / "locked").chmod(0o755)
    rows = {Path(str(r["file"])).name: r for r in projects_of(out)}
    assert rows["locked"]["status"] == "failed"
    assert "cannot open the folder" in str(rows["locked"]["reason"])
    assert rows["secret.csv"]["status"] == "failed"
    assert "permission denied" in str(rows["secret.csv"]["reason"])
    assert rows["open.csv"]["status"] == "scored"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_gbk_file_name_is_shown_decoded(tmp_path: Path, fmt: str) -> None:
    """A file name in GBK bytes (from a Windows archive) is scored and shown as 中文 everywhere."""
    src = tmp_path / "in"
    src.mkdir()
    name = os.fsdecode(os.fsencode(src) + b"/\xd6\xd0\xce\xc4.csv")
    write_form(Path(name))
    out = tmp_path / f"summary.{fmt}"
    counts = run_batch([src], open_writer(out, lang="en"), jobs=1)
    [row] = projects_of(out)
    assert Path(str(row["file"])).name == "中文.csv"
    assert (row["status"], counts["scored"]) == ("scored", 1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_output_is_never_read_back(tmp_path: Path, fmt: str) -> None:
    """An output inside the input folder (and its companion) is skipped, run after run."""
    write_form(tmp_path / "a.csv")
    out = tmp_path / f"summary.{fmt}"
    for _ in range(2):
        run_batch([tmp_path], open_writer(out, lang="en"), jobs=1)
    rows = projects_of(out)
    scored = [Path(str(r["file"])).name for r in rows if r["status"] != "skipped"]
    assert scored == ["a.csv"]
    for row in rows:
        if row["status"] == "skipped":
            assert "own output" in str(row["reason"])


def test_folder_search_takes_every_format_score_reads(tmp_path: Path) -> None:
    """`.xlsx .xlsm .xls .ods .docx .csv .tsv .txt .json` are all picked up from a folder."""
    names = ["a.xlsx", "b.xlsm", "c.xls", "d.ods", "e.docx", "f.csv", "g.tsv", "h.txt", "i.json"]
    for name in [*names, "j.pdf"]:
        (tmp_path / name).write_bytes(b"x")
    found = {Path(f.path).name: f.status for f in survey([tmp_path])}
    assert found == {**dict.fromkeys(names, ""), "j.pdf": "skipped"}


def test_a_control_character_does_not_stop_the_xlsx_summary(tmp_path: Path) -> None:
    """Word's manual line break (U+000B) and ESC in a name are written, not a crash mid-summary."""
    write_form(tmp_path / "a.csv", name="培训\x0b人数\x1b[31m")
    write_form(tmp_path / "b.csv", name='=HYPERLINK("http://x")')
    out = tmp_path / "out" / "summary.xlsx"
    counts = run_batch(
        [tmp_path / "a.csv", tmp_path / "b.csv"], open_writer(out, lang="en"), jobs=1
    )
    assert counts["scored"] == 2
    book = openpyxl.load_workbook(out)
    texts = [c.value for r in book["指标"].iter_rows() for c in r]
    assert "培训\n人数�[31m" in texts
    assert all(c.data_type != "f" for s in book.worksheets for r in s.iter_rows() for c in r)
