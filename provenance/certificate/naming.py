"""Where a delivery starts, and what each file is called in a certificate.

A subject name is the file's path relative to the delivery root, with ``/``
separators, in Unicode NFC (so a name typed on macOS and one on Linux agree).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from ..errors import UsageError
from ..report import display_path

__all__ = ["delivery_root", "subject_name"]


def delivery_root(paths: Sequence[str | Path], root: str | Path | None = None) -> Path:
    """The folder subject names are relative to.

    The folder itself when exactly one folder is given; otherwise ``root`` is
    required (and every path must lie under it, see :func:`subject_name`).

    Raises:
        UsageError: ``root`` is not a folder, or it is needed and missing.
    """
    if root is not None:
        base = Path(root)
        if not base.is_dir():
            raise UsageError(f"the delivery root {root} is not a folder")
        return base
    if len(paths) == 1 and Path(paths[0]).is_dir():
        return Path(paths[0])
    raise UsageError(
        "the delivery root is ambiguous: give one folder, or name the folder every path lies under (--root DIR)"
    )


def subject_name(path: str | Path, root: str | Path) -> str:
    """The name of ``path`` in a certificate: relative to ``root``, POSIX separators, Unicode NFC.

    Symbolic links are not resolved (a delivery is judged by the paths given).

    Raises:
        UsageError: ``path`` does not lie under ``root``, or its name is not valid UTF-8.
    """
    name = _relative_name(path, root)
    if not _is_unicode(name):
        raise UsageError(
            f"the file name '{display_path(name)}' is not valid UTF-8: a certificate names files in UTF-8, "
            "so rename it before certifying"
        )
    return unicodedata.normalize("NFC", name)


def _relative_name(path: str | Path, root: str | Path) -> str:
    """``path`` relative to ``root`` with POSIX separators, exactly as on disk (not normalised).

    Raises:
        UsageError: ``path`` does not lie under ``root``, or is ``root`` itself.
    """
    absolute, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        raise UsageError(f"{path} is not under the delivery root {root}") from None
    if not relative.parts:
        raise UsageError(f"{path} is the delivery root itself, not a file in it")
    return "/".join(relative.parts)


def _is_unicode(text: str) -> bool:
    """Whether ``text`` is valid Unicode (no lone surrogate: an undecodable file name, or a JSON ``\\udXXX``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _distinct(name: str) -> str:
    """``name`` with every non-ASCII character as ``\\uXXXX``, so names that look alike can be told apart."""
    return "".join(ch if " " <= ch <= "~" else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
                   for ch in name)

