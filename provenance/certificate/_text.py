"""Escaping for text a certificate or a file name puts in front of a person.

Everything here is attacker-controlled (file names, fields of a certificate):
it is clipped and escaped so that it cannot forge a line or reorder the text.
"""

from __future__ import annotations

import json
from typing import Any

from ..report import display_path
from .naming import _is_unicode


def _mib(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB"


def _clip(text: str, limit: int = 100) -> str:
    """``text`` cut to ``limit`` characters (a hostile field can be megabytes long)."""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


def _brief(value: Any) -> str:
    """A JSON value from the payload, for a message: short, and never raising."""
    try:
        return _clip(json.dumps(value))
    except (TypeError, ValueError, RecursionError):
        return "an unreadable value"


def _exact(text: str) -> str:
    """``text`` as valid Unicode: undecodable bytes (lone surrogates) as ``\\xNN`` (or ``\\udXXX``)."""
    if _is_unicode(text):
        return text
    try:
        return display_path(text, escape_control=False)
    except UnicodeEncodeError:  # a surrogate no file name holds (from JSON ``\\udXXX``)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _printable(line: str) -> str:
    """One line of text as printable: control characters, line and paragraph separators,
    bidirectional controls and undecodable bytes escaped (:func:`provenance.report.display_path`)."""
    try:
        return display_path(line)
    except UnicodeEncodeError:  # a surrogate no file name holds (from JSON ``\\udXXX``)
        return display_path(line.encode("utf-8", "backslashreplace").decode("utf-8"))


def _json_safe(value: Any) -> Any:
    """The verification report with every string valid Unicode (see :func:`_exact`)."""
    if isinstance(value, str):
        return _exact(value)
    if isinstance(value, dict):
        return {_json_safe(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value

