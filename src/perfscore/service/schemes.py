"""Schemes by name: the presets, and custom TOML files from one allow-listed folder.

A client names a scheme; it never gives a path.  A name that is not a preset is
looked up as ``<name>.toml`` directly inside ``--schemes-dir`` (letters, digits,
``-``, ``_`` and ``.`` only; the resolved file must still be inside the folder, so
neither ``..`` nor a symbolic link leads out of it).  A custom scheme is loaded
once per version of its file (path, size, modification time) and then reused, so
its scores share the caches as a preset's do.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SchemeError
from .problems import Problem, from_error

if TYPE_CHECKING:
    from ..score.scheme import Scheme

__all__ = ["SchemeBook"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
UNKNOWN = "找不到方案「{name}」(no such scheme {name!r}); 可用 (available): {names}"


class SchemeBook:
    """The schemes one service may use: presets, plus ``folder``'s ``*.toml`` when given."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder.resolve() if folder is not None else None
        self._loaded: dict[Path, tuple[tuple[int, int], Scheme]] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """Every scheme name a request may give: presets first, then the folder's, sorted."""
        from ..score.scheme import available_schemes

        presets = available_schemes()
        custom: list[str] = []
        if self.folder is not None and self.folder.is_dir():
            custom = sorted(
                p.stem
                for p in self.folder.glob("*.toml")
                if _NAME.fullmatch(p.stem) and p.stem not in presets and self._inside(p)
            )
        return [*presets, *custom]

    def load(self, name: str | None, *, status: int = 400) -> Scheme:
        """The scheme ``name`` (None: the default preset); ``status`` when there is none."""
        from ..score.scheme import available_schemes, load_scheme

        if name is None or name in available_schemes():
            return load_scheme(name)
        path = self._path(name)
        if path is None:
            message = UNKNOWN.format(name=name, names=", ".join(self.names()))
            raise Problem(status, "not-found" if status == 404 else "bad-request", message)
        return self._custom(path)

    def toml(self, name: str) -> str:
        """The TOML text of a scheme (for ``GET /schemes/{name}``)."""
        from importlib import resources

        from ..score.scheme import available_schemes

        if name in available_schemes():
            preset = resources.files("perfscore.score").joinpath("presets", f"{name}.toml")
            return preset.read_text("utf-8")
        path = self._path(name)
        if path is None:  # pragma: no cover - load() has already refused it
            raise Problem(404, "not-found", UNKNOWN.format(name=name, names=""))
        return path.read_text("utf-8")

    def _inside(self, path: Path) -> bool:
        assert self.folder is not None
        try:
            resolved = path.resolve(strict=True)
        except OSError:
            return False
        return resolved.parent == self.folder and resolved.is_file()

    def _path(self, name: str) -> Path | None:
        if self.folder is None or not _NAME.fullmatch(name) or name.endswith(".toml"):
            return None
        path = self.folder / f"{name}.toml"
        return path.resolve() if self._inside(path) else None

    def _custom(self, path: Path) -> Scheme:
        from ..score.scheme import load_scheme

        stat = path.stat()
        version = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            known = self._loaded.get(path)
            if known is not None and known[0] == version:
                return known[1]
            try:
                scheme = load_scheme(path)
            except (SchemeError, OSError, UnicodeDecodeError) as error:
                raise from_error(error, scrub=f"{self.folder}/") from None
            self._loaded[path] = (version, scheme)
            return scheme
