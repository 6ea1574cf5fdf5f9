"""Every error, click's usage errors included, is one line in one style on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli


@pytest.mark.parametrize("args", [["audit", "--nope", "x"], ["audit"], ["audit", "/no/such/file.jpg"],
                                  ["verify", "/no/such.cert.json", "x", "--key", "/no/key.pub"]])
def test_usage_errors_share_one_style(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(args, capsys)
    assert code == 2 and out == ""
    assert err.startswith("provenance: error: "), err
    assert "Traceback" not in err and "Usage:" not in err


def test_a_failure_while_running_has_the_same_style(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import SAMPLE_DELIVERY

    code, _, err = run_cli(["audit", str(SAMPLE_DELIVERY / "01-capture-edited.jpg"), "--no-trust-store",
                            "-o", str(tmp_path / "missing-folder" / "r.json")], capsys)
    assert code == 4 and err.startswith("provenance: error: ")
