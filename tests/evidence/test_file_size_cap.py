"""The per-file size cap (docs/scale.md: 2 GiB): checked before the read, and held by the read itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

import provenance.evidence as evidence
from provenance import read_evidence


def test_a_file_over_the_cap_is_unreadable_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8" + b"\0" * 198)
    got = read_evidence(big)
    assert got.read_error is not None and "too large to audit" in got.read_error


def test_a_file_that_grows_after_stat_is_not_read_past_that_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", 100)
    growing = tmp_path / "growing.jpg"
    growing.write_bytes(b"\xff\xd8" + b"\0" * 48)  # under the cap when stat() looks
    real_open = evidence.open_regular

    @contextmanager
    def open_then_grow(path: Path) -> Iterator[IO[bytes]]:
        with real_open(path) as handle:
            with open(path, "ab") as writer:  # another process writing the file meanwhile
                writer.write(b"\0" * 1000)
            yield handle

    monkeypatch.setattr(evidence, "open_regular", open_then_grow)
    got = read_evidence(growing)
    assert got.read_error is not None and "grew while it was read" in got.read_error  # was read whole, 1,050 bytes
