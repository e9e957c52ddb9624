"""Print how long the Word outputs take: the 自评表 and the 自评报告, seed 002 and larger.

Usage: python benchmarks/bench_word.py [REPEATS]

Seed 002 (60 rows) as it is, then the same rows repeated to 600 rows (ten goals'
worth of a large department), each written with python-docx, best of REPEATS runs;
and, when LibreOffice is installed, one PDF rendering of each seed-002 document.
Figures depend on the machine; docs/performance.md records them with the machine.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

from perfscore.readers import read
from perfscore.report import to_docx, to_docx_report
from perfscore.review.audit import audit
from perfscore.score.rollup import evaluate_document

SEED = Path(__file__).resolve().parent.parent / "examples/data/tianjin-2024-self-evaluation.txt"


def _best(repeats: int, write: object, *args: object, **kwargs: object) -> tuple[float, bytes]:
    times, output = [], b""
    for _ in range(repeats):
        start = time.perf_counter()
        output = write(*args, **kwargs)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), output


def main() -> None:
    """Time both documents at 60 and 600 rows, then the LibreOffice rendering."""
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    document = read(SEED)
    project = document.projects[0]
    rows = [
        attrs.evolve(i, row=n, goal=f"绩效目标{n // 60 + 1}")
        for n, i in enumerate(project.indicators * 10, start=1)
    ]
    big = attrs.evolve(document, projects=(attrs.evolve(project, indicators=tuple(rows)),))
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    outputs = {}
    for label, doc in (("seed 002, 60 rows", document), ("600 rows", big)):
        evaluation = evaluate_document(doc)
        findings = audit(evaluation, doc)
        for name, write in (("自评表", to_docx), ("自评报告", to_docx_report)):
            seconds, output = _best(repeats, write, evaluation, document=doc, findings=findings)
            outputs[(label, name)] = output
            print(f"{label:18} {name}: {seconds * 1000:7.0f} ms, {len(output) / 1024:6.0f} KiB")
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) not installed: no rendering timed")
        return
    with tempfile.TemporaryDirectory() as folder:
        for name in ("自评表", "自评报告"):
            path = Path(folder) / f"{name}.docx"
            path.write_bytes(outputs[("seed 002, 60 rows", name)])
            start = time.perf_counter()
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(path)],
                check=True,
                capture_output=True,
            )
            seconds = time.perf_counter() - start
            print(f"LibreOffice → PDF, {name}: {seconds:.1f} s")


if __name__ == "__main__":
    main()
