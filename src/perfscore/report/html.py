"""Render an evaluation as one self-contained HTML page: tables, inline SVG charts, print to A4.

No script, no font, image or style from the network: the file opens offline in
any browser and prints on A4 landscape (table headers repeat on each page, rows
are not split).  Chinese text falls back through the usual system fonts.  Every
text from the input is HTML-escaped and cleaned of characters no output can hold.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal

from ..documents import Document
from ..review.findings import Finding, finding_name
from ..score.rollup import Evaluation
from ._common import (
    _DASH,
    _NUMERALS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    _percent,
    _weight,
    clean_text,
    display_places,
    fmt,
    grade_label,
)
from .sections import (
    Bar,
    by_goal,
    difference_rows,
    lost_bars,
    lost_rows,
    row_notes,
    title,
    total_bars,
)
from .sections import warning_lines as _warning_lines

__all__ = ["html_page", "html_section", "to_html"]

# Fonts that hold Chinese on Linux, Windows and macOS, then the generic family:
# a browser without any of them still shows the text, in its own sans-serif.
_FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",'
    ' "WenQuanYi Micro Hei", "SimSun", sans-serif'
)
_CSS = f"""
@page {{ size: A4 landscape; margin: 12mm 10mm; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {_FONTS}; font-size: 10.5pt; color: #1f2328; margin: 16px; }}
h1 {{ font-size: 17pt; margin: 0 0 6px; text-align: center; }}
h2 {{ font-size: 12.5pt; margin: 18px 0 6px; border-left: 4px solid #2f6fb3; padding-left: 6px; }}
h3 {{ font-size: 11pt; margin: 10px 0 4px; }}
p.meta {{ margin: 2px 0; color: #57606a; text-align: center; }}
.banner {{ background: #fde8e8; border: 1px solid #d1242f; color: #82071e; padding: 8px 12px;
  margin: 8px 0; font-weight: bold; }}
.cards {{ display: flex; gap: 12px; flex-wrap: wrap; margin: 10px 0; }}
.card {{ border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 150px; }}
.card .label {{ color: #57606a; font-size: 9.5pt; }}
.card .value {{ font-size: 20pt; font-weight: bold; }}
.card.total .value {{ color: #2f6fb3; }}
table {{ border-collapse: collapse; width: 100%; margin: 4px 0 8px; }}
th, td {{ border: 1px solid #8c959f; padding: 3px 5px; vertical-align: top; }}
th {{ background: #ddebf7; font-weight: bold; }}
td.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
tr.goal td {{ background: #f6f8fa; font-weight: bold; }}
table.indicators td:nth-child(2), table.indicators td:nth-child(3) {{ white-space: nowrap; }}
tr.subtotal td {{ background: #fff8c5; font-weight: bold; }}
tr.review td {{ background: #fff1e5; }}
thead {{ display: table-header-group; }}
tr, .chart {{ page-break-inside: avoid; break-inside: avoid; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 16px; }}
.chart {{ flex: 1 1 45%; min-width: 320px; }}
.chart svg text {{ font-family: {_FONTS}; font-size: 12px; fill: #1f2328; }}
ul.warnings li {{ margin: 2px 0; }}
.none {{ color: #57606a; }}
@media print {{ body {{ margin: 0; }} h2 {{ page-break-after: avoid; break-after: avoid; }} }}
"""


def to_html(
    evaluation: Evaluation, *, document: Document | None = None, findings: Sequence[Finding] = ()
) -> str:
    """Return the 自评表 as one self-contained HTML page (UTF-8, no network)."""
    heading = title(evaluation, document)
    return html_page([html_section(evaluation, document=document, findings=findings)], heading)


def html_page(sections: Sequence[str], heading: str) -> str:
    """Wrap rendered sections (one per sheet of a workbook) in one page."""
    body = "\n<hr>\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def html_section(
    evaluation: Evaluation, *, document: Document | None = None, findings: Sequence[Finding] = ()
) -> str:
    """The report of one evaluation as an HTML fragment (``<section>``), numbered parts."""
    places = display_places(evaluation)
    parts = [
        ("图表 Charts", _charts(evaluation)),
        ("预算执行情况", _execution(evaluation, document, places)),
        ("年度指标完成情况", _indicators(evaluation, places)),
        ("按指标层级汇总", _levels(evaluation, places)),
        ("失分说明", _lost(evaluation, document, places)),
        ("填报得分与方案得分不一致", _differences(evaluation, document, places)),
        ("自评与审核对照", _reviewer(evaluation, places)),
        ("需人工复核的指标", _review(evaluation)),
        ("指标值来源、调整与评分标准", _row_notes(evaluation)),
        ("提示", _warnings(evaluation, document)),
        ("复核发现", _findings(findings)),
    ]
    shown = [(name, body) for name, body in parts if body]
    numbered = "\n".join(
        f"<h2>{_NUMERALS[n]}、{_e(name)}</h2>\n{body}" for n, (name, body) in enumerate(shown)
    )
    header = _header(evaluation, document, places)
    return f'<section class="evaluation">\n{header}\n{numbered}\n</section>'


# --- pieces ---------------------------------------------------------------------------


def _e(text: object) -> str:
    """Escape for HTML, after replacing characters no output can hold."""
    return html.escape(clean_text(str(text)), quote=True)


def _header(evaluation: Evaluation, document: Document | None, places: int) -> str:
    scheme = evaluation.scheme
    lines = [f"<h1>{_e(title(evaluation, document))}</h1>"]
    if not evaluation.graded:
        # First, before any number: a total from a partial read must not be trusted.
        reason = _e(evaluation.not_graded_reason)
        lines.append(f'<div class="banner">【不评定等级 NOT GRADED】{reason}</div>')
    if document is not None and len(document.projects) == 1:
        project = document.projects[0]
        parts = [
            f"项目名称：{project.name}"
            if project.name and project.name != document.department
            else "",
            f"主管部门：{document.department}" if document.department else "",
            f"实施单位：{project.unit}" if project.unit else "",
        ]
        if any(parts):
            lines.append(f'<p class="meta">{_e("　".join(p for p in parts if p))}</p>')
    if document is not None and document.path:
        sheet = f"（{document.sheet}）" if document.sheet else ""
        lines.append(f'<p class="meta">文件：{_e(document.path + sheet)}</p>')
    version = f" {scheme.version}" if scheme.version else ""
    mode = "按方案重新计算" if evaluation.recompute else "采用填报得分，方案得分并列对照"
    lines.append(
        f'<p class="meta">评分方案：{_e(scheme.title)}（{_e(scheme.name + version)}）；'
        f"计分方式：{mode}；金额单位：万元</p>"
    )
    grade = evaluation.grade if evaluation.graded else "不评定"
    cards = [
        ("total", "总分 Total", fmt(evaluation.total, places)),
        ("", f"{grade_label(evaluation)} Grade", grade),
    ]
    if evaluation.computed_total is not None:
        cards.append(("", "方案计算总分", fmt(evaluation.computed_total, places)))
    if evaluation.published_total is not None:
        cards.append(("", "表中填报总分", fmt(evaluation.published_total, places)))
    cards.append(
        ("", "需复核 / 指标", f"{len(evaluation.needs_review)} / {len(evaluation.scores)}")
    )
    lines.append(
        '<div class="cards">'
        + "".join(
            f'<div class="card {kind}"><div class="label">{_e(label)}</div>'
            f'<div class="value">{_e(value)}</div></div>'
            for kind, label, value in cards
        )
        + "</div>"
    )
    return "\n".join(lines)


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (), *,
    classes: Sequence[str] = (), kind: str = "",
) -> str:  # fmt: skip
    """A table; ``rows`` are plain texts (escaped here), ``numeric`` columns right-aligned.

    A row of one text spans the whole table (a goal heading).
    """
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for n, row in enumerate(rows):
        css = f' class="{classes[n]}"' if n < len(classes) and classes[n] else ""
        if len(row) == 1 and len(headers) > 1:
            body.append(f'<tr{css}><td colspan="{len(headers)}">{_e(row[0])}</td></tr>')
            continue
        cells = "".join(
            f'<td class="num">{_e(c)}</td>' if i in numeric else f"<td>{_e(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr{css}>{cells}</tr>")
    table = f'<table class="{kind}">' if kind else "<table>"
    return f"{table}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _execution(evaluation: Evaluation, document: Document | None, places: int) -> str:
    execution = evaluation.execution
    if execution is None:
        return '<p class="none">未提供全年预算数和全年执行数，总分不含预算执行得分。</p>'
    initial = document.initial_budget if document else None
    headers = ["年初预算数", "全年预算数(A)", "全年执行数(B)", "执行率(B/A)", "分值", "计算得分"]
    row = [
        _weight(initial), _weight(execution.budget), _weight(execution.executed),
        _percent(execution.rate), _weight(execution.weight), fmt(execution.computed, places),
        fmt(execution.published, places), fmt(execution.counted, places),
    ]  # fmt: skip
    table = _table([*headers, "填报得分", "计入得分"], [row], numeric=range(8))
    return f"{table}<p>说明：{_e(execution.explanation)}</p>"


_INDICATOR_HEADERS = (
    "行", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
    "计算得分", "填报得分", "计入得分", "状态",
)  # fmt: skip


def _indicators(evaluation: Evaluation, places: int) -> str:
    rows: list[list[str]] = []
    classes: list[str] = []
    for goal, scores in by_goal(evaluation.scores):
        if goal:
            rows.append([f"【{goal}】"])
            classes.append("goal")
        for s in scores:
            i = s.indicator
            status = STATUS_LABELS[s.status] + ("（≠填报）" if s.differs else "")
            rows.append(
                [
                    str(i.row), i.level1, i.level2, i.level3, i.target, i.actual,
                    _weight(i.weight), fmt(s.computed, places) or _DASH,
                    fmt(s.published, places), fmt(s.counted, places), status,
                ]
            )  # fmt: skip
            classes.append("review" if s.status.value == "needs_review" else "")
        weight = sum((s.weight for s in scores), Decimal(0))
        counted = sum((s.counted for s in scores), Decimal(0))
        label = f"{goal or '指标'}小计"
        rows.append(["", "", "", label, "", "", _weight(weight), "", "", fmt(counted, places), ""])
        classes.append("subtotal")
    total = ["", "", "", "总分", "", "", _weight(_full_weight(evaluation)), "", ""]
    rows.append([*total, fmt(evaluation.total, places), ""])
    classes.append("subtotal")
    return _table(
        _INDICATOR_HEADERS, rows, numeric=(0, 6, 7, 8, 9), classes=classes, kind="indicators"
    )


def _full_weight(evaluation: Evaluation) -> Decimal:
    execution = evaluation.execution
    return evaluation.indicator_weight + (execution.weight if execution else Decimal(0))


def _levels(evaluation: Evaluation, places: int) -> str:
    rows = [
        [
            s.label,
            _weight(s.weight),
            fmt(s.counted, places),
            fmt(s.weight - s.counted, places),
            str(s.rows),
        ]
        for s in evaluation.by_level2
    ]
    if not rows:
        return ""
    return _table(
        ["一级 / 二级指标", "分值", "计入得分", "失分", "项数"], rows, numeric=(1, 2, 3, 4)
    )


def _lost(evaluation: Evaluation, document: Document | None, places: int) -> str:
    rows = [
        [
            "" if r.row is None else str(r.row),
            r.name,
            _weight(r.weight),
            fmt(r.counted, places),
            fmt(r.points, places),
            r.explanation,
            r.reason,
        ]
        for r in lost_rows(evaluation, document)
    ]
    if not rows:
        return '<p class="none">无失分。</p>'
    headers = ["行", "三级指标", "分值", "计入得分", "失分", "得分说明", "偏差原因分析及改进措施"]
    return _table(headers, rows, numeric=(0, 2, 3, 4))


def _differences(evaluation: Evaluation, document: Document | None, places: int) -> str:
    rows = [
        [
            "" if r.row is None else str(r.row),
            r.name,
            fmt(r.computed, places),
            fmt(r.published, places),
            fmt(r.points, places),
            r.explanation,
            r.reason or ("" if r.row is None else "（未填写偏差原因）"),
        ]
        for r in difference_rows(evaluation, document)
    ]
    if not rows:
        return ""
    headers = ["行", "三级指标", "计算得分", "填报得分", "差额", "说明", "填报说明"]
    return _table(headers, rows, numeric=(0, 2, 3, 4))


def _reviewer(evaluation: Evaluation, places: int) -> str:
    """自评 and 审核 side by side, when a reviewer's column was read."""
    from ..review.reviewed import compare, has_review

    if not has_review(evaluation):
        return ""
    comparison = compare(evaluation)
    rows = [
        [
            str(r.row), r.name, _weight(r.weight), fmt(r.published, places),
            fmt(r.reviewed, places), fmt(r.computed, places), fmt(r.difference, places),
            r.explanation,
        ]
        for r in comparison.rows
    ]  # fmt: skip
    headers = ["行", "三级指标", "分值", "自评得分", "审核得分", "方案得分", "审核−自评", "说明"]
    table = _table(headers, rows, numeric=(0, 2, 3, 4, 5, 6))
    return f"{table}\n<p>{_e(comparison.explanation)}</p>"


def _review(evaluation: Evaluation) -> str:
    rows = [
        [
            str(s.indicator.row),
            s.indicator.level3,
            s.indicator.target,
            s.indicator.actual,
            s.explanation,
        ]
        for s in evaluation.needs_review
    ]
    if not rows:
        return ""
    return _table(["行", "三级指标", "年度指标值", "实际完成值", "原因"], rows, numeric=(0,))


def _row_notes(evaluation: Evaluation) -> str:
    rows = [
        [str(s.indicator.row), s.indicator.level3, label, text]
        for s in evaluation.scores
        for label, text in row_notes(s)
    ]
    if not rows:
        return ""
    return _table(["行", "三级指标", "项目", "内容"], rows, numeric=(0,))


def _warnings(evaluation: Evaluation, document: Document | None) -> str:
    lines = _warning_lines(evaluation, document)
    if not lines:
        return ""
    return '<ul class="warnings">' + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>"


def _findings(findings: Sequence[Finding]) -> str:
    rows = [
        [
            finding_name(f.code),
            f.code,
            SEVERITY_LABELS[f.severity.value],
            "" if f.row is None else str(f.row),
            f.text,
            f.message,
            f.suggestion,
        ]
        for f in findings
    ]
    if not rows:
        return ""
    headers = ["发现", "代码", "级别", "行", "内容", "说明", "建议"]
    return _table(headers, rows, numeric=(3,))


# --- charts (inline SVG) --------------------------------------------------------------


def _charts(evaluation: Evaluation) -> str:
    places = display_places(evaluation)
    charts = [
        ("按一级指标的失分", lost_bars(evaluation.by_level1)),
        ("按二级指标的失分", lost_bars(evaluation.by_level2)),
        ("按绩效目标的失分", lost_bars(evaluation.by_goal)),
        ("总分对照", total_bars(evaluation)),
    ]
    shown = [
        f'<div class="chart"><h3>{_e(name)}</h3>{bar_chart(bars, places)}</div>'
        for name, bars in charts
        if bars
    ]
    return f'<div class="charts">{"".join(shown)}</div>' if shown else ""


_LABEL_WIDTH = 190  # px for the labels left of the bars
_BAR_AREA = 300  # px for the longest bar
_ROW = 24  # px per bar


def bar_chart(bars: Sequence[Bar], places: int) -> str:
    """A horizontal bar chart as inline SVG: label, bar scaled to the largest value, value."""
    top = max((b.value for b in bars), default=Decimal(0))
    height = _ROW * len(bars) + 8
    width = _LABEL_WIDTH + _BAR_AREA + 70
    items = []
    for n, bar in enumerate(bars):
        y = 4 + n * _ROW
        # Geometry only: the exact value is the text beside the bar.
        length = float(bar.value / top) * _BAR_AREA if top > 0 else 0.0
        label = bar.label if len(bar.label) <= 14 else bar.label[:13] + "…"
        items.append(
            f"<g><title>{_e(bar.label)}：{_e(fmt(bar.value, places))}</title>"
            f'<text x="{_LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end">{_e(label)}</text>'
            f'<rect x="{_LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{_ROW - 8}"'
            ' fill="#2f6fb3"></rect>'
            f'<text x="{_LABEL_WIDTH + length + 6:.1f}" y="{y + 16}">'
            f"{_e(fmt(bar.value, places))}</text></g>"
        )
    return (
        # Scales with its box (two charts side by side on A4), keeping its proportions.
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}"'
        f' style="width: 100%; max-width: {width}px; height: auto">{"".join(items)}</svg>'
    )
