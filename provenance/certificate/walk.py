"""Every file of a delivery, whatever its format: what ``certify`` covers and ``verify`` checks.

Unlike the audit walk (:func:`provenance.audit.collect_inputs`, which keeps
images), this walk keeps every entry that is not a folder: regular files,
links to them, and special files (a pipe or device is kept so that hashing
reports it unreadable; it is never opened). Symbolic links to folders are not
followed (a link loop cannot hang the walk) and broken links hold no bytes, a
link that leads back to itself included: both are listed as skipped. A folder that cannot be listed is kept apart, so
the caller can fail on it (files may hide there).
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..evidence._sniff import IMAGE_EXTENSIONS, sniff_media_type
from ..report import SkippedFile
from .naming import _is_unicode, _relative_name

__all__ = ["Delivery", "DeliveredFile", "looks_like_image", "walk_delivery"]


def looks_like_image(path: Path) -> bool:
    """Whether the audit walk would audit this file: an image extension, or a regular file whose
    first 64 bytes sniff as an image (:func:`provenance.evidence._sniff.sniff_media_type`).

    Ignore globs and ``files[]`` (covered by digest, never audited) are for files that are not
    images: an image must be audited and certified, or it fails verification. A pipe, socket or
    device is never read (opened non-blocking and checked regular before any read); an unreadable
    file is not an image here (hashing reports it).
    """
    if path.suffix.lower() in IMAGE_EXTENSIONS:
        return True
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        return sniff_media_type(os.read(descriptor, 64)) is not None
    except OSError:
        return False
    finally:
        os.close(descriptor)


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

    def add(self, path: Path, raw: str | None = None, *, link: bool | None = None) -> None:
        """One file; ``raw`` (its name relative to the root) and ``link`` when the walk knows them."""
        is_link = path.is_symlink() if link is None else link
        if is_link and not path.exists():
            self.skipped.append(SkippedFile(str(path), "broken symbolic link"))
            return
        absolute = os.path.abspath(path)
        if absolute in self.seen:
            return  # the same file named twice (a folder and a file in it): one file
        self.seen.add(absolute)
        raw = _relative_name(path, self.root) if raw is None else raw
        self.files.append(DeliveredFile(unicodedata.normalize("NFC", raw) if _is_unicode(raw) else None, raw, path))

    def folder(self, top: Path) -> None:
        """Walk ``top`` depth first in sorted order, one ``scandir`` per folder (no extra stat per file)."""
        inside = os.path.abspath(top) != os.path.abspath(self.root)
        stack = [(top, _relative_name(top, self.root) + "/" if inside else "")]  # raises: outside the root
        while stack:
            folder, prefix = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError as error:
                self.unreadable.append(SkippedFile(
                    str(folder), f"the folder cannot be read ({error.strerror or error}): files in it were not checked"))
                continue
            subfolders = []
            for entry in entries:
                path = folder / entry.name
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append((path, prefix + entry.name + "/"))
                elif entry.is_symlink() and _points_to_folder(entry):
                    self.skipped.append(SkippedFile(str(path), "symbolic link to a folder (not followed)"))
                else:
                    self.add(path, prefix + entry.name, link=entry.is_symlink())
            stack.extend(reversed(subfolders))


def _points_to_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a link leads to a folder; ``False`` for a link loop (``ELOOP``, which ``DirEntry.is_dir``
    raises rather than answering: the link is then a broken one, holding no bytes)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


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
