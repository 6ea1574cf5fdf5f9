"""The ``--ignore GLOB`` patterns a certificate records, and how they match a file's name.

The semantics are the certificate contract's (``docs/certificate.md``, "Ignored
files"), implemented identically by the browser verification page; both are
tested against one table, ``tests/certificate/glob_cases.json``:

- a pattern is matched against the certificate-style name of a file (its path
  relative to the delivery root, ``/`` separators, Unicode NFC);
- a pattern without ``/`` matches when it matches the last path segment; a
  pattern containing ``/`` must match the whole relative path;
- ``**`` matches any run of characters, ``/`` included; ``*`` any run of
  characters except ``/``; ``?`` exactly one character except ``/``. Tokens are
  read left to right, so ``***`` is ``**`` then ``*``;
- every other character is literal: no character classes, no escapes, no
  negation. Matching is case-sensitive.

Matching simulates the pattern as a set of positions (an NFA), so it costs at
most ``len(pattern) * len(name)`` steps: no pattern can make it backtrack
exponentially. Caps: :data:`MAX_IGNORE_PATTERNS` patterns of at most
:data:`MAX_PATTERN_LENGTH` characters each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import UsageError
from .naming import _is_unicode

__all__ = ["MAX_IGNORE_PATTERNS", "MAX_PATTERN_LENGTH", "first_match", "ignore_patterns", "malformed_ignore", "matches"]

MAX_IGNORE_PATTERNS = 256
"""The most ``--ignore`` patterns a certificate may record (more is ``predicate.malformed``)."""
MAX_PATTERN_LENGTH = 1024
"""The longest pattern accepted, in characters (a path is at most 4,096 bytes on Linux)."""

_LITERAL, _ONE, _STAR, _DOUBLE_STAR = range(4)


def _tokens(pattern: str) -> list[tuple[int, str]]:
    tokens: list[tuple[int, str]] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            tokens.append((_DOUBLE_STAR, ""))
            index += 2
            continue
        if char == "*":
            tokens.append((_STAR, ""))
        elif char == "?":
            tokens.append((_ONE, ""))
        else:
            tokens.append((_LITERAL, char))
        index += 1
    return tokens


def _closure(states: Iterable[int], tokens: Sequence[tuple[int, str]]) -> set[int]:
    """``states`` plus every position reachable by letting a ``*`` or ``**`` match nothing."""
    reached = set()
    for state in states:
        while state not in reached:
            reached.add(state)
            if state < len(tokens) and tokens[state][0] in (_STAR, _DOUBLE_STAR):
                state += 1
            else:
                break
    return reached


def _step(states: set[int], char: str, tokens: Sequence[tuple[int, str]]) -> set[int]:
    after = set()
    for state in states:
        if state == len(tokens):
            continue
        kind, literal = tokens[state]
        if (kind == _LITERAL and char == literal) or (kind == _ONE and char != "/"):
            after.add(state + 1)
        elif (kind == _STAR and char != "/") or kind == _DOUBLE_STAR:
            after.add(state)
    return _closure(after, tokens)


def matches(pattern: str, name: str) -> bool:
    """Whether ``pattern`` matches the certificate-style ``name`` (see the module's rules).

    ``matches("*.tmp", "raw/a.tmp")`` is true (no ``/``: the last segment);
    ``matches("raw/*", "raw/sub/a.tmp")`` is false (``*`` stops at ``/``);
    ``matches("raw/**", "raw/sub/a.tmp")`` is true.
    """
    target = name if "/" in pattern else name.rsplit("/", 1)[-1]
    tokens = _tokens(pattern)
    states = _closure({0}, tokens)
    for char in target:
        states = _step(states, char, tokens)
        if not states:
            return False
    return len(tokens) in states


def first_match(patterns: Sequence[str], name: str) -> str | None:
    """The first of ``patterns`` that matches ``name``, or ``None``."""
    return next((pattern for pattern in patterns if matches(pattern, name)), None)


def ignore_patterns(patterns: str | Iterable[str] | object) -> tuple[str, ...]:
    """The patterns to record: in the order given, duplicates removed (one string is one pattern).

    Raises:
        TypeError: ``patterns`` is not a string or an iterable of strings.
        UsageError: a pattern is empty or longer than :data:`MAX_PATTERN_LENGTH`, or there are
            more than :data:`MAX_IGNORE_PATTERNS`.
    """
    if isinstance(patterns, str):
        patterns = (patterns,)
    if isinstance(patterns, bytes) or not isinstance(patterns, Iterable):
        raise TypeError(f"ignore must be a glob string or a sequence of glob strings, not {type(patterns).__name__}")
    kept: dict[str, None] = {}
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise TypeError(f"each ignore glob must be a str, not {type(pattern).__name__}")
        if not pattern:
            raise UsageError("an --ignore pattern is empty: give a glob such as '*.tmp' or 'raw/**'")
        if len(pattern) > MAX_PATTERN_LENGTH:
            raise UsageError(f"an --ignore pattern is longer than {MAX_PATTERN_LENGTH} characters")
        if not _is_unicode(pattern):
            raise UsageError("an --ignore pattern is not valid UTF-8")
        kept.setdefault(pattern)
    if len(kept) > MAX_IGNORE_PATTERNS:
        raise UsageError(f"{len(kept)} --ignore patterns given; at most {MAX_IGNORE_PATTERNS} are accepted")
    return tuple(kept)


def malformed_ignore(value: Any) -> str | None:
    """Why a certificate's recorded ``ignore`` value is malformed, or ``None`` when it is a usable list."""
    if not isinstance(value, list):
        return "the predicate's ignore list is not a list"
    if len(value) > MAX_IGNORE_PATTERNS:
        return f"the predicate records {len(value):,} ignore globs; at most {MAX_IGNORE_PATTERNS} are accepted"
    for pattern in value:
        if not isinstance(pattern, str) or not pattern:
            return "the predicate's ignore list holds something that is not a non-empty glob string"
        if len(pattern) > MAX_PATTERN_LENGTH:
            return f"the predicate's ignore list holds a glob longer than {MAX_PATTERN_LENGTH} characters"
    return None
