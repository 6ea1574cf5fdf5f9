"""The pure function that turns evidence into a verdict under a policy.

:func:`evaluate` does no I/O, reads no clock and touches no file: the same
evidence and policy always give the same verdict.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..classify import (
    Classification,
    StatusClass,
    classify_credentials,
    classify_signal,
    classify_status_code,
)
from ..model import (
    Assurance,
    Category,
    CredentialsPresence,
    Decision,
    Evidence,
    Finding,
    Location,
)
from ..verdict import ImageVerdict, Reason, Status
from ._loader import Policy

__all__ = ["evaluate"]


_REASON_ORDER = list(Reason)


def _manifest_of(url: str | None) -> str | None:
    """The manifest label in a JUMBF URI: ``self#jumbf=/c2pa/<label>/c2pa.signature`` -> ``<label>``."""
    if not url or "/c2pa/" not in url:
        return None
    label = url.split("/c2pa/", 1)[1].split("/", 1)[0]
    return label or None

_TRUSTED = "signingCredential.trusted"
_REMOTE_POINTER_ROW = "xmp.remote_manifest"


def _finding_from(classification: Classification, decision: Decision, rule: str, code: str) -> Finding:
    return Finding(
        code=code,
        message=classification.reason,
        location=classification.location,
        category=classification.category,
        decision=decision,
        rule=rule,
        signal=classification.signal,
        source_ref=f"{classification.row} ({classification.source})",
    )


def _dst_sides(classifications: Iterable[Classification]) -> set[Category]:
    return {
        c.category for c in classifications
        if c.category in (Category.GENERATIVE, Category.CAPTURE, Category.NON_PHOTOGRAPHIC_SOURCE)
        and c.digital_source_type is not None
    }


def evaluate(evidence: Evidence, policy: Policy) -> ImageVerdict:
    """Judge one image's evidence under a policy. Pure: no I/O, no clock.

    The rules (charter; issue "Verdict per image"):

    - ``non_compliant`` when any classification is forbidden, anywhere in the
      chain, even in a manifest that fails validation;
    - else ``indeterminate`` when anything prevents certifying: no credentials,
      a failed integrity check, an untrusted signer, an unavailable manifest,
      a signal needing review, an unreadable file;
    - else ``compliant``.

    Status codes of the active manifest and of ingredient deltas are mapped by
    :func:`provenance.classify.classify_status_code`; "trusted" means the
    active manifest carries ``signingCredential.trusted`` (charter).

    Returns:
        The :class:`ImageVerdict`.
    """
    credentials = evidence.credentials
    if evidence.read_error is not None:
        finding = Finding(code="file.unreadable", message=evidence.read_error, location=Location())
        return ImageVerdict(
            path=evidence.path, sha256=evidence.sha256, size=evidence.size, media_type=evidence.media_type,
            status=Status.INDETERMINATE, reasons=(Reason.UNREADABLE,), findings=(finding,),
            credentials=credentials.presence.value, error=evidence.read_error,
        )

    reasons: set[Reason] = set()
    findings: list[Finding] = []
    warnings: list[str] = []
    decisions: list[Decision] = []

    manifest_classes = classify_credentials(credentials) if credentials.presence is CredentialsPresence.PRESENT else ()
    for classification in manifest_classes:
        decision, rule = policy.decide(classification)
        decisions.append(decision)
        code = "action.classified" if classification.action else "manifest.signal"
        findings.append(_finding_from(classification, decision, rule, code))
        if decision is Decision.FORBIDDEN:
            reasons.add(Reason.GENERATIVE_AI if classification.category is Category.GENERATIVE
                        else Reason.FORBIDDEN_EDIT)

    metadata_classes: list[Classification] = []
    metadata_allowed = False
    remote_pointers: list[Classification] = []
    for signal in evidence.metadata:
        for classification in classify_signal(signal):
            if classification.row == _REMOTE_POINTER_ROW:
                # Where the manifest is, not what was done: the credentials side decides.
                remote_pointers.append(classification)
                continue
            metadata_classes.append(classification)
            decision, rule = policy.decide(classification)
            decisions.append(decision)
            if decision is Decision.ALLOWED:
                metadata_allowed = True
            findings.append(_finding_from(classification, decision, rule, "metadata.classified"))
            if decision is Decision.FORBIDDEN:
                reasons.add(Reason.GENERATIVE_AI if classification.category is Category.GENERATIVE
                            else Reason.FORBIDDEN_EDIT)
    warnings.extend(f"metadata: {message}" for message in evidence.metadata_errors)

    # Conflicts between the signed manifest and unsigned metadata (charter: Undecided).
    manifest_sides, metadata_sides = _dst_sides(manifest_classes), _dst_sides(metadata_classes)
    if manifest_sides and metadata_sides and manifest_sides != metadata_sides:
        conflict = Classification(
            category=Category.METADATA_CONFLICT, row="fusion.conflict", source="charter: Undecided; issue #4 (fusion)",
            reason=(f"the metadata says {', '.join(sorted(metadata_sides))} but the manifest says "
                    f"{', '.join(sorted(manifest_sides))}"),
            location=Location(field="metadata vs manifest"),
        )
        if Category.GENERATIVE in manifest_sides | metadata_sides:
            # The generative reading already decided; the conflict is reported, not re-decided.
            findings.append(_finding_from(conflict, Decision.FORBIDDEN, "fusion.generative_wins", "fusion.conflict"))
        else:
            decision, rule = policy.decide(conflict)
            decisions.append(decision)
            findings.append(_finding_from(conflict, decision, rule, "fusion.conflict"))

    assurance = Assurance.NONE
    trusted = False
    if credentials.presence is CredentialsPresence.PRESENT:
        assurance = Assurance.SIGNED_CREDENTIALS
        trusted = any(
            s.code == _TRUSTED and s.scope == "active" and s.kind == "success" for s in credentials.status_codes
        )
        reported: set[tuple[str, str | None]] = set()
        for entry in credentials.status_codes:
            if entry.scope == "recorded":
                continue  # classified as RECORDED_FAILURE by the chain reading
            if (entry.code, entry.url) in reported:
                continue  # c2pa-rs reports some failures in the active results and in a delta
            reported.add((entry.code, entry.url))
            klass = classify_status_code(entry.code, entry.kind)
            if klass is StatusClass.OK:
                continue
            where = Location(manifest=_manifest_of(entry.url) or (
                credentials.active_manifest if entry.scope == "active" else None), field=entry.url or entry.code)
            detail = f"{entry.code}" + (f": {entry.explanation}" if entry.explanation else "")
            if klass is StatusClass.WARNING:
                warnings.append(detail if entry.scope == "active" else f"ingredient {detail}")
                continue
            if klass is StatusClass.INTEGRITY:
                reasons.add(Reason.CREDENTIALS_INVALID)
                if where.manifest and where.manifest != credentials.active_manifest:
                    scope = f"manifest {where.manifest}"
                else:
                    scope = "the active manifest" if entry.scope == "active" else "an ingredient's manifest"
                findings.append(Finding(
                    code="credentials.integrity_failure",
                    message=f"Integrity check failed in {scope}: {detail}",
                    location=where, signal=entry.code,
                    source_ref="charter: Decision tables (entry codes -> credentials_invalid)",
                ))
            elif entry.scope == "active":
                reasons.add(Reason.CREDENTIALS_UNTRUSTED)
                findings.append(Finding(
                    code="credentials.signer_problem",
                    message=f"The signer of the active manifest is not acceptable: {detail}",
                    location=where, signal=entry.code,
                    source_ref="charter: Decision tables (entry codes -> credentials_untrusted)",
                ))
            elif policy.trust.ingredient_signer_problem == "review":
                decisions.append(Decision.REVIEW)
                findings.append(Finding(
                    code="credentials.ingredient_signer_problem",
                    message=f"An ingredient's signer is not acceptable: {detail}",
                    location=where, decision=Decision.REVIEW, rule="trust.ingredient_signer_problem",
                    signal=entry.code,
                ))
            else:
                warnings.append(f"ingredient {detail}")
        if policy.trust.require_trusted_signer and not trusted and Reason.CREDENTIALS_INVALID not in reasons:
            reasons.add(Reason.CREDENTIALS_UNTRUSTED)
            if not any(f.code == "credentials.signer_problem" for f in findings):
                findings.append(Finding(
                    code="credentials.signer_untrusted",
                    message="The active manifest's signer does not chain to any trust anchor given",
                    location=Location(manifest=credentials.active_manifest), rule="trust.require_trusted_signer",
                ))
    elif credentials.presence is CredentialsPresence.REMOTE:
        reasons.add(Reason.CREDENTIALS_UNAVAILABLE)
        findings.append(Finding(
            code="credentials.unavailable",
            message=f"The Content Credentials are stored remotely and were not fetched ({credentials.remote_url})",
            location=Location(field="remote manifest"), signal=credentials.remote_url,
        ))
    elif credentials.presence is CredentialsPresence.REFUSED:
        reasons.add(Reason.CREDENTIALS_INVALID)
        findings.append(Finding(
            code="credentials.refused",
            message=f"The C2PA reader refused the manifest: {credentials.reader_error}",
            location=Location(), signal=credentials.reader_error,
        ))
    elif remote_pointers:
        # No manifest in the file, but its XMP points to one stored elsewhere (not fetched).
        reasons.add(Reason.CREDENTIALS_UNAVAILABLE)
        findings.append(Finding(
            code="credentials.unavailable",
            message=f"The XMP points to Content Credentials stored elsewhere ({remote_pointers[0].signal}); "
            "they were not fetched",
            location=remote_pointers[0].location, signal=remote_pointers[0].signal,
        ))
    else:
        if metadata_classes:
            assurance = Assurance.METADATA_ONLY
        if not (policy.trust.accept_unsigned_metadata and metadata_allowed):
            reasons.add(Reason.NO_CREDENTIALS)
            findings.append(Finding(
                code="credentials.absent",
                message="The image carries no Content Credentials"
                + (" (its unsigned metadata is listed, but proves less)" if metadata_classes else ""),
                location=Location(),
            ))

    if Decision.REVIEW in decisions:
        reasons.add(Reason.REVIEW_REQUIRED)
    if Decision.FORBIDDEN in decisions:
        status = Status.NON_COMPLIANT
        if not reasons & {Reason.GENERATIVE_AI, Reason.FORBIDDEN_EDIT}:
            reasons.add(Reason.GENERATIVE_AI)
    elif reasons:
        status = Status.INDETERMINATE
    else:
        status = Status.COMPLIANT

    active = credentials.active
    return ImageVerdict(
        path=evidence.path,
        sha256=evidence.sha256,
        size=evidence.size,
        media_type=evidence.media_type,
        status=status,
        reasons=tuple(sorted(reasons, key=_REASON_ORDER.index)),
        findings=tuple(findings),
        warnings=tuple(dict.fromkeys(warnings)),
        validation_state=credentials.validation_state,
        credentials=credentials.presence.value,
        active_manifest=credentials.active_manifest,
        signer=active.signer.describe() if active else None,
        assurance=assurance,
    )
