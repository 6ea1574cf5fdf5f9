"""The checks of the certificate itself, in order: envelope, payload type, key id, signature,
Statement type, predicate type, subjects, predicate.

Each check appends a :class:`~provenance.certificate.results.Check`; a failed
check makes the ones that would read untrusted data ``skipped``, never run.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from ..errors import CertificateError
from ..keys import PublicKey
from ._text import _brief, _clip
from .envelope import PAYLOAD_TYPE, Certificate
from .naming import _is_unicode
from .predicate import check_predicate
from .results import _Checks
from .statement import PREDICATE_TYPE, STATEMENT_TYPE

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


_STATEMENT_CHECKS = ("statement_type", "predicate_type", "subjects", "predicate")


def _check_envelope(certificate: bytes | str, key: PublicKey, checks: _Checks) -> Certificate | None:
    """Envelope, payload type, key id and signature. Returns the envelope when the signature verified."""
    try:
        envelope = Certificate.from_json(certificate)
    except CertificateError as error:
        code = error.code if error.code != CertificateError.code else "envelope.malformed"
        checks.failed("envelope", code, error.message)
        checks.skipped(("payload_type", "key_id", "signature", *_STATEMENT_CHECKS), "the certificate is unreadable")
        return None
    count = len(envelope.signatures)
    checks.passed("envelope", f"a DSSE envelope with {count} signature{'s' if count != 1 else ''}")

    if envelope.payload_type == PAYLOAD_TYPE:
        checks.passed("payload_type", PAYLOAD_TYPE)
    else:
        checks.failed("payload_type", "envelope.payload_type",
                      f"the payload type is '{_clip(envelope.payload_type)}', not '{PAYLOAD_TYPE}': "
                      "this is not an in-toto attestation, or the envelope was altered")

    pae = envelope.pae()
    # At most MAX_SIGNATURES signatures (from_json): the cost of a hostile envelope is bounded.
    ours = [s for s in envelope.signatures if s.keyid == key.key_id]
    candidates = ours or list(envelope.signatures)
    verified = any(key.verify(s.sig, pae) for s in candidates)

    if ours:
        checks.passed("key_id", f"signed under the pinned key's id {key.key_id}")
    else:
        named = sorted({_clip(s.keyid) for s in envelope.signatures if s.keyid})
        if not named:
            checks.failed("key_id", "key.no_id",
                          f"the signature names no key id; the pinned key's id is {key.key_id}")
        elif verified:
            checks.failed("key_id", "key.wrong_id",
                          f"the envelope names key id {', '.join(named)}, not the pinned key's id {key.key_id}, "
                          "although the signature verifies with the pinned key: the key id was altered")
        else:
            checks.failed("key_id", "key.other_key",
                          f"signed by another key (key id {', '.join(named)}), not the pinned key ({key.key_id})")

    if verified:
        checks.passed("signature", f"verifies with the pinned {key.algorithm.label} key")
    else:
        shapes = [key.signature_shape_problem(s.sig) for s in candidates]
        if all(shapes):
            checks.failed("signature", "signature.other_algorithm", str(shapes[0]))
        else:
            checks.failed("signature", "signature.invalid",
                          f"the signature does not verify with the pinned {key.algorithm.label} key: the "
                          "certificate was changed after it was signed, or it was signed by another key")
    if not verified:
        checks.skipped(_STATEMENT_CHECKS, "the signature did not verify, so the content cannot be trusted")
        return None
    return envelope


def _check_statement(
    envelope: Certificate, checks: _Checks, now: datetime,
) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    """Statement type, predicate type, subjects, predicate (``now``: the verifier's clock, for
    ``evaluatedAt``). Returns (statement, subjects by name)."""
    try:
        statement = envelope.statement()
    except CertificateError as error:
        checks.failed("statement_type", "statement.malformed", error.message)
        checks.skipped(_STATEMENT_CHECKS[1:], "the payload is not a statement")
        return None, None
    statement_type = statement.get("_type")
    if statement_type == STATEMENT_TYPE:
        checks.passed("statement_type", "in-toto Statement v1")
    else:
        checks.failed("statement_type", "statement.type",
                      f"the statement type is {_brief(statement_type)}, not '{STATEMENT_TYPE}'")
    predicate_type = statement.get("predicateType")
    if predicate_type == PREDICATE_TYPE:
        checks.passed("predicate_type", PREDICATE_TYPE)
    else:
        checks.failed("predicate_type", "statement.predicate_type",
                      f"the predicate type is {_brief(predicate_type)}, not '{PREDICATE_TYPE}': "
                      "this is not a provenance certificate of compliance")

    subjects = _check_subjects(statement.get("subject"), checks)
    check_predicate(statement.get("predicate"), subjects, checks, now)
    return statement, subjects


def _check_subjects(raw: Any, checks: _Checks) -> dict[str, str] | None:
    if not isinstance(raw, list) or not raw:
        checks.failed("subjects", "subjects.missing", "the statement lists no subject")
        return None
    subjects: dict[str, str] = {}
    for index, entry in enumerate(raw):
        where = f"subject #{index + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            checks.failed("subjects", "subjects.malformed", f"{where} has no name")
            return None
        if not _is_unicode(entry["name"]):
            checks.failed("subjects", "subjects.malformed", f"{where} has a name that is not valid Unicode")
            return None
        if any(segment in ("", ".", "..") for segment in entry["name"].split("/")):
            checks.failed("subjects", "subjects.malformed", f"{where} ({_clip(entry['name'])}) is not a path inside "
                          "the delivery (an absolute path, or an empty, '.' or '..' segment)")
            return None
        digest = entry.get("digest")
        sha256 = digest.get("sha256") if isinstance(digest, dict) else None
        if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
            checks.failed("subjects", "subjects.malformed",
                          f"{where} ({_clip(entry['name'])}) has no valid sha256 digest")
            return None
        name = unicodedata.normalize("NFC", entry["name"])
        if name in subjects:
            checks.failed("subjects", "subjects.duplicate",
                          f"the statement lists '{_clip(name)}' more than once (duplicate subjects, "
                          "names compared in Unicode NFC)")
            return None
        subjects[name] = sha256
    checks.passed("subjects", f"{len(subjects)} certified file{'s' if len(subjects) != 1 else ''}")
    return subjects
