"""Print startup times, each in fresh subprocesses: imports and ``perfscore --help``.

Usage: python benchmarks/bench_import.py [N]

Each figure is the best and the median of N fresh interpreters (default 15).
``import perfscore`` loads no module until a name is used, so the script also
times the first real use (``from perfscore import score_indicator``, which
loads the parser, units and scheme code) and one parse: that is what a program
that scores pays.  Import figures subtract a bare interpreter start
(``python -c pass``); ``--help`` is the whole command as a user waits for it,
interpreter start included.

Each case runs twice over: as the environment is set (here
``PYTHONDONTWRITEBYTECODE=1``, so an editable install recompiles perfscore's
sources in every process), and with a bytecode cache in a temporary
``PYTHONPYCACHEPREFIX`` (warmed by one run first), as a package installed from
a wheel runs.  Nothing is written into the source tree.  Just a measurement.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

CASES = {
    "bare interpreter (python -c pass)": [sys.executable, "-c", "pass"],
    "import perfscore": [sys.executable, "-c", "import perfscore"],
    "from perfscore import score_indicator": [
        sys.executable,
        "-c",
        "from perfscore import score_indicator",
    ],
    "first parse (import + parse_target('≥95%'))": [
        sys.executable,
        "-c",
        "from perfscore import parse_target; parse_target('≥95%')",
    ],
    "import perfscore.cli": [sys.executable, "-c", "import perfscore.cli"],
    "perfscore --help": [sys.executable, "-m", "perfscore", "--help"],
}


def timings(command: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """Wall-clock seconds of ``runs`` fresh runs of ``command``."""
    result = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        result.append(time.perf_counter() - start)
    return result


def report(runs: int, env: dict[str, str]) -> None:
    """Print every case's best and median time under ``env``."""
    bare: list[float] = []
    for name, command in CASES.items():
        times = timings(command, runs, env)
        if not bare:
            bare = times
            print(f"{name:45} {min(times) * 1000:6.1f} / {statistics.median(times) * 1000:6.1f} ms")
            continue
        whole = name == "perfscore --help"
        base_best = 0.0 if whole else min(bare)
        base_median = 0.0 if whole else statistics.median(bare)
        note = "(whole command)" if whole else "(minus bare start)"
        print(
            f"{name:45} {(min(times) - base_best) * 1000:6.1f} /"
            f" {(statistics.median(times) - base_median) * 1000:6.1f} ms {note}"
        )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f"; best / median of {runs} fresh processes"
    )
    as_set = dict(os.environ)
    flag = as_set.get("PYTHONDONTWRITEBYTECODE", "")
    print(f"-- as the environment is set (PYTHONDONTWRITEBYTECODE={flag or 'unset'})")
    report(runs, as_set)
    with tempfile.TemporaryDirectory() as cache:
        cached = {k: v for k, v in as_set.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = cache
        for command in CASES.values():
            timings(command, 1, cached)  # write the bytecode cache
        print("-- with a bytecode cache (as installed from a wheel)")
        report(runs, cached)


if __name__ == "__main__":
    main()
