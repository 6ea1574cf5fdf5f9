"""Reading is offline, provably (issue #9 item 5).

A Python socket guard cannot see the native reader's sockets (c2pa-rs opens its own), so the audit of the
public corpus runs under ``strace -f -e trace=connect`` inside a network namespace of its own
(``unshare -rn``) and the trace must hold no ``AF_INET``/``AF_INET6`` connect. The verdicts must equal
those of a normal run (nothing depends on the network). A positive control proves the trace sees a
connect when one is made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED_TRUST_FILES, shared_path

from provenance.evidence._c2pa import offline_settings, read_credentials

_AUDIT = "import sys; from provenance._cli import main; sys.exit(main(sys.argv[1:]))"


def _tools() -> tuple[str, str]:
    strace, unshare = shutil.which("strace"), shutil.which("unshare")
    if strace and unshare:
        return strace, unshare
    missing = " and ".join(name for name, found in (("strace", strace), ("unshare", unshare)) if not found)
    if os.environ.get("CI"):
        pytest.fail(f"{missing} missing in CI: .ci/run installs them, the offline proof must run there")
    pytest.skip(f"{missing} not installed: the offline proof needs strace and unshare (util-linux)")


def _traced(command: list[str], trace: Path) -> subprocess.CompletedProcess[str]:
    strace, unshare = _tools()
    full = [unshare, "-rn", strace, "-f", "-qq", "-e", "trace=connect", "-o", str(trace), *command]
    result = subprocess.run(full, capture_output=True, text=True, timeout=600)
    if "Operation not permitted" in result.stderr and ("unshare" in result.stderr or "ptrace" in result.stderr):
        if os.environ.get("CI"):
            pytest.fail(f"unshare/strace not permitted in CI: {result.stderr[-300:]}")
        pytest.skip(f"unshare -rn or ptrace is not permitted here: {result.stderr[-200:]}")
    return result


def _inet_connects(trace: Path) -> list[str]:
    return [line for line in trace.read_text().splitlines()
            if "connect(" in line and ("AF_INET" in line or "AF_INET6" in line)]


def _verdicts(stdout: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {entry["path"]: (entry["status"], tuple(sorted(entry["reasons"])))
            for entry in json.loads(stdout)["images"]}


def test_the_trace_sees_a_connect(tmp_path: Path) -> None:
    """Positive control: a connect attempted inside the namespace shows up in the trace."""
    trace = tmp_path / "control.trace"
    _traced([sys.executable, "-c", "import socket\ntry:\n socket.create_connection(('192.0.2.1', 80), 1)\n"
             "except OSError:\n pass\n"], trace)
    assert any("192.0.2.1" in line for line in _inet_connects(trace))


def test_audit_of_the_public_corpus_makes_no_network_connection(tmp_path: Path) -> None:
    corpus = shared_path("fixtures", "public")
    anchors: list[str] = []
    for name in SHARED_TRUST_FILES:
        anchors += ["--trust-anchors", str(shared_path("fixtures", "trust", name))]
    command = [sys.executable, "-c", _AUDIT, "audit", str(corpus), "--format", "json", *anchors]
    env_note = {"PROVENANCE_TRUST_STORE": str(tmp_path / "store")}
    normal = subprocess.run(command, capture_output=True, text=True, timeout=600, env={**os.environ, **env_note})
    assert normal.returncode in (0, 1, 3), normal.stderr[-500:]

    trace = tmp_path / "audit.trace"
    offline = _traced(command, trace)
    assert offline.returncode == normal.returncode, offline.stderr[-500:]
    assert _inet_connects(trace) == []
    assert _verdicts(offline.stdout) == _verdicts(normal.stdout)
    # The corpus holds CAWG identity assertions whose DID would have been resolved (issue #9).
    assert len(_verdicts(normal.stdout)) >= 80


def test_settings_keep_identity_decoding_and_empty_the_network_allow_list() -> None:
    settings = offline_settings({})
    assert settings["core"] == {"allowed_network_hosts": []}
    assert "decode_identity_assertions" not in json.dumps(settings)
    assert settings["verify"]["remote_manifest_fetch"] is False
    assert settings["verify"]["ocsp_fetch"] is False


def test_an_identity_only_checkable_online_is_reported_unverified_offline() -> None:
    path = shared_path("fixtures", "public", "c2pa-rs", "adobe_connected_identities.jpg")
    credentials = read_credentials(path.read_bytes(), "image/jpeg")
    codes = {status.code: status for status in credentials.status_codes}
    assert "cawg.ica.did_unavailable" in codes  # the identity is still decoded and reported
    assert "unverified offline" in (codes["cawg.ica.did_unavailable"].explanation or "")
