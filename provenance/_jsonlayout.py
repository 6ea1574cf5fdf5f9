"""Indented JSON text, byte for byte what ``json.dumps(value, indent=2, ensure_ascii=False)`` writes, faster.

With ``indent`` set, the standard library encodes in pure Python (its C encoder, ``c_make_encoder``, is
used only for compact output: CPython 3.11 ``Lib/json/encoder.py``, ``JSONEncoder.iterencode``), through
nested generators yielding one small piece at a time. A streamed audit report (#12) encodes every image
verdict that way in the supervisor process, where it competes with the workers for the cores. This
module lays out the same text with one recursive function appending to a list, and encodes every string
with the C ``encode_basestring`` the standard encoder uses for ``ensure_ascii=False``.

The layout is that of ``json.dumps(indent=2, ensure_ascii=False)`` with the default separators
(``","`` between items, ``": "`` after a key): an empty object or array is ``{}`` / ``[]``, every other
item on its own line, two spaces deeper than its container. Values are encoded as the standard encoder
does, tested in the same order: ``str`` (and subclasses, such as the project's ``StrEnum`` values),
``None``, ``True``, ``False``, ``int`` (``int.__repr__``), ``float`` (``float.__repr__``, ``NaN``,
``Infinity``, ``-Infinity``), ``list``/``tuple``, ``dict``. Anything else (a key that is not a string, an
object the standard encoder would reject, a circular or too-deep structure) is handed to ``json.dumps``
itself, so the result, or the error raised, is always the standard library's.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function when the _json accelerator is there
from typing import Any

__all__ = ["dumps_indented"]

_INFINITY = float("inf")


class _Unsupported(Exception):
    """Something the fast layout does not handle: the standard encoder takes over."""


def _float(value: float) -> str:
    if value != value:  # noqa: PLR0124 - NaN
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _write(value: Any, newline: str, out: list[str]) -> None:  # noqa: C901 - one branch per JSON type
    """Append the text of ``value``, whose own line starts with ``newline`` (``"\\n"`` and its indent)."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            if type(item) is str:  # the common leaf, without a call
                out.append(encode_basestring(item))
            else:
                _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unsupported  # json converts int, float, bool and None keys to strings: let it
            out.append(separator)
            out.append(encode_basestring(key))
            out.append(": ")
            kind = type(item)
            if kind is str:
                out.append(encode_basestring(item))
            elif item is None:
                out.append("null")
            elif kind is int:
                out.append(int.__repr__(item))
            else:
                _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    else:
        raise _Unsupported


def dumps_indented(value: Any, level: int = 0) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, every line after the first ``level`` * 2 spaces deeper.

    Args:
        value: JSON-ready data (dicts with string keys, lists, tuples, strings, numbers, booleans, ``None``).
        level: how deep the value sits in an enclosing document (0: a document of its own); the first
            line is never indented (the caller writes what precedes it).
    Returns:
        The text, without a trailing newline; exactly the standard library's (see the module docstring).
    Raises:
        TypeError, ValueError: as ``json.dumps`` does, for data it cannot encode.
    """
    out: list[str] = []
    try:
        _write(value, "\n" + "  " * level, out)
    except (_Unsupported, RecursionError):
        # JSON text holds no raw newline inside a string, so every newline starts a line to indent.
        text = json.dumps(value, indent=2, ensure_ascii=False)
        return text.replace("\n", "\n" + "  " * level) if level else text
    return "".join(out)
