"""Print how long ``perfscore score`` takes on a big file in each output format.

Usage: python benchmarks/bench_report.py [ROWS] [FORMATS] [REPEAT]
(default 99999, csv,table,json,html,xlsx,docx,report, and 1 run each)

Writes a ROWS-row self-evaluation CSV (realistic, mostly distinct targets and actuals;
some rows need review, some lose points, so every report section has rows), then times
``perfscore score FILE -o OUT`` for the default text table and for csv, json, html,
xlsx and docx (the Word 自评表), and ``perfscore report`` (the 自评报告), each as a whole
process, and prints each format's time (best wall-clock and best CPU seconds of REPEAT
runs) as a ratio of the csv time — the comparison issue 21 is judged by (text table ≤ 2 ×
csv) — and its peak resident memory.  CPU time is the steadier figure when other
programs share the machine.
"""

from __future__ import annotations

import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SUFFIXES = {
    "csv": "csv",
    "table": "txt",
    "json": "json",
    "html": "html",
    "xlsx": "xlsx",
    "docx": "docx",
    "report": "docx",  # perfscore report: the 自评报告, not a --format of score
}
HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def write_csv(path: Path, rows: int) -> None:
    """ROWS indicator rows whose weights add up to 100 (so the file can be graded)."""
    weight = f"{100 / rows:.6f}"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for k in range(rows):
            target = f"≥{k % 997 + 10}个"
            if k % 50 == 0:
                actual = "见附件"  # needs review
            elif k % 7 == 0:
                actual = f"{k % 997 + 3}个"  # lost points
            else:
                actual = f"{k % 997 + 12}个"
            out.writerow(["产出指标", "数量指标", f"指标{k}", target, actual, weight, ""])


def timed(command: list[str], repeat: int = 1) -> tuple[float, float, float]:
    """Best wall-clock and best CPU (user + system) seconds of ``repeat`` runs of
    ``command``, and its highest peak memory (resident, MB).

    CPU time is what other programs on a shared machine disturb least; on an idle
    machine the two agree (perfscore score runs in one thread).
    """
    walls, cpus, peaks = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)  # this child's own CPU time and peak memory
        child.returncode = 0  # reaped above; keeps Popen from waiting for it again
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
    return min(walls), min(cpus), max(peaks)


def main() -> None:
    # 99,999 rows and the header: the readers refuse a table of more than 100,000 rows.
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 99_999
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    print(f"python {platform.python_version()} on {platform.machine()}, {rows} rows")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "big.csv"
        write_csv(source, rows)
        base = [sys.executable, "-m", "perfscore", "score", str(source)]
        times: dict[str, float] = {}
        cpu: dict[str, float] = {}
        wanted = sys.argv[2].split(",") if len(sys.argv) > 2 else list(SUFFIXES)
        for form in ["csv", *(f for f in wanted if f != "csv")]:
            suffix = SUFFIXES[form]
            out = Path(folder) / f"out.{suffix}"
            command = [*base, "-o", str(out)]
            if form == "report":
                command = [sys.executable, "-m", "perfscore", "report", str(source), "-o", str(out)]
            elif form != "table":
                command += ["--format", form]
            times[form], cpu[form], peak = timed(command, repeat)
            size = out.stat().st_size / 1e6 if out.exists() else 0
            ratio, cpu_ratio = times[form] / times["csv"], cpu[form] / cpu["csv"]
            print(
                f"  {form:<6} {times[form]:7.2f} s wall  {cpu[form]:7.2f} s CPU"
                f"   {size:7.1f} MB   peak {peak:6.0f} MB"
                f"   ratio to csv {ratio:.2f} wall, {cpu_ratio:.2f} CPU"
            )
    if "table" in times:
        print(
            f"text table / csv = {times['table'] / times['csv']:.2f} wall,"
            f" {cpu['table'] / cpu['csv']:.2f} CPU (aim ≤ 2)"
        )


if __name__ == "__main__":
    main()
