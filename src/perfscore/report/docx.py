"""Write the 自评表 as a Word document in the official table layout, or through a user's template.

The default is built with python-docx (the ``word`` extra): the title and year,
the header block (部门名称 or 项目名称 / 主管部门 / 实施单位), the budget-execution
block, 年度绩效目标 with 实际完成情况, the indicator table (一级/二级/三级指标, 年度指标值,
实际完成值, 分值, 得分, 偏差原因分析及改进措施) with level cells merged down as the
official form merges them, then 总分 and 自评等级.  It reads back through
:func:`perfscore.readers.read` to the same total.  A user's own ``.docx`` is
rendered with docxtpl over :func:`~.docx_fields.docx_fields` instead.

The helpers here (fonts with their East Asian name, page set-up, page numbers)
are shared with :mod:`.docx_report`.  Only ``docx`` is imported at call time, so
``import perfscore.report`` works without the extra.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..documents import Document
from ..errors import ReadError
from ..review.findings import Finding
from ..score.rollup import Evaluation
from ._xlsx_xml import escape
from .docx_fields import docx_fields

# Loading the submodule bound ``perfscore.report.docx_fields`` to it; that name is the
# function (``from perfscore.report import docx_fields``, re-exported on first use).
setattr(sys.modules[__name__.rpartition(".")[0]], "docx_fields", docx_fields)  # noqa: B010

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

__all__ = ["render_template", "to_docx"]

# GB/T 9704 names; a machine without them substitutes its own CJK font, and Word on a
# government PC has all four.  Latin letters and digits are set in Times New Roman.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
# 字号 → points: 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5.
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = 22.0, 16.0, 14.0, 10.5

# The indicator table's nine columns in millimetres: 257 mm, A4 landscape inside 20 mm margins.
_WIDTHS_MM = (20, 20, 22, 56, 28, 32, 13, 14, 52)
_COLUMNS = len(_WIDTHS_MM)
_INDICATOR_HEADERS = (
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
    "偏差原因分析及改进措施",
)  # fmt: skip
_BUDGET_HEADERS = ("年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "得分", "执行率(B/A)")


def to_docx(
    evaluation: Evaluation,
    *,
    document: Document | None = None,
    findings: Sequence[Finding] = (),
    template: str | os.PathLike[str] | None = None,
) -> bytes:
    """Return the 自评表 as ``.docx`` bytes: the official layout, or ``template`` rendered."""
    fields = docx_fields(evaluation, document, findings)
    if template is not None:
        return render_template(template, fields)
    word = new_document(landscape=True, margins_mm=(20, 20, 20, 20))
    heading = f"{fields['kind']}绩效自评表"
    add_title(word, heading)
    if fields["year"]:
        add_centered(word, f"（{fields['year']}年度）", KAI_FONT, SIZE_3)
    _form_table(word, fields)
    add_gap(word)
    rows = _indicator_table(word, fields)
    add_gap(word)
    _closing_table(word, fields, evaluation)
    add_page_numbers(word)
    return to_bytes(word) if rows is None else rows.splice(to_bytes(word))


# --- the form -------------------------------------------------------------------------


def _form_table(word: WordDocument, fields: dict[str, Any]) -> None:
    """Header, budget execution and goals: one table of nine columns."""
    rows: list[list[str]] = []
    if fields["project"]:
        rows.append(["项目名称", fields["project"]])
        rows.append(["主管部门", fields["department"]])
        if fields["unit"]:
            rows.append(["实施单位", fields["unit"]])
    else:
        rows.append(["部门名称", fields["department"]])
    table = new_table(word, len(rows) + 3 + 1 + max(len(fields["goals"]), 1))
    for n, (label, value) in enumerate(rows):
        _fill(
            table, tr_at(table, n), [label, value], spans=[1, _COLUMNS - 1], bold=[True], left=[1]
        )
    _budget_rows(table, len(rows), fields["budget"])
    _goal_rows(table, len(rows) + 3, fields)


def _budget_rows(table: Table, first: int, budget: dict[str, str]) -> None:
    values = [budget[k] for k in ("initial", "budget", "executed", "weight", "score", "rate")]
    spans = [1, 1, 1, 1, 1, 1, 1, 2]
    trs = table._tbl.tr_lst
    _fill(
        table, trs[first], ["", "预算金额（万元）", *_BUDGET_HEADERS], spans=spans, bold=[True] * 8
    )
    _fill(table, trs[first + 1], ["", "年度资金总额", *values], spans=spans, bold=[False, True])
    reason = ["", "偏差原因分析及改进措施", budget["reason"]]
    _fill(table, trs[first + 2], reason, spans=[1, 1, 7], bold=[False, True], left=[2])
    label = merge(cell_at(table, first, 0), cell_at(table, first + 2, 0))
    set_text(label, "预算执行情况", bold=True)


def _goal_rows(table: Table, first: int, fields: dict[str, Any]) -> None:
    project = bool(fields["project"])
    header = ["", "目标序号", "预期目标" if project else "年度绩效目标", "实际完成情况"]
    spans = [1, 1, 3, 4]
    trs = table._tbl.tr_lst
    _fill(table, trs[first], header, spans=spans, bold=[True] * 4)
    goals = fields["goals"] or [{"label": "", "text": "", "achieved": ""}]
    for n, goal in enumerate(goals, start=1):
        texts = ["", goal["label"], goal["text"], goal["achieved"]]
        _fill(table, trs[first + n], texts, spans=spans, left=[2, 3])
    label = merge(cell_at(table, first, 0), cell_at(table, first + len(goals), 0))
    set_text(label, "年度总体目标" if project else "年度绩效目标完成情况", bold=True)


def _indicator_table(word: WordDocument, fields: dict[str, Any]) -> StreamedXml | None:
    """The indicator block; its header row repeats on every page.  Its rows, when written
    as text (:func:`_copy_rows`), are returned, for :func:`to_docx` to splice in."""
    rows = fields["indicators"]
    block = "绩效指标" if not any(r["goal"] for r in rows) else "年度指标完成情况"
    texts = [
        [row["goal"] or block, row["level1"], row["level2"], row["name"], row["target"],
         row["actual"], row["weight"], row["score"], row["reason"]]
        for row in rows
    ]  # fmt: skip
    # Merge a column's runs of one goal (col 0) and of one level name within it (cols 1, 2),
    # as the official form does: a level is written once on the first row it applies to.
    keys: list[Callable[[dict[str, str]], tuple[str, ...]]] = [
        lambda r: (r["goal"] or block,),
        lambda r: (r["goal"], r["level1"]),
        lambda r: (r["goal"], r["level1"], r["level2"]),
    ]
    streamed = None
    if _FAST_ROWS:  # rows written from models already merged as each row needs
        table = new_table(word, 2)
        merged = _merged_cells(rows, keys)
        streamed = _copy_rows(table, table._tbl.tr_lst[1], texts, left=[3, 8], merged=merged)
    else:  # the cell-by-cell path, kept to prove the fast one equal (tests)
        table = new_table(word, len(rows) + 1)
        trs = table._tbl.tr_lst  # once: python-docx builds this list on every access
        for n, cells in enumerate(texts, start=1):
            _fill(table, trs[n], cells, left=[3, 8])
    header = table._tbl.tr_lst[0]
    _fill(table, header, [block, *_INDICATOR_HEADERS], bold=[True] * _COLUMNS)
    repeat_header(header)
    if not _FAST_ROWS:
        for column, key in enumerate(keys):
            _merge_runs(table, rows, column, key, first=1)
    return streamed


def _closing_table(word: WordDocument, fields: dict[str, Any], evaluation: Evaluation) -> None:
    """总分, then 自评等级 and the conclusion in the conclusion row.

    The grade shares the conclusion's cell because the official form has no row of its
    own for it after 总分: a reader (ours included) takes any row after the total that is
    not the conclusion for an indicator.
    """
    table = new_table(word, 2)
    # Nine real cells, not one merged across six: a reader that gets a merged cell once
    # (python-docx, ours) would find 分值 and 得分 in the wrong columns.  The inner lines
    # are hidden instead, so it looks merged.
    blank = [""] * (_COLUMNS - 4)
    _fill(
        table,
        tr_at(table, 0),
        ["总分", *blank, fields["full_marks"], fields["total"], "—"],
        bold=[True],
    )
    for column in range(_COLUMNS - 3):
        hide_inner_borders(cell_at(table, 0, column), left=column > 0, right=True)
    cell = merge(cell_at(table, 1, 1), cell_at(table, 1, _COLUMNS - 1))
    set_text(cell_at(table, 1, 0), "自评结论", bold=True)
    grade = f"{fields['grade_label']}：{fields['grade']}"
    if not evaluation.graded:
        grade += f"（{evaluation.not_graded_reason}）"
    set_text(cell, grade, bold=True, center=False)
    # A project form's 自评等级 row comes back from the reader as a conclusion of just "优".
    for text in fields["conclusion"].splitlines():
        if text.strip() == fields["grade"]:
            continue
        cell.add_paragraph().add_run(text)


def _fill(
    table: Table,
    tr: Any,
    texts: Sequence[str],
    *,
    spans: Sequence[int] | None = None,
    bold: Sequence[bool] = (),
    left: Sequence[int] = (),
) -> None:
    """Write ``texts`` across the row ``tr``, cell n spanning ``spans[n]`` columns.

    Labels (``bold``, in 黑体) and short values are centred; the cells numbered in
    ``left`` (names, reasons, goal texts) are set flush left, as the form prints them.
    """
    spans = spans or [1] * len(texts)
    cells = [_cell(tc, table) for tc in tr.tc_lst]
    column = 0
    for n, (text, span) in enumerate(zip(texts, spans, strict=True)):
        cell = cells[column]
        if span > 1:
            cell = merge(cell, cells[column + span - 1])
        set_text(cell, text, bold=n < len(bold) and bold[n], center=n not in left)
        column += span
    keep_row_together(tr)


# Indicator rows are copies of one row filled through python-docx (the same XML, element
# for element): filling 9 cells of 100,000 rows through python-docx's objects took minutes.
_FAST_ROWS = True
_PLACEHOLDER = "x"  # any non-empty text without outer spaces, tabs or line breaks


def _copy_rows(
    table: Table,
    prototype: Any,
    texts: Sequence[Sequence[str]],
    left: Any,
    merged: Sequence[tuple[tuple[int, bool], ...]] = (),
) -> StreamedXml:
    """Replace the empty row ``prototype`` by one row per entry of ``texts``, written as
    text into the returned :class:`StreamedXml` (which :func:`to_docx` splices into
    the saved document where a marker row now stands).

    The prototype is filled once with a placeholder in every cell through :func:`_fill`.
    ``merged`` gives each row's merged cells (:func:`_merged_cells`): each row has a model,
    a copy of the prototype merged as the row needs (:func:`_merge_cell`) and with its
    empty cells written empty, one per pattern (a cell merged into the one above keeps no
    text, as :func:`_merge_runs` leaves it).  A model is serialised once, in the table,
    with a mark in place of each text, and a row whose texts are plain is that text with
    its texts put in, escaped as lxml escapes them.  A text python-docx would write
    differently (tabs, line breaks or outer spaces: extra elements or ``xml:space``) makes
    its row a copy of the model with its texts set through :func:`set_text`, exactly as the
    cell-by-cell path does, serialised in the table.
    """
    import copy

    _fill(table, prototype, [_PLACEHOLDER] * _COLUMNS, left=left)
    tbl = table._tbl
    tbl.remove(prototype)
    rows = StreamedXml(tbl, "w:tr", "perfscoreRows")
    t_tag, tc_tag = qn_("w:t"), qn_("w:tc")
    # A row's model: the prototype merged as the row needs, its empty cells written empty;
    # and the model's text with a mark where each of its texts goes.
    models: dict[tuple[tuple[tuple[int, bool], ...], tuple[int, ...]], Any] = {}
    marked: dict[tuple[tuple[tuple[int, bool], ...], tuple[int, ...]], list[str]] = {}
    for at, cells in enumerate(texts):
        pattern = merged[at] if at < len(merged) else ()
        hidden = [column for column, restart in pattern if not restart]
        empty = tuple(n for n, text in enumerate(cells) if not text and n not in hidden)
        key = (pattern, empty)
        model = models.get(key)
        if model is None:
            if len(models) >= 512:  # at most 27 merge patterns x 512 sets of empty cells
                models.clear()
                marked.clear()
            model = models[key] = copy.deepcopy(prototype)
            tcs = list(model.iterchildren(tc_tag))
            for column, restart in pattern:
                _merge_cell(tcs[column], table, restart=restart)
            for n in empty:
                set_text(_cell(tcs[n], table), "", center=n not in left)
        filled = [(n, text) for n, text in enumerate(cells) if text and n not in hidden]
        if all(map(plain_text, (text for _, text in filled))):
            parts = marked.get(key)
            if parts is None:
                parts = marked[key] = _marked(rows, model, [n for n, _ in filled])
            pieces = [parts[0]]
            for (_, text), after in zip(filled, parts[1:], strict=True):
                pieces.append(escape(text))
                pieces.append(after)
            rows.write("".join(pieces))
            continue
        tr = copy.deepcopy(model)
        tcs = list(tr.iterchildren(tc_tag))
        for n, text in filled:
            if plain_text(text):
                next(tcs[n].iter(t_tag)).text = text
            else:
                set_text(_cell(tcs[n], table), text, center=n not in left)
        rows.write(rows.serialised(tr))
    tbl.append(rows.marker_element())
    return rows


_MARK = "\ue000"  # a private-use character: where a text goes in a model's XML


def _marked(rows: StreamedXml, model: Any, columns: Sequence[int]) -> list[str]:
    """The model row's XML, as the document will hold it, split where the texts of
    ``columns`` go (each a cell holding the placeholder's one ``w:t``)."""
    import copy

    tr = copy.deepcopy(model)
    tcs = list(tr.iterchildren(qn_("w:tc")))
    for n in columns:
        next(tcs[n].iter(qn_("w:t"))).text = _MARK
    parts = rows.serialised(tr).split(_MARK)
    if len(parts) != len(columns) + 1:
        raise AssertionError("a model row's mark is not where its text goes")
    return parts


def plain_text(text: str) -> bool:
    """Whether python-docx's ``run.text`` writes ``text`` as one ``<w:t>`` with no
    ``xml:space``: not empty, no tab or line break, no blank at either end."""
    return bool(text) and text == text.strip() and not _BREAKS.intersection(text)


_BREAKS = frozenset("\t\n\r")  # characters python-docx writes as elements of their own


class StreamedXml:
    """Elements of a Word document's body written as the document's XML text, in a
    temporary file, and the empty marker element (``tag`` under ``parent``) standing in for
    them until :meth:`splice` puts them in its place in the saved ``word/document.xml``."""

    def __init__(self, parent: Any, tag: str, marker: str) -> None:
        import tempfile

        self.parent = parent
        self.tag = tag
        self.marker = marker
        self.file: Any = tempfile.SpooledTemporaryFile(max_size=1 << 23)  # noqa: SIM115 see splice

    def write(self, xml: str) -> None:
        self.file.write(xml.encode("utf-8"))

    def serialised(self, element: Any) -> str:
        """``element`` as the document will hold it under ``parent``: serialised as the
        parent's last child, then taken out (it is not left in the parent)."""
        from lxml import etree

        parent = self.parent
        if element.getparent() is parent:
            parent.remove(element)
        before = etree.tostring(parent, encoding="unicode")
        end = before[before.rindex("</") :]  # the parent's closing tag
        parent.append(element)
        try:
            after = etree.tostring(parent, encoding="unicode")
        finally:
            parent.remove(element)
        if not after.startswith(before[: -len(end)]):
            raise AssertionError("the document's XML changed around an element")
        xml: str = after[len(before) - len(end) : -len(end)]
        return xml

    def marker_element(self) -> Any:
        """The marker: an empty ``tag`` carrying ``w:rsidR`` = ``marker``."""
        from docx.oxml import OxmlElement

        element = OxmlElement(self.tag)
        element.set(qn_("w:rsidR"), self.marker)
        return element

    def close(self) -> None:
        self.file.close()

    def splice(self, data: bytes) -> bytes:
        """The saved ``.docx`` ``data`` with the elements in place of the marker."""
        import shutil
        import zipfile

        out = io.BytesIO()
        try:
            with (
                zipfile.ZipFile(io.BytesIO(data)) as source,
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
            ):
                for info in source.infolist():
                    part = source.read(info)
                    if info.filename != "word/document.xml":
                        target.writestr(info, part)
                        continue
                    mark = part.index(f'w:rsidR="{self.marker}"'.encode())
                    start = part.rindex(f"<{self.tag}".encode(), 0, mark)
                    end = part.index(b"/>", mark) + 2
                    with target.open(info, "w", force_zip64=True) as document:
                        document.write(part[:start])
                        self.file.seek(0)
                        shutil.copyfileobj(self.file, document, 1 << 20)
                        document.write(part[end:])
        finally:
            self.close()
        return out.getvalue()


def _merged_cells(
    rows: Sequence[dict[str, str]], keys: Sequence[Callable[[dict[str, str]], tuple[str, ...]]]
) -> list[tuple[tuple[int, bool], ...]]:
    """For each row, ``(column, restart)`` of its cells that :func:`_merge_runs` merges
    down with ``keys[column]``: True on a run's first row, False below it."""
    cells: list[list[tuple[int, bool]]] = [[] for _ in rows]
    for column, key in enumerate(keys):
        for start, end in _key_runs(rows, key):
            for n in range(start, end):
                cells[n].append((column, n == start))
    return [tuple(row) for row in cells]


def _key_runs(
    rows: Sequence[dict[str, str]], key: Callable[[dict[str, str]], tuple[str, ...]]
) -> list[tuple[int, int]]:
    """``(start, end)`` (end excluded) of each run of two or more rows with the same key."""
    runs = []
    start = 0
    for end in range(1, len(rows) + 1):
        if end == len(rows) or key(rows[end]) != key(rows[start]):
            if end - start > 1:
                runs.append((start, end))
            start = end
    return runs


def _merge_cell(tc: Any, table: Table, *, restart: bool) -> None:
    """Merge the cell ``tc`` down from above, as Word stores it: ``vMerge="restart"`` on a
    run's first cell (centred vertically), a bare ``vMerge`` below, emptied."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.oxml.simpletypes import ST_Merge

    tc.vMerge = ST_Merge.RESTART if restart else ST_Merge.CONTINUE
    if restart:
        _cell(tc, table).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        return
    for paragraph in tc.p_lst[1:]:
        tc.remove(paragraph)
    paragraph = tc.p_lst[0]
    for run in paragraph.r_lst:
        paragraph.remove(run)


def _merge_runs(
    table: Table, rows: Sequence[dict[str, str]], column: int, key: Any, *, first: int
) -> None:
    """Merge ``column`` down over each run of rows with the same ``key`` (the cell-by-cell
    path's merging, which the copied rows of :func:`_copy_rows` are checked against).

    Written as Word stores it — ``vMerge="restart"`` on the run's first cell, a bare
    ``vMerge`` below, those cells emptied — rather than with python-docx's ``merge``,
    which finds each row's index by scanning the table (quadratic in the rows).
    """
    trs = table._tbl.tr_lst
    for start, end in _key_runs(rows, key):
        for n in range(start, end):
            _merge_cell(trs[first + n].tc_lst[column], table, restart=n == start)


# --- shared Word helpers --------------------------------------------------------------


def _docx() -> Any:
    """python-docx, or a ModuleNotFoundError the command line turns into an install hint."""
    import docx

    return docx


def new_document(*, landscape: bool, margins_mm: tuple[int, int, int, int]) -> WordDocument:
    """An empty A4 document, body font 仿宋_GB2312; ``margins_mm`` top, bottom, left, right."""
    docx = _docx()
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    word: WordDocument = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    )
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    top, bottom, left, right = (Mm(m) for m in margins_mm)
    section.top_margin, section.bottom_margin = top, bottom
    section.left_margin, section.right_margin = left, right
    normal = word.styles["Normal"]
    set_font(normal, BODY_FONT, SIZE_5 if landscape else SIZE_3)
    return word


def set_font(target: Any, east_asian: str, size: float, *, bold: bool = False) -> None:
    """Set a run's or style's font: ``east_asian`` for Chinese, Times New Roman for the rest.

    python-docx's ``font.name`` sets only the Latin slots; Word takes Chinese
    characters from ``w:eastAsia``, so without it the text falls back to 宋体.
    """
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.name = LATIN_FONT
    target.font.size = Pt(size)
    target.font.bold = bold
    properties = target.element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def add_title(word: WordDocument, text: str) -> Paragraph:
    """The title: 方正小标宋简体 二号, centred."""
    return add_centered(word, text, TITLE_FONT, SIZE_2)


def add_centered(word: WordDocument, text: str, font: str, size: float) -> Paragraph:
    """A centred paragraph of one run in ``font`` at ``size`` points."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(text), font, size)
    return paragraph


def new_table(word: WordDocument, rows: int) -> Table:
    """A bordered table of the nine form columns, fixed widths."""
    from docx.shared import Mm

    table: Table = word.add_table(rows=rows, cols=_COLUMNS)
    table.style = word.styles["Table Grid"]
    table.autofit = False
    for column, width in zip(table.columns, _WIDTHS_MM, strict=True):
        column.width = Mm(width)
    # Word takes the cells' own widths over the grid's: set both.
    widths = [Mm(width) for width in _WIDTHS_MM]
    for tr in table._tbl.tr_lst:  # the list once: per-row lookups would be quadratic
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            _cell(tc, table).width = width
    return table


def tr_at(table: Table, row: int) -> Any:
    """The ``row``-th row element (``tr_lst`` builds the list of every row: fetch it once
    per table where many rows are filled)."""
    return table._tbl.tr_lst[row]


def _cell(tc: Any, table: Table) -> _Cell:
    from docx.table import _Cell

    return _Cell(tc, table)


def cell_at(table: Table, row: int, index: int) -> _Cell:
    """The ``index``-th cell element of ``row``, without python-docx's ``table.cell``, which
    lays out the whole grid on every call (60 rows took 13 s).  Equal to the grid column
    while no cell to its left in that row is merged across columns."""
    from docx.table import _Cell

    # table.rows[n] builds a Row object for every row first: fine once, quadratic per cell.
    return _Cell(table._tbl.tr_lst[row].tc_lst[index], table)


def merge(first: _Cell, last: _Cell) -> _Cell:
    """Merge the rectangle from ``first`` to ``last`` and empty it (python-docx joins texts)."""
    cell: _Cell = first.merge(last)
    for paragraph in cell.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    cell.paragraphs[0].text = ""
    return cell


def set_text(cell: _Cell, text: str, *, bold: bool = False, center: bool = True) -> None:
    """Set a cell's text: labels in 黑体 五号; values in the document's Normal style, which
    :func:`new_document` sets to 仿宋_GB2312 五号 (a font on each of thousands of runs made
    a 600-row form take seconds, and a user restyles Normal in one place)."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.text = ""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    if bold:
        set_font(run, HEADING_FONT, SIZE_5)


def hide_inner_borders(cell: _Cell, *, left: bool, right: bool) -> None:
    """Draw no line on the cell's left and/or right side (the table grid draws the rest)."""
    from docx.oxml import OxmlElement

    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side, hidden in (("left", left), ("right", right)):
        if hidden:
            line = OxmlElement(f"w:{side}")
            line.set(qn_("w:val"), "nil")
            borders.append(line)
    # Word rejects a file whose tcPr children are out of schema order: borders go before
    # the shading, margins and vertical alignment set_text may have added.
    later = {qn_(f"w:{t}") for t in ("shd", "noWrap", "tcMar", "textDirection", "tcFitText",
                                      "vAlign", "hideMark")}  # fmt: skip
    following = next((child for child in properties if child.tag in later), None)
    if following is None:
        properties.append(borders)
    else:
        following.addprevious(borders)


def keep_row_together(tr: Any) -> None:
    """Keep a table row on one page (a row split over two pages is hard to read)."""
    from docx.oxml import OxmlElement

    properties = tr.get_or_add_trPr()
    if properties.find(qn_("w:cantSplit")) is None:
        properties.append(OxmlElement("w:cantSplit"))


def qn_(name: str) -> str:
    """The Clark name of a ``w:…`` tag."""
    from docx.oxml.ns import qn

    return str(qn(name))


def add_gap(word: WordDocument) -> None:
    """A 1-point paragraph between two tables: Word and LibreOffice join adjacent tables,
    and a joined table repeats no header row (the indicator header must repeat)."""
    from docx.shared import Pt

    paragraph = word.add_paragraph()
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(1)
    set_font(paragraph.add_run(""), BODY_FONT, 1)


def repeat_header(tr: Any) -> None:
    """Repeat ``row`` at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(header)


def add_page_numbers(word: WordDocument) -> None:
    """Page numbers as GB/T 9704 sets them: ``— 1 —`` in 宋体 四号, odd pages right, even left."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    word.settings.odd_and_even_pages_header_footer = True
    section = word.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        set_font(paragraph.add_run("— "), "宋体", SIZE_4)
        _page_field(paragraph)
        set_font(paragraph.add_run(" —"), "宋体", SIZE_4)


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word and LibreOffice put the page's number in its place."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        run = paragraph.add_run()
        set_font(run, "宋体", SIZE_4)
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text or ""


def to_bytes(word: WordDocument) -> bytes:
    """The document as ``.docx`` bytes."""
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def render_template(template: str | os.PathLike[str], fields: dict[str, Any]) -> bytes:
    """Render a user's ``.docx`` template (docxtpl: Jinja tags in Word) over ``fields``.

    A template that cannot be opened or has a Jinja error raises :class:`ReadError`
    naming the template and what to fix.
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    path = os.fspath(template)
    try:
        word = DocxTemplate(path)
        # autoescape: a 偏差原因 with "<" or "&" must not break the document's XML.
        word.render(fields, autoescape=True)
    except TemplateError as error:
        raise ReadError(
            f"Word 模板有误：{error}；字段见 docs/word-output.md"
            f" (the Word template has an error: {error}; fields: docs/word-output.md)",
            file=path,
        ) from None
    except Exception as error:  # a missing, corrupt or non-Word file: zip, XML or key errors
        raise ReadError(
            "无法打开 Word 模板，请确认它是 .docx 文件"
            " (cannot open the Word template: is it a .docx file?)",
            file=path,
        ) from error
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
