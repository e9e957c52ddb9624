"""perfscore sample: reproducible, risk-stratified, a reason for every pick."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from desk_units import perfscore, write_batch
from perfscore.review.risk import ProjectRisk, Reason, load_weights
from perfscore.review.sample import draw, strata

D = Decimal


def _risks(count: int = 20) -> list[ProjectRisk]:
    """Projects p00…p19 with risk 19…0 and funds 10, 20, …; p19 has no risk at all."""
    out = []
    for i in range(count):
        score = D(count - 1 - i)
        reasons = (
            (Reason("inflation", "填报得分高于方案得分", score, score, "高"),) if score else ()
        )
        out.append(ProjectRisk(f"f{i:02}.csv", f"p{i:02}", score, reasons, funds=D(10 * (i + 1))))
    return out


def test_same_seed_same_sample_other_seed_other_sample() -> None:
    risks = _risks()
    first = draw(risks, seed=7, n=6)
    again = draw(list(reversed(risks)), seed=7, n=6)  # input order does not matter
    assert [p.risk.project for p in first.picks] == [p.risk.project for p in again.picks]
    others = {tuple(p.risk.project for p in draw(risks, seed=s, n=6).picks) for s in range(10)}
    assert len(others) > 1


def test_strata_by_rank_and_the_split_by_shares() -> None:
    layers = strata(sorted(_risks(), key=lambda r: -r.score), load_weights())
    assert [len(layers[k]) for k in ("high", "medium", "low")] == [4, 6, 10]
    sample = draw(_risks(), seed=1, n=10)
    counts = {
        s: sum(1 for p in sample.picks if p.stratum == s) for s in ("高风险", "中风险", "低风险")
    }
    # 6/3/1 wanted; the high stratum holds 4, its 2 spare places pass to the medium one.
    assert counts == {"高风险": 4, "中风险": 5, "低风险": 1}
    assert len(sample.picks) == 10


def test_every_pick_has_its_reason() -> None:
    sample = draw(_risks(), seed=3, n=5)
    for pick in sample.picks:
        assert f"风险排名第 {pick.rank}" in pick.reason
        assert pick.stratum[:1] in pick.reason
    high = [p for p in sample.picks if p.stratum == "高风险"]
    assert high
    assert all("填报得分高于方案得分" in p.reason for p in high)
    assert "随机种子 3" in sample.method


def test_n_larger_than_the_population_takes_everyone() -> None:
    sample = draw(_risks(5), seed=0, n=50)
    assert sorted(p.risk.project for p in sample.picks) == [f"p0{i}" for i in range(5)]


def test_funds_cover_the_share_riskiest_strata_first() -> None:
    risks = _risks()
    total = sum(r.funds or 0 for r in risks)
    sample = draw(risks, seed=5, funds=D("0.3"))
    got = sum(p.risk.funds or 0 for p in sample.picks)
    assert got >= total * D("0.3")
    assert sample.covered == got / total
    # Dropping the last pick would leave the share uncovered: no pick is spare.
    assert got - sample.picks[-1].risk.funds < total * D("0.3") or len(sample.picks) == 1
    assert any(p.stratum == "高风险" for p in sample.picks)
    assert "累计覆盖" in sample.picks[0].reason


def test_projects_without_funds_are_noted_not_drawn_by_funds() -> None:
    risks = [*_risks(4), ProjectRisk("x.csv", "nofunds", D(100))]
    sample = draw(risks, seed=0, funds=D("1"))
    assert "nofunds" not in {p.risk.project for p in sample.picks}
    assert any("没有预算数" in n for n in sample.notes)


def test_exactly_one_of_n_and_funds() -> None:
    with pytest.raises(ValueError, match="n 或 funds"):
        draw(_risks(), seed=0)


def test_cli_sample_puts_problem_units_in_the_sample(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "units", clean=10)
    status, out, _ = perfscore("sample", str(folder), "--n", "3", "--seed", "42")
    assert status == 0
    assert "随机种子 42" in out
    status, out2, _ = perfscore("sample", str(folder), "--n", "3", "--seed", "42")
    assert out == out2
    status, text, _ = perfscore("sample", str(folder), "--n", "3", "--seed", "42", "--format",
                                "csv")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    assert all(row["抽取理由"] for row in rows)
    assert rows[0]["风险层"] == "高风险"
    data = json.loads(perfscore("sample", str(folder), "--n", "3", "--format", "json")[1])
    assert data["schema"] == "perfscore.sample/1"
    assert len(data["picks"]) == 3
    target = tmp_path / "复核抽样.xlsx"
    assert perfscore("sample", str(folder), "--n", "3", "-o", str(target))[0] == 0
    import openpyxl

    sheet = openpyxl.load_workbook(target).active
    assert sheet.title == "复核抽样"
    assert sheet.cell(1, 2).value == "风险层"


@pytest.mark.parametrize("bad", ["0", "-3", "x"])
def test_cli_bad_n_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    with pytest.raises(SystemExit):
        perfscore("sample", str(tmp_path), "--n", bad)


def test_cli_funds_takes_a_percentage(tmp_path: Path) -> None:
    folder = write_batch(tmp_path / "units", clean=2)
    status, out, _ = perfscore("sample", str(folder), "--funds", "30%")
    assert status == 0
    assert "资金占比 30%" in out
    assert "没有预算数" in out  # the CSV units carry no budget


def test_cli_an_empty_folder_is_reported_and_exits_1(tmp_path: Path) -> None:
    status, out, err = perfscore("sample", str(tmp_path), "--n", "3")
    assert status == 1
    assert "共 0 个项目，抽中 0 个" in out
    assert "文件夹中没有" in err
