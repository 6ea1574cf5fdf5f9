"""Timestamps on a real file (issue #10.4): example-assets cloudscape-ACA-Cr.jpeg, signed by Adobe with a
DigiCert timestamp, whose signing certificate has expired since.

With the timestamp authority's CA among the anchors, c2pa-rs validates and trusts the timestamp
(``timeStamp.validated`` + ``timeStamp.trusted``) and checks the signer at that time: in date,
compliant. Without it, the timestamp is ``timeStamp.untrusted``, the signer is checked now and
is ``signingCredential.expired``: an expired signer, never put in date by an untrusted timestamp.
"""

from __future__ import annotations

from conftest import shared_path
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from provenance import TrustConfig, audit
from provenance.verdict import Reason, Status


def _image_and_anchors():  # type: ignore[no-untyped-def]
    image = shared_path("fixtures", "public", "example-assets", "cloudscape-ACA-Cr.jpeg")
    anchors = x509.load_pem_x509_certificates(shared_path("fixtures", "trust", "interim-trust-list-anchors.pem").read_bytes())
    return image, anchors


def test_expired_signer_is_in_date_through_a_trusted_timestamp() -> None:
    image, _ = _image_and_anchors()
    trust = TrustConfig.from_pem_files([shared_path("fixtures", "trust", "interim-trust-list-anchors.pem")])
    (verdict,) = audit([image], trust=trust).images
    assert verdict.status is Status.COMPLIANT
    assert not [f for f in verdict.findings if f.code.startswith("timestamp.")]


def test_expired_signer_with_an_untrusted_timestamp_stays_expired(tmp_path) -> None:  # type: ignore[no-untyped-def]
    image, anchors = _image_and_anchors()
    signer_only = [c for c in anchors if "TimeStamping" not in c.subject.rfc4514_string()]
    # The timestamping CAs (DigiCert's) are left out; Adobe's root, which issued the signer, is kept.
    assert len(signer_only) < len(anchors) and any("Adobe Root CA" in c.subject.rfc4514_string() for c in signer_only)
    pem = tmp_path / "without-tsa.pem"
    pem.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in signer_only))
    (verdict,) = audit([image], trust=TrustConfig.from_pem_files([pem])).images
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (Reason.CREDENTIALS_UNTRUSTED,)
    (expired,) = [f for f in verdict.findings if f.signal == "signingCredential.expired"]
    assert expired.code == "credentials.signer_problem"
    (stamp,) = [f for f in verdict.findings if f.code == "timestamp.untrusted"]
    assert stamp.reason is None and stamp.signal == "timeStamp.untrusted"  # its own finding, information only
