"""IPTC-IIM reading: Photoshop image resource blocks (resource 0x0404) and IIM records.

Layouts: Photoshop File Formats Specification, "Image Resource Blocks" (signature ``8BIM``, resource id,
Pascal name padded to even, size, data padded to even); IPTC IIM 4.2 §1.5 (dataset tag ``0x1C``, record,
dataset, 2-byte length or an extended length) and §6 (record 2 datasets). Every text dataset of record 2
is reported (captions, headline, keywords, credit, by-line, source, instructions...); the envelope's coded
character set (1:90, ``ESC % G``) selects UTF-8. Binary datasets (record version, rasterized caption,
object preview) are skipped.

Each block is read on its own; a damaged one is a blocking ``metadata.part_malformed`` for it. Caps:
:data:`MAX_RESOURCES` resources per block and :data:`MAX_DATASETS` datasets per record (a blocking
``metadata.cap_reached`` when reached); values are cut at :data:`._text.MAX_VALUE_CHARS`.
"""

from __future__ import annotations

import struct

from ..model import Container, MetadataSignal, SignalKind
from ._problems import ProblemLog
from ._text import MAX_VALUE_CHARS, decode_text, make_signal

__all__ = ["MAX_DATASETS", "MAX_RESOURCES", "iim_from_irb", "iim_signals"]

MAX_RESOURCES = 4096
MAX_DATASETS = 10_000

_S, _C, _D, _T = SignalKind.SOFTWARE, SignalKind.CREDIT, SignalKind.DESCRIPTION, SignalKind.TEXT
_DATASETS: dict[int, tuple[str, SignalKind]] = {
    5: ("ObjectName", _D), 7: ("EditStatus", _T), 10: ("Urgency", _T), 12: ("SubjectReference", _T),
    15: ("Category", _T), 20: ("SupplementalCategories", _T), 22: ("FixtureIdentifier", _T),
    25: ("Keywords", _T), 26: ("ContentLocationCode", _T), 27: ("ContentLocationName", _T),
    40: ("SpecialInstructions", _T), 55: ("DateCreated", _T), 60: ("TimeCreated", _T),
    62: ("DigitalCreationDate", _T), 63: ("DigitalCreationTime", _T), 65: ("OriginatingProgram", _S),
    70: ("ProgramVersion", _T), 75: ("ObjectCycle", _T), 80: ("By-line", _T), 85: ("By-lineTitle", _T),
    90: ("City", _T), 92: ("Sub-location", _T), 95: ("Province-State", _T),
    100: ("Country-PrimaryLocationCode", _T), 101: ("Country-PrimaryLocationName", _T),
    103: ("OriginalTransmissionReference", _T), 105: ("Headline", _D), 110: ("Credit", _C),
    115: ("Source", _T), 116: ("CopyrightNotice", _T), 118: ("Contact", _T), 120: ("Caption-Abstract", _D),
    122: ("Writer-Editor", _T), 135: ("LanguageIdentifier", _T),
}
"""Record 2 datasets by number (IPTC IIM 4.2 §6)."""
_BINARY_DATASETS = frozenset({0, 125, 130, 131, 150, 151, 152, 153, 154, 200, 201, 202})
_SIGNATURES = (b"8BIM", b"MeSa", b"PHUT", b"AgHg", b"DCSR")


def _padding(data: bytes, position: int) -> bool:
    """Whether everything from ``position`` on is zero padding (writers pad blocks)."""
    return not data[position:].strip(b"\x00")


def iim_from_irb(irb: bytes, part: str, log: ProblemLog) -> list[bytes]:
    """The IPTC-IIM records (resource 0x0404) of one Photoshop image resource block."""
    records: list[bytes] = []
    position = 0
    for _ in range(MAX_RESOURCES):
        if position >= len(irb) or _padding(irb, position):
            return records
        if position + 12 > len(irb) or irb[position: position + 4] not in _SIGNATURES:
            log.malformed(part, f"no image resource at byte {position}; the rest was not read")
            return records
        (resource,) = struct.unpack_from(">H", irb, position + 4)
        name_length = irb[position + 6]
        size_at = position + 6 + 1 + name_length + ((1 + name_length) & 1)
        if size_at + 4 > len(irb):
            log.malformed(part, f"the image resource at byte {position} is truncated")
            return records
        (size,) = struct.unpack_from(">I", irb, size_at)
        start = size_at + 4
        if start + size > len(irb):
            log.malformed(part, f"the image resource at byte {position} runs past the block")
            return records
        if resource == 0x0404:
            records.append(irb[start: start + size])
        position = start + size + (size & 1)
    if position < len(irb) and not _padding(irb, position):
        log.cap(part, f"more than {MAX_RESOURCES} image resources; the rest were not read")
    return records


def _datasets(record: bytes, part: str, log: ProblemLog) -> tuple[bool, list[tuple[int, bytes]]]:
    """(UTF-8 declared, [(record-2 dataset number, value)]) of one IIM record."""
    position, utf8 = 0, False
    values: list[tuple[int, bytes]] = []
    for _ in range(MAX_DATASETS):
        if position >= len(record) or _padding(record, position):
            return utf8, values
        if position + 5 > len(record) or record[position] != 0x1C:
            log.malformed(part, f"no IIM dataset at byte {position}; the rest was not read")
            return utf8, values
        number, dataset = record[position + 1], record[position + 2]
        (size,) = struct.unpack_from(">H", record, position + 3)
        position += 5
        if size & 0x8000:  # extended length: the low bits give the length of the length field
            width = size & 0x7FFF
            if width > 4 or position + width > len(record):
                log.malformed(part, f"an IIM dataset at byte {position - 5} has a bad extended length")
                return utf8, values
            size = int.from_bytes(record[position: position + width], "big")
            position += width
        if position + size > len(record):
            log.malformed(part, f"the IIM dataset {number}:{dataset} runs past the record")
            return utf8, values
        value = record[position: position + size]
        position += size
        if number == 1 and dataset == 90 and b"\x1b%G" in value:
            utf8 = True
        elif number == 2 and dataset not in _BINARY_DATASETS:
            values.append((dataset, value))
    if position < len(record) and not _padding(record, position):
        log.cap(part, f"more than {MAX_DATASETS} IIM datasets; the rest were not read")
    return utf8, values


def iim_signals(record: bytes, part: str, log: ProblemLog) -> list[MetadataSignal]:
    """One signal per text dataset of record 2 (name from IPTC IIM 4.2 §6, else ``"2:<number>"``)."""
    utf8, values = _datasets(record, part, log)
    signals: list[MetadataSignal] = []
    for dataset, value in values:
        name, kind = _DATASETS.get(dataset, (f"2:{dataset}", _T))
        text = (value.decode("utf-8", errors="replace") if utf8 else decode_text(value)).strip()
        if dataset not in _DATASETS and not all(char.isprintable() or char in "\t\r\n" for char in text):
            continue  # an unknown binary dataset
        if len(text) > MAX_VALUE_CHARS:
            log.cap(part, f"{name} is longer than {MAX_VALUE_CHARS} characters; only its head and tail were kept")
        if text:
            signals.append(make_signal(Container.IPTC, name, kind, text))
    return signals
