"""Unsigned metadata of an image: XMP, EXIF, IPTC-IIM, PNG text (issues #4, #9).

:func:`read_metadata` finds every metadata part the container holds, hands each to its reader on its own
and returns one :class:`~provenance.model.MetadataSignal` per fact and one
:class:`~provenance.model.ReadProblem` per part (or piece of a part) that could not be read. Reading never
decides: signals are judged by :mod:`provenance.classify`, problems by the policy.

Where the parts are (container specifications):

- JPEG (ISO/IEC 10918-1 markers, walked up to the first SOS): APP1 ``Exif\\0\\0`` (EXIF), APP1
  ``http://ns.adobe.com/xap/1.0/\\0`` (XMP), APP1 ``http://ns.adobe.com/xmp/extension/\\0`` (extended XMP,
  reassembled when its chunks are complete; XMP Specification part 3 §1.1.3.1), APP13 ``Photoshop 3.0``
  image resources 0x0404 (IPTC-IIM), COM (comment).
- PNG: text chunks, ``iTXt XML:com.adobe.xmp``, ``eXIf`` (see ``_pngtext``).
- WebP (RIFF, Google WebP container spec): ``EXIF`` and ``XMP `` chunks.
- TIFF/DNG (TIFF 6.0): IFD tags, XMP in tag 700, IIM in tag 33723.
- AVIF/HEIF (ISO/IEC 23008-12 items in the top-level ``meta`` box, see ``_bmff``): the ``Exif`` item and
  ``mime`` items of type ``application/rdf+xml``.
- Any format whose structure gave no XMP (AVIF/HEIF without an XMP item, GIF, JPEG XL, unknown): the bytes
  are scanned for ``<x:xmpmeta`` ... ``</x:xmpmeta>``; EXIF and comments then come from Pillow.

Completeness: the container walk and every part (each XMP packet, extended XMP, EXIF block, IPTC block,
PNG chunk, BMFF item) run under their own guard (:meth:`._problems.ProblemLog.guard`), so an unexpected
error in one part is a blocking ``metadata.reader_failed`` for that part and every other part is still
read. Caps of this module (each reached cap is a blocking ``metadata.cap_reached``):
:data:`MAX_XMP_PACKETS` (64) XMP packets, :data:`MAX_EXIF_BLOCKS` (16) EXIF blocks and
:data:`MAX_IPTC_BLOCKS` (16) IPTC blocks per file, :data:`MAX_SCANNED_PACKETS` (4) packets found by the
byte scan; the readers' own caps are listed in ``_xmp``, ``_xmptree``, ``_xmpdevelop``, ``_exif``,
``_pngtext``, ``_iptc`` and ``_bmff``, and all of them in ``docs/report-schema.md``.

Only Pillow and defusedxml (plus the standard library) are used: XML goes through defusedxml with DTDs
refused (see ``_xmp``); EXIF is walked by our own bounded IFD reader (``_exif``) because piexif drops tags
that sit outside the IFD it expects them in.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from dataclasses import dataclass, field
from functools import partial

from ..model import Container, MetadataSignal, ReadProblem, SignalKind
from ._bmff import read_bmff_items
from ._exif import read_exif
from ._iptc import iim_from_irb, iim_signals
from ._pngtext import read_png
from ._problems import ProblemLog
from ._text import decode_text, make_signal
from ._xmp import MAX_PACKET_BYTES, parse_xmp_packet

__all__ = ["MAX_EXIF_BLOCKS", "MAX_IPTC_BLOCKS", "MAX_SCANNED_PACKETS", "MAX_XMP_PACKETS", "read_metadata"]

MAX_XMP_PACKETS = 64
MAX_EXIF_BLOCKS = 16
MAX_IPTC_BLOCKS = 16
MAX_SCANNED_PACKETS = 4

_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"
_EXT_XMP_APP1 = b"http://ns.adobe.com/xmp/extension/\x00"
_PHOTOSHOP_APP13 = b"Photoshop 3.0\x00"
_HAS_EXTENDED = re.compile(rb"HasExtendedXMP\s*(?:=\s*[\"']|>)\s*([0-9A-Fa-f]{32})")
_SCAN_START = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)|<\?xpacket\s+begin", re.IGNORECASE)


@dataclass
class _Found:
    """Parts found in the container, before their readers run (each with its part name)."""

    log: ProblemLog = field(default_factory=ProblemLog)
    signals: list[MetadataSignal] = field(default_factory=list)
    xmp: list[tuple[bytes, str]] = field(default_factory=list)
    exif: list[tuple[bytes, str]] = field(default_factory=list)
    iim: list[tuple[bytes, str]] = field(default_factory=list)
    irb: list[tuple[bytes, str]] = field(default_factory=list)
    extended: dict[bytes, tuple[int, dict[int, bytes]]] = field(default_factory=dict)


def read_metadata(data: bytes, media_type: str | None) -> tuple[tuple[MetadataSignal, ...], tuple[ReadProblem, ...]]:
    """Read the unsigned metadata of one image.

    Args:
        data: the whole file.
        media_type: the sniffed media type (``"image/jpeg"``...), or ``None``; the content is sniffed again
            and wins over this hint, which only matters for content the sniffing does not recognise.
    Returns:
        ``(signals, problems)``: the signals in file order (EXIF, then XMP, then IPTC and container text such
        as PNG chunks and comments; duplicates removed), and the read problems of every part that could not
        be read completely (codes in :mod:`._problems`; blocking unless a mere note).
    Errors: never raises for bad input: an unexpected error in one part is a blocking
        ``metadata.reader_failed`` for that part, and the other parts are read.
    Cost: walks the container headers only (no pixel decoding, except the Pillow fallback for formats whose
        structure is not walked here).
    """
    found = _Found()
    kind = _container(data, media_type)
    found.log.guard(f"{kind.upper()} container structure", partial(_walk_container, kind, data, found))
    exif_signals = _read_exif_blocks(found)
    if not found.xmp and kind not in ("jpeg", "png", "webp", "tiff"):
        packets = found.log.guard("XMP byte scan", partial(_scan_xmp, data, found)) or []
        found.xmp.extend((packet, "scanned bytes") for packet in packets)
    if not found.exif and kind not in ("jpeg", "png", "webp", "tiff"):
        exif_signals.extend(found.log.guard("Pillow metadata fallback", partial(_pillow_fallback, data, found)) or [])
    xmp_signals = _read_xmp_packets(found)
    iim_signals_read = _read_iptc(found)
    # Order: EXIF, XMP, IPTC, then container-level text (PNG chunks, comments).
    ordered = exif_signals + xmp_signals + iim_signals_read + found.signals
    signals: list[MetadataSignal] = []
    seen: set[tuple[str, str, str]] = set()
    for signal in ordered:
        key = (signal.container, signal.field, signal.value)
        if key not in seen:
            seen.add(key)
            signals.append(signal)
    return tuple(signals), tuple(found.log.items)


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


def _walk_container(kind: str, data: bytes, found: _Found) -> None:
    if kind == "jpeg":
        _walk_jpeg(data, found)
        _assemble_extended_xmp(found)
    elif kind == "png":
        png = read_png(data)
        found.signals.extend(png.signals)
        found.log.extend(png.problems)
        found.xmp.extend((packet, "PNG iTXt") for packet in png.xmp)
        found.exif.extend((block, "PNG eXIf") for block in png.exif)
        for blob in png.iptc:
            (found.irb if blob.startswith(b"8BIM") else found.iim).append((blob, "PNG raw profile"))
    elif kind == "webp":
        _walk_webp(data, found)
    elif kind == "tiff":
        found.exif.append((data, "TIFF"))
    elif kind == "bmff":
        items = read_bmff_items(data, found.log)
        found.exif.extend(items.exif)
        found.xmp.extend(items.xmp)


def _capped(parts: list[tuple[bytes, str]], limit: int, what: str, log: ProblemLog) -> list[tuple[bytes, str]]:
    if len(parts) > limit:
        log.cap("the file", f"{len(parts)} {what}; only the first {limit} were read")
    return parts[:limit]


def _read_exif_blocks(found: _Found) -> list[MetadataSignal]:
    signals: list[MetadataSignal] = []
    for block, where in _capped(found.exif, MAX_EXIF_BLOCKS, "EXIF blocks", found.log):
        result = found.log.guard(f"EXIF block in {where}", partial(read_exif, block, where=where))
        if result is None:
            continue
        signals.extend(result.signals)
        found.log.extend(result.problems)
        found.xmp.extend((packet, f"{where} tag 700") for packet in result.xmp)
        found.iim.extend((record, f"{where} tag 33723") for record in result.iptc)
        found.irb.extend((irb, f"{where} tag 34377") for irb in result.photoshop)
    return signals


def _read_xmp_packets(found: _Found) -> list[MetadataSignal]:
    signals: list[MetadataSignal] = []
    for packet, where in _capped(found.xmp, MAX_XMP_PACKETS, "XMP packets", found.log):
        result = found.log.guard(f"XMP packet in {where}", partial(parse_xmp_packet, packet, where))
        if result is not None:
            signals.extend(result[0])
            found.log.extend(result[1])
    return signals


def _read_iptc(found: _Found) -> list[MetadataSignal]:
    for irb, where in _capped(found.irb, MAX_IPTC_BLOCKS, "Photoshop image resource blocks", found.log):
        part = f"Photoshop image resources in {where}"
        records = found.log.guard(part, partial(iim_from_irb, irb, part, found.log)) or []
        found.iim.extend((record, f"{where} resource 0x0404") for record in records)
    signals: list[MetadataSignal] = []
    for record, where in _capped(found.iim, MAX_IPTC_BLOCKS, "IPTC-IIM records", found.log):
        part = f"IPTC-IIM record in {where}"
        signals.extend(found.log.guard(part, partial(iim_signals, record, part, found.log)) or [])
    return signals


# --------------------------------------------------------------------------------------
# JPEG
# --------------------------------------------------------------------------------------

def _walk_jpeg(data: bytes, found: _Found) -> None:
    position = 2
    size = len(data)
    while position + 4 <= size:
        if data[position] != 0xFF:
            found.log.malformed("JPEG marker segments", f"no marker at byte {position} (damaged file); "
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
            found.log.malformed("JPEG marker segments", f"the segment at byte {position} runs past the end of "
                                                        "the file; metadata after that point was not read")
            return
        if marker in _READ_SEGMENTS:  # only these are sliced: the others (scan tables, APP11 JUMBF) are not copied
            _segment(marker, data[position + 4: end], position, found)
        position = end


_READ_SEGMENTS = frozenset({0xE1, 0xED, 0xFE})
"""The JPEG segments metadata is read from: APP1 (EXIF, XMP, extended XMP), APP13 (Photoshop IRB), COM."""


def _segment(marker: int, payload: bytes, position: int, found: _Found) -> None:
    where = f"JPEG APP{marker - 0xE0} at byte {position}" if 0xE0 <= marker <= 0xEF else f"JPEG at byte {position}"
    if marker == 0xE1:
        if payload.startswith(b"Exif\x00"):
            found.exif.append((payload[6:], where))
        elif payload.startswith(_XMP_APP1):
            found.xmp.append((payload[len(_XMP_APP1):], where))
        elif payload.startswith(_EXT_XMP_APP1):
            _extended_chunk(payload[len(_EXT_XMP_APP1):], where, found)
    elif marker == 0xED and payload.startswith(_PHOTOSHOP_APP13):
        found.irb.append((payload[len(_PHOTOSHOP_APP13):], where))
    elif marker == 0xFE:
        text = decode_text(payload)
        if text:
            found.signals.append(make_signal(Container.JPEG, "COM", SignalKind.DESCRIPTION, text))


def _extended_chunk(chunk: bytes, where: str, found: _Found) -> None:
    part = f"extended XMP in {where}"
    if len(chunk) < 40:
        found.log.malformed(part, "the extended XMP segment is truncated; not read")
        return
    guid = chunk[:32]
    total, offset = struct.unpack_from(">II", chunk, 32)
    if total > MAX_PACKET_BYTES:
        found.log.cap(part, f"the extended XMP declares {total} bytes (over {MAX_PACKET_BYTES // (1024 * 1024)} MiB); "
                            "not read")
        return
    declared, parts = found.extended.setdefault(guid, (total, {}))
    if declared != total:
        found.log.malformed(part, "the segment declares another length than the other chunks of its packet; "
                                  "not read")
        return
    parts[offset] = chunk[40:]


def _assemble_extended_xmp(found: _Found) -> None:
    """Join extended XMP chunks (XMP part 3 §1.1.3.1) when they cover the packet exactly."""
    if not found.extended:
        return
    named = {match.group(1).upper() for packet, _ in found.xmp for match in _HAS_EXTENDED.finditer(packet)}
    for guid, (total, parts) in found.extended.items():
        label = guid.decode("latin-1")
        part = f"extended XMP {label}"
        buffer = bytearray()
        for offset in sorted(parts):
            if offset != len(buffer):
                break
            buffer.extend(parts[offset])
        if len(buffer) != total:
            found.log.malformed(part, "chunks are missing or overlap; the extended packet was not read")
            continue
        if guid.upper() not in named:
            found.log.note(part, "no main XMP packet references it (HasExtendedXMP); read anyway")
        found.xmp.append((bytes(buffer), f"JPEG extended XMP {label}"))


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
            found.log.malformed("WebP chunks", f"the chunk {fourcc!r} at byte {position} runs past the end of the "
                                               "file; the rest was not read")
            return
        if fourcc == b"EXIF":
            found.exif.append((data[start:end], f"WebP EXIF at byte {position}"))
        elif fourcc == b"XMP ":
            found.xmp.append((data[start:end], f"WebP XMP at byte {position}"))
        position = end + (length & 1)


# --------------------------------------------------------------------------------------
# Fallbacks: byte scan for XMP, Pillow for EXIF and comments
# --------------------------------------------------------------------------------------

def _scan_xmp(data: bytes, found: _Found) -> list[bytes]:
    """Find ``<x:xmpmeta`` ... ``</x:xmpmeta>`` packets in raw bytes (formats not walked here).

    The packet is taken from the ``<?xpacket begin`` or DTD that precedes it (within 64 KiB), so a DTD
    smuggled before the root element is refused too.
    """
    packets: list[bytes] = []
    position = 0
    while True:
        start = data.find(b"<x:xmpmeta", position)
        if start < 0:
            break
        if len(packets) >= MAX_SCANNED_PACKETS:
            found.log.cap("XMP byte scan", f"more than {MAX_SCANNED_PACKETS} XMP packets; the rest were not read")
            break
        stop = data.find(b"</x:xmpmeta>", start)
        if stop < 0:
            found.log.malformed(f"XMP packet at byte {start}", "the packet starts but never ends; not read")
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
        result = read_exif(exif_block, where="Pillow")
        signals.extend(result.signals)
        found.log.extend(result.problems)
        found.xmp.extend((packet, "TIFF tag 700") for packet in result.xmp)
    xmp = info.get("xmp") or info.get("XML:com.adobe.xmp")
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8")
    if isinstance(xmp, bytes) and xmp and not any(xmp in packet for packet, _ in found.xmp):
        found.xmp.append((xmp, "Pillow"))
    comment = info.get("comment")
    if isinstance(comment, bytes):
        comment = decode_text(comment)
    if isinstance(comment, str) and comment.strip():
        signals.append(make_signal(_comment_container(format_name), "Comment", SignalKind.DESCRIPTION, comment.strip()))
    return signals
