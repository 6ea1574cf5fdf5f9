"""Text output that explains: `audit -v`, and when the progress bar appears."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT, run_cli


def test_verbose_explains_compliant_images(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["audit", str(SAMPLE_DELIVERY / "01-capture-edited.jpg"), "--trust-anchors", str(TEST_ROOT), "--no-trust-store"]
    code, quiet, _ = run_cli(args, capsys)
    assert code == 0 and "validation state" not in quiet
    code, out, _ = run_cli([*args, "-v"], capsys)
    assert code == 0
    assert "credentials: present; validation state: Trusted; assurance: signed_credentials" in out
    assert "signer: Provenance Test Signer" in out


def test_verbose_shows_warnings_of_every_image(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["audit", str(SAMPLE_DELIVERY / "03-generative-fill.jpg"), "--trust-anchors", str(TEST_ROOT),
                            "--no-trust-store", "-v"], capsys)
    assert code == 1
    assert "warning: ingredient ingredient.unknownProvenance" in out


@pytest.mark.parametrize(("to_file", "expected"), [(True, True), (False, False)])
def test_progress_bar_only_when_the_report_goes_to_a_file(
    to_file: bool, expected: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    args = ["audit", str(SAMPLE_DELIVERY), "--trust-anchors", str(TEST_ROOT), "--no-trust-store", "--format", "json"]
    if to_file:
        args += ["-o", str(tmp_path / "report.json")]
    code, out, err = run_cli(args, capsys)
    assert code == 1
    assert ("Auditing" in err) is expected
    assert (out == "") is to_file
