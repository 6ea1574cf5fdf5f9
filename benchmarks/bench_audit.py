"""Benchmark: time to audit a folder of images, total and per image.

    python benchmarks/bench_audit.py [FOLDER] [--trust-anchors PEM ...] [--repeat N]

Defaults to the public corpus in ../shared/fixtures/public with the shared
trust lists (when present), else the bundled sample delivery with the test root.
Prints the wall time of a whole audit (best of N) and the median, 90th
percentile and maximum time per image (read + classify + evaluate), plus the
metadata pass alone. A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from provenance import TrustConfig, default_policy, evaluate
from provenance.audit import collect_inputs
from provenance.evidence import read_evidence, sniff_media_type
from provenance.evidence.metadata import read_metadata

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--trust-anchors", action="append", type=Path, default=[])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder, anchors = args.folder, args.trust_anchors
    if folder is None:
        if (SHARED / "public").exists():
            folder = SHARED / "public"
            anchors = anchors or [SHARED / "trust" / n for n in
                                  ("c2pa-trust-list.pem", "interim-trust-list-anchors.pem", "c2pa-rs-test-roots.pem")]
        else:
            folder = REPO / "fixtures" / "sample-delivery"
            anchors = anchors or [REPO / "fixtures" / "pki" / "root-ca.pem"]
    trust = TrustConfig.from_pem_files(anchors)
    policy = default_policy()
    images = collect_inputs([folder]).images

    best = float("inf")
    per_image: list[float] = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        times = []
        for path in images:
            t0 = time.perf_counter()
            evaluate(read_evidence(path, trust), policy)
            times.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        if total < best:
            best, per_image = total, times

    metadata_times = []
    for path in images:
        data = path.read_bytes()
        media_type = sniff_media_type(data[:64], path.suffix.lower())
        t0 = time.perf_counter()
        read_metadata(data, media_type)
        metadata_times.append(time.perf_counter() - t0)

    ms = sorted(t * 1000 for t in per_image)
    print(f"folder: {folder} ({len(images)} images, {len(trust.anchors)} trust anchors)")
    print(f"whole audit: {best:.3f} s (best of {args.repeat})")
    print(f"per image: median {statistics.median(ms):.2f} ms, p90 {ms[int(len(ms) * 0.9) - 1]:.2f} ms, "
          f"max {ms[-1]:.2f} ms")
    if metadata_times:
        md = sorted(t * 1000 for t in metadata_times)
        print(f"metadata pass alone: median {statistics.median(md):.2f} ms, max {md[-1]:.2f} ms")


if __name__ == "__main__":
    main()
