"""Text output of `audit` and `inspect` on a file whose name and Content Credentials are hostile.

The file comes from ``fixtures/make_hostile.py``: every text field of its manifest holds a newline
with a fake report line, an ANSI sequence, a C1 CSI, a right-to-left override, a line separator
and a right-to-left mark; its name holds a right-to-left override too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_ROOT, fixture_script, run_cli

from provenance._cli._render import printable

ANCHORS = ["--trust-anchors", str(TEST_ROOT), "--no-trust-store"]
RAW = ("\x1b", "\x9b", "\u202e", "\u2028", "\u200f")  # a terminal acts on each of these


def _make_hostile() -> Any:
    return fixture_script("make_hostile")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "photo\u202egpj.exe.jpg"
    path.write_bytes(_make_hostile().hostile_manifest())
    return path


def test_printable_escapes_what_a_terminal_acts_on() -> None:
    assert printable("photo\u202egpj.exe") == "photo\\u202egpj.exe"
    assert printable("a\nb\x1b[31m\x9bc\u2028d\u2066e") == "a\\nb\\x1b[31m\\u009bc\\u2028d\\u2066e"
    assert printable("bad\udcff.jpg") == "bad\\xff.jpg"  # an undecodable byte of a POSIX name
    assert printable("Atelier Lumière ✓") == "Atelier Lumière ✓"  # ordinary text is left alone


def _assert_clean(out: str) -> None:
    for char in RAW:
        assert char not in out, f"raw {char!r} reached the terminal"


def test_audit_text_escapes_names_and_manifest_values(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["audit", str(hostile), *ANCHORS, "-v"], capsys)
    assert code == 3  # the vendor action asks for review
    _assert_clean(out)
    assert "photo\\u202egpj.exe.jpg" in out
    assert "com.evil.\\u202eaction is a vendor action" in out


def test_inspect_text_escapes_every_value(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["inspect", str(hostile), *ANCHORS], capsys)
    assert code == 0
    _assert_clean(out)
    assert "claim generator: evil\\n  verdict: compliant\\x1b[31mRED\\u009b31m\\u202eTXT\\u2028" in out
    verdicts = [line for line in out.splitlines() if line.lstrip().startswith("verdict:")]
    assert verdicts == ["  verdict: indeterminate (review_required)"]  # the fake line stays inside its value


def test_a_literal_backslash_never_reads_as_an_escaped_byte() -> None:
    from provenance.report import display_path

    undecodable, literal = "bad\udcff.jpg", "bad\\xff.jpg"  # byte 0xFF in the name / the four characters \xff
    assert display_path(undecodable) != display_path(literal)
    assert (display_path(undecodable), display_path(literal)) == ("bad\\xff.jpg", "bad\\\\xff.jpg")
    assert display_path("photo\u202egpj.exe") == "photo\\u202egpj.exe"
    assert display_path(literal, escape_control=False) == literal  # JSON keeps a decodable name exact


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\u2063", "\ufeff", "\u00ad", "\u180e"])
def test_names_that_differ_only_by_an_invisible_character_never_print_alike(invisible: str) -> None:
    """"a.jpg" and "a<ZERO WIDTH SPACE>.jpg" are two files; a text, HTML or certificate line must not show
    them the same (Unicode TR #36, 2.4 Visual Spoofing): the invisible character is shown as an escape."""
    from provenance._cli._html import visible
    from provenance.report import display_path

    spoof = f"a{invisible}.jpg"
    assert display_path(spoof) == f"a\\u{ord(invisible):04x}.jpg" != display_path("a.jpg")
    assert visible(spoof) == f"a\\u{ord(invisible):04x}.jpg"
    assert display_path(spoof, escape_control=False) == spoof  # JSON keeps the name exact
