"""What a judge returns, and the one place a decision becomes a reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..classify import Classification
from ..model import Category, Decision, Finding, Reason

__all__ = ["Judged", "finding_from", "merge", "reason_for"]


@dataclass(frozen=True, slots=True)
class Judged:
    """The output of one judge: findings (each carrying its decision and reason) and warnings.

    Warnings are sentences reported beside the verdict; they never change it.
    """

    findings: tuple[Finding, ...] = ()
    warnings: tuple[str, ...] = ()


def merge(parts: Iterable[Judged]) -> Judged:
    """Concatenate judges' outputs in order."""
    findings: list[Finding] = []
    warnings: list[str] = []
    for part in parts:
        findings.extend(part.findings)
        warnings.extend(part.warnings)
    return Judged(tuple(findings), tuple(warnings))


def reason_for(decision: Decision | None, category: Category | None) -> Reason | None:
    """The reason a policy decision on a classification adds to the verdict.

    ``forbidden`` -> ``generative_ai`` for the generative category, ``forbidden_edit`` for any
    other; ``review`` -> ``review_required``; ``allowed`` (or no decision) -> none.
    """
    if decision is Decision.FORBIDDEN:
        return Reason.GENERATIVE_AI if category is Category.GENERATIVE else Reason.FORBIDDEN_EDIT
    if decision is Decision.REVIEW:
        return Reason.REVIEW_REQUIRED
    return None


def finding_from(classification: Classification, decision: Decision, rule: str, code: str) -> Finding:
    """A finding for a classification the policy decided on (its reason follows from the decision)."""
    return Finding(
        code=code,
        message=classification.reason,
        location=classification.location,
        category=classification.category,
        decision=decision,
        rule=rule,
        signal=classification.signal,
        source_ref=f"{classification.row} ({classification.source})",
        reason=reason_for(decision, classification.category),
    )
