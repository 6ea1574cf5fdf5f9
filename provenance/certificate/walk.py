"""Every file of a delivery, whatever its format: what ``certify`` covers and ``verify`` checks.

Unlike the audit walk (:func:`provenance.audit.collect_inputs`, which keeps
images), this walk keeps every entry that is not a folder: regular files,
links to them, and special files (a pipe or device is kept so that hashing
reports it unreadable; it is never opened). Symbolic links to folders are not
followed (a link loop cannot hang the walk) and broken links hold no bytes:
both are listed as skipped. A folder that cannot be listed is kept apart, so
the caller can fail on it (files may hide there).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..report import SkippedFile
from .naming import _is_unicode, _relative_name

__all__ = ["Delivery", "DeliveredFile", "walk_delivery"]


@dataclass(frozen=True, slots=True)
class DeliveredFile:
    """A file of the delivery: its certificate name (NFC), its name exactly as on disk, its path.

    ``name`` is ``None`` when the name on disk is not valid UTF-8: no certificate can name it.
    """

    name: str | None
    raw: str
    path: Path


@dataclass(frozen=True, slots=True)
class Delivery:
    """What :func:`walk_delivery` found, each in walk order (folders sorted)."""

    files: tuple[DeliveredFile, ...]
    skipped: tuple[SkippedFile, ...] = ()
    unreadable: tuple[SkippedFile, ...] = ()
    """Folders that could not be listed."""


class _Walk:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[DeliveredFile] = []
        self.skipped: list[SkippedFile] = []
        self.unreadable: list[SkippedFile] = []
        self.seen: set[str] = set()

    def add(self, path: Path) -> None:
        if path.is_symlink() and not path.exists():
            self.skipped.append(SkippedFile(str(path), "broken symbolic link"))
            return
        absolute = os.path.abspath(path)
        if absolute in self.seen:
            return  # the same file named twice (a folder and a file in it): one file
        self.seen.add(absolute)
        raw = _relative_name(path, self.root)
        self.files.append(DeliveredFile(unicodedata.normalize("NFC", raw) if _is_unicode(raw) else None, raw, path))

    def folder(self, top: Path) -> None:
        def refused(error: OSError) -> None:
            where = error.filename or str(top)
            self.unreadable.append(SkippedFile(
                str(where), f"the folder cannot be read ({error.strerror or error}): files in it were not checked"))

        for folder, dirnames, filenames in os.walk(top, followlinks=False, onerror=refused):
            dirnames.sort()
            base = Path(folder)
            for name in list(dirnames):
                if (base / name).is_symlink():
                    self.skipped.append(SkippedFile(str(base / name), "symbolic link to a folder (not followed)"))
            for name in sorted(filenames):
                self.add(base / name)


def walk_delivery(paths: Sequence[str | Path], root: str | Path) -> Delivery:
    """Every file under ``paths`` (folders walked recursively), named relative to ``root``.

    Raises:
        UsageError: a path does not exist, or lies outside ``root``.
    """
    walk = _Walk(Path(root))
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"no such file or folder: {raw}")
        if path.is_dir():
            walk.folder(path)  # (a link to a folder named directly is walked: the caller chose it)
        else:
            walk.add(path)
    return Delivery(tuple(walk.files), tuple(walk.skipped), tuple(walk.unreadable))
