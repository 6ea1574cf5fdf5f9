"""Where reports may be written: any regular file name, never a device or folder."""

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


def test_a_device_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["audit", ONE, "--no-trust-store", "-o", "/dev/null"], capsys)
    assert code == 2
    assert "not a regular file" in err and "-o -" in err
    assert out == ""


def test_a_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["audit", ONE, "--no-trust-store", "-o", str(tmp_path)], capsys)
    assert code == 2 and "is a directory" in err and out == ""
