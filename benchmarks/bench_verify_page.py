"""Benchmark: verify a 1,000-image delivery in the browser page (headless Chromium).

Goal (issue #13): a client verifies a large delivery in the page in reasonable time and
flat memory (files are hashed in 4 MiB slices). A benchmark to run by hand, not a timed test:

    .venv/bin/python benchmarks/bench_verify_page.py [--images 1000] [--runs 3] [--algorithm ed25519]
                                                     [--delivery DIR]

How it measures:

- ``fixtures/make_delivery.py`` signs N small JPEGs (160x120, about 50 KB each, with the
  compliant sample's C2PA actions) under ``day-NNN/`` folders; ``--delivery DIR`` reuses a
  folder built before (it is built there when empty). The folder is audited with the test
  PKI's root as the only trust anchor and certified, as a studio would.
- ``page``: from the click on ``#verify`` until ``#result[data-status]`` says ``verified``,
  with the folder chosen in ``#folder`` (Selenium's upload, the certificate and key chosen
  before the clock starts). This includes reading every file, hashing it with the page's own
  SHA-256, the signature check with WebCrypto and drawing the table.
- ``cli``: :func:`provenance.verify_certificate` on the same files, for comparison.

The best of ``--runs`` runs is reported (and the median). The page cache is warm.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import provenance  # noqa: E402
from provenance import KeyAlgorithm, SigningKey, TrustConfig  # noqa: E402
from provenance.verify_page import build_page, page_sha256  # noqa: E402

AT = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def _make_delivery(folder: Path, count: int) -> None:
    spec = importlib.util.spec_from_file_location("make_delivery", REPO / "fixtures" / "make_delivery.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build_delivery(folder, count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--algorithm", choices=[a.value for a in KeyAlgorithm], default="ed25519")
    parser.add_argument("--delivery", type=Path, help="build the delivery here (or reuse it) instead of a temporary folder")
    args = parser.parse_args()

    from browser.harness import VerifyPage, missing_browser, start_chromium

    reason = missing_browser()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-verify-page-") as temp:
        work = Path(temp)
        delivery = args.delivery or work / "delivery"
        delivery.mkdir(parents=True, exist_ok=True)
        if not any(delivery.iterdir()):
            start = time.perf_counter()
            _make_delivery(delivery, args.images)
            print(f"built {args.images} signed JPEGs in {time.perf_counter() - start:.1f} s")
        images = sorted(path for path in delivery.rglob("*.jpg"))
        size = sum(path.stat().st_size for path in images)
        start = time.perf_counter()
        report = provenance.audit([delivery], trust=TrustConfig.from_pem_files([REPO / "fixtures/pki/root-ca.pem"]), at=AT)
        audited = time.perf_counter() - start
        key = SigningKey.generate(args.algorithm)
        certificate = work / "delivery.cert.json"
        text = provenance.issue_certificate(report, key, root=delivery).to_json()
        certificate.write_text(text)
        public = work / "provenance.pub"
        public.write_bytes(key.public_key.pem())
        page_file = work / "verify.html"
        page_file.write_bytes(build_page())
        print(f"{len(images)} images, {size / 1e6:.1f} MB, certificate {len(text) / 1024:.0f} KiB ({args.algorithm}); "
              f"audit {audited:.1f} s; page sha256 {page_sha256()}")

        cli = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = provenance.verify_certificate(text, [delivery], key=key.public_key)
            cli.append(time.perf_counter() - start)
            assert result.ok, result.failures()[:3]
        driver = start_chromium()
        try:
            version = driver.capabilities.get("browserVersion", "?")
            page = VerifyPage(driver, page_file)
            times = []
            for _ in range(args.runs):
                shown = page.run(certificate, public, folder=delivery, timeout=600)
                assert shown.status == "verified" and len(shown.files) == len(images), shown.conclusion
                times.append(shown.seconds)
        finally:
            driver.quit()
        print(f"  page (Chromium {version})  best {min(times):6.2f} s   median {statistics.median(times):6.2f} s")
        print(f"  cli  (verify_certificate)  best {min(cli):6.2f} s   median {statistics.median(cli):6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
