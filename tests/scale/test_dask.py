"""Tests for perfscore.scale.dask on a LocalCluster: equal to the single-process path."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

dd = pytest.importorskip(
    "dask.dataframe", reason="dask is not installed: pip install 'perfscore[dask]'"
)
distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")

from perfscore import Indicator, evaluate  # noqa: E402
from perfscore.scale.dask import (  # noqa: E402
    _ROW_FIELDS,
    _TALLY_FIELDS,
    NOT_GRADED,
    PROJECT_TOTAL_COLUMNS,
    PartialRows,
    _judged_sums,
    _partial_rows,
    _project_sums,
    _row_tally,
    _score_partition,
    _scored_rows,
    _scoring_of,
    _Sealed,
    _Verdicts,
    profile_partition,
    project_totals,
    score_dask,
)
from perfscore.scale.frames import FRAME_COLUMNS, score_frame, score_record  # noqa: E402
from perfscore.score.scheme import load_scheme  # noqa: E402
from perfscore.score.scoring import Status, score_indicator  # noqa: E402
from perfscore.score.verdict import Tally, decide  # noqa: E402

# The verdict's columns of a partial row, after the Tally fields (_Verdicts.decided's).
_VERDICT_FIELDS = ("grade", "status", "reason")


def _partial_frame(
    partial: PartialRows, keys: list[str], verdicts: _Verdicts | None = None
) -> pd.DataFrame:
    """PartialRows as a frame: one row per project, its keys, its sums (Tally fields) and
    with ``verdicts`` the verdict's columns, to compare partitions' sums as frames."""
    rows = [[*key, *values, *(verdict or ())] for key, values, verdict in partial]
    verdict_columns = _VERDICT_FIELDS if verdicts is not None else ()
    return pd.DataFrame(rows, columns=[*keys, *_TALLY_FIELDS, *verdict_columns])


def _partial(
    scored: pd.DataFrame,
    keys: list[str],
    timings: dict[str, float] | None = None,
    verdicts: _Verdicts | None = None,
) -> pd.DataFrame:
    """Each project's sums over a scored frame (_partial_rows), as a frame."""
    return _partial_frame(_partial_rows(scored, keys, timings, verdicts), keys, verdicts)


def _scored_partial(
    partition: pd.DataFrame,
    keys: list[str],
    columns: dict[str, str],
    scheme: Any,
    recompute: bool,
    timings: dict[str, float] | None = None,
    verdicts: _Verdicts | None = None,
) -> pd.DataFrame:
    """The one-pass partial sums of a partition as a frame, to compare with ``_partial``."""
    rows = _scored_rows(partition, keys, columns, scheme, recompute, timings, verdicts)
    return _partial_frame(rows, keys, verdicts)


def synthetic(projects: int = 6, rows: int = 10) -> pd.DataFrame:
    """Projects of ten rows weighing 10 each; project 0 has an unreadable actual."""
    records = []
    for p in range(projects):
        for k in range(rows):
            actual = "见附件" if (p, k) == (0, 3) else f"{(k + 1) * 10 - (p + k) % 5}个"
            records.append(
                {
                    "project": f"项目{p}",
                    "target": f"≥{(k + 1) * 10}个",
                    "actual": actual,
                    "weight": Decimal(10),
                }
            )
    return pd.DataFrame(records)


@pytest.fixture(scope="module")
def client() -> object:
    """A two-worker LocalCluster in this process, so the suite stays small."""
    with (
        distributed.LocalCluster(
            n_workers=2, processes=False, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_dask_scores_equal_the_single_process_path(client: object) -> None:
    """Row scores and per-project totals over 4 partitions equal score_frame and evaluate."""
    frame = synthetic()
    ddf = dd.from_pandas(frame, npartitions=4)  # projects straddle partitions
    scored = score_dask(ddf, keys=("project",), columns={"weight": "weight"})
    result = scored.compute()
    single = score_frame(frame)
    assert list(result["computed"]) == list(single["computed"])
    assert list(result["counted"]) == list(single["counted"])
    totals = project_totals(scored, keys=("project",))
    for record in totals.to_dict("records"):
        rows = frame[frame["project"] == record["project"]]
        expected = evaluate(
            Indicator(row=n, target=t, actual=a, weight=w)
            for n, (t, a, w) in enumerate(
                zip(rows["target"], rows["actual"], rows["weight"], strict=True), 1
            )
        )
        assert record["total"] == expected.total
        assert record["needs_review"] == len(expected.needs_review)
        if expected.needs_review:
            assert record["grade"] == NOT_GRADED
        else:
            assert record["grade"] == expected.grade
    assert isinstance(totals["total"].iloc[0], Decimal)
    assert len(totals) == 6


# The per-row roll-up score_dask replaced: one Tally per row, added with Tally.__add__.
def reference_partial(scored: pd.DataFrame, keys: list[str]) -> dict[tuple[Any, ...], Tally]:
    sums: dict[tuple[Any, ...], Tally] = {}
    for record in scored.to_dict("records"):
        key = tuple(record[k] for k in keys)
        row = Tally.of_row(
            weight=record["weight"],
            counted=record["counted"],
            computed=record["computed"],
            published=record["published"],
            needs_review=record["status"] == "needs_review",
        )
        sums[key] = sums[key] + row if key in sums else row
    return sums


def exact(values: Iterable[Any]) -> list[tuple[str, str]]:
    """Values as (type, str), so that Decimal("2.50") differs from Decimal("2.5")."""
    return [(type(v).__name__, str(v)) for v in values]


decimals = st.one_of(
    st.none(),
    st.sampled_from([Decimal(t) for t in ("0", "0.00", "-0", "-0.0", "1E+1", "10", "2.50")]),
    st.decimals(min_value=-20, max_value=1100, places=2, allow_nan=False),
    st.decimals(min_value=-20, max_value=1100, places=0, allow_nan=False),
)


def test_row_tally_fields_are_tallys_fields() -> None:
    """The fast per-row tuple is laid out in Tally's field order."""
    assert _ROW_FIELDS == _TALLY_FIELDS


@given(decimals, decimals, decimals, decimals, st.booleans())
def test_row_tally_equals_tally_of_row(
    weight: Decimal | None,
    counted: Decimal | None,
    computed: Decimal | None,
    published: Decimal | None,
    review: bool,
) -> None:
    """Property: _row_tally gives Tally.of_row's values, types and exponents, on any row."""
    counted = counted if counted is not None else Decimal(0)
    fast = _row_tally(weight, counted, computed, published, review)
    slow = Tally.of_row(
        weight=weight,
        counted=counted,
        computed=computed,
        published=published,
        needs_review=review,
    )
    assert exact(fast) == exact(attrs.astuple(slow))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["甲", "乙", "丙"]),
            st.integers(0, 2),
            decimals,
            decimals,
            decimals,
            decimals,
            st.sampled_from(["full", "partial", "zero", "needs_review", "manual"]),
        ),
        max_size=30,
    )
)
def test_partial_equals_a_tally_per_row(rows: list[tuple[Any, ...]]) -> None:
    """Property: a partition's partial sums equal adding one Tally per row, digit for digit."""
    scored = pd.DataFrame(
        {
            "file": [r[0] for r in rows],
            "project": pd.Series([r[1] for r in rows], dtype="int64"),
            "weight": pd.Series([r[2] for r in rows], dtype=object),
            "counted": pd.Series([r[3] or Decimal(0) for r in rows], dtype=object),
            "computed": pd.Series([r[4] for r in rows], dtype=object),
            "published": pd.Series([r[5] for r in rows], dtype=object),
            "status": [r[6] for r in rows],
        }
    )
    keys = ["file", "project"]
    fast = _partial(scored, keys)
    slow = reference_partial(scored, keys)
    assert list(fast.columns) == [*keys, *_TALLY_FIELDS]
    got = {
        tuple(record[k] for k in keys): exact(record[name] for name in _TALLY_FIELDS)
        for record in fast.to_dict("records")
    }
    assert got == {key: exact(attrs.astuple(tally)) for key, tally in slow.items()}
    assert list(got) == list(slow)  # projects in order of first row


@given(
    st.lists(
        st.tuples(
            st.sampled_from([("甲",), ("乙",), (float("nan"),), ()]),
            decimals,
            decimals,
            decimals,
            decimals,
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_judged_sums_equal_project_sums_of_row_tallies(rows: list[tuple[Any, ...]]) -> None:
    """Property: the one-loop sums of judged cells are _project_sums of _row_tally's tuples,
    digit for digit (-0, exponents), in the same projects and order (a NaN key its own)."""
    keys = [r[0] for r in rows]
    weights = [r[1] for r in rows]
    published = [r[4] for r in rows]
    status = {True: Status.NEEDS_REVIEW, False: Status.PARTIAL}
    judged = [(r[3], r[2] or Decimal(0), status[r[5]]) for r in rows]
    fast = _judged_sums(keys, weights, published, judged)
    slow = _project_sums(
        keys,
        (
            _row_tally(weight, counted, computed, given, found is Status.NEEDS_REVIEW)
            for weight, given, (computed, counted, found) in zip(
                weights, published, judged, strict=True
            )
        ),
    )
    assert list(fast) == list(slow)
    assert [exact(v) for v in fast.values()] == [exact(v) for v in slow.values()]


def varied(rows: int = 120) -> pd.DataFrame:
    """Projects of uneven size over quantities, dates, qualitative and empty cells; two graded."""
    texts = [
        ("≥10个", "12个"),
        ("≥2万人次", "15000人次"),
        ("=100%", "90%"),
        ("≤3个月", "4个月"),
        ("2024年12月31日前", "已于2024年12月31日前完成"),
        ("9月前", "10月"),
        ("好", "良好"),
        ("有效提升", "明显提升"),
        ("≥90%", "见附件"),
        ("", ""),
        ("≥10个", ""),
        ("≤100万元", "150万元"),
    ]
    weights = [Decimal("10"), Decimal("2.50"), Decimal("0.00"), None, Decimal("5000"), Decimal(3)]
    published = [None, Decimal("1.5"), Decimal("10"), Decimal(0), None]
    records = []
    for k in range(rows):
        target, actual = texts[k % len(texts)]
        record = {
            "project": f"项目{(k * k) % 7}",
            "row": k + 1,
            "target": target or None,
            "actual": actual or None,
            "weight": weights[k % len(weights)],
            "published": published[(k // 2) % len(published)],
        }
        if k % 6 == 0:  # two projects of ten readable rows weighing 100, across every partition
            record.update(
                project="项目A" if k % 12 else "项目B",
                target="≥20个",
                actual=f"{10 + k // 6}个",
                weight=Decimal(10),
                published=None,
            )
        records.append(record)
    return pd.DataFrame(records)


# dask 2026.8's Parquet reader calls reset_index(inplace=True), which pandas 3.1 deprecates.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_dask_on_parquet_equals_scoring_row_by_row_and_a_tally_per_row(
    client: object, tmp_path: Path
) -> None:
    """Through Parquet (Arrow columns) on 4 partitions, every row and every project total is
    the one the full path gives: score_indicator per row, one Tally per row, the verdict."""
    frame = varied()
    path = tmp_path / "rows.parquet"
    pq.write_table(
        pa.Table.from_pandas(
            frame,
            schema=pa.schema(
                [
                    ("project", pa.string()),
                    ("row", pa.int64()),
                    ("target", pa.string()),
                    ("actual", pa.string()),
                    ("weight", pa.decimal128(38, 2)),
                    ("published", pa.decimal128(38, 1)),
                ]
            ),
            preserve_index=False,
        ),
        path,
        row_group_size=30,
    )
    ddf = dd.read_parquet(path, split_row_groups=True)
    assert ddf.npartitions == 4
    scheme = load_scheme()
    scored = score_dask(ddf, keys=("project",))
    result = scored.compute()
    back = pq.read_table(path).to_pylist()
    expected = [
        score_record(
            score_indicator(
                Indicator(
                    row=r["row"],
                    target=r["target"] or "",
                    actual=r["actual"] or "",
                    weight=r["weight"],
                    published=r["published"],
                ),
                scheme,
            )
        )
        for r in back
    ]
    assert result["project"].tolist() == [r["project"] for r in back]
    for name in FRAME_COLUMNS:
        assert exact(result[name].tolist()) == exact(e[name] for e in expected), name
    # Project totals: partition sums added in partition order, as before.
    totals: dict[tuple[Any, ...], Tally] = {}
    for number in range(scored.npartitions):
        for key, part in reference_partial(
            scored.partitions[number].compute(), ["project"]
        ).items():
            totals[key] = totals[key] + part if key in totals else part
    fast = project_totals(scored, keys=("project",))
    assert fast["project"].tolist() == sorted(k[0] for k in totals)
    for record in fast.to_dict("records"):
        tally = totals[(record["project"],)]
        verdict = decide(tally, scheme.grade)
        reason = "; ".join(str(r) for r in (*verdict.reasons, *verdict.notes))
        assert exact(record[name] for name in PROJECT_TOTAL_COLUMNS) == exact(
            [
                tally.weight,
                tally.counted,
                tally.rows,
                tally.needs_review,
                verdict.grade if verdict.graded else NOT_GRADED,
                verdict.status.value,
                reason,
            ]
        )
    assert NOT_GRADED in set(fast["grade"])
    assert len(set(fast["grade"])) > 1


def test_profile_partition_times_every_stage_of_the_same_work() -> None:
    """The benchmark's profile runs the partition's real stages; timing changes no result."""
    frame = varied(40)
    timings = profile_partition(frame, keys=("project",))
    assert set(timings) == {"convert", "score", "tally", "serialise"}
    assert all(seconds >= 0 for seconds in timings.values())
    framed = profile_partition(frame, keys=("project",), scored_frame=True)
    assert set(framed) == {"convert", "score", "explain", "build", "tally", "serialise"}
    keys, scheme = ["project"], load_scheme()
    timed_sums: dict[str, float] = {}
    assert _scored_partial(frame, keys, {}, scheme, False, timed_sums).equals(
        _scored_partial(frame, keys, {}, scheme, False)
    )
    assert set(timed_sums) == {"convert", "score", "tally"}
    timed: dict[str, float] = {}
    plain = score_frame(frame)
    assert score_frame(frame, timings=timed).equals(plain)
    assert set(timed) == {"convert", "score", "explain", "build"}


# --- totals in one pass: project_totals of a score_dask result, unchanged ---------------


def same_frame(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    """Equal column for column, value for value (Decimal digits and types included)."""
    assert list(fast.columns) == list(slow.columns)
    assert list(fast.dtypes) == list(slow.dtypes)
    for name in fast.columns:
        assert exact(fast[name].tolist()) == exact(slow[name].tolist()), name


@pytest.mark.parametrize("recompute", [False, True])
@pytest.mark.parametrize(
    "scheme_name", ["mof2020", "province-integer-down", "vendor-linear", "department"]
)
def test_one_pass_partials_equal_the_partials_of_the_scored_frame(
    recompute: bool, scheme_name: str
) -> None:
    """_scored_partial is _partial(_score_partition(…)) on every kind of row, empty too:
    judged from the cells, or (department: 不适用 and checklist rows) as Indicators."""
    scheme = load_scheme(scheme_name)
    frames = [varied(), varied(7), synthetic(), varied().iloc[0:0]]
    verdicts = _Verdicts(scheme, recompute)
    for frame in frames:
        for keys in (["project"], []):
            scored = _score_partition(frame, keys, {}, scheme, recompute)
            same_frame(_scored_partial(frame, keys, {}, scheme, recompute), _partial(scored, keys))
            with_verdicts = _partial(scored, keys, None, verdicts)
            same_frame(
                _scored_partial(frame, keys, {}, scheme, recompute, None, verdicts),
                with_verdicts,
            )
            # Each project's verdict is the one its sums get (what the client takes for a
            # project no other partition holds).
            for record in with_verdicts.to_dict("records"):
                decided = verdicts.row([record[name] for name in _TALLY_FIELDS])
                assert [record["grade"], record["status"], record["reason"]] == list(decided[4:])
    renamed = synthetic().rename(columns={"target": "指标值", "actual": "实际完成值"})
    names = {"target": "指标值", "actual": "实际完成值"}
    scored = _score_partition(renamed, ["project"], names, scheme, recompute)
    same_frame(
        _scored_partial(renamed, ["project"], names, scheme, recompute),
        _partial(scored, ["project"]),
    )


@pytest.mark.parametrize("recompute", [False, True])
def test_project_totals_of_score_dask_in_one_pass_equal_totals_of_its_frame(
    client: object, recompute: bool
) -> None:
    """A score_dask result as returned is summed in one pass per partition; the same
    frame changed in any way (here: its columns selected again) is summed from its
    columns — the same totals, digit for digit, in every partitioning."""
    frame = varied(150)
    frame["unit"] = [f"单位{k % 3}" for k in range(len(frame))]
    for partitions in (1, 4, 7):
        ddf = dd.from_pandas(frame, npartitions=partitions)
        scored = score_dask(ddf, keys=("unit", "project"), recompute=recompute)
        changed = scored[list(scored.columns)]
        assert _scoring_of(scored) is not None
        assert _scoring_of(changed) is None
        for keys in (("unit", "project"), ("project",), ("unit",)):
            fast = project_totals(scored, keys=keys, recompute=recompute)
            slow = project_totals(changed, keys=keys, recompute=recompute)
            same_frame(fast, slow)
        # A key that only the scored frame has (a column score_dask adds) is summed from it.
        same_frame(
            project_totals(scored, keys=("unit", "level1"), recompute=recompute),
            project_totals(changed, keys=("unit", "level1"), recompute=recompute),
        )


def test_partial_sums_leave_a_worker_as_one_pickle() -> None:
    """A partition's sums cross to the client as one pickled object: dask.distributed's
    message encoder takes a bare list of tuples apart and pickles every Decimal in it
    with a header of its own (25,001 frames for 5,000 projects; 4 s of client CPU on
    1,000,000 rows), a _Sealed in one piece, and they come back equal."""
    from distributed.protocol import dumps, loads

    rows = [
        ((f"项目{k}",), [10, Decimal("100"), Decimal("95.00"), Decimal("95.00"), 0, Decimal(0),
                        Decimal(0), 0, 0, 0], ("优", "graded", ""))
        for k in range(500)
    ]  # fmt: skip
    # Every kind of sum comes back as it was: -0, exponents, 23 digits, None verdicts.
    rows += [
        (("甲", 3), [1, Decimal("-0"), Decimal("1E+1"), Decimal("0.00"), 1, Decimal("-0.0"),
                    Decimal("5"), 0, 1, 0], None),
        ((), [2, Decimal("-1.50"), Decimal("12345678901234567890.123"), Decimal(7), 0,
              Decimal(0), Decimal(0), 1, 0, 2], ("良", "", "")),
    ]  # fmt: skip
    bare = dumps({"op": "result", "data": {"key": rows}})
    sealed = dumps({"op": "result", "data": {"key": _Sealed(rows)}})
    assert len(bare) > len(rows)  # the encoder's cost this avoids (the test's premise)
    assert len(sealed) <= 3
    back = loads(sealed)["data"]["key"]
    assert isinstance(back, _Sealed)
    assert [(key, exact(values), verdict) for key, values, verdict in back.rows] == [
        (key, exact(values), verdict) for key, values, verdict in rows
    ]
    # As columns, equal verdicts are one object, which pickle writes once.
    fresh = [(key, values, (*verdict,)) for key, values, verdict in rows[:500]]
    verdicts = _Sealed(fresh).columns[2]
    assert all(verdict is verdicts[0] for verdict in verdicts)
    empty = loads(dumps({"op": "result", "data": {"key": _Sealed([])}}))["data"]["key"]
    assert empty.rows == []
    assert empty.columns == ([], [[] for _ in _TALLY_FIELDS], [])


@pytest.mark.parametrize("keys", [(), ("project",)])
def test_project_totals_of_no_rows_and_of_no_keys(client: object, keys: tuple[str, ...]) -> None:
    """No rows: an empty frame with the totals' columns.  No keys: one project of all rows."""
    frame = synthetic(3)
    empty = project_totals(
        score_dask(dd.from_pandas(frame.iloc[0:0], npartitions=1), keys=keys), keys=keys
    )
    assert list(empty.columns) == [*keys, *PROJECT_TOTAL_COLUMNS]
    assert empty.empty
    totals = project_totals(score_dask(dd.from_pandas(frame, npartitions=3), keys=keys), keys=keys)
    assert len(totals) == (1 if not keys else 3)
    assert sum(totals["indicators"]) == len(frame)
    assert sum(totals["weight"]) == Decimal(10) * len(frame)


def test_project_totals_names_a_missing_key_column() -> None:
    """A key the frame lacks is named in both languages, before any work is scheduled."""
    scored = score_dask(dd.from_pandas(synthetic(2), npartitions=2), keys=("project",))
    with pytest.raises(KeyError, match=r"没有键列.*no key column"):
        project_totals(scored, keys=("unit",))
