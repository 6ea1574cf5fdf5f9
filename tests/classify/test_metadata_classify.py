"""Classifying metadata signals (issue #4): one test per table row with the value
that motivated it, DST spelling variants, the project's fixtures end to end, and
the real public files (``../shared/fixtures``, skipped when absent).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import fixture_script

from provenance.classify._metadata import (
    DIGITAL_SOURCE_TYPE_CATEGORIES,
    METADATA_RULES,
    classify_signal,
    generative_product_in,
    normalise_digital_source_type,
)
from provenance.classify._records import RECORD_FORMATS
from provenance.evidence.metadata import read_metadata
from provenance.model import Category, Container, Location, MetadataSignal, SignalKind

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
METADATA_FIXTURES = REPO / "fixtures" / "metadata"

K = SignalKind
SD_PARAMETERS = (
    "a lighthouse on a rocky coast at dusk, volumetric light, highly detailed\n"
    "Negative prompt: blurry, lowres, watermark\n"
    "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567890, "
    "Size: 512x512, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.10.1"
)
NOVELAI_COMMENT = ('{"prompt": "1girl, solo, very aesthetic, masterpiece, no text", "steps": 28, "height": 1216, '
                   '"width": 832, "scale": 5.0, "uncond_scale": 0.0, "cfg_rescale": 0.0, "seed": 2043807047, '
                   '"n_samples": 1, "noise_schedule": "karras", "uc": "lowres, bad anatomy"}')


def shared_dir(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared is not available ({path} missing): the public-file tests need it")
    return path


def signal(field: str, kind: SignalKind, value: str) -> MetadataSignal:
    """A signal from its display string (``"XMP a/b:c"``, ``"PNG tEXt parameters"``, ``"EXIF Software"``)."""
    label, _, rest = field.partition(" ")
    container = Container(label)
    part = None
    if match := re.search(r" \(part (\d+)\)$", rest):
        part, rest = int(match.group(1)), rest[: match.start()]
    if container is Container.PNG:
        chunk, _, name = rest.partition(" ")
        return MetadataSignal(container=container, name=name, kind=kind, value=value, namespace=chunk)
    if container is Container.XMP:
        path, _, name = rest.rpartition("/")
        return MetadataSignal(container=container, name=name, kind=kind, value=value, path=path or None, part=part)
    if match := re.search(r" \(in (\w+)\)$", rest):
        return MetadataSignal(container=container, name=rest[: match.start()], kind=kind, value=value,
                              path=match.group(1), part=part)
    return MetadataSignal(container=container, name=rest, kind=kind, value=value, part=part)


def classify_one(sig: MetadataSignal) -> tuple[Category, str] | None:
    found = classify_signal(sig)
    assert len(found) <= 1
    if not found:
        return None
    result = found[0]
    assert result.location == Location(field=sig.field)
    assert result.signal == sig.value
    assert result.source and result.reason
    return result.category, result.row


def classes_of(path: Path) -> list[tuple[str, Category, str]]:
    signals, _ = read_metadata(path.read_bytes(), None)
    return [(s.field, c.category, c.row) for s in signals for c in classify_signal(s)]


# --------------------------------------------------------------------------------------
# The table itself
# --------------------------------------------------------------------------------------

def test_rows_have_unique_ids_a_source_and_a_reason() -> None:
    ids = [rule.id for rule in METADATA_RULES]
    assert len(ids) == len(set(ids))
    for rule in METADATA_RULES:
        assert isinstance(rule.category, Category)
        assert rule.source.strip() and rule.reason.strip().endswith((".", ")")), rule.id
        assert rule.kinds or rule.containers or rule.properties or rule.record, rule.id


def test_every_charter_dst_term_has_its_own_row() -> None:
    rows = {rule.dst: rule for rule in METADATA_RULES if rule.dst}
    assert set(rows) == set(DIGITAL_SOURCE_TYPE_CATEGORIES)
    for term, rule in rows.items():
        assert rule.id == f"xmp.dst.{term}" and rule.category is DIGITAL_SOURCE_TYPE_CATEGORIES[term]


def test_charter_dst_decisions() -> None:
    # charter "Decision tables": forbidden / allowed / review.
    table = DIGITAL_SOURCE_TYPE_CATEGORIES
    for term in ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "compositeSynthetic",
                 "trainedAlgorithmicData"):
        assert table[term] is Category.GENERATIVE
    for term in ("digitalCapture", "computationalCapture", "compositeCapture", "negativeFilm", "positiveFilm",
                 "print"):
        assert table[term] is Category.CAPTURE
    for term in ("humanEdits", "minorHumanEdits", "algorithmicallyEnhanced"):
        assert table[term] is Category.ORDINARY_EDIT
    for term in ("algorithmicMedia", "composite", "digitalArt", "digitalCreation", "dataDrivenMedia",
                 "softwareImage", "virtualRecording", "screenCapture"):
        assert table[term] is Category.NON_PHOTOGRAPHIC_SOURCE


# --------------------------------------------------------------------------------------
# Digital source types, whatever their spelling (c2pa-signals trap 15)
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "term"),
    [
        ("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", "trainedAlgorithmicMedia"),
        ("https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", "trainedAlgorithmicMedia"),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia/", "trainedAlgorithmicMedia"),
        (" http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", "trainedAlgorithmicMedia"),
        ("trainedAlgorithmicMedia", "trainedAlgorithmicMedia"),
        ("TRAINEDALGORITHMICMEDIA", "trainedAlgorithmicMedia"),
        ("trainedalgorithmicmedia", "trainedAlgorithmicMedia"),
        ("HTTPS://CV.IPTC.ORG/NEWSCODES/DIGITALSOURCETYPE/COMPOSITEWITHTRAINEDALGORITHMICMEDIA",
         "compositeWithTrainedAlgorithmicMedia"),
        ("http://c2pa.org/digitalsourcetype/trainedAlgorithmicData", "trainedAlgorithmicData"),
        ("c2pa.trainedAlgorithmicData", "trainedAlgorithmicData"),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic", "compositeSynthetic"),
    ],
)
def test_generative_dst_spellings(value: str, term: str) -> None:
    assert normalise_digital_source_type(value) == term
    found = classify_signal(signal("XMP Iptc4xmpExt:DigitalSourceType", K.DIGITAL_SOURCE_TYPE, value))
    assert [(c.category, c.row, c.digital_source_type) for c in found] == [
        (Category.GENERATIVE, f"xmp.dst.{term}", term)]


@pytest.mark.parametrize(
    ("value", "category", "row"),
    [
        ("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", Category.CAPTURE, "xmp.dst.digitalCapture"),
        ("https://cv.iptc.org/newscodes/digitalsourcetype/computationalCapture/", Category.CAPTURE,
         "xmp.dst.computationalCapture"),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/humanEdits", Category.ORDINARY_EDIT, "xmp.dst.humanEdits"),
        ("minorHumanEdits", Category.ORDINARY_EDIT, "xmp.dst.minorHumanEdits"),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicallyEnhanced", Category.ORDINARY_EDIT,
         "xmp.dst.algorithmicallyEnhanced"),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/screenCapture", Category.NON_PHOTOGRAPHIC_SOURCE,
         "xmp.dst.screenCapture"),
        ("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation", Category.NON_PHOTOGRAPHIC_SOURCE,
         "xmp.dst.digitalCreation"),
        ("http://example.org/vocabulary/somethingNew", Category.NON_PHOTOGRAPHIC_SOURCE, "xmp.dst.other"),
    ],
)
def test_other_dst_values(value: str, category: Category, row: str) -> None:
    assert classify_one(signal("XMP Iptc4xmpExt:DigitalSourceType", K.DIGITAL_SOURCE_TYPE, value)) == (category, row)


def test_dst_in_a_pantry_ingredient_counts() -> None:
    sig = signal("XMP xmpMM:Pantry[2]/Iptc4xmpExt:DigitalSourceType", K.DIGITAL_SOURCE_TYPE,
                 "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")
    assert classify_one(sig) == (Category.GENERATIVE, "xmp.dst.trainedAlgorithmicMedia")


# --------------------------------------------------------------------------------------
# One test per row, with the value that motivated it
# --------------------------------------------------------------------------------------

ROW_CASES: list[tuple[MetadataSignal, tuple[Category, str] | None]] = [
    # IPTC AI-system fields (ET XMP2.pl l.773-777)
    (signal("XMP Iptc4xmpExt:AISystemUsed", K.AI_SYSTEM, "Imagen 3"), (Category.GENERATIVE, "xmp.ai_system")),
    (signal("XMP Iptc4xmpExt:AIPromptInformation", K.AI_SYSTEM, "a lighthouse at dusk"),
     (Category.GENERATIVE, "xmp.ai_system")),
    # credits
    (signal("XMP photoshop:Credit", K.CREDIT, "Made with Google AI"), (Category.GENERATIVE, "credit.google_ai")),
    (signal("XMP photoshop:Credit", K.CREDIT, "Edited with Google AI"), (Category.GENERATIVE, "credit.google_ai")),
    (signal("XMP photoshop:Credit", K.CREDIT, "Apple Photos Clean Up"),
     (Category.GENERATIVE, "credit.apple_clean_up")),
    (signal("IPTC Credit", K.CREDIT, "Apple Photos Clean Up"), (Category.GENERATIVE, "credit.apple_clean_up")),
    (signal("XMP photoshop:Credit", K.CREDIT, "Created with Midjourney"),
     (Category.GENERATIVE, "credit.generative_product")),
    (signal("XMP photoshop:Credit", K.CREDIT, "Jane Doe Photography"), None),
    # remote manifest
    (signal("XMP dcterms:provenance", K.REMOTE_MANIFEST,
            "https://cai-manifests.adobe.com/manifests/urn-uuid-3ad678ce-1d4e-4d8b-9b0c-6a5c1f8e1c2a"),
     (Category.UNKNOWN, "xmp.remote_manifest")),
    (signal("XMP dcterms:provenance", K.REMOTE_MANIFEST,
            "self#jumbf=/c2pa/adobe:urn:uuid:5f5bba8c-9184-44c6-b9a7-62cfda37b343/c2pa.claim"), None),
    # generator records
    (signal("PNG tEXt parameters", K.GENERATOR_RECORD,
            '{\n  "sui_image_params": {\n    "prompt": "a lighthouse", "seed": 2083100758}}'),
     (Category.GENERATIVE, "record.swarmui")),
    # a keyword generators use decides nothing alone: "fooocus" is a scheme name, not a record
    (signal("PNG tEXt fooocus_scheme", K.GENERATOR_RECORD, "fooocus"), None),
    (signal("PNG tEXt parameters", K.GENERATOR_RECORD, SD_PARAMETERS), (Category.GENERATIVE, "record.a1111")),
    (signal("PNG iTXt parameters", K.GENERATOR_RECORD, SD_PARAMETERS), (Category.GENERATIVE, "record.a1111")),
    (signal("PNG tEXt prompt", K.GENERATOR_RECORD,
            '{"3": {"class_type": "KSampler", "inputs": {"seed": 156680208700286, "steps": 20}}}'),
     (Category.GENERATIVE, "record.comfyui_api")),
    (signal("PNG tEXt workflow", K.GENERATOR_RECORD, '{"last_node_id": 9, "last_link_id": 9, "nodes": [], "links": []}'),
     (Category.GENERATIVE, "record.comfyui_workflow")),
    (signal("PNG iTXt invokeai_metadata", K.GENERATOR_RECORD,
            '{"generation_mode":"sdxl_txt2img","positive_prompt":"a lighthouse","cfg_scale":7.5}'),
     (Category.GENERATIVE, "record.invokeai")),
    (signal("PNG tEXt sd-metadata", K.GENERATOR_RECORD,
            '{"model": "stable diffusion", "model_weights": "stable-diffusion-1.5", "app_id": "invoke-ai/InvokeAI", '
            '"image": {"prompt": [{"prompt": "x", "weight": 1.0}], "steps": 50}}'),
     (Category.GENERATIVE, "record.invokeai")),
    (signal("PNG tEXt Dream", K.GENERATOR_RECORD, '"a lighthouse" -s 50 -S 42 -W 512 -H 512 -C 7.5 -A k_lms'),
     (Category.GENERATIVE, "record.invokeai_dream")),
    (signal("EXIF UserComment", K.DESCRIPTION, SD_PARAMETERS), (Category.GENERATIVE, "record.a1111")),
    (signal("EXIF UserComment (in IFD0)", K.DESCRIPTION, SD_PARAMETERS),
     (Category.GENERATIVE, "record.a1111")),
    (signal("EXIF UserComment", K.DESCRIPTION, "Steps: 30, Sampler: Euler a, CFG scale: 7"),
     (Category.GENERATIVE, "record.a1111")),
    (signal("PNG tEXt Comment", K.DESCRIPTION, NOVELAI_COMMENT), (Category.GENERATIVE, "record.novelai")),
    (signal("XMP dc:description", K.DESCRIPTION,
            "a lighthouse on a rocky coast at dusk --ar 3:2 --v 6.1 Job ID: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"),
     (Category.GENERATIVE, "record.midjourney")),
    (signal("XMP dc:description", K.DESCRIPTION, "Sunset over the harbour, shot on a Canon EOS R6"), None),
    (signal("EXIF UserComment", K.DESCRIPTION, "Steps to the lighthouse, photographed at dawn"), None),
    (signal("PNG tEXt Title", K.DESCRIPTION, "NovelAI generated image"),
     (Category.GENERATIVE, "png.label_generative_product")),
    (signal("PNG tEXt Title", K.DESCRIPTION, "Harbour at dusk"), None),
    (signal("PNG tEXt Generation time", K.DESCRIPTION, "2.9481947422027588e-05"), None),
    # Canva
    (signal("XMP packet", K.SOFTWARE, "the XMP packet mentions canva.com (Canva export)"),
     (Category.UNKNOWN, "xmp.canva")),
    # Photoshop history log
    (signal("XMP photoshop:History", K.HISTORY_EVENT, "Open\nRectangular Marquee\nGenerative Fill\nCrop"),
     (Category.GENERATIVE, "xmp.photoshop_history.generative")),
    (signal("XMP photoshop:History (part 3)", K.HISTORY_EVENT, "Generative Expand\nImage Size"),
     (Category.GENERATIVE, "xmp.photoshop_history.generative")),
    (signal("XMP photoshop:History", K.HISTORY_EVENT, "Open\nSky Replacement\nSave"),
     (Category.EXTERNAL_CONTENT, "xmp.photoshop_history.sky_replacement")),
    (signal("XMP photoshop:History", K.HISTORY_EVENT, "Open\nRemove Tool\nSave"),
     (Category.UNKNOWN, "xmp.photoshop_history.remove_tool")),
    (signal("XMP photoshop:History", K.HISTORY_EVENT, "Open\nContent-Aware Fill\nSpot Healing Brush\nSave"),
     (Category.CONTENT_AWARE_FILL, "xmp.photoshop_history.content_aware")),
    (signal("XMP photoshop:History", K.HISTORY_EVENT, "Open\nCurves\nLevels\nCrop\nSave"),
     (Category.ORDINARY_EDIT, "xmp.photoshop_history")),
    # xmpMM:History events
    (signal("XMP xmpMM:History[1]", K.HISTORY_EVENT, "created by Adobe Firefly at 2024-02-01T10:00:00Z"),
     (Category.GENERATIVE, "xmp.history.generative_product")),
    (signal("XMP xmpMM:History[2]", K.HISTORY_EVENT, "saved by Canva changed=/"),
     (Category.UNKNOWN, "xmp.history.mixed_editor")),
    (signal("XMP xmpMM:History[1]", K.HISTORY_EVENT,
            "saved by Adobe Photoshop 25.6 (Macintosh) changed=/ at 2024-04-18T14:09:50+02:00"),
     (Category.ORDINARY_EDIT, "xmp.history.toolchain")),
    (signal("XMP xmpMM:History[2]", K.HISTORY_EVENT,
            "derived (converted from image/x-canon-cr2 to image/dng, saved to new location)"),
     (Category.ORDINARY_EDIT, "xmp.history.toolchain")),
    # software names
    (signal("XMP xmp:CreatorTool", K.SOFTWARE, "Adobe Firefly"), (Category.GENERATIVE, "software.generative_product")),
    (signal("EXIF Software", K.SOFTWARE, "Midjourney"), (Category.GENERATIVE, "software.generative_product")),
    (signal("EXIF Software", K.SOFTWARE, "DALL·E 3"), (Category.GENERATIVE, "software.generative_product")),
    (signal("EXIF Software", K.SOFTWARE, "Fooocus v2.5.5"), (Category.GENERATIVE, "software.generative_product")),
    (signal("PNG tEXt Software", K.SOFTWARE, "NovelAI"), (Category.GENERATIVE, "software.generative_product")),
    (signal("PNG tEXt Source", K.SOFTWARE, "NovelAI Diffusion V4.5 4BDE2A90"),
     (Category.GENERATIVE, "software.generative_product")),
    (signal("EXIF Software", K.SOFTWARE, "ComfyUI"), (Category.GENERATIVE, "software.generative_product")),
    (signal("XMP xmp:CreatorTool", K.SOFTWARE, "Stable Diffusion XL"),
     (Category.GENERATIVE, "software.generative_product")),
    (signal("IPTC OriginatingProgram", K.SOFTWARE, "Google Gemini"),
     (Category.GENERATIVE, "software.generative_product")),
    (signal("XMP xmp:CreatorTool", K.SOFTWARE, "Canva"), (Category.UNKNOWN, "software.mixed_ai_editor")),
    (signal("EXIF Software", K.SOFTWARE, "Pixlr Editor"), (Category.UNKNOWN, "software.mixed_ai_editor")),
    (signal("EXIF Software", K.SOFTWARE, "Adobe Lightroom 5.3 (Macintosh)"),
     (Category.ORDINARY_EDIT, "software.toolchain")),
    (signal("XMP xmp:CreatorTool", K.SOFTWARE, "GIMP"), (Category.ORDINARY_EDIT, "software.toolchain")),
    (signal("EXIF Software", K.SOFTWARE, "17.3"), (Category.ORDINARY_EDIT, "software.toolchain")),
    # a UUID in Software is not a program's name (issue #11)
    (signal("EXIF Software", K.SOFTWARE, "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"),
     (Category.UNKNOWN, "software.not_a_name")),
    (signal("XMP xmp:CreatorTool", K.SOFTWARE, "9F86D081884C7D659A2FEAA0C55AD015"),
     (Category.UNKNOWN, "software.not_a_name")),
    (signal("EXIF Software", K.SOFTWARE, '{"app": "x", "build": 7}'), (Category.UNKNOWN, "software.not_a_name")),
    (signal("PNG tEXt Software", K.SOFTWARE, "line one\nline two"), (Category.UNKNOWN, "software.not_a_name")),
    (signal("EXIF Software", K.SOFTWARE, "Ver.T2.10.gb"), (Category.ORDINARY_EDIT, "software.toolchain")),
    # the charter allows tools trained only on the studio's own edits (Imagen AI personal profiles)
    (signal("EXIF Software", K.SOFTWARE, "Imagen AI"), (Category.ORDINARY_EDIT, "software.toolchain")),
    # develop settings
    (signal("XMP crs:RetouchAreas", K.DEVELOP_SETTING, "SpotType=heal_patchmatch fill_method=firefly (1 area)"),
     (Category.GENERATIVE, "xmp.crs.generative_remove")),
    (signal("XMP crs:RemoveAreas", K.DEVELOP_SETTING, "SpotType=heal_patchmatch fill_method=firefly (3 areas)"),
     (Category.GENERATIVE, "xmp.crs.generative_remove")),
    (signal("XMP crs:RetouchAreas", K.DEVELOP_SETTING,
            "SpotType=heal_patchmatch pm_clio_model_version=clio-erase-2.0 (1 area)"),
     (Category.GENERATIVE, "xmp.crs.generative_remove")),
    (signal("XMP crs:RetouchAreas", K.DEVELOP_SETTING, "SpotType=heal Method=gaussian (5 areas)"),
     (Category.CONTENT_AWARE_FILL, "xmp.crs.heal_clone")),
    (signal("XMP crs:RetouchAreas", K.DEVELOP_SETTING, "SpotType=clone (1 area)"),
     (Category.CONTENT_AWARE_FILL, "xmp.crs.heal_clone")),
    (signal("XMP crs:RetouchAreas", K.DEVELOP_SETTING, "SpotType=heal_patchmatch (2 areas)"),
     (Category.CONTENT_AWARE_FILL, "xmp.crs.heal_clone")),
    (signal("XMP crs:RetouchInfo", K.DEVELOP_SETTING, "SpotType=heal (1 area)"),
     (Category.CONTENT_AWARE_FILL, "xmp.crs.heal_clone")),
    (signal("XMP crs:RetouchAreas", K.DEVELOP_SETTING, "SpotType=heal_patchmatch fill_method=newmodel (1 area)"),
     (Category.UNKNOWN, "xmp.crs.retouch_other")),
    (signal("XMP crs:RetouchAreas", K.DEVELOP_SETTING, "SpotType=redeye (1 area)"),
     (Category.UNKNOWN, "xmp.crs.retouch_other")),
    (signal("XMP crs:PerspectiveUpright", K.DEVELOP_SETTING, "1"), (Category.STRAIGHTENING, "xmp.crs.upright")),
    (signal("XMP crs:PerspectiveUpright", K.DEVELOP_SETTING, "5"), (Category.STRAIGHTENING, "xmp.crs.upright")),
    (signal("XMP crs:PerspectiveUpright", K.DEVELOP_SETTING, "0"), None),
    (signal("XMP crs:AutoTone", K.DEVELOP_SETTING, "True"), (Category.EXPOSURE, "xmp.crs.auto_tone")),
    (signal("XMP crs:AutoTone", K.DEVELOP_SETTING, "False"), None),
    (signal("XMP crs:Exposure2012", K.DEVELOP_SETTING, "+0.35"), (Category.EXPOSURE, "xmp.crs.tone")),
    (signal("XMP crs:Whites2012", K.DEVELOP_SETTING, "+36"), (Category.EXPOSURE, "xmp.crs.tone")),
    (signal("XMP crs:WhiteBalance", K.DEVELOP_SETTING, "Auto (Temperature=5450, Tint=+4)"),
     (Category.EXPOSURE, "xmp.crs.white_balance")),
    (signal("XMP crs:CameraProfile", K.DEVELOP_SETTING, "Adobe Standard"), (Category.PRESET_COLOUR, "xmp.crs.profile")),
    (signal("XMP crs:Look", K.DEVELOP_SETTING, "Name=Adobe Landscape Amount=1"),
     (Category.PRESET_COLOUR, "xmp.crs.look")),
    (signal("XMP crs:PresetType", K.DEVELOP_SETTING, "Normal"), (Category.PRESET_COLOUR, "xmp.crs.preset")),
    (signal("XMP crs:Preset", K.DEVELOP_SETTING, "Name=Studio Warm 02"), (Category.PRESET_COLOUR, "xmp.crs.preset")),
    (signal("XMP crs:MaskGroupBasedCorrections[1]/crs:CorrectionMasks[1]", K.DEVELOP_SETTING,
            "What=Mask/Image MaskSubType=1 MaskName=Subject 1"), (Category.SMART_SELECTION, "xmp.crs.ai_mask")),
    (signal("XMP crs:MaskGroupBasedCorrections[2]/crs:CorrectionMasks[1]", K.DEVELOP_SETTING,
            "What=Mask/Image MaskSubType=2 MaskName=Sky 1"), (Category.SMART_SELECTION, "xmp.crs.ai_mask")),
    (signal("XMP crs:MaskGroupBasedCorrections[3]/crs:CorrectionMasks[1]", K.DEVELOP_SETTING,
            "What=Mask/Image MaskSubType=3 MaskSubCategoryID=5"), (Category.SMART_SELECTION, "xmp.crs.ai_mask")),
    (signal("XMP crs:PaintBasedCorrections[1]/crs:CorrectionMasks[1]", K.DEVELOP_SETTING, "What=Mask/Paint"),
     (Category.SMART_SELECTION, "xmp.crs.mask")),
    (signal("XMP aux:EnhanceDenoiseAlreadyApplied", K.DEVELOP_SETTING, "True"),
     (Category.AI_ENHANCEMENT, "xmp.aux.denoise")),
    (signal("XMP aux:EnhanceDenoiseLumaAmount", K.DEVELOP_SETTING, "50"), (Category.AI_ENHANCEMENT, "xmp.aux.denoise")),
    (signal("XMP aux:EnhanceDenoiseAlreadyApplied", K.DEVELOP_SETTING, "False"), None),
    (signal("XMP aux:EnhanceSuperResolutionScale", K.DEVELOP_SETTING, "2"),
     (Category.AI_ENHANCEMENT, "xmp.aux.super_resolution")),
    (signal("XMP aux:EnhanceDetailsAlreadyApplied", K.DEVELOP_SETTING, "True"),
     (Category.AI_ENHANCEMENT, "xmp.aux.raw_details")),
    (signal("XMP crs:LensBlur", K.DEVELOP_SETTING, "Active=true BlurAmount=50"),
     (Category.UNKNOWN, "xmp.crs.lens_blur")),
    (signal("XMP crs:LensBlur", K.DEVELOP_SETTING, "Active=false BlurAmount=50"), None),
    (signal("XMP crs:DepthBasedCorrections", K.DEVELOP_SETTING, "1 depth-based correction(s)"),
     (Category.UNKNOWN, "xmp.crs.depth")),
    # neutral information
    (signal("EXIF Make", K.CAMERA, "Apple"), None),
    (signal("EXIF Model", K.CAMERA, "iPhone 15 Pro"), None),
]


@pytest.mark.parametrize(("sig", "expected"), ROW_CASES, ids=[f"{s.field}={s.value[:30]}" for s, _ in ROW_CASES])
def test_row(sig: MetadataSignal, expected: tuple[Category, str] | None) -> None:
    assert classify_one(sig) == expected


def test_every_row_is_exercised() -> None:
    exercised = {expected[1] for _, expected in ROW_CASES if expected} | {
        f"xmp.dst.{term}" for term in DIGITAL_SOURCE_TYPE_CATEGORIES} | {"xmp.dst.other"} | {
        # every generator-record row has its own real-format sample in tests/classify/test_records.py
        f"record.{fmt.id}" for fmt in RECORD_FORMATS} | {"record.unreadable"}
    assert {rule.id for rule in METADATA_RULES} <= exercised


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("Adobe Firefly Image 3", "Adobe Firefly"),
        ("DALL-E 3", "DALL·E"),
        ("Leonardo.ai", "Leonardo.ai"),
        ("FLUX.1 [dev]", "FLUX"),
        ("gpt-image-1", "OpenAI image generation"),
        ("Adobe Photoshop 25.6 (Macintosh)", None),
        ("Capture One 23", None),
        ("Imagen AI", None),
        ("Canvas Draw", None),
    ],
)
def test_generative_product_names(text: str, product: str | None) -> None:
    assert generative_product_in(text) == product


# --------------------------------------------------------------------------------------
# The project's fixtures, end to end (read, then classify)
# --------------------------------------------------------------------------------------

FIXTURE_ROWS: dict[str, set[tuple[Category, str]]] = {
    "iptc-dst-trained-algorithmic-media.jpg": {(Category.GENERATIVE, "xmp.dst.trainedAlgorithmicMedia")},
    "iptc-ai-system.jpg": {(Category.GENERATIVE, "xmp.dst.trainedAlgorithmicMedia"),
                           (Category.GENERATIVE, "xmp.ai_system")},
    "google-ai-credit.jpg": {(Category.GENERATIVE, "credit.google_ai")},
    "midjourney-prompt-description.jpg": {(Category.GENERATIVE, "record.midjourney")},
    "sd-a1111-parameters.png": {(Category.GENERATIVE, "record.a1111")},
    "sd-a1111-usercomment.jpg": {(Category.GENERATIVE, "record.a1111")},
    "sd-usercomment-ifd0-le.jpg": {(Category.GENERATIVE, "record.a1111"),
                                   (Category.ORDINARY_EDIT, "software.toolchain")},
    "comfyui-prompt-workflow.png": {(Category.GENERATIVE, "record.comfyui_api"),
                                    (Category.GENERATIVE, "record.comfyui_workflow")},
    "lightroom-upright-look-subject-mask.jpg": {
        (Category.ORDINARY_EDIT, "software.toolchain"), (Category.ORDINARY_EDIT, "xmp.history.toolchain"),
        (Category.STRAIGHTENING, "xmp.crs.upright"), (Category.EXPOSURE, "xmp.crs.auto_tone"),
        (Category.EXPOSURE, "xmp.crs.tone"), (Category.PRESET_COLOUR, "xmp.crs.profile"),
        (Category.PRESET_COLOUR, "xmp.crs.look"), (Category.SMART_SELECTION, "xmp.crs.ai_mask"),
        (Category.SMART_SELECTION, "xmp.crs.mask"), (Category.CONTENT_AWARE_FILL, "xmp.crs.heal_clone")},
    "photoshop-generative-fill-history.jpg": {
        (Category.ORDINARY_EDIT, "software.toolchain"), (Category.ORDINARY_EDIT, "xmp.history.toolchain"),
        (Category.GENERATIVE, "xmp.photoshop_history.generative")},
    "lightroom-denoise.jpg": {(Category.ORDINARY_EDIT, "software.toolchain"),
                              (Category.ORDINARY_EDIT, "xmp.history.toolchain"),
                              (Category.AI_ENHANCEMENT, "xmp.aux.denoise")},
    "lightroom-generative-remove.jpg": {(Category.GENERATIVE, "xmp.crs.generative_remove"),
                                       (Category.CONTENT_AWARE_FILL, "xmp.crs.heal_clone")},
    "remote-manifest.jpg": {(Category.UNKNOWN, "xmp.remote_manifest")},
    "xmp-billion-laughs.jpg": set(),
    "xmp-external-entity.jpg": set(),
    "xmp-extended.jpg": {(Category.GENERATIVE, "xmp.dst.compositeWithTrainedAlgorithmicMedia")},
    "iptc-dst.webp": {(Category.GENERATIVE, "xmp.dst.trainedAlgorithmicMedia")},
    "iptc-dst.tif": {(Category.GENERATIVE, "xmp.dst.trainedAlgorithmicMedia"),
                     (Category.ORDINARY_EDIT, "software.toolchain")},
    "iptc-dst.avif": {(Category.GENERATIVE, "xmp.dst.trainedAlgorithmicMedia"),
                      (Category.ORDINARY_EDIT, "software.toolchain")},
    "png-ztxt-inflate-bomb.png": set(),
    "cai-2021-store.jpg": set(),
    "cai-2021-store.png": set(),
    "jumbf-other-label.jpg": set(),
    "stripped-manifest-pointer.jpg": set(),
}


def test_fixture_table_covers_every_fixture_file() -> None:
    on_disk = {path.name for path in METADATA_FIXTURES.iterdir() if path.name != "README.md"}
    assert on_disk == set(FIXTURE_ROWS)
    readme = (METADATA_FIXTURES / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in on_disk)


@pytest.mark.parametrize("name", sorted(FIXTURE_ROWS))
def test_fixture_classifications(name: str) -> None:
    found = {(category, row) for _, category, row in classes_of(METADATA_FIXTURES / name)}
    assert found == FIXTURE_ROWS[name]


def test_fixture_builder_reproduces_the_committed_files(tmp_path: Path) -> None:
    module = fixture_script("make_metadata_fixtures")
    module.build(tmp_path)
    for name in FIXTURE_ROWS:
        rebuilt = {(c, r) for _, c, r in classes_of(tmp_path / name)}
        assert rebuilt == FIXTURE_ROWS[name], name


# --------------------------------------------------------------------------------------
# Real public files (../shared)
# --------------------------------------------------------------------------------------

PUBLIC_METADATA_ROWS: dict[str, set[str]] = {
    "netsi-generativeAI/midjourney-surreal-cityscape.png": {"xmp.dst.trainedAlgorithmicMedia"},
    "sd-metadata/comfyui.png": {"record.comfyui_api", "record.comfyui_workflow"},
    "sd-metadata/forge.png": {"record.a1111"},
    "sd-metadata/invokeai.png": {"record.invokeai"},
    "sd-metadata/novelai-full.png": {"png.label_generative_product", "software.generative_product",
                                     "record.novelai"},
    "sd-metadata/sd-next.png": {"record.a1111"},
    "sd-metadata/sd-webui.jpg": {"record.a1111"},
    "sd-metadata/sd-webui.png": {"record.a1111"},
    "sd-metadata/swarmui.png": {"record.swarmui", "record.comfyui_api"},
}


def test_every_public_metadata_file_is_generative() -> None:
    root = shared_dir("fixtures", "public-metadata")
    catalog = json.loads((root / "catalog.json").read_text())
    assert set(catalog) == set(PUBLIC_METADATA_ROWS)
    for name, entry in catalog.items():
        assert entry["verdict"] == "forbidden-generative"
        generative = {row for _, category, row in classes_of(root / name) if category is Category.GENERATIVE}
        assert generative == PUBLIC_METADATA_ROWS[name], name


PUBLIC_HISTORY_FILES: dict[str, set[tuple[str, Category, str]]] = {
    "public-testfiles/adobe-20220124-A.jpg": {
        ("EXIF Software", Category.ORDINARY_EDIT, "software.toolchain"),
        ("XMP xmp:CreatorTool", Category.ORDINARY_EDIT, "software.toolchain"),
        ("XMP xmpMM:History[1]", Category.ORDINARY_EDIT, "xmp.history.toolchain"),
        ("XMP xmpMM:History[2]", Category.ORDINARY_EDIT, "xmp.history.toolchain"),
        ("XMP xmpMM:History[3]", Category.ORDINARY_EDIT, "xmp.history.toolchain"),
        ("XMP crs:CameraProfile", Category.PRESET_COLOUR, "xmp.crs.profile"),
        ("XMP crs:Whites2012", Category.EXPOSURE, "xmp.crs.tone"),
    },
    "c2pa-rs/no_manifest.jpg": {
        ("EXIF Software", Category.ORDINARY_EDIT, "software.toolchain"),
        ("XMP xmpMM:History[1]", Category.ORDINARY_EDIT, "xmp.history.toolchain"),
    },
    "msft-c2pa-validator/cards.avif": {
        ("EXIF Software", Category.ORDINARY_EDIT, "software.toolchain"),
        ("XMP xmp:CreatorTool", Category.ORDINARY_EDIT, "software.toolchain"),
        ("XMP xmpMM:History[1]", Category.ORDINARY_EDIT, "xmp.history.toolchain"),
    },
    "msft-c2pa-validator/cards.jpg": {("EXIF Software", Category.ORDINARY_EDIT, "software.toolchain")},
    "c2pa-rs/no_alg.jpg": {("EXIF Software", Category.ORDINARY_EDIT, "software.toolchain")},
}


@pytest.mark.parametrize("name", sorted(PUBLIC_HISTORY_FILES))
def test_public_camera_and_editor_files_are_ordinary(name: str) -> None:
    found = set(classes_of(shared_dir("fixtures", "public", *name.split("/"))))
    assert found == PUBLIC_HISTORY_FILES[name]


def test_no_compliant_public_file_has_a_generative_metadata_signal() -> None:
    root = shared_dir("fixtures", "public")
    catalog = json.loads((root / "catalog.json").read_text())
    for name, entry in catalog.items():
        generative = [row for _, category, row in classes_of(root / name) if category is Category.GENERATIVE]
        if entry["verdict"] != "forbidden-generative":
            assert generative == [], name


def test_google_ai_credit_in_real_gemini_files() -> None:
    root = shared_dir("fixtures", "public")
    found = set(classes_of(root / "netsi-generativeAI" / "nano-banana-pro-ancient-forest.png"))
    assert ("XMP photoshop:Credit", Category.GENERATIVE, "credit.google_ai") in found
    assert ("XMP Iptc4xmpExt:DigitalSourceType", Category.GENERATIVE,
            "xmp.dst.compositeWithTrainedAlgorithmicMedia") in found


def test_remembered_classifications_are_those_of_the_table_and_the_memo_is_bounded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from provenance.classify import _metadata

    cases = [sig for sig, _ in ROW_CASES] + [signal("EXIF Software", K.SOFTWARE, "Firefly " + "x" * 600)]
    first = [classify_signal(sig) for sig in cases]
    assert first == [_metadata._classify_signal(sig) for sig in cases]  # remembered or not, the table's answer
    # A signal equal in every field gets the remembered answer; one differing in any field (here its
    # kind, which the table matches on) is classified for itself.
    software = signal("EXIF Software", K.SOFTWARE, "Adobe Firefly")
    assert classify_signal(software)[0].category is Category.GENERATIVE
    assert classify_signal(signal("EXIF Software", K.TEXT, "Adobe Firefly")) == ()
    assert len(cases[-1].value) > _metadata.MEMO_VALUE_CHARS and cases[-1] not in _metadata._MEMO
    monkeypatch.setattr(_metadata, "MEMO_ENTRIES", 5)
    for number in range(12):
        classify_signal(signal("EXIF Model", K.CAMERA, f"camera {number}"))
        assert len(_metadata._MEMO) <= 5


def test_remembered_product_names_are_those_of_the_patterns() -> None:
    from provenance.classify import _products

    texts = ["Adobe Firefly", "Adobe Photoshop 25.0", "ComfyUI then Stable Diffusion", "", "x" * 600 + " Midjourney"]
    for _ in range(2):  # the second time from the memo (the long text is never remembered)
        assert [generative_product_in(text) for text in texts] == [_products._product_in(text) for text in texts]
    assert [generative_product_in(text) for text in texts] == ["Adobe Firefly", None, "Stable Diffusion", None,
                                                               "Midjourney"]
