"""First-hour frictions with certificates (issue 15, item 6), each with the behaviour a new user expects."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import TEST_ROOT, copy_sample, run_cli

import provenance
from provenance import KeyAlgorithm, SigningKey, TrustConfig, UsageError, issue_certificate, verify_certificate

AT = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
COMPLIANT = ("01-capture-edited.jpg", "02-capture-straightened.jpg")


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate(KeyAlgorithm.ED25519)


@pytest.fixture()
def delivery(tmp_path: Path) -> Path:
    return copy_sample(tmp_path, *COMPLIANT)


@pytest.fixture()
def certificate(delivery: Path, key: SigningKey) -> str:
    report = provenance.audit([delivery], trust=TrustConfig.from_pem_files([TEST_ROOT]), at=AT)
    return issue_certificate(report, key, root=delivery).to_json()


def test_one_path_as_a_str_or_path_is_one_path(certificate, delivery, key) -> None:
    assert verify_certificate(certificate, str(delivery), key=key.public_key).ok
    assert verify_certificate(certificate, delivery, key=key.public_key).ok
    one = verify_certificate(certificate, str(delivery / COMPLIANT[0]), key=key.public_key, root=delivery,
                             partial=True)
    assert [r.name for r in one.verified] == [COMPLIANT[0]]


@pytest.mark.parametrize(("arguments", "message"), [
    ({"certificate": 42}, "certificate must be bytes, str (its text) or a Path to its file, not int"),
    ({"paths": 3}, "paths must be a path (str or Path) or a sequence of paths, not int"),
    ({"paths": b"delivery"}, "paths must be a path (str or Path) or a sequence of paths, not bytes"),
    ({"paths": [3]}, "each of paths must be a str or Path, not int"),
    ({"key": "studio.pub"}, "key must be a provenance.PublicKey (the studio's public key), not str"),
    ({"trust": ["root.pem"]}, "trust must be a provenance.TrustConfig, not list"),
    ({"at": "2026-03-01"}, "at must be a datetime, not str"),
])
def test_wrong_types_raise_type_error_naming_the_type(certificate, delivery, key, arguments, message) -> None:
    call = {"certificate": certificate, "paths": [delivery], "key": key.public_key, **arguments}
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        verify_certificate(call.pop("certificate"), call.pop("paths"), **call)


def test_issue_certificate_wrong_types(delivery, key) -> None:
    report = provenance.audit([delivery], trust=TrustConfig.from_pem_files([TEST_ROOT]), at=AT)
    with pytest.raises(TypeError, match="key must be a provenance.SigningKey"):
        issue_certificate(report, key.public_key, root=delivery)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="report must be a provenance.AuditReport, not dict"):
        issue_certificate({}, key, root=delivery)  # type: ignore[arg-type]


def test_reaudit_without_anchors_is_a_usage_error(certificate, delivery, key) -> None:
    for trust in (None, TrustConfig()):
        with pytest.raises(UsageError, match="no trust anchors: cannot re-audit"):
            verify_certificate(certificate, delivery, key=key.public_key, reaudit=True, trust=trust)


def test_verify_offers_no_policy_flag(capsys) -> None:
    code, out, _ = run_cli(["verify", "--help"], capsys)
    assert code == 0 and "--policy" not in out.replace("There is no --policy", "")
    assert "--partial" in out and "--trust-anchors" in out


# --------------------------------------------------------------------------------------
# certificate show
# --------------------------------------------------------------------------------------


def test_certificate_show_prints_the_contents_headed_not_verified(certificate, tmp_path, capsys) -> None:
    path = tmp_path / "c.json"
    path.write_text(certificate)
    code, out, err = run_cli(["certificate", "show", str(path)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("NOT VERIFIED: this is what the certificate says, read without a key.")
    assert "Policy: studio-charter" in out and "Evaluated at: 2026-03-01T12:00:00Z" in out
    assert f"Tool: provenance {provenance.__version__} (c2paPython " in out
    assert "Subjects (2):" in out and f"  IMAGE  {COMPLIANT[0]}  compliant  sha256 " in out
    assert "Ignored (--ignore): none" in out
    code, out, _ = run_cli(["certificate", "show", str(path), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["verified"] is False and data["schema"] == "provenance.certificate-show/v1"
    assert [s["name"] for s in data["statement"]["subject"]] == list(COMPLIANT)


@pytest.mark.parametrize("content", [b"", b"not json", b'{"payload": "e30=", "payloadType": "x"}', b"\xff\xfe",
                                     b'{"payload": "bm90IGpzb24=", "payloadType": "x", "signatures": [{"sig": ""}]}'])
def test_certificate_show_exits_1_when_it_does_not_parse(tmp_path, capsys, content) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(content)
    code, out, err = run_cli(["certificate", "show", str(path)], capsys)
    assert (code, out) == (1, "")
    assert "is not a certificate that can be read" in err


def test_certificate_show_escapes_what_it_prints(certificate, delivery, key, tmp_path, capsys) -> None:
    from provenance.certificate import Certificate, EnvelopeSignature, serialize_statement

    statement = Certificate.from_json(certificate).statement()
    statement["predicate"]["evaluatedAt"] = "2026\n\u202eFORGED"
    unsigned = Certificate(serialize_statement(statement), "application/vnd.in-toto+json",
                           (EnvelopeSignature("k\x1b[31m", b"x"),))
    path = tmp_path / "c.json"
    path.write_text(unsigned.to_json())
    code, out, _ = run_cli(["certificate", "show", str(path)], capsys)
    assert code == 0
    assert "Evaluated at: 2026\\n\\u202eFORGED" in out and "\x1b" not in out and "\u202e" not in out


def test_the_public_names_stay_importable_from_both_places() -> None:
    import provenance.certificate as package

    for name in ("issue_certificate", "verify_certificate", "Certificate", "VerificationResult"):
        assert getattr(provenance, name) is getattr(package, name)
    assert set(package.__all__) >= {"MAX_CERTIFICATE_BYTES", "MAX_PAYLOAD_BYTES", "MAX_SIGNATURES", "PAYLOAD_TYPE",
                                    "PREDICATE_TYPE", "STATEMENT_TYPE", "VERIFY_SCHEMA", "Check", "CheckStatus",
                                    "EnvelopeSignature", "FileResult", "FileState", "Reaudit", "VerdictChange",
                                    "build_statement", "delivery_root", "serialize_statement", "subject_name"}
    assert all(hasattr(package, name) for name in package.__all__)
