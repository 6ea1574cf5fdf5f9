"""Each C2PA classification rule, tested with the real signal that motivated it.

Values are the exact ones real tools wrote, as recorded in
``../shared/docs/c2pa-signals.md`` (source key in each test's docstring) or read
from the real manifest dumps in ``../shared/fixtures/manifests``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import load_reader_dump, shared_path

from provenance.classify import (
    classify_action,
    classify_credentials,
    normalise_digital_source_type,
)
from provenance.evidence import parse_manifest_store
from provenance.model import ActionRecord, Category, Location

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def action(label: str, **fields: Any) -> ActionRecord:
    return ActionRecord(action=label, location=Location(manifest="m", assertion="c2pa.actions.v2", index=0), **fields)


def categories(record: ActionRecord, **kwargs: Any) -> list[Category]:
    return [c.category for c in classify_action(record, **kwargs)]


def store(actions: list[dict[str, Any]], **data: Any) -> dict[str, Any]:
    """A minimal Reader.json()-shaped manifest store with one actions assertion."""
    return {
        "active_manifest": "urn:test",
        "manifests": {"urn:test": {
            "claim_generator": "test/1.0",
            "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": actions, **data}}],
            "signature_info": {"issuer": "Test CA", "common_name": "Test Signer"},
        }},
        "validation_state": "Trusted",
    }


# --- Generative signals -------------------------------------------------------------------

def test_photoshop_generative_fill_is_generative() -> None:
    """LEG/gen-fill.jpg: c2pa.placed, softwareAgent "Adobe Firefly", trainedAlgorithmicMedia,
    com.adobe.tool generative_fill. Every one of the three signals is reported."""
    record = action(
        "c2pa.placed",
        software_agent="Adobe Firefly",
        digital_source_type=IPTC + "trainedAlgorithmicMedia",
        parameters={"com.adobe.tool": "generative_fill", "description": "Added pre-existing content to this file"},
    )
    rows = {c.row for c in classify_action(record, placed_has_provenance=False)}
    assert rows == {"dst.trainedAlgorithmicMedia", "agent.generative_product", "tool.generative_fill"}


def test_generative_fill_tool_alone_is_generative() -> None:
    """LEG/gen-fill.jpg: com.adobe.tool generative_fill even without a source type."""
    assert categories(action("c2pa.placed", parameters={"com.adobe.tool": "generative_fill"})) == [Category.GENERATIVE]


def test_adobe_partner_model_dst_hidden_in_parameters() -> None:
    """LEGSEL / c2pa-js firefly_thirdparty_gemini.png: c2pa.opened with
    parameters."com.adobe.digitalSourceType" = trainedAlgorithmicMedia."""
    record = action("c2pa.opened", parameters={
        "com.adobe.digitalSourceType": IPTC + "trainedAlgorithmicMedia",
        "com.adobe.type": "remoteProvider.3rdParty",
    })
    (result,) = classify_action(record)
    assert result.category is Category.GENERATIVE
    assert result.row == "dst.trainedAlgorithmicMedia"
    assert "com.adobe.digitalSourceType" in result.reason


def test_firefly_operation_parameter() -> None:
    """PTF pdf/adobe-20240110: Firefly 2023 v1 form, parameters."firefly.operation": "text_to_image"."""
    record = action("c2pa.created", software_agent=None, parameters={"firefly.operation": "text_to_image"})
    assert Category.GENERATIVE in categories(record)


def test_google_ai_edit_in_camera_manifest() -> None:
    """CT-FIX/capture-proResZoom: a Pixel Camera manifest with c2pa.edited +
    compositeWithTrainedAlgorithmicMedia. Cameras are not whitelisted (trap 7)."""
    record = action("c2pa.edited", digital_source_type=IPTC + "compositeWithTrainedAlgorithmicMedia")
    assert categories(record) == [Category.GENERATIVE]


def test_gpt4o_software_agent_object() -> None:
    """EA/ChatGPT_Image: the ingredient's c2pa.created has softwareAgent {"name": "GPT-4o"}."""
    evidence = parse_manifest_store(load_reader_dump("ChatGPT_Image.png.reader.json"))
    agents = {a.software_agent for m in evidence.manifests for a in m.actions}
    assert "GPT-4o" in agents
    found = classify_credentials(evidence)
    generative = [c for c in found if c.category is Category.GENERATIVE]
    assert {c.row for c in generative} >= {"dst.trainedAlgorithmicMedia", "agent.generative_product"}
    # The signal sits in the ingredient's manifest, not the active one (trap 5a).
    assert all(c.location.manifest != evidence.active_manifest for c in generative if c.action)


def test_legacy_generative_ai_assertion() -> None:
    """LEG/firefly-1.jpg: assertion com.adobe.generative-ai {"description": "Adobe Firefly",
    "version": "1.0.0"}, and c2pa.created with no DST."""
    raw = store([{"action": "c2pa.created"}])
    raw["manifests"]["urn:test"]["assertions"].append(
        {"label": "com.adobe.generative-ai", "data": {"description": "Adobe Firefly", "version": "1.0.0"}}
    )
    found = classify_credentials(parse_manifest_store(raw))
    assert "assertion.com.adobe.generative-ai" in {c.row for c in found}


def test_firefly_inference_metadata() -> None:
    """LEG/genai-actions-v2.jpg: actions assertion metadata {"com.adobe.inference": true}."""
    raw = store([{"action": "c2pa.opened"}], metadata={"com.adobe.inference": True})
    found = classify_credentials(parse_manifest_store(raw))
    assert "metadata.com.adobe.inference" in {c.row for c in found}


def test_claim_generator_naming_firefly() -> None:
    """Charter 'Generative signals win' (the claim generator): Adobe_Firefly/1.0 c2pa-rs/0.17.0."""
    raw = store([{"action": "c2pa.created"}])
    raw["manifests"]["urn:test"]["claim_generator"] = "Adobe_Firefly/1.0 c2pa-rs/0.17.0"
    rows = {c.row for c in classify_credentials(parse_manifest_store(raw))}
    assert "claim_generator.generative_product" in rows


def test_photoshop_claim_generator_is_not_generative() -> None:
    """Photoshop signs ordinary and generative work alike: its name alone decides nothing."""
    raw = store([{"action": "c2pa.opened"}])
    raw["manifests"]["urn:test"]["claim_generator"] = "Adobe_Photoshop/26.11.0 adobe_c2pa/0.14.2 c2pa-rs/0.43.0"
    rows = {c.row for c in classify_credentials(parse_manifest_store(raw))}
    assert "claim_generator.generative_product" not in rows


def test_template_digital_source_type_is_applied() -> None:
    """SPEC22 §18.14.6 / trap 3: a template's digitalSourceType applies to actions of its label
    (the SDK passes templates through unmerged)."""
    raw = store(
        [{"action": "c2pa.edited", "parameters": {"name": "composite"}}],
        templates=[{"action": "c2pa.edited", "digitalSourceType": IPTC + "compositeSynthetic"}],
    )
    evidence = parse_manifest_store(raw)
    (record,) = evidence.manifests[0].actions
    assert record.template_digital_source_type == IPTC + "compositeSynthetic"
    assert categories(record) == [Category.GENERATIVE]


def test_wildcard_template() -> None:
    """SPEC22: since 2.2 a template may name "*" for every action."""
    raw = store([{"action": "c2pa.created"}], templates=[{"action": "*", "digitalSourceType": IPTC + "digitalCapture"}])
    (record,) = parse_manifest_store(raw).manifests[0].actions
    assert categories(record) == [Category.CAPTURE]


def test_software_agent_index() -> None:
    """Trap 2: actions.v2 may use softwareAgentIndex into softwareAgents (2.1+)."""
    raw = store([{"action": "c2pa.created", "softwareAgentIndex": 0}], softwareAgents=[{"name": "Adobe Firefly"}])
    (record,) = parse_manifest_store(raw).manifests[0].actions
    assert record.software_agent == "Adobe Firefly"
    assert Category.GENERATIVE in categories(record)


# --- Digital source types -------------------------------------------------------------------

@pytest.mark.parametrize(("value", "term"), [
    ("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", "trainedAlgorithmicMedia"),
    ("https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", "trainedAlgorithmicMedia"),
    (" http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", "digitalCapture"),  # c2pa-rs example
    ("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture/", "digitalCapture"),
    ("TRAINEDALGORITHMICMEDIA", "trainedAlgorithmicMedia"),
    ("c2pa.trainedAlgorithmicData", "trainedAlgorithmicData"),  # C2PA 2.0/2.1 bare string
    ("http://c2pa.org/digitalsourcetype/trainedAlgorithmicData", "trainedAlgorithmicData"),  # 2.2+
    ("", None),
])
def test_dst_spellings(value: str, term: str | None) -> None:
    """Trap 15: http and https, a leading space, bare terms in any case."""
    assert normalise_digital_source_type(value) == term


@pytest.mark.parametrize(("term", "expected"), [
    ("trainedAlgorithmicMedia", Category.GENERATIVE),
    ("compositeWithTrainedAlgorithmicMedia", Category.GENERATIVE),
    ("compositeSynthetic", Category.GENERATIVE),
    ("trainedAlgorithmicData", Category.GENERATIVE),
    ("digitalCapture", Category.CAPTURE),
    ("computationalCapture", Category.CAPTURE),
    ("compositeCapture", Category.CAPTURE),
    ("negativeFilm", Category.CAPTURE),
    ("humanEdits", Category.ORDINARY_EDIT),
    ("algorithmicallyEnhanced", Category.ORDINARY_EDIT),
    ("algorithmicMedia", Category.NON_PHOTOGRAPHIC_SOURCE),
    ("composite", Category.NON_PHOTOGRAPHIC_SOURCE),
    ("screenCapture", Category.NON_PHOTOGRAPHIC_SOURCE),
    ("somethingNew", Category.NON_PHOTOGRAPHIC_SOURCE),
])
def test_charter_dst_table_on_created(term: str, expected: Category) -> None:
    """Charter decision table: digitalSourceType values on c2pa.created."""
    assert categories(action("c2pa.created", digital_source_type=IPTC + term)) == [expected]


def test_google_visible_watermark_composite_needs_review() -> None:
    """CT-FIX/t2i-gemini: c2pa.edited "Added visible watermark" with DST composite -> review row."""
    record = action("c2pa.edited", digital_source_type=IPTC + "composite", description="Added visible watermark")
    assert categories(record) == [Category.NON_PHOTOGRAPHIC_SOURCE]


# --- Labels and tools -------------------------------------------------------------------------

def test_created_without_dst_is_undeclared() -> None:
    """public-testfiles adobe-20220124-C.jpg: c2pa.created with no digitalSourceType."""
    from provenance.evidence import read_evidence

    evidence = read_evidence(shared_path("fixtures", "public", "public-testfiles", "adobe-20220124-C.jpg"))
    active = evidence.credentials.active
    assert active is not None
    (created,) = [a for a in active.actions if a.action == "c2pa.created"]
    assert created.digital_source_type is None
    assert categories(created) == [Category.UNDECLARED_SOURCE]


def test_bare_edited_named_sky_replacement_is_external_content() -> None:
    """cai-opensource-docs/Sunset.jpg (Photoshop 23.3 beta): c2pa.edited, com.adobe.tool sky_replacement."""
    from provenance.evidence import read_evidence

    evidence = read_evidence(shared_path("fixtures", "public", "cai-opensource-docs", "Sunset.jpg"))
    edited = [a for m in evidence.credentials.manifests for a in m.actions if a.action == "c2pa.edited"]
    assert edited
    found = [c for a in edited for c in classify_action(a)]
    assert any(c.row == "tool.sky_replacement" and "sky_replacement" in (c.signal or "") for c in found)


def test_bare_edited_without_tool_is_undeclared() -> None:
    """Charter 'A bare c2pa.edited': naming no tool at all needs review."""
    assert categories(action("c2pa.edited")) == [Category.UNDECLARED_SOURCE]


@pytest.mark.parametrize(("parameters", "expected"), [
    ({"com.adobe.acr": "Exposure2012", "com.adobe.acr.value": "-21"}, Category.EXPOSURE),  # EA/crater-lake-cr
    ({"com.adobe.acr": "Point Curve", "com.adobe.acr.value": "Point Curve Changed"}, Category.EXPOSURE),
    ({"com.adobe.acr": "ColorGradeMidtoneLum"}, Category.PRESET_COLOUR),  # TBRAY / 3P:66635219342
    ({"com.adobe.acr": "Masking", "com.adobe.acr.value": "Masking changed"}, Category.SMART_SELECTION),
    ({"com.adobe.acr": "PerspectiveUpright", "com.adobe.acr.value": "1"}, Category.STRAIGHTENING),
    # make_test_images E-uri-CA.jpg (tampered name): exact identifiers only, so an unknown tool (issue #11)
    ({"name": "brightnessdeadbeef"}, Category.UNKNOWN),
    ({"name": "brightnesscontrast"}, Category.EXPOSURE),  # make_test_images CA.jpg
])
def test_lightroom_colour_adjustment_keys(parameters: dict[str, str], expected: Category) -> None:
    """c2pa.color_adjustments is split by the com.adobe.acr key Lightroom writes."""
    assert categories(action("c2pa.color_adjustments", parameters=parameters)) == [expected]


def test_lightroom_upright_under_resized() -> None:
    """3P:66635219342: Lightroom files Upright under c2pa.resized with com.adobe.acr "Upright"."""
    record = action("c2pa.resized", parameters={"com.adobe.acr": "Upright", "com.adobe.acr.value": "Changed Upright"})
    assert categories(record) == [Category.STRAIGHTENING]


def test_lightroom_preset_under_filtered() -> None:
    """3P:66635219342: c2pa.filtered with com.adobe.acr "Preset", value "None to PL02"."""
    record = action("c2pa.filtered", parameters={"com.adobe.acr": "Preset", "com.adobe.acr.value": "None to PL02"})
    assert categories(record) == [Category.PRESET_COLOUR]


def test_lightroom_masking_under_drawing() -> None:
    """TBRAY: Lightroom masks (incl. Select Sky/Subject) appear as c2pa.drawing "Masking"."""
    record = action("c2pa.drawing", parameters={"com.adobe.acr": "Masking", "com.adobe.acr.value": "Masking changed"})
    assert categories(record) == [Category.SMART_SELECTION]


@pytest.mark.parametrize("tool", ["content_aware_fill", "spot_healing_brush", "clone_stamp"])
def test_classic_content_aware_tools(tool: str) -> None:
    """Charter Allowed: classic Content-Aware Fill, Spot Healing, Clone (non-generative)."""
    assert categories(action("c2pa.edited", parameters={"com.adobe.tool": tool})) == [Category.CONTENT_AWARE_FILL]


def test_denoise_is_ai_enhancement() -> None:
    """Charter Undecided: Adobe Denoise synthesises detail -> its own category (review by default)."""
    assert categories(action("c2pa.edited", parameters={"name": "Denoise"})) == [Category.AI_ENHANCEMENT]


def test_photoshop_actions_of_c2pa_actions_png() -> None:
    """LEG/c2pa-actions-1.2.png (Photoshop 24.3): c2pa.unknown with com.adobe.tool "" is unknown;
    com.adobe.text is a vendor action; brush_tool drawing is ordinary."""
    assert categories(action("c2pa.unknown", parameters={"com.adobe.tool": ""})) == [Category.UNKNOWN]
    assert categories(action("com.adobe.text", parameters={"com.adobe.tool": "new_type_layer"})) == [
        Category.VENDOR_ACTION]
    assert categories(action("c2pa.drawing", parameters={"com.adobe.tool": "brush_tool"})) == [
        Category.ORDINARY_EDIT]


def test_adobe_stock_delivered_is_vendor_action() -> None:
    """PTF adobe-20221004-ukraine_building: custom action adobe.delivered."""
    assert categories(action("adobe.delivered")) == [Category.VENDOR_ACTION]


def test_placed_depends_on_component_provenance() -> None:
    """Charter 'Placed content': fine when the component's own provenance is known, review when not
    (public-testfiles CAI.jpg: placed component 'I.jpg' has no provenance)."""
    assert categories(action("c2pa.placed"), placed_has_provenance=False) == [Category.EXTERNAL_CONTENT]
    assert categories(action("c2pa.placed"), placed_has_provenance=True) == [Category.ORDINARY_EDIT]


def test_placed_link_is_resolved_in_real_store() -> None:
    """make_test_images CAI.jpg: the placed action links c2pa.ingredient__1, which has no manifest."""
    from provenance.evidence import read_evidence

    evidence = read_evidence(shared_path("fixtures", "public", "public-testfiles", "adobe-20220124-CAI.jpg"))
    rows = {c.row for c in classify_credentials(evidence.credentials)}
    assert "placed.no_provenance" in rows


def test_opened_file_without_provenance_is_undocumented_origin() -> None:
    """Charter 'Origin': Photoshop 26.11 opened a file without provenance (car-es-Ps-Cr.jpg)."""
    evidence = parse_manifest_store(load_reader_dump("car-es-Ps-Cr.jpg.reader.json"))
    found = classify_credentials(evidence)
    assert "origin.opened_without_provenance" in {c.row for c in found}
    assert Category.GENERATIVE not in {c.category for c in found}


def test_manifest_without_actions_is_undocumented_origin() -> None:
    """PTF nikon-20221019-building: an early camera manifest with no actions assertion."""
    evidence = parse_manifest_store(load_reader_dump("nikon-20221019-building.jpeg.reader.json"))
    assert evidence.active is not None and not evidence.active.has_actions_assertion
    assert [c.row for c in classify_credentials(evidence)] == ["origin.no_actions"]


def test_recorded_ingredient_failure_needs_review() -> None:
    """c2pa-rs CACAE-uri-CA.jpg: the writer recorded assertion.hashedURI.mismatch for an ingredient
    while today's store validates (charter: a failure only recorded -> review)."""
    from provenance.evidence import read_evidence

    evidence = read_evidence(shared_path("fixtures", "public", "c2pa-rs", "CACAE-uri-CA.jpg"))
    recorded = [c for c in classify_credentials(evidence.credentials) if c.category is Category.RECORDED_FAILURE]
    assert recorded and "assertion.hashedURI.mismatch" in (recorded[0].signal or "")


def test_v1_actions_shape_relabelled_by_reader() -> None:
    """Trap 1: the reader reports v1 c2pa.actions under c2pa.actions.v2; v1 softwareAgent is a string
    and description sits in parameters."""
    raw = store([{"action": "c2pa.created", "softwareAgent": "DALL·E",
                  "parameters": {"description": "AI Generated Image"}}])
    (record,) = parse_manifest_store(raw).manifests[0].actions
    assert record.software_agent == "DALL·E" and record.description == "AI Generated Image"
    assert Category.GENERATIVE in categories(record)


def test_ingredient_cycle_terminates() -> None:
    """A malformed store whose ingredients point at each other is walked once per manifest."""
    raw = store([{"action": "c2pa.opened"}])
    manifest = raw["manifests"]["urn:test"]
    manifest["ingredients"] = [{"title": "self", "relationship": "parentOf", "active_manifest": "urn:test"}]
    evidence = parse_manifest_store(raw)
    assert [m.label for m in evidence.manifests] == ["urn:test"]


def test_malformed_store_fields_are_tolerated() -> None:
    """Mistyped fields are left out, never guessed, never a crash."""
    raw = {"active_manifest": "a", "manifests": {"a": {"assertions": [
        {"label": "c2pa.actions.v2", "data": {"actions": [None, {"action": 3}, {"action": "c2pa.cropped"}]}},
        "not a dict", {"label": 5}], "ingredients": "nope", "signature_info": []}}}
    evidence = parse_manifest_store(json.loads(json.dumps(raw)))
    assert [a.action for a in evidence.manifests[0].actions] == ["(no action label)", "c2pa.cropped"]


@pytest.mark.parametrize(("agent", "generative"), [
    ("Imagen AI", False),        # charter Allowed: Imagen AI personal profiles trained on the studio's edits
    ("Google Imagen 3", True),   # Google's text-to-image model
    ("Adobe Photoshop 26.11.0", False),
    ("Image Creator from Designer", True),  # c2pa-signals A3 (Bing, 3P:69005138904)
])
def test_software_agent_product_names(agent: str, generative: bool) -> None:
    found = categories(action("c2pa.color_adjustments", software_agent=agent))
    assert (Category.GENERATIVE in found) is generative
