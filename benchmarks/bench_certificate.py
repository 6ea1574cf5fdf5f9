"""Benchmark: issue and verify a certificate for a 1,000-image delivery.

Goal (issue #3): issuing a certificate from a finished audit report and
verifying it costs under 1 s beyond hashing the files. This is a benchmark to
run by hand, not a timed test:

    .venv/bin/python benchmarks/bench_certificate.py [--images 1000] [--size 65536] [--runs 5]

How it measures:

- One real verdict is audited once (``fixtures/sample-delivery/01``: five
  findings, a trusted signer) and copied to N synthetic images, so the
  predicate has a realistic size. No C2PA reading is timed.
- N files of ``--size`` random bytes are written to a temporary folder (named
  ``.jpg`` so the folder walk takes them as images); the synthetic report
  carries their real digests, so verification really matches every file.
- ``hash``: SHA-256 of every file alone (page cache warm), the cost any
  verifier must pay. ``issue``: :func:`provenance.issue_certificate` (walk the
  root for files that are not images, build the Statement, serialise, sign).
  ``verify``: :func:`provenance.verify_certificate` end to end (parse, signature,
  statement checks, walk of every file, hashing, matching). ``beyond hashing`` =
  issue + verify - hash.

The best of ``--runs`` runs is reported for each figure (and the median).
``--cpu`` measures process CPU time instead of wall-clock time: on a machine
shared with other jobs, wall-clock figures swing by a factor of two.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import provenance  # noqa: E402
from provenance import KeyAlgorithm, SigningKey, TrustConfig  # noqa: E402
from provenance.report import AuditReport  # noqa: E402

AT = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def make_delivery(folder: Path, count: int, size: int) -> list[Path]:
    paths = []
    for index in range(count):
        path = folder / f"img-{index:05d}.jpg"
        path.write_bytes(os.urandom(size))
        paths.append(path)
    return paths


def hash_all(paths: list[Path]) -> dict[Path, str]:
    digests = {}
    for path in paths:
        with open(path, "rb") as handle:
            digests[path] = hashlib.file_digest(handle, "sha256").hexdigest()
    return digests


def synthetic_report(paths: list[Path], digests: dict[Path, str], size: int) -> AuditReport:
    trust = TrustConfig.from_pem_files([REPO / "fixtures" / "pki" / "root-ca.pem"])
    real = provenance.audit([REPO / "fixtures" / "sample-delivery" / "01-capture-edited.jpg"], trust=trust, at=AT)
    template = real.images[0]
    assert template.ok, "the template image must be compliant"
    images = tuple(replace(template, path=str(path), sha256=digests[path], size=size) for path in paths)
    return replace(real, images=images)


CLOCK = time.perf_counter


def timed(function, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        start = CLOCK()
        result = function()
        times.append(CLOCK() - start)
    return min(times), statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--size", type=int, default=64 * 1024, help="bytes per synthetic image (default 64 KiB)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cpu", action="store_true", help="process CPU time instead of wall-clock time")
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time

    with tempfile.TemporaryDirectory(prefix="bench-certificate-") as temp:
        root = Path(temp) / "delivery"
        root.mkdir()
        paths = make_delivery(root, args.images, args.size)
        digests = hash_all(paths)  # also warms the page cache
        report = synthetic_report(paths, digests, args.size)
        print(f"{args.images} images of {args.size} bytes; best (median) of {args.runs} runs"
              f"{', CPU time' if args.cpu else ''}; "
              f"Python {sys.version.split()[0]}, provenance {provenance.__version__}")
        hash_best, hash_median, _ = timed(lambda: hash_all(paths), args.runs)
        print(f"  hash only                       {hash_best * 1000:8.1f} ms ({hash_median * 1000:.1f})")
        for algorithm in KeyAlgorithm:
            key = SigningKey.generate(algorithm)
            issue_best, issue_median, certificate = timed(
                lambda key=key: provenance.issue_certificate(report, key, root=root), args.runs)
            text = certificate.to_json()  # type: ignore[attr-defined]
            verify_best, verify_median, result = timed(
                lambda key=key, text=text: provenance.verify_certificate(text, [root], key=key.public_key), args.runs)
            assert result.ok and len(result.verified) == args.images, result.failures()[:3]  # type: ignore[attr-defined]
            beyond = issue_best + verify_best - hash_best
            print(f"  {algorithm.value:<11} issue              {issue_best * 1000:8.1f} ms ({issue_median * 1000:.1f})")
            print(f"  {algorithm.value:<11} verify (incl. hash){verify_best * 1000:8.1f} ms ({verify_median * 1000:.1f})")
            print(f"  {algorithm.value:<11} issue + verify beyond hashing {beyond * 1000:8.1f} ms"
                  f"   certificate {len(text) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
