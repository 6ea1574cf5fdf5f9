"""Certificates of compliance: layout, determinism, the tamper matrix, interoperability, re-audit.

Every tamper case asserts the specific failure the verifier reports (the
check's stable ``code`` and its plain-words message, or the file's state).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cert_helpers import unrelated_root  # noqa: F401 - a fixture
from conftest import SAMPLE_DELIVERY, TEST_ROOT, copy_sample
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner

import provenance
from provenance import (
    Certificate,
    CertificateError,
    KeyAlgorithm,
    NonCompliant,
    SigningKey,
    TrustConfig,
    UsageError,
    issue_certificate,
    verify_certificate,
)
from provenance.certificate import (
    PAYLOAD_TYPE,
    PREDICATE_TYPE,
    STATEMENT_TYPE,
    CheckStatus,
    EnvelopeSignature,
    VerificationResult,
    serialize_statement,
    subject_name,
)
from provenance.policy import parse_policy

AT = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
COMPLIANT = ("01-capture-edited.jpg", "02-capture-straightened.jpg")


@pytest.fixture(scope="module")
def trust() -> TrustConfig:
    return TrustConfig.from_pem_files([TEST_ROOT])


@pytest.fixture(scope="module")
def keys() -> dict[KeyAlgorithm, SigningKey]:
    return {algorithm: SigningKey.generate(algorithm) for algorithm in KeyAlgorithm}


@pytest.fixture(scope="module")
def studio_key(keys) -> SigningKey:
    return keys[KeyAlgorithm.ED25519]


@pytest.fixture()
def delivery(tmp_path: Path) -> Path:
    return copy_sample(tmp_path, *COMPLIANT)


@pytest.fixture()
def report(delivery: Path, trust: TrustConfig) -> provenance.AuditReport:
    return provenance.audit([delivery], trust=trust, at=AT)


@pytest.fixture()
def certificate(report, studio_key: SigningKey, delivery: Path) -> Certificate:
    return issue_certificate(report, studio_key, root=delivery)


def _verify(data: bytes | str | Certificate, delivery: Path, key: SigningKey, **options) -> VerificationResult:
    if isinstance(data, Certificate):
        data = data.to_json()
    return verify_certificate(data, [delivery], key=key.public_key, **options)


def _check(result: VerificationResult, name: str):
    (found,) = [check for check in result.checks if check.name == name]
    return found


def _failed(result: VerificationResult) -> dict[str, str]:
    """{check name: failure code} of the failed checks."""
    return {check.name: str(check.code) for check in result.checks if check.status is CheckStatus.FAILED}


def _resigned(statement: dict, key: SigningKey, payload_type: str = PAYLOAD_TYPE) -> str:
    """A certificate for ``statement`` signed by ``key`` (to build well-signed but bad content)."""
    payload = serialize_statement(statement)
    unsigned = Certificate(payload, payload_type, ())
    return replace(unsigned, signatures=(EnvelopeSignature(key.key_id, key.sign(unsigned.pae())),)).to_json()


# --------------------------------------------------------------------------------------
# Issuing: layout and determinism
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_certify_then_verify_succeeds(report, delivery, keys, algorithm) -> None:
    key = keys[algorithm]
    certificate = issue_certificate(report, key, root=delivery)
    result = _verify(certificate, delivery, key)
    assert result.ok and result.integrity_ok and result.certificate_ok
    assert [check.status for check in result.checks] == [CheckStatus.PASSED] * 8
    assert [r.name for r in result.verified] == list(COMPLIANT)
    assert result.raise_for_status() is result
    assert "VERIFIED: 2 file(s)" in result.to_text()
    data = json.loads(result.to_json())
    assert data["schema"] == "provenance.verify-report/v1" and data["ok"] is True
    assert data["summary"]["verified"] == 2


def test_statement_layout(certificate: Certificate, delivery: Path, trust: TrustConfig, studio_key) -> None:
    envelope = json.loads(certificate.to_json())
    assert envelope["payloadType"] == PAYLOAD_TYPE
    assert envelope["signatures"] == [{"keyid": studio_key.key_id, "sig": envelope["signatures"][0]["sig"]}]
    statement = json.loads(base64.b64decode(envelope["payload"]))
    assert statement["_type"] == STATEMENT_TYPE
    assert statement["predicateType"] == PREDICATE_TYPE == "urn:provenance:compliance-certificate:v1"
    assert statement["subject"] == [
        {"name": name, "digest": {"sha256": hashlib.sha256((delivery / name).read_bytes()).hexdigest()}}
        for name in COMPLIANT
    ]
    predicate = statement["predicate"]
    assert predicate["tool"]["name"] == "provenance"
    assert predicate["tool"]["version"] == provenance.__version__
    assert predicate["tool"]["c2paPython"] and predicate["tool"]["c2paRs"]
    assert predicate["evaluatedAt"] == "2026-03-01T12:00:00Z"
    policy = provenance.default_policy()
    assert predicate["policy"] == {"id": policy.id, "version": policy.version, "sha256": policy.sha256,
                                   "text": policy.text}
    assert hashlib.sha256(predicate["policy"]["text"].encode()).hexdigest() == policy.sha256
    assert predicate["trustAnchors"] == [{"sha256": fingerprint} for fingerprint in trust.fingerprints]
    assert [image["name"] for image in predicate["images"]] == list(COMPLIANT)
    for image in predicate["images"]:
        assert "path" not in image
        assert image["status"] == "compliant" and image["reasons"] == []
        assert image["validationState"] == "Trusted"
        assert image["assurance"] == "signed_credentials"
        assert image["signer"].startswith("Provenance Test Signer")
        actions = [f for f in image["findings"] if f["code"] == "action.classified"]
        assert actions
        for finding in actions:
            assert {"category", "decision", "rule", "location", "signal"} <= set(finding)
            assert finding["decision"] == "allowed"


def test_predicate_agrees_with_the_audit_report(report, certificate) -> None:
    from provenance.report import image_to_dict

    images = certificate.statement()["predicate"]["images"]
    for verdict, image in zip(report.images, images, strict=True):
        expected = image_to_dict(verdict)
        assert image["sha256"] == expected["sha256"]
        assert image["validationState"] == expected["validation_state"]
        assert len(image["findings"]) == len(expected["findings"])
        assert [f["rule"] for f in image["findings"]] == [f.get("rule") for f in expected["findings"]]


def test_same_inputs_and_time_give_the_same_payload_bytes(delivery, trust, studio_key, monkeypatch) -> None:
    first = issue_certificate(provenance.audit([delivery], trust=trust, at=AT), studio_key, root=delivery)
    monkeypatch.chdir(delivery.parent)
    second_report = provenance.audit([Path("delivery")], trust=trust, at=AT)
    second = issue_certificate(second_report, studio_key, root="delivery")
    assert first.payload == second.payload
    assert first.to_json() == second.to_json()  # Ed25519 signatures are deterministic too
    later = issue_certificate(provenance.audit([delivery], trust=trust, at=datetime(2026, 3, 2, tzinfo=UTC)),
                              studio_key, root=delivery)
    assert later.payload != first.payload


def test_payload_serialisation_is_canonical() -> None:
    assert serialize_statement({"b": 1, "a": {"é": [1, 2]}}) == '{"a":{"é":[1,2]},"b":1}'.encode()


def test_issue_refuses_a_report_that_is_not_all_compliant(trust, studio_key) -> None:
    report = provenance.audit([SAMPLE_DELIVERY], trust=trust, at=AT)
    with pytest.raises(NonCompliant):
        issue_certificate(report, studio_key, root=SAMPLE_DELIVERY)


def test_issue_requires_every_image_under_the_root(report, studio_key, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(UsageError, match="is not under the delivery root"):
        issue_certificate(report, studio_key, root=elsewhere)


def test_issue_refuses_a_policy_the_report_was_not_made_with(report, studio_key, delivery) -> None:
    other = parse_policy(provenance.default_policy().text.replace('version = "1.0.0"', 'version = "9.9.9"').encode())
    assert other.sha256 != report.policy.sha256
    with pytest.raises(UsageError, match="not the one the report was made with"):
        issue_certificate(report, studio_key, root=delivery, policy=other)


def test_names_are_relative_posix_paths(tmp_path, trust, studio_key) -> None:
    nested = tmp_path / "delivery" / "day 1"
    nested.mkdir(parents=True)
    shutil.copyfile(SAMPLE_DELIVERY / COMPLIANT[0], nested / COMPLIANT[0])
    root = tmp_path / "delivery"
    certificate = issue_certificate(provenance.audit([root], trust=trust, at=AT), studio_key, root=root)
    assert [s["name"] for s in certificate.statement()["subject"]] == [f"day 1/{COMPLIANT[0]}"]
    assert subject_name(nested / "x.jpg", root) == "day 1/x.jpg"
    assert _verify(certificate, root, studio_key).ok


# --------------------------------------------------------------------------------------
# The tamper matrix
# --------------------------------------------------------------------------------------


def test_tamper_flipped_byte_in_an_image(certificate, delivery, studio_key) -> None:
    path = delivery / COMPLIANT[1]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    result = _verify(certificate, delivery, studio_key)
    assert not result.ok and result.certificate_ok
    (modified,) = result.modified
    assert modified.name == COMPLIANT[1]
    assert modified.message.startswith("modified: its content differs from the certified file")
    assert modified.sha256 == hashlib.sha256(bytes(data)).hexdigest() != modified.certified_sha256
    assert [r.name for r in result.verified] == [COMPLIANT[0]]
    assert not result.missing and not result.not_certified
    assert f"MODIFIED  {COMPLIANT[1]}: its content differs from the certified file" in result.to_text()


def test_tamper_image_renamed(certificate, delivery, studio_key) -> None:
    (delivery / COMPLIANT[0]).rename(delivery / "renamed.jpg")
    result = _verify(certificate, delivery, studio_key)
    assert not result.ok
    (renamed,) = result.renamed
    assert (renamed.name, renamed.certified_name) == ("renamed.jpg", COMPLIANT[0])
    assert renamed.message == f"renamed: this is the certified file {COMPLIANT[0]} under another name"
    assert not result.missing and not result.not_certified


def test_tamper_image_added(certificate, delivery, studio_key) -> None:
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", delivery / "03-generative-fill.jpg")
    result = _verify(certificate, delivery, studio_key)
    assert not result.ok
    (extra,) = result.not_certified
    assert extra.name == "03-generative-fill.jpg"
    assert extra.message == "not certified: the certificate does not cover this file"
    assert len(result.verified) == 2 and not result.missing


def test_tamper_copy_of_a_certified_image_added(certificate, delivery, studio_key) -> None:
    shutil.copyfile(delivery / COMPLIANT[0], delivery / "copy.jpg")
    (extra,) = _verify(certificate, delivery, studio_key).not_certified
    assert extra.message.endswith(f"(a copy of the certified {COMPLIANT[0]})")


def test_tamper_image_removed(certificate, delivery, studio_key) -> None:
    (delivery / COMPLIANT[0]).unlink()
    result = _verify(certificate, delivery, studio_key)
    assert not result.ok
    (missing,) = result.missing
    assert missing.name == COMPLIANT[0]
    assert missing.message == "missing: certified, but not among the files given"
    assert not result.not_certified


def test_tamper_payload_edited_and_reencoded(certificate, delivery, studio_key) -> None:
    envelope = json.loads(certificate.to_json())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement["subject"][1]["digest"]["sha256"] = "0" * 64
    envelope["payload"] = base64.b64encode(serialize_statement(statement)).decode()
    result = _verify(json.dumps(envelope), delivery, studio_key)
    assert _failed(result) == {"signature": "signature.invalid"}
    assert _check(result, "signature").message.startswith(
        "the signature does not verify with the pinned Ed25519 key: the certificate was changed after it was signed")
    assert _check(result, "subjects").status is CheckStatus.SKIPPED
    assert result.files == () and result.statement is None  # nothing in it is trusted


def test_tamper_signature_replaced(certificate, delivery, studio_key) -> None:
    envelope = json.loads(certificate.to_json())
    envelope["signatures"][0]["sig"] = base64.b64encode(os.urandom(64)).decode()
    result = _verify(json.dumps(envelope), delivery, studio_key)
    assert _failed(result) == {"signature": "signature.invalid"}
    assert _check(result, "key_id").ok
    assert result.files == ()


def test_tamper_signed_by_a_different_key(report, delivery, studio_key) -> None:
    other = SigningKey.generate(KeyAlgorithm.ED25519)
    result = _verify(issue_certificate(report, other, root=delivery), delivery, studio_key)
    assert _failed(result) == {"key_id": "key.other_key", "signature": "signature.invalid"}
    assert _check(result, "key_id").message == (
        f"signed by another key (key id {other.key_id}), not the pinned key ({studio_key.key_id})")


def test_tamper_payload_type_changed(certificate, delivery, studio_key) -> None:
    envelope = json.loads(certificate.to_json())
    envelope["payloadType"] = "application/json"
    result = _verify(json.dumps(envelope), delivery, studio_key)
    assert _failed(result)["payload_type"] == "envelope.payload_type"
    assert _check(result, "payload_type").message.startswith(
        "the payload type is 'application/json', not 'application/vnd.in-toto+json'")
    assert _failed(result)["signature"] == "signature.invalid"  # the type is covered by the signature (PAE)


def test_tamper_payload_type_changed_and_resigned(certificate, delivery, studio_key) -> None:
    text = _resigned(certificate.statement(), studio_key, payload_type="application/json")
    assert _failed(_verify(text, delivery, studio_key)) == {"payload_type": "envelope.payload_type"}


def test_tamper_wrong_key_id(certificate, delivery, studio_key) -> None:
    envelope = json.loads(certificate.to_json())
    envelope["signatures"][0]["keyid"] = "ab" * 32
    result = _verify(json.dumps(envelope), delivery, studio_key)
    assert _failed(result) == {"key_id": "key.wrong_id"}
    assert "although the signature verifies with the pinned key: the key id was altered" in \
        _check(result, "key_id").message
    assert _check(result, "signature").ok
    assert not result.ok and len(result.verified) == 2  # the content is authentic; files were still compared


def test_tamper_key_id_removed(certificate, delivery, studio_key) -> None:
    envelope = json.loads(certificate.to_json())
    del envelope["signatures"][0]["keyid"]
    assert _failed(_verify(json.dumps(envelope), delivery, studio_key)) == {"key_id": "key.no_id"}


@pytest.mark.parametrize(("mangle", "code", "message"), [
    (lambda text: text[: len(text) // 2], "certificate.truncated", "the certificate ends early: it looks truncated"),
    (lambda text: text.rstrip()[:-1], "certificate.truncated", "the certificate ends early: it looks truncated"),
    (lambda text: "this is not a certificate", "certificate.not_json", "the certificate is not JSON"),
    (lambda text: "", "certificate.empty", "the certificate file is empty"),
    (lambda text: '{"payload": "e30="}', "envelope.malformed",
     "the certificate is not a DSSE envelope: 'payloadType' is missing"),
    (lambda text: '{"payload": "e30=", "payloadType": "application/vnd.in-toto+json", "signatures": []}',
     "envelope.no_signature", "the certificate carries no signature"),
    (lambda text: text.replace('"payload": "', '"payload": "%%%'), "envelope.malformed",
     "the certificate's payload is not valid base64"),
])
def test_tamper_unreadable_certificate(certificate, delivery, studio_key, mangle, code, message) -> None:
    result = _verify(mangle(certificate.to_json()), delivery, studio_key)
    assert _failed(result) == {"envelope": code}
    assert _check(result, "envelope").message.startswith(message)
    assert all(check.status is CheckStatus.SKIPPED for check in result.checks[1:])
    assert not result.ok and result.files == ()


def test_tamper_binary_certificate(delivery, studio_key) -> None:
    result = _verify((SAMPLE_DELIVERY / COMPLIANT[0]).read_bytes(), delivery, studio_key)
    assert _failed(result) == {"envelope": "certificate.binary"}


def test_tamper_duplicate_subjects(certificate, delivery, studio_key) -> None:
    statement = certificate.statement()
    statement["subject"].append(dict(statement["subject"][0]))
    result = _verify(_resigned(statement, studio_key), delivery, studio_key)
    assert _failed(result) == {"subjects": "subjects.duplicate"}
    assert _check(result, "subjects").message == (
        f"the statement lists '{COMPLIANT[0]}' more than once (duplicate subjects, names compared in Unicode NFC)")
    assert result.files == ()


@pytest.mark.parametrize(("pinned", "forger"), [
    (KeyAlgorithm.ED25519, KeyAlgorithm.ECDSA_P256),
    (KeyAlgorithm.ECDSA_P256, KeyAlgorithm.ED25519),
])
def test_tamper_signature_of_the_other_algorithm_under_the_same_key_id(
    certificate, delivery, keys, pinned, forger
) -> None:
    studio, attacker = keys[pinned], SigningKey.generate(forger)
    forged = Certificate(certificate.payload, PAYLOAD_TYPE,
                         (EnvelopeSignature(studio.key_id, attacker.sign(certificate.pae())),))
    result = _verify(forged.to_json(), delivery, studio)
    assert _failed(result) == {"signature": "signature.other_algorithm"}
    assert "it was made with a key of another algorithm" in _check(result, "signature").message
    assert _check(result, "key_id").ok


def test_signed_but_wrong_statement_and_predicate_types(certificate, delivery, studio_key) -> None:
    statement = certificate.statement()
    statement["_type"] = "https://in-toto.io/Statement/v0.1"
    statement["predicateType"] = "https://slsa.dev/provenance/v1"
    result = _verify(_resigned(statement, studio_key), delivery, studio_key)
    assert _failed(result) == {"statement_type": "statement.type", "predicate_type": "statement.predicate_type"}
    assert "not a provenance certificate of compliance" in _check(result, "predicate_type").message


def test_signed_but_inconsistent_predicate(certificate, delivery, studio_key) -> None:
    statement = certificate.statement()
    statement["predicate"]["images"][0]["status"] = "non_compliant"
    result = _verify(_resigned(statement, studio_key), delivery, studio_key)
    assert _failed(result) == {"predicate": "predicate.inconsistent"}

    statement = certificate.statement()
    statement["predicate"]["policy"]["text"] += "\n# edited"
    result = _verify(_resigned(statement, studio_key), delivery, studio_key)
    assert _failed(result) == {"predicate": "predicate.policy_digest"}


def test_payload_with_a_repeated_key_is_refused(certificate, delivery, studio_key) -> None:
    payload = certificate.payload.replace(b'{"_type":', b'{"_type":"x","_type":', 1)
    unsigned = Certificate(payload, PAYLOAD_TYPE, ())
    text = replace(unsigned, signatures=(EnvelopeSignature(studio_key.key_id, studio_key.sign(unsigned.pae())),))
    result = _verify(text.to_json(), delivery, studio_key)
    assert _failed(result) == {"statement_type": "statement.malformed"}
    assert "repeats the key '_type'" in _check(result, "statement_type").message


def test_raise_for_status_raises_one_typed_error(certificate, delivery, studio_key) -> None:
    (delivery / COMPLIANT[0]).unlink()
    result = _verify(certificate, delivery, studio_key)
    with pytest.raises(CertificateError, match=f"{COMPLIANT[0]}: missing") as caught:
        result.raise_for_status()
    assert caught.value.result is result
    assert isinstance(caught.value, provenance.ProvenanceError)


# --------------------------------------------------------------------------------------
# Delivery root rules
# --------------------------------------------------------------------------------------


def test_verify_root_rules(certificate, delivery, studio_key) -> None:
    files = [delivery / name for name in COMPLIANT]
    with pytest.raises(UsageError, match="the delivery root is ambiguous"):
        verify_certificate(certificate.to_json(), files, key=studio_key.public_key)
    assert verify_certificate(certificate.to_json(), files, key=studio_key.public_key, root=delivery).ok
    with pytest.raises(UsageError, match="is not under the delivery root"):
        verify_certificate(certificate.to_json(), [SAMPLE_DELIVERY / COMPLIANT[0]], key=studio_key.public_key,
                           root=delivery)
    partial = verify_certificate(certificate.to_json(), files[:1], key=studio_key.public_key, root=delivery)
    assert [r.name for r in partial.missing] == [COMPLIANT[1]]


def test_a_file_added_after_certification_fails_whatever_its_format(certificate, delivery, studio_key) -> None:
    (delivery / "README.txt").write_text("delivery notes")
    result = _verify(certificate, delivery, studio_key)
    assert not result.ok
    assert [(r.name, r.state.value) for r in result.not_certified] == [("README.txt", "not_certified")]


def test_the_certificate_file_is_left_out_when_given_by_path(certificate, delivery, studio_key) -> None:
    path = delivery / "delivery.cert.json"
    path.write_text(certificate.to_json())
    result = verify_certificate(path, delivery, key=studio_key.public_key)
    assert result.ok, result.failures()
    assert [(Path(s.path).name, s.why) for s in result.skipped] == [("delivery.cert.json", "the certificate itself")]
    assert not _verify(certificate, delivery, studio_key).ok  # given as text, the file is just another file


# --------------------------------------------------------------------------------------
# Interoperability with an independent DSSE implementation (securesystemslib)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_our_envelope_verifies_with_securesystemslib(report, delivery, keys, algorithm) -> None:
    key = keys[algorithm]
    text = issue_certificate(report, key, root=delivery).to_json()
    envelope = Envelope.from_dict(json.loads(text))
    accepted = envelope.verify([key.public_key.to_sslib_key()], 1)
    assert list(accepted) == [key.key_id]
    assert envelope.payload_type == PAYLOAD_TYPE
    assert json.loads(envelope.payload)["predicateType"] == PREDICATE_TYPE


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_we_accept_an_envelope_signed_by_securesystemslib(report, delivery, keys, algorithm) -> None:
    key = keys[algorithm]
    payload = issue_certificate(report, key, root=delivery).payload
    signer = CryptoSigner(key.crypto_key, key.public_key.to_sslib_key())
    envelope = Envelope(payload, PAYLOAD_TYPE, {})
    envelope.sign(signer)
    result = _verify(json.dumps(envelope.to_dict()), delivery, key)
    assert result.ok, result.failures()


@pytest.mark.parametrize("algorithm", list(KeyAlgorithm))
def test_signature_covers_the_dsse_pae_as_specified(certificate, report, delivery, keys, algorithm) -> None:
    """PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, written from the spec."""
    key = keys[algorithm]
    issued = issue_certificate(report, key, root=delivery)
    pae = b"DSSEv1 %d %s %d %s" % (len(PAYLOAD_TYPE), PAYLOAD_TYPE.encode(), len(issued.payload), issued.payload)
    assert issued.pae() == pae
    signature = issued.signatures[0].sig
    assert key.public_key.verify(signature, pae)
    if algorithm is KeyAlgorithm.ECDSA_P256:
        decode_dss_signature(signature)  # DER, as securesystemslib and cosign expect
    else:
        assert len(signature) == 64


def test_url_safe_base64_is_accepted(certificate, delivery, studio_key) -> None:
    envelope = certificate.to_dict()
    envelope["payload"] = base64.urlsafe_b64encode(certificate.payload).decode().rstrip("=")
    assert _verify(json.dumps(envelope), delivery, studio_key).ok


def test_signatures_by_other_keys_are_ignored(certificate, delivery, studio_key) -> None:
    other = SigningKey.generate()
    extra = EnvelopeSignature(other.key_id, other.sign(certificate.pae()))
    both = replace(certificate, signatures=(extra, *certificate.signatures))
    assert _verify(both.to_json(), delivery, studio_key).ok
    assert not _verify(both.to_json(), delivery, SigningKey.generate()).ok


# --------------------------------------------------------------------------------------
# Re-audit
# --------------------------------------------------------------------------------------


def test_reaudit_unchanged(certificate, delivery, studio_key, trust) -> None:
    result = _verify(certificate, delivery, studio_key, reaudit=True, trust=trust, at=AT)
    assert result.ok
    assert result.reaudit is not None and result.reaudit.ok
    assert not result.reaudit.anchors_differ and result.reaudit.anchors_note is None
    assert result.reaudit.report is not None and result.reaudit.report.policy.id == "studio-charter"
    assert "unchanged: 2 image(s) still compliant" in result.to_text()


def test_reaudit_reports_changed_verdicts_apart_from_integrity(certificate, delivery, studio_key,
                                                               unrelated_root) -> None:
    other = TrustConfig.from_pem_files([unrelated_root])
    result = _verify(certificate, delivery, studio_key, reaudit=True, trust=other, at=AT)
    assert result.integrity_ok and not result.ok
    assert result.reaudit is not None
    assert [change.name for change in result.reaudit.changes] == list(COMPLIANT)
    change = result.reaudit.changes[0]
    assert change.certified_status == "compliant" and change.status is provenance.Status.INDETERMINATE
    assert change.message == ("verdict changed: compliant when certified, indeterminate now "
                              "(credentials_untrusted)")
    assert str(result.reaudit.anchors_note).startswith("the trust anchors given differ from those recorded")
    text = result.to_text()
    assert f"CHANGED  {COMPLIANT[0]}: verdict changed" in text
    assert "re-audit: 2 verdict(s) changed" in text
    assert all(f.ok for f in result.files)


def test_reaudit_says_when_anchors_differ(certificate, delivery, studio_key, trust) -> None:
    extra = TrustConfig.from_pem_files([TEST_ROOT, TEST_ROOT.parent / "signer-chain.pem"])
    result = _verify(certificate, delivery, studio_key, reaudit=True, trust=extra, at=AT)
    assert result.reaudit is not None and result.reaudit.anchors_differ
    assert str(result.reaudit.anchors_note).startswith(
        "the trust anchors given differ from those recorded at certification: 0 recorded anchor(s) not given")


def test_reaudit_is_skipped_when_integrity_fails(certificate, delivery, studio_key, trust) -> None:
    envelope = json.loads(certificate.to_json())
    envelope["signatures"][0]["sig"] = base64.b64encode(os.urandom(64)).decode()
    result = _verify(json.dumps(envelope), delivery, studio_key, reaudit=True, trust=trust, at=AT)
    assert result.reaudit is None and not result.ok


# --------------------------------------------------------------------------------------
# Hostile deliveries and certificates
# --------------------------------------------------------------------------------------

NFC_NAME = "caf\u00e9.jpg"  # é as one code point
NFD_NAME = "cafe\u0301.jpg"  # e + combining acute accent: the same name in NFC


def _finishes(call, seconds: float = 20.0):
    """Run ``call`` in a thread; fail (instead of hanging the suite) if it has not returned in time."""
    import threading

    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 - re-raised below, in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: it hangs"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


def _envelope_text(certificate: Certificate, **changes: str) -> str:
    """The envelope as compact JSON, with raw JSON text substituted for some members."""
    members = {"payload": json.dumps(base64.b64encode(certificate.payload).decode()),
               "payloadType": json.dumps(certificate.payload_type),
               "signatures": json.dumps([{"keyid": s.keyid, "sig": base64.b64encode(s.sig).decode()}
                                         for s in certificate.signatures])}
    members.update(changes)
    return "{" + ",".join(f'"{key}":{value}' for key, value in members.items()) + "}"


@pytest.fixture()
def nfc_delivery(tmp_path: Path, trust: TrustConfig, studio_key: SigningKey) -> tuple[Path, Certificate]:
    folder = tmp_path / "nfc"
    folder.mkdir()
    shutil.copyfile(SAMPLE_DELIVERY / COMPLIANT[0], folder / NFC_NAME)
    certificate = issue_certificate(provenance.audit([folder], trust=trust, at=AT), studio_key, root=folder)
    assert [s["name"] for s in certificate.statement()["subject"]] == [NFC_NAME]
    return folder, certificate


def test_two_files_with_one_name_in_nfc_fail_verification(nfc_delivery, studio_key) -> None:
    """A generative image named like a certified one up to Unicode normalisation must not ride along."""
    folder, certificate = nfc_delivery
    assert _verify(certificate, folder, studio_key).ok
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", folder / NFD_NAME)
    assert sorted(os.listdir(folder)) == sorted([NFC_NAME, NFD_NAME])  # two files on disk
    result = _verify(certificate, folder, studio_key)
    assert not result.ok and not result.integrity_ok and result.certificate_ok
    assert not result.verified and not result.missing
    duplicates = {r.name: r for r in result.duplicate_names}
    assert set(duplicates) == {NFC_NAME, NFD_NAME}  # exact names as on disk
    genuine, rider = duplicates[NFC_NAME], duplicates[NFD_NAME]
    assert genuine.state.value == "duplicate_name"
    assert genuine.sha256 == genuine.certified_sha256 != rider.sha256
    assert genuine.message == (
        "duplicate name: this file (caf\\u00e9.jpg) and cafe\\u0301.jpg have the same name in a certificate, "
        f"'{NFC_NAME}' (names are compared in Unicode NFC), so the certificate cannot say which one it covers")
    assert "this file (cafe\\u0301.jpg) and caf\\u00e9.jpg" in rider.message
    text = result.to_text()
    assert "DUPLICATE NAME" in text and "FAILED: 2 duplicate name." in text
    assert json.loads(result.to_json())["summary"]["duplicate_name"] == 2
    with pytest.raises(CertificateError, match="duplicate name"):
        result.raise_for_status()


def test_the_same_file_named_twice_is_not_a_duplicate(certificate, delivery, studio_key) -> None:
    result = verify_certificate(certificate.to_json(), [delivery, delivery / COMPLIANT[0],
                                                        (delivery / COMPLIANT[0]).absolute()],
                                key=studio_key.public_key, root=delivery)
    assert result.ok and len(result.verified) == 2


def test_certify_refuses_two_images_with_one_name_in_nfc(tmp_path, trust, studio_key) -> None:
    folder = tmp_path / "both"
    folder.mkdir()
    shutil.copyfile(SAMPLE_DELIVERY / COMPLIANT[0], folder / NFC_NAME)
    shutil.copyfile(SAMPLE_DELIVERY / COMPLIANT[1], folder / NFD_NAME)
    report = provenance.audit([folder], trust=trust, at=AT)
    with pytest.raises(UsageError, match=r"cafe\\u0301\.jpg and caf\\u00e9\.jpg differ only in Unicode") as caught:
        issue_certificate(report, studio_key, root=folder)
    assert "rename one before certifying" in caught.value.message


def test_certificate_subjects_that_collide_in_nfc_are_duplicates(nfc_delivery, studio_key) -> None:
    folder, certificate = nfc_delivery
    statement = certificate.statement()
    statement["subject"].append({"name": NFD_NAME, "digest": dict(statement["subject"][0]["digest"])})
    result = _verify(_resigned(statement, studio_key), folder, studio_key)
    assert _failed(result) == {"subjects": "subjects.duplicate"}
    assert result.files == ()


def test_a_subject_name_that_is_not_unicode_is_malformed(certificate, delivery, studio_key) -> None:
    statement = certificate.statement()
    statement["subject"][0]["name"] = "\ud800.jpg"  # a lone surrogate, as JSON "\ud800" gives
    payload = json.dumps(statement, sort_keys=True).encode()  # ensure_ascii: written as \ud800
    unsigned = Certificate(payload, PAYLOAD_TYPE, ())
    signed = replace(unsigned, signatures=(EnvelopeSignature(studio_key.key_id, studio_key.sign(unsigned.pae())),))
    result = _verify(signed, delivery, studio_key)
    assert _failed(result) == {"subjects": "subjects.malformed"}
    assert _check(result, "subjects").message == "subject #1 has a name that is not valid Unicode"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_a_named_pipe_in_the_delivery_is_unreadable_not_a_hang(certificate, delivery, studio_key) -> None:
    os.mkfifo(delivery / "x.jpg")
    result = _finishes(lambda: _verify(certificate, delivery, studio_key))
    assert not result.ok and len(result.verified) == 2
    (pipe,) = result.unreadable
    assert pipe.name == "x.jpg"
    assert pipe.message == "cannot be read: not a regular file (a named pipe)"
    assert "UNREADABLE  x.jpg: cannot be read: not a regular file (a named pipe)" in result.to_text()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_a_device_is_unreadable_and_a_link_to_a_file_is_followed(certificate, delivery,
                                                                          studio_key) -> None:
    (delivery / "zero.jpg").symlink_to("/dev/zero")
    target = delivery.parent / "outside.jpg"
    (delivery / COMPLIANT[0]).rename(target)
    (delivery / COMPLIANT[0]).symlink_to(target)  # a link to a regular file: hashed through the link
    result = _finishes(lambda: _verify(certificate, delivery, studio_key))
    assert [r.name for r in result.verified] == list(COMPLIANT)
    (device,) = result.unreadable
    assert (device.name, device.message) == ("zero.jpg", "cannot be read: not a regular file (a device)")
    assert not result.ok


def test_a_folder_that_cannot_be_listed_fails(certificate, delivery, studio_key, monkeypatch) -> None:
    from provenance.certificate import verify as module
    from provenance.certificate.walk import Delivery, walk_delivery
    from provenance.report import SkippedFile

    def walk(paths, root):
        found = walk_delivery(paths, root)
        locked = SkippedFile(str(delivery / "locked"), "the folder cannot be read (Permission denied): "
                                                       "files in it were not checked")
        return Delivery(found.files, found.skipped, (locked,))

    monkeypatch.setattr(module, "walk_delivery", walk)
    result = _verify(certificate, delivery, studio_key)
    assert not result.ok and len(result.verified) == 2
    (locked,) = result.unreadable
    assert locked.name == "locked" and locked.message.startswith("the folder cannot be read (Permission denied)")


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000, "the certificate is not JSON that can be read: its arrays or objects nest too deeply"),
    ('{"payload": ' + "1" * 100_000 + "}",
     "the certificate is not JSON that can be read: it holds a number with too many digits"),
    ('{"payload": "e30=", "payloadType": NaN, "signatures": []}', "the certificate is not JSON (NaN is not"),
    ('{"payload": "e30=", "payloadType": -Infinity, "signatures": []}', "the certificate is not JSON (-Infinity"),
    ('{"payload": "e30=", "payloadType": 1e999, "signatures": []}',
     "the certificate holds a number out of range (1e999)"),
])
def test_hostile_json_is_a_failed_check_not_an_exception(delivery, studio_key, text, message) -> None:
    for data in (text, text.encode()):
        result = _verify(data, delivery, studio_key)
        assert _failed(result) == {"envelope": "certificate.not_json"}
        assert _check(result, "envelope").message.startswith(message)
        assert not result.ok and result.files == ()
    with pytest.raises(CertificateError) as caught:
        Certificate.from_json(text)
    assert caught.value.code == "certificate.not_json"


def test_repeated_keys_in_the_envelope_are_refused(certificate, delivery, studio_key) -> None:
    good = _envelope_text(certificate)
    assert _verify(good, delivery, studio_key).ok
    other = json.dumps(base64.b64encode(b'{"_type": "forged"}').decode())
    text = good.replace('"payload":', f'"payload":{other},"payload":', 1)
    assert json.loads(text)["payload"] == certificate.to_dict()["payload"]  # plain JSON: the last one wins
    result = _verify(text, delivery, studio_key)
    assert _failed(result) == {"envelope": "certificate.duplicate_key"}
    assert _check(result, "envelope").message.startswith("the certificate repeats the key 'payload'")
    doubled = good.replace('"keyid":', '"keyid":"x","keyid":', 1)
    assert _failed(_verify(doubled, delivery, studio_key)) == {"envelope": "certificate.duplicate_key"}


def test_hostile_json_in_a_signed_payload_is_a_failed_check(certificate, delivery, studio_key) -> None:
    for payload, message in ((b"[" * 100_000, "nest too deeply"), (b'{"_type": NaN}', "NaN is not a JSON value"),
                             (b'{"n": ' + b"9" * 100_000 + b"}", "a number with too many digits")):
        unsigned = Certificate(payload, PAYLOAD_TYPE, ())
        signed = replace(unsigned,
                         signatures=(EnvelopeSignature(studio_key.key_id, studio_key.sign(unsigned.pae())),))
        result = _verify(signed, delivery, studio_key)
        assert _failed(result) == {"statement_type": "statement.malformed"}
        assert message in _check(result, "statement_type").message


def test_a_payload_type_that_is_not_unicode_is_malformed(certificate, delivery, studio_key) -> None:
    result = _verify(_envelope_text(certificate, payloadType='"\\ud800"'), delivery, studio_key)
    assert _failed(result) == {"envelope": "envelope.malformed"}
    assert "'payloadType' is not valid Unicode" in _check(result, "envelope").message


def test_certificate_size_limit_is_checked_before_parsing(certificate, delivery, studio_key, monkeypatch) -> None:
    from provenance.certificate import envelope as module

    assert module.MAX_CERTIFICATE_BYTES == 256 * 1024 * 1024
    text = certificate.to_json()
    monkeypatch.setattr(module, "MAX_CERTIFICATE_BYTES", len(text))
    assert _verify(text, delivery, studio_key).ok  # at the limit: accepted
    monkeypatch.setattr(module, "MAX_CERTIFICATE_BYTES", len(text) - 1)
    monkeypatch.setattr(module, "_load_json", lambda *args: pytest.fail("parsed a certificate over the limit"))
    result = _verify(text.encode(), delivery, studio_key)
    assert _failed(result) == {"envelope": "certificate.too_large"}
    assert _check(result, "envelope").message == (
        f"the certificate is too large: {len(text):,} bytes, more than the 0 MiB a certificate may have")


def test_payload_size_limit(certificate, report, delivery, studio_key, monkeypatch) -> None:
    from provenance.certificate import envelope as module
    from provenance.certificate import issue

    assert module.MAX_PAYLOAD_BYTES == 160 * 1024 * 1024
    assert (module.MAX_PAYLOAD_BYTES + 2) // 3 * 4 < module.MAX_CERTIFICATE_BYTES  # base64 form fits
    monkeypatch.setattr(module, "MAX_PAYLOAD_BYTES", len(certificate.payload) - 1)
    monkeypatch.setattr(issue, "MAX_PAYLOAD_BYTES", len(certificate.payload) - 1)
    result = _verify(certificate, delivery, studio_key)
    assert _failed(result) == {"envelope": "envelope.payload_too_large"}
    assert "the certificate's payload is too large" in _check(result, "envelope").message
    with pytest.raises(UsageError, match="certify the delivery in smaller parts"):
        issue_certificate(report, studio_key, root=delivery)


def test_too_many_signatures_are_refused_before_any_is_checked(certificate, delivery, studio_key,
                                                               monkeypatch) -> None:
    from provenance.keys import PublicKey

    calls: list[bytes] = []
    real = PublicKey.verify
    monkeypatch.setattr(PublicKey, "verify", lambda self, sig, data: calls.append(sig) or real(self, sig, data))
    bogus = EnvelopeSignature(studio_key.key_id, bytes(64))
    many = replace(certificate, signatures=(*(bogus,) * 1_000, *certificate.signatures))
    result = _verify(many, delivery, studio_key)
    assert _failed(result) == {"envelope": "envelope.too_many_signatures"}
    assert _check(result, "envelope").message == "the certificate carries 1,001 signatures; at most 16 are accepted"
    assert calls == []
    # 16 is the limit: 15 bogus signatures under the pinned key id and the real one still verify, in 16 checks
    sixteen = replace(certificate, signatures=(*(bogus,) * 15, *certificate.signatures))
    assert _verify(sixteen, delivery, studio_key).ok
    assert len(calls) == 16


def test_a_file_name_cannot_forge_a_line_of_text(certificate, delivery, studio_key) -> None:
    forged = "x.jpg\n  VERIFIED  y.jpg"
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", delivery / forged)
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", delivery / "z\u2028  VERIFIED  w.jpg")
    result = _verify(certificate, delivery, studio_key)
    assert not result.ok
    assert forged in [r.name for r in result.not_certified]  # the result keeps the exact name
    text = result.to_text()
    assert "  NOT CERTIFIED  x.jpg\\n  VERIFIED  y.jpg: the certificate does not cover this file" in text
    assert "z\\u2028  VERIFIED  w.jpg" in text
    verified_lines = [line for line in text.splitlines() if "VERIFIED " in line and "NOT CERTIFIED" not in line]
    assert verified_lines == [f"  VERIFIED       {name}" for name in COMPLIANT]
    assert all("\n" not in line for line in result.failures())
    assert [f["name"] for f in json.loads(result.to_json())["files"] if f["state"] == "not_certified"] == sorted(
        [forged, "z\u2028  VERIFIED  w.jpg"])  # JSON keeps exact names


def test_an_envelope_field_cannot_forge_a_line_of_text(certificate, delivery, studio_key) -> None:
    envelope = certificate.to_dict()
    envelope["payloadType"] = "x\n  ok      signature: fine"
    envelope["signatures"][0]["keyid"] = "k\r\n  ok"
    text = _verify(json.dumps(envelope), delivery, studio_key).to_text()
    assert "'x\\n  ok      signature: fine'" in text and "k\\r\\n  ok" in text
    assert not any(line.startswith("  ok      signature") for line in text.splitlines())


def test_a_file_name_that_is_not_utf8_is_not_certified(certificate, delivery, studio_key) -> None:
    odd = os.fsdecode(b"caf\xe9.jpg")
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", delivery / odd)
    shutil.copyfile(delivery / COMPLIANT[0], delivery / os.fsdecode(b"copy\xff.jpg"))
    result = _verify(certificate, delivery, studio_key)  # not a UsageError
    assert not result.ok and len(result.verified) == 2 and not result.missing
    states = {r.name: r for r in result.not_certified}
    assert set(states) == {odd, os.fsdecode(b"copy\xff.jpg")}
    assert states[odd].message == "not certified: its name is not valid UTF-8, so no certificate can name it"
    assert states[os.fsdecode(b"copy\xff.jpg")].message.endswith(f"(its bytes are those of the certified "
                                                                 f"{COMPLIANT[0]})")
    text = result.to_text()
    assert "NOT CERTIFIED  caf\\xe9.jpg: its name is not valid UTF-8" in text
    text.encode("utf-8")  # printable
    data = json.loads(result.to_json().encode("utf-8"))
    assert {f["name"] for f in data["files"] if f["state"] == "not_certified"} == {"caf\\xe9.jpg", "copy\\xff.jpg"}
    with pytest.raises(UsageError, match="rename it before certifying"):
        subject_name(delivery / odd, delivery)  # certifying still refuses it
