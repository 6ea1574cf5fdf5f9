"""The pure evaluation: classified evidence and a policy in, a verdict out.

:func:`evaluate` does no I/O, reads no clock and touches no file: the same
evidence and policy always give the same verdict. It runs a fixed list of small
judges (:mod:`._judges`, :mod:`._credentials`, :mod:`._trust`), each returning findings that carry
their decision and reason, and derives the verdict from those findings alone
(:func:`verdict_status`): the worst finding decides, as pyHanko derives an AdES status
from its sub-indications.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..chain import chain_of
from ..classify import ClassifiedEvidence, classify_evidence
from ..model import Assurance, CredentialsPresence, Decision, Evidence, Finding, Location, Reason
from ..verdict import ImageVerdict, Status
from ._credentials import judge_presence, judge_signer_trust, judge_status_codes
from ._findings import Judged, merge
from ._judges import (
    judge_conflict,
    judge_information,
    judge_manifest_signals,
    judge_metadata_signals,
    judge_read_problems,
)
from ._loader import Policy
from ._trust import judge_ingredient_trust, judge_timestamps

__all__ = ["JUDGES", "evaluate", "verdict_status"]

_REASON_ORDER = list(Reason)

Judge = Callable[[ClassifiedEvidence, Policy], Judged]

JUDGES: tuple[Judge, ...] = (
    judge_information,
    judge_read_problems,
    judge_manifest_signals,
    judge_metadata_signals,
    judge_conflict,
    judge_status_codes,
    judge_timestamps,
    judge_ingredient_trust,
    judge_signer_trust,
    judge_presence,
)
"""The judges, in the order their findings are listed."""


def verdict_status(findings: Iterable[Finding]) -> tuple[Status, tuple[Reason, ...]]:
    """The status and reasons a set of findings calls for (the worst finding decides).

    Any ``forbidden`` finding -> ``non_compliant``; else any finding with a reason (a
    blocking finding) -> ``indeterminate``; else ``compliant``. The reasons are every
    blocking finding's reason, unique, in :class:`~provenance.model.Reason` order.
    Findings without a reason (allowed classifications, information) never change the status.
    """
    findings = tuple(findings)
    reasons = {f.reason for f in findings if f.reason is not None}
    ordered = tuple(sorted(reasons, key=_REASON_ORDER.index))
    if any(f.decision is Decision.FORBIDDEN for f in findings):
        return Status.NON_COMPLIANT, ordered
    if ordered:
        return Status.INDETERMINATE, ordered
    return Status.COMPLIANT, ()


def _assurance(classified: ClassifiedEvidence) -> Assurance:
    credentials = classified.evidence.credentials
    if credentials.presence is CredentialsPresence.PRESENT:
        return Assurance.SIGNED_CREDENTIALS
    if credentials.presence is CredentialsPresence.REMOTE or credentials.presence is CredentialsPresence.REFUSED:
        return Assurance.NONE
    if classified.metadata and not classified.remote_pointers:
        return Assurance.METADATA_ONLY
    return Assurance.NONE


def _unreadable(classified: ClassifiedEvidence, policy: Policy) -> ImageVerdict:
    """A file that could not be read as an image: ``file.unreadable``, and any read problems reported."""
    evidence = classified.evidence
    message = evidence.read_error or "the file could not be read"
    problems = judge_read_problems(classified, policy)
    findings = (Finding(code="file.unreadable", message=message, location=Location(), reason=Reason.UNREADABLE),
                *problems.findings)
    status, reasons = verdict_status(findings)
    return ImageVerdict(
        path=evidence.path, sha256=evidence.sha256, size=evidence.size, media_type=evidence.media_type,
        status=status, reasons=reasons, findings=findings, warnings=problems.warnings,
        credentials=evidence.credentials.presence, error=evidence.read_error,
    )


def evaluate(evidence: ClassifiedEvidence | Evidence, policy: Policy) -> ImageVerdict:
    """Judge one image under a policy. Pure: no I/O, no clock.

    Args:
        evidence: the image's :class:`~provenance.classify.ClassifiedEvidence` (the audit
            pipeline classifies first); plain :class:`~provenance.model.Evidence` is
            classified here (:func:`provenance.classify.classify_evidence`), for library users.
        policy: the loaded policy.
    Returns:
        The :class:`ImageVerdict`: ``non_compliant`` when any finding is forbidden (anywhere in
        the chain, even in a manifest that fails validation); else ``indeterminate`` when any
        finding blocks (no, broken, untrusted or unavailable credentials, a signal needing
        review, an unreadable file), with every blocking reason; else ``compliant``.
        Warnings never change the status. See ``docs/policy.md``.
    """
    classified = evidence if isinstance(evidence, ClassifiedEvidence) else classify_evidence(evidence)
    image = classified.evidence
    if image.read_error is not None:
        return _unreadable(classified, policy)
    judged = merge(judge(classified, policy) for judge in JUDGES)
    status, reasons = verdict_status(judged.findings)
    credentials = image.credentials
    active = credentials.active
    return ImageVerdict(
        path=image.path,
        sha256=image.sha256,
        size=image.size,
        media_type=image.media_type,
        status=status,
        reasons=reasons,
        findings=judged.findings,
        warnings=tuple(dict.fromkeys(judged.warnings)),
        validation_state=credentials.validation_state,
        credentials=credentials.presence,
        active_manifest=credentials.active_manifest,
        signer=active.signer.describe() if active else None,
        assurance=_assurance(classified),
        chain=chain_of(credentials),
        thumbnail=credentials.thumbnail,
    )
