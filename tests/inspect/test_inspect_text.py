"""`provenance inspect` text: whose validation code each store-level line is."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, TEST_ROOT, run_cli

ANCHORS = ["--trust-anchors", str(TEST_ROOT), "--no-trust-store"]


def _make_hostile() -> Any:
    spec = importlib.util.spec_from_file_location("make_hostile", FIXTURES / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample 01 opened and re-signed once: its ingredient's status was recorded at import without anchors."""
    path = tmp_path_factory.mktemp("inspect") / "edited.jpg"
    path.write_bytes(_make_hostile().deep_chain(1))
    return path


def test_an_ingredient_failure_is_not_shown_as_the_active_manifests(edited: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["inspect", str(edited), *ANCHORS], capsys)
    assert code == 0
    assert "validation state Trusted" in out and "verdict: compliant" in out
    store_lines = out.split("  active manifest:")[0].splitlines()
    failures = [line for line in store_lines if line.lstrip().startswith("failure")]
    assert failures == ["  failure (recorded in ingredient level-0.jpg): signingCredential.untrusted "
                        "(signing certificate untrusted)"]


def test_a_pipe_or_an_empty_file_is_shown_as_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "photo.jpg"
    os.mkfifo(pipe)  # opening it for reading would block: it must be refused without being opened
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    for path, why in ((pipe, "not a regular file"), (empty, "the file is empty")):
        code, out, _ = run_cli(["inspect", str(path), *ANCHORS], capsys)
        assert code == 0  # the tree was shown (docs/cli.md)
        assert f"cannot read: {why}" in out and "verdict: indeterminate (unreadable)" in out


class _PathLike:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


def test_the_library_call_takes_any_path_like_and_refuses_wrong_types(edited: Path) -> None:
    from provenance.inspect import inspect_file

    assert inspect_file(_PathLike(edited))["sha256"] == inspect_file(str(edited))["sha256"]  # type: ignore[arg-type]
    for call, needle in ((lambda: inspect_file(123), "takes a path"),  # type: ignore[arg-type]
                         (lambda: inspect_file(bytes(edited)), "takes a path"),  # type: ignore[arg-type]
                         (lambda: inspect_file(edited, policy="charter.toml"), "takes a Policy"),  # type: ignore[arg-type]
                         (lambda: inspect_file(edited, trust=[str(TEST_ROOT)]), "takes a TrustConfig")):  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=needle):
            call()
