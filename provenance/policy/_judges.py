"""Judges of what the image's history shows: classified actions and signals, and their fusion.

Each judge takes the :class:`~provenance.classify.ClassifiedEvidence` and the policy and
returns a :class:`~._findings.Judged`; every finding carries its decision and reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..classify import Classification, ClassifiedEvidence
from ..classify._assertions import information_findings
from ..model import Category, Decision, Finding, Location, Reason
from ._findings import Judged, finding_from, reason_for
from ._loader import Policy

__all__ = [
    "judge_conflict",
    "judge_information",
    "judge_manifest_signals",
    "judge_metadata_signals",
    "judge_read_problems",
]

_DST_SIDES = (Category.GENERATIVE, Category.CAPTURE, Category.NON_PHOTOGRAPHIC_SOURCE)
_SEVERITY = {Decision.ALLOWED: 0, Decision.REVIEW: 1, Decision.FORBIDDEN: 2}


def judge_information(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """Information-only assertions of the chain (training-mining reservations, compliance records).

    Findings with no decision and no reason: they never change a verdict
    (:func:`provenance.classify._assertions.information_findings`).
    """
    return Judged(information_findings(classified.evidence.credentials))


def judge_manifest_signals(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """Each classification of the manifest store, decided by the policy's rules.

    Finding codes: ``action.classified`` (a C2PA action), ``manifest.signal`` (origin,
    ingredient, legacy assertion, claim generator).
    """
    findings = []
    for classification in classified.manifest:
        decision, rule = policy.decide(classification)
        code = "action.classified" if classification.action else "manifest.signal"
        findings.append(finding_from(classification, decision, rule, code))
    return Judged(tuple(findings))


def judge_metadata_signals(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """Each classification of the unsigned metadata (``metadata.classified``), decided by the rules."""
    findings = []
    for classification in classified.metadata:
        decision, rule = policy.decide(classification)
        findings.append(finding_from(classification, decision, rule, "metadata.classified"))
    return Judged(tuple(findings))


def judge_read_problems(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """What the readers could not read (``Evidence.read_problems``): never dropped (fail closed).

    A blocking :class:`~provenance.model.ReadProblem` is a finding with the problem's own code,
    decision ``review`` and reason ``review_required`` (the part that could not be read may hold
    what decides the verdict); its location names the part. A non-blocking one (a note that
    changes nothing) is a warning. Source: issue #9 item 1 ("any part that could not be read is a
    finding that blocks compliant").
    """
    findings: list[Finding] = []
    warnings: list[str] = []
    for problem in classified.evidence.read_problems:
        if not problem.blocking:
            warnings.append(f"{problem.code}: {problem.part}: {problem.message}")
            continue
        findings.append(Finding(
            code=problem.code, message=f"Could not be read completely: {problem.part}: {problem.message}",
            location=Location(field=problem.part), decision=Decision.REVIEW, rule="read.incomplete",
            reason=Reason.REVIEW_REQUIRED, source_ref="issue #9.1: an unread part blocks compliant",
        ))
    return Judged(tuple(findings), tuple(warnings))


def _sides(classifications: Iterable[Classification]) -> set[Category]:
    return {c.category for c in classifications if c.category in _DST_SIDES and c.digital_source_type is not None}


def judge_conflict(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """Signed manifest and unsigned metadata declaring different sources (charter: Undecided).

    The conflict is a ``fusion.conflict`` finding. Where one side is generative the
    generative reading has already been decided (charter: "the generative reading wins"):
    the conflict is reported with that decision and reason (rule ``fusion.generative_wins``),
    not decided again. Otherwise the policy decides the ``metadata_conflict`` category.
    """
    manifest_sides, metadata_sides = _sides(classified.manifest), _sides(classified.metadata)
    if not (manifest_sides and metadata_sides and manifest_sides != metadata_sides):
        return Judged()
    conflict = Classification(
        category=Category.METADATA_CONFLICT, row="fusion.conflict", source="charter: Undecided; issue #4 (fusion)",
        reason=(f"the metadata says {', '.join(sorted(metadata_sides))} but the manifest says "
                f"{', '.join(sorted(manifest_sides))}"),
        location=Location(field="metadata vs manifest"),
    )
    if Category.GENERATIVE in manifest_sides | metadata_sides:
        generative = [c for c in (*classified.manifest, *classified.metadata) if c.category is Category.GENERATIVE]
        decision = max((policy.decide(c)[0] for c in generative), key=_SEVERITY.__getitem__)
        finding = finding_from(conflict, decision, "fusion.generative_wins", "fusion.conflict")
        return Judged((replace(finding, reason=reason_for(decision, Category.GENERATIVE)),))
    decision, rule = policy.decide(conflict)
    return Judged((finding_from(conflict, decision, rule, "fusion.conflict"),))
