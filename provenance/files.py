"""Writing outputs safely: atomically, never over an input image."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["write_atomic"]


def write_atomic(path: str | Path, data: bytes, *, mode: int = 0o644, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    then renamed over ``path`` (``os.replace``, atomic on POSIX and Windows).

    Args:
        path: destination file.
        data: the complete content.
        mode: permission bits of the new file (e.g. ``0o600`` for a private key).
        exclusive: refuse to replace an existing file.
    Raises:
        OutputError: the folder does not exist or is not writable, the disk is
            full, or ``exclusive`` and the file exists.
    """
    target = Path(path)
    if exclusive and (target.exists() or target.is_symlink()):
        raise OutputError(f"{target} already exists; refusing to overwrite it")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, mode)
        if exclusive:
            # link() fails if the target appeared meanwhile: no silent overwrite.
            os.link(temp_name, target)
            os.unlink(temp_name)
        else:
            os.replace(temp_name, target)
    except FileExistsError as error:
        os.unlink(temp_name)
        raise OutputError(f"{target} already exists; refusing to overwrite it") from error
    except OSError as error:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
