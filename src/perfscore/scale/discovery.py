"""Find a batch's input files, and say why every other path met is not scored.

:func:`survey` walks files, folders (recursively, following links to folders
once each) and glob patterns and returns one :class:`Found` per path met, in
order: either a file to score (``status`` empty) or a path with its status
(``failed`` or ``skipped``) and a reason a finance officer understands.  Nothing
is left out silently: an unreadable file, a folder that cannot be opened, a
broken link, a link loop, a pipe or device, a file of another format, an Excel
lock file, and the batch's own outputs (never read back as inputs) each get a
row.  Pipes and devices are never opened (reading one would block the batch).
"""

from __future__ import annotations

import errno
import glob
import os
import stat
from collections.abc import Collection, Iterable
from pathlib import Path

import attrs

from .summary import FAILED, SKIPPED

__all__ = ["SUFFIXES", "Found", "display_path", "survey"]

# Every format `perfscore score` reads; an explicitly named file is read whatever its suffix.
SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".csv", ".tsv", ".txt", ".json"})


_NOT_FOUND = "找不到文件 (file not found)"
_BROKEN_LINK = "符号链接指向的文件不存在 (broken symbolic link: its target does not exist)"
_LINK_LOOP = "符号链接循环，无法打开 (symbolic link loop: the path cannot be opened)"
_FOLDER_LOOP = "符号链接指回已查找的文件夹，未重复查找 (link back to a folder already searched)"
_SPECIAL = (
    "不是普通文件（管道、设备或套接字），未读取 (not a regular file: a pipe, device or socket)"
)
_UNREADABLE = "没有读取权限，请检查文件权限 (permission denied: check the file's permissions)"
_NO_FOLDER = "无法打开文件夹，其中的文件未评分 (cannot open the folder: its files were not scored)"
_OWN_OUTPUT = "本次批量评分的输出文件，不作为输入 (this batch's own output, not read as input)"
_LOCK_FILE = "Excel/WPS 临时锁文件 (an Excel/WPS lock file)"


@attrs.frozen
class Found:
    """A path met while searching: to score (``status`` empty), or failed/skipped and why."""

    path: str
    status: str = ""
    reason: str = ""


_EMPTY_FOLDER = (
    "文件夹中没有可读取的文件（.xlsx .xlsm .xls .ods .docx .csv .tsv .txt .json）"
    " (the folder holds no file perfscore reads)"
)


def survey(
    paths: Iterable[str | os.PathLike[str]], exclude: Collection[str | os.PathLike[str]] = ()
) -> list[Found]:
    """Every path under ``paths``, once, in order; ``exclude`` are outputs never read back.

    A path that matches nothing is kept as given (status ``failed``), so that the
    summary reports it instead of silently dropping it.
    """
    own = _Own(exclude)
    found: dict[str, Found] = {}
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            # An empty folder is a row too: the summary says nothing was there to read.
            entries = _walk(path, own) or [Found(path, FAILED, _EMPTY_FOLDER)]
        elif glob.has_magic(path) and not os.path.lexists(path):
            matches = sorted(glob.glob(path, recursive=True))
            entries = [_classify(m, own, explicit=True) for m in matches if not os.path.isdir(m)]
            entries = entries or [Found(path, FAILED, _NOT_FOUND)]
        else:
            entries = [_classify(path, own, explicit=True)]
        for entry in entries:
            found.setdefault(entry.path, entry)
    return list(found.values())


def display_path(path: str) -> str:
    """``path`` as text any output holds: a non-UTF-8 name (GBK from Windows) decoded."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(path)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "backslashreplace")
    return path


class _Own:
    """The batch's outputs, with their lock and temporary files."""

    def __init__(self, outputs: Collection[str | os.PathLike[str]]) -> None:
        self.paths = {os.path.realpath(p) for p in outputs}
        self.names = {(os.path.dirname(p), os.path.basename(p)) for p in self.paths}

    def __contains__(self, path: str) -> bool:
        real = os.path.realpath(path)
        if real in self.paths:
            return True
        folder, name = os.path.split(real)
        for out_folder, out_name in self.names:
            if folder == out_folder and name.startswith(f".{out_name}."):
                rest = name[len(out_name) + 2 :]
                if rest == "lock" or (rest.endswith(".tmp") and rest[:-4].isdigit()):
                    return True
        return False


def _walk(top: str, own: _Own) -> list[Found]:
    """Every file under ``top``, sorted; links to folders followed once each."""
    out: list[Found] = []
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            entries = list(os.scandir(folder))
        except OSError as error:
            out.append(Found(folder, FAILED, f"{_NO_FOLDER}: {error.strerror}"))
            continue
        if (info.st_dev, info.st_ino) in seen:
            out.append(Found(folder, SKIPPED, _FOLDER_LOOP))
            continue
        seen.add((info.st_dev, info.st_ino))
        for entry in entries:
            if _is_dir(entry):
                stack.append(entry.path)
            else:
                out.append(_classify(entry.path, own, explicit=False))
    return sorted(out, key=lambda f: f.path)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _classify(path: str, own: _Own, *, explicit: bool) -> Found:
    """What to do with one path: score it, or fail or skip it with the reason."""
    if path in own:
        return Found(path, SKIPPED, _OWN_OUTPUT)
    name = os.path.basename(path)
    if not explicit and os.path.splitext(name)[1].lower() not in SUFFIXES:
        return Found(path, SKIPPED, _format_reason(name))
    if not explicit and name.startswith("~$"):
        return Found(path, SKIPPED, _LOCK_FILE)
    try:
        info = os.stat(path)
    except OSError as error:
        return Found(path, FAILED, _stat_reason(path, error))
    if not stat.S_ISREG(info.st_mode):
        return Found(path, FAILED, _SPECIAL)
    if not os.access(path, os.R_OK):
        return Found(path, FAILED, _UNREADABLE)
    return Found(path)


def _stat_reason(path: str, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return _LINK_LOOP
    if error.errno == errno.ENOENT:
        return _BROKEN_LINK if os.path.islink(path) else _NOT_FOUND
    if error.errno == errno.EACCES:
        return _UNREADABLE
    return f"无法打开 (cannot open: {error.strerror})"


def _format_reason(name: str) -> str:
    suffix = Path(name).suffix or "（无扩展名）(none)"
    return (
        f"不是可读取的格式 {suffix}，可读取：{' '.join(sorted(SUFFIXES))}"
        f" (not a format perfscore reads: {suffix})"
    )
