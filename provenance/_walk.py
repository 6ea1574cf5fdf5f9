"""Which files an audit reads: the command-line paths expanded into images, found one by one.

:class:`InputWalk` walks the named folders lazily, in a stable order (each folder's files sorted,
then its subfolders), as the images are audited, so that memory does not grow with the number of
images (#12.3); :func:`collect_inputs` builds the whole list at once. Both are re-exported by
:mod:`provenance.audit`. Reading only: nothing here opens a file for more than its first 64 bytes
(the media-type sniff of a file without an image extension).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .evidence._sniff import IMAGE_EXTENSIONS, sniff_media_type
from .report import SkippedFile

__all__ = ["FileId", "InputWalk", "Inputs", "collect_inputs"]


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a set of command-line paths expands to: image files to audit, files skipped."""

    images: tuple[Path, ...]
    skipped: tuple[SkippedFile, ...]
    unreadable: tuple[SkippedFile, ...] = ()
    """Folders that could not be listed: images may hide there, so each is
    reported as an unreadable entry of the audit, never silently passed."""


def _looks_like_image(path: Path) -> bool:
    if path.suffix.lower() in IMAGE_EXTENSIONS:
        return True
    try:
        if not path.is_file():
            return False  # never open a pipe, socket or device: reading could block forever
    except OSError:
        return True  # cannot be examined (a path longer than the system takes): audited, found unreadable
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return True  # fail closed: what cannot be read may be an image; audited, it is found unreadable
    return sniff_media_type(head) is not None


def _under(path: Path, root: Path, *, folder: bool, unlisted: set[Path]) -> bool:
    """Whether the walk of folder ``root`` reaches ``path``: ``path`` is ``root`` or lies lexically
    below it with no symbolic link to a folder on the way (the walk never follows one; a ``folder``
    that is itself such a link is not reached either, while a link to a file is listed as it is) and
    no folder on the way in ``unlisted`` (the walk could not list it).

    Lexically below means: both relative or both absolute (``.`` has no parts, so an absolute path
    starts with it too), and no ``..`` after ``root`` (``top/../other`` leaves the walk). A path that
    might be reached is "not reached": at worst a file is audited twice, never left out."""
    parts, top = path.parts, root.parts
    if parts[:len(top)] != top or path.is_absolute() != root.is_absolute():
        return False
    tail = parts[len(top):]
    if ".." in tail:
        return False
    between = root
    if between in unlisted:
        return False
    for part in tail if folder else tail[:-1]:
        between = between / part
        if between in unlisted or _is_link(between) is not False:
            return False
    return True


def _is_link(path: Path) -> bool | None:
    """Whether ``path`` is a symbolic link; ``None`` when it cannot be examined (a path longer than the
    system takes: pathlib raises for ENAMETOOLONG, which stopped the whole audit)."""
    try:
        return path.is_symlink()
    except OSError:
        return None


def _walk_tree(top: Path, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top, followlinks=False, onerror=onerror)``, top-down in the same order, without its
    recursion: Python 3.11's ``os.walk`` recurses once per folder level, so a delivery nested deeper
    than the interpreter's recursion limit (about 1,000 folders) stopped the audit with a
    RecursionError. The depth is bounded by the system's path length (``PATH_MAX``, 4,096 bytes on
    Linux): a folder below it cannot be listed and is reported by ``onerror``. As with ``os.walk``,
    the caller may prune the folder names yielded; a symbolic link to a folder is named, never entered.
    (Python 3.12's ``os.walk`` is iterative the same way.)"""
    pending = [os.fspath(top)]
    while pending:
        folder = pending.pop()
        dirnames: list[str] = []
        filenames: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirnames if is_dir else filenames).append(entry.name)
        except OSError as error:
            onerror(error)
            continue  # as os.walk: a folder that cannot be listed, in whole or in part, is not yielded
        yield folder, dirnames, filenames
        # After the caller pruned dirnames; the last pushed is walked first: os.walk's order.
        pending.extend(os.path.join(folder, name) for name in reversed(dirnames)
                       if not os.path.islink(os.path.join(folder, name)))


FileId = tuple[int, int]
"""A file's ``(st_dev, st_ino)``: the same file under any name (a hard link included)."""


class InputWalk:
    """The images that command-line paths expand to, found one by one as they are audited.

    Iterating yields the image paths of :func:`collect_inputs`, in the same order, without holding
    them: memory stays flat in the number of images (#12). The files left out are collected as the
    walk goes, in :attr:`skipped` and :attr:`unreadable` (complete once the iteration has ended).
    Iterate once.

    A file reached twice (a file named and inside a named folder, a folder named inside another) is
    yielded once: only the named paths are remembered, never every file seen. The match is lexical
    and errs towards auditing twice, never towards leaving out: the same file under two spellings
    (absolute and relative, through ``..`` or a link) is yielded under each, as by the list of every
    path before (#12), and a file in a subfolder the walk could not list is yielded when named.

    Args:
        paths: files and folders, as for :func:`collect_inputs`.
        output: a file the command writes (its report): meeting it among the images raises, so
            that the report can never replace an input image, even through another name or a hard
            link. The check is made before the image is yielded; an atomic writer has not yet touched
            ``output`` then.
        leave_out: files the command is writing into a walked folder (the atomic writer's temporary
            file), by :data:`FileId`: never listed, as image or skipped.
    Raises:
        UsageError: at construction, when a named path does not exist; while iterating, when an
            image is ``output``.
    """

    def __init__(self, paths: Iterable[str | Path] | str | Path, *, output: Path | None = None,
                 leave_out: Iterable[FileId] = ()) -> None:
        if isinstance(paths, (str, Path)):
            paths = [paths]  # one path, not its characters
        named = tuple(paths)  # iterated once: a generator of paths is checked too
        self.paths = tuple(Path(raw) for raw in named)
        for raw, path in zip(named, self.paths, strict=True):
            try:
                found = path.exists() or path.is_symlink()
            except OSError as error:
                raise UsageError(f"cannot examine {raw}: {error.strerror or error}") from error
            if not found:
                raise UsageError(f"no such file or folder: {raw}")
        self.skipped: list[SkippedFile] = []
        """Files found and left out (not images, links to folders, broken links), in walk order."""
        self.unreadable: list[SkippedFile] = []
        """Folders that could not be listed: images may hide there, so each is
        reported as an unreadable entry of the audit, never silently passed."""
        self.leave_out = set(leave_out)
        self._unlisted: set[Path] = set()  # the folders in `unreadable`: a walk did not reach below them
        self._output: FileId | None = None
        self._output_path = output
        if output is not None:
            try:
                info = os.stat(output)
                self._output = (info.st_dev, info.st_ino)
            except OSError:
                self._output = None  # not there yet: nothing to overwrite

    def _check(self, path: Path) -> None:
        if self._output is None:
            return
        try:
            info = os.stat(path)
        except OSError:
            return
        if (info.st_dev, info.st_ino) == self._output:
            raise UsageError(f"refusing to write the report over an input file: {self._output_path} (given as {path})")

    def _left_out(self, path: Path) -> bool:
        if not self.leave_out:
            return False
        try:
            info = os.lstat(path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) in self.leave_out

    def __iter__(self) -> Iterator[Path]:
        named: set[Path] = set()  # files named on the command line and yielded
        walked: set[Path] = set()  # folders named on the command line and walked
        for path in self.paths:
            if not path.is_dir():
                if path in named or (self._reached(path, walked, folder=False) and _looks_like_image(path)):
                    continue  # audited already (an image the walk of a named folder found)
                named.add(path)
                self._check(path)
                yield path
                continue
            if self._reached(path, walked, folder=True):
                continue  # this folder was walked whole already
            yield from self._walk(path, named, walked)
            walked.add(path)

    def _reached(self, path: Path, walked: set[Path], *, folder: bool) -> bool:
        """Whether the walk of a folder in ``walked`` reached ``path``: only the folders that are
        lexical prefixes of ``path`` are looked up (a set), so that naming many folders (``delivery/*``)
        costs time linear in their number, not quadratic."""
        parts = path.parts
        for end in range(len(parts) + 1 if folder else len(parts)):
            root = Path(*parts[:end])  # no parts: Path("."), under which every relative path lies
            if root in walked and _under(path, root, folder=folder, unlisted=self._unlisted):
                return True
        return False

    def _walk(self, top: Path, named: set[Path], walked: set[Path]) -> Iterator[Path]:
        def refused(error: OSError) -> None:
            where = error.filename or str(top)
            self._unlisted.add(Path(where))
            self.unreadable.append(SkippedFile(
                str(where), f"the folder cannot be read ({error.strerror or error}): images in it were not audited"
            ))

        for folder, dirnames, filenames in _walk_tree(top, refused):
            base = Path(folder)
            dirnames.sort()
            for name in list(dirnames):
                if _is_link(base / name):  # None (cannot be examined): the walk fails to list it, unreadable
                    self.skipped.append(SkippedFile(str(base / name), "symbolic link to a folder (not followed)"))
                elif base / name in walked:
                    dirnames.remove(name)  # a named folder walked before: its files were yielded then
            for name in sorted(filenames):
                candidate = base / name
                if self._left_out(candidate):
                    continue
                link = _is_link(candidate)
                if link is None:
                    image = True  # cannot be examined: audited, and found unreadable, never dropped
                elif link and not os.path.exists(candidate):  # False for a target that cannot be resolved
                    if candidate.suffix.lower() in IMAGE_EXTENSIONS:
                        image = True  # an image the delivery names but does not hold: unreadable
                    else:
                        self.skipped.append(SkippedFile(str(candidate), "broken symbolic link"))
                        continue
                else:
                    image = _looks_like_image(candidate)
                if not image:
                    self.skipped.append(SkippedFile(str(candidate), "not an image"))
                elif candidate not in named:
                    self._check(candidate)
                    yield candidate


def collect_inputs(paths: Iterable[str | Path] | str | Path) -> Inputs:
    """Expand files and folders into the images to audit.

    Every file named directly is audited (whatever it is: a non-image is then
    reported unreadable). Folders are walked recursively in sorted order; a
    file is audited when its content sniffs as an image or its name has an
    image extension, and listed as skipped otherwise. Symbolic links to
    folders are not followed (so a link loop cannot hang the walk); they are
    listed as skipped. A broken link with an image name is audited (and found
    unreadable); a folder that cannot be listed is kept in ``unreadable``.
    Each file is listed once, however many named paths reach it.

    The whole list is built here; :class:`InputWalk` yields the same paths one by one (for batches
    too large to hold).

    Raises:
        UsageError: a named path does not exist.
    """
    walk = InputWalk(paths)
    images = tuple(walk)
    return Inputs(images=images, skipped=tuple(walk.skipped), unreadable=tuple(walk.unreadable))
