"""Outputs that appear whole or not at all, and one writer per output at a time.

:class:`AtomicOutputs` hands a writer a temporary file beside each output
(``.NAME.PID.tmp`` in the same folder, so the rename never crosses a file
system).  :meth:`~AtomicOutputs.commit` flushes them to disk and ``os.replace``\\ s
each into place; :meth:`~AtomicOutputs.abort` deletes them.  So a batch killed at
any point leaves the previous output (or none) and at most a hidden temporary
file, which the next run for the same output removes.

A lock file ``.NAME.lock`` beside the output, held with ``flock`` for the whole
run, makes a second run for the same output stop at once with
:class:`~perfscore.errors.OutputBusyError` instead of both writing one file.
The operating system releases the lock when the process dies, even by SIGKILL,
so a killed run never blocks the next.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputBusyError

__all__ = ["AtomicOutputs", "lock_path", "temp_path"]


def lock_path(output: Path) -> Path:
    """The lock file of ``output``: hidden, beside it."""
    return output.with_name(f".{output.name}.lock")


def temp_path(output: Path, pid: int | None = None) -> Path:
    """The temporary file ``output`` is written to before it is renamed into place."""
    return output.with_name(f".{output.name}.{pid or os.getpid()}.tmp")


class AtomicOutputs:
    """Temporary files for ``outputs`` (the first is the main one), under its lock."""

    def __init__(self, outputs: Sequence[Path]) -> None:
        self.outputs = tuple(outputs)
        self._lock = _Lock(lock_path(self.outputs[0]))
        self._lock.acquire()
        for output in self.outputs:
            _remove_stale(output)
        self.temps = tuple(temp_path(p) for p in self.outputs)
        self.done = False

    def commit(self) -> None:
        """Flush every temporary file to disk and rename it over its output."""
        if self.done:
            return
        try:
            for temp in self.temps:
                _fsync(temp)
            # Companions first: once the main output is new, so is every companion.
            for temp, output in reversed(list(zip(self.temps, self.outputs, strict=True))):
                os.replace(temp, output)
        finally:
            self.done = True
            self._cleanup()

    def abort(self) -> None:
        """Delete the temporary files: the previous outputs stay as they were."""
        if not self.done:
            self.done = True
            self._cleanup()

    def _cleanup(self) -> None:
        for temp in self.temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self._lock.release()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale(output: Path) -> None:
    """Remove temporary files a killed run left for ``output`` (we hold its lock): its
    ``.NAME.PID.tmp`` and any ``.NAME.PID.tmp.PART`` made from it (an XLSX summary's
    rows spliced in, ``summary_xlsx.splice``)."""
    prefix = f".{output.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(output.parent):
            name = entry.name
            if not name.startswith(prefix):
                continue
            pid, _, rest = name[len(prefix) :].partition(".")
            if pid.isdigit() and (rest == "tmp" or rest.startswith("tmp.")):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


class _Lock:
    """An exclusive ``flock`` on a lock file, or a refusal if another run holds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> None:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _try_lock(fd):
                pid = _holder(fd)
                os.close(fd)
                raise OutputBusyError(
                    f"另一个批量评分（进程 {pid}）正在写入这个输出，请等它结束或换一个输出文件"
                    f" (another batch, process {pid}, is writing this output:"
                    " wait for it to finish or choose another output)",
                    file=str(self.path.with_name(self.path.name[1:-5])),
                )
            # The file may have been removed by the run that held it: lock the current one.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self.fd = fd
                return
            os.close(fd)

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self.fd)
        self.fd = None


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: a byte-range lock does the same
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """The process id the holder wrote into the lock file, or ``?``."""
    with contextlib.suppress(OSError, ValueError):
        return str(int(os.pread(fd, 32, 0).decode().strip()))
    return "?"
