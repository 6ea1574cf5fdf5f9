"""Bounded structural checks: does the file hold a whole image of its format, without decoding pixels?

Used only when the C2PA hard binding did not validate (no credentials, or credentials that do not
bind these bytes): a validated hard binding already covers every byte the signer produced. The check
walks the container, never the pixels, so its cost is linear in the file size and its memory is
constant; it answers ``None`` (whole) or a plain sentence saying why the file is truncated or damaged.

Caps (each attacker-controlled count is bounded; the file size itself is capped by
``MAX_FILE_BYTES`` in :mod:`provenance.evidence`):

- ``MAX_DECLARED_PIXELS`` = 178,956,970: an image declaring more pixels is reported, never decoded
  (the value is Pillow's decompression-bomb error threshold, ``2 * Image.MAX_IMAGE_PIXELS``).
- ``MAX_PARTS`` = 1,000,000 segments, chunks, blocks or boxes per file, and as many TIFF strips and
  tiles, and directory entries, in all the file's directories; ``MAX_IFDS`` = 256 TIFF directories (a
  loop is detected, not followed).
- ``MAX_GIF_SUB_BLOCKS`` = 16,777,216 GIF data sub-blocks per file (the 2 GiB file cap in sub-blocks of
  128 bytes: a whole GIF of full 255-byte sub-blocks stays under it).

Formats and sources: JPEG markers (ITU-T T.81 B.1.1.2-B.1.1.5: 0xFF fill bytes, stuffed 0xFF00 and
RSTn inside entropy-coded data); PNG chunks and CRC-32 (PNG 3rd ed. §5.3-5.6, IHDR first, IEND last);
GIF blocks (GIF89a §15-§27, the 0x3B trailer); WebP RIFF chunks (RFC 9649 §2.5-§2.7); TIFF IFDs and
strip/tile extents (TIFF 6.0 §2, tags 273/279/324/325); ISO-BMFF boxes (ISO/IEC 14496-12 §4.2, used by
HEIF/AVIF); JPEG XL codestream signature or container boxes (ISO/IEC 18181-2 §3). Any other format the
C2PA reader accepts is not walked (the answer is ``None``): it can still not be ``compliant`` without a
validated hard binding.
"""

from __future__ import annotations

import operator
import re
import struct
import zlib
from collections.abc import Callable
from typing import Literal

__all__ = ["MAX_DECLARED_PIXELS", "MAX_GIF_SUB_BLOCKS", "MAX_IFDS", "MAX_PARTS", "structure_problem"]

MAX_DECLARED_PIXELS = 178_956_970
MAX_PARTS = 1_000_000
MAX_IFDS = 256
MAX_GIF_SUB_BLOCKS = 16_777_216

_Order = Literal["little", "big"]

TRUNCATED = "the image is truncated (it ends before its image data does)"


class _Damaged(Exception):
    """The walk met something the format does not allow; the message says what."""


class _Truncated(Exception):
    """The file ends inside a structure."""


def _damaged(what: str) -> _Damaged:
    return _Damaged(f"the image data does not decode ({what})")


def _pixels(width: int, height: int) -> None:
    if width * height > MAX_DECLARED_PIXELS:
        raise _Damaged(f"the image declares more pixels than it is safe to decode ({width}x{height} pixels, "
                       f"cap {MAX_DECLARED_PIXELS:,}); not decoded")


def _need(data: bytes, end: int) -> None:
    if end > len(data):
        raise _Truncated


# --- JPEG ---------------------------------------------------------------------------------------

_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")  # a marker in entropy-coded data (not 00, not RSTn, not fill)
_SOF = frozenset((0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF))
_STANDALONE = frozenset((0x01, *range(0xD0, 0xD8)))


def _jpeg(data: bytes) -> None:
    if data[:2] != b"\xff\xd8":
        raise _damaged("no JPEG start-of-image marker")
    pos, parts, frame, scanned = 2, 0, False, False
    while True:
        parts += 1
        if parts > MAX_PARTS:
            raise _damaged(f"more than {MAX_PARTS:,} JPEG segments")
        _need(data, pos + 2)
        if data[pos] != 0xFF:
            raise _damaged(f"no JPEG marker at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:
            if not (frame and scanned):
                raise _damaged("the JPEG ends before any image data")
            return
        if marker in _STANDALONE:
            pos += 2
            continue
        _need(data, pos + 4)
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if length < 2:
            raise _damaged(f"a JPEG segment of length {length}")
        _need(data, pos + 2 + length)
        if marker in _SOF:
            if length < 8:
                raise _damaged("a JPEG frame header too short")
            frame = True
            _pixels(int.from_bytes(data[pos + 7:pos + 9], "big"), int.from_bytes(data[pos + 5:pos + 7], "big"))
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next real marker
            scanned = True
            found = _MARKER.search(data, pos)
            if found is None:
                raise _Truncated
            pos = found.start()


# --- PNG ----------------------------------------------------------------------------------------

def _png(data: bytes) -> None:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise _damaged("no PNG signature")
    pos, parts, idat = 8, 0, False
    view = memoryview(data)
    while True:
        parts += 1
        if parts > MAX_PARTS:
            raise _damaged(f"more than {MAX_PARTS:,} PNG chunks")
        _need(data, pos + 8)
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if length > 0x7FFFFFFF or not kind.isalpha():
            raise _damaged(f"a malformed PNG chunk at byte {pos}")
        _need(data, pos + 12 + length)
        if zlib.crc32(view[pos + 4:pos + 8 + length]) != int.from_bytes(data[pos + 8 + length:pos + 12 + length], "big"):
            raise _damaged(f"the CRC of PNG chunk {kind.decode('ascii')} at byte {pos} does not match")
        if parts == 1:
            if kind != b"IHDR" or length != 13:
                raise _damaged("the PNG does not start with its IHDR header")
            _pixels(int.from_bytes(data[pos + 8:pos + 12], "big"), int.from_bytes(data[pos + 12:pos + 16], "big"))
        idat = idat or kind == b"IDAT"
        pos += 12 + length
        if kind == b"IEND":
            if not idat:
                raise _damaged("the PNG has no image data (IDAT)")
            return


# --- GIF ----------------------------------------------------------------------------------------

def _sub_blocks(data: bytes, pos: int, budget: list[int]) -> int:
    """Skip a chain of GIF data sub-blocks; return the position after the terminator.

    ``budget`` holds how many sub-blocks the file may still have (``MAX_GIF_SUB_BLOCKS`` in all)."""
    while True:
        budget[0] -= 1
        if budget[0] < 0:
            raise _damaged(f"more than {MAX_GIF_SUB_BLOCKS:,} GIF data sub-blocks")
        _need(data, pos + 1)
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _gif(data: bytes) -> None:
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise _damaged("no GIF signature")
    _need(data, 13)
    _pixels(int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little"))
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    parts, frames, budget = 0, 0, [MAX_GIF_SUB_BLOCKS]
    while True:
        parts += 1
        if parts > MAX_PARTS:
            raise _damaged(f"more than {MAX_PARTS:,} GIF blocks")
        _need(data, pos + 1)
        kind = data[pos]
        if kind == 0x3B:
            if not frames:
                raise _damaged("the GIF has no image")
            return
        if kind == 0x21:
            _need(data, pos + 2)
            pos = _sub_blocks(data, pos + 2, budget)
        elif kind == 0x2C:
            _need(data, pos + 10)
            local = data[pos + 9]
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            pos = _sub_blocks(data, pos + 1, budget)  # after the LZW minimum code size byte
            frames += 1
        else:
            raise _damaged(f"an unknown GIF block 0x{kind:02x} at byte {pos}")


# --- WebP ---------------------------------------------------------------------------------------

def _webp_pixels(kind: bytes, body: bytes) -> None:
    if kind == b"VP8X" and len(body) >= 10:
        _pixels(1 + int.from_bytes(body[4:7], "little"), 1 + int.from_bytes(body[7:10], "little"))
    elif kind == b"VP8L" and len(body) >= 5:
        if body[0] != 0x2F:
            raise _damaged("a lossless WebP without its signature byte")
        bits = int.from_bytes(body[1:5], "little")
        _pixels(1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF))
    elif kind == b"VP8 " and len(body) >= 10:
        if body[3:6] != b"\x9d\x01\x2a":
            raise _damaged("a lossy WebP frame without its start code")
        _pixels(int.from_bytes(body[6:8], "little") & 0x3FFF, int.from_bytes(body[8:10], "little") & 0x3FFF)


def _webp(data: bytes) -> None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _damaged("no RIFF WebP header")
    end = 8 + int.from_bytes(data[4:8], "little")
    _need(data, end)
    pos, parts, image = 12, 0, False
    while pos < end:
        parts += 1
        if parts > MAX_PARTS:
            raise _damaged(f"more than {MAX_PARTS:,} WebP chunks")
        if pos + 8 > end:
            raise _damaged(f"a WebP chunk header past the RIFF size at byte {pos}")
        kind = data[pos:pos + 4]
        size = int.from_bytes(data[pos + 4:pos + 8], "little")
        if pos + 8 + size > end:
            raise _Truncated
        if parts == 1 and kind not in (b"VP8X", b"VP8L", b"VP8 "):  # RFC 9649 §2.5 (simple), §2.7 (extended)
            raise _damaged("the WebP does not start with a VP8, VP8L or VP8X chunk")
        if kind in (b"VP8X", b"VP8L", b"VP8 ") and parts <= 2:
            _webp_pixels(kind, data[pos + 8:pos + 8 + min(size, 16)])
        image = image or kind in (b"VP8L", b"VP8 ", b"ANMF")
        pos += 8 + size + (size & 1)
    if not image:
        raise _damaged("the WebP has no image data")


# --- TIFF (and DNG) -----------------------------------------------------------------------------

_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}


def _tiff_values(data: bytes, order: _Order, entry: int, max_values: int) -> tuple[int, ...]:
    """The integer values of one IFD entry (SHORT/LONG/LONG8), at most ``max_values`` of them."""
    kind = int.from_bytes(data[entry + 2:entry + 4], order)
    count = int.from_bytes(data[entry + 4:entry + 8], order)
    code = {3: "H", 4: "I", 16: "Q"}.get(kind)
    if code is None:
        return ()
    if count > max_values:
        raise _damaged(f"a TIFF entry with {count:,} values")
    width = struct.calcsize(code)
    where = entry + 8 if width * count <= 4 else int.from_bytes(data[entry + 8:entry + 12], order)
    _need(data, where + width * count)
    return struct.unpack_from(f"{'<' if order == 'little' else '>'}{count}{code}", data, where)


def _tiff_ifd(data: bytes, order: _Order, offset: int, budget: list[int]) -> int:
    """Check one IFD (its entries and image data extents); return the next IFD's offset.

    ``budget`` holds how many strips and tiles, and how many directory entries, the file may still
    have (``MAX_PARTS`` of each in all, spent here): without it, 256 directories sharing one array of
    a million offsets cost 256 million reads."""
    _need(data, offset + 2)
    count = int.from_bytes(data[offset:offset + 2], order)
    _need(data, offset + 2 + 12 * count + 4)
    budget[1] -= count
    if budget[1] < 0:  # directories may overlap: 256 of 65,535 entries each from one small file
        raise _damaged(f"more than {MAX_PARTS:,} TIFF directory entries")
    tags: dict[int, int] = {}
    for index in range(count):
        entry = offset + 2 + 12 * index
        tags[int.from_bytes(data[entry:entry + 2], order)] = entry
        kind = int.from_bytes(data[entry + 2:entry + 4], order)
        size = _TYPE_SIZES.get(kind, 1) * int.from_bytes(data[entry + 4:entry + 8], order)
        if size > 4:
            _need(data, int.from_bytes(data[entry + 8:entry + 12], order) + size)
    if 256 in tags and 257 in tags:
        widths, heights = _tiff_values(data, order, tags[256], 1), _tiff_values(data, order, tags[257], 1)
        if widths and heights:
            _pixels(widths[0], heights[0])
    for offsets_tag, counts_tag in ((273, 279), (324, 325)):
        if offsets_tag in tags and counts_tag in tags:
            starts = _tiff_values(data, order, tags[offsets_tag], budget[0])
            budget[0] -= len(starts)
            if starts:  # as many byte counts as offsets (TIFF 6.0 §2: StripsPerImage values each)
                sizes = _tiff_values(data, order, tags[counts_tag], len(starts))
                _need(data, max(map(operator.add, starts, sizes), default=0))
    return int.from_bytes(data[offset + 2 + 12 * count:offset + 6 + 12 * count], order)


def _tiff(data: bytes) -> None:
    if data[:4] not in (b"II*\x00", b"MM\x00*"):
        raise _damaged("no TIFF header")
    order: _Order = "little" if data[:2] == b"II" else "big"
    _need(data, 8)
    offset, seen, budget = int.from_bytes(data[4:8], order), set[int](), [MAX_PARTS, MAX_PARTS]
    if offset == 0:
        raise _damaged("the TIFF has no image directory")
    while offset:
        if offset in seen:
            raise _damaged("the TIFF's image directories form a loop")
        if len(seen) >= MAX_IFDS:
            raise _damaged(f"more than {MAX_IFDS} TIFF image directories")
        seen.add(offset)
        offset = _tiff_ifd(data, order, offset, budget)


# --- ISO-BMFF (HEIF, AVIF) and JPEG XL ------------------------------------------------------------

def _boxes(data: bytes, need: tuple[bytes, ...]) -> None:
    pos, parts, kinds = 0, 0, set()
    while pos < len(data):
        parts += 1
        if parts > MAX_PARTS:
            raise _damaged(f"more than {MAX_PARTS:,} top-level boxes")
        _need(data, pos + 8)
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        header = 8
        if size == 1:
            _need(data, pos + 16)
            size, header = int.from_bytes(data[pos + 8:pos + 16], "big"), 16
        elif size == 0:
            size = len(data) - pos  # the last box runs to the end of the file
        if size < header:
            raise _damaged(f"a box of size {size} at byte {pos}")
        _need(data, pos + size)
        if parts == 1 and kind not in (b"ftyp", b"JXL "):
            raise _damaged("the file does not start with its file-type box")
        kinds.add(kind)
        pos += size
    missing = [k.decode("latin-1") for k in need if k not in kinds]
    if missing:
        raise _damaged(f"no {' or '.join(missing)} box")


def _bmff(data: bytes) -> None:
    _boxes(data, (b"meta",))


def _jxl(data: bytes) -> None:
    if data[:2] == b"\xff\x0a":
        return  # a bare codestream: no container to walk
    _boxes(data, ())


_WALKERS: dict[str, Callable[[bytes], None]] = {
    "image/jpeg": _jpeg, "image/png": _png, "image/gif": _gif, "image/webp": _webp,
    "image/tiff": _tiff, "image/dng": _tiff, "image/x-adobe-dng": _tiff,
    "image/heif": _bmff, "image/heic": _bmff, "image/avif": _bmff, "image/jxl": _jxl,
}


def structure_problem(data: bytes, media_type: str) -> str | None:
    """Why ``data`` is not a whole image of ``media_type``, or ``None`` when its structure holds.

    Args:
        data: the file's exact bytes.
        media_type: the sniffed media type (``image/jpeg``...). A type without a walker gives ``None``.
    Returns:
        ``None``, or a plain sentence: truncated, damaged (which structure, at which byte), or
        declaring more than ``MAX_DECLARED_PIXELS`` pixels. Never raises for bad input; time is
        linear in ``len(data)`` and memory constant (no pixel is decoded).
    """
    walker = _WALKERS.get(media_type)
    if walker is None:
        return None
    try:
        walker(data)
    except _Truncated:
        return TRUNCATED
    except _Damaged as error:
        return str(error)
    return None
