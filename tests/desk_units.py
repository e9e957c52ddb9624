"""Batches of units for the reviewer's-desk tests: clean ones and ones with a known problem.

Each unit is a CSV self-evaluation (the tabular reader's header row, then four rows
worth 100 points).  ``clean`` units score exactly what they publish, every actual a
little above its target; the others each carry one known problem:

- ``inflated``: 培训人次 missed (60 of ≥100) but published at full marks;
- ``no_evidence``: a qualitative row (健全 → 完成) at full marks with no number and no reason;
- ``low_targets``: every actual far above its ≥ target (+100% or more);
- ``outcome_missed``: every output met, the outcome row missed and scored as computed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
          "偏差原因分析及改进措施"]  # fmt: skip

Row = tuple[str, str, str, str, str, str, str, str]

CLEAN: list[Row] = [
    ("产出指标", "数量指标", "培训人次", "≥100人次", "110人次", "30", "30", ""),
    ("产出指标", "质量指标", "培训合格率", "≥90%", "95%", "30", "30", ""),
    ("效益指标", "社会效益指标", "技能覆盖率", "≥80%", "85%", "30", "30", ""),
    ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "92%", "10", "10", ""),
]


def _replace(rows: list[Row], index: int, new: Row) -> list[Row]:
    return [new if i == index else r for i, r in enumerate(rows)]


UNITS: dict[str, list[Row]] = {
    "inflated": _replace(
        CLEAN, 0, ("产出指标", "数量指标", "培训人次", "≥100人次", "60人次", "30", "30", "")
    ),
    "no_evidence": _replace(
        CLEAN, 2, ("效益指标", "可持续影响指标", "长效机制", "健全", "完成", "30", "30", "")
    ),
    "low_targets": [
        ("产出指标", "数量指标", "培训人次", "≥100人次", "300人次", "30", "30", ""),
        ("产出指标", "质量指标", "培训合格率", "≥40%", "95%", "30", "30", ""),
        ("效益指标", "社会效益指标", "技能覆盖率", "≥30%", "85%", "30", "30", ""),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥40%", "92%", "10", "10", ""),
    ],
    "outcome_missed": _replace(
        CLEAN, 2, ("效益指标", "社会效益指标", "技能覆盖率", "≥80%", "40%", "30", "15", "未达预期")
    ),
}


def unit_csv(rows: list[Row]) -> str:
    """The unit as CSV text with the header row first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def write_batch(folder: Path, *, clean: int = 4, problems: tuple[str, ...] = tuple(UNITS)) -> Path:
    """Write ``clean`` clean units and one unit per named problem into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(clean):
        (folder / f"clean-{i}.csv").write_text(unit_csv(CLEAN), encoding="utf-8")
    for name in problems:
        (folder / f"{name}.csv").write_text(unit_csv(UNITS[name]), encoding="utf-8")
    return folder


def perfscore(*argv: str) -> tuple[int, str, str]:
    """Run ``perfscore argv`` in this process; return (status, stdout, stderr)."""
    from perfscore.cli import build_parser

    args = build_parser().parse_args(list(argv))
    stdout, stderr = io.StringIO(), io.StringIO()
    status = args.handler(args, stdout, stderr)
    return status, stdout.getvalue(), stderr.getvalue()
