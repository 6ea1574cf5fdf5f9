"""The judges on constructed evidence: status codes, timestamps, ingredient trust, read problems."""

from __future__ import annotations

from typing import Any

import pytest
from policy_helpers import TRUSTED, capture_store, evidence

from provenance import default_policy, evaluate
from provenance.model import CredentialsPresence, Decision, ReadProblem, Reason
from provenance.policy import parse_policy
from provenance.verdict import Status

URL = "self#jumbf=/c2pa/m/c2pa.signature"


def _review_ingredients() -> Any:
    text = default_policy().text.replace('ingredient_signer_problem = "warn"', 'ingredient_signer_problem = "review"')
    return parse_policy(text.encode())


# --- status codes -----------------------------------------------------------------------------

def test_identity_signature_mismatch_is_never_compliant() -> None:
    """Regression (issue #9): cawg.ica.signature_mismatch left a trusted image compliant."""
    verdict = evaluate(evidence(codes=[*TRUSTED, ("cawg.ica.signature_mismatch", "failure")]), default_policy())
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (Reason.CREDENTIALS_INVALID,)
    (finding,) = [f for f in verdict.findings if f.reason is Reason.CREDENTIALS_INVALID]
    assert finding.code == "credentials.integrity_failure" and finding.signal == "cawg.ica.signature_mismatch"


def test_unknown_failure_code_is_invalid_and_named() -> None:
    verdict = evaluate(evidence(codes=[*TRUSTED, ("assertion.quantumHash.mismatch", "failure")]), default_policy())
    assert verdict.reasons == (Reason.CREDENTIALS_INVALID,)
    (finding,) = [f for f in verdict.findings if f.code == "credentials.unknown_failure"]
    assert "assertion.quantumHash.mismatch" in finding.message and "not in the status table" in finding.message


def test_unknown_informational_code_is_a_warning_naming_it() -> None:
    verdict = evaluate(evidence(codes=[*TRUSTED, ("assertion.newThing.noted", "informational")]), default_policy())
    assert verdict.status is Status.COMPLIANT
    assert any("assertion.newThing.noted" in w and "unknown informational" in w for w in verdict.warnings)


# --- timestamps (issue #10.4) -------------------------------------------------------------------

def test_broken_timestamp_is_a_timestamp_finding_not_a_signer_finding() -> None:
    """c2pa-rs 0.91 files timeStamp.mismatch as informational; it is still credentials_invalid."""
    verdict = evaluate(evidence(codes=[*TRUSTED, ("timeStamp.mismatch", "informational")]), default_policy())
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (Reason.CREDENTIALS_INVALID,)
    assert [f.code for f in verdict.findings if f.reason] == ["timestamp.invalid"]
    assert not any(f.code.startswith("credentials.signer") for f in verdict.findings)


def test_untrusted_timestamp_of_an_in_date_signer_is_information() -> None:
    verdict = evaluate(evidence(codes=[*TRUSTED, ("timeStamp.validated", "success"),
                                       ("timeStamp.untrusted", "informational")]), default_policy())
    assert verdict.status is Status.COMPLIANT
    (finding,) = [f for f in verdict.findings if f.code == "timestamp.untrusted"]
    assert finding.reason is None and finding.decision is None


@pytest.mark.parametrize("timestamp", [
    [("timeStamp.validated", "success"), ("timeStamp.untrusted", "informational")],  # example-assets cloudscape-ACA-Cr
    [("timeStamp.mismatch", "informational")],
    [],
])
def test_expired_signer_is_in_date_only_through_a_trusted_timestamp(timestamp: list[tuple[str, str]]) -> None:
    codes = [("signingCredential.untrusted", "failure"), ("signingCredential.expired", "failure"), *timestamp]
    verdict = evaluate(evidence(codes=codes), default_policy())
    assert Reason.CREDENTIALS_UNTRUSTED in verdict.reasons and verdict.status is Status.INDETERMINATE
    (expired,) = [f for f in verdict.findings if f.signal == "signingCredential.expired"]
    assert expired.code == "credentials.signer_problem" and "timeStamp.trusted" in expired.message


def test_timestamp_outside_validity_is_untrusted() -> None:
    verdict = evaluate(evidence(codes=[*TRUSTED, ("timeStamp.outsideValidity", "informational")]), default_policy())
    assert verdict.reasons == (Reason.CREDENTIALS_UNTRUSTED,)
    assert [f.code for f in verdict.findings if f.reason] == ["timestamp.outside_validity"]


# --- ingredient trust (issue #10.5) ------------------------------------------------------------

def _with_ingredient(recorded: dict[str, Any] | None) -> dict[str, Any]:
    store = capture_store({"action": "c2pa.opened"})
    ingredient: dict[str, Any] = {"title": "parent.jpg", "relationship": "parentOf", "label": "c2pa.ingredient.v3",
                                  "active_manifest": "p"}
    if recorded is not None:
        ingredient["validation_results"] = {"activeManifest": recorded}
    store["manifests"]["m"]["ingredients"] = [ingredient]
    store["manifests"]["p"] = {"assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [
        {"action": "c2pa.created", "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"}]}}]}
    return store


def test_ingredient_untrusted_now_is_a_warning() -> None:
    """An ingredient delta (computed now) says the parent's signer is untrusted: a warning naming the ingredient."""
    image = evidence(_with_ingredient(None), [("signingCredential.untrusted", "failure")], scope="ingredient",
                     ingredient="self#jumbf=/c2pa/m/c2pa.assertions/c2pa.ingredient.v3")
    verdict = evaluate(_trusted_active(image), default_policy())  # the active manifest itself is trusted
    assert verdict.status is Status.COMPLIANT
    assert any("'parent.jpg'" in w and "now: signingCredential.untrusted" in w for w in verdict.warnings)


def test_ingredient_untrusted_as_recorded_is_a_warning_or_review() -> None:
    recorded = {"success": [{"code": "claimSignature.validated"}], "failure": [{"code": "signingCredential.untrusted"}]}
    image = evidence(_with_ingredient(recorded), TRUSTED)
    warned = evaluate(image, default_policy())
    assert warned.status is Status.COMPLIANT
    assert any("as recorded" in w and "signingCredential.untrusted" in w for w in warned.warnings)
    reviewed = evaluate(image, _review_ingredients())
    assert reviewed.status is Status.INDETERMINATE and reviewed.reasons == (Reason.REVIEW_REQUIRED,)
    (finding,) = [f for f in reviewed.findings if f.code == "credentials.ingredient_signer_problem"]
    assert finding.decision is Decision.REVIEW and finding.location.assertion == "c2pa.ingredient.v3"


def test_recorded_result_without_trusted_counts_as_untrusted_and_with_it_not() -> None:
    untrusted = {"success": [{"code": "claimSignature.validated"}]}
    trusted = {"success": [{"code": "claimSignature.validated"}, {"code": "signingCredential.trusted"}]}
    assert any("no signingCredential.trusted" in w
               for w in evaluate(evidence(_with_ingredient(untrusted), TRUSTED), default_policy()).warnings)
    assert not any("parent.jpg" in w for w in evaluate(evidence(_with_ingredient(trusted), TRUSTED),
                                                        default_policy()).warnings)


def _trusted_active(image: Any) -> Any:
    from dataclasses import replace

    from provenance.model import StatusCode, StatusKind, StatusScope
    trusted = StatusCode("signingCredential.trusted", StatusKind.SUCCESS, StatusScope.ACTIVE, URL)
    credentials = replace(image.credentials, status_codes=(trusted, *image.credentials.status_codes))
    return replace(image, credentials=credentials)


# --- read problems (issue #9.1) ------------------------------------------------------------------

def test_blocking_read_problem_keeps_an_image_from_compliant() -> None:
    problem = ReadProblem("metadata.xmp_malformed", "XMP packet in APP1 at byte 1234", "not well-formed XML")
    verdict = evaluate(evidence(codes=TRUSTED, problems=(problem,)), default_policy())
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (Reason.REVIEW_REQUIRED,)
    (finding,) = [f for f in verdict.findings if f.code == "metadata.xmp_malformed"]
    assert finding.decision is Decision.REVIEW and finding.reason is Reason.REVIEW_REQUIRED
    assert finding.location.field == "XMP packet in APP1 at byte 1234" and "not well-formed" in finding.message


def test_non_blocking_read_problem_is_a_warning() -> None:
    note = ReadProblem("metadata.xmp_extended_unreferenced", "extended XMP in APP1", "read although unreferenced",
                       blocking=False)
    verdict = evaluate(evidence(codes=TRUSTED, problems=(note,)), default_policy())
    assert verdict.status is Status.COMPLIANT
    assert verdict.warnings == ("metadata.xmp_extended_unreferenced: extended XMP in APP1: read although unreferenced",)


def test_read_problems_of_an_unreadable_file_are_kept() -> None:
    from dataclasses import replace

    problem = ReadProblem("file.decode_failed", "image data", "truncated")
    image = replace(evidence(problems=(problem,)), read_error="truncated JPEG")
    verdict = evaluate(image, default_policy())
    assert verdict.credentials is CredentialsPresence.PRESENT
    assert [f.code for f in verdict.findings] == ["file.unreadable", "file.decode_failed"]
    assert verdict.reasons == (Reason.REVIEW_REQUIRED, Reason.UNREADABLE)
