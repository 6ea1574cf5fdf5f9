"""Benchmark: time per stamped image at 2 MP and 24 MP.

Issue #14 asks for the cost of ``provenance stamp`` per image. This is a
benchmark to run by hand, not a timed test:

    .venv/bin/python benchmarks/bench_stamp.py [--megapixels 2 24] [--format jpeg] [--images 3] [--runs 3] [--no-thumbnails]

How it measures:

- Originals are generated in a temporary folder by ``fixtures/make_originals.py``
  (a deterministic 3:2 picture with grain, so a 24 MP JPEG weighs about 8.7 MB like a real
  photograph; JPEG quality 90 by default; signed with the test PKI as a capture plus an
  exposure edit, so it audits compliant); nothing is committed.
- A studio identity is made with :func:`provenance._x509.create_identity`.
- ``audit``: :func:`provenance.audit` of the folder (what ``stamp`` does first).
  ``stamp``: :func:`provenance.stamp.stamp_delivery` on that report: re-read and
  hash each original, build and sign the new manifest with c2pa-rs (parent
  ingredient with its manifest store and thumbnail, claim thumbnail, data hash),
  read the copy back to check it is trusted, write it. Per image = time / images.

The best and the median of ``--runs`` are printed. Machine load matters: on a
shared machine say so with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from provenance import TrustConfig, audit  # noqa: E402
from provenance._x509 import create_identity, load_signer  # noqa: E402
from provenance.stamp import stamp_delivery  # noqa: E402


def _originals_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_originals", REPO / "fixtures" / "make_originals.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_originals"] = module
    spec.loader.exec_module(module)
    return module


def run(megapixels: float, fmt: str, images: int, runs: int, work: Path, thumbnails: bool) -> None:
    originals = _originals_module()
    suffix = originals.FORMATS[fmt][2]
    delivery = work / f"delivery-{megapixels:g}mp"
    delivery.mkdir()
    size = originals.size_for(megapixels)
    for index in range(images):
        (delivery / f"img-{index:03d}{suffix}").write_bytes(
            originals.signed_original(fmt, size, seed=index + 1, title=f"img-{index:03d}{suffix}", grain=True))
    average = sum(p.stat().st_size for p in delivery.iterdir()) / images
    trust = TrustConfig.from_pem_files([REPO / "fixtures" / "pki" / "root-ca.pem"])
    signer = load_signer(work / "keys")
    audits, stamps = [], []
    for attempt in range(runs):
        started = time.perf_counter()
        report = audit(delivery, trust=trust, at=datetime.now(UTC))
        audited = time.perf_counter()
        out = work / f"out-{megapixels:g}-{attempt}"
        stamp_delivery(report, signer=signer, output=out, root=delivery, anchors_pem=trust.pem_bundle(),
                       thumbnails=thumbnails)
        done = time.perf_counter()
        audits.append((audited - started) / images)
        stamps.append((done - audited) / images)
        shutil.rmtree(out)
    print(f"{megapixels:g} MP {fmt} ({size[0]}x{size[1]}, {average / 1e6:.1f} MB each), {images} images, {runs} runs:")
    print(f"  audit per image: best {min(audits) * 1000:.0f} ms, median {statistics.median(audits) * 1000:.0f} ms")
    label = "stamp per image" if thumbnails else "stamp per image, --no-thumbnails"
    print(f"  {label}: best {min(stamps) * 1000:.0f} ms, median {statistics.median(stamps) * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megapixels", type=float, nargs="+", default=[2.0, 24.0])
    parser.add_argument("--format", default="jpeg", choices=["jpeg", "png", "webp", "tiff"])
    parser.add_argument("--images", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-thumbnails", action="store_true", help="stamp without thumbnails (stamp --no-thumbnails)")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) at start: {load:.2f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-stamp-") as folder:
        work = Path(folder)
        create_identity(work / "keys", organization="Benchmark Studio")
        for megapixels in args.megapixels:
            run(megapixels, args.format, args.images, args.runs, work, thumbnails=not args.no_thumbnails)
    return 0


if __name__ == "__main__":
    sys.exit(main())
