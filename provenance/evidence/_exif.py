"""EXIF (TIFF IFD) reading for the metadata pass.

The reader walks the TIFF structure itself rather than through piexif, because piexif keeps only the
tags it expects in each IFD and silently drops the rest: a generator that writes ``UserComment`` into
IFD0 (or any other wrong IFD) would then go unseen. Every text-like tag of every IFD is reported: ASCII
(type 2) and UTF-8 (type 129, Exif 3.0) values, UNDEFINED (type 7) values that are text (UserComment,
GPSProcessingMethod and GPSAreaInformation with their character-code header; others when they decode as
printable text), and the Windows ``XP*`` tags (BYTE, UTF-16LE). ``MakerNote`` and binary values are
skipped. Tags with a known name keep it (and a kind when the name says more than "text"); others are
named ``Tag0xNNNN``.

Tag numbers are the public EXIF/TIFF ones (CIPA DC-008 Exif 2.32/3.0, TIFF 6.0, DNG 1.6; Exif 3.0 tags
0xA436-0xA43C as listed in exiftool ``Exif.pm``, c2pa-signals key ET).

The walk is iterative (a FIFO :class:`collections.deque` of IFD offsets, each offset queued at most once)
and bounded; each cap reached is a blocking ``metadata.cap_reached``:

- :data:`MAX_IFDS` (64) IFDs per EXIF block (IFD0, the IFD chain, Exif, GPS, Interoperability, SubIFDs);
- :data:`MAX_ENTRIES` (4,096) entries per IFD;
- :data:`MAX_SUBIFDS` (16) offsets per ``SubIFDs`` entry (a 72 KB file queueing 16 offsets per entry in
  thousands of entries once took two minutes; now each offset is queued once);
- :data:`MAX_TEXT_BYTES` (4 MiB) per text value, :data:`MAX_SIGNALS` (10,000) signals per block.
"""

from __future__ import annotations

import struct
from collections import deque
from dataclasses import dataclass, field

from ..model import Container, MetadataSignal, ReadProblem, SignalKind
from ._exiftags import CHARSET_CODED, GPS_CHARSET_CODED, GPS_TAGS, TAGS, XP_TAGS
from ._problems import ProblemLog
from ._text import (
    MAX_VALUE_CHARS,
    clip_value,
    decode_text,
    decode_user_comment,
    decode_utf16,
    make_signal,
)

__all__ = [
    "MAX_ENTRIES",
    "MAX_IFDS",
    "MAX_SIGNALS",
    "MAX_SUBIFDS",
    "MAX_TEXT_BYTES",
    "MAX_VALUE_CHARS",
    "ExifResult",
    "clip_value",
    "decode_text",
    "decode_user_comment",
    "make_signal",
    "read_exif",
]

MAX_IFDS = 64
MAX_ENTRIES = 4096
MAX_SUBIFDS = 16
MAX_TEXT_BYTES = 4 * 1024 * 1024
MAX_SIGNALS = 10_000

_TAG_XMP = 0x02BC  # TIFF XMLPacket (XMP in TIFF, Adobe XMP spec part 3)
_TAG_IPTC = 0x83BB  # IPTC-NAA record (IIM)
_TAG_PHOTOSHOP = 0x8649  # Photoshop image resources (may hold IIM)
_TAG_MAKER_NOTE = 0x927C
_POINTERS = {0x8769: "ExifIFD", 0x8825: "GPS", 0xA005: "Interop", 0x014A: "SubIFD"}
_BLOCKS = (_TAG_XMP, _TAG_IPTC, _TAG_PHOTOSHOP)

# TIFF field type -> size in bytes (TIFF 6.0 §2; type 129 is Exif 3.0 UTF-8).
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 129: 1}
_ASCII, _UNDEFINED, _BYTE, _UTF8 = 2, 7, 1, 129


@dataclass
class ExifResult:
    """What one TIFF/EXIF structure gave: signals, read problems, and embedded blocks other readers handle
    (XMP packets in tag 700, IIM records in tag 33723, Photoshop image resources in tag 34377)."""

    signals: list[MetadataSignal] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    xmp: list[bytes] = field(default_factory=list)
    iptc: list[bytes] = field(default_factory=list)
    photoshop: list[bytes] = field(default_factory=list)


def read_exif(data: bytes, *, container: str = "EXIF", where: str = "") -> ExifResult:
    """Read the text tags of one TIFF structure (an EXIF block or a TIFF file).

    Walks IFD0, the IFD chain after it (IFD1, further pages), the Exif, GPS and Interoperability IFDs and
    TIFF SubIFDs, and reports every text-like tag wherever it sits (see the module docstring). A tag
    outside its standard IFD says where it was found (``"EXIF UserComment (in IFD0)"``). Identical (name,
    value) pairs are reported once.

    Args:
        data: the TIFF bytes, starting ``II*\\0`` or ``MM\\0*``; a leading ``Exif\\0\\0`` (JPEG APP1 / WebP
            EXIF payload) is accepted.
        container: the :class:`~provenance.model.Container` value of the signals, ``"EXIF"`` by default.
        where: plain words for the part in read problems (``"JPEG APP1 #1"``).
    Returns:
        An :class:`ExifResult`. Damage and reached caps are blocking read problems naming the IFD, never
        raised; what was read before them is kept.
    """
    result = ExifResult()
    log = ProblemLog()
    part = f"{container} block" + (f" in {where}" if where else "")
    if data.startswith(b"Exif\x00"):
        data = data[6:]
    if data[:4] == b"II*\x00":
        order = "<"
    elif data[:4] == b"MM\x00*":
        order = ">"
    elif data[:4] in (b"II+\x00", b"MM\x00+"):
        log.malformed(part, "a BigTIFF structure, which this reader does not walk; its tags were not read")
        result.problems = log.items
        return result
    else:
        log.malformed(part, "the block does not start with a TIFF header; not read")
        result.problems = log.items
        return result
    walker = _Walker(data, order, Container(container), part, result, log)
    try:
        walker.walk()
    except struct.error:
        log.malformed(part, "the TIFF structure is truncated; the rest was not read")
    result.problems = log.items
    return result


class _Walker:
    """One bounded, iterative walk of a TIFF structure."""

    def __init__(self, data: bytes, order: str, container: Container, part: str, result: ExifResult,
                 log: ProblemLog) -> None:
        self.data, self.order, self.container, self.part = data, order, container, part
        self.result, self.log = result, log
        self.queue: deque[tuple[int, str, bool]] = deque()
        self.queued: set[int] = set()
        self.seen: set[tuple[str, str]] = set()
        self.lists: set[bytes] = set()
        self.chain = 0

    def enqueue(self, offset: int, name: str, follow: bool) -> None:
        if offset == 0 or offset in self.queued:
            return
        if offset < 8 or offset + 2 > len(self.data):
            self.log.malformed(self.part, f"{name} points outside the block (offset {offset}); not read")
            return
        if len(self.queued) >= MAX_IFDS:
            self.log.cap(self.part, f"more than {MAX_IFDS} IFDs; the rest were not read")
            return
        self.queued.add(offset)
        self.queue.append((offset, name, follow))

    def walk(self) -> None:
        (first,) = struct.unpack_from(self.order + "I", self.data, 4)
        self.enqueue(first, "IFD0", True)
        while self.queue:
            offset, name, follow = self.queue.popleft()
            (count,) = struct.unpack_from(self.order + "H", self.data, offset)
            if offset + 2 + 12 * count > len(self.data):
                self.log.malformed(self.part, f"{name} is damaged (entry count {count} runs past the block); "
                                              "not read")
                continue
            if count > MAX_ENTRIES:
                self.log.cap(self.part, f"{name} has {count} entries; only the first {MAX_ENTRIES} were read")
            for index in range(min(count, MAX_ENTRIES)):
                self.entry(offset + 2 + 12 * index, name)
            end = offset + 2 + 12 * count
            if follow and end + 4 <= len(self.data):
                (next_offset,) = struct.unpack_from(self.order + "I", self.data, end)
                if next_offset and next_offset not in self.queued:
                    self.chain += 1
                    self.enqueue(next_offset, f"IFD{self.chain}", True)

    def entry(self, entry: int, ifd: str) -> None:
        tag, ftype, count = struct.unpack_from(self.order + "HHI", self.data, entry)
        if tag == _TAG_MAKER_NOTE or ftype not in _TYPE_SIZES:
            return  # vendor binary, or a field type TIFF readers must skip (TIFF 6.0 §2)
        if tag in _POINTERS and ifd != "GPS":
            self.pointers(tag, ftype, count, entry, ifd)
        elif tag in _BLOCKS and ifd != "GPS":
            raw = self.value(entry, ftype, count, ifd, tag, limit=None)
            if raw is not None:
                {_TAG_XMP: self.result.xmp, _TAG_IPTC: self.result.iptc,
                 _TAG_PHOTOSHOP: self.result.photoshop}[tag].append(raw)
        else:
            self.text_tag(tag, ftype, count, entry, ifd)

    def pointers(self, tag: int, ftype: int, count: int, entry: int, ifd: str) -> None:
        if ftype not in (4, 13) and not (ftype == 3 and tag == 0x014A):
            return
        key = self.data[entry + 2: entry + 12]  # type, count and value/offset: the same list read once
        if key in self.lists:
            return
        self.lists.add(key)
        name = _POINTERS[tag]
        if count > MAX_SUBIFDS:
            self.log.cap(self.part, f"{ifd} lists {count} {name} offsets; only the first {MAX_SUBIFDS} were read")
        shown = min(count, MAX_SUBIFDS)
        raw = self.value(entry, ftype, shown, ifd, tag, limit=None)
        if raw is None:
            return
        width = 2 if ftype == 3 else 4
        for index in range(shown):
            (target,) = struct.unpack_from(self.order + ("H" if width == 2 else "I"), raw, index * width)
            self.enqueue(target, name, False)

    def value(self, entry: int, ftype: int, count: int, ifd: str, tag: int, *, limit: int | None) -> bytes | None:
        """The value bytes of an entry, or ``None`` (with a problem) when they lie outside the block."""
        total = _TYPE_SIZES[ftype] * count
        if limit is not None and total > limit:
            self.log.cap(self.part, f"{ifd} tag 0x{tag:04X} holds {total} bytes (over {limit}); not read")
            return None
        if total <= 4:
            return self.data[entry + 8: entry + 8 + total]
        (offset,) = struct.unpack_from(self.order + "I", self.data, entry + 8)
        if offset + total > len(self.data):
            self.log.malformed(self.part, f"{ifd} tag 0x{tag:04X} points outside the block; not read")
            return None
        return self.data[offset: offset + total]

    def text_tag(self, tag: int, ftype: int, count: int, entry: int, ifd: str) -> None:
        table = GPS_TAGS if ifd == "GPS" else TAGS
        known = table.get(tag)
        textual = ftype in (_ASCII, _UTF8, _UNDEFINED) or (
            ftype == _BYTE and (_charset_coded(ifd, tag) or (tag in XP_TAGS and ifd != "GPS")))
        if not textual:
            return
        if ftype in (_UNDEFINED, _BYTE) and not _charset_coded(ifd, tag) and tag not in XP_TAGS \
                and count > MAX_TEXT_BYTES:
            return  # a large binary blob (Photoshop ImageSourceData, ICC...): not text
        raw = self.value(entry, ftype, count, ifd, tag, limit=MAX_TEXT_BYTES)
        if raw is None:
            return
        decoded = self.decode(tag, ftype, raw, ifd)
        if not decoded:
            return
        name, kind, home = known or (f"Tag0x{tag:04X}", SignalKind.TEXT, ifd)
        if (name, decoded) in self.seen:
            return
        if len(self.result.signals) >= MAX_SIGNALS:
            self.log.cap(self.part, f"more than {MAX_SIGNALS} text tags; the rest were not read")
            return
        if len(decoded) > MAX_VALUE_CHARS:
            self.log.cap(self.part, f"{ifd} {name} is longer than {MAX_VALUE_CHARS} characters; "
                                    "only its head and tail were kept")
        self.seen.add((name, decoded))
        self.result.signals.append(make_signal(self.container, name, kind, decoded, namespace=ifd,
                                               path=None if ifd == home else ifd))

    def decode(self, tag: int, ftype: int, raw: bytes, ifd: str) -> str:
        if _charset_coded(ifd, tag):
            return decode_user_comment(raw, self.order)
        if tag in XP_TAGS and ftype in (_BYTE, _UNDEFINED) and ifd != "GPS":
            return " ".join(decode_utf16(raw, "<").replace("\x00", " ").split())
        if ftype == _UNDEFINED:
            return _printable_text(raw)
        return decode_text(raw)


def _charset_coded(ifd: str, tag: int) -> bool:
    return tag in GPS_CHARSET_CODED if ifd == "GPS" else tag in CHARSET_CODED


def _printable_text(raw: bytes) -> str:
    """UNDEFINED bytes as text when they are text (printable UTF-8 or Latin-1), else ``""`` (binary)."""
    text = decode_text(raw)
    if not text:
        return ""
    printable = sum(1 for char in text if char.isprintable() or char in "\t\r\n")
    return text if printable >= 0.95 * len(text) and "\ufffd" not in text else ""
