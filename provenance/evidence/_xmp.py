"""XMP packet parsing for the metadata pass: one packet in, signals out.

The packet is parsed with defusedxml with DTDs forbidden, so a packet that
declares entities (a "billion laughs" bomb, an external entity such as
``file:///etc/passwd``) is refused before anything is expanded or fetched; a
quick byte check refuses the common spellings even before the parser starts.
XMP never needs a DTD (Adobe XMP Specification part 1 §7.3: XMP is RDF/XML
without DTD), so nothing legitimate is lost.

Properties are matched on namespace URI + local name, never on the prefix a
writer chose (Midjourney's packet, written by Exiv2, uses ``iptcExt:`` for
``http://iptc.org/std/Iptc4xmpExt/2008-02-29/``); field names use the
conventional prefixes below. Which properties are read, and why, is listed in
c2pa-signals.md A4 (sources ET ``XMP.pm``/``XMP2.pl`` and the third-party keys
cited there); this module only reads, :mod:`provenance.classify` judges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as _defused_fromstring

from ..model import Container, MetadataSignal, SignalKind
from ._exif import make_signal

__all__ = ["MAX_PACKET_BYTES", "NAMESPACE_PREFIXES", "parse_xmp_packet", "refusal_reason", "trim_packet"]

MAX_PACKET_BYTES = 16 * 1024 * 1024
"""Packets larger than this are not parsed (reported as an error)."""

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML = "http://www.w3.org/XML/1998/namespace"
_NS_XMP = "http://ns.adobe.com/xap/1.0/"
_NS_XMPMM = "http://ns.adobe.com/xap/1.0/mm/"
_NS_STEVT = "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
_NS_PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
_NS_CRS = "http://ns.adobe.com/camera-raw-settings/1.0/"
_NS_AUX = "http://ns.adobe.com/exif/1.0/aux/"
_NS_IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
_NS_DC = "http://purl.org/dc/elements/1.1/"
_NS_DCTERMS = "http://purl.org/dc/terms/"
_NS_TIFF = "http://ns.adobe.com/tiff/1.0/"
_NS_EXIF = "http://ns.adobe.com/exif/1.0/"

NAMESPACE_PREFIXES: dict[str, str] = {
    _NS_XMP: "xmp",
    _NS_XMPMM: "xmpMM",
    _NS_STEVT: "stEvt",
    _NS_PHOTOSHOP: "photoshop",
    _NS_CRS: "crs",
    _NS_AUX: "aux",
    _NS_IPTC_EXT: "Iptc4xmpExt",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    _NS_DC: "dc",
    _NS_DCTERMS: "dcterms",
    _NS_TIFF: "tiff",
    _NS_EXIF: "exif",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/xmp/note/": "xmpNote",
    "http://ns.useplus.org/ldf/xmp/1.0/": "plus",
}
"""Namespace URI -> the conventional prefix used in signal field names."""

_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XMLNS = re.compile(rb"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']+)["']""")
_PACKET_END = re.compile(rb"<\?xpacket\s+end=[^>]*\?>")
_META_END = re.compile(rb"</(?:[\w.-]+:)?xmpmeta\s*>")
_RDF_END = re.compile(rb"</(?:[\w.-]+:)?RDF\s*>")

_REFUSED = ("XMP refused: it declares entities or a DTD (<!DOCTYPE>/<!ENTITY>), which XMP never uses "
            "(possible entity-expansion bomb or external-entity read); the packet was neither expanded nor parsed")

_AI_SYSTEM = ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation", "AIPromptWriterName")
_SOFTWARE_NAMES = ("ImageEditingSoftware", "RAWDevelopingSoftware", "MetadataEditingSoftware")
_TONE = ("Exposure2012", "Contrast2012", "Highlights2012", "Shadows2012", "Whites2012", "Blacks2012")
_CORRECTION_GROUPS = ("MaskGroupBasedCorrections", "PaintBasedCorrections", "GradientBasedCorrections",
                      "CircularGradientBasedCorrections")
_RETOUCH_GROUPS = ("RetouchAreas", "RemoveAreas")
_RETOUCH_KEYS = ("SpotType", "Method", "fill_method")
_MASK_KEYS = ("What", "MaskSubType", "MaskSubCategoryID", "MaskName")
_MAX_MASKS = 256
_MAX_HISTORY = 1000
_MAX_HISTORY_PARTS = 50
_MAX_DEPTH = 4


def refusal_reason(packet: bytes) -> str | None:
    """Return the refusal message when ``packet`` declares a DTD or entities, else ``None``."""
    return _REFUSED if _DOCTYPE.search(packet) else None


def trim_packet(packet: bytes) -> bytes:
    """Cut padding and trailing bytes outside the XML of an XMP packet.

    Keeps everything from the first ``<`` (dropping padding, a BOM, or a
    copied JPEG ``http://ns.adobe.com/xap/1.0/`` header; a DTD placed before
    the root element stays visible to the refusal check) to the end of
    ``<?xpacket end...?>``, or else ``</x:xmpmeta>``, or else ``</rdf:RDF>``.
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


def parse_xmp_packet(packet: bytes, where: str) -> tuple[list[MetadataSignal], list[str]]:
    """Parse one XMP packet into metadata signals.

    Args:
        packet: the packet bytes (``<?xpacket``... or ``<x:xmpmeta``...),
            possibly padded.
        where: plain words for error messages, e.g. ``"JPEG APP1"``.
    Returns:
        ``(signals, errors)``. A packet with a DTD/entity declaration gives no
        signals and the error ``"XMP refused: it declares entities ..."``; a
        packet that is not well-formed gives no signals and an error naming
        ``where``. Never raises for bad input.
    Signals (one per fact, field ``"XMP <prefix>:<Name>"``): digital source
    type, IPTC AI-system fields, ``photoshop:Credit``, ``dcterms:provenance``,
    ``xmp:CreatorTool`` and other software names, ``xmpMM:History`` events,
    ``photoshop:History`` (in parts of at most 2,000 characters, split at line
    ends), ``dc:description``/``dc:title``, Camera Raw/Lightroom develop
    settings (Upright, auto tone, tone sliders away from zero, white balance
    other than "As Shot", profile, look, preset, masks, retouch/remove areas,
    lens blur, depth corrections), ``aux:Enhance*`` (Denoise, Raw Details,
    Super Resolution), and a mention of ``canva.com`` anywhere in the packet.
    Ingredient packets kept in ``xmpMM:Pantry`` are read the same way, their
    fields prefixed ``"XMP xmpMM:Pantry[n]/"``.
    """
    packet = trim_packet(packet)
    if not packet:
        return [], []
    if len(packet) > MAX_PACKET_BYTES:
        return [], [f"XMP in {where} is larger than {MAX_PACKET_BYTES // (1024 * 1024)} MiB; not parsed"]
    refused = refusal_reason(packet)
    if refused:
        return [], [refused]
    try:
        root = _defused_fromstring(packet, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        return [], [_REFUSED]
    except ParseError as error:
        return [], [f"XMP in {where} is not well-formed XML ({error}); its fields were not read"]
    except (ValueError, UnicodeError) as error:
        return [], [f"XMP in {where} cannot be decoded ({error}); its fields were not read"]
    reader = _PacketReader(_prefix_map(packet))
    for description in _descriptions(root):
        reader.read_description(description, "", 0)
    if b"canva.com" in packet.lower():
        reader.add("XMP packet", SignalKind.SOFTWARE, "the XMP packet mentions canva.com (Canva export)")
    return reader.signals, []


def _prefix_map(packet: bytes) -> dict[str, str]:
    """Namespace URI -> prefix as this packet declares it (for unknown namespaces)."""
    found: dict[str, str] = {}
    for match in _XMLNS.finditer(packet[:262144]):
        uri = match.group(2).decode("utf-8", "replace")
        found.setdefault(uri, match.group(1).decode("ascii", "replace"))
    return found


def _descriptions(root: Element) -> Iterator[Element]:
    rdf = root if root.tag == f"{{{_RDF}}}RDF" else root.find(f".//{{{_RDF}}}RDF")
    if rdf is None:
        return
    for child in rdf:
        if child.tag == f"{{{_RDF}}}Description":
            yield child


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


def _is_rdf(tag: str) -> bool:
    return tag.startswith(f"{{{_RDF}}}") or tag.startswith(f"{{{_XML}}}")


def _properties(node: Element) -> Iterator[tuple[str, Element | str]]:
    """Yield (qualified tag, value) for every property of a Description or struct node.

    Covers the three RDF forms: attributes, child elements, and (for structs)
    a nested ``rdf:Description`` or ``rdf:parseType="Resource"`` children.
    """
    for key, value in node.attrib.items():
        if key.startswith("{") and not _is_rdf(key):
            yield key, value
    for child in node:
        if child.tag == f"{{{_RDF}}}Description":
            yield from _properties(child)
        elif not _is_rdf(child.tag):
            yield child.tag, child


def _container(element: Element) -> Element | None:
    for child in element:
        if child.tag in (f"{{{_RDF}}}Seq", f"{{{_RDF}}}Bag", f"{{{_RDF}}}Alt"):
            return child
    return None


def _items(value: Element | str | None) -> list[Element]:
    """The ``rdf:li`` items of an array property (empty for anything else)."""
    if value is None or isinstance(value, str):
        return []
    array = _container(value)
    if array is None:
        return []
    return [li for li in array if li.tag == f"{{{_RDF}}}li"]


def _text(value: Element | str | None) -> str:
    """The text of a simple, language-alternative or array property value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    resource = value.get(f"{{{_RDF}}}resource")
    if resource is not None:
        return resource.strip()
    array = _container(value)
    if array is not None:
        items = [li for li in array if li.tag == f"{{{_RDF}}}li"]
        if array.tag == f"{{{_RDF}}}Alt":
            chosen = next((li for li in items if li.get(f"{{{_XML}}}lang") == "x-default"), None)
            if chosen is None and items:
                chosen = items[0]
            return _text(chosen) if chosen is not None else ""
        return "; ".join(text for text in (_text(li) for li in items) if text)
    return (value.text or "").strip()


def _struct(value: Element | str | None) -> dict[str, Element | str]:
    """Local name -> value of the fields of a struct value (any RDF form)."""
    if value is None or isinstance(value, str):
        return {}
    return {_split(tag)[1]: field_value for tag, field_value in _properties(value)}


def _is_true(text: str) -> bool:
    return text.strip().lower() in ("true", "1", "yes")


def _is_zero(text: str) -> bool:
    try:
        return float(text.strip().replace(",", ".")) == 0.0
    except ValueError:
        return False


class _PacketReader:
    """Collects the signals of one packet."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.signals: list[MetadataSignal] = []
        self._prefixes = prefixes
        self._masks = 0

    def add(self, field_name: str, kind: SignalKind, value: str, *, part: int | None = None) -> None:
        """Record one property; ``field_name`` is ``"XMP <path>/<qualified name>"`` as the walk built it."""
        if value:
            where = field_name.removeprefix("XMP ")
            path, _, name = where.rpartition("/")
            prefix = name.partition(":")[0]
            namespace = next((uri for uri, known in NAMESPACE_PREFIXES.items() if known == prefix), None) \
                or next((uri for uri, known in self._prefixes.items() if known == prefix), None)
            self.signals.append(make_signal(Container.XMP, name, kind, value, namespace=namespace,
                                            path=path or None, part=part))

    def qname(self, tag: str) -> str:
        uri, local = _split(tag)
        prefix = NAMESPACE_PREFIXES.get(uri) or self._prefixes.get(uri) or "ns"
        return f"{prefix}:{local}"

    def read_description(self, node: Element, prefix: str, depth: int) -> None:
        """Read every property of one ``rdf:Description`` (or Pantry item)."""
        crs: dict[str, Element | str] = {}
        for tag, value in _properties(node):
            uri, local = _split(tag)
            field_name = f"XMP {prefix}{self.qname(tag)}"
            if local in ("DigitalSourceType", "DigitalSourcefileType"):
                self.add(field_name, SignalKind.DIGITAL_SOURCE_TYPE, _text(value))
            elif local in _AI_SYSTEM:
                self.add(field_name, SignalKind.AI_SYSTEM, _text(value))
            elif uri == _NS_PHOTOSHOP and local == "Credit":
                self.add(field_name, SignalKind.CREDIT, _text(value))
            elif uri == _NS_DCTERMS and local == "provenance":
                self.add(field_name, SignalKind.REMOTE_MANIFEST, _text(value))
            elif (uri == _NS_XMP and local == "CreatorTool") or (uri == _NS_TIFF and local == "Software") \
                    or local in _SOFTWARE_NAMES:
                self.add(field_name, SignalKind.SOFTWARE, _text(value))
            elif uri == _NS_XMPMM and local == "History":
                self._history(value, field_name)
            elif uri == _NS_XMPMM and local == "Pantry" and depth < _MAX_DEPTH:
                for index, item in enumerate(_items(value), start=1):
                    self.read_description(item, f"{prefix}xmpMM:Pantry[{index}]/", depth + 1)
            elif uri == _NS_PHOTOSHOP and local == "History":
                self._photoshop_history(_text(value), field_name)
            elif (uri == _NS_DC and local in ("description", "title")) or (uri == _NS_EXIF and local == "UserComment"):
                self.add(field_name, SignalKind.DESCRIPTION, _text(value))
            elif uri in (_NS_AUX, _NS_CRS) and local.startswith("Enhance"):
                self.add(field_name, SignalKind.DEVELOP_SETTING, _text(value))
            elif uri == _NS_CRS:
                crs[local] = value
        if crs:
            self._develop(crs, f"XMP {prefix}crs:")

    def _history(self, value: Element | str, field_name: str) -> None:
        for index, item in enumerate(_items(value)[:_MAX_HISTORY], start=1):
            event = _struct(item)
            action = _text(event.get("action"))
            parts = [action or "(no action)"]
            agent = _text(event.get("softwareAgent"))
            if agent:
                parts.append(f"by {agent}")
            parameters = _text(event.get("parameters"))
            if parameters:
                parts.append(f"({parameters})")
            changed = _text(event.get("changed"))
            if changed:
                parts.append(f"changed={changed}")
            when = _text(event.get("when"))
            if when:
                parts.append(f"at {when}")
            self.add(f"{field_name}[{index}]", SignalKind.HISTORY_EVENT, " ".join(parts))

    def _photoshop_history(self, text: str, field_name: str) -> None:
        """Split a long History Log at line ends into parts of at most 2,000 characters."""
        if not text:
            return
        parts: list[str] = []
        current = ""
        for line in text.splitlines():
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
        for number, part in enumerate(parts[:_MAX_HISTORY_PARTS], start=1):
            self.add(field_name, SignalKind.HISTORY_EVENT, part, part=None if number == 1 else number)

    def _develop(self, crs: dict[str, Element | str], base: str) -> None:
        """Camera Raw / Lightroom settings (crs namespace), ET XMP.pm l.527-1880."""
        kind = SignalKind.DEVELOP_SETTING
        for name in ("PerspectiveUpright", "AutoTone", "CameraProfile", "PresetType", "Name"):
            if name in crs:
                self.add(base + name, kind, _text(crs[name]))
        for name in _TONE:
            value = _text(crs.get(name))
            if value and not _is_zero(value):
                self.add(base + name, kind, value)
        balance = _text(crs.get("WhiteBalance"))
        if balance and balance.lower() != "as shot":
            details = [f"{key}={_text(crs[key])}" for key in ("Temperature", "Tint") if key in crs]
            self.add(base + "WhiteBalance", kind, balance + (f" ({', '.join(details)})" if details else ""))
        for name in ("Look", "Preset"):
            fields = _struct(crs.get(name))
            if fields:
                summary = " ".join(f"{key}={_text(fields[key])}" for key in ("Name", "Amount", "Group", "UUID")
                                   if _text(fields.get(key)))
                self.add(base + name, kind, summary or "(unnamed)")
        for group in _CORRECTION_GROUPS:
            for index, correction in enumerate(_items(crs.get(group)), start=1):
                self._masks_of(_struct(correction), f"{base}{group}[{index}]/crs:", 0)
        for group in _RETOUCH_GROUPS:
            self._retouch(_items(crs.get(group)), base + group)
        if "RetouchInfo" in crs:
            self._retouch_info(_items(crs["RetouchInfo"]), base + "RetouchInfo")
        depth_corrections = _items(crs.get("DepthBasedCorrections"))
        if depth_corrections:
            self.add(base + "DepthBasedCorrections", kind, f"{len(depth_corrections)} depth-based correction(s)")
        lens_blur = _struct(crs.get("LensBlur"))
        if lens_blur:
            summary = " ".join(f"{key}={_text(value)}" for key, value in lens_blur.items()
                               if isinstance(value, str) or not list(value))
            self.add(base + "LensBlur", kind, summary or "(present)")

    def _masks_of(self, correction: dict[str, Element | str], base: str, depth: int) -> None:
        for index, mask in enumerate(_items(correction.get("CorrectionMasks")), start=1):
            if self._masks >= _MAX_MASKS:
                return
            fields = _struct(mask)
            summary = " ".join(f"{key}={_text(fields[key])}" for key in _MASK_KEYS if _text(fields.get(key)))
            self._masks += 1
            self.add(f"{base}CorrectionMasks[{index}]", SignalKind.DEVELOP_SETTING, summary or "(mask)")
            # Mask/Aggregate components nest their own masks (crs:Masks).
            if depth < _MAX_DEPTH and "Masks" in fields:
                self._masks_of({"CorrectionMasks": fields["Masks"]},
                               f"{base}CorrectionMasks[{index}]/crs:", depth + 1)

    def _retouch(self, areas: list[Element], field_name: str) -> None:
        """Group retouch/remove areas by their kind (SpotType, Method, fill_method)."""
        groups: dict[str, int] = {}
        for area in areas:
            fields = _struct(area)
            summary = " ".join(f"{key}={_text(fields[key])}" for key in _RETOUCH_KEYS if _text(fields.get(key)))
            model = _text(fields.get("pm_clio_model_version"))
            if model:
                summary += f" pm_clio_model_version={model}"
            summary = summary.strip() or "(unspecified area)"
            groups[summary] = groups.get(summary, 0) + 1
        for summary, count in groups.items():
            self.add(field_name, SignalKind.DEVELOP_SETTING, f"{summary} ({count} area{'s' if count > 1 else ''})")

    def _retouch_info(self, items: list[Element], field_name: str) -> None:
        """Legacy ``crs:RetouchInfo`` strings (``"... spotType = heal"``)."""
        groups: dict[str, int] = {}
        for item in items:
            match = re.search(r"spotType\s*=\s*([\w-]+)", _text(item))
            summary = f"SpotType={match.group(1)}" if match else "(unspecified spot)"
            groups[summary] = groups.get(summary, 0) + 1
        for summary, count in groups.items():
            self.add(field_name, SignalKind.DEVELOP_SETTING, f"{summary} ({count} area{'s' if count > 1 else ''})")
