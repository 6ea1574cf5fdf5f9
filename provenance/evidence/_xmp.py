"""XMP packet reading for the metadata pass: one packet in, signals and read problems out.

The packet is parsed with defusedxml with DTDs forbidden, so a packet that declares entities (a "billion
laughs" bomb, an external entity such as ``file:///etc/passwd``) is refused before anything is expanded
or fetched; a quick byte check refuses the common spellings even before the parser starts. XMP never
needs a DTD (Adobe XMP Specification part 1 §7.3: XMP is RDF/XML without DTD), so nothing legitimate is
lost. The tree is built within caps (:mod:`._xmptree`) and walked iteratively.

Every property is reported: properties whose name tells what they are get their :class:`SignalKind`
(digital source type, IPTC AI-system fields, credit, ``dcterms:provenance``, software names, history,
descriptions, Camera Raw develop settings, ``aux:Enhance*``); every other simple property, language
alternative and array item, at any depth of structs, is reported as ``SignalKind.TEXT`` with its path
(``exif:UserComment``, ``tiff:Make``, ``dc:subject[2]``...). Namespaces the reader does not know are
reported too (``xmlns:canva`` with its URI). Properties are matched on namespace URI + local name, never
on the prefix a writer chose (Midjourney's packet, written by Exiv2, uses ``iptcExt:`` for
``http://iptc.org/std/Iptc4xmpExt/2008-02-29/``); names use the conventional prefixes below. Which
properties matter, and why, is c2pa-signals.md A4; this module only reads, :mod:`provenance.classify`
judges (a zero slider or a mention of a website is reported as it is).

Caps (each reached cap is a blocking ``metadata.cap_reached`` naming it):

- :data:`MAX_PACKET_BYTES` (16 MiB) per packet; :data:`._xmptree.MAX_DEPTH` (64 levels) and
  :data:`._xmptree.MAX_ELEMENTS` (50,000 elements) per packet;
- :data:`MAX_SIGNALS` (10,000) signals per packet; ``xmpMM:History`` events: 1,000; ``photoshop:History``
  parts of 2,000 characters: 50; ``xmpMM:Pantry`` nesting: 4 levels; Camera Raw masks: 256 per packet,
  nested 4 levels (:mod:`._xmpdevelop`); value length: :data:`._exif.MAX_VALUE_CHARS`.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..model import Container, MetadataSignal, ReadProblem, SignalKind
from ._exif import MAX_VALUE_CHARS, make_signal
from ._problems import XMP_REFUSED, ProblemLog
from ._xmpdevelop import develop_signals
from ._xmptree import (
    MAX_DEPTH,
    MAX_ELEMENTS,
    RDF,
    XML,
    CappedBuilder,
    StopParsing,
    array_of,
    is_struct,
    items,
    properties,
    split,
    struct,
    text,
)

__all__ = ["MAX_PACKET_BYTES", "MAX_SIGNALS", "NAMESPACE_PREFIXES", "parse_xmp_packet", "refusal_reason", "trim_packet"]

MAX_PACKET_BYTES = 16 * 1024 * 1024
"""Packets larger than this are not parsed (a blocking ``metadata.cap_reached``)."""
MAX_SIGNALS = 10_000
"""At most this many signals per packet; the rest is a blocking ``metadata.cap_reached``."""

_NS_XMP = "http://ns.adobe.com/xap/1.0/"
_NS_XMPMM = "http://ns.adobe.com/xap/1.0/mm/"
_NS_PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
_NS_CRS = "http://ns.adobe.com/camera-raw-settings/1.0/"
_NS_AUX = "http://ns.adobe.com/exif/1.0/aux/"
_NS_DC = "http://purl.org/dc/elements/1.1/"
_NS_DCTERMS = "http://purl.org/dc/terms/"
_NS_TIFF = "http://ns.adobe.com/tiff/1.0/"
_NS_EXIF = "http://ns.adobe.com/exif/1.0/"

NAMESPACE_PREFIXES: dict[str, str] = {
    _NS_XMP: "xmp",
    _NS_XMPMM: "xmpMM",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": "stEvt",
    _NS_PHOTOSHOP: "photoshop",
    _NS_CRS: "crs",
    _NS_AUX: "aux",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    _NS_DC: "dc",
    _NS_DCTERMS: "dcterms",
    _NS_TIFF: "tiff",
    _NS_EXIF: "exif",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/xmp/note/": "xmpNote",
    "http://ns.useplus.org/ldf/xmp/1.0/": "plus",
}
"""Namespace URI -> the conventional prefix used in signal names."""
_STRUCTURAL_NAMESPACES = frozenset({RDF, XML, "adobe:ns:meta/"})

_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4}|\r?\n)+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XMLNS = re.compile(rb"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']+)["']""")
_PACKET_END = re.compile(rb"<\?xpacket\s+end=[^>]*\?>")
_META_END = re.compile(rb"</(?:[\w.-]+:)?xmpmeta\s*>")
_RDF_END = re.compile(rb"</(?:[\w.-]+:)?RDF\s*>")

_REFUSED = ("XMP refused: it declares entities or a DTD (<!DOCTYPE>/<!ENTITY>), which XMP never uses "
            "(possible entity-expansion bomb or external-entity read); the packet was neither expanded nor parsed")

_AI_SYSTEM = ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation", "AIPromptWriterName")
_SOFTWARE_NAMES = ("ImageEditingSoftware", "RAWDevelopingSoftware", "MetadataEditingSoftware")
_MAX_HISTORY = 1000
_MAX_HISTORY_PARTS = 50
_MAX_PANTRY_DEPTH = 4


def refusal_reason(packet: bytes) -> str | None:
    """Return the refusal message when ``packet`` declares a DTD or entities, else ``None``."""
    return _REFUSED if _DOCTYPE.search(packet) else None


def trim_packet(packet: bytes) -> bytes:
    """Cut padding and trailing bytes outside the XML of an XMP packet.

    Keeps everything from the first ``<`` (dropping padding, a BOM, or a copied JPEG
    ``http://ns.adobe.com/xap/1.0/`` header; a DTD placed before the root element stays visible to the
    refusal check) to the end of ``<?xpacket end...?>``, or else ``</x:xmpmeta>``, or else ``</rdf:RDF>``.
    """
    if packet[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a BOM: leave it to the parser
        return packet
    first = packet.find(b"<")
    if first < 0:
        return b""
    packet = packet[first:]
    for pattern in (_PACKET_END, _META_END, _RDF_END):
        last = None
        for last in pattern.finditer(packet):  # noqa: B007 - the last match is the one wanted
            pass
        if last is not None:
            return packet[: last.end()]
    return packet.rstrip(b"\x00 \t\r\n")


def parse_xmp_packet(packet: bytes, where: str) -> tuple[list[MetadataSignal], list[ReadProblem]]:
    """Parse one XMP packet into metadata signals and read problems.

    Args:
        packet: the packet bytes (``<?xpacket``... or ``<x:xmpmeta``...), possibly padded.
        where: plain words for the part, e.g. ``"JPEG APP1 #1"`` (problems name ``"XMP packet in <where>"``).
    Returns:
        ``(signals, problems)``. A packet with a DTD/entity declaration gives no signals and a blocking
        ``metadata.xmp_refused``; a packet that is not well-formed gives the signals of the elements
        parsed before the error and a blocking ``metadata.part_malformed``; a reached cap gives what was
        read within it and a blocking ``metadata.cap_reached``. Never raises for bad input.
    Signals: one per property value (see the module docstring); ``xmpMM:History`` events as one summary
        each (``"saved by Adobe Photoshop ... at ..."``), ``photoshop:History`` in parts of at most 2,000
        characters split at line ends, Camera Raw settings as summaries (:mod:`._xmpdevelop`), ingredient
        packets kept in ``xmpMM:Pantry`` read the same way with the path ``xmpMM:Pantry[n]``.
    """
    log = ProblemLog()
    part = f"XMP packet in {where}"
    packet = trim_packet(packet)
    if not packet:
        return [], []
    if len(packet) > MAX_PACKET_BYTES:
        log.cap(part, f"the packet is larger than {MAX_PACKET_BYTES // (1024 * 1024)} MiB; not parsed")
        return [], log.items
    if refusal_reason(packet):
        log.add(XMP_REFUSED, part, _REFUSED)
        return [], log.items
    root = _parse(packet, part, log)
    if root is None:
        return [], log.items
    reader = _PacketReader(_prefix_map(packet), part, log)
    reader.read(root)
    reader.namespaces()
    return reader.signals, log.items


def _parse(packet: bytes, part: str, log: ProblemLog) -> Element | None:
    builder = CappedBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(packet)
        parser.close()
    except StopParsing:
        pass  # reported below (too_many)
    except DefusedXmlException:
        log.add(XMP_REFUSED, part, _REFUSED)
        return None
    except ParseError as error:
        log.malformed(part, f"not well-formed XML ({error}); only the fields before that point were read")
    except (ValueError, UnicodeError, LookupError) as error:
        log.malformed(part, f"cannot be decoded ({error}); only the fields before that point were read")
    if builder.too_deep:
        log.cap(part, f"{builder.too_deep} element(s) nested deeper than {MAX_DEPTH} levels were not read")
    if builder.too_many:
        log.cap(part, f"more than {MAX_ELEMENTS} elements; parsing stopped there and the rest was not read")
    return builder.root


def _prefix_map(packet: bytes) -> dict[str, str]:
    """Namespace URI -> prefix as this packet declares it (the first 256 KiB)."""
    found: dict[str, str] = {}
    for match in _XMLNS.finditer(packet[:262144]):
        uri = match.group(2).decode("utf-8", "replace")
        found.setdefault(uri, match.group(1).decode("ascii", "replace"))
    return found


def _simple_kind(uri: str, local: str) -> SignalKind | None:
    """The kind a property's name says (None: nothing more than text)."""
    if local in ("DigitalSourceType", "DigitalSourcefileType"):
        return SignalKind.DIGITAL_SOURCE_TYPE
    if local in _AI_SYSTEM:
        return SignalKind.AI_SYSTEM
    if uri == _NS_PHOTOSHOP and local == "Credit":
        return SignalKind.CREDIT
    if uri == _NS_DCTERMS and local == "provenance":
        return SignalKind.REMOTE_MANIFEST
    if (uri == _NS_XMP and local == "CreatorTool") or (uri == _NS_TIFF and local == "Software") \
            or local in _SOFTWARE_NAMES:
        return SignalKind.SOFTWARE
    if (uri == _NS_DC and local in ("description", "title")) or (uri == _NS_EXIF and local == "UserComment"):
        return SignalKind.DESCRIPTION
    if uri in (_NS_AUX, _NS_CRS) and local.startswith("Enhance"):
        return SignalKind.DEVELOP_SETTING
    return None


def _join(path: str | None, name: str) -> str:
    return f"{path}/{name}" if path else name


class _PacketReader:
    """Collects the signals of one packet (iteratively; the tree is already depth-capped)."""

    def __init__(self, prefixes: dict[str, str], part: str, log: ProblemLog) -> None:
        self.signals: list[MetadataSignal] = []
        self._prefixes = prefixes
        self._part = part
        self._log = log
        self._seen: set[tuple[str | None, str, str]] = set()
        self._full = False

    def add(self, name: str, kind: SignalKind, value: str, path: str | None = None, *, part: int | None = None) -> None:
        """Record one value of the property ``name`` (qualified, e.g. ``"crs:Look"``) under ``path``."""
        value = value.strip()
        if not value or (path, name, value) in self._seen:
            return
        if len(self.signals) >= MAX_SIGNALS:
            self._log.cap(self._part, f"more than {MAX_SIGNALS} property values; the rest were not read")
            self._full = True
            return
        if len(value) > MAX_VALUE_CHARS:
            if _BASE64.fullmatch(value):  # binary data in base64 (Google's GCamera:HdrPlusMakernote): not text
                self._log.note(self._part, f"{_join(path, name)} holds {len(value)} characters of base64 "
                                           "binary data; skipped as binary")
                return
            self._log.cap(self._part, f"{_join(path, name)} is longer than {MAX_VALUE_CHARS} characters; "
                                      "only its head and tail were kept")
        self._seen.add((path, name, value))
        prefix = name.partition(":")[0]
        namespace = next((uri for uri, known in NAMESPACE_PREFIXES.items() if known == prefix), None) \
            or next((uri for uri, known in self._prefixes.items() if known == prefix), None)
        self.signals.append(make_signal(Container.XMP, name, kind, value, namespace=namespace, path=path, part=part))

    def qname(self, tag: str) -> str:
        uri, local = split(tag)
        prefix = NAMESPACE_PREFIXES.get(uri) or self._prefixes.get(uri) or "ns"
        return f"{prefix}:{local}"

    def read(self, root: Element) -> None:
        """Read every top-level ``rdf:Description`` and, through ``xmpMM:Pantry``, the ingredients' ones."""
        rdf = root if root.tag == f"{{{RDF}}}RDF" else root.find(f".//{{{RDF}}}RDF")
        if rdf is None:
            return
        queue: list[tuple[Element, str | None, int]] = [
            (child, None, 0) for child in rdf if child.tag == f"{{{RDF}}}Description"]
        while queue:
            node, path, depth = queue.pop(0)
            for index, item in self._description(node, path):
                if depth + 1 > _MAX_PANTRY_DEPTH:
                    self._log.cap(self._part, f"xmpMM:Pantry nested deeper than {_MAX_PANTRY_DEPTH} levels; "
                                              "the deeper ingredients were not read")
                    break
                queue.append((item, _join(path, f"xmpMM:Pantry[{index}]"), depth + 1))

    def _description(self, node: Element, path: str | None) -> list[tuple[int, Element]]:
        """Read the properties of one description; return its Pantry items for the caller to queue."""
        crs: dict[str, Element | str] = {}
        pantry: list[tuple[int, Element]] = []
        for tag, value in properties(node):
            uri, local = split(tag)
            name = self.qname(tag)
            if uri == _NS_XMPMM and local == "History":
                self._history(value, name, path)
            elif uri == _NS_XMPMM and local == "Pantry":
                pantry.extend(enumerate(items(value), start=1))
            elif uri == _NS_PHOTOSHOP and local == "History":
                self._photoshop_history(text(value), name, path)
            elif uri == _NS_CRS and _simple_kind(uri, local) is None:
                crs[local] = value
            else:
                self.walk(name, value, path, _simple_kind(uri, local) or SignalKind.TEXT)
        if crs:
            consumed = develop_signals(
                crs, lambda n, v, sub: self.add(n, SignalKind.DEVELOP_SETTING, v, _join(path, sub) if sub else path),
                lambda message: self._log.cap(self._part, message))
            for local, value in crs.items():
                if local not in consumed:
                    self.walk(f"crs:{local}", value, path, SignalKind.TEXT)
        return pantry

    def walk(self, name: str, value: Element | str, path: str | None, kind: SignalKind) -> None:
        """Report a property value of any shape: simple, ``rdf:resource``, array (each item), struct (each field).

        Struct fields get the kind their own name says, else ``TEXT``; a language alternative reports each
        language's text under the property's name; other arrays report ``name[n]`` per item.
        """
        stack: list[tuple[str, Element | str, str | None, SignalKind]] = [(name, value, path, kind)]
        while stack and not self._full:
            name, value, path, kind = stack.pop()
            if isinstance(value, str) or value.get(f"{{{RDF}}}resource") is not None:
                self.add(name, kind, text(value), path)
                continue
            array = array_of(value)
            if array is not None:
                lis = [li for li in array if li.tag == f"{{{RDF}}}li"]
                is_alt = array.tag == f"{{{RDF}}}Alt"
                stack.extend((name if is_alt else f"{name}[{index}]", li, path, kind)
                             for index, li in reversed(list(enumerate(lis, start=1))))
                continue
            if is_struct(value):
                inner = _join(path, name)
                fields = [(self.qname(tag), field_value, inner, _simple_kind(*split(tag)) or SignalKind.TEXT)
                          for tag, field_value in properties(value)]
                stack.extend(reversed(fields))
                continue
            self.add(name, kind, value.text or "", path)

    def namespaces(self) -> None:
        """Report the namespaces the packet declares that the reader does not know (name ``xmlns:<prefix>``)."""
        for uri, prefix in self._prefixes.items():
            if uri not in NAMESPACE_PREFIXES and uri not in _STRUCTURAL_NAMESPACES:
                self.add(f"xmlns:{prefix}", SignalKind.TEXT, uri)

    def _history(self, value: Element | str, name: str, path: str | None) -> None:
        events = items(value)
        if len(events) > _MAX_HISTORY:
            self._log.cap(self._part, f"{name} has {len(events)} events; only the first {_MAX_HISTORY} were read")
        for index, item in enumerate(events[:_MAX_HISTORY], start=1):
            event = struct(item)
            parts = [text(event.get("action")) or "(no action)"]
            for key, template in (("softwareAgent", "by {}"), ("parameters", "({})"), ("changed", "changed={}"),
                                  ("when", "at {}")):
                field_text = text(event.get(key))
                if field_text:
                    parts.append(template.format(field_text))
            self.add(f"{name}[{index}]", SignalKind.HISTORY_EVENT, " ".join(parts), path)

    def _photoshop_history(self, log_text: str, name: str, path: str | None) -> None:
        """Split a long History Log at line ends into parts of at most 2,000 characters."""
        parts: list[str] = []
        current = ""
        for line in log_text.splitlines():
            line = line.strip()
            if not line:
                continue
            if current and len(current) + 1 + len(line) > 2000:
                parts.append(current)
                current = line
            else:
                current = f"{current}\n{line}" if current else line
        if current:
            parts.append(current)
        if len(parts) > _MAX_HISTORY_PARTS:
            self._log.cap(self._part, f"{name} is longer than {_MAX_HISTORY_PARTS} parts of 2,000 characters; "
                                      "the rest was not read")
        for number, part in enumerate(parts[:_MAX_HISTORY_PARTS], start=1):
            self.add(name, SignalKind.HISTORY_EVENT, part, path, part=None if number == 1 else number)

