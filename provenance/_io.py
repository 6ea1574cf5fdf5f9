"""Reading inputs and writing outputs safely: regular files only, capped reads, atomic writes."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import NotRegularFileError, OutputError

__all__ = ["MAX_INPUT_BYTES", "as_paths", "file_kind", "open_atomic", "open_regular", "read_regular_file", "sha256_and_size",
           "sha256_file", "write_atomic"]


MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Default cap on a policy, key or trust-anchor file (64 MiB: the C2PA list is ~40 KB)."""


def read_regular_file(
    path: str | Path,
    what: str,
    error: type[Exception],
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    truncate: bool = False,
) -> bytes:
    """Read an input file (policy, key, anchors, certificate), refusing anything but a regular file.

    A FIFO, socket or device would block or never end, so it is refused before it is opened.
    At most ``max_bytes`` are read: a larger file is an error, or, with ``truncate``, its first
    ``max_bytes`` are returned (for callers that report "too large" themselves).

    Raises:
        error: (the caller's error type, built from a message) the file is missing,
            unreadable, not a regular file, or larger than ``max_bytes``.
    """
    target = Path(path)
    try:
        with open_regular(target) as handle:
            data = handle.read(max_bytes + 1)
    except NotRegularFileError as problem:
        raise error(f"{what} {target} is not a regular file (a folder, pipe or device)") from problem
    except OSError as problem:
        raise error(f"cannot read {what} {target}: {problem.strerror or problem}") from problem
    if len(data) > max_bytes:
        if truncate:
            return data[:max_bytes]
        raise error(f"{what} {target} is larger than {max_bytes} bytes; refusing to load it")
    return data


def as_paths(paths: object) -> list[Path]:
    """A path argument as a list of paths: one ``str`` or ``os.PathLike`` is one path, never its characters.

    Raises:
        TypeError: not a path nor an iterable of paths (the message names the expected types).
    """
    expected = "a path (str or os.PathLike) or an iterable of paths"
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    if isinstance(paths, (bytes, bytearray)) or not isinstance(paths, Iterable):
        raise TypeError(f"expected {expected}, not {type(paths).__name__}")
    files: list[Path] = []
    for item in paths:
        if not isinstance(item, (str, os.PathLike)):
            raise TypeError(f"expected {expected}; one item is {type(item).__name__}")
        files.append(Path(item))
    return files


def _same_file(a: Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_atomic(
    path: str | Path,
    data: bytes,
    *,
    mode: int = 0o644,
    exclusive: bool = False,
    protect: Iterable[str | Path] = (),
) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    then renamed over ``path`` (``os.replace``, atomic on POSIX and Windows).

    Args:
        path: destination file.
        data: the complete content.
        mode: permission bits of the new file (e.g. ``0o600`` for a private key).
        exclusive: refuse to replace an existing file.
        protect: files that must never be replaced (the input images of a run).
    Raises:
        OutputError: the folder does not exist or is not writable, the disk is
            full, ``exclusive`` and the file exists, ``path`` is a folder, a
            device or a symbolic link, or ``path`` is one of ``protect``.
    """
    with open_atomic(path, mode=mode, exclusive=exclusive, protect=protect) as stream:
        stream.write(data)


@contextmanager
def open_atomic(path: str | Path, *, mode: int = 0o644, exclusive: bool = False,
                protect: Iterable[str | Path] = ()) -> Iterator[BinaryIO]:
    """:func:`write_atomic` for output written piece by piece (a streamed report).

    Yields a binary file in the destination's folder; when the block ends normally the file is
    flushed, synced and renamed over ``path``; if the block raises, the temporary file is removed and
    ``path`` is left as it was.

    ``mode``, ``exclusive`` and ``protect`` as for :func:`write_atomic`, which is this with one write.

    Raises:
        OutputError: as :func:`write_atomic` (checked before the block runs), or on a write error.
    """
    target = Path(path)
    if exclusive and (target.exists() or target.is_symlink()):
        raise OutputError(f"{target} already exists; refusing to overwrite it")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        # Renaming over a device (/dev/null), a folder or a link would replace it, not write into it.
        raise OutputError(f"cannot write {target}: it is not a regular file (a folder, device or link)")
    for other in protect:
        if _same_file(target, other):
            raise OutputError(f"refusing to write {target}: it is one of the input images")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        # A short temporary name of its own: any name the folder accepts (up to 255 bytes) can be written.
        handle, temp_name = tempfile.mkstemp(prefix=".provenance-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, mode)
        if exclusive:
            # link() fails if the target appeared meanwhile: no silent overwrite.
            os.link(temp_name, target)
            os.unlink(temp_name)
        else:
            os.replace(temp_name, target)
    except BaseException as error:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        if isinstance(error, FileExistsError):
            raise OutputError(f"{target} already exists; refusing to overwrite it") from error
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
        raise
_FILE_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device",
               stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def file_kind(mode: int) -> str:
    """What a ``st_mode`` names, in words (``"a named pipe"``, ``"a device"``...), for messages."""
    return _FILE_KINDS.get(stat.S_IFMT(mode), "a special file")


def sha256_file(path: str | Path) -> str:
    """SHA-256 (hex) of a regular file's bytes, read in chunks (memory stays constant).

    A symbolic link is followed only to a regular file. The type is checked before
    opening (a FIFO is never opened, so nothing blocks) and again on the opened file
    (opened with ``O_NONBLOCK``), so a swap in between cannot make the read block.

    Raises:
        NotRegularFileError: ``path`` is a pipe, device, socket or folder.
        OSError: the file cannot be read (missing, permission denied, I/O error).
    """
    return sha256_and_size(path)[0]


def sha256_and_size(path: str | Path) -> tuple[str, int]:
    """SHA-256 (hex) and length in bytes of one read of a regular file (as :func:`sha256_file`).

    Both come from the same read, so a file that changes meanwhile cannot give a digest
    of one content and the size of another.

    Raises:
        NotRegularFileError: ``path`` is a pipe, device, socket or folder.
        OSError: the file cannot be read.
    """
    with open_regular(path) as handle:
        digest = hashlib.file_digest(handle, "sha256")  # reads to the end, in chunks
        return digest.hexdigest(), handle.tell()  # the offset reached: the bytes read


@contextmanager
def open_regular(path: str | Path) -> Iterator[io.FileIO]:
    """Open a regular file for reading (unbuffered), never blocking on anything else.

    The type is checked before opening (a FIFO is never opened) and again on the opened file
    (opened with ``O_NONBLOCK``), so a file swapped for a pipe in between cannot make a read
    block. A symbolic link is followed only to a regular file. Every reader of an input uses this.

    Raises:
        NotRegularFileError: ``path`` is a pipe, device, socket or folder.
        OSError: the file cannot be opened (missing, permission denied, I/O error).
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFileError(f"not a regular file ({file_kind(mode)})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with open(descriptor, "rb", buffering=0) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(f"not a regular file ({file_kind(mode)})")
        yield handle
