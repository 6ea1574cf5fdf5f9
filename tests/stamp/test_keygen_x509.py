"""`provenance keygen --x509` / `--renew-signer`: the studio root CA and its C2PA signer.

The profile rules come from c2pa-rs (ecosystem.md §4.1): the tests check the
certificates field by field, and let c2pa-rs itself sign with the signer, and
refuse the certificates that break the profile.
"""

from __future__ import annotations

import datetime as dt
import io
import stat
from pathlib import Path

import c2pa
import pytest
from conftest import run_cli as run
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from provenance import StudioIdentityError
from provenance._cli import keygen as keygen_module
from provenance._x509 import (
    OFFLINE_DIR,
    ROOT_CERT_NAME,
    ROOT_KEY_NAME,
    SIGNER_CHAIN_NAME,
    SIGNER_KEY_NAME,
    StudioSigner,
    load_signer,
    signer_profile_problems,
)
from provenance.keys import PRIVATE_KEY_NAME, PUBLIC_KEY_NAME

NOW = dt.datetime.now(dt.UTC)
OFFLINE = {"remote_manifest_fetch": False, "ocsp_fetch": False}


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVENANCE_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr(keygen_module, "_interactive", lambda: False)


def _keygen(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run(["keygen", *args], capsys)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def identity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "keys"
    code, out, err = _keygen(capsys, "--out", str(folder), "--x509", "--studio", "Atelier Test")
    assert code == 0, err
    assert "MOVE IT OFF THIS MACHINE" in out
    return folder


def _chain(folder: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates((folder / SIGNER_CHAIN_NAME).read_bytes())


def test_x509_writes_every_file_with_private_keys_0600(identity: Path) -> None:
    names = {PRIVATE_KEY_NAME, PUBLIC_KEY_NAME, ROOT_CERT_NAME, SIGNER_CHAIN_NAME, SIGNER_KEY_NAME,
             f"{OFFLINE_DIR}/{ROOT_KEY_NAME}"}
    assert set(_snapshot(identity)) == names
    for private in (PRIVATE_KEY_NAME, SIGNER_KEY_NAME, f"{OFFLINE_DIR}/{ROOT_KEY_NAME}"):
        assert stat.S_IMODE((identity / private).stat().st_mode) == 0o600
    assert stat.S_IMODE((identity / OFFLINE_DIR).stat().st_mode) == 0o700


def test_signer_meets_the_c2pa_profile_field_by_field(identity: Path) -> None:
    signer, root = _chain(identity)
    assert root == x509.load_pem_x509_certificate((identity / ROOT_CERT_NAME).read_bytes())
    assert signer.version is x509.Version.v3
    assert signer.issuer == root.subject != signer.subject
    signer.verify_directly_issued_by(root)
    assert signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and not usage.key_cert_sign
    assert list(signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.EMAIL_PROTECTION]
    aki = signer.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert signer.not_valid_before_utc <= NOW <= signer.not_valid_after_utc <= root.not_valid_after_utc
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert signer.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Atelier Test"
    assert signer_profile_problems(signer, root, NOW) == []


def _sign_tiny_jpeg(signer: StudioSigner) -> bytes:
    """Let c2pa-rs sign a small JPEG with ``signer``; raises c2pa.C2paError if it refuses the certificate."""
    from PIL import Image

    raw = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 150)).save(raw, "JPEG")
    manifest = {"claim_generator_info": [{"name": "test"}], "format": "image/jpeg", "title": "tiny.jpg",
                "assertions": []}
    info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, signer.chain_pem, signer.key_pem, None)
    out = io.BytesIO()
    with c2pa.Context.from_dict({"version": 1, "verify": OFFLINE}) as context, \
            c2pa.Builder(manifest, context=context) as builder, c2pa.Signer.from_info(info) as c2pa_signer:
        builder.set_intent(c2pa.C2paBuilderIntent.CREATE, c2pa.C2paDigitalSourceType.DIGITAL_CAPTURE)
        builder.sign(c2pa_signer, "image/jpeg", io.BytesIO(raw.getvalue()), out)
    return out.getvalue()


def test_c2pa_rs_signs_with_the_signer_and_reads_it_trusted_under_the_studio_root(identity: Path) -> None:
    signer = load_signer(identity)
    signed = _sign_tiny_jpeg(signer)
    settings = {"version": 1, "verify": OFFLINE, "trust": {"trust_anchors": signer.root_pem.decode()}}
    with c2pa.Context.from_dict(settings) as context, c2pa.Reader("image/jpeg", io.BytesIO(signed), context=context) as reader:
        assert reader.get_validation_state() == "Trusted"


# Certificates that break one rule of the profile: c2pa-rs must refuse each, and so must our check.
def _leaf(root_key: ec.EllipticCurvePrivateKey, root: x509.Certificate, *, eku: bool = True, ca: bool = False,
          self_signed: bool = False, expired: bool = False) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bad signer")])
    start = NOW - dt.timedelta(days=30)
    builder = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name if self_signed else root.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=1 if expired else 365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, ca, ca, False, False), critical=True)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    if not self_signed:
        ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    return builder.sign(key if self_signed else root_key, hashes.SHA256()), key


@pytest.mark.parametrize(("flaw", "expected"), [
    ({"eku": False}, "no Extended Key Usage"),
    ({"self_signed": True}, "self-signed"),
    ({"expired": True}, "not valid now"),
    ({"ca": True}, "CA certificate"),
])
def test_profile_breaches_are_refused_by_c2pa_rs_and_by_the_check(identity: Path, flaw: dict[str, bool],
                                                                   expected: str) -> None:
    root = x509.load_pem_x509_certificate((identity / ROOT_CERT_NAME).read_bytes())
    root_key = serialization.load_pem_private_key((identity / OFFLINE_DIR / ROOT_KEY_NAME).read_bytes(), None)
    assert isinstance(root_key, ec.EllipticCurvePrivateKey)
    cert, key = _leaf(root_key, root, **flaw)
    problems = signer_profile_problems(cert, root, NOW)
    assert any(expected in problem for problem in problems), problems
    pem = serialization.Encoding.PEM
    bad = StudioSigner(
        chain_pem=cert.public_bytes(pem) + root.public_bytes(pem), root_pem=root.public_bytes(pem),
        key_pem=key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        algorithm="es256", certificate=cert,
    )
    with pytest.raises(c2pa.C2paError):
        _sign_tiny_jpeg(bad)


def test_rerun_keeps_everything(identity: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(identity)
    code, out, _ = _keygen(capsys, "--out", str(identity), "--x509")
    assert code == 0
    assert "kept" in out
    assert _snapshot(identity) == before


def test_x509_keeps_an_existing_certificate_key_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "keys"
    assert _keygen(capsys, "--out", str(folder))[0] == 0
    pair = _snapshot(folder)
    assert _keygen(capsys, "--out", str(folder), "--x509")[0] == 0
    after = _snapshot(folder)
    assert {name: after[name] for name in pair} == pair
    assert SIGNER_CHAIN_NAME in after


def test_half_a_key_pair_is_refused_and_nothing_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / PUBLIC_KEY_NAME).write_text("not touched")
    code, _, err = _keygen(capsys, "--out", str(folder), "--x509")
    assert code == 2
    assert "only one of" in err
    assert _snapshot(folder) == {PUBLIC_KEY_NAME: b"not touched"}


def test_moved_root_key_without_signer_is_refused(identity: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (identity / OFFLINE_DIR / ROOT_KEY_NAME).unlink()  # moved offline, as told
    (identity / SIGNER_CHAIN_NAME).unlink()
    (identity / SIGNER_KEY_NAME).unlink()
    code, _, err = _keygen(capsys, "--out", str(identity), "--x509")
    assert code == 2
    assert "put the root key back" in err
    assert not (identity / SIGNER_CHAIN_NAME).exists()


def test_renew_signer_issues_a_new_signer_and_retires_the_old(identity: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    old_chain = (identity / SIGNER_CHAIN_NAME).read_bytes()
    old_serial = _chain(identity)[0].serial_number
    root_before = (identity / ROOT_CERT_NAME).read_bytes()
    offline = tmp_path / "usb-stick.key"
    (identity / OFFLINE_DIR / ROOT_KEY_NAME).rename(offline)  # the root key lives off the machine
    code, _, err = _keygen(capsys, "--renew-signer", str(identity))
    assert code == 2 and "bring it back" in err
    code, _, err = _keygen(capsys, "--renew-signer", str(identity), "--root-key", str(offline))
    assert code == 0, err
    new, root = _chain(identity)
    assert new.serial_number != old_serial
    assert (identity / ROOT_CERT_NAME).read_bytes() == root_before
    assert signer_profile_problems(new, root, NOW) == []
    assert (identity / "retired" / f"{old_serial:x}-{SIGNER_CHAIN_NAME}").read_bytes() == old_chain
    assert load_signer(identity).certificate == new


def test_renew_refuses_a_key_of_another_root(identity: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    assert _keygen(capsys, "--out", str(other), "--x509")[0] == 0
    code, _, err = _keygen(capsys, "--renew-signer", str(identity), "--root-key",
                           str(other / OFFLINE_DIR / ROOT_KEY_NAME))
    assert code == 2
    assert "is not the key of" in err


def test_passphrase_encrypts_every_private_key(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENANCE_KEY_PASSPHRASE", "correct horse")
    folder = tmp_path / "keys"
    assert _keygen(capsys, "--out", str(folder), "--x509")[0] == 0
    for private in (PRIVATE_KEY_NAME, SIGNER_KEY_NAME, f"{OFFLINE_DIR}/{ROOT_KEY_NAME}"):
        assert b"BEGIN ENCRYPTED PRIVATE KEY" in (folder / private).read_bytes()
    with pytest.raises(StudioIdentityError, match="encrypted"):
        load_signer(folder)
    with pytest.raises(StudioIdentityError, match="wrong passphrase"):
        load_signer(folder, passphrase="wrong")
    assert load_signer(folder, passphrase="correct horse").algorithm == "es256"


def test_out_and_renew_are_exclusive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _keygen(capsys)[0] == 2
    assert _keygen(capsys, "--out", str(tmp_path / "a"), "--renew-signer", str(tmp_path / "b"))[0] == 2


def test_load_signer_refuses_a_key_that_is_not_the_certificates(identity: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    assert _keygen(capsys, "--out", str(other), "--x509")[0] == 0
    (identity / SIGNER_KEY_NAME).write_bytes((other / SIGNER_KEY_NAME).read_bytes())
    with pytest.raises(StudioIdentityError, match="is not the key of"):
        load_signer(identity)


def test_renew_with_an_encrypted_root_key_asks_for_the_passphrase(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENANCE_KEY_PASSPHRASE", "correct horse")
    folder = tmp_path / "keys"
    assert _keygen(capsys, "--out", str(folder), "--x509")[0] == 0
    monkeypatch.delenv("PROVENANCE_KEY_PASSPHRASE")
    code, _, err = _keygen(capsys, "--renew-signer", str(folder))
    assert code == 2 and "PROVENANCE_KEY_PASSPHRASE" in err  # encrypted, and no terminal to ask on
    monkeypatch.setenv("PROVENANCE_KEY_PASSPHRASE", "correct horse")
    assert _keygen(capsys, "--renew-signer", str(folder))[0] == 0
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in (folder / SIGNER_KEY_NAME).read_bytes()
    assert load_signer(folder, passphrase="correct horse").certificate == _chain(folder)[0]
