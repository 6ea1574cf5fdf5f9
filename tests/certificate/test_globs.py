"""The --ignore glob matcher, against the contract's table (shared with the browser page)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from provenance import UsageError
from provenance.certificate.globs import MAX_IGNORE_PATTERNS, ignore_patterns, malformed_ignore, matches

CASES = json.loads((Path(__file__).parent / "glob_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['pattern']!r}~{c['name'][:30]!r}" for c in CASES])
def test_glob_table(case) -> None:
    assert matches(case["pattern"], case["name"]) is case["match"], case.get("why")


def test_the_table_is_in_nfc_and_covers_both_outcomes() -> None:
    assert all(unicodedata.is_normalized("NFC", c["pattern"] + c["name"]) for c in CASES)
    assert {c["match"] for c in CASES} == {True, False} and len(CASES) >= 40


def test_patterns_are_kept_in_order_without_duplicates() -> None:
    assert ignore_patterns(["*.tmp", ".DS_Store", "*.tmp"]) == ("*.tmp", ".DS_Store")
    assert ignore_patterns("*.tmp") == ("*.tmp",)  # one string is one pattern, not its characters
    assert ignore_patterns(()) == ()


@pytest.mark.parametrize(("value", "error"), [
    ([""], UsageError), (["*"] * 0 + [f"p{i}" for i in range(MAX_IGNORE_PATTERNS + 1)], UsageError),
    (["x" * 1025], UsageError), ([b"*.tmp"], TypeError), (b"*.tmp", TypeError), (3, TypeError),
])
def test_bad_patterns_are_refused(value, error) -> None:
    with pytest.raises(error):
        ignore_patterns(value)


@pytest.mark.parametrize(("value", "ok"), [
    ([], True), (["*.tmp"], True), ("*.tmp", False), ([""], False), ([1], False), (None, False),
    ([f"p{i}" for i in range(MAX_IGNORE_PATTERNS + 1)], False),
])
def test_recorded_ignore_lists_are_checked(value, ok) -> None:
    assert (malformed_ignore(value) is None) is ok
