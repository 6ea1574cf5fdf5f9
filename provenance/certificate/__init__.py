"""Signed certificates of compliance for a delivery, and their verification.

A certificate is an **in-toto Statement v1** inside a **DSSE envelope**
(``payloadType`` ``application/vnd.in-toto+json``), signed with the studio's
Ed25519 or ECDSA P-256 key (:mod:`provenance.keys`). The Statement lists every
regular file under the delivery root as a subject (name relative to the root,
SHA-256 of its exact bytes), except ``--ignore`` matches and the certificate
itself; the predicate (``urn:provenance:compliance-certificate:v1``,
``docs/certificate.md``) records the policy, the trust anchors, the tool
versions, the evaluation time, each image's verdict and findings, the other
files (by digest, not audited) and the ignore globs. Verification is strict:
any file under the root the certificate does not cover fails it.

Studio side, from a finished audit::

    import provenance
    from provenance.keys import SigningKey

    report = provenance.audit(["delivery/"], trust=trust, at=now)
    certificate = provenance.issue_certificate(report, SigningKey.load("provenance.key"), root="delivery/")
    Path("delivery.cert.json").write_text(certificate.to_json())

Client side, offline, with the studio's pinned public key::

    from provenance.keys import PublicKey

    result = provenance.verify_certificate(Path("delivery.cert.json"), "delivery/", key=PublicKey.load("studio.pub"))
    print(result.to_text())
    result.raise_for_status()   # raises provenance.CertificateError unless everything verified

Nothing inside the envelope is trusted before its signature verifies with the
pinned key: the key comes only from the caller, and the envelope's key id must
equal that key's id. A hostile certificate costs bounded time and memory
(:data:`MAX_CERTIFICATE_BYTES`, :data:`MAX_PAYLOAD_BYTES`, :data:`MAX_SIGNATURES`)
and is reported as a failed check, never raised.

The modules, in the order data flows: :mod:`.naming` (delivery root, subject
names), :mod:`.walk` (every file of a delivery), :mod:`.globs` (``--ignore``),
:mod:`.coverage` (what ``certify`` covers besides the images), :mod:`.statement`
(the in-toto Statement), :mod:`.envelope` (DSSE parsing and caps), :mod:`.issue`;
then :mod:`.checks` and :mod:`.predicate` (the certificate's own checks),
:mod:`.hashing` and :mod:`.compare` (the delivered files), :mod:`.reaudit`,
:mod:`.verify`, and :mod:`.results` (what verification found). Text for people
is rendered by ``provenance/_cli/render_certificate.py``.
"""

from __future__ import annotations

from ..errors import CertificateError
from .envelope import MAX_CERTIFICATE_BYTES, MAX_PAYLOAD_BYTES, MAX_SIGNATURES, PAYLOAD_TYPE, Certificate, EnvelopeSignature
from .issue import issue_certificate
from .naming import delivery_root, subject_name
from .results import VERIFY_SCHEMA, Check, CheckStatus, FileResult, FileState, Reaudit, VerdictChange, VerificationResult
from .statement import PREDICATE_TYPE, STATEMENT_TYPE, build_statement, serialize_statement
from .verify import verify_certificate

__all__ = [
    "MAX_CERTIFICATE_BYTES",
    "MAX_PAYLOAD_BYTES",
    "MAX_SIGNATURES",
    "PAYLOAD_TYPE",
    "PREDICATE_TYPE",
    "STATEMENT_TYPE",
    "VERIFY_SCHEMA",
    "Certificate",
    "CertificateError",
    "Check",
    "CheckStatus",
    "EnvelopeSignature",
    "FileResult",
    "FileState",
    "Reaudit",
    "VerdictChange",
    "VerificationResult",
    "build_statement",
    "delivery_root",
    "issue_certificate",
    "serialize_statement",
    "subject_name",
    "verify_certificate",
]
