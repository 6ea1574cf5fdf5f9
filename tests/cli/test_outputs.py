"""Where reports may be written: any regular file name (devices, folders and links: tests/test_cli_audit.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT, run_cli

ONE = str(SAMPLE_DELIVERY / "01-capture-edited.jpg")


def test_the_longest_file_name_can_be_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / ("R" * 250 + ".json")  # 255 bytes: the usual NAME_MAX
    code, _, err = run_cli(["audit", ONE, "--trust-anchors", str(TEST_ROOT), "--no-trust-store", "--format", "json",
                            "-o", str(target)], capsys)
    assert code == 0, err
    assert json.loads(target.read_text())["images"][0]["status"] == "compliant"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind
