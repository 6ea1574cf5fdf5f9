"""Judges of the Content Credentials themselves: presence, validation status codes, signer trust.

Each takes the :class:`~provenance.classify.ClassifiedEvidence` and the policy and returns a
:class:`~._findings.Judged` whose findings carry their decision and reason. What each
validation status code means comes from the status table (``provenance/classify/_status.py``);
the charter's "Decision tables (default policy)" say what that does to a verdict.
"""

from __future__ import annotations

from ..classify import ClassifiedEvidence, StatusEffect, StatusRow, StatusSubject
from ..model import (
    CredentialsEvidence,
    CredentialsPresence,
    Decision,
    Finding,
    Location,
    Reason,
    StatusCode,
    StatusKind,
    StatusScope,
)
from ._findings import Judged
from ._loader import Policy

__all__ = [
    "judge_presence",
    "judge_signer_trust",
    "judge_status_codes",
    "manifest_of",
    "status_detail",
    "status_location",
]

_TRUSTED = "signingCredential.trusted"
_EXPIRED = "signingCredential.expired"


def manifest_of(url: str | None) -> str | None:
    """The manifest label in a JUMBF URI: ``self#jumbf=/c2pa/<label>/c2pa.signature`` -> ``<label>``."""
    if not url or "/c2pa/" not in url:
        return None
    label = url.split("/c2pa/", 1)[1].split("/", 1)[0]
    return label or None


def status_location(entry: StatusCode, credentials: CredentialsEvidence) -> Location:
    """Where a status points: the manifest its URL names (or the active one) and the URL."""
    active = credentials.active_manifest if entry.scope is StatusScope.ACTIVE else None
    return Location(manifest=manifest_of(entry.url) or active, field=entry.url or entry.code)


def status_detail(entry: StatusCode, row: StatusRow) -> str:
    """``code: explanation``, saying so when the code is not in the status table."""
    unknown = "" if row.known else f" (an unknown {row.kind.value} code: not in the status table)"
    return f"{entry.code}{unknown}" + (f": {entry.explanation}" if entry.explanation else "")


def _has_invalid(classified: ClassifiedEvidence) -> bool:
    return any(row.effect is StatusEffect.INVALID for _, row in classified.statuses)


def _integrity_finding(entry: StatusCode, row: StatusRow, credentials: CredentialsEvidence) -> Finding:
    where = status_location(entry, credentials)
    if where.manifest and where.manifest != credentials.active_manifest:
        scope = f"manifest {where.manifest}"
    else:
        scope = "the active manifest" if entry.scope is StatusScope.ACTIVE else "an ingredient's manifest"
    detail = status_detail(entry, row)
    if not row.known:
        return Finding(
            code="credentials.unknown_failure", message=f"Unexplained validation failure in {scope}: {detail}",
            location=where, signal=entry.code, reason=Reason.CREDENTIALS_INVALID, rule="status.unknown_failure",
            source_ref="issue #9.3: a failure code the status table does not know is credentials_invalid",
        )
    return Finding(
        code="credentials.integrity_failure", message=f"Integrity check failed in {scope}: {detail}",
        location=where, signal=entry.code, reason=Reason.CREDENTIALS_INVALID,
        source_ref=f"status table: {row.source}",
    )


def _signer_finding(entry: StatusCode, row: StatusRow, credentials: CredentialsEvidence) -> Finding:
    detail = status_detail(entry, row)
    if entry.code == _EXPIRED:
        detail += ("; no timestamp the reader both validated and trusted (timeStamp.validated and "
                   "timeStamp.trusted) shows it was signed while its certificate was valid")
    return Finding(
        code="credentials.signer_problem", message=f"The signer of the active manifest is not acceptable: {detail}",
        location=status_location(entry, credentials), signal=entry.code, reason=Reason.CREDENTIALS_UNTRUSTED,
        source_ref=f"status table: {row.source}",
    )


def judge_status_codes(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """Every validation status code of the active manifest and the ingredient deltas, by the status table.

    ``invalid`` -> ``credentials.integrity_failure`` (``credentials.unknown_failure`` for a failure
    code the table does not know), reason ``credentials_invalid``; ``untrusted`` about the active
    manifest's signer -> ``credentials.signer_problem`` (``credentials_untrusted``); ``warning`` ->
    a warning naming the code. Timestamp codes are judged by :func:`judge_timestamps`, ingredient
    signers by :func:`judge_ingredient_trust`.
    """
    credentials = classified.evidence.credentials
    if credentials.presence is not CredentialsPresence.PRESENT:
        return Judged()
    findings: list[Finding] = []
    warnings: list[str] = []
    for entry, row in classified.statuses:
        if row.effect is StatusEffect.OK or row.subject is StatusSubject.TIMESTAMP:
            continue
        if row.effect is StatusEffect.INVALID:
            findings.append(_integrity_finding(entry, row, credentials))
        elif row.effect is StatusEffect.WARNING:
            prefix = "" if entry.scope is StatusScope.ACTIVE else "ingredient "
            warnings.append(prefix + status_detail(entry, row))
        elif entry.scope is StatusScope.ACTIVE:
            findings.append(_signer_finding(entry, row, credentials))
    return Judged(tuple(findings), tuple(warnings))


def judge_signer_trust(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """The policy's trust requirement: the active manifest carries ``signingCredential.trusted``.

    Without it (and without an ``invalid`` status, which already says more) the image is
    ``credentials_untrusted``; the ``credentials.signer_untrusted`` finding is added unless a
    ``credentials.signer_problem`` already names the signer's failure code.
    """
    credentials = classified.evidence.credentials
    if credentials.presence is not CredentialsPresence.PRESENT or not policy.trust.require_trusted_signer:
        return Judged()
    trusted = any(s.code == _TRUSTED and s.scope is StatusScope.ACTIVE and s.kind is StatusKind.SUCCESS
                  for s in credentials.status_codes)
    if trusted or _has_invalid(classified):
        return Judged()
    named = any(
        entry.scope is StatusScope.ACTIVE and row.subject is StatusSubject.SIGNER and row.effect is StatusEffect.UNTRUSTED
        for entry, row in classified.statuses
    )
    if named:
        return Judged()
    return Judged((Finding(
        code="credentials.signer_untrusted",
        message="The active manifest's signer does not chain to any trust anchor given",
        location=Location(manifest=credentials.active_manifest), rule="trust.require_trusted_signer",
        reason=Reason.CREDENTIALS_UNTRUSTED,
    ),))


def judge_presence(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """Whether there are credentials to judge at all: remote, refused, pointed to, or absent."""
    credentials = classified.evidence.credentials
    presence = credentials.presence
    if presence is CredentialsPresence.PRESENT:
        return Judged()
    if presence is CredentialsPresence.REMOTE:
        return Judged((Finding(
            code="credentials.unavailable",
            message=f"The Content Credentials are stored remotely and were not fetched ({credentials.remote_url})",
            location=Location(field="remote manifest"), signal=credentials.remote_url,
            reason=Reason.CREDENTIALS_UNAVAILABLE,
        ),))
    if presence is CredentialsPresence.REFUSED:
        return Judged((Finding(
            code="credentials.refused", message=f"The C2PA reader refused the manifest: {credentials.reader_error}",
            location=Location(), signal=credentials.reader_error, reason=Reason.CREDENTIALS_INVALID,
        ),))
    if classified.remote_pointers:
        # No manifest in the file, but its XMP points to one stored elsewhere (not fetched).
        pointer = classified.remote_pointers[0]
        return Judged((Finding(
            code="credentials.unavailable",
            message=f"The XMP points to Content Credentials stored elsewhere ({pointer.signal}); they were not fetched",
            location=pointer.location, signal=pointer.signal, reason=Reason.CREDENTIALS_UNAVAILABLE,
        ),))
    return _absent(classified, policy)


def _absent(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """No credentials: unsigned metadata showing allowed edits counts only if the policy says so."""
    metadata_allowed = any(policy.decide(c)[0] is Decision.ALLOWED for c in classified.metadata)
    if policy.trust.accept_unsigned_metadata and metadata_allowed:
        return Judged()
    return Judged((Finding(
        code="credentials.absent",
        message="The image carries no Content Credentials"
        + (" (its unsigned metadata is listed, but proves less)" if classified.metadata else ""),
        location=Location(), reason=Reason.NO_CREDENTIALS,
    ),))
