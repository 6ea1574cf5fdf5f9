"""The throughput benchmark's own arithmetic (the benchmark is a script, not a timed test)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "bench_throughput", Path(__file__).resolve().parents[2] / "benchmarks" / "bench_throughput.py")
assert _SPEC is not None and _SPEC.loader is not None
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


def test_per_file_speedup_is_the_ratio_of_the_marginal_times() -> None:
    assert bench.per_file_speedup(1.0, 0.5) == "2.00x"


def test_a_batch_no_slower_than_its_quarter_gives_no_figure() -> None:
    # 20 images 0.97 s with --jobs 2, their quarter 1.39 s: printed "51905786.00x" before
    assert bench.per_file_speedup(0.05, -0.42).startswith("not measurable")
    assert bench.per_file_speedup(0.0, 0.3).startswith("not measurable")
