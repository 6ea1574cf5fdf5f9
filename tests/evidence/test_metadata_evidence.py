"""Reading unsigned metadata (issue #4): every signal the reader emits, with the
value that motivated it, on the project's own fixtures (``fixtures/metadata``)
and on real public files (``../shared/fixtures``, skipped when absent).
"""

from __future__ import annotations

import json
import struct
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import piexif
import piexif.helper
import pytest

from provenance.evidence._bmff import read_bmff_items
from provenance.evidence._exif import MAX_VALUE_CHARS, clip_value, decode_user_comment, read_exif
from provenance.evidence._problems import ProblemLog
from provenance.evidence._xmp import parse_xmp_packet
from provenance.evidence.metadata import read_metadata
from provenance.model import Container, MetadataSignal, ReadProblem, SignalKind

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
METADATA_FIXTURES = REPO / "fixtures" / "metadata"

SD_PARAMETERS = (
    "a lighthouse on a rocky coast at dusk, volumetric light, highly detailed\n"
    "Negative prompt: blurry, lowres, watermark\n"
    "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567890, "
    "Size: 512x512, Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Version: v1.10.1"
)
REFUSAL = "XMP refused: it declares entities"


def fixture(name: str) -> bytes:
    return (METADATA_FIXTURES / name).read_bytes()


def shared(*parts: str) -> bytes:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared is not available ({path} missing): the public-file tests need it")
    return path.read_bytes()


def read(data: bytes, media_type: str | None = None) -> tuple[tuple[MetadataSignal, ...], tuple[ReadProblem, ...]]:
    signals, problems = read_metadata(data, media_type)
    assert all(isinstance(signal, MetadataSignal) for signal in signals)
    assert all(isinstance(problem, ReadProblem) and problem.message for problem in problems)
    return signals, problems


def named(signals: Sequence[MetadataSignal]) -> list[MetadataSignal]:
    """The signals whose field name says what they are (every other text field is SignalKind.TEXT)."""
    return [signal for signal in signals if signal.kind is not SignalKind.TEXT]


def fields(signals: Sequence[MetadataSignal]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for signal in signals:
        out.setdefault(signal.field, []).append(signal.value)
    return out


def one(signals: Sequence[MetadataSignal], field: str) -> MetadataSignal:
    found = [signal for signal in signals if signal.field == field]
    assert len(found) == 1, (field, [s.field for s in signals])
    return found[0]


def _xmp_app1(packet: bytes) -> bytes:
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _jpeg_with(*segments: bytes) -> bytes:
    base = fixture("google-ai-credit.jpg")
    # Re-use a real small JPEG's scan: SOI + segments + the rest after the fixture's own XMP.
    position = 2
    out = bytearray(base[:2])
    while base[position] == 0xFF and base[position + 1] not in (0xDA,):
        (length,) = struct.unpack(">H", base[position + 2: position + 4])
        segment = base[position: position + 2 + length]
        if not segment[4:].startswith(b"http://ns.adobe.com/xap/1.0/"):
            out += segment
        position += 2 + length
    return bytes(out) + b"".join(segments) + base[position:]


def _packet(description: str) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f"{description}</rdf:RDF></x:xmpmeta>"
    ).encode()


# --------------------------------------------------------------------------------------
# XMP signals, one per fact, on the project's fixtures
# --------------------------------------------------------------------------------------

def test_xmp_digital_source_type_jpeg() -> None:
    signals, errors = read(fixture("iptc-dst-trained-algorithmic-media.jpg"))
    assert errors == ()
    signal = one(signals, "XMP Iptc4xmpExt:DigitalSourceType")
    assert signal.kind is SignalKind.DIGITAL_SOURCE_TYPE
    assert signal.container is Container.XMP
    assert signal.value == "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def test_xmp_iptc_ai_system_fields() -> None:
    signals, _ = read(fixture("iptc-ai-system.jpg"))
    found = {s.field: (s.kind, s.value) for s in signals if s.kind is SignalKind.AI_SYSTEM}
    assert found == {
        "XMP Iptc4xmpExt:AISystemUsed": (SignalKind.AI_SYSTEM, "ExampleGen image model"),
        "XMP Iptc4xmpExt:AISystemVersionUsed": (SignalKind.AI_SYSTEM, "2.1"),
        "XMP Iptc4xmpExt:AIPromptInformation": (SignalKind.AI_SYSTEM, "a lighthouse on a rocky coast at dusk"),
        "XMP Iptc4xmpExt:AIPromptWriterName": (SignalKind.AI_SYSTEM, "Jo Example"),
    }


def test_xmp_google_ai_credit() -> None:
    signals, errors = read(fixture("google-ai-credit.jpg"))
    assert errors == ()
    assert [(s.field, s.kind, s.value) for s in signals] == [
        ("XMP photoshop:Credit", SignalKind.CREDIT, "Made with Google AI")]


def test_xmp_description_lang_alt_is_read() -> None:
    signals, _ = read(fixture("midjourney-prompt-description.jpg"))
    signal = one(signals, "XMP dc:description")
    assert signal.kind is SignalKind.DESCRIPTION
    assert signal.value == ("a lighthouse on a rocky coast at dusk, volumetric light --ar 3:2 --v 6.1 "
                            "Job ID: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")


def test_xmp_remote_manifest_pointer() -> None:
    signals, _ = read(fixture("remote-manifest.jpg"))
    signal = one(signals, "XMP dcterms:provenance")
    assert signal.kind is SignalKind.REMOTE_MANIFEST
    assert signal.value == "https://cai-manifests.adobe.com/manifests/urn-uuid-00000000-0000-4000-8000-000000000004"


def test_lightroom_export_develop_settings_and_history() -> None:
    signals, errors = read(fixture("lightroom-upright-look-subject-mask.jpg"))
    assert errors == ()
    agent = "Adobe Photoshop Lightroom Classic 13.5 (Macintosh)"
    assert [(s.field, s.kind, s.value) for s in named(signals)] == [
        ("EXIF Make", SignalKind.CAMERA, "Canon"),
        ("EXIF Model", SignalKind.CAMERA, "Canon EOS R6"),
        ("EXIF Software", SignalKind.SOFTWARE, agent),
        ("XMP xmp:CreatorTool", SignalKind.SOFTWARE, agent),
        ("XMP xmpMM:History[1]", SignalKind.HISTORY_EVENT, f"derived by {agent} changed=/ at 2024-06-01T10:00:00+02:00"),
        ("XMP xmpMM:History[2]", SignalKind.HISTORY_EVENT, f"saved by {agent} changed=/ at 2024-06-01T10:02:13+02:00"),
        ("XMP crs:PerspectiveUpright", SignalKind.DEVELOP_SETTING, "1"),
        ("XMP crs:AutoTone", SignalKind.DEVELOP_SETTING, "True"),
        ("XMP crs:CameraProfile", SignalKind.DEVELOP_SETTING, "Adobe Standard"),
        ("XMP crs:Exposure2012", SignalKind.DEVELOP_SETTING, "+0.35"),
        ("XMP crs:Contrast2012", SignalKind.DEVELOP_SETTING, "+12"),
        ("XMP crs:Highlights2012", SignalKind.DEVELOP_SETTING, "-40"),
        # Readers only read (issue #8 item 5): a slider at zero and "As Shot" are reported as they are.
        ("XMP crs:Shadows2012", SignalKind.DEVELOP_SETTING, "0"),
        ("XMP crs:WhiteBalance", SignalKind.DEVELOP_SETTING, "As Shot"),
        ("XMP crs:Look", SignalKind.DEVELOP_SETTING, "Name=Adobe Landscape Amount=1 UUID=00000000000000000000000000000001"),
        ("XMP crs:MaskGroupBasedCorrections[1]/crs:CorrectionMasks[1]", SignalKind.DEVELOP_SETTING,
         "What=Mask/Image MaskSubType=1 MaskName=Subject 1"),
        ("XMP crs:MaskGroupBasedCorrections[2]/crs:CorrectionMasks[1]", SignalKind.DEVELOP_SETTING,
         "What=Mask/Image MaskSubType=2 MaskName=Sky 1"),
        ("XMP crs:MaskGroupBasedCorrections[2]/crs:CorrectionMasks[2]", SignalKind.DEVELOP_SETTING,
         "What=Mask/Gradient MaskName=Linear Gradient 1"),
        ("XMP crs:RetouchAreas", SignalKind.DEVELOP_SETTING, "SpotType=heal Method=gaussian (1 area)"),
    ]


def test_photoshop_history_log_names_generative_fill() -> None:
    signals, _ = read(fixture("photoshop-generative-fill-history.jpg"))
    history = one(signals, "XMP photoshop:History")
    assert history.kind is SignalKind.HISTORY_EVENT
    assert "Generative Fill\nGenerative Expand" in history.value
    assert one(signals, "XMP xmpMM:History[1]").value == (
        "saved by Adobe Photoshop 25.6 (Macintosh) changed=/ at 2024-04-18T14:09:50+02:00")


def test_long_photoshop_history_is_split_at_line_ends_not_cut() -> None:
    lines = [f"Step {n}: Levels" for n in range(300)] + ["Generative Fill"]
    packet = _packet('<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
                     f'<photoshop:History>{chr(10).join(lines)}</photoshop:History></rdf:Description>')
    signals, errors = parse_xmp_packet(packet, "test")
    assert errors == []
    assert [s.field for s in signals][:2] == ["XMP photoshop:History", "XMP photoshop:History (part 2)"]
    assert all(len(s.value) <= 2000 for s in signals)
    assert signals[-1].value.endswith("Generative Fill")


def test_denoise_only_export() -> None:
    signals, _ = read(fixture("lightroom-denoise.jpg"))
    develop = {s.field: s.value for s in signals if s.kind is SignalKind.DEVELOP_SETTING}
    assert develop == {
        "XMP aux:EnhanceDenoiseAlreadyApplied": "True",
        "XMP aux:EnhanceDenoiseVersion": "1",
        "XMP aux:EnhanceDenoiseLumaAmount": "50",
    }


def test_generative_remove_areas_are_told_apart_from_classic_ones() -> None:
    signals, _ = read(fixture("lightroom-generative-remove.jpg"))
    assert fields(signals)["XMP crs:RetouchAreas"] == [
        "SpotType=heal_patchmatch fill_method=firefly (1 area)",
        "SpotType=heal_patchmatch (1 area)",
    ]


def test_lens_blur_depth_and_legacy_retouch_info() -> None:
    packet = _packet(
        '<rdf:Description xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/">'
        '<crs:LensBlur><rdf:Description crs:Active="true" crs:BlurAmount="50" crs:FocalRange="0 0 100 100"/>'
        "</crs:LensBlur>"
        "<crs:DepthBasedCorrections><rdf:Seq><rdf:li><rdf:Description crs:What=\"Correction\"/></rdf:li>"
        "</rdf:Seq></crs:DepthBasedCorrections>"
        "<crs:RetouchInfo><rdf:Seq><rdf:li>centerX = 0.4, centerY = 0.3, radius = 0.01, sourceState = "
        "sourceSetExplicitly, sourceX = 0.45, sourceY = 0.3, spotType = heal</rdf:li></rdf:Seq></crs:RetouchInfo>"
        "</rdf:Description>")
    signals, errors = parse_xmp_packet(packet, "test")
    assert errors == []
    assert fields(signals) == {
        "XMP crs:RetouchInfo": ["SpotType=heal (1 area)"],
        "XMP crs:DepthBasedCorrections": ["1 depth-based correction(s)"],
        "XMP crs:LensBlur": ["Active=true BlurAmount=50 FocalRange=0 0 100 100"],
    }


def test_pantry_ingredient_xmp_is_read_with_its_path() -> None:
    packet = _packet(
        '<rdf:Description xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        "<xmpMM:Pantry><rdf:Bag><rdf:li><rdf:Description "
        'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"/>'
        "</rdf:li></rdf:Bag></xmpMM:Pantry></rdf:Description>")
    signals, _ = parse_xmp_packet(packet, "test")
    assert [(s.field, s.kind) for s in signals] == [
        ("XMP xmpMM:Pantry[1]/Iptc4xmpExt:DigitalSourceType", SignalKind.DIGITAL_SOURCE_TYPE)]


def test_namespace_is_matched_by_uri_not_prefix() -> None:
    # Exiv2 writes the IPTC extension namespace with the prefix "iptcExt" (Midjourney's file does).
    packet = _packet(
        '<rdf:Description xmlns:iptcExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        'xmlns:mm="http://ns.adobe.com/xap/1.0/mm/" xmlns:ev="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
        'iptcExt:DigitalSourceType="trainedAlgorithmicMedia"><mm:History><rdf:Seq>'
        '<rdf:li rdf:parseType="Resource"><ev:action>saved</ev:action><ev:softwareAgent>Adobe Firefly'
        "</ev:softwareAgent></rdf:li></rdf:Seq></mm:History></rdf:Description>")
    signals, _ = parse_xmp_packet(packet, "test")
    assert [(s.field, s.value) for s in signals] == [
        ("XMP Iptc4xmpExt:DigitalSourceType", "trainedAlgorithmicMedia"),
        ("XMP xmpMM:History[1]", "saved by Adobe Firefly"),
    ]


def test_canva_packet_is_noted() -> None:
    packet = _packet('<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
                     'xmlns:canva="https://www.canva.com/xmp/1.0/" xmp:CreatorTool="Canva"/>')
    signals, _ = parse_xmp_packet(packet, "test")
    # Readers only read (issue #8 item 5): the namespace is reported as it is; classify judges the mention.
    assert fields(signals) == {
        "XMP xmp:CreatorTool": ["Canva"],
        "XMP xmlns:canva": ["https://www.canva.com/xmp/1.0/"],
    }


def test_extended_xmp_is_reassembled() -> None:
    signals, errors = read(fixture("xmp-extended.jpg"))
    assert errors == ()
    assert one(signals, "XMP Iptc4xmpExt:DigitalSourceType").value == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia")


def test_incomplete_extended_xmp_is_reported() -> None:
    data = fixture("xmp-extended.jpg")
    marker = b"http://ns.adobe.com/xmp/extension/\x00"
    second = data.find(marker, data.find(marker) + 1)
    start = data.rfind(b"\xff\xe1", 0, second)
    (length,) = struct.unpack(">H", data[start + 2: start + 4])
    signals, problems = read(data[:start] + data[start + 2 + length:])
    assert not any(s.kind is SignalKind.DIGITAL_SOURCE_TYPE for s in signals)
    assert [(p.code, p.blocking) for p in problems if p.part.startswith("extended XMP")] == [
        ("metadata.part_malformed", True)]
    assert "missing" in problems[0].message


@pytest.mark.parametrize("name", ["iptc-dst.webp", "iptc-dst.tif", "iptc-dst.avif"])
def test_xmp_in_other_containers(name: str) -> None:
    signals, errors = read(fixture(name))
    assert errors == ()
    assert one(signals, "XMP Iptc4xmpExt:DigitalSourceType").value.endswith("/trainedAlgorithmicMedia")
    if name != "iptc-dst.webp":
        assert one(signals, "EXIF Software").value == "ExampleWriter 1.0"


def test_avif_items_are_found_structurally_without_scanning() -> None:
    log = ProblemLog()
    found = read_bmff_items(fixture("iptc-dst.avif"), log)
    assert [where for _, where in found.xmp] == ["HEIF/AVIF item 3 (mime)"]
    assert [where for _, where in found.exif] == ["HEIF/AVIF item 2 (Exif)"]
    assert log.items == []


# --------------------------------------------------------------------------------------
# EXIF
# --------------------------------------------------------------------------------------

def test_a1111_usercomment_big_endian_unicode() -> None:
    signals, errors = read(fixture("sd-a1111-usercomment.jpg"))
    assert errors == ()
    signal = one(signals, "EXIF UserComment")
    assert (signal.container, signal.kind, signal.value) == (Container.EXIF, SignalKind.DESCRIPTION, SD_PARAMETERS)


def test_usercomment_in_the_wrong_ifd_little_endian() -> None:
    signals, _ = read(fixture("sd-usercomment-ifd0-le.jpg"))
    assert one(signals, "EXIF UserComment (in IFD0)").value == SD_PARAMETERS
    assert one(signals, "EXIF Software").value == "ExampleWriter 1.0"


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        (b"ASCII\x00\x00\x00Steps: 20, Seed: 1", ">", "Steps: 20, Seed: 1"),
        (b"UNICODE\x00" + "Steps: 20, Sampler: Euler".encode("utf-16-be"), "<", "Steps: 20, Sampler: Euler"),
        (b"UNICODE\x00" + "Steps: 20, Sampler: Euler".encode("utf-16-le"), ">", "Steps: 20, Sampler: Euler"),
        (b"UNICODE\x00" + "\ufeffテスト".encode("utf-16-be"), "<", "テスト"),
        (b"UNICODE\x00" + "テスト".encode("utf-16-be"), ">", "テスト"),
        (b"JIS\x00\x00\x00\x00\x00" + "テスト".encode("shift_jis"), ">", "テスト"),
        (b"\x00" * 8 + b"plain text\x00\x00", ">", "plain text"),
        (b"no header at all", ">", "no header at all"),
    ],
)
def test_usercomment_charsets(raw: bytes, order: str, expected: str) -> None:
    assert decode_user_comment(raw, order) == expected


def test_exif_text_tags_and_xp_comment() -> None:
    exif = piexif.dump({
        "0th": {piexif.ImageIFD.ImageDescription: b"Made with Stable Diffusion",
                piexif.ImageIFD.ProcessingSoftware: b"ExampleRAW 3",
                piexif.ImageIFD.XPComment: tuple("Steps: 30, Sampler: Euler a".encode("utf-16-le"))},
        "Exif": {}})
    result = read_exif(exif)
    assert {(s.field, s.kind, s.value) for s in result.signals} == {
        ("EXIF ImageDescription", SignalKind.DESCRIPTION, "Made with Stable Diffusion"),
        ("EXIF ProcessingSoftware", SignalKind.SOFTWARE, "ExampleRAW 3"),
        ("EXIF XPComment", SignalKind.DESCRIPTION, "Steps: 30, Sampler: Euler a"),
    }


def test_exif_ifd_loop_and_damage_do_not_hang_or_raise() -> None:
    # IFD0 whose next-IFD pointer points back at itself, and a count running past the end.
    looped = b"II*\x00\x08\x00\x00\x00" + b"\x01\x00" + struct.pack("<HHII", 0x0131, 2, 4, 0x00616263) \
        + struct.pack("<I", 8)
    result = read_exif(looped)
    assert [s.value for s in result.signals] == ["cba"]
    damaged = b"MM\x00*\x00\x00\x00\x08\xff\xff" + b"\x00" * 10
    assert [p.code for p in read_exif(damaged).problems] == ["metadata.part_malformed"]
    assert [(p.code, p.message) for p in read_exif(b"not a tiff").problems] == [
        ("metadata.part_malformed", "the block does not start with a TIFF header; not read")]


def test_clip_keeps_the_tail_of_long_generator_records() -> None:
    long_prompt = "masterpiece, " * 400 + "\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42"
    clipped = clip_value(long_prompt, 2000)
    assert len(clipped) == 2000
    assert clipped.startswith("masterpiece, ")
    assert clipped.endswith("Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42")
    assert " […] " in clipped


# --------------------------------------------------------------------------------------
# PNG text
# --------------------------------------------------------------------------------------

def test_png_sd_parameters() -> None:
    signals, errors = read(fixture("sd-a1111-parameters.png"))
    assert errors == ()
    signal = one(signals, "PNG tEXt parameters")
    assert (signal.container, signal.kind, signal.value) == (Container.PNG, SignalKind.GENERATOR_RECORD, SD_PARAMETERS)


def test_png_comfyui_prompt_and_workflow() -> None:
    signals, _ = read(fixture("comfyui-prompt-workflow.png"))
    prompt = json.loads(one(signals, "PNG tEXt prompt").value)
    workflow = json.loads(one(signals, "PNG tEXt workflow").value)
    assert prompt["3"]["class_type"] == "KSampler"
    assert workflow["nodes"][1]["type"] == "SaveImage"
    assert {s.kind for s in signals} == {SignalKind.GENERATOR_RECORD}


def test_png_ztxt_and_itxt_compressed_are_inflated() -> None:
    import io

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", '{"prompt": "a cat", "steps": 28, "scale": 5.0, "seed": 1, "uc": "lowres"}', zip=True)
    info.add_itxt("Description", "a cat on a sofa", zip=True)
    info.add_text("Software", "NovelAI")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)
    signals, errors = read(buffer.getvalue())
    assert errors == ()
    assert [(s.field, s.kind) for s in signals] == [
        ("PNG zTXt Comment", SignalKind.DESCRIPTION),
        ("PNG iTXt Description", SignalKind.DESCRIPTION),
        ("PNG tEXt Software", SignalKind.SOFTWARE),
    ]


def test_png_inflate_bomb_is_bounded() -> None:
    data = fixture("png-ztxt-inflate-bomb.png")
    tracemalloc.start()
    try:
        signals, errors = read(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(p.code, p.part, p.message, p.blocking) for p in errors] == [
        ("metadata.cap_reached", "PNG zTXt 'Comment'", "it inflates to more than 8 MiB; only the first part was read", True),
        ("metadata.cap_reached", "PNG zTXt 'Comment'",
         f"the text is longer than {MAX_VALUE_CHARS} characters; only its head and tail were kept", True),
    ]
    assert len(one(signals, "PNG zTXt Comment").value) == MAX_VALUE_CHARS
    assert peak < 40 * 1024 * 1024


def test_png_xmp_itxt_and_exif_chunk() -> None:
    data = shared("fixtures", "public-metadata", "netsi-generativeAI", "midjourney-surreal-cityscape.png")
    signals, errors = read(data)
    assert errors == ()
    assert [(s.field, s.value) for s in named(signals)] == [
        ("XMP Iptc4xmpExt:DigitalSourceType", "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"),
    ]
    assert ("XMP Iptc4xmpExt:DigImageGUID", "891eea8c-4e85-44ef-ba0a-2b74af380a3f") in [
        (s.field, s.value) for s in signals if s.kind is SignalKind.TEXT]


# --------------------------------------------------------------------------------------
# Hostile input
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["xmp-billion-laughs.jpg", "xmp-external-entity.jpg"])
def test_hostile_xmp_is_refused_without_expansion(name: str) -> None:
    data = fixture(name)
    tracemalloc.start()
    try:
        signals, errors = read(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert signals == ()
    assert [(p.code, p.blocking) for p in errors] == [("metadata.xmp_refused", True)]
    assert errors[0].message.startswith(REFUSAL) and "neither expanded nor parsed" in errors[0].message
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_defusedxml_refuses_a_dtd_the_byte_check_cannot_see(encoding: str) -> None:
    data = fixture("xmp-billion-laughs.jpg")
    packet = data[data.find(b"<!DOCTYPE"): data.find(b"<?xpacket end")].decode("utf-8") + '<?xpacket end="w"?>'
    signals, errors = parse_xmp_packet(packet.encode(encoding), "test")
    assert signals == [] and [p.code for p in errors] == ["metadata.xmp_refused"]
    assert errors[0].message.startswith(REFUSAL)


def test_dtd_smuggled_before_a_scanned_packet_is_refused() -> None:
    hostile = fixture("xmp-external-entity.jpg")
    packet = hostile[hostile.find(b"<!DOCTYPE"): hostile.find(b"</x:xmpmeta>") + 12]
    signals, errors = read(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"junk" * 10 + packet, None)
    assert signals == ()
    assert any(p.code == "metadata.xmp_refused" and p.message.startswith(REFUSAL) for p in errors)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xd8\xff",
        b"\xff\xd8\xff\xe1\xff\xffExif\x00\x00MM",
        b"\xff\xd8\xff\xe1\x00\x10http://ns.ado",
        b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfftEXtkey",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x05zTXtk\x00\x00xx\x00\x00\x00\x00",
        b"RIFF\xff\xff\xff\xffWEBPXMP \xff\xff\xff\x7f<x:xmpmeta",
        b"II*\x00\xff\xff\xff\xff",
        b"\x00\x00\x00\x18ftypavif" + b"\x00" * 8 + b"\x00\x00\x00\x10meta\x00\x00\x00\x00\xff\xff\xff\xffiloc",
        b"\x00\x00\x00\x18ftypavif" + b"\x00" * 8 + b"\x00\x00\x00\x1emeta\x00\x00\x00\x00"
        + b"\x00\x00\x00\x12iloc\x01\x00\x00\x00\x44\x40\x00\x05\x00\x01",
        b"<x:xmpmeta><unclosed",
        bytes(range(256)) * 64,
    ],
)
def test_damaged_input_gives_problems_not_exceptions(data: bytes) -> None:
    signals, problems = read(data)
    assert signals == ()
    assert not any(p.code == "metadata.reader_failed" for p in problems), problems


def test_malformed_xmp_names_where_it_was() -> None:
    data = _jpeg_with(_xmp_app1(b"<x:xmpmeta><rdf:RDF>"))
    signals, errors = read(data)
    assert signals == ()
    assert errors[0].code == "metadata.part_malformed" and errors[0].blocking
    assert errors[0].part.startswith("XMP packet in JPEG APP1 at byte ")
    assert errors[0].message.startswith("not well-formed XML")


def test_truncated_jpeg_segment_is_reported() -> None:
    data = fixture("google-ai-credit.jpg")
    start = data.find(b"http://ns.adobe.com/xap/1.0/") - 4
    signals, errors = read(data[: start + 40])
    assert signals == ()
    assert [(p.code, p.message) for p in errors] == [(
        "metadata.part_malformed",
        f"the segment at byte {start} runs past the end of the file; metadata after that point was not read")]


# --------------------------------------------------------------------------------------
# Real public files (../shared)
# --------------------------------------------------------------------------------------

PUBLIC_METADATA_EXPECTED: dict[str, dict[str, str]] = {
    # file -> {field: a substring of its value that the real file shows}
    "netsi-generativeAI/midjourney-surreal-cityscape.png": {
        "XMP Iptc4xmpExt:DigitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"},
    "sd-metadata/comfyui.png": {
        "PNG tEXt prompt": '"class_type": "CheckpointLoaderSimple"',
        "PNG tEXt workflow": '"frontendVersion": "1.35.9"'},
    "sd-metadata/forge.png": {
        "PNG iTXt parameters": "Steps: 25, Sampler: Euler, Schedule type: Karras, CFG scale: 5, Seed: 747066619, "
                               "Size: 1024x1024, Model hash: 45a21ea00a"},
    "sd-metadata/invokeai.png": {
        "PNG iTXt invokeai_metadata": '"generation_mode":"sdxl_txt2img"',
        "PNG iTXt invokeai_graph": '"id":"sdxl_graph:DSWne4QAzS"'},
    "sd-metadata/novelai-full.png": {
        "PNG tEXt Software": "NovelAI",
        "PNG tEXt Source": "NovelAI Diffusion V4.5 4BDE2A90",
        "PNG tEXt Title": "NovelAI generated image",
        "PNG tEXt Comment": '{"prompt": "1girl, solo, hatsune miku'},
    "sd-metadata/sd-next.png": {"PNG iTXt parameters": "CFG scale: 6, App: SD.Next"},
    "sd-metadata/sd-webui.jpg": {
        "EXIF UserComment": "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 5.5, Seed: 3623174757"},
    "sd-metadata/sd-webui.png": {
        "PNG iTXt parameters": "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 3782896554"},
    "sd-metadata/swarmui.png": {
        "PNG tEXt parameters": '"sui_image_params"',
        "PNG tEXt prompt": '"filename_prefix": "SwarmUI_19C8D56C_"'},
}


@pytest.mark.parametrize("name", sorted(PUBLIC_METADATA_EXPECTED))
def test_public_metadata_files_show_their_generator_records(name: str) -> None:
    signals, errors = read(shared("fixtures", "public-metadata", *name.split("/")))
    assert errors == ()
    values = fields(signals)
    for field, expected in PUBLIC_METADATA_EXPECTED[name].items():
        assert field in values, (field, sorted(values))
        assert any(expected in value for value in values[field]), (field, values[field])


PUBLIC_XMP_HISTORY_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "public-testfiles/adobe-20220124-A.jpg": [
        ("EXIF Make", "Canon"),
        ("EXIF Model", "Canon EOS REBEL T3"),
        ("EXIF Software", "Adobe Lightroom 5.3 (Macintosh)"),
        ("XMP xmp:CreatorTool", "Adobe Lightroom 5.3 (Macintosh)"),
        ("XMP xmpMM:History[1]", "edited at 2021-02-04T16:57:11Z"),
        ("XMP xmpMM:History[2]", "derived (saved to new location)"),
        ("XMP xmpMM:History[3]", "saved by Adobe Lightroom 5.3 (Macintosh) changed=/ at 2022-05-24T10:51:58-07:00"),
        ("XMP crs:PerspectiveUpright", "0"),
        ("XMP crs:CameraProfile", "Embedded"),
        # Sliders at zero and "As Shot" are reported as they are (classify judges them, issue #8 item 5).
        ("XMP crs:Exposure2012", "0.00"),
        ("XMP crs:Contrast2012", "0"),
        ("XMP crs:Highlights2012", "0"),
        ("XMP crs:Shadows2012", "0"),
        ("XMP crs:Whites2012", "+36"),
        ("XMP crs:Blacks2012", "0"),
        ("XMP crs:WhiteBalance", "As Shot"),
    ],
    "c2pa-rs/no_manifest.jpg": [
        ("EXIF Software", "Adobe Photoshop 24.1 (20221029.m.1946 73a94a1)  (Macintosh)"),
        ("XMP dcterms:provenance",
         "self#jumbf=/c2pa/adobe:urn:uuid:5f5bba8c-9184-44c6-b9a7-62cfda37b343/c2pa.claim"),
        ("XMP xmpMM:History[1]",
         "saved by Adobe Photoshop 24.1 (20221029.m.1946 73a94a1)  (Macintosh) changed=/ at 2022-11-07T14:20:44-08:00"),
    ],
    "msft-c2pa-validator/cards.avif": [
        ("EXIF Software", "GIMP 2.99.7"),
        ("XMP xmp:CreatorTool", "GIMP"),
        ("XMP xmpMM:History[1]", "saved by GIMP 2.99.7 (Windows) changed=/ at 2024-05-29T20:18:11"),
    ],
    "msft-c2pa-validator/cards.jpg": [
        ("EXIF Make", "Apple"), ("EXIF Model", "iPhone 15 Pro"), ("EXIF Software", "17.3")],
    "c2pa-rs/no_alg.jpg": [
        ("EXIF Make", "samsung"), ("EXIF Model", "SM-J320F"), ("EXIF Software", "J320FXXU0AQL1")],
}


@pytest.mark.parametrize("name", sorted(PUBLIC_XMP_HISTORY_EXPECTED))
def test_public_camera_and_editor_files(name: str) -> None:
    signals, errors = read(shared("fixtures", "public", *name.split("/")))
    assert errors == ()
    assert [(s.field, s.value) for s in named(signals)] == PUBLIC_XMP_HISTORY_EXPECTED[name]


def test_heif_xmp_item_with_a_copied_app1_header_is_read() -> None:
    # c2pa-rs sample1.heic: its XMP item starts with the JPEG APP1 header; the packet holds
    # only xmp:Rating (no signal), and must parse without an error.
    data = shared("fixtures", "public", "c2pa-rs", "sample1.heic")
    found = read_bmff_items(data, ProblemLog())
    assert [packet[:29] for packet, _ in found.xmp] == [b"http://ns.adobe.com/xap/1.0/\x00"]
    signals, problems = read(data)
    assert named(signals) == [] and problems == ()
    assert {s.field: s.value for s in signals}["XMP xmp:Rating"] == "0"


def test_whole_public_corpus_reads_without_exceptions() -> None:
    root = SHARED / "fixtures"
    if not root.exists():
        pytest.skip(f"../shared is not available ({root} missing)")
    count = 0
    for catalog in ("public", "public-metadata"):
        for name in json.loads((root / catalog / "catalog.json").read_text()):
            signals, problems = read((root / catalog / name).read_bytes())
            assert all(len(s.value) <= MAX_VALUE_CHARS for s in signals)
            assert not any(p.code == "metadata.reader_failed" for p in problems), (name, problems)
            count += 1
    assert count >= 80


# --------------------------------------------------------------------------------------
# Other carriers: IPTC-IIM, JPEG COM, GIF comment, PNG eXIf, ImageMagick raw profiles, WebP EXIF
# --------------------------------------------------------------------------------------

def _iim(record: int, dataset: int, value: bytes) -> bytes:
    return bytes([0x1C, record, dataset]) + struct.pack(">H", len(value)) + value


def test_iptc_iim_credit_in_photoshop_app13() -> None:
    iim = (_iim(1, 90, b"\x1b%G") + _iim(2, 110, b"Apple Photos Clean Up")
           + _iim(2, 120, "Caf\u00e9 terrace at night".encode()) + _iim(2, 65, b"Photos"))
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    resource += b"\x00" * (len(iim) & 1)
    payload = b"Photoshop 3.0\x00" + resource
    data = _jpeg_with(b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload)
    signals, errors = read(data)
    assert errors == ()
    assert [(s.container, s.field, s.kind, s.value) for s in signals] == [
        (Container.IPTC, "IPTC Credit", SignalKind.CREDIT, "Apple Photos Clean Up"),
        (Container.IPTC, "IPTC Caption-Abstract", SignalKind.DESCRIPTION, "Caf\u00e9 terrace at night"),
        (Container.IPTC, "IPTC OriginatingProgram", SignalKind.SOFTWARE, "Photos"),
    ]


def test_jpeg_comment_segment() -> None:
    comment = b"Steps: 30, Sampler: Euler a, CFG scale: 7, Seed: 42"
    data = _jpeg_with(b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment)
    signals, _ = read(data)
    assert [(s.container, s.field, s.value) for s in signals] == [(Container.JPEG, "JPEG COM", comment.decode())]


def test_gif_comment_through_pillow() -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("P", (4, 4)).save(buffer, "GIF", comment=SD_PARAMETERS.encode())
    signals, errors = read(buffer.getvalue(), "image/gif")
    assert errors == ()
    assert [(s.field, s.value) for s in signals] == [("GIF Comment", SD_PARAMETERS)]


def test_png_exif_chunk_and_webp_exif_chunk() -> None:
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x0131] = "Adobe Firefly"
    exif[0x010F] = "Canon"
    for fmt, options in (("PNG", {}), ("WEBP", {"lossless": True})):
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, fmt, exif=exif.tobytes(), **options)
        signals, errors = read(buffer.getvalue())
        assert errors == ()
        assert [(s.field, s.value) for s in signals] == [("EXIF Make", "Canon"), ("EXIF Software", "Adobe Firefly")]


def test_imagemagick_raw_profile_xmp_in_png_text() -> None:
    import binascii
    import io

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    packet = _packet('<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
                     'photoshop:Credit="Edited with Google AI"/>')
    hexed = binascii.hexlify(packet).decode()
    text = f"\nxmp\n{len(packet):8d}\n" + "\n".join(hexed[i:i + 72] for i in range(0, len(hexed), 72)) + "\n"
    info = PngInfo()
    info.add_text("Raw profile type xmp", text, zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)
    signals, _ = read(buffer.getvalue())
    assert [(s.field, s.value) for s in signals] == [("XMP photoshop:Credit", "Edited with Google AI")]


def test_content_wins_over_the_media_type_hint() -> None:
    signals, _ = read(fixture("sd-a1111-parameters.png"), "image/jpeg")
    assert [s.field for s in signals] == ["PNG tEXt parameters"]
