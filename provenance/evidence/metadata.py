"""Unsigned metadata of an image: XMP, EXIF, IPTC-IIM, PNG text (issue #4).

:func:`read_metadata` finds every metadata block the container holds, hands
each to its reader and returns one :class:`~provenance.model.MetadataSignal`
per fact. Reading never decides: the signals are judged by
:mod:`provenance.classify` (``classify_signal``).

Where the blocks are (container specifications):

- JPEG (ISO/IEC 10918-1 markers, walked up to the first SOS): APP1
  ``Exif\\0\\0`` (EXIF), APP1 ``http://ns.adobe.com/xap/1.0/\\0`` (XMP), APP1
  ``http://ns.adobe.com/xmp/extension/\\0`` (extended XMP, reassembled when its
  chunks are complete; XMP Specification part 3 §1.1.3.1), APP13
  ``Photoshop 3.0`` image resources 0x0404 (IPTC-IIM), COM (comment).
- PNG: text chunks, ``iTXt XML:com.adobe.xmp``, ``eXIf`` (see ``_pngtext``).
- WebP (RIFF, Google WebP container spec): ``EXIF`` and ``XMP `` chunks.
- TIFF/DNG (TIFF 6.0): IFD tags, XMP in tag 700, IIM in tag 33723.
- AVIF/HEIF (ISO/IEC 23008-12 items in the top-level ``meta`` box): the
  ``Exif`` item and ``mime`` items of type ``application/rdf+xml``.
- Any format whose structure gave no XMP (AVIF/HEIF without an XMP item, GIF,
  JPEG XL, unknown): the bytes are scanned for ``<x:xmpmeta`` ...
  ``</x:xmpmeta>``; EXIF and comments then come from Pillow as a fallback.

Only Pillow and defusedxml (plus the standard library) are used: XML goes
through defusedxml with DTDs refused (see ``_xmp``); EXIF is walked by our own
bounded IFD reader (``_exif``) because piexif drops tags that sit outside the
IFD it expects them in. Every walk is bounded; bad or hostile input gives a
plain-words error message, never an exception.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from dataclasses import dataclass, field

from ..model import Container, MetadataSignal, SignalKind
from ._exif import decode_text, make_signal, read_exif
from ._pngtext import read_png
from ._xmp import MAX_PACKET_BYTES, parse_xmp_packet

__all__ = ["read_metadata"]

_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"
_EXT_XMP_APP1 = b"http://ns.adobe.com/xmp/extension/\x00"
_PHOTOSHOP_APP13 = b"Photoshop 3.0\x00"
_HAS_EXTENDED = re.compile(rb"HasExtendedXMP\s*(?:=\s*[\"']|>)\s*([0-9A-Fa-f]{32})")
_SCAN_START = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)|<\?xpacket\s+begin", re.IGNORECASE)
_MAX_SCANNED_PACKETS = 4
_MAX_ITEM_BYTES = 16 * 1024 * 1024
_MAX_BOXES = 4096

# IPTC-IIM record 2 datasets (IPTC IIM 4.2 §6) worth reporting.
_IIM_DATASETS: dict[int, tuple[str, SignalKind]] = {
    65: ("OriginatingProgram", SignalKind.SOFTWARE),
    110: ("Credit", SignalKind.CREDIT),
    120: ("Caption-Abstract", SignalKind.DESCRIPTION),
}


@dataclass
class _Found:
    """Blocks found in the container, before their readers run."""

    signals: list[MetadataSignal] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    xmp: list[tuple[bytes, str]] = field(default_factory=list)
    exif: list[tuple[bytes, str]] = field(default_factory=list)
    iim: list[bytes] = field(default_factory=list)
    irb: list[bytes] = field(default_factory=list)
    extended: dict[bytes, tuple[int, dict[int, bytes]]] = field(default_factory=dict)


def read_metadata(data: bytes, media_type: str | None) -> tuple[tuple[MetadataSignal, ...], tuple[str, ...]]:
    """Read the unsigned metadata of one image.

    Args:
        data: the whole file.
        media_type: the sniffed media type (``"image/jpeg"``...), or ``None``;
            the content is sniffed again and wins over this hint, which only
            matters for content the sniffing does not recognise.
    Returns:
        ``(signals, errors)``: the signals in file order (EXIF, then XMP, then
        IPTC and PNG text; duplicates removed), and plain-words messages for
        everything that could not be read, e.g. ``"XMP refused: it declares
        entities ..."`` or ``"PNG: zTXt 'Comment' inflates to more than 8 MiB;
        only the first part was read"``.
    Errors: never raises for bad input; an unexpected failure ends the pass
        early with an error message and keeps what was read before it.
    Cost: walks the container headers only (no pixel decoding, except the
        Pillow fallback for formats whose structure is not walked here).
    """
    found = _Found()
    try:
        _read(data, media_type, found)
    except Exception as error:  # noqa: BLE001 - reading must never raise on hostile input
        found.errors.append(f"metadata reading stopped early ({type(error).__name__}: {error}); "
                            "what was read before that point is kept")
    signals: list[MetadataSignal] = []
    seen: set[tuple[str, str, str]] = set()
    for signal in found.signals:
        key = (signal.container, signal.field, signal.value)
        if key not in seen:
            seen.add(key)
            signals.append(signal)
    return tuple(signals), tuple(dict.fromkeys(found.errors))


def _container(data: bytes, media_type: str | None) -> str:
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[4:8] == b"ftyp":
        return "bmff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    hint = (media_type or "").lower()
    for name, types in (("jpeg", ("image/jpeg",)), ("png", ("image/png",)), ("webp", ("image/webp",)),
                        ("bmff", ("image/avif", "image/heif", "image/heic"))):
        if hint in types:
            return name
    return "other"


def _read(data: bytes, media_type: str | None, found: _Found) -> None:
    kind = _container(data, media_type)
    if kind == "jpeg":
        _walk_jpeg(data, found)
        _assemble_extended_xmp(found)
    elif kind == "png":
        png = read_png(data)
        found.signals.extend(png.signals)
        found.errors.extend(png.errors)
        found.xmp.extend((packet, "PNG iTXt") for packet in png.xmp)
        found.exif.extend((block, "PNG eXIf") for block in png.exif)
        for blob in png.iptc:
            (found.irb if blob.startswith(b"8BIM") else found.iim).append(blob)
    elif kind == "webp":
        _walk_webp(data, found)
    elif kind == "tiff":
        found.exif.append((data, "TIFF"))
    elif kind == "bmff":
        _walk_bmff(data, found)

    exif_signals: list[MetadataSignal] = []
    for block, where in found.exif:
        result = read_exif(block)
        exif_signals.extend(result.signals)
        found.errors.extend(f"{error} ({where})" for error in result.errors)
        found.xmp.extend((packet, f"{where} tag 700") for packet in result.xmp)
        found.iim.extend(result.iptc)
        found.irb.extend(result.photoshop)

    if not found.xmp and kind not in ("jpeg", "png", "webp", "tiff"):
        found.xmp.extend((packet, "scanned bytes") for packet in _scan_xmp(data, found))
    if not found.exif and kind not in ("jpeg", "png", "webp", "tiff"):
        exif_signals.extend(_pillow_fallback(data, found))

    xmp_signals: list[MetadataSignal] = []
    for packet, where in found.xmp:
        signals, errors = parse_xmp_packet(packet, where)
        xmp_signals.extend(signals)
        found.errors.extend(errors)

    for irb in found.irb:
        found.iim.extend(_iim_from_irb(irb))
    iim_signals: list[MetadataSignal] = []
    for record in found.iim:
        iim_signals.extend(_iim_signals(record))

    # Order: EXIF, XMP, IPTC, then container-level text (PNG chunks, comments).
    found.signals[:0] = exif_signals + xmp_signals + iim_signals


# --------------------------------------------------------------------------------------
# JPEG
# --------------------------------------------------------------------------------------

def _walk_jpeg(data: bytes, found: _Found) -> None:
    position = 2
    size = len(data)
    while position + 4 <= size:
        if data[position] != 0xFF:
            found.errors.append(f"JPEG: no marker at byte {position} (damaged file); "
                                "metadata after that point was not read")
            return
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # standalone markers
            position += 2
            continue
        if marker in (0xD9, 0xDA):  # EOI, or SOS: metadata segments come before the scan
            return
        (length,) = struct.unpack_from(">H", data, position + 2)
        end = position + 2 + length
        if length < 2 or end > size:
            found.errors.append(f"JPEG: segment at byte {position} runs past the end of the file; "
                                "metadata after that point was not read")
            return
        payload = data[position + 4: end]
        if marker == 0xE1:
            if payload.startswith(b"Exif\x00"):
                found.exif.append((payload[6:], "JPEG APP1"))
            elif payload.startswith(_XMP_APP1):
                found.xmp.append((payload[len(_XMP_APP1):], "JPEG APP1"))
            elif payload.startswith(_EXT_XMP_APP1):
                _extended_chunk(payload[len(_EXT_XMP_APP1):], found)
        elif marker == 0xED and payload.startswith(_PHOTOSHOP_APP13):
            found.irb.append(payload[len(_PHOTOSHOP_APP13):])
        elif marker == 0xFE:
            text = decode_text(payload)
            if text:
                found.signals.append(make_signal(Container.JPEG, "COM", SignalKind.DESCRIPTION, text))
        position = end


def _extended_chunk(chunk: bytes, found: _Found) -> None:
    if len(chunk) < 40:
        found.errors.append("JPEG: an extended XMP segment is truncated; ignored")
        return
    guid = chunk[:32]
    total, offset = struct.unpack_from(">II", chunk, 32)
    if total > MAX_PACKET_BYTES:
        found.errors.append(f"JPEG: extended XMP declares {total} bytes (over the limit); ignored")
        return
    declared, parts = found.extended.setdefault(guid, (total, {}))
    if declared == total:
        parts[offset] = chunk[40:]


def _assemble_extended_xmp(found: _Found) -> None:
    """Join extended XMP chunks (XMP part 3 §1.1.3.1) when they cover the packet exactly."""
    if not found.extended:
        return
    named = {match.group(1).upper() for packet, _ in found.xmp for match in _HAS_EXTENDED.finditer(packet)}
    for guid, (total, parts) in found.extended.items():
        label = guid.decode("latin-1")
        buffer = bytearray()
        for offset in sorted(parts):
            if offset != len(buffer):
                break
            buffer.extend(parts[offset])
        if len(buffer) != total:
            found.errors.append(f"JPEG: extended XMP {label} is incomplete (chunks missing or overlapping); "
                                "not read")
            continue
        if guid.upper() not in named:
            found.errors.append(f"JPEG: extended XMP {label} is not referenced by the main XMP packet; "
                                "read anyway")
        found.xmp.append((bytes(buffer), "JPEG extended XMP"))


# --------------------------------------------------------------------------------------
# WebP (RIFF chunks)
# --------------------------------------------------------------------------------------

def _walk_webp(data: bytes, found: _Found) -> None:
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end_of_riff = min(len(data), 8 + riff_size)
    position = 12
    while position + 8 <= end_of_riff:
        fourcc = data[position: position + 4]
        (length,) = struct.unpack_from("<I", data, position + 4)
        start = position + 8
        end = start + length
        if end > len(data):
            found.errors.append(f"WebP: chunk {fourcc!r} runs past the end of the file; the rest was not read")
            return
        if fourcc == b"EXIF":
            found.exif.append((data[start:end], "WebP EXIF"))
        elif fourcc == b"XMP ":
            found.xmp.append((data[start:end], "WebP XMP"))
        position = end + (length & 1)


# --------------------------------------------------------------------------------------
# ISO BMFF (AVIF / HEIF): items of the top-level meta box
# --------------------------------------------------------------------------------------

def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """Return (type, payload start, payload end) of the boxes in data[start:end]."""
    boxes: list[tuple[bytes, int, int]] = []
    position = start
    while position + 8 <= end and len(boxes) < _MAX_BOXES:
        size, box_type = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            if position + 16 > end:
                break
            (size,) = struct.unpack_from(">Q", data, position + 8)
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            break
        boxes.append((box_type, position + header, position + size))
        position += size
    return boxes


def _read_uint(data: bytes, position: int, size: int) -> tuple[int, int]:
    if size == 0:
        return 0, position
    if size not in (1, 2, 4, 8):
        raise struct.error(f"unsupported field size {size}")
    return int.from_bytes(data[position: position + size], "big"), position + size


def _walk_bmff(data: bytes, found: _Found) -> None:
    try:
        _walk_bmff_meta(data, found)
    except (struct.error, IndexError, ValueError):
        found.errors.append("HEIF/AVIF: the meta box is damaged; its items were not read")


def _walk_bmff_meta(data: bytes, found: _Found) -> None:
    meta = next(((s, e) for t, s, e in _boxes(data, 0, len(data)) if t == b"meta"), None)
    if meta is None:
        return
    children = _boxes(data, meta[0] + 4, meta[1])  # meta is a FullBox
    kinds: dict[int, tuple[bytes, str]] = {}
    locations: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}
    idat: tuple[int, int] | None = None
    for box_type, start, end in children:
        if box_type == b"iinf":
            kinds = _item_infos(data, start, end)
        elif box_type == b"iloc":
            locations = _item_locations(data, start, end)
        elif box_type == b"idat":
            idat = (start, end)
    for item_id, (item_type, content_type) in kinds.items():
        if item_type == b"Exif" or (item_type == b"mime" and "rdf+xml" in content_type.lower()):
            payload = _item_payload(data, locations.get(item_id), idat)
            if payload is None:
                found.errors.append(f"HEIF/AVIF: item {item_id} ({item_type.decode('latin-1')}) "
                                    "cannot be located; not read")
            elif item_type == b"Exif":
                if len(payload) >= 4:
                    (skip,) = struct.unpack_from(">I", payload, 0)
                    block = payload[4 + skip:] if 4 + skip <= len(payload) else payload[4:]
                    found.exif.append((block, "HEIF Exif item"))
            else:
                found.xmp.append((payload, "HEIF XMP item"))


def _item_infos(data: bytes, start: int, end: int) -> dict[int, tuple[bytes, str]]:
    version = data[start]
    first = start + 4 + (2 if version == 0 else 4)
    infos: dict[int, tuple[bytes, str]] = {}
    for box_type, s, e in _boxes(data, first, end):
        if box_type != b"infe" or e - s < 4:
            continue
        infe_version = data[s]
        if infe_version < 2:
            continue
        position = s + 4
        item_id, position = _read_uint(data, position, 2 if infe_version == 2 else 4)
        position += 2  # protection index
        item_type = data[position: position + 4]
        position += 4
        rest = data[position:e].split(b"\x00")
        content_type = rest[1].decode("latin-1") if item_type == b"mime" and len(rest) > 1 else ""
        infos[item_id] = (item_type, content_type)
    return infos


def _item_locations(data: bytes, start: int, end: int) -> dict[int, tuple[int, int, list[tuple[int, int]]]]:
    version = data[start]
    position = start + 4
    sizes = data[position: position + 2]
    offset_size, length_size = sizes[0] >> 4, sizes[0] & 15
    base_size, index_size = sizes[1] >> 4, (sizes[1] & 15 if version in (1, 2) else 0)
    position += 2
    count, position = _read_uint(data, position, 2 if version < 2 else 4)
    locations: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}
    for _ in range(min(count, _MAX_BOXES)):
        if position >= end:
            break
        item_id, position = _read_uint(data, position, 2 if version < 2 else 4)
        method = 0
        if version in (1, 2):
            value, position = _read_uint(data, position, 2)
            method = value & 15
        position += 2  # data reference index
        base, position = _read_uint(data, position, base_size)
        extent_count, position = _read_uint(data, position, 2)
        extents: list[tuple[int, int]] = []
        for _ in range(min(extent_count, 64)):
            if index_size:
                _, position = _read_uint(data, position, index_size)
            offset, position = _read_uint(data, position, offset_size)
            length, position = _read_uint(data, position, length_size)
            extents.append((offset, length))
        locations[item_id] = (method, base, extents)
    return locations


def _item_payload(data: bytes, location: tuple[int, int, list[tuple[int, int]]] | None,
                  idat: tuple[int, int] | None) -> bytes | None:
    if location is None:
        return None
    method, base, extents = location
    if method == 0:
        origin, limit = 0, len(data)
    elif method == 1 and idat is not None:
        origin, limit = idat
    else:
        return None
    out = bytearray()
    for offset, length in extents:
        begin = origin + base + offset
        stop = limit if length == 0 else begin + length
        if begin > limit or stop > limit or len(out) + (stop - begin) > _MAX_ITEM_BYTES:
            return None
        out.extend(data[begin:stop])
    return bytes(out)


# --------------------------------------------------------------------------------------
# Fallbacks: byte scan for XMP, Pillow for EXIF and comments
# --------------------------------------------------------------------------------------

def _scan_xmp(data: bytes, found: _Found) -> list[bytes]:
    """Find ``<x:xmpmeta`` ... ``</x:xmpmeta>`` packets in raw bytes (formats not walked here).

    The packet is taken from the ``<?xpacket begin`` or DTD that precedes it
    (within 64 KiB), so a DTD smuggled before the root element is refused too.
    """
    packets: list[bytes] = []
    position = 0
    while len(packets) < _MAX_SCANNED_PACKETS:
        start = data.find(b"<x:xmpmeta", position)
        if start < 0:
            break
        stop = data.find(b"</x:xmpmeta>", start)
        if stop < 0:
            found.errors.append("an XMP packet starts but never ends; not read")
            break
        window_start = max(position, start - 65536)
        match = _SCAN_START.search(data, window_start, start)
        begin = match.start() if match else start
        packets.append(data[begin: stop + len(b"</x:xmpmeta>")])
        position = stop + len(b"</x:xmpmeta>")
    return packets


def _comment_container(format_name: str) -> Container:
    """The container of a comment Pillow found, from its format name (``"GIF"``, ``"WEBP"``...)."""
    return {"GIF": Container.GIF, "JPEG": Container.JPEG, "WEBP": Container.WEBP, "PNG": Container.PNG,
            "TIFF": Container.TIFF}.get(format_name.upper(), Container.OTHER)


def _pillow_fallback(data: bytes, found: _Found) -> list[MetadataSignal]:
    """EXIF (``getexif()``), XMP and comments through Pillow, for formats walked by nobody else."""
    from PIL import Image

    signals: list[MetadataSignal] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                info = dict(image.info)
                format_name = image.format or "image"
                exif_block = info.get("exif")
                if not isinstance(exif_block, bytes) or not exif_block:
                    exif = image.getexif()
                    exif_block = exif.tobytes() if len(exif) else b""
    except Exception:  # noqa: BLE001 - Pillow cannot open it: nothing more to read
        return signals
    if exif_block:
        result = read_exif(exif_block)
        signals.extend(result.signals)
        found.errors.extend(f"{error} (Pillow)" for error in result.errors)
        found.xmp.extend((packet, "TIFF tag 700") for packet in result.xmp)
    xmp = info.get("xmp") or info.get("XML:com.adobe.xmp")
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8")
    if isinstance(xmp, bytes) and xmp and not any(xmp in packet for packet, _ in found.xmp):
        signals_xmp, errors = parse_xmp_packet(xmp, "Pillow")
        signals.extend(signals_xmp)
        found.errors.extend(errors)
    comment = info.get("comment")
    if isinstance(comment, bytes):
        comment = decode_text(comment)
    if isinstance(comment, str) and comment.strip():
        signals.append(make_signal(_comment_container(format_name), "Comment", SignalKind.DESCRIPTION, comment.strip()))
    return signals


# --------------------------------------------------------------------------------------
# IPTC-IIM (Photoshop image resources, IIM datasets)
# --------------------------------------------------------------------------------------

def _iim_from_irb(irb: bytes) -> list[bytes]:
    """The IPTC-IIM records (resource 0x0404) of Photoshop image resource blocks."""
    records: list[bytes] = []
    position = 0
    for _ in range(_MAX_BOXES):
        if position + 12 > len(irb) or irb[position: position + 4] not in (b"8BIM", b"MeSa", b"PHUT", b"AgHg",
                                                                           b"DCSR"):
            break
        (resource,) = struct.unpack_from(">H", irb, position + 4)
        name_length = irb[position + 6]
        name_field = 1 + name_length + ((1 + name_length) & 1)
        size_at = position + 6 + name_field
        if size_at + 4 > len(irb):
            break
        (size,) = struct.unpack_from(">I", irb, size_at)
        start = size_at + 4
        if start + size > len(irb):
            break
        if resource == 0x0404:
            records.append(irb[start: start + size])
        position = start + size + (size & 1)
    return records


def _iim_signals(record: bytes) -> list[MetadataSignal]:
    signals: list[MetadataSignal] = []
    position = 0
    utf8 = False
    values: list[tuple[int, bytes]] = []
    while position + 5 <= len(record) and record[position] == 0x1C:
        number, dataset, length = record[position + 1], record[position + 2], record[position + 3: position + 5]
        (size,) = struct.unpack(">H", length)
        position += 5
        if size & 0x8000:  # extended length: the low bits give the length of the length field
            width = size & 0x7FFF
            if width > 4 or position + width > len(record):
                break
            size = int.from_bytes(record[position: position + width], "big")
            position += width
        value = record[position: position + size]
        position += size
        if number == 1 and dataset == 90 and b"\x1b%G" in value:
            utf8 = True
        elif number == 2 and dataset in _IIM_DATASETS:
            values.append((dataset, value))
    for dataset, value in values:
        name, kind = _IIM_DATASETS[dataset]
        text = value.decode("utf-8", errors="replace") if utf8 else decode_text(value)
        text = text.strip()
        if text:
            signals.append(make_signal(Container.IPTC, name, kind, text))
    return signals
