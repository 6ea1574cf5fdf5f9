"""Keep freed memory for the next file instead of returning it to the kernel (glibc only).

Each file's bytes and the C2PA reader's buffers (about 2.5 times the file) are freed after the file.
With glibc's defaults, blocks that large are unmapped (or trimmed) on free and mapped again for the
next file, and every new page is a page fault the kernel must zero: about 6,700 faults and 40 % of
the CPU time of a 24 MP JPEG (measured with ``benchmarks/bench_throughput.py``). Raising the mmap
and trim thresholds lets the next file reuse the same pages. The cost is bounded: at most
``TRIM_BYTES`` of freed memory is kept, and blocks over ``MMAP_BYTES`` are still mapped on their own.

Used only in processes `provenance` runs for itself (the CLI's audit, pool workers), never on a
library caller's process. Source: mallopt(3) (``M_MMAP_THRESHOLD``, ``M_TRIM_THRESHOLD``).
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["MMAP_BYTES", "TRIM_BYTES", "keep_freed_memory"]

MMAP_BYTES = 64 * 1024 * 1024
TRIM_BYTES = 128 * 1024 * 1024
_M_TRIM_THRESHOLD = -1  # glibc malloc.h
_M_MMAP_THRESHOLD = -3
_done = False


def keep_freed_memory() -> bool:
    """Set the thresholds once per process; ``True`` when they were set (glibc on Linux), else ``False``."""
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    _done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_BYTES)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_BYTES))
    return _done
