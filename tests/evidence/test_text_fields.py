"""Every text field is a signal (for issue #11's recognisers), and readers only read (issue #8 item 5)."""

from __future__ import annotations

import io
import struct

from PIL import Image, PngImagePlugin

from provenance.classify import classify_signal
from provenance.evidence._exif import read_exif
from provenance.evidence._xmp import parse_xmp_packet
from provenance.evidence.metadata import read_metadata
from provenance.model import Category, Container, MetadataSignal, SignalKind

RECORD = "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Model: sdxl"


def _entry(tag: int, ftype: int, value: bytes, data_at: int, order: str = "<") -> tuple[bytes, bytes]:
    """An IFD entry and the bytes stored out of line (when the value is longer than 4 bytes)."""
    sizes = {1: 1, 2: 1, 7: 1, 129: 1, 4: 4}
    count = len(value) // sizes[ftype]
    if len(value) <= 4:
        return struct.pack(order + "HHI", tag, ftype, count) + value.ljust(4, b"\x00"), b""
    return struct.pack(order + "HHII", tag, ftype, count, data_at), value


def _tiff(entries: list[tuple[int, int, bytes]], gps: list[tuple[int, int, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    """A little-endian TIFF with IFD0 = ``entries`` (+ a GPS IFD pointer when ``gps`` is given)."""
    ifd0 = list(entries) + ([(0x8825, 4, b"\x00\x00\x00\x00")] if gps else [])
    out_of_line = bytearray()
    ifd0_size = 2 + 12 * len(ifd0) + 4
    gps_at = 8 + ifd0_size
    gps_size = 2 + 12 * len(gps) + 4 if gps else 0
    data_at = gps_at + gps_size
    packed: list[bytes] = []
    for tag, ftype, value in ifd0:
        if tag == 0x8825:
            value = struct.pack("<I", gps_at)
        entry, extra = _entry(tag, ftype, value, data_at + len(out_of_line))
        packed.append(entry)
        out_of_line += extra
    gps_packed: list[bytes] = []
    for tag, ftype, value in gps:
        entry, extra = _entry(tag, ftype, value, data_at + len(out_of_line))
        gps_packed.append(entry)
        out_of_line += extra
    block = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(packed)) + b"".join(packed) + b"\x00" * 4
    if gps:
        block += struct.pack("<H", len(gps_packed)) + b"".join(gps_packed) + b"\x00" * 4
    return block + bytes(out_of_line)


def _by_field(signals: list[MetadataSignal] | tuple[MetadataSignal, ...]) -> dict[str, tuple[SignalKind, str]]:
    return {signal.field: (signal.kind, signal.value) for signal in signals}


def test_every_exif_text_tag_of_every_ifd_is_a_signal() -> None:
    block = _tiff([
        (0x013B, 2, b"Jane Doe\x00"),                                  # Artist
        (0x8298, 2, b"(c) Studio\x00"),                                # Copyright
        (0xABCD, 2, RECORD.encode() + b"\x00"),                        # a private ASCII tag
        (0x9286, 7, b"ASCII\x00\x00\x00" + RECORD.encode()),           # UserComment in IFD0, ASCII prefix
        (0x9C9B, 1, "Titre généré".encode("utf-16-le") + b"\x00\x00"),  # XPTitle, UTF-16LE
        (0xA433, 129, "Lëns Maker\x00".encode()),                      # LensMake, Exif 3.0 UTF-8, wrong IFD
        (0x927C, 7, b"Nikon\x00" + RECORD.encode()),                   # MakerNote: skipped
        (0x9101, 7, b"\x01\x02\x03\x00"),                              # ComponentsConfiguration: binary
    ], gps=[(0x001B, 7, b"ASCII\x00\x00\x00" + b"GPS fused"), (0x0001, 2, b"N\x00")])
    result = read_exif(block)
    assert result.problems == []
    assert _by_field(result.signals) == {
        "EXIF Artist": (SignalKind.TEXT, "Jane Doe"),
        "EXIF Copyright": (SignalKind.TEXT, "(c) Studio"),
        "EXIF Tag0xABCD": (SignalKind.TEXT, RECORD),
        "EXIF UserComment (in IFD0)": (SignalKind.DESCRIPTION, RECORD),
        "EXIF XPTitle": (SignalKind.DESCRIPTION, "Titre généré"),
        "EXIF LensMake (in IFD0)": (SignalKind.TEXT, "Lëns Maker"),
        "EXIF GPSProcessingMethod": (SignalKind.TEXT, "GPS fused"),
        "EXIF GPSLatitudeRef": (SignalKind.TEXT, "N"),
    }
    assert {signal.namespace for signal in result.signals} == {"IFD0", "GPS"}


def test_every_xmp_simple_property_and_language_alternative_is_a_signal() -> None:
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:x1="http://example.com/ns/" tiff:Make="Canon">'
        f'<exif:UserComment><rdf:Alt><rdf:li xml:lang="x-default">{RECORD}</rdf:li></rdf:Alt></exif:UserComment>'
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">A harbour</rdf:li>'
        '<rdf:li xml:lang="fr">Un port</rdf:li></rdf:Alt></dc:description>'
        '<dc:subject><rdf:Bag><rdf:li>sea</rdf:li><rdf:li>boat</rdf:li></rdf:Bag></dc:subject>'
        '<x1:job rdf:parseType="Resource"><x1:params>prompt: a cat</x1:params></x1:job>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>").encode()
    signals, problems = parse_xmp_packet(packet, "test")
    assert problems == []
    assert [(s.field, s.kind, s.value) for s in signals] == [
        ("XMP tiff:Make", SignalKind.TEXT, "Canon"),
        ("XMP exif:UserComment", SignalKind.DESCRIPTION, RECORD),
        ("XMP dc:description", SignalKind.DESCRIPTION, "A harbour"),
        ("XMP dc:description", SignalKind.DESCRIPTION, "Un port"),
        ("XMP dc:subject[1]", SignalKind.TEXT, "sea"),
        ("XMP dc:subject[2]", SignalKind.TEXT, "boat"),
        ("XMP x1:job/x1:params", SignalKind.TEXT, "prompt: a cat"),
        ("XMP xmlns:x1", SignalKind.TEXT, "http://example.com/ns/"),
    ]
    assert signals[-2].namespace == "http://example.com/ns/" and signals[-2].path == "x1:job"


def test_every_png_text_keyword_is_a_signal_with_its_kind() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", "Harbour")
    info.add_text("Author", "Jane")
    info.add_text("my-private-key", RECORD)
    info.add_text("parameters", RECORD)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)
    signals, problems = read_metadata(buffer.getvalue(), None)
    assert problems == ()
    assert [(s.field, s.kind) for s in signals] == [
        ("PNG tEXt Title", SignalKind.DESCRIPTION), ("PNG tEXt Author", SignalKind.TEXT),
        ("PNG tEXt my-private-key", SignalKind.TEXT), ("PNG tEXt parameters", SignalKind.GENERATOR_RECORD)]


def test_iptc_captions_headline_and_keywords_are_signals() -> None:
    def dataset(number: int, value: bytes) -> bytes:
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value

    iim = b"\x1c\x01\x5a\x00\x03\x1b%G" + dataset(105, b"Harbour") + dataset(25, b"sea") + dataset(25, b"boat") \
        + dataset(120, RECORD.encode()) + dataset(202, b"\x89PNG\x00\x01")
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\x00" * (len(iim) & 1)
    payload = b"Photoshop 3.0\x00" + resource
    jpeg = b"\xff\xd8" + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + b"\xff\xd9"
    signals, problems = read_metadata(jpeg, None)
    assert problems == ()
    assert [(s.field, s.kind, s.value) for s in signals] == [
        ("IPTC Headline", SignalKind.DESCRIPTION, "Harbour"), ("IPTC Keywords", SignalKind.TEXT, "sea"),
        ("IPTC Keywords", SignalKind.TEXT, "boat"), ("IPTC Caption-Abstract", SignalKind.DESCRIPTION, RECORD)]


def test_a_generator_record_in_a_field_of_no_particular_name_is_still_classified() -> None:
    """A TEXT signal reaches the classifier's generator-record rows (whichever row: classify owns them)."""
    signal = MetadataSignal(Container.EXIF, "Tag0xABCD", SignalKind.TEXT, RECORD, namespace="IFD0")
    assert [c.category for c in classify_signal(signal)] == [Category.GENERATIVE]


# --- readers only read: the judgements live in classify -------------------------------------------

def _crs(**settings: str) -> list[MetadataSignal]:
    attributes = " ".join(f'crs:{key}="{value}"' for key, value in settings.items())
    packet = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              f'<rdf:Description xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" {attributes}/>'
              "</rdf:RDF></x:xmpmeta>").encode()
    signals, _ = parse_xmp_packet(packet, "test")
    return signals


def test_a_slider_at_zero_is_read_and_classified_as_no_edit() -> None:
    zero, moved = _crs(Exposure2012="0.00", Shadows2012="+15")
    assert (zero.field, zero.kind, zero.value) == ("XMP crs:Exposure2012", SignalKind.DEVELOP_SETTING, "0.00")
    assert classify_signal(zero) == ()
    assert [c.row for c in classify_signal(moved)] == ["xmp.crs.tone"]


def test_white_balance_as_shot_is_read_and_classified_as_no_edit() -> None:
    (as_shot,) = _crs(WhiteBalance="As Shot")
    (custom,) = _crs(WhiteBalance="Custom")
    assert as_shot.value == "As Shot" and classify_signal(as_shot) == ()
    assert [c.row for c in classify_signal(custom)] == ["xmp.crs.white_balance"]


def test_a_mention_of_canva_is_read_as_it_is_and_judged_in_classify() -> None:
    packet = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              b'<rdf:Description xmlns:canva="https://www.canva.com/xmp/1.0/" canva:id="D123"/>'
              b"</rdf:RDF></x:xmpmeta>")
    signals, _ = parse_xmp_packet(packet, "test")
    assert [(s.field, s.value) for s in signals] == [
        ("XMP canva:id", "D123"), ("XMP xmlns:canva", "https://www.canva.com/xmp/1.0/")]
    assert [[c.row for c in classify_signal(s)] for s in signals] == [[], ["xmp.canva"]]
