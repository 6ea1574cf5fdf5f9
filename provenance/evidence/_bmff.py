"""ISO-BMFF (AVIF / HEIF) metadata items: the ``Exif`` and XMP items of the top-level ``meta`` box.

Layouts: ISO/IEC 14496-12 §4.2 (box header, 64-bit ``largesize``, size 0 = to the end), §8.11.6
(``iinf`` / ``infe`` version 2 and 3), §8.11.3 (``iloc`` versions 0-2, construction methods 0 = file
offset and 1 = ``idat``), ISO/IEC 23008-12 §A.2.1 (an ``Exif`` item starts with a 4-byte offset to the
TIFF header) and the ``mime`` items of type ``application/rdf+xml`` (XMP).

The ``iinf`` and ``iloc`` boxes and every item are read on their own: damage in one is a blocking
``metadata.part_malformed`` for it and the others are still read. Caps (blocking
``metadata.cap_reached``): :data:`MAX_BOXES` boxes per level and items per ``iloc``, :data:`MAX_EXTENTS`
extents per item, :data:`MAX_ITEM_BYTES` (16 MiB) per item.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from ._problems import ProblemLog

__all__ = ["MAX_BOXES", "MAX_EXTENTS", "MAX_ITEM_BYTES", "BmffItems", "read_bmff_items"]

MAX_BOXES = 4096
MAX_EXTENTS = 64
MAX_ITEM_BYTES = 16 * 1024 * 1024

_Location = tuple[int, int, list[tuple[int, int]]]


@dataclass
class BmffItems:
    """The payloads found: EXIF blocks (TIFF header first) and XMP packets, each with its part name."""

    exif: list[tuple[bytes, str]] = field(default_factory=list)
    xmp: list[tuple[bytes, str]] = field(default_factory=list)


def boxes(data: bytes, start: int, end: int, part: str, log: ProblemLog) -> list[tuple[bytes, int, int]]:
    """Return (type, payload start, payload end) of the boxes in ``data[start:end]``."""
    found: list[tuple[bytes, int, int]] = []
    position = start
    while position + 8 <= end:
        if len(found) >= MAX_BOXES:
            log.cap(part, f"more than {MAX_BOXES} boxes; the rest were not read")
            break
        size, box_type = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            if position + 16 > end:
                log.malformed(part, f"a box header at byte {position} is truncated")
                break
            (size,) = struct.unpack_from(">Q", data, position + 8)
            header = 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            log.malformed(part, f"the box {box_type!r} at byte {position} runs past its parent; the rest was not read")
            break
        found.append((box_type, position + header, position + size))
        position += size
    return found


class _Damaged(Exception):
    """A box whose fields run past its end or use an unsupported field size."""


def _read_uint(data: bytes, position: int, size: int) -> tuple[int, int]:
    if size == 0:
        return 0, position
    if size not in (1, 2, 4, 8):
        raise _Damaged(f"unsupported field size {size}")
    if position + size > len(data):
        raise _Damaged("a field runs past the data")
    return int.from_bytes(data[position: position + size], "big"), position + size


def read_bmff_items(data: bytes, log: ProblemLog) -> BmffItems:
    """Find the ``Exif`` and XMP items of the top-level ``meta`` box (see the module docstring)."""
    found = BmffItems()
    meta = next(((s, e) for t, s, e in boxes(data, 0, len(data), "HEIF/AVIF top-level boxes", log)
                 if t == b"meta"), None)
    if meta is None:
        return found
    children = boxes(data, meta[0] + 4, meta[1], "HEIF/AVIF meta box", log)  # meta is a FullBox
    kinds: dict[int, tuple[bytes, str]] = {}
    locations: dict[int, _Location] = {}
    idat: tuple[int, int] | None = None
    for box_type, start, end in children:
        if box_type == b"iinf":
            kinds = _damaged_box("HEIF/AVIF iinf box", log, partial(_item_infos, data, start, end, log)) or {}
        elif box_type == b"iloc":
            locations = _damaged_box("HEIF/AVIF iloc box", log, partial(_item_locations, data, start, end, log)) or {}
        elif box_type == b"idat":
            idat = (start, end)
    for item_id, (item_type, content_type) in kinds.items():
        if item_type == b"Exif" or (item_type == b"mime" and "rdf+xml" in content_type.lower()):
            part = f"HEIF/AVIF item {item_id} ({item_type.decode('latin-1')})"
            payload = _item_payload(data, locations.get(item_id), idat, part, log)
            if payload is None:
                continue
            if item_type == b"Exif":
                if len(payload) < 4:
                    log.malformed(part, "the Exif item is shorter than its header; not read")
                    continue
                (skip,) = struct.unpack_from(">I", payload, 0)
                block = payload[4 + skip:] if 4 + skip <= len(payload) else payload[4:]
                found.exif.append((block, part))
            else:
                found.xmp.append((payload, part))
    return found


_T = TypeVar("_T")


def _damaged_box(part: str, log: ProblemLog, read: Callable[[], _T]) -> _T | None:
    """Run ``read()``; a truncated or inconsistent box is a blocking ``metadata.part_malformed`` for it."""
    def checked() -> _T | None:
        try:
            return read()
        except (_Damaged, IndexError, struct.error) as error:
            log.malformed(part, f"the box is truncated or inconsistent ({error or type(error).__name__}); "
                                "its entries were not read")
            return None

    return log.guard(part, checked)


def _item_infos(data: bytes, start: int, end: int, log: ProblemLog) -> dict[int, tuple[bytes, str]]:
    version = data[start]
    first = start + 4 + (2 if version == 0 else 4)
    infos: dict[int, tuple[bytes, str]] = {}
    for box_type, s, e in boxes(data, first, end, "HEIF/AVIF iinf box", log):
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


def _item_locations(data: bytes, start: int, end: int, log: ProblemLog) -> dict[int, _Location]:
    version = data[start]
    position = start + 4
    sizes = data[position: position + 2]
    offset_size, length_size = sizes[0] >> 4, sizes[0] & 15
    base_size, index_size = sizes[1] >> 4, (sizes[1] & 15 if version in (1, 2) else 0)
    position += 2
    count, position = _read_uint(data, position, 2 if version < 2 else 4)
    if count > MAX_BOXES:
        log.cap("HEIF/AVIF iloc box", f"{count} item locations; only the first {MAX_BOXES} were read")
    locations: dict[int, _Location] = {}
    for _ in range(min(count, MAX_BOXES)):
        if position >= end:
            log.malformed("HEIF/AVIF iloc box", "it lists more items than it holds")
            break
        item_id, position = _read_uint(data, position, 2 if version < 2 else 4)
        method = 0
        if version in (1, 2):
            value, position = _read_uint(data, position, 2)
            method = value & 15
        position += 2  # data reference index
        base, position = _read_uint(data, position, base_size)
        extent_count, position = _read_uint(data, position, 2)
        if extent_count > MAX_EXTENTS:
            log.cap(f"HEIF/AVIF item {item_id}", f"{extent_count} extents; only the first {MAX_EXTENTS} were read")
        extents: list[tuple[int, int]] = []
        for _ in range(min(extent_count, MAX_EXTENTS)):
            if index_size:
                _, position = _read_uint(data, position, index_size)
            offset, position = _read_uint(data, position, offset_size)
            length, position = _read_uint(data, position, length_size)
            extents.append((offset, length))
        locations[item_id] = (method, base, extents)
    return locations


def _item_payload(data: bytes, location: _Location | None, idat: tuple[int, int] | None, part: str,
                  log: ProblemLog) -> bytes | None:
    if location is None:
        log.malformed(part, "the item has no location (iloc); not read")
        return None
    method, base, extents = location
    if method == 0:
        origin, limit = 0, len(data)
    elif method == 1 and idat is not None:
        origin, limit = idat
    else:
        log.malformed(part, f"construction method {method} is not supported here; not read")
        return None
    out = bytearray()
    for offset, length in extents:
        begin = origin + base + offset
        stop = limit if length == 0 else begin + length
        if begin > limit or stop > limit:
            log.malformed(part, "an extent lies outside the file; not read")
            return None
        if len(out) + (stop - begin) > MAX_ITEM_BYTES:
            log.cap(part, f"the item is larger than {MAX_ITEM_BYTES // (1024 * 1024)} MiB; not read")
            return None
        out.extend(data[begin:stop])
    return bytes(out)
