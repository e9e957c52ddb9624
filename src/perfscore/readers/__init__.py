"""Readers: turn the files people have into :class:`perfscore.documents.Document` values.

:func:`read` picks the reader from the file's extension and, for text and
Word files, from what the file holds (a 绩效自评表 or a 绩效目标表):

=========================  ==============================================
``.csv``                   :func:`~perfscore.readers.tabular.read_csv`
``.xlsx`` / ``.xlsm``      :func:`~perfscore.readers.tabular.read_xlsx`
``.xls`` / ``.ods``        :func:`~perfscore.readers.tabular.read_calamine_sheets`
``.json``                  :func:`~perfscore.readers.json_reader.read_json`
``.docx``                  自评表 or 目标表 (python-docx)
anything else (text)       pasted 自评表 text or a 目标表 text export
=========================  ==============================================

Readers collect problems as diagnostics instead of stopping; only a file that
cannot be read at all raises :class:`~perfscore.errors.ReadError`.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from ..documents import Diagnostic, Document, DocumentKind
from ..errors import ReadError

__all__ = ["read", "read_all", "read_text"]

# Exact header cells that only a self-evaluation's indicator table has.
_SELF_EVALUATION_HEADERS = frozenset({"实际完成值", "全年实际值", "实际完成情况"})
_TARGET_TABLE_MARKERS = ("\t一级指标", "\t指标值")


def read(
    path: str | os.PathLike[str], *, sheet: str | None = None, kind: DocumentKind | None = None
) -> Document:
    """Read any supported file into a :class:`Document`.

    ``sheet`` selects an XLSX worksheet; ``kind`` forces the form of a text or
    Word file instead of detecting it.
    """
    file = Path(path)
    check_file(file)
    suffix = file.suffix.lower()
    if suffix == ".csv":
        from .tabular import read_csv

        return read_csv(file)
    if suffix in (".xlsx", ".xlsm"):
        from .tabular import read_xlsx

        return read_xlsx(file, sheet=sheet)
    if suffix in (".xls", ".ods"):
        from .tabular import read_calamine_sheets

        return read_calamine_sheets(file, sheet=sheet)[0]
    if suffix == ".json":
        from .json_reader import read_json

        return read_json(file)
    if suffix == ".docx":
        return _read_docx(file, kind)
    from ._files import decode_text, read_file_bytes

    return read_text(decode_text(read_file_bytes(str(path)), str(path)), file=str(path), kind=kind)


# Files people pass that no reader can read, and what to do instead.  Keyed by suffix;
# PDF is also recognised by its first bytes, whatever its name.
_UNSUPPORTED = {
    ".pdf": "不支持 PDF 文件：请用原始 Excel/Word 文件，或从 PDF 导出为 Excel/Word 后再评分"
    " (PDF is not supported; export to Excel/Word)",
    ".doc": "不支持旧版 Word .doc 文件：请在 Word 或 WPS 中另存为 .docx"
    " (old Word .doc files are not supported: save as .docx)",
    ".wps": "不支持 WPS 文字 .wps 文件：请在 WPS 中另存为 .docx"
    " (WPS .wps files are not supported: save as .docx)",
    ".et": "不支持 WPS 表格 .et 文件：请在 WPS 中另存为 .xlsx"
    " (WPS .et files are not supported: save as .xlsx)",
}
_FOLDER = (
    "这是文件夹，不是文件：评分一个文件夹里的全部自评表请用 perfscore batch 文件夹 -o 汇总.xlsx"
    " (a folder, not a file: score a folder with perfscore batch FOLDER -o summary.xlsx)"
)
_EMPTY = (
    "文件是空的：请先填写自评表；模板见 docs/templates/自评表模板.xlsx"
    " (the file is empty: fill in a self-evaluation first; templates in docs/templates/)"
)


def check_file(file: Path) -> None:
    """Refuse, with what to do, a path that is a folder, missing, empty, a PDF or a .doc."""
    if file.is_dir():
        raise ReadError(_FOLDER, file=str(file))
    if not file.is_file():
        raise ReadError("找不到文件 (file not found)", file=str(file))
    if file.suffix.lower() in _UNSUPPORTED:
        raise ReadError(_UNSUPPORTED[file.suffix.lower()], file=str(file))
    with file.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith(b"%PDF"):
        raise ReadError(_UNSUPPORTED[".pdf"], file=str(file))
    # A text file of only spaces, line ends or a BOM is as empty as one of no bytes.
    if not head.replace(b"\xef\xbb\xbf", b"").strip() and file.stat().st_size < 4096:
        raise ReadError(_EMPTY, file=str(file))


def read_all(
    path: str | os.PathLike[str], *, kind: DocumentKind | None = None, every_sheet: bool = False
) -> list[Document]:
    """Read every project in a file: one Document per workbook sheet that holds a table.

    With ``every_sheet`` a workbook gives one Document per sheet, tables or not
    (each with its diagnostics), opened once.  Other formats hold one document:
    the list has one element.
    """
    file = Path(path)
    if file.is_file() and file.suffix.lower() in (".xlsx", ".xlsm"):
        from .tabular import read_xlsx_sheets

        return read_xlsx_sheets(file, every_sheet=every_sheet)
    if file.is_file() and file.suffix.lower() in (".xls", ".ods"):
        from .tabular import read_calamine_sheets

        return read_calamine_sheets(file, every_sheet=every_sheet)
    return [read(path, kind=kind)]


def read_text(text: str, *, file: str = "", kind: DocumentKind | None = None) -> Document:
    """Read pasted or exported text: a 自评表 (tab-separated) or a 目标表 export."""
    kind = kind or _sniff_text(text)
    if kind is DocumentKind.TARGET_TABLE:
        from .target_table import parse_target_table_text

        return parse_target_table_text(text, file=file)
    from .self_evaluation import parse_self_evaluation_text

    document = parse_self_evaluation_text(text, file=file)
    if document.indicators:
        return document
    if "\t" in text:
        # The official forms copied from Excel: read them as a table, with a real
        # TSV parser (quoted cells may hold newlines; line splitting made phantom rows).
        from .tabular import read_tsv_text

        table = read_tsv_text(text, file=file)
        if table.indicators:
            return table
        return document
    hint = Diagnostic(
        "文本中没有制表符，无法分列：从 PDF 复制的表格以空格分隔。请从 Excel 或 Word 复制表格，"
        "或另存为 CSV/XLSX 后再读取 (no tabs in the text: a table copied from a PDF is"
        " separated by spaces; copy it from Excel or Word, or save it as CSV/XLSX)",
        file=file,
    )
    return attrs.evolve(document, diagnostics=(*document.diagnostics, hint))


def _sniff_text(text: str) -> DocumentKind:
    for line in text.splitlines():
        cells = {cell.strip() for cell in line.split("\t")}
        if cells & _SELF_EVALUATION_HEADERS:
            return DocumentKind.SELF_EVALUATION
    lines = text.splitlines()
    if any(line.rstrip() in _TARGET_TABLE_MARKERS for line in lines):
        return DocumentKind.TARGET_TABLE
    return DocumentKind.SELF_EVALUATION


def _read_docx(file: Path, kind: DocumentKind | None) -> Document:
    from ._files import check_archive

    check_archive(str(file))  # before sniffing unpacks any part of it
    kind = kind or _sniff_docx(file)
    if kind is DocumentKind.TARGET_TABLE:
        from .target_table import read_target_table_docx

        return read_target_table_docx(file)
    from .self_evaluation import read_self_evaluation_docx

    return read_self_evaluation_docx(file)


def _sniff_docx(file: Path) -> DocumentKind:
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            xml = archive.read("word/document.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        # Let the reader produce its own, more specific error.
        return DocumentKind.SELF_EVALUATION
    if any(f">{header}<" in xml for header in _SELF_EVALUATION_HEADERS):
        return DocumentKind.SELF_EVALUATION
    return DocumentKind.TARGET_TABLE
