"""Every crash the fuzzer found (fuzz/README.md), kept as a regression test of its target.

Inputs are the fuzzer's mutations of the project's own fixtures (base64 here, so no binary file is
committed); each test runs the target that crashed and asserts the fail-closed result.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "fuzz"))

from targets import TARGETS  # noqa: E402 - fuzz/targets.py, by path

from provenance.evidence.metadata import read_metadata  # noqa: E402

# metadata target, 2026-12-01: a mutated iptc-dst.avif whose iloc box lists more extents than it holds.
# _read_uint raised ValueError, reported as metadata.reader_failed; it is damage, so part_malformed.
AVIF_ILOC_RUNS_PAST = base64.b64decode("AAAAIGZ0eXBhdmlmAAAAAGF2aWZtaWYxbWlhZk1BMUIAAAF0bWV0YQAAAAAAAAAhaGRscgAAAAAAAAAAcGljdAAAAAAAAAAAAAAAAAAAAAAOcGl0bQAAAAAAAQAAADppbG9jAAAAAEQAAAMAAQAAAAEAAAPOAAAATgACAAAAAQAAAZwAAABhAAMAAOMAAQAAAf0AAAHRAAAAbWlpbmYAAAAAAAMAIHhtbG5zOng9ImFkb2JlOm5zOm1ldGEvIiB4OnhtcHRrPSJwcm92ZW5hbmNlIHRlc3QgZml4dHVyZXMiPgogPHJkZjpSREYgeG1sbnM6cgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEV4YW1wbGVXcml0ZXIgMS4wADw/eHBhY2tldCBiZWdpbj0i77u/IiBpZD0iVzVNME1wQ2VoaUh6cnRjLm9yZy9zdGQvSXB0YzR4bXBFeHQvMjAwOC0wMi0yOS8iCiAgIElwdGM0eG1wRXh0OkRpZ2l0YWxTb3VyY2VUdGU9eSJwaHRwOi8vY3YuaXB0Yy5vcmcvbmV3c2NvZARzL2RpZ2l0YWxzb3VyY2V0eXBlL3RyYWluZWRBbGdvcml0aG1pY01lZGlhIj4KICA8L3JkZjpEZXNjcmlwdGlvbj4KIDwvcmRmOlJERj4KPC94OnhtcG1ldGE+Cjw/eHBhY2tldCBlbmQ9InciPz4SAAoJGBUv+0QENBoQMj8ZR4eGIYeeeeaFAADcqZNqGl8NVt4jqbzz/+ozYRK+JDqOxgY9DxXp6Rdj+8jCyjcD+AOzZMUEcaRI5yim+3Q=")


def test_avif_iloc_that_runs_past_its_data_is_malformed_not_a_reader_failure() -> None:
    TARGETS["metadata"](AVIF_ILOC_RUNS_PAST)  # the target asserts no metadata.reader_failed
    _, problems = read_metadata(AVIF_ILOC_RUNS_PAST, None)
    iloc = [problem for problem in problems if problem.part == "HEIF/AVIF iloc box"]
    assert [(problem.code, problem.blocking) for problem in iloc] == [("metadata.part_malformed", True)]
    assert "a field runs past the data" in iloc[0].message
