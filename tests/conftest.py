"""Shared test helpers.

Tests that use the real third-party corpus read it in place from ``../shared``
(beside the repository) and skip with a clear reason when it is absent.
Everything else uses files the project generates itself (``fixtures/``).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = REPO / "fixtures"
SAMPLE_DELIVERY = FIXTURES / "sample-delivery"
TEST_ROOT = FIXTURES / "pki" / "root-ca.pem"

SHARED_TRUST_FILES = ("c2pa-trust-list.pem", "interim-trust-list-anchors.pem", "c2pa-rs-test-roots.pem")


def fixture_script(name: str) -> ModuleType:
    """A generator script of ``fixtures/`` (``"make_fixtures"``, ``"make_metadata_fixtures"``,
    ``"make_originals"``, ``"make_hostile"``...), imported once per session and shared by every test."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
        assert spec is not None and spec.loader is not None, name
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def shared_path(*parts: str) -> Path:
    """Path inside ``../shared``; skips the calling test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared is not available ({path} missing): the public corpus tests need it")
    return path


def load_reader_dump(name: str) -> dict:  # type: ignore[type-arg]
    """A ``Reader.json()`` dump from ``../shared/fixtures/manifests/reader-dumps``."""
    return json.loads(shared_path("fixtures", "manifests", "reader-dumps", name).read_text())


@pytest.fixture(scope="session")
def shared_trust():
    """A TrustConfig with the three shared trust lists (as the corpus catalogs used)."""
    from provenance import TrustConfig

    return TrustConfig.from_pem_files([shared_path("fixtures", "trust", name) for name in SHARED_TRUST_FILES])


@pytest.fixture(scope="session")
def test_trust():
    """A TrustConfig with the project's own throwaway test root."""
    from provenance import TrustConfig

    return TrustConfig.from_pem_files([TEST_ROOT])


@pytest.fixture(autouse=True)
def _isolated_trust_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets an empty trust store of its own: never the developer's real one."""
    monkeypatch.setenv("PROVENANCE_TRUST_STORE", str(tmp_path_factory.mktemp("trust-store")))


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``provenance`` in-process; return (exit code, stdout, stderr)."""
    from provenance._cli import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def copy_sample(tmp_path: Path, *names: str) -> Path:
    """Copy some files of the sample delivery into ``tmp_path/delivery``; return that folder."""
    import shutil

    folder = tmp_path / "delivery"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(SAMPLE_DELIVERY / name, folder / name)
    return folder
