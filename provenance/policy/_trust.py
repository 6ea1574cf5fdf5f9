"""Judges of time and of ingredients' signers: timestamps (issue #10.4) and ingredient trust (#10.5).

Both judge from the C2PA reader's status codes only: the reader exposes no certificate chain,
and the project parses no COSE itself. What each code means is the status table's
(``provenance/classify/_status.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..classify import ClassifiedEvidence, StatusEffect, StatusSubject, classify_status_code
from ..model import (
    CredentialsEvidence,
    CredentialsPresence,
    Decision,
    Finding,
    IngredientRecord,
    Location,
    Reason,
    StatusKind,
    StatusScope,
)
from ._credentials import manifest_of, status_detail, status_location
from ._findings import Judged
from ._loader import Policy

__all__ = ["judge_ingredient_trust", "judge_timestamps"]

_TIMESTAMP_CODES = {
    StatusEffect.INVALID: ("timestamp.invalid", Reason.CREDENTIALS_INVALID,
                           "The signature's timestamp is broken: it does not match the claim or cannot be parsed"),
    StatusEffect.UNTRUSTED: ("timestamp.outside_validity", Reason.CREDENTIALS_UNTRUSTED,
                             "The signature's timestamp falls outside the validity of the signer's or the "
                             "timestamp authority's certificate"),
    StatusEffect.WARNING: ("timestamp.untrusted", None,
                           "The signature's timestamp does not chain to a timestamp-authority anchor: it cannot "
                           "put the signing inside the signer's validity (an expired signer stays expired)"),
}


def judge_timestamps(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """The active manifest's timestamp codes, each its own finding (never a signer finding).

    ``timeStamp.mismatch`` / ``malformed`` -> ``timestamp.invalid`` (``credentials_invalid``);
    ``timeStamp.outsideValidity`` / ``timeOfSigning.outsideValidity`` -> ``timestamp.outside_validity``
    (``credentials_untrusted``); ``timeStamp.untrusted`` -> ``timestamp.untrusted``, information only. An expired signer
    (``signingCredential.expired``) is judged by the signer's own code: c2pa-rs checks the
    certificate at a timestamp's time, and reports the signer expired unless that timestamp
    validated; no untrusted or broken timestamp makes it in date. Ingredient timestamp codes
    are warnings. Sources: c2pa-rs ``sdk/src/crypto/cose/verifier.rs`` (``verify_trust`` uses the
    timestamp's ``gen_time``); the status table.
    """
    credentials = classified.evidence.credentials
    if credentials.presence is not CredentialsPresence.PRESENT:
        return Judged()
    findings: list[Finding] = []
    warnings: list[str] = []
    for entry, row in classified.statuses:
        if row.subject is not StatusSubject.TIMESTAMP or row.effect is StatusEffect.OK:
            continue
        if entry.scope is not StatusScope.ACTIVE:
            warnings.append(f"ingredient {status_detail(entry, row)}")
            continue
        code, reason, message = _TIMESTAMP_CODES[row.effect]
        findings.append(Finding(
            code=code, message=f"{message} ({status_detail(entry, row)})", location=status_location(entry, credentials),
            signal=entry.code, reason=reason, source_ref=f"status table: {row.source}",
        ))
    return Judged(tuple(findings), tuple(warnings))


@dataclass(slots=True)
class _Untrusted:
    """One ingredient whose signer is not trusted: now (a delta) and/or as its writer recorded it."""

    name: str
    location: Location
    why: list[str]


def _recorded(ingredient: IngredientRecord) -> tuple[str, ...]:
    """Why an ingredient's recorded validation says its signer was not trusted when imported (empty: it was).

    Either recorded signer codes the table calls ``untrusted``, or a full recorded result (it has
    success codes) without ``signingCredential.trusted``.
    """
    rows = [(status, classify_status_code(status.code, status.kind)) for status in ingredient.recorded_status]
    bad = tuple(dict.fromkeys(
        status.code for status, row in rows
        if row.subject is StatusSubject.SIGNER and row.effect is StatusEffect.UNTRUSTED
    ))
    complete = any(row.known and row.kind is StatusKind.SUCCESS for _, row in rows)
    trusted = any(status.code == "signingCredential.trusted" for status, _ in rows)
    if bad:
        return bad
    return ("no signingCredential.trusted",) if complete and not trusted else ()


def _ingredient_at(credentials: CredentialsEvidence, uri: str) -> IngredientRecord | None:
    """The ingredient an ingredient-delta URI names (``self#jumbf=/c2pa/<manifest>/c2pa.assertions/<label>``)."""
    manifest, label = manifest_of(uri), uri.rsplit("/", 1)[-1]
    for record in credentials.manifests:
        if record.label == manifest:
            return next((ing for ing in record.ingredients if ing.label == label), None)
    return None


def _untrusted_ingredients(classified: ClassifiedEvidence) -> list[_Untrusted]:
    credentials = classified.evidence.credentials
    found: dict[object, _Untrusted] = {}
    for entry, row in classified.statuses:
        if entry.scope is StatusScope.INGREDIENT and row.effect is StatusEffect.UNTRUSTED \
                and row.subject is not StatusSubject.TIMESTAMP:  # timestamps: judge_timestamps
            uri = entry.ingredient or entry.url or "(unnamed)"
            ingredient = _ingredient_at(credentials, uri)
            key: object = ingredient.location if ingredient else uri
            item = found.setdefault(key, _Untrusted(
                repr(ingredient.title) if ingredient else uri,
                ingredient.location if ingredient else Location(manifest=manifest_of(uri), field=uri), []))
            if f"now: {entry.code}" not in item.why:
                item.why.append(f"now: {entry.code}")
    for manifest in credentials.manifests:
        for ingredient in manifest.ingredients:
            codes = _recorded(ingredient) if ingredient.active_manifest is not None else ()
            if codes:
                item = found.setdefault(ingredient.location, _Untrusted(repr(ingredient.title), ingredient.location, []))
                item.why.append("as recorded when it was imported: " + ", ".join(codes))
    return list(found.values())


def judge_ingredient_trust(classified: ClassifiedEvidence, policy: Policy) -> Judged:
    """Any ingredient whose signer is not trusted, now (an ingredient delta) or as recorded.

    A warning on the image; with the policy's ``trust.ingredient_signer_problem = "review"`` a
    ``credentials.ingredient_signer_problem`` finding instead (decision review,
    ``review_required``). Source: charter "Decision tables" (a signer problem only in an
    ingredient is a warning); issue #10.5.
    """
    credentials = classified.evidence.credentials
    if credentials.presence is not CredentialsPresence.PRESENT:
        return Judged()
    findings: list[Finding] = []
    warnings: list[str] = []
    for item in _untrusted_ingredients(classified):
        text = f"ingredient {item.name}: its signer is not trusted ({'; '.join(item.why)})"
        if policy.trust.ingredient_signer_problem != "review":
            warnings.append(text)
            continue
        findings.append(Finding(
            code="credentials.ingredient_signer_problem", message=text[0].upper() + text[1:],
            location=item.location, decision=Decision.REVIEW, rule="trust.ingredient_signer_problem",
            signal=item.why[0], reason=Reason.REVIEW_REQUIRED,
        ))
    return Judged(tuple(findings), tuple(warnings))
