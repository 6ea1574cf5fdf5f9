"""Judges of the Content Credentials themselves: presence, validation status codes, signer trust.

Each takes the :class:`~provenance.classify.ClassifiedEvidence` and the policy and returns a
:class:`~._findings.Judged` whose findings carry their decision and reason. Source for
every rule: the charter's "Decision tables (default policy)", status-code table.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..classify import ClassifiedEvidence, StatusClass, classify_status_code
from ..model import CredentialsEvidence, CredentialsPresence, Decision, Finding, Location, Reason, StatusCode
from ._findings import Judged
from ._loader import Policy

__all__ = ["judge_presence", "judge_signer_trust", "judge_status_codes"]

_TRUSTED = "signingCredential.trusted"


def _manifest_of(url: str | None) -> str | None:
    """The manifest label in a JUMBF URI: ``self#jumbf=/c2pa/<label>/c2pa.signature`` -> ``<label>``."""
    if not url or "/c2pa/" not in url:
        return None
    label = url.split("/c2pa/", 1)[1].split("/", 1)[0]
    return label or None


def _current_statuses(credentials: CredentialsEvidence) -> Iterator[tuple[StatusCode, StatusClass]]:
    """The active manifest's results and the ingredient deltas (not the recorded ones), once each.

    Recorded statuses are classified as ``recorded_failure`` by the chain reading; c2pa-rs
    reports some failures both in the active results and in a delta (same code and URL).
    """
    reported: set[tuple[str, str | None]] = set()
    for entry in credentials.status_codes:
        if entry.scope == "recorded" or (entry.code, entry.url) in reported:
            continue
        reported.add((entry.code, entry.url))
        yield entry, classify_status_code(entry.code, entry.kind)


def _has_integrity_failure(credentials: CredentialsEvidence) -> bool:
    return any(klass is StatusClass.INTEGRITY for _, klass in _current_statuses(credentials))


def _status_finding(entry: StatusCode, klass: StatusClass, credentials: CredentialsEvidence,
                    policy: Policy) -> Finding | str:
    """One non-OK status code as a finding, or a warning sentence."""
    where = Location(manifest=_manifest_of(entry.url) or (
        credentials.active_manifest if entry.scope == "active" else None), field=entry.url or entry.code)
    detail = f"{entry.code}" + (f": {entry.explanation}" if entry.explanation else "")
    if klass is StatusClass.WARNING:
        return detail if entry.scope == "active" else f"ingredient {detail}"
    if klass is StatusClass.INTEGRITY:
        if where.manifest and where.manifest != credentials.active_manifest:
            scope = f"manifest {where.manifest}"
        else:
            scope = "the active manifest" if entry.scope == "active" else "an ingredient's manifest"
        return Finding(
            code="credentials.integrity_failure", message=f"Integrity check failed in {scope}: {detail}",
            location=where, signal=entry.code, reason=Reason.CREDENTIALS_INVALID,
            source_ref="charter: Decision tables (entry codes -> credentials_invalid)",
        )
    if entry.scope == "active":
        return Finding(
            code="credentials.signer_problem", message=f"The signer of the active manifest is not acceptable: {detail}",
            location=where, signal=entry.code, reason=Reason.CREDENTIALS_UNTRUSTED,
            source_ref="charter: Decision tables (entry codes -> credentials_untrusted)",
        )
    if policy.trust.ingredient_signer_problem == "review":
        return Finding(
            code="credentials.ingredient_signer_problem", message=f"An ingredient's signer is not acceptable: {detail}",
            location=where, decision=Decision.REVIEW, rule="trust.ingredient_signer_problem", signal=entry.code,
            reason=Reason.REVIEW_REQUIRED,
        )
    return f"ingredient {detail}"


def judge_status_codes(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """Every validation status code of the active manifest and the ingredient deltas.

    Integrity failures -> ``credentials.integrity_failure`` (``credentials_invalid``); signer
    problems of the active manifest -> ``credentials.signer_problem`` (``credentials_untrusted``);
    signer problems of an ingredient -> a warning, or ``credentials.ingredient_signer_problem``
    (review) when the policy says ``ingredient_signer_problem = "review"``; identity and
    network-only codes -> warnings.
    """
    credentials = classified.evidence.credentials
    if credentials.presence is not CredentialsPresence.PRESENT:
        return Judged()
    findings: list[Finding] = []
    warnings: list[str] = []
    for entry, klass in _current_statuses(credentials):
        if klass is StatusClass.OK:
            continue
        out = _status_finding(entry, klass, credentials, policy)
        if isinstance(out, str):
            warnings.append(out)
        else:
            findings.append(out)
    return Judged(tuple(findings), tuple(warnings))


def judge_signer_trust(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """The policy's trust requirement: the active manifest carries ``signingCredential.trusted``.

    Without it (and without an integrity failure, which already says more) the image is
    ``credentials_untrusted``; the ``credentials.signer_untrusted`` finding is added unless a
    ``credentials.signer_problem`` already names the signer's failure code.
    """
    credentials = classified.evidence.credentials
    if credentials.presence is not CredentialsPresence.PRESENT or not policy.trust.require_trusted_signer:
        return Judged()
    trusted = any(s.code == _TRUSTED and s.scope == "active" and s.kind == "success" for s in credentials.status_codes)
    if trusted or _has_integrity_failure(credentials):
        return Judged()
    named = any(
        entry.scope == "active" and klass is StatusClass.SIGNER for entry, klass in _current_statuses(credentials)
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
