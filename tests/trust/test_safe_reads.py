"""Inputs that would block: a FIFO given as a root, a list or a key fails at once with a clear error.

Each case runs in a child process under a timeout, so a regression shows as a failed test, not a hung
suite. Also: the audit path never imports the HTTP machinery (only ``trust update`` fetches).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX os.mkfifo")

CLI = "import sys; from provenance._cli import main; sys.exit(main(sys.argv[1:]))"


def run_child(code: str, *args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PROVENANCE_TRUST_STORE": str(store)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "root.pem"
    os.mkfifo(path)
    return path


def test_trust_add_refuses_a_fifo(fifo: Path, tmp_path: Path) -> None:
    done = run_child(CLI, "trust", "add", str(fifo), "--name", "studio", store=tmp_path / "store")
    assert done.returncode == 2, done.stderr
    assert f"the root to pin {fifo} is not a regular file" in done.stderr
    assert not (tmp_path / "store" / "index.json").exists()


def test_trust_update_from_a_fifo_is_refused(fifo: Path, tmp_path: Path) -> None:
    done = run_child(CLI, "trust", "update", "--from", str(fifo), store=tmp_path / "store")
    assert done.returncode == 2, done.stderr
    assert f"the trust list {fifo} is not a regular file" in done.stderr


def test_public_key_load_refuses_a_fifo(fifo: Path, tmp_path: Path) -> None:
    code = ("import sys\nfrom provenance import PublicKey, InvalidKeyError\n"
            "try:\n    PublicKey.load(sys.argv[1])\nexcept InvalidKeyError as e:\n    print(e.message); sys.exit(7)\n")
    done = run_child(code, str(fifo), store=tmp_path / "store")
    assert done.returncode == 7, done.stderr
    assert f"the public key {fifo} is not a regular file" in done.stdout


def test_trust_anchors_flag_refuses_a_fifo(fifo: Path, tmp_path: Path) -> None:
    done = run_child(CLI, "audit", str(tmp_path), "--trust-anchors", str(fifo), store=tmp_path / "store")
    assert done.returncode == 2, done.stderr
    assert "is not a regular file" in done.stderr


def test_an_audit_never_imports_the_http_client(tmp_path: Path) -> None:
    """fetch.py imports urllib only when fetching: audit start-up (and a whole audit) never loads it."""
    code = ("import sys\nfrom provenance._cli import main\n"
            "main(['audit', sys.argv[1], '--format', 'json'])\n"
            "loaded = sorted(m for m in ('urllib.request', 'http.client') if m in sys.modules)\n"
            "print('LOADED', loaded)\n")
    image = tmp_path / "x.jpg"
    image.write_bytes(b"not really a jpeg")
    done = run_child(code, str(image), store=tmp_path / "store")
    assert "LOADED []" in done.stdout, done.stdout + done.stderr


def test_trust_update_from_a_file_address_of_a_fifo_is_refused(fifo: Path, tmp_path: Path) -> None:
    done = run_child(CLI, "trust", "update", "--from", fifo.as_uri(), store=tmp_path / "store")
    assert done.returncode == 4, done.stderr
    assert "is not a regular file" in done.stderr
