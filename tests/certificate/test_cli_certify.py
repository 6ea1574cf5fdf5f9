"""`provenance keygen`, `certify` and `verify`: exit codes, messages, files written (or not).

Uses only the project's own fixtures (fixtures/sample-delivery, fixtures/pki).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
from pathlib import Path

import click
import pytest
from cert_helpers import unrelated_root  # noqa: F401 - a fixture
from conftest import SAMPLE_DELIVERY, TEST_ROOT
from conftest import copy_sample as sample
from conftest import run_cli as run

from provenance import PublicKey, SigningKey
from provenance._cli import keygen as keygen_module
from provenance._cli import main
from provenance.keys import PRIVATE_KEY_NAME, PUBLIC_KEY_NAME

ANCHORS = ["--trust-anchors", str(TEST_ROOT)]
COMPLIANT = ("01-capture-edited.jpg", "02-capture-straightened.jpg")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user trust store, no passphrase from the developer's environment, no terminal."""
    monkeypatch.setenv("PROVENANCE_TRUST_STORE", str(tmp_path / "trust-store"))
    monkeypatch.delenv("PROVENANCE_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr(keygen_module, "_interactive", lambda: False)




@pytest.fixture()
def keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "keys"
    assert run(["keygen", "--out", str(folder)], capsys)[0] == 0
    return folder


@pytest.fixture()
def certified(tmp_path: Path, keys: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """(delivery folder, certificate) for the two compliant sample images."""
    delivery = sample(tmp_path, *COMPLIANT)
    certificate = tmp_path / "delivery.cert.json"
    code, _, err = run(["certify", str(delivery), "--key", str(keys / PRIVATE_KEY_NAME), "-o", str(certificate),
                        *ANCHORS], capsys)
    assert code == 0, err
    return delivery, certificate


def verify(certificate: Path, delivery: Path, keys: Path, capsys, *extra: str) -> tuple[int, str, str]:
    return run(["verify", str(certificate), str(delivery), "--key", str(keys / PUBLIC_KEY_NAME), *extra], capsys)


# --------------------------------------------------------------------------------------
# keygen
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["ed25519", "ecdsa-p256"])
def test_keygen_writes_a_key_pair(tmp_path, capsys, algorithm) -> None:
    code, out, _ = run(["keygen", "--out", str(tmp_path / "k"), "--algorithm", algorithm], capsys)
    assert code == 0
    private, public = tmp_path / "k" / PRIVATE_KEY_NAME, tmp_path / "k" / PUBLIC_KEY_NAME
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    key_id = PublicKey.load(public).key_id
    assert f"key id:      {key_id}" in out
    assert "not encrypted" in out
    assert SigningKey.load(private).key_id == key_id


def test_keygen_never_overwrites(keys, capsys) -> None:
    before = (keys / PRIVATE_KEY_NAME).read_bytes()
    code, _, err = run(["keygen", "--out", str(keys)], capsys)
    assert code == 4
    assert "already exists; refusing to overwrite a key" in err
    assert (keys / PRIVATE_KEY_NAME).read_bytes() == before


def test_keygen_rejects_an_unknown_algorithm(tmp_path, capsys) -> None:
    code, _, err = run(["keygen", "--out", str(tmp_path / "k"), "--algorithm", "rsa"], capsys)
    assert code == 2 and "rsa" in err
    assert not (tmp_path / "k").exists()


def test_keygen_passphrase_from_the_environment(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PROVENANCE_KEY_PASSPHRASE", "s3cret")
    code, out, _ = run(["keygen", "--out", str(tmp_path / "k")], capsys)
    assert code == 0 and "encrypted" in out and "not encrypted" not in out
    assert (tmp_path / "k" / PRIVATE_KEY_NAME).read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    SigningKey.load(tmp_path / "k" / PRIVATE_KEY_NAME, "s3cret")


def test_keygen_encrypt_prompts_on_a_terminal(tmp_path, capsys, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(keygen_module, "_interactive", lambda: True)
    monkeypatch.setattr(click, "prompt", lambda text, **kw: asked.append((text, kw)) or "typed secret")
    assert run(["keygen", "--out", str(tmp_path / "k"), "--encrypt"], capsys)[0] == 0
    assert asked and asked[0][1]["hide_input"] and asked[0][1]["confirmation_prompt"]
    SigningKey.load(tmp_path / "k" / PRIVATE_KEY_NAME, "typed secret")


def test_keygen_encrypt_without_a_terminal_or_passphrase_is_a_usage_error(tmp_path, capsys) -> None:
    code, _, err = run(["keygen", "--out", str(tmp_path / "k"), "--encrypt"], capsys)
    assert code == 2 and "set PROVENANCE_KEY_PASSPHRASE" in err
    assert not (tmp_path / "k" / PRIVATE_KEY_NAME).exists()


def test_there_is_no_passphrase_argument(tmp_path, capsys) -> None:
    assert run(["keygen", "--out", str(tmp_path / "k"), "--passphrase", "x"], capsys)[0] == 2


# --------------------------------------------------------------------------------------
# certify
# --------------------------------------------------------------------------------------


def test_certify_then_verify(certified, keys, capsys) -> None:
    delivery, certificate = certified
    envelope = json.loads(certificate.read_text())
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    statement = json.loads(base64.b64decode(envelope["payload"]))
    assert [s["name"] for s in statement["subject"]] == list(COMPLIANT)
    code, out, _ = verify(certificate, delivery, keys, capsys)
    assert code == 0
    assert "VERIFIED: 2 file(s) are exactly those certified" in out
    code, out, _ = verify(certificate, delivery, keys, capsys, "--format", "json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_certify_prints_the_audit_and_reports_what_it_wrote(tmp_path, keys, capsys) -> None:
    delivery = sample(tmp_path, *COMPLIANT)
    out_path = tmp_path / "c.json"
    code, out, err = run(["certify", str(delivery), "--key", str(keys / PRIVATE_KEY_NAME), "-o", str(out_path),
                          *ANCHORS, "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out)["summary"]["compliant"] == 2
    assert f"certified 2 images under {delivery} in {out_path}" in err


@pytest.mark.parametrize(("names", "expected"), [
    (("01-capture-edited.jpg", "03-generative-fill.jpg"), 1),
    (("01-capture-edited.jpg", "04-no-credentials.jpg"), 3),
])
def test_certify_writes_nothing_unless_all_compliant(tmp_path, keys, capsys, names, expected) -> None:
    delivery = sample(tmp_path, *names)
    out_path = tmp_path / "c.json"
    code, out, err = run(["certify", str(delivery), "--key", str(keys / PRIVATE_KEY_NAME), "-o", str(out_path),
                          *ANCHORS], capsys)
    assert code == expected
    assert not out_path.exists()
    assert "COMPLIANT  " in out  # the audit is printed as `audit` prints it
    assert "nothing written" in err
    assert code == main(["audit", str(delivery), *ANCHORS])


def test_certify_needs_a_root_for_files_or_several_folders(tmp_path, keys, capsys) -> None:
    delivery = sample(tmp_path, *COMPLIANT)
    files = [str(delivery / name) for name in COMPLIANT]
    key = ["--key", str(keys / PRIVATE_KEY_NAME), "-o", str(tmp_path / "c.json"), *ANCHORS]
    code, _, err = run(["certify", *files, *key], capsys)
    assert code == 2 and "the delivery root is ambiguous" in err
    code, _, err = run(["certify", *files, str(SAMPLE_DELIVERY / COMPLIANT[0]), "--root", str(delivery), *key],
                       capsys)
    assert code == 2 and "is not under the delivery root" in err
    assert not (tmp_path / "c.json").exists()
    assert run(["certify", *files, "--root", str(delivery), *key], capsys)[0] == 0
    assert verify(tmp_path / "c.json", delivery, keys, capsys)[0] == 0


def test_certify_refuses_to_write_over_an_input_image(tmp_path, keys, capsys) -> None:
    delivery = sample(tmp_path, *COMPLIANT)
    target = delivery / COMPLIANT[0]
    before = target.read_bytes()
    code, _, err = run(["certify", str(delivery), "--key", str(keys / PRIVATE_KEY_NAME), "-o", str(target),
                        *ANCHORS], capsys)
    assert code == 2 and "over an input file" in err
    assert target.read_bytes() == before


def test_certify_with_the_public_key_is_a_usage_error(tmp_path, keys, capsys) -> None:
    delivery = sample(tmp_path, *COMPLIANT)
    code, _, err = run(["certify", str(delivery), "--key", str(keys / PUBLIC_KEY_NAME), "-o",
                        str(tmp_path / "c.json"), *ANCHORS], capsys)
    assert code == 2 and "holds a public key" in err


def test_certify_with_an_encrypted_key(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PROVENANCE_KEY_PASSPHRASE", "right")
    assert run(["keygen", "--out", str(tmp_path / "k")], capsys)[0] == 0
    delivery = sample(tmp_path, *COMPLIANT)
    args = ["certify", str(delivery), "--key", str(tmp_path / "k" / PRIVATE_KEY_NAME), "-o",
            str(tmp_path / "c.json"), *ANCHORS]
    monkeypatch.setenv("PROVENANCE_KEY_PASSPHRASE", "wrong")
    code, _, err = run(args, capsys)
    assert code == 2 and "wrong passphrase" in err
    monkeypatch.delenv("PROVENANCE_KEY_PASSPHRASE")
    code, _, err = run(args, capsys)
    assert code == 2 and "PROVENANCE_KEY_PASSPHRASE" in err
    monkeypatch.setenv("PROVENANCE_KEY_PASSPHRASE", "right")
    assert run(args, capsys)[0] == 0


def test_certify_with_a_missing_key_is_a_usage_error(tmp_path, capsys) -> None:
    delivery = sample(tmp_path, *COMPLIANT)
    code, _, err = run(["certify", str(delivery), "--key", str(tmp_path / "none.key"), "-o",
                        str(tmp_path / "c.json"), *ANCHORS], capsys)
    assert code == 2 and "no such private key file" in err


# --------------------------------------------------------------------------------------
# verify
# --------------------------------------------------------------------------------------


def test_verify_flipped_byte(certified, keys, capsys) -> None:
    delivery, certificate = certified
    path = delivery / COMPLIANT[0]
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    code, out, _ = verify(certificate, delivery, keys, capsys)
    assert code == 1
    assert f"MODIFIED  {COMPLIANT[0]}: its content differs from the certified file" in out
    assert out.rstrip().endswith("FAILED: 1 modified.")


def test_verify_added_and_removed(certified, keys, capsys) -> None:
    delivery, certificate = certified
    shutil.copy(SAMPLE_DELIVERY / "04-no-credentials.jpg", delivery)
    (delivery / COMPLIANT[1]).unlink()
    code, out, _ = verify(certificate, delivery, keys, capsys)
    assert code == 1
    assert "NOT CERTIFIED  04-no-credentials.jpg: the certificate does not cover this file" in out
    assert f"MISSING        {COMPLIANT[1]}: certified, but not among the files given" in out
    assert "FAILED: 1 not certified; 1 missing." in out


def test_verify_with_another_key(certified, tmp_path, capsys) -> None:
    delivery, certificate = certified
    assert run(["keygen", "--out", str(tmp_path / "other")], capsys)[0] == 0
    code, out, _ = verify(certificate, delivery, tmp_path / "other", capsys)
    assert code == 1
    assert "FAILED  key id: signed by another key" in out
    assert "FAILED  signature: the signature does not verify" in out
    assert "not compared: the certificate could not be trusted" in out


def test_verify_truncated_certificate(certified, keys, capsys) -> None:
    delivery, certificate = certified
    certificate.write_text(certificate.read_text()[:100])
    code, out, _ = verify(certificate, delivery, keys, capsys)
    assert code == 1 and "FAILED  envelope: the certificate ends early: it looks truncated" in out


def test_verify_json_output_to_a_file(certified, keys, tmp_path, capsys) -> None:
    delivery, certificate = certified
    (delivery / COMPLIANT[0]).unlink()
    report = tmp_path / "verify.json"
    code, out, err = verify(certificate, delivery, keys, capsys, "--format", "json", "--output", str(report))
    assert code == 1 and out == ""
    assert f"wrote {report}: verification FAILED" in err
    data = json.loads(report.read_text())
    assert data["ok"] is False and data["summary"]["missing"] == 1
    assert data["files"][-1] == {"name": COMPLIANT[0], "state": "missing",
                                 "message": "missing: certified, but not among the files given",
                                 "certified_sha256": data["files"][-1]["certified_sha256"]}


def test_verify_reaudit(certified, keys, capsys, unrelated_root) -> None:
    delivery, certificate = certified
    code, out, _ = verify(certificate, delivery, keys, capsys, "--reaudit", *ANCHORS)
    assert code == 0 and "unchanged: 2 image(s) still compliant" in out
    code, out, _ = verify(certificate, delivery, keys, capsys, "--reaudit", "--trust-anchors", str(unrelated_root))
    assert code == 1
    assert f"CHANGED  {COMPLIANT[0]}: verdict changed: compliant when certified, indeterminate now" in out
    assert "note: the trust anchors given differ from those recorded at certification" in out
    assert "FAILED: re-audit: 2 verdict(s) changed." in out


def test_verify_reaudit_without_anchors_is_a_usage_error(certified, keys, capsys) -> None:
    delivery, certificate = certified
    code, out, err = verify(certificate, delivery, keys, capsys, "--reaudit")
    assert (code, out) == (2, "")
    assert "no trust anchors: cannot re-audit" in err


@pytest.mark.parametrize(("extra", "message"), [
    (["--policy", "x.toml"], "No such option '--policy'"),  # not offered: the certificate records its policy
    (["--trust-anchors", str(TEST_ROOT)], "--trust-anchors applies only with --reaudit"),
])
def test_verify_usage_errors(certified, keys, capsys, extra, message) -> None:
    delivery, certificate = certified
    code, _, err = verify(certificate, delivery, keys, capsys, *extra)
    assert code == 2 and message in err


def test_verify_missing_certificate_or_bad_key(certified, keys, tmp_path, capsys) -> None:
    delivery, certificate = certified
    assert verify(tmp_path / "absent.json", delivery, keys, capsys)[0] == 2
    code, _, err = run(["verify", str(certificate), str(delivery), "--key", str(keys / PRIVATE_KEY_NAME)], capsys)
    assert code == 2 and "holds a private key" in err
    assert verify(certificate, tmp_path / "absent", keys, capsys)[0] == 2


def test_help_lists_the_commands(capsys) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for command in ("keygen", "certify", "verify"):
        assert command in out


def test_certify_refuses_a_file_name_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "delivery"
    folder.mkdir()
    shutil.copy(SAMPLE_DELIVERY / "01-capture-edited.jpg", folder / os.fsdecode(b"caf\xe9.jpg"))
    key_dir = tmp_path / "keys"
    assert run(["keygen", "--out", str(key_dir)], capsys)[0] == 0
    code, _, err = run(["certify", str(folder), "--key", str(key_dir / "provenance.key"), "--output",
                        str(tmp_path / "c.json"), "--trust-anchors", str(TEST_ROOT)], capsys)
    assert code == 2 and "not valid UTF-8" in err and "caf\\xe9.jpg" in err
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize("victim", ["key", "anchors", "policy"])
def test_certify_never_writes_over_its_own_inputs(tmp_path: Path, victim: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The private key, a trust-anchor file and the policy are inputs too."""
    delivery = sample(tmp_path, "01-capture-edited.jpg")
    key_dir = tmp_path / "keys"
    assert run(["keygen", "--out", str(key_dir)], capsys)[0] == 0
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(TEST_ROOT.read_bytes())
    policy = tmp_path / "policy.toml"
    from provenance import default_policy

    policy.write_text(default_policy().text)
    targets = {"key": key_dir / "provenance.key", "anchors": anchors, "policy": policy}
    before = targets[victim].read_bytes()
    code, _, err = run(["certify", str(delivery), "--key", str(key_dir / "provenance.key"), "--policy", str(policy),
                        "--no-trust-store", "--trust-anchors", str(anchors), "--output", str(targets[victim])],
                       capsys)
    assert code == 2 and "over an input file" in err
    assert targets[victim].read_bytes() == before


def test_a_pipe_given_as_key_or_certificate_is_refused_not_waited_on(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    delivery = sample(tmp_path, "01-capture-edited.jpg")
    pipe = tmp_path / "pipe.pem"
    os.mkfifo(pipe)
    code, _, err = run(["certify", str(delivery), "--key", str(pipe), "-o", str(tmp_path / "c.json")], capsys)
    assert code == 2 and "not a regular file" in err
    code, _, err = run(["verify", str(pipe), str(delivery), "--key", str(pipe)], capsys)
    assert code == 2 and "not a regular file" in err


def test_an_oversized_certificate_fails_without_being_loaded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from provenance.certificate import MAX_CERTIFICATE_BYTES

    delivery = sample(tmp_path, "01-capture-edited.jpg")
    key_dir = tmp_path / "keys"
    assert run(["keygen", "--out", str(key_dir)], capsys)[0] == 0
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:  # sparse: no disk is used
        handle.truncate(MAX_CERTIFICATE_BYTES + 4096)
    code, out, _ = run(["verify", str(huge), str(delivery), "--key", str(key_dir / "provenance.pub"),
                        "--format", "json"], capsys)
    assert code == 1
    assert any(c["code"] == "certificate.too_large" for c in json.loads(out)["checks"])
