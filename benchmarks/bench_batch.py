"""Print ``perfscore batch`` files/s against the floor of merely reading the same files.

Usage: python benchmarks/bench_batch.py [N] [--repeat R] [--formats csv,xlsx] [--no-jobs2]
       [--baseline OTHER/src]   (e.g. main's: git archive main src | tar -x -C /tmp/main)

Writes N (default 500) realistic official-layout self-evaluations per format into a
temporary folder (tests/scale/official_batch.py: a title, the budget block, 39
indicator rows of quantities, percentages, deadlines, costs, words and satisfaction,
a 总分 row; every unit's texts differ), then prints for each format:

* the floor in files/s — CSV: ``csv.reader`` over every row of every file; XLSX:
  python-calamine ``CalamineWorkbook.from_path(f).get_sheet_by_index(0).to_python()``;
* ``run_batch(folder, summary.csv, jobs=1)`` (with the garbage collector's thresholds
  as ``perfscore batch`` sets them) in files/s and its ratio to the floor
  (the issue-21 targets: CSV ≥ 0.1, XLSX ≥ 0.25), and the same with an XLSX summary;
* where the batch's time goes (read / score+rollup / audit / summary rows / write /
  the rest), from one cProfile run (shares of the profiled run: profiling slows
  small functions most, so read them as proportions, not rates);
* ``--jobs 2`` in wall-clock files/s (other processes share the machine: a guide only);
* with ``--baseline SRC``, the same batch timed with another checkout's ``src`` (a child
  process, same folder, same run), so a change is judged against its base in one run.

Single-process figures are CPU time (``time.process_time``), best of R runs (default
3), so that other programs on the machine disturb them little; the floor and the batch
are measured in the same run and only their ratio is compared.  Just a measurement.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "scale"))

from official_batch import ROWS, build_folder

import perfscore.cli
from perfscore.scale.batch import discover, open_writer, run_batch

TARGETS = {"csv": 0.1, "xlsx": 0.25}


def csv_floor(files: list[str]) -> None:
    """Every row of every file through ``csv.reader``, nothing else."""
    for file in files:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            for _ in csv.reader(handle):
                pass


def xlsx_floor(files: list[str]) -> None:
    """Every file's first sheet through python-calamine, nothing else."""
    from python_calamine import CalamineWorkbook

    for file in files:
        CalamineWorkbook.from_path(file).get_sheet_by_index(0).to_python()


def cold() -> None:
    """Empty every perfscore cache, so that a run scores its texts anew as a new batch does."""
    for name, module in list(sys.modules.items()):
        if name.startswith("perfscore"):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if (
                    callable(clear)
                    and not isinstance(value, type)
                    and getattr(value, "__module__", name) == name
                ):
                    clear()


def cpu_rate(function: Callable[[], object], count: int, repeat: int) -> float:
    """Best files/s of ``repeat`` runs (caches emptied first), in CPU seconds of this process."""
    best = 0.0
    for _ in range(repeat):
        cold()
        start = time.process_time()
        function()
        elapsed = time.process_time() - start
        best = max(best, count / max(elapsed, 1e-9))
    return best


def batch(folder: Path, out: Path, jobs: int) -> dict[str, int]:
    """``perfscore batch FOLDER -o OUT --jobs JOBS``, as the CLI runs it (quiet)."""
    return run_batch([folder], open_writer(out), jobs=jobs)


# The batch's own code (scale/batch.py) calls each stage; a call's cumulative time goes
# to the stage of the function called, and time spent in batch.py itself (and in every
# other function it calls) to "glue".
STAGES = {
    "read_all": "read",
    "evaluate": "score+rollup",
    "evaluate_document": "score+rollup",
    "audit": "audit",
    "finding_counts": "audit",
    "write": "write",
    "close": "write",
    "survey": "discover",
}


def breakdown(folder: Path, out: Path) -> tuple[float, dict[str, float]]:
    """One profiled batch: total CPU seconds and seconds per stage."""
    cold()
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    batch(folder, out, 1)
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in stats.values())
    seconds = dict.fromkeys((*dict.fromkeys(STAGES.values()), "glue"), 0.0)

    def ours(key: tuple[str, int, str]) -> bool:
        return key[0].replace(os.sep, "/").endswith("perfscore/scale/batch.py")

    for callee, (_, _, own, _, callers) in stats.items():
        if ours(callee):
            seconds["glue"] += own
            continue
        if callee[2] == "<built-in method builtins.next>":
            continue  # the next file's result: its stages are counted where they run
        for caller, edge in callers.items():
            if ours(caller):
                seconds[STAGES.get(callee[2], "glue")] += edge[3]
    seconds["other"] = max(total - sum(seconds.values()), 0.0)
    return total, seconds


def baseline(src: str, folder: Path, n: int, repeat: int) -> float:
    """The batch's CPU files/s with another checkout's perfscore, in a child process."""
    env = dict(os.environ, PYTHONPATH=src)
    command = [sys.executable, __file__, str(n), "--repeat", str(repeat)]
    done = subprocess.run(
        [*command, "--batch-only", str(folder)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return float(done.stdout.strip().splitlines()[-1])


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("n", nargs="?", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--no-jobs2", action="store_true")
    parser.add_argument(
        "--baseline",
        metavar="SRC",
        help="also time the batch of another checkout's src/ (e.g. main's), in this run",
    )
    parser.add_argument("--batch-only", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    n = args.n
    # The garbage collector's thresholds as `perfscore batch` sets them while it runs (a
    # checkout from before they were set keeps Python's defaults, as its CLI did).
    gc.set_threshold(*getattr(perfscore.cli, "GC_THRESHOLDS", gc.get_threshold()))
    if args.batch_only:  # a baseline's child process: print its files/s only
        folder = Path(args.batch_only)
        out = folder.parent / f"baseline-{folder.name}.csv"
        batch(folder, out, 1)
        print(cpu_rate(lambda: batch(folder, out, 1), n, args.repeat))
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f"; {n} files per format, {ROWS} indicator rows each; CPU time, best of {args.repeat}"
    )
    floors = {"csv": csv_floor, "xlsx": xlsx_floor}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for form in args.formats.split(","):
            folder = root / form
            build_folder(folder, n, "." + form)
            files = discover([folder])
            assert len(files) == n
            out = root / f"summary-{form}.csv"
            floor = cpu_rate(lambda files=files, form=form: floors[form](files), n, args.repeat)
            batch(folder, out, 1)  # warm: imports, scheme, caches of the first file
            rate = cpu_rate(lambda folder=folder, out=out: batch(folder, out, 1), n, args.repeat)
            xout = root / f"summary-{form}.xlsx"
            xrate = cpu_rate(lambda folder=folder, x=xout: batch(folder, x, 1), n, args.repeat)
            ratio = rate / floor
            target = TARGETS[form]
            met = "met" if ratio >= target else "not met"
            print(
                f"{form:4}: floor {floor:8,.0f} files/s   batch --jobs 1 → csv {rate:6,.1f} files/s"
                f"   ratio {ratio:.4f} (target ≥ {target}: {met})"
                f"   [→ xlsx summary {xrate:,.1f} files/s, ratio {xrate / floor:.4f}]"
            )
            if args.baseline:
                old = baseline(args.baseline, folder, n, args.repeat)
                print(
                    f"      baseline {args.baseline}: batch --jobs 1 → csv {old:6,.1f} files/s"
                    f"   ratio {old / floor:.4f}   (this checkout: {rate / old:.2f}×)"
                )
            total, seconds = breakdown(folder, out)
            shares = "  ".join(f"{k} {v / total:5.1%}" for k, v in seconds.items())
            print(f"      profile ({total / n * 1000:.1f} ms/file profiled): {shares}")
            if not args.no_jobs2:
                wall = time.perf_counter()
                cpu, kids = time.process_time(), children_cpu()
                cold()
                batch(folder, root / f"summary2-{form}.csv", 2)
                wall = time.perf_counter() - wall
                cpu = time.process_time() - cpu + children_cpu() - kids
                print(
                    f"      batch --jobs 2: {n / wall:,.1f} files/s wall"
                    f" (ratio {n / wall / floor:.3f}),"
                    f" {n / cpu:,.1f} files per CPU second (parent + workers)"
                )


if __name__ == "__main__":
    main()
