"""EXIF (TIFF IFD) reading for the metadata pass, plus the text helpers the
other metadata readers share.

The reader walks the TIFF structure itself rather than through piexif, because
piexif keeps only the tags it expects in each IFD and silently drops the rest:
a generator that writes ``UserComment`` into IFD0 (or any other wrong IFD)
would then go unseen. The walk is bounded (number of IFDs, entries per IFD,
visited offsets) so a hostile file cannot loop or balloon it.

Tag numbers are the public EXIF/TIFF ones (CIPA DC-008 Exif 2.32/3.0, TIFF 6.0;
Exif 3.0 software tags 0xA43A-0xA43C as listed in exiftool ``Exif.pm``,
c2pa-signals key ET). The UserComment character-code header (8 bytes:
``ASCII``, ``JIS``, ``UNICODE``, or all zero for "undefined") is Exif 2.32
§4.6.5 table 9. A1111 writes UserComment through piexif with
``encoding="unicode"``, which is big-endian UTF-16 whatever the TIFF byte
order (c2pa-signals A4, "Stable Diffusion A1111/Forge"); others follow the
TIFF byte order, so the byte order is detected from the text itself.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..model import Container, MetadataSignal, SignalKind

__all__ = [
    "MAX_VALUE_CHARS",
    "ExifResult",
    "clip_value",
    "decode_text",
    "decode_user_comment",
    "make_signal",
    "read_exif",
]

MAX_VALUE_CHARS = 2000
"""Signal values longer than this are cut (head and tail kept, see :func:`clip_value`)."""

_CLIP_HEAD = 1400
_CLIP_MARK = " […] "

_MAX_IFDS = 64
_MAX_ENTRIES = 4096
_MAX_VALUE_BYTES = 4 * 1024 * 1024

# Tag -> (name, kind, home IFD). "home" is where the standard puts the tag; a
# tag found elsewhere keeps its name and says where it was found.
_TAGS: dict[int, tuple[str, SignalKind, str]] = {
    0x000B: ("ProcessingSoftware", SignalKind.SOFTWARE, "IFD0"),
    0x010E: ("ImageDescription", SignalKind.DESCRIPTION, "IFD0"),
    0x010F: ("Make", SignalKind.CAMERA, "IFD0"),
    0x0110: ("Model", SignalKind.CAMERA, "IFD0"),
    0x0131: ("Software", SignalKind.SOFTWARE, "IFD0"),
    0x9286: ("UserComment", SignalKind.DESCRIPTION, "ExifIFD"),
    0x9C9B: ("XPTitle", SignalKind.DESCRIPTION, "IFD0"),
    0x9C9C: ("XPComment", SignalKind.DESCRIPTION, "IFD0"),
    0x9C9D: ("XPAuthor", SignalKind.DESCRIPTION, "IFD0"),
    0x9C9E: ("XPKeywords", SignalKind.DESCRIPTION, "IFD0"),
    0x9C9F: ("XPSubject", SignalKind.DESCRIPTION, "IFD0"),
    0xA436: ("ImageTitle", SignalKind.DESCRIPTION, "ExifIFD"),
    0xA43A: ("RAWDevelopingSoftware", SignalKind.SOFTWARE, "ExifIFD"),
    0xA43B: ("ImageEditingSoftware", SignalKind.SOFTWARE, "ExifIFD"),
    0xA43C: ("MetadataEditingSoftware", SignalKind.SOFTWARE, "ExifIFD"),
}
_XP_TAGS = frozenset({0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F})
_TAG_XMP = 0x02BC  # TIFF XMLPacket (XMP in TIFF, Adobe XMP spec part 3)
_TAG_IPTC = 0x83BB  # IPTC-NAA record (IIM)
_TAG_PHOTOSHOP = 0x8649  # Photoshop image resources (may hold IIM)
_TAG_EXIF_IFD = 0x8769
_TAG_SUB_IFDS = 0x014A

# TIFF field type -> size in bytes (TIFF 6.0 §2; type 129 is Exif 3.0 UTF-8).
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 129: 1}


def clip_value(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """Return ``text`` cut to at most ``limit`` characters.

    Long values keep their head and their tail with `` […] `` between, because
    generator records put their telling part at the end (A1111 writes the
    prompt first and ``Steps: ..., Sampler: ...`` last).

    Args:
        text: any text.
        limit: the maximum length of the result (default 2,000).
    Returns:
        ``text`` itself when short enough, else a string of exactly ``limit`` characters.
    """
    if len(text) <= limit:
        return text
    head = min(_CLIP_HEAD, limit // 2)
    tail = limit - head - len(_CLIP_MARK)
    return text[:head] + _CLIP_MARK + text[-tail:]


def make_signal(container: Container, name: str, kind: SignalKind, value: str, *, namespace: str | None = None,
                path: str | None = None, part: int | None = None) -> MetadataSignal:
    """Build a :class:`MetadataSignal` (fields as documented there), cutting the value to 2,000 characters."""
    return MetadataSignal(container=container, name=name, kind=kind, value=clip_value(value), namespace=namespace,
                          path=path, part=part)


def decode_text(raw: bytes) -> str:
    """Decode a byte string a writer meant as text.

    UTF-8 first (most modern writers), Latin-1 as the fallback (never fails);
    NUL bytes are treated as separators and white space is trimmed.

    Args:
        raw: the bytes.
    Returns:
        The text (possibly empty).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return " ".join(part.strip() for part in text.split("\x00") if part.strip())


def _decode_utf16(raw: bytes, byte_order: str) -> str:
    """Decode UTF-16 of unknown endianness (BOM, else zero-byte placement, else TIFF order)."""
    if raw[:2] == b"\xfe\xff":
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw[:2] == b"\xff\xfe":
        return raw[2:].decode("utf-16-le", errors="replace")
    sample = raw[:4096]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    if even_zeros > odd_zeros:
        codec = "utf-16-be"
    elif odd_zeros > even_zeros:
        codec = "utf-16-le"
    else:
        codec = "utf-16-be" if byte_order == ">" else "utf-16-le"
    if len(raw) % 2:
        raw = raw[:-1]
    return raw.decode(codec, errors="replace")


def decode_user_comment(raw: bytes, byte_order: str = ">") -> str:
    """Decode an EXIF UserComment (Exif 2.32 §4.6.5, character-code header).

    Args:
        raw: the tag's bytes, header included.
        byte_order: ``">"`` or ``"<"``, the TIFF byte order, used only when
            UTF-16 text does not reveal its own endianness.
    Returns:
        The comment text, NULs and surrounding white space removed. A value
        without a recognised header is decoded as plain text.
    """
    head, body = raw[:8], raw[8:]
    if head.startswith(b"UNICODE"):
        text = _decode_utf16(body, byte_order)
    elif head.startswith(b"ASCII"):
        text = decode_text(body)
    elif head.startswith(b"JIS"):
        try:
            text = body.decode("shift_jis")
        except UnicodeDecodeError:
            text = body.decode("iso2022_jp", errors="replace")
    elif head == b"\x00" * 8:
        text = decode_text(body)
    else:
        text = decode_text(raw)
    return " ".join(part.strip() for part in text.split("\x00") if part.strip())


@dataclass
class ExifResult:
    """What one TIFF/EXIF structure gave: signals, errors, and embedded blocks
    other readers handle (XMP packets in tag 700, IIM records in tag 33723,
    Photoshop image resources in tag 34377)."""

    signals: list[MetadataSignal] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    xmp: list[bytes] = field(default_factory=list)
    iptc: list[bytes] = field(default_factory=list)
    photoshop: list[bytes] = field(default_factory=list)


def _value_bytes(data: bytes, order: str, entry: int) -> tuple[int, int, bytes] | None:
    """Return (tag type, count, value bytes) of the 12-byte IFD entry at ``entry``."""
    ftype, count = struct.unpack_from(order + "HI", data, entry + 2)
    size = _TYPE_SIZES.get(ftype)
    if size is None:
        return None
    total = size * count
    if total > _MAX_VALUE_BYTES:
        return None
    if total <= 4:
        return ftype, count, data[entry + 8: entry + 8 + total]
    (offset,) = struct.unpack_from(order + "I", data, entry + 8)
    if offset + total > len(data):
        return None
    return ftype, count, data[offset: offset + total]


def _offsets(ftype: int, count: int, raw: bytes, order: str) -> list[int]:
    if ftype in (4, 13):
        return list(struct.unpack(order + f"{count}I", raw[: 4 * count]))
    if ftype == 3:
        return list(struct.unpack(order + f"{count}H", raw[: 2 * count]))
    return []


def _tag_text(tag: int, ftype: int, raw: bytes, order: str) -> str:
    if tag == 0x9286:
        return decode_user_comment(raw, order)
    if tag in _XP_TAGS and ftype in (1, 7):
        return " ".join(_decode_utf16(raw, "<").replace("\x00", " ").split())
    return decode_text(raw)


def read_exif(data: bytes, *, container: str = "EXIF") -> ExifResult:
    """Read the metadata tags of one TIFF structure (an EXIF block or a TIFF file).

    Walks IFD0, the IFD chain after it (IFD1, further pages), the Exif IFD and
    TIFF SubIFDs, and reports every tag of interest wherever it sits
    (``ProcessingSoftware``, ``ImageDescription``, ``Make``, ``Model``,
    ``Software``, ``UserComment``, ``XP*``, Exif 3.0 ``ImageTitle`` and
    ``*Software``). A tag outside its standard IFD is reported as e.g.
    ``"EXIF UserComment (in IFD0)"``. Identical (name, value) pairs are
    reported once.

    Args:
        data: the TIFF bytes, starting ``II*\\0`` or ``MM\\0*``; a leading
            ``Exif\\0\\0`` (JPEG APP1 / WebP EXIF payload) is accepted.
        container: the field-name prefix, ``"EXIF"`` by default.
    Returns:
        An :class:`ExifResult`. Damage is reported in ``errors`` as plain
        words (what was not read), never raised.
    """
    result = ExifResult()
    if data.startswith(b"Exif\x00"):
        data = data[6:]
    if data[:4] == b"II*\x00":
        order = "<"
    elif data[:4] == b"MM\x00*":
        order = ">"
    elif data[:4] in (b"II+\x00", b"MM\x00+"):
        result.errors.append(f"{container}: BigTIFF structure not read")
        return result
    else:
        result.errors.append(f"{container}: the block does not start with a TIFF header; not read")
        return result
    try:
        _walk(data, order, container, result)
    except struct.error:
        result.errors.append(f"{container}: the TIFF structure is truncated; the rest was not read")
    return result


def _walk(data: bytes, order: str, container: str, result: ExifResult) -> None:
    (first,) = struct.unpack_from(order + "I", data, 4)
    # Queue of (offset, IFD name, follow the next-IFD chain).
    queue: list[tuple[int, str, bool]] = [(first, "IFD0", True)]
    visited: set[int] = set()
    seen: set[tuple[str, str]] = set()
    chain_index = 0
    while queue:
        offset, name, follow = queue.pop(0)
        if offset in visited or offset < 8 or offset + 2 > len(data):
            if offset not in visited and offset != 0:
                result.errors.append(f"{container}: {name} points outside the block; not read")
            continue
        if len(visited) >= _MAX_IFDS:
            result.errors.append(f"{container}: more than {_MAX_IFDS} IFDs; the rest were not read")
            return
        visited.add(offset)
        (count,) = struct.unpack_from(order + "H", data, offset)
        if count > _MAX_ENTRIES or offset + 2 + 12 * count > len(data):
            result.errors.append(f"{container}: {name} is damaged (entry count {count}); not read")
            continue
        for index in range(count):
            entry = offset + 2 + 12 * index
            (tag,) = struct.unpack_from(order + "H", data, entry)
            if tag not in _TAGS and tag not in (_TAG_XMP, _TAG_IPTC, _TAG_PHOTOSHOP, _TAG_EXIF_IFD,
                                                _TAG_SUB_IFDS):
                continue
            value = _value_bytes(data, order, entry)
            if value is None:
                continue
            ftype, vcount, raw = value
            if tag == _TAG_EXIF_IFD:
                queue.extend((target, "ExifIFD", False) for target in _offsets(ftype, vcount, raw, order)[:1])
            elif tag == _TAG_SUB_IFDS:
                queue.extend((target, "SubIFD", False) for target in _offsets(ftype, vcount, raw, order)[:16])
            elif tag == _TAG_XMP:
                result.xmp.append(raw)
            elif tag == _TAG_IPTC:
                result.iptc.append(raw)
            elif tag == _TAG_PHOTOSHOP:
                result.photoshop.append(raw)
            else:
                tag_name, kind, home = _TAGS[tag]
                text = _tag_text(tag, ftype, raw, order)
                if not text or (tag_name, text) in seen:
                    continue
                seen.add((tag_name, text))
                result.signals.append(make_signal(
                    Container(container), tag_name, kind, text, namespace=name, path=None if name == home else name))
        if follow:
            end = offset + 2 + 12 * count
            if end + 4 <= len(data):
                (next_offset,) = struct.unpack_from(order + "I", data, end)
                if next_offset:
                    chain_index += 1
                    queue.append((next_offset, f"IFD{chain_index}", True))
