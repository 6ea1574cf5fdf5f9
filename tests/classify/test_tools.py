"""The Photoshop / Lightroom tool table (issue #11, item 2): every identifier with the action and
parameter key real builds record it under, exact matching, unknown tools, and the real manifests."""

from __future__ import annotations

import pytest
from conftest import shared_path

from provenance.classify import classify_action
from provenance.classify._tools import DESCRIPTIONS, TOOL_KEYS, TOOL_ROWS, tool_in
from provenance.model import ActionRecord, Category, Location

# (identifier as recorded, action label it was recorded on, parameter key, expected category)
RECORDED: list[tuple[str, str, str, Category]] = [
    # Photoshop 2023+ (com.adobe.tool): LEG/gen-fill.jpg, c2pa-actions-1.2.png, t3.jpg, car-es-Ps-Cr.jpg
    ("generative_fill", "c2pa.edited", "com.adobe.tool", Category.GENERATIVE),
    ("generative_expand", "c2pa.edited", "com.adobe.tool", Category.GENERATIVE),
    ("generate_background", "c2pa.edited", "com.adobe.tool", Category.GENERATIVE),
    ("brush_tool", "c2pa.drawing", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("rectangle_tool", "c2pa.drawing", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("blur_tool", "c2pa.filtered", "com.adobe.tool", Category.PRESET_COLOUR),  # the label decides an ordinary tool
    ("rotate_canvas", "c2pa.orientation", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("crop", "c2pa.cropped", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("image_size", "c2pa.resized", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("canvas_size", "c2pa.resized", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("camera_raw_filter", "c2pa.color_adjustments", "com.adobe.tool", Category.EXPOSURE),
    ("place_embedded_smart_object", "c2pa.edited", "com.adobe.tool", Category.EXTERNAL_CONTENT),
    ("place_linked_smart_object", "c2pa.edited", "com.adobe.tool", Category.EXTERNAL_CONTENT),
    ("remove_tool", "c2pa.edited", "com.adobe.tool", Category.UNKNOWN),
    ("neural_filters", "c2pa.edited", "com.adobe.tool", Category.UNKNOWN),
    # Photoshop 2022 Content Credentials beta (parameters.name): verify.jpeg, Sunset.jpg
    ("open", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("new", "c2pa.edited", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("sky_replacement", "c2pa.edited", "name", Category.EXTERNAL_CONTENT),
    ("place_image", "c2pa.edited", "name", Category.EXTERNAL_CONTENT),
    ("content-aware_fill", "c2pa.edited", "name", Category.CONTENT_AWARE_FILL),
    ("add_layer_mask", "c2pa.edited", "name", Category.SMART_SELECTION),
    ("enable_layer_mask", "c2pa.edited", "name", Category.SMART_SELECTION),
    ("free_transform", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("layer_style", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("layer_visibility", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("blending_change", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("master_opacity_change", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("move", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("new_color_lookup_layer", "c2pa.edited", "name", Category.PRESET_COLOUR),
    ("modify_color_lookup_layer", "c2pa.edited", "name", Category.PRESET_COLOUR),
    ("convert_to_smart_object", "c2pa.edited", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("new_type_layer", "c2pa.edited", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("add_video_layer", "c2pa.edited", "com.adobe.tool", Category.ORDINARY_EDIT),
    # the identifiers issue #11 lists
    ("select_and_mask", "c2pa.edited", "com.adobe.tool", Category.SMART_SELECTION),
    ("select_subject", "c2pa.edited", "com.adobe.tool", Category.SMART_SELECTION),
    ("select_sky", "c2pa.edited", "com.adobe.tool", Category.SMART_SELECTION),
    ("object_selection", "c2pa.edited", "com.adobe.tool", Category.SMART_SELECTION),
    ("quick_selection", "c2pa.edited", "com.adobe.tool", Category.SMART_SELECTION),
    ("magic_wand", "c2pa.edited", "com.adobe.tool", Category.SMART_SELECTION),
    ("content_aware_fill", "c2pa.edited", "com.adobe.tool", Category.CONTENT_AWARE_FILL),
    ("spot_healing_brush", "c2pa.edited", "com.adobe.tool", Category.CONTENT_AWARE_FILL),
    ("healing_brush", "c2pa.edited", "com.adobe.tool", Category.CONTENT_AWARE_FILL),
    ("clone_stamp", "c2pa.edited", "com.adobe.tool", Category.CONTENT_AWARE_FILL),
    ("patch_tool", "c2pa.edited", "com.adobe.tool", Category.CONTENT_AWARE_FILL),
    ("paint_bucket", "c2pa.edited", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("gaussian_blur", "c2pa.edited", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("levels", "c2pa.edited", "com.adobe.tool", Category.EXPOSURE),
    ("curves", "c2pa.edited", "com.adobe.tool", Category.EXPOSURE),
    ("color_lookup", "c2pa.edited", "com.adobe.tool", Category.PRESET_COLOUR),
    ("transform", "c2pa.edited", "com.adobe.tool", Category.ORDINARY_EDIT),
    ("text", "c2pa.edited", "com.adobe.tool", Category.ORDINARY_EDIT),
    # make_test_images (public-testfiles chains) and the c2pa-rs unit test
    ("brightnesscontrast", "c2pa.color_adjustments", "name", Category.EXPOSURE),
    ("gradient", "c2pa.drawing", "name", Category.ORDINARY_EDIT),
    ("import", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("resize", "c2pa.edited", "name", Category.ORDINARY_EDIT),
    ("gaussian blur", "c2pa.filtered", "name", Category.PRESET_COLOUR),
    # Lightroom / Camera Raw (com.adobe.acr): crater-lake-cr, TBRAY, 3P:66635219342
    ("Exposure2012", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Contrast2012", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Highlights2012", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Shadows2012", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Whites2012", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Blacks2012", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Temperature", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Point Curve", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("ParametricShadowSplit", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Sharpness", "c2pa.color_adjustments", "com.adobe.acr", Category.ORDINARY_EDIT),
    ("Crop", "c2pa.cropped", "com.adobe.acr", Category.ORDINARY_EDIT),
    ("Upright", "c2pa.resized", "com.adobe.acr", Category.STRAIGHTENING),
    ("Warp", "c2pa.resized", "com.adobe.acr", Category.STRAIGHTENING),
    ("PerspectiveUpright", "c2pa.color_adjustments", "com.adobe.acr", Category.STRAIGHTENING),
    ("Masking", "c2pa.drawing", "com.adobe.acr", Category.SMART_SELECTION),
    ("Preset", "c2pa.filtered", "com.adobe.acr", Category.PRESET_COLOUR),
    ("ColorGradeMidtoneLum", "c2pa.color_adjustments", "com.adobe.acr", Category.PRESET_COLOUR),
    ("HueAdjustmentRed", "c2pa.color_adjustments", "com.adobe.acr", Category.PRESET_COLOUR),
    ("SaturationAdjustmentBlue", "c2pa.color_adjustments", "com.adobe.acr", Category.PRESET_COLOUR),
    ("Vibrance", "c2pa.color_adjustments", "com.adobe.acr", Category.PRESET_COLOUR),
    ("EnhanceDenoise", "c2pa.edited", "com.adobe.acr", Category.AI_ENHANCEMENT),
    ("Denoise", "c2pa.edited", "name", Category.AI_ENHANCEMENT),
    ("Super Resolution", "c2pa.edited", "name", Category.AI_ENHANCEMENT),
    ("Raw Details", "c2pa.edited", "name", Category.AI_ENHANCEMENT),
    ("EnhanceSuperResolution", "c2pa.edited", "com.adobe.acr", Category.AI_ENHANCEMENT),
    ("EnhanceDetails", "c2pa.edited", "com.adobe.acr", Category.AI_ENHANCEMENT),
    # crs property names Lightroom would write in com.adobe.acr (ET XMP.pm), as it does for Exposure2012
    ("Look", "c2pa.color_adjustments", "com.adobe.acr", Category.PRESET_COLOUR),
    ("CameraProfile", "c2pa.color_adjustments", "com.adobe.acr", Category.PRESET_COLOUR),
    ("Saturation", "c2pa.color_adjustments", "com.adobe.acr", Category.PRESET_COLOUR),
    ("Tint", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("WhiteBalance", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Clarity2012", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Dehaze", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
    ("Texture", "c2pa.color_adjustments", "com.adobe.acr", Category.EXPOSURE),
]


def make(label: str, **parameters: str) -> ActionRecord:
    return ActionRecord(action=label, location=Location(manifest="m", assertion="c2pa.actions.v2", index=0),
                        parameters=parameters)


def category_of(record: ActionRecord) -> list[tuple[Category, str]]:
    return [(c.category, c.row) for c in classify_action(record)]


@pytest.mark.parametrize(("name", "label", "key", "expected"), RECORDED, ids=[r[0] for r in RECORDED])
def test_recorded_identifier(name: str, label: str, key: str, expected: Category) -> None:
    [(category, _)] = category_of(make(label, **{key: name}))
    assert category is expected


def test_every_row_and_every_name_is_tested() -> None:
    tested = {"_".join(name.lower().split()) for name, _, _, _ in RECORDED}
    for row in TOOL_ROWS:
        assert row.source.strip() and row.reason.strip(), row.id
        assert row.names <= tested, (row.id, sorted(row.names - tested))
        if row.family is not None:
            assert any(row.family.match(name) for name in tested), row.id
    ids = [row.id for row in TOOL_ROWS]
    assert len(ids) == len(set(ids))


def test_names_are_exact_not_substrings() -> None:
    # The old patterns matched any name containing "crop", "mask", "clone", "brightness"...
    for name in ("crop_and_generate", "clone_stamp_ai", "select_subject_and_fill", "brightnessdeadbeef",
                 "masked_generative", "levels_of_detail", "text_to_image_v2"):
        [found] = classify_action(make("c2pa.edited", **{"com.adobe.tool": name}))
        assert (found.category, found.row) == (Category.UNKNOWN, "tool.unknown"), name
        assert found.reason == f"an unknown tool: {name} (com.adobe.tool)"


def test_case_and_spaces() -> None:
    assert tool_in({"name": "Gaussian Blur"}).row.id == "tool.filter"  # type: ignore[union-attr]
    assert tool_in({"com.adobe.tool": " CROP "}).row.id == "tool.geometry"  # type: ignore[union-attr]


def test_names_no_tool_only_when_none_is_named() -> None:
    [found] = classify_action(make("c2pa.edited"))
    assert (found.category, found.row) == (Category.UNDECLARED_SOURCE, "edited.no_tool")
    assert "names no tool" in found.reason
    # An empty com.adobe.tool (Photoshop on c2pa.unknown) names none.
    assert tool_in({"com.adobe.tool": ""}) is None
    [found] = classify_action(make("c2pa.edited", **{"com.adobe.tool": "", "name": "layer_style"}))
    assert found.row == "tool.layers"
    [found] = classify_action(make("c2pa.edited", name="some_new_tool_2026"))
    assert (found.category, found.reason) == (Category.UNKNOWN, "an unknown tool: some_new_tool_2026 (name)")


def test_keys_are_read_in_order() -> None:
    assert TOOL_KEYS == ("com.adobe.tool", "name", "com.adobe.acr")
    found = tool_in({"com.adobe.tool": "crop", "name": "sky_replacement"})
    assert found is not None and found.key == "com.adobe.tool" and found.row and found.row.id == "tool.geometry"


def test_unknown_tool_on_a_label_with_a_meaning_still_needs_review() -> None:
    [found] = classify_action(make("c2pa.cropped", name='{"left": 0, "right": 2000}'))  # c2pa-rs update_manifest
    assert found.category is Category.UNKNOWN


@pytest.mark.parametrize(("description", "expected"), sorted(DESCRIPTIONS.items()))
def test_photoshop_descriptions_without_a_tool_key(description: str, expected: Category) -> None:
    record = ActionRecord(action="c2pa.edited", location=Location(), description=description.capitalize())
    [found] = classify_action(record)
    assert (found.category, found.row) == (expected, "tool.description")


# --------------------------------------------------------------------------------------
# The real manifests the identifiers come from (../shared)
# --------------------------------------------------------------------------------------

REAL_FILES = {
    "c2pa-rs/verify.jpeg": {"tool.document", "tool.sky_replacement", "tool.place", "tool.content_aware",
                            "tool.layer_mask", "tool.geometry", "tool.layers", "tool.color_lookup", "tool.painting"},
    "cai-opensource-docs/Sunset.jpg": {"tool.document", "tool.geometry", "tool.layers", "tool.sky_replacement"},
}


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_photoshop_2022_beta_names_every_tool(name: str) -> None:
    from provenance.evidence import read_evidence

    evidence = read_evidence(shared_path("fixtures", "public", *name.split("/")))
    edited = [a for m in evidence.credentials.manifests for a in m.actions if a.action == "c2pa.edited"]
    rows = {c.row for a in edited for c in classify_action(a)}
    assert rows == REAL_FILES[name]  # no "names no tool", no unknown tool


def test_no_unknown_tool_in_real_adobe_manifests() -> None:
    from provenance.evidence import read_evidence

    root = shared_path("fixtures", "public")
    for name in ("c2pa-js-legacy/c2pa-actions-1.2.png", "truepic-lensverify/t3.jpg", "example-assets/car-es-Ps-Cr.jpg",
                 "c2pa-rs/ocsp_with_assertion.jpg", "public-testfiles/adobe-20220124-CA.jpg"):
        evidence = read_evidence(root.joinpath(*name.split("/")))
        rows = [c.row for m in evidence.credentials.manifests for a in m.actions for c in classify_action(a)]
        assert rows and "tool.unknown" not in rows and "edited.no_tool" not in rows, name
