"""Nothing lost: every input row with a target or an actual comes out as an indicator row."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from perfscore.indicators import SELF_EVALUATION_HEADER
from perfscore.readers import read_text
from perfscore.readers.tabular import read_rows

HEADER = list(SELF_EVALUATION_HEADER[:8])  # the official header but 偏差原因
FIRST_CELLS = ["绩效目标1", "", "总分", "合计", "部门名称", "单位名称", "绩效目标2"]
NAMES = ["培训人数", "", "总分", "合计", "满意度", "☃", "=SUM(A1)"]
TARGETS = ["≥10人", "≤5万元", "提升", "≥", "2023年2月30日", "30-40万元", "约1000人", "x" * 50]
ACTUALS = ["12人", "4万元", "有所提升", "", "未完成", "35万元", "1200余人", "—"]

indicator_row = st.tuples(
    st.sampled_from(FIRST_CELLS),
    st.sampled_from(NAMES),
    st.sampled_from(TARGETS),
    st.sampled_from(ACTUALS),
    st.sampled_from(["1", "2.5", "十", ""]),
    st.sampled_from(["1", "", "0.5"]),
).map(lambda r: [r[0], "产出指标", "数量指标", r[1], r[2], r[3], r[4], r[5]])
# Rows that hold no indicator: a subtotal, a goal label, a blank row.
other_row = st.sampled_from(
    [["合计", "", "", "", "", "", "5", "5"], ["绩效目标3", "", "", "", "", "", "", ""], [""] * 8]
)
tables = st.lists(st.one_of(indicator_row, indicator_row, other_row), min_size=1, max_size=30)


def _expected(rows: list[list[str]]) -> int:
    return sum(1 for row in rows if row[4] or row[5])


@given(rows=tables)
def test_tabular_rows_in_equal_rows_out(rows: list[list[str]]) -> None:
    """A sheet of any such rows (duplicates included) gives one indicator per indicator row."""
    document = read_rows([HEADER, *rows, ["总分", "", "", "", "", "", "100", "90"]])
    assert len(document.indicators) == _expected(rows)


@given(rows=tables)
def test_text_rows_in_equal_rows_out(rows: list[list[str]]) -> None:
    """Pasted text with the same rows keeps them all, whatever their first cell says."""
    lines = ["年度指标完成情况", "\t".join(HEADER), *("\t".join(r) for r in rows)]
    document = read_text("\n".join([*lines, "总分\t\t\t\t\t\t100\t90"]))
    assert len(document.indicators) == _expected(rows)
