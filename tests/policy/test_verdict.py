"""The verdict is the worst of its findings (issue #9 item 4): status and reasons come from findings only."""

from __future__ import annotations

from policy_helpers import TRUSTED, capture_store, evidence, xmp_dst

from provenance import default_policy, evaluate
from provenance.model import Category, Decision, Finding, Location, Reason
from provenance.policy import parse_policy
from provenance.policy._evaluate import verdict_status
from provenance.verdict import Status


def _forbid_conflicts() -> object:
    text = default_policy().text.replace(
        'category = "metadata_conflict"\ndecision = "review"', 'category = "metadata_conflict"\ndecision = "forbidden"')
    assert 'category = "metadata_conflict"\ndecision = "forbidden"' in text  # the charter has that rule
    return parse_policy(text.encode())


def test_forbidden_metadata_conflict_is_forbidden_edit_never_generative() -> None:
    """Regression: a policy forbidding ``metadata_conflict`` used to report an invented ``generative_ai``.

    The XMP says digitalCapture, the signed manifest algorithmicMedia: neither side is generative.
    """
    image = evidence(capture_store(dst="algorithmicMedia"), TRUSTED, metadata=(xmp_dst("digitalCapture"),))
    verdict = evaluate(image, _forbid_conflicts())  # type: ignore[arg-type]
    assert verdict.status is Status.NON_COMPLIANT
    assert Reason.FORBIDDEN_EDIT in verdict.reasons and Reason.GENERATIVE_AI not in verdict.reasons
    (conflict,) = [f for f in verdict.findings if f.code == "fusion.conflict"]
    assert conflict.category is Category.METADATA_CONFLICT
    assert conflict.decision is Decision.FORBIDDEN and conflict.reason is Reason.FORBIDDEN_EDIT


def test_every_reason_comes_from_a_finding() -> None:
    """No reason without a finding carrying it, and every blocking finding's reason is listed."""
    image = evidence(capture_store({"action": "com.example.magic"}), [("assertion.dataHash.mismatch", "failure")])
    verdict = evaluate(image, default_policy())
    assert verdict.status is Status.INDETERMINATE
    assert set(verdict.reasons) == {f.reason for f in verdict.findings if f.reason is not None}
    assert set(verdict.reasons) == {Reason.CREDENTIALS_INVALID, Reason.REVIEW_REQUIRED}


def test_worst_finding_decides() -> None:
    where = Location()
    allowed = Finding("action.classified", "crop", where, decision=Decision.ALLOWED)
    review = Finding("action.classified", "vendor", where, decision=Decision.REVIEW, reason=Reason.REVIEW_REQUIRED)
    forbidden = Finding("action.classified", "fill", where, decision=Decision.FORBIDDEN, reason=Reason.GENERATIVE_AI)
    untrusted = Finding("credentials.signer_untrusted", "who", where, reason=Reason.CREDENTIALS_UNTRUSTED)
    info = Finding("timestamp.untrusted", "note", where)
    assert verdict_status([allowed, info]) == (Status.COMPLIANT, ())
    assert verdict_status([allowed, untrusted, review]) == (
        Status.INDETERMINATE, (Reason.CREDENTIALS_UNTRUSTED, Reason.REVIEW_REQUIRED))
    assert verdict_status([untrusted, forbidden, review]) == (
        Status.NON_COMPLIANT, (Reason.GENERATIVE_AI, Reason.CREDENTIALS_UNTRUSTED, Reason.REVIEW_REQUIRED))


def test_warnings_never_change_the_status() -> None:
    """An identity warning beside a trusted, allowed history stays compliant."""
    verdict = evaluate(evidence(codes=[*TRUSTED, ("cawg.ica.did_unavailable", "failure")]), default_policy())
    assert verdict.status is Status.COMPLIANT and verdict.warnings


def test_evaluate_classifies_plain_evidence_for_library_users() -> None:
    """``provenance.evaluate(evidence, policy)`` gives what the audit pipeline's classify-then-judge gives."""
    from provenance.classify import classify_evidence

    image = evidence(capture_store({"action": "c2pa.cropped"}), TRUSTED, metadata=(xmp_dst("digitalCapture"),))
    assert evaluate(image, default_policy()) == evaluate(classify_evidence(image), default_policy())


def test_generative_conflict_takes_the_generative_decision() -> None:
    """Where one side is generative the conflict is reported with the generative reading's decision."""
    image = evidence(capture_store(), TRUSTED, metadata=(xmp_dst("trainedAlgorithmicMedia"),))
    (conflict,) = [f for f in evaluate(image, default_policy()).findings if f.code == "fusion.conflict"]
    assert conflict.rule == "fusion.generative_wins"
    assert conflict.decision is Decision.FORBIDDEN and conflict.reason is Reason.GENERATIVE_AI
    lenient = parse_policy(default_policy().text.replace(
        'category = "generative"\ndecision = "forbidden"', 'category = "generative"\ndecision = "allowed"').encode())
    verdict = evaluate(image, lenient)
    (conflict,) = [f for f in verdict.findings if f.code == "fusion.conflict"]
    assert conflict.decision is Decision.ALLOWED and conflict.reason is None
    assert Reason.GENERATIVE_AI not in verdict.reasons
