"""Write the 自评报告 (the written self-evaluation report) as a Word document in GB/T 9704 style.

Five parts — 一、项目概况 二、预算执行情况 三、绩效目标完成情况 四、存在的问题 五、改进措施 —
numbered 一、（一）1.（1）as official documents are.  The layout follows GB/T 9704-2012:
A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; title in 方正小标宋简体
二号; body in 仿宋_GB2312 三号 with a two-character first-line indent and a fixed line
spacing of 28 points; level-1 headings in 黑体, level-2 in 楷体_GB2312; page numbers
``— 1 —`` at the foot.  Every sentence is built from :func:`.docx_fields.docx_fields`;
problems and measures are the evaluation's and the unit's own words, never invented.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..documents import Document
from ..review.findings import Finding
from ..score.rollup import Evaluation
from ._common import _NUMERALS
from ._xlsx_xml import escape
from .docx import (
    _MARK,
    BODY_FONT,
    HEADING_FONT,
    KAI_FONT,
    SIZE_3,
    TITLE_FONT,
    StreamedXml,
    add_page_numbers,
    new_document,
    plain_text,
    render_template,
    set_font,
    to_bytes,
)
from .docx_fields import docx_fields  # loaded by .docx above, which keeps the package name

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

__all__ = ["to_docx_report"]

# GB/T 9704-2012 §5.2: margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
MARGINS_MM = (37, 35, 28, 26)
LINE_SPACING_PT = 28.0
_PARTS = ("项目概况", "预算执行情况", "绩效目标完成情况", "存在的问题", "改进措施")


def to_docx_report(
    evaluation: Evaluation,
    *,
    document: Document | None = None,
    findings: Sequence[Finding] = (),
    template: str | os.PathLike[str] | None = None,
) -> bytes:
    """Return the 自评报告 as ``.docx`` bytes: GB/T 9704 style, or ``template`` rendered."""
    fields = docx_fields(evaluation, document, findings)
    if template is not None:
        return render_template(template, fields)
    word = new_document(landscape=False, margins_mm=MARGINS_MM)
    stream = None
    if _COPY_PARAGRAPHS:
        # Every paragraph is written as text (:func:`_paragraph`) in place of one marker.
        stream = StreamedXml(word.element.body, "w:p", "perfscoreParagraphs")
        _insert_paragraph(word, stream.marker_element())
        _PROTOTYPES[id(word)] = ({}, stream)
    try:
        owner = fields["project"] or fields["department"]
        year = f"{fields['year']}年度" if fields["year"] else ""
        _paragraph(word, f"{owner}{year}绩效自评报告", TITLE_FONT, indent=False, center=True)
        _paragraph(word, "", BODY_FONT)
        writers = (_overview, _budget, _attainment, _problems, _measures)
        for number, (name, write) in enumerate(zip(_PARTS, writers, strict=True)):
            _paragraph(word, f"{_NUMERALS[number]}、{name}", HEADING_FONT)
            write(word, fields)
        add_page_numbers(word)
        data = to_bytes(word)
    except BaseException:
        if stream is not None:
            stream.close()
        raise
    finally:
        _PROTOTYPES.pop(id(word), None)
    return data if stream is None else stream.splice(data)


# Whether _paragraph copies laid-out paragraphs (False: every one through python-docx,
# kept so that a test can prove the copies the same XML).
_COPY_PARAGRAPHS = True


# --- the parts ------------------------------------------------------------------------


def _overview(word: WordDocument, fields: dict[str, Any]) -> None:
    who = fields["project"] or fields["department"] or "本项目"
    parts = [f"主管部门为{fields['department']}" if fields["project"] else ""]
    parts.append(f"实施单位为{fields['unit']}" if fields["unit"] else "")
    said = "，".join(p for p in parts if p)
    year = f"{fields['year']}年度" if fields["year"] else "本年度"
    _paragraph(
        word,
        f"本报告为{who}{year}{fields['kind']}绩效自评报告"
        + (f"，{said}" if said else "")
        + f"。共设置绩效指标{len(fields['indicators'])}项，按{fields['scheme']}计分。",
    )
    if fields["goals"]:
        _paragraph(word, "（一）年度绩效目标", KAI_FONT)
        for n, goal in enumerate(fields["goals"], start=1):
            _paragraph(word, f"{n}.{goal['text']}")


def _budget(word: WordDocument, fields: dict[str, Any]) -> None:
    budget = fields["budget"]
    if not budget["budget"]:
        _paragraph(word, "表中未提供全年预算数和全年执行数，总分不含预算执行得分。")
        return
    initial = f"年初预算数{budget['initial']}万元，" if budget["initial"] else ""
    _paragraph(
        word,
        f"{initial}全年预算数{budget['budget']}万元，全年执行数{budget['executed']}万元，"
        f"预算执行率{budget['rate']}，得{budget['score']}分（分值{budget['weight']}分）。",
    )
    if budget["reason"]:
        _paragraph(word, f"偏差原因分析及改进措施：{budget['reason']}")


def _attainment(word: WordDocument, fields: dict[str, Any]) -> None:
    indicators = fields["indicators"]
    counts = {
        s: sum(1 for i in indicators if i["status"] == s) for s in ("满分", "部分得分", "零分")
    }
    review = len(fields["review"])
    reason = fields["not_graded_reason"]
    grade = f"不评定等级（{reason}）" if reason else f"{fields['grade_label']}为{fields['grade']}"
    _paragraph(
        word,
        f"自评总分{fields['total']}分（满分{fields['full_marks']}分），"
        f"{grade}。{len(indicators)}项指标中，"
        f"满分{counts['满分']}项，部分得分{counts['部分得分']}项，零分{counts['零分']}项"
        + (f"，需人工复核{review}项。" if review else "。"),
    )
    _paragraph(word, "（一）各绩效目标完成情况", KAI_FONT)
    goals = {g["label"]: g for g in fields["goals"]}
    for n, group in enumerate(fields["groups"], start=1):
        label = group["goal"] or "全部指标"
        achieved = _achieved(goals, group["goal"])
        _paragraph(
            word,
            f"{n}.{label}：共{group['count']}项指标，满分{group['full']}项，"
            f"分值{group['weight']}分，得{group['score']}分。" + achieved,
        )
    _paragraph(word, "（二）未完成指标及偏差原因", KAI_FONT)
    lost = [r for r in fields["lost"] if r["row"]]
    if not lost:
        _paragraph(word, "各项指标均取得满分。")
    by_row: dict[Any, dict[str, Any]] = {}
    for indicator in indicators:
        by_row.setdefault(indicator["row"], indicator)  # the first, as a search would find
    for n, row in enumerate(lost, start=1):
        indicator = by_row[row["row"]]
        _paragraph(
            word,
            f"{n}.{row['name']}：年度指标值{indicator['target'] or '（空）'}，"
            f"实际完成值{indicator['actual'] or '（空）'}，分值{row['weight']}分，"
            f"得{row['score']}分，失{row['lost']}分。",
        )
        _paragraph(word, f"（1）计分依据：{row['explanation']}")
        _paragraph(word, f"（2）偏差原因分析及改进措施：{row['reason'] or '表中未填写。'}")


def _achieved(goals: dict[str, dict[str, str]], goal: str) -> str:
    """The goal's 实际完成情况 when the form gives one (goal ``绩效目标1`` ↔ label ``1``)."""
    for label, entry in goals.items():
        if label and goal.endswith(label) and entry["achieved"]:
            return f"实际完成情况：{entry['achieved']}"
    return ""


def _problems(word: WordDocument, fields: dict[str, Any]) -> None:
    if not fields["problems"]:
        _paragraph(word, "未发现需要说明的问题。")
    for n, problem in enumerate(fields["problems"], start=1):
        _paragraph(word, f"{n}.{problem}")


def _measures(word: WordDocument, fields: dict[str, Any]) -> None:
    if not fields["measures"]:
        _paragraph(word, "表中未填写偏差原因分析及改进措施，请补充。")
    for n, measure in enumerate(fields["measures"], start=1):
        _paragraph(word, f"{n}.{measure}")


# --- layout ---------------------------------------------------------------------------


def _paragraph(
    word: WordDocument,
    text: str,
    font: str = BODY_FONT,
    *,
    indent: bool = True,
    center: bool = False,
) -> None:
    """One paragraph: fixed 28-point lines, indented two characters (三号 = 16 pt each).

    Within :func:`to_docx_report` each kind of paragraph (font, indent, centring) is laid
    out once through python-docx and then copied with only its text set: python-docx's
    layout setters cost about a third of a millisecond a paragraph, and a report of
    100,000 rows has hundreds of thousands (tests/report/test_docx_rows.py compares the
    XML both ways).
    """
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    copying = _PROTOTYPES.get(id(word))
    key = (font, indent, center)
    if copying is None:  # every paragraph through python-docx (the path tests compare with)
        _laid_out(word, text, font, indent, center)
        return
    prototypes, stream = copying
    models = prototypes.get(key)
    if models is None:
        # The first paragraph of its kind: laid out through python-docx, then kept as two
        # models, with no text and with one <w:t> (its XML, with a mark for the text).
        paragraph = _laid_out(word, text, font, indent, center)
        empty = copy.deepcopy(paragraph._p)
        Run(empty[-1], paragraph).text = ""  # keeps the run's properties, not its text
        worded = copy.deepcopy(empty)
        Run(worded[-1], paragraph).text = _MARK  # one <w:t>, as run.text writes plain text
        parts = stream.serialised(worded).split(_MARK)
        if len(parts) != 2:
            raise AssertionError("a paragraph model's mark is not where its text goes")
        models = prototypes[key] = (empty, parts)
        stream.write(stream.serialised(paragraph._p))
        return
    empty, parts = models
    if plain_text(text):  # the one <w:t> python-docx's run.text writes
        stream.write(parts[0] + escape(text) + parts[1])
        return
    # Tabs, line breaks, outer blanks, no text: python-docx writes them.
    p = copy.deepcopy(empty)
    Run(p[-1], Paragraph(p, word._body)).text = text
    stream.write(stream.serialised(p))


# Each report being written, by id(word): its paragraph models by kind and the stream its
# paragraphs are written to (see _paragraph).
_PROTOTYPES: dict[int, tuple[dict[tuple[str, bool, bool], Any], StreamedXml]] = {}


def _laid_out(word: WordDocument, text: str, font: str, indent: bool, center: bool) -> Paragraph:
    """A paragraph laid out through python-docx (what _paragraph copies)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = _add_paragraph(word)
    layout = paragraph.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(LINE_SPACING_PT)
    layout.space_before = layout.space_after = Pt(0)
    layout.first_line_indent = Pt(2 * SIZE_3) if indent else None
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    # A heading never ends a page alone: it stays with the paragraph it introduces.
    layout.keep_with_next = font != BODY_FONT
    size = 22.0 if font == TITLE_FONT else SIZE_3
    set_font(paragraph.add_run(text), font, size)
    return paragraph


def _add_paragraph(word: WordDocument) -> Paragraph:
    """``word.add_paragraph()`` in constant time: the same empty ``<w:p/>`` before the body's
    closing ``<w:sectPr>``.  python-docx finds that element by scanning the body's children
    on every call, which made a report of 100,000 rows' paragraphs take hours."""
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    p = OxmlElement("w:p")
    _insert_paragraph(word, p)
    return Paragraph(p, word._body)


def _insert_paragraph(word: WordDocument, p: Any) -> None:
    """Put ``<w:p>`` last in the body, before its closing ``<w:sectPr>`` (constant time)."""
    from docx.oxml.ns import qn

    body = word.element.body
    try:
        last = body[-1]  # lxml walks back from the last child: no scan
    except IndexError:
        last = None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(p)
    else:
        body.append(p)
