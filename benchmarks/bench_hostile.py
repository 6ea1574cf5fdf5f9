"""Benchmark: time and peak memory of the metadata readers on the worst inputs the project builds.

    python benchmarks/bench_hostile.py

Each input (``fixtures/make_hostile_fixtures.py``) is read by ``read_metadata`` in a fresh subprocess, so
the peak resident memory (``ru_maxrss``) is that input's alone; the Python-heap peak (tracemalloc) and the
wall time of the read itself are printed too. A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
import make_hostile_fixtures as hostile
from provenance.evidence.metadata import read_metadata
data = eval(sys.argv[2], {"hostile": hostile})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
start = time.perf_counter()
signals, problems = read_metadata(data, None)
elapsed = time.perf_counter() - start
heap = tracemalloc.get_traced_memory()[1]
print(json.dumps({"bytes": len(data), "seconds": elapsed, "heap_mb": heap / 2**20,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_before_mb": before / 1024,
                  "signals": len(signals), "problems": sorted({p.code for p in problems})}))
"""

INPUTS = {
    "XMP nested 1,000 deep (JPEG)": "hostile.deep_xmp_jpeg(1000)",
    "XMP nested 300,000 deep (15 MB packet)": "hostile.deep_xmp_packet(300_000)",
    "XMP with 250,000 elements (4.5 MB packet)": "hostile.wide_xmp_packet(250_000)",
    "EXIF SubIFDs bomb (60 KB JPEG)": "hostile.subifd_bomb_jpeg()",
}


def main() -> None:
    """Print one line per input: size, read time, Python-heap peak, process peak RSS, problems."""
    for name, expression in INPUTS.items():
        out = subprocess.run([sys.executable, "-c", _CHILD, str(REPO / "fixtures"), expression],
                             capture_output=True, text=True, check=True)
        row = json.loads(out.stdout)
        print(f"{name:44} {row['bytes'] / 1e6:7.2f} MB  {row['seconds']:6.2f} s  heap {row['heap_mb']:6.1f} MiB  "
              f"rss {row['rss_mb']:6.1f} MiB (at start {row['rss_before_mb']:.1f})  {row['signals']} signals  "
              f"{', '.join(row['problems'])}")


if __name__ == "__main__":
    main()
