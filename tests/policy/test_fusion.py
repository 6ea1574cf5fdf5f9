"""Fusion of signed credentials and unsigned metadata, as policy (issue #4).

- a generative signal in metadata makes the image non-compliant, with or without a manifest;
- metadata showing only allowed edits is lower-assurance evidence: ``no_credentials`` by
  default, compliant (assurance ``metadata_only``) when the policy accepts unsigned evidence;
- metadata and manifest that disagree are flagged; the generative reading wins, otherwise review;
- AI enhancement needs review under the charter, and a studio policy may allow it.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, fixture_script

from provenance import audit, default_policy
from provenance.model import Assurance, Category, Decision
from provenance.policy import parse_policy
from provenance.verdict import Reason, Status

METADATA = FIXTURES / "metadata"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def _load_fixture_script() -> ModuleType:
    return fixture_script("make_fixtures")


@pytest.fixture(scope="module")
def signer():  # type: ignore[no-untyped-def]
    module = _load_fixture_script()
    pki = module.load_pki(FIXTURES / "pki")
    assert pki is not None
    return module, module.make_signer(pki)


def _sign(signer, source: bytes, actions: list[dict], out: Path) -> Path:  # type: ignore[no-untyped-def,type-arg]
    module, key = signer
    out.write_bytes(module.sign_jpeg(source, module.manifest_definition(out.name, actions), key))
    return out


def _policy(**trust: bool) -> object:
    text = default_policy().text
    for key, value in trust.items():
        text = text.replace(f"{key} = {str(not value).lower()}", f"{key} = {str(value).lower()}")
    return parse_policy(text.encode())


def test_generative_xmp_under_a_capture_manifest_is_forbidden_and_flagged(signer, tmp_path, test_trust) -> None:  # type: ignore[no-untyped-def]
    """The XMP says trainedAlgorithmicMedia, the signed manifest says digitalCapture."""
    source = (METADATA / "iptc-dst-trained-algorithmic-media.jpg").read_bytes()
    image = _sign(signer, source, [{"action": "c2pa.created", "digitalSourceType": IPTC + "digitalCapture"}],
                  tmp_path / "conflict.jpg")
    (verdict,) = audit([image], trust=test_trust).images
    assert verdict.status is Status.NON_COMPLIANT and verdict.reasons == (Reason.GENERATIVE_AI,)
    (conflict,) = [f for f in verdict.findings if f.code == "fusion.conflict"]
    assert "generative" in conflict.message and "capture" in conflict.message
    assert verdict.assurance is Assurance.SIGNED_CREDENTIALS


def test_non_generative_disagreement_needs_review(signer, tmp_path, test_trust) -> None:  # type: ignore[no-untyped-def]
    """The XMP says digitalCapture, the manifest says algorithmicMedia: neither generative -> review."""
    source = (METADATA / "iptc-dst-trained-algorithmic-media.jpg").read_bytes()
    source = source.replace(b"trainedAlgorithmicMedia", b"digitalCapture         ")  # same length, trimmed
    image = _sign(signer, source, [{"action": "c2pa.created", "digitalSourceType": IPTC + "algorithmicMedia"}],
                  tmp_path / "disagree.jpg")
    (verdict,) = audit([image], trust=test_trust).images
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (Reason.REVIEW_REQUIRED,)
    (conflict,) = [f for f in verdict.findings if f.code == "fusion.conflict"]
    assert conflict.category is Category.METADATA_CONFLICT and conflict.decision is Decision.REVIEW


def test_generative_metadata_without_a_manifest() -> None:
    (verdict,) = audit([METADATA / "sd-a1111-parameters.png"]).images
    assert verdict.status is Status.NON_COMPLIANT and verdict.reasons[0] is Reason.GENERATIVE_AI
    assert verdict.assurance is Assurance.METADATA_ONLY
    forbidden = [f for f in verdict.findings if f.decision is Decision.FORBIDDEN]
    assert forbidden and forbidden[0].location.field == "PNG tEXt parameters"


def test_allowed_metadata_alone_is_not_enough_by_default() -> None:
    (verdict,) = audit([METADATA / "lightroom-upright-look-subject-mask.jpg"]).images
    assert verdict.status is Status.INDETERMINATE and verdict.reasons == (Reason.NO_CREDENTIALS,)
    assert verdict.assurance is Assurance.METADATA_ONLY
    shown = {f.category for f in verdict.findings if f.code == "metadata.classified"}
    assert {Category.STRAIGHTENING, Category.PRESET_COLOUR, Category.SMART_SELECTION} <= shown


def test_a_policy_may_accept_unsigned_metadata() -> None:
    policy = _policy(accept_unsigned_metadata=True)
    (verdict,) = audit([METADATA / "lightroom-upright-look-subject-mask.jpg"], policy=policy).images  # type: ignore[arg-type]
    assert verdict.status is Status.COMPLIANT
    assert verdict.assurance is Assurance.METADATA_ONLY  # the verdict says how weak its evidence is


def test_denoise_needs_review_unless_the_studio_allows_it() -> None:
    (default,) = audit([METADATA / "lightroom-denoise.jpg"]).images
    assert Reason.REVIEW_REQUIRED in default.reasons
    assert any(f.category is Category.AI_ENHANCEMENT and f.decision is Decision.REVIEW for f in default.findings)
    text = default_policy().text.replace(
        'category = "ai_enhancement"\ndecision = "review"', 'category = "ai_enhancement"\ndecision = "allowed"'
    ).replace("accept_unsigned_metadata = false", "accept_unsigned_metadata = true")
    (studio,) = audit([METADATA / "lightroom-denoise.jpg"], policy=parse_policy(text.encode())).images
    assert studio.status is Status.COMPLIANT and studio.assurance is Assurance.METADATA_ONLY


def test_hostile_xmp_is_reported_not_expanded() -> None:
    (verdict,) = audit([METADATA / "xmp-billion-laughs.jpg"]).images
    # A refused packet is a part that could not be read: a blocking read problem (issue #9 item 1).
    assert verdict.reasons == (Reason.NO_CREDENTIALS, Reason.REVIEW_REQUIRED)
    refused = [finding for finding in verdict.findings if finding.code == "metadata.xmp_refused"]
    assert len(refused) == 1 and refused[0].decision is Decision.REVIEW
    assert "XMP refused" in refused[0].message
