"""The validation status table (issue #9 item 3): every code explicit, looked up by exact name."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED

from provenance.classify import STATUS_TABLE, StatusEffect, StatusSubject, classify_status_code
from provenance.model import StatusKind

INV, UNTR, WARN, OK = StatusEffect.INVALID, StatusEffect.UNTRUSTED, StatusEffect.WARNING, StatusEffect.OK


@pytest.mark.parametrize(("code", "effect"), [
    # charter "Decision tables": credentials_invalid
    ("assertion.dataHash.mismatch", INV), ("claimSignature.mismatch", INV), ("claimSignature.missing", INV),
    ("assertion.hashedURI.mismatch", INV), ("assertion.bmffHash.mismatch", INV), ("assertion.boxesHash.mismatch", INV),
    ("assertion.missing", INV), ("assertion.json.invalid", INV), ("assertion.cbor.invalid", INV),
    ("assertion.action.malformed", INV), ("ingredient.manifest.missing", INV), ("ingredient.manifest.mismatch", INV),
    ("ingredient.claimSignature.missing", INV), ("ingredient.claimSignature.mismatch", INV),
    ("timeStamp.mismatch", INV), ("timeStamp.malformed", INV), ("algorithm.unsupported", INV), ("general.error", INV),
    ("cawg.x509.signature.mismatch", INV), ("cawg.ica.signer_payload.mismatch", INV),
    # charter: credentials_untrusted
    ("signingCredential.untrusted", UNTR), ("signingCredential.invalid", UNTR), ("signingCredential.expired", UNTR),
    ("signingCredential.ocsp.revoked", UNTR), ("claimSignature.outsideValidity", UNTR),
    # charter: warnings
    ("cawg.x509.credential.untrusted", WARN), ("cawg.ica.did_unavailable", WARN), ("cawg.ica.untrusted_issuer", WARN),
    ("timeStamp.untrusted", WARN), ("signingCredential.ocsp.inaccessible", WARN), ("signingCredential.ocsp.unknown", WARN),
    # expected offline, and successes
    ("signingCredential.ocsp.skipped", OK), ("signingCredential.trusted", OK), ("timeStamp.trusted", OK),
])
def test_charter_codes_have_their_effect(code: str, effect: StatusEffect) -> None:
    row = classify_status_code(code, "failure")
    assert row.known and row.effect is effect and row.source


def test_charter_wildcards_are_expanded_into_rows() -> None:
    """``claim.*`` and ``manifest.*`` failures are each a row, all credentials_invalid."""
    claim = {c for c in STATUS_TABLE if c.startswith("claim.")}
    manifest = {c for c in STATUS_TABLE if c.startswith("manifest.") and STATUS_TABLE[c].kind is StatusKind.FAILURE}
    assert {"claim.malformed", "claim.missing", "claim.multiple", "claim.hardBindings.missing",
            "claim.required.missing", "claim.cbor.invalid"} <= claim
    assert {"manifest.inaccessible", "manifest.multipleParents", "manifest.update.invalid",
            "manifest.update.wrongParents", "manifest.timestamp.invalid", "manifest.compressed.invalid"} <= manifest
    assert all(STATUS_TABLE[c].effect is INV for c in claim | manifest)


def test_identity_signature_mismatch_is_invalid() -> None:
    """Regression (issue #9): ``cawg.ica.signature_mismatch`` does not end in ``.mismatch`` and slipped through."""
    row = classify_status_code("cawg.ica.signature_mismatch", "failure")
    assert row.known and row.subject is StatusSubject.IDENTITY and row.effect is INV


@pytest.mark.parametrize(("code", "kind", "effect"), [
    ("some.future.failure", "failure", INV),
    ("cawg.ica.some_new_check", "informational", WARN),    # no "cawg." prefix rule
    ("assertion.newHash.mismatch", "informational", WARN),  # no ".mismatch" suffix rule
    ("assertion.newHash.match", "success", OK),
    ("anything", "not-a-kind", INV),                         # a kind nobody knows is a failure
])
def test_unknown_codes_follow_their_kind_never_their_name(code: str, kind: str, effect: StatusEffect) -> None:
    row = classify_status_code(code, kind)
    assert not row.known and row.effect is effect


def test_known_codes_are_judged_by_code_whatever_list_they_were_filed_in() -> None:
    """c2pa-rs 0.91 files timeStamp.mismatch as informational; it is still a broken credential."""
    assert classify_status_code("timeStamp.mismatch", "informational").effect is INV
    assert classify_status_code("claimSignature.validated", "failure").effect is OK  # a legacy recorded list


def test_every_code_in_the_real_reader_dumps_is_in_the_table() -> None:
    """Every status code c2pa-rs reported for the shared reader dumps has an explicit row."""
    folder = SHARED / "fixtures" / "manifests" / "reader-dumps"
    if not folder.is_dir():
        pytest.skip(f"../shared is not available ({folder} missing)")
    seen: set[str] = set()

    def walk(node: object, inside: bool = False) -> None:
        if isinstance(node, dict):
            if inside and isinstance(node.get("code"), str):
                seen.add(node["code"])
            for key, value in node.items():
                walk(value, inside or key in ("validation_results", "validation_status"))
        elif isinstance(node, list):
            for value in node:
                walk(value, inside)

    for dump in sorted(folder.glob("*.json")):
        walk(json.loads(dump.read_text()))
    assert len(seen) > 10
    assert sorted(code for code in seen if code not in STATUS_TABLE) == []


def test_every_code_the_reader_reports_for_the_public_corpus_is_in_the_table(shared_trust) -> None:  # type: ignore[no-untyped-def]
    """c2pa-rs 0.91 on the real corpus: no code falls to the unknown-code rule."""
    from conftest import shared_path

    from provenance.audit import collect_inputs
    from provenance.evidence import read_evidence

    images = collect_inputs([shared_path("fixtures", "public"), shared_path("fixtures", "public-metadata")]).images
    codes = {s.code for path in images for s in read_evidence(path, shared_trust).credentials.status_codes}
    assert len(codes) > 20
    assert sorted(codes - set(STATUS_TABLE)) == []
