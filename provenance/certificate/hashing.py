"""Hashing delivered files for verification: regular files only, never blocking."""

from __future__ import annotations

from pathlib import Path

from .._io import sha256_file
from ..errors import NotRegularFileError

__all__ = ["sha256_of", "why_unreadable"]


def sha256_of(path: Path) -> str:
    """SHA-256 (hex) of a delivered file (:func:`provenance._io.sha256_file`: streamed, regular files only).

    Raises:
        NotRegularFileError: a pipe, device, socket or folder (never opened, so nothing blocks).
        OSError: the file cannot be read.
    """
    return sha256_file(path)


def why_unreadable(error: OSError) -> str:
    """Why a file could not be hashed, in the words a verification report uses."""
    if isinstance(error, NotRegularFileError):
        return f"cannot be read: {error.message}"
    return f"cannot be read ({error.strerror or error})"
