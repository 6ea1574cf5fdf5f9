"""`--format jsonl` and the streaming report writer (#12.3)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT, run_cli

from provenance import TrustConfig, audit
from provenance.report import ReportWriter

ARGS = [str(SAMPLE_DELIVERY), "--no-trust-store", "--trust-anchors", str(TEST_ROOT)]


def test_jsonl_one_object_per_image_then_skipped_then_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["audit", *ARGS, "--format", "jsonl", "--jobs", "2"], capsys)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and [line["record"] for line in lines] == ["image"] * 6 + ["skipped", "summary"]
    code, out, _ = run_cli(["audit", *ARGS, "--format", "json", "--jobs", "1"], capsys)
    report = json.loads(out)
    assert [{k: v for k, v in line.items() if k != "record"} for line in lines[:6]] == report["images"]
    summary = lines[-1]
    assert summary["summary"] == report["summary"] and summary["schema"] == report["schema"]
    assert summary["policy"] == report["policy"] and summary["trust"] == report["trust"]


def test_jsonl_to_a_file_is_written_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "audit.jsonl"
    code, out, err = run_cli(["audit", *ARGS, "--format", "jsonl", "--output", str(target)], capsys)
    assert code == 1 and out == "" and "wrote" in err and "6 images" in err
    assert [json.loads(line)["record"] for line in target.read_text().splitlines()][-1] == "summary"
    assert [p.name for p in tmp_path.iterdir()] == ["audit.jsonl"]  # no temporary file left


def test_streamed_json_equals_the_report_method() -> None:
    report = audit([SAMPLE_DELIVERY, SAMPLE_DELIVERY.parent], trust=TrustConfig.from_pem_files([TEST_ROOT]))
    assert report.skipped  # the skipped list is rendered too
    out = io.StringIO()
    writer = ReportWriter(out, "json", lambda _untrusted: report.header, report.skipped)
    for image in report.images:
        writer.add(image)
    assert writer.finish() == report.counts
    assert out.getvalue() == report.to_json()


def test_streamed_json_equals_the_in_memory_report_on_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    streamed = json.loads(run_cli(["audit", *ARGS, "--format", "json", "--jobs", "2"], capsys)[1])
    at = streamed["evaluated_at"]
    report = audit([SAMPLE_DELIVERY], trust=TrustConfig.from_pem_files([TEST_ROOT]))
    expected = report.to_dict()
    expected["evaluated_at"] = at
    assert streamed == json.loads(json.dumps(expected))


def test_empty_report_in_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("json", "jsonl", "text"):
        code, out, _ = run_cli(["audit", str(tmp_path), "--no-trust-store", "--format", fmt], capsys)
        assert code == 3
        if fmt == "json":
            assert json.loads(out)["images"] == []
        elif fmt == "jsonl":
            assert json.loads(out)["summary"]["images"] == 0
        else:
            assert "no images found" in out


def test_standard_output_closed_by_its_reader_is_exit_4_not_non_compliant(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    for number in range(200):  # far more JSON lines than a pipe holds
        os.link(SAMPLE_DELIVERY / "04-no-credentials.jpg", tmp_path / f"{number:03}.jpg")
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from provenance._cli import main; sys.exit(main())", "audit", str(tmp_path),
         "--jobs", "0", "--no-trust-store", "--format", "jsonl"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None and process.stdout.read(10)
    process.stdout.close()  # as `| head -c 10` does
    _, err = process.communicate(timeout=120)
    assert process.returncode == 4, err  # click's own handling exited 1: "some image non-compliant"
    assert "broken pipe" in err and "Exception ignored" not in err


def test_the_writer_keeps_only_what_the_legacy_hint_reads() -> None:
    from collections.abc import Sequence
    from datetime import UTC, datetime

    from provenance.model import Finding, Location
    from provenance.report import PolicyInfo, ReportHeader, TrustInfo
    from provenance.verdict import ImageVerdict, Reason, Status

    finding = Finding("credentials.untrusted", "untrusted", Location(manifest="urn:a"), reason=Reason.CREDENTIALS_UNTRUSTED)

    def verdict(path: str, signer: str, reasons: tuple[Reason, ...]) -> ImageVerdict:
        fresh = signer.encode().decode()  # a string of its own, as every verdict from a worker has
        return ImageVerdict(path, "ab" * 32, 10, "image/jpeg", Status.INDETERMINATE, reasons, (finding,), signer=fresh)

    def images() -> list[ImageVerdict]:
        return [verdict("adobe.jpg", "Photoshop (Adobe Inc.)", (Reason.CREDENTIALS_UNTRUSTED,)),
                verdict("studio.jpg", "Provenance Test Signer (test PKI)", (Reason.CREDENTIALS_UNTRUSTED,)),
                verdict("trusted-adobe.jpg", "Photoshop (Adobe Inc.)", (Reason.REVIEW_REQUIRED,)),
                verdict("nikon.jpg", "Z9 (Nikon Corporation)", (Reason.GENERATIVE_AI, Reason.CREDENTIALS_UNTRUSTED))]

    given: list[ImageVerdict] = []

    def header(untrusted: Sequence[ImageVerdict]) -> ReportHeader:
        given.extend(untrusted)
        return ReportHeader(PolicyInfo("p", "1", "0" * 64, "here"), TrustInfo(), datetime(2026, 1, 2, tzinfo=UTC))

    writer = ReportWriter(io.StringIO(), "json", header)
    for _ in range(1000):
        for image in images():
            writer.add(image)
    writer.finish()
    # Only the images the hint names, each without findings or digest; one signer string for all of them.
    assert [(v.path, v.signer, v.reasons, v.findings, v.sha256) for v in given[:2]] == [
        ("adobe.jpg", "Photoshop (Adobe Inc.)", (Reason.CREDENTIALS_UNTRUSTED,), (), None),
        ("nikon.jpg", "Z9 (Nikon Corporation)", (Reason.GENERATIVE_AI, Reason.CREDENTIALS_UNTRUSTED), (), None)]
    assert len(given) == 2000 and len({id(v.signer) for v in given}) == 2


@pytest.mark.parametrize("verbose", [[], ["-v"]])
def test_streamed_text_report_equals_the_library_text(verbose: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # The CLI spools the verdicts to disk and writes the text line by line (memory flat in the
    # number of images); it must be the very text AuditReport.to_text() gives.
    code, out, _ = run_cli(["audit", str(SAMPLE_DELIVERY), "--no-trust-store", "--trust-anchors", str(TEST_ROOT),
                            *verbose], capsys)
    report = audit([SAMPLE_DELIVERY], trust=TrustConfig.from_pem_files([TEST_ROOT]))
    assert code == 1
    assert out == report.to_text(verbose=bool(verbose))
    assert "NON_COMPLIANT" in out and out.endswith("\n")


def test_reports_on_an_ascii_standard_output_are_written_as_utf8(tmp_path: Path) -> None:
    """``PYTHONIOENCODING=ascii`` (or a console that says it is ASCII): the streamed HTML page failed
    on its own ``·`` (exit 4), where ``click.echo`` used to write it as UTF-8; the same holds for json."""
    import os
    import subprocess
    import sys

    image = str(SAMPLE_DELIVERY / "01-capture-edited.jpg")
    for fmt in ("html", "json"):
        result = subprocess.run(
            [sys.executable, "-c", "import sys; from provenance._cli import main; sys.exit(main())", "audit",
             image, "--no-trust-store", "--trust-anchors", str(TEST_ROOT), "--jobs", "0", "--format", fmt],
            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=120, check=False)
        assert result.returncode == 0, (fmt, result.stderr.decode("utf-8", "replace"))
        text = result.stdout.decode("utf-8")
        assert ("·" in text) if fmt == "html" else (json.loads(text)["images"][0]["status"] == "compliant")
