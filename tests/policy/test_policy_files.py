"""Policy files: loading, validation errors that name the key, and the pure evaluation."""

from __future__ import annotations

import pytest

from provenance import PolicyError, default_policy, evaluate, load_policy
from provenance.classify import Classification
from provenance.evidence import parse_manifest_store
from provenance.model import (
    Category,
    CredentialsEvidence,
    CredentialsPresence,
    Decision,
    Evidence,
    Location,
    StatusCode,
    StatusKind,
    StatusScope,
)
from provenance.policy import parse_policy
from provenance.verdict import Reason, Status

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"

MINIMAL = b"""
[policy]
id = "studio"
version = "1"
default = "review"

[[rule]]
id = "gen"
category = "generative"
decision = "forbidden"
"""


def classification(category: Category, action: str | None = None, dst: str | None = None) -> Classification:
    return Classification(category, "row", "src", "reason", Location(), action=action, digital_source_type=dst)


def test_default_policy_is_the_charter() -> None:
    policy = default_policy()
    assert policy.id == "studio-charter"
    assert policy.default is Decision.REVIEW
    assert policy.trust.require_trusted_signer is True
    assert policy.decide(classification(Category.GENERATIVE))[0] is Decision.FORBIDDEN
    assert policy.decide(classification(Category.SMART_SELECTION))[0] is Decision.ALLOWED
    assert policy.decide(classification(Category.AI_ENHANCEMENT))[0] is Decision.REVIEW
    # Charter: the default policy lists com.adobe.text; any other vendor action needs review.
    assert policy.decide(classification(Category.VENDOR_ACTION, action="com.adobe.text")) == (
        Decision.ALLOWED, "charter.allowed.vendor.adobe-text")
    assert policy.decide(classification(Category.VENDOR_ACTION, action="com.adobe.combined_assets"))[0] is (
        Decision.REVIEW)


def test_default_policy_loads_through_the_file_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The charter ships as a file and loads through the same code as a studio's own."""
    copy = tmp_path / "charter.toml"
    copy.write_bytes(default_policy().text.encode())
    loaded = load_policy(copy)
    assert loaded.rules == default_policy().rules
    assert loaded.sha256 == default_policy().sha256


def test_unmatched_falls_to_the_default() -> None:
    policy = parse_policy(MINIMAL)
    assert policy.decide(classification(Category.SMART_SELECTION)) == (Decision.REVIEW, "default")


def test_first_matching_rule_wins() -> None:
    policy = parse_policy(MINIMAL + b"""
[[rule]]
id = "allow-denoise"
category = "ai_enhancement"
decision = "allowed"

[[rule]]
id = "never-reached"
category = "ai_enhancement"
decision = "forbidden"
""")
    assert policy.decide(classification(Category.AI_ENHANCEMENT)) == (Decision.ALLOWED, "allow-denoise")


def test_rule_matching_action_glob_and_dst() -> None:
    policy = parse_policy(MINIMAL + b"""
[[rule]]
id = "adobe-vendor"
action = "com.adobe.*"
decision = "allowed"

[[rule]]
id = "composite-ok"
digital_source_type = "https://cv.iptc.org/newscodes/digitalsourcetype/composite"
decision = "allowed"
""")
    assert policy.decide(classification(Category.VENDOR_ACTION, action="com.adobe.combined_assets"))[1] == (
        "adobe-vendor")
    assert policy.decide(classification(Category.NON_PHOTOGRAPHIC_SOURCE, dst="composite"))[1] == "composite-ok"


@pytest.mark.parametrize(("text", "message"), [
    (b"[policy]\nid='x'\nversion='1'\n[[rule]]\nid='a'\ncategory='generative'\ndecision='forbidden'\n",
     "missing required key 'default'"),
    (MINIMAL + b"\n[[rule]]\nid='b'\ncategory='generativ'\ndecision='forbidden'\n", "unknown category 'generativ'"),
    (MINIMAL + b"\n[[rule]]\nid='gen'\ncategory='capture'\ndecision='allowed'\n", "rule 'gen': duplicate rule id"),
    (MINIMAL + b"\n[[rule]]\nid='c'\ndecision='allowed'\n", "needs at least one of"),
    (MINIMAL + b"\n[[rule]]\nid='d'\ncategory='capture'\ndecision='ok'\n", "'ok' is not a decision"),
    (MINIMAL + b"\n[[rule]]\nid='e'\ncategory='capture'\ndecision='allowed'\ncolour='red'\n", "unknown key 'colour'"),
    (MINIMAL.replace(b"default", b"defualt"), "unknown key 'defualt'"),
    (MINIMAL + b"\n[trust]\nrequire_trusted_signer='yes'\n", "trust.require_trusted_signer: expected bool"),
    (b"[policy\n", "not valid TOML"),
    (b"[policy]\nid='x'\nversion='1'\ndefault='review'\n", "at least one [[rule]]"),
])
def test_bad_policy_names_key_and_problem(text: bytes, message: str) -> None:
    with pytest.raises(PolicyError) as error:
        parse_policy(text, "studio.toml")
    assert message in str(error.value)


def test_missing_policy_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PolicyError, match="cannot read policy"):
        load_policy(tmp_path / "nope.toml")


# --- evaluate() on in-memory evidence --------------------------------------------------------

def evidence_from_store(store: dict, codes: list[tuple[str, str]] = ()) -> Evidence:  # type: ignore[type-arg,assignment]
    credentials = parse_manifest_store(store)
    extra = tuple(StatusCode(code, StatusKind(kind), StatusScope.ACTIVE) for code, kind in codes)
    credentials = CredentialsEvidence(
        presence=credentials.presence, validation_state=credentials.validation_state,
        active_manifest=credentials.active_manifest, manifests=credentials.manifests,
        status_codes=credentials.status_codes + extra,
    )
    return Evidence(path="x.jpg", sha256="0" * 64, size=1, media_type="image/jpeg", credentials=credentials)


def capture_store(*extra_actions: dict) -> dict:  # type: ignore[type-arg]
    actions = [{"action": "c2pa.created", "digitalSourceType": IPTC + "digitalCapture"}, *extra_actions]
    return {"active_manifest": "m", "manifests": {"m": {
        "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": actions}}],
        "signature_info": {"issuer": "Studio CA", "common_name": "Studio"}}}}


TRUSTED = [("signingCredential.trusted", "success")]


def test_trusted_capture_with_ordinary_edits_is_compliant() -> None:
    verdict = evaluate(evidence_from_store(capture_store({"action": "c2pa.cropped"}), TRUSTED), default_policy())
    assert verdict.status is Status.COMPLIANT and verdict.reasons == ()
    assert verdict.signer == "Studio (Studio CA)"


def test_untrusted_signer_is_indeterminate() -> None:
    verdict = evaluate(evidence_from_store(capture_store(), [("signingCredential.untrusted", "failure")]),
                       default_policy())
    assert verdict.status is Status.INDETERMINATE
    assert verdict.reasons == (Reason.CREDENTIALS_UNTRUSTED,)


def test_policy_may_waive_the_trust_requirement() -> None:
    text = default_policy().text.replace("require_trusted_signer = true", "require_trusted_signer = false")
    policy = parse_policy(text.encode())
    assert evaluate(evidence_from_store(capture_store()), policy).status is Status.COMPLIANT


def test_generative_wins_even_in_an_invalid_manifest() -> None:
    """Charter: a declaration of generative AI is believed against its author."""
    store = capture_store({"action": "c2pa.edited", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"})
    verdict = evaluate(evidence_from_store(store, [("assertion.dataHash.mismatch", "failure")]), default_policy())
    assert verdict.status is Status.NON_COMPLIANT
    assert verdict.reasons[0] is Reason.GENERATIVE_AI
    assert Reason.CREDENTIALS_INVALID in verdict.reasons


def test_integrity_failure_is_credentials_invalid_not_untrusted() -> None:
    verdict = evaluate(evidence_from_store(capture_store(), [("assertion.dataHash.mismatch", "failure")]),
                       default_policy())
    assert verdict.reasons == (Reason.CREDENTIALS_INVALID,)


def test_identity_codes_are_warnings_only() -> None:
    """Charter: cawg.ica.did_unavailable is a warning, no reason (example-assets cloudscape-ACA-Cr)."""
    verdict = evaluate(evidence_from_store(capture_store(), [*TRUSTED, ("cawg.ica.did_unavailable", "failure")]),
                       default_policy())
    assert verdict.status is Status.COMPLIANT
    assert any("cawg.ica.did_unavailable" in w for w in verdict.warnings)


def test_review_action_makes_indeterminate() -> None:
    store = capture_store({"action": "com.example.magic_enhance"})
    verdict = evaluate(evidence_from_store(store, TRUSTED), default_policy())
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (Reason.REVIEW_REQUIRED,)
    (vendor,) = [f for f in verdict.findings if f.category is Category.VENDOR_ACTION]
    assert vendor.location.assertion == "c2pa.actions.v2" and vendor.location.index == 1
    assert vendor.rule == "charter.review.vendor-action"


def test_studio_policy_forbidding_a_non_generative_category() -> None:
    text = default_policy().text.replace(
        'id = "charter.review.external-content"\ncategory = "external_content"\ndecision = "review"',
        'id = "studio.no-external"\ncategory = "external_content"\ndecision = "forbidden"')
    policy = parse_policy(text.encode())
    store = capture_store({"action": "c2pa.edited", "parameters": {"com.adobe.tool": "sky_replacement"}})
    verdict = evaluate(evidence_from_store(store, TRUSTED), policy)
    assert verdict.status is Status.NON_COMPLIANT and verdict.reasons == (Reason.FORBIDDEN_EDIT,)


@pytest.mark.parametrize(("presence", "reason"), [
    (CredentialsPresence.ABSENT, Reason.NO_CREDENTIALS),
    (CredentialsPresence.REMOTE, Reason.CREDENTIALS_UNAVAILABLE),
    (CredentialsPresence.REFUSED, Reason.CREDENTIALS_INVALID),
])
def test_credential_presence_reasons(presence: CredentialsPresence, reason: Reason) -> None:
    evidence = Evidence(path="x", sha256="0", size=1, media_type="image/jpeg",
                        credentials=CredentialsEvidence(presence=presence, reader_error="Other: unknown algorithm",
                                                        remote_url="https://example.invalid/m"))
    verdict = evaluate(evidence, default_policy())
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (reason,)


@pytest.mark.parametrize("value", ["[" * 100_000 + "]" * 100_000, "{a=" * 5_000 + "1" + "}" * 5_000])
def test_a_policy_nested_too_deeply_is_a_policy_error_not_a_crash(value: str, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """tomllib recursed until RecursionError: `audit --policy` ended in an internal error (exit 4)."""
    from conftest import SAMPLE_DELIVERY, run_cli

    data = f"x = {value}\n".encode()
    with pytest.raises(PolicyError, match="its arrays or inline tables nest too deeply"):
        parse_policy(data, "deep.toml")
    policy = tmp_path / "deep.toml"
    policy.write_bytes(data)
    code, out, err = run_cli(["audit", str(SAMPLE_DELIVERY / "01-capture-edited.jpg"), "--policy", str(policy)], capsys)
    assert (code, out) == (2, "") and "nest too deeply" in err and "internal error" not in err
