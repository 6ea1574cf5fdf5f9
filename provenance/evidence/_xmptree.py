"""XMP as a bounded element tree: parsing with caps, and iterative RDF helpers.

The packet is parsed by defusedxml's expat parser (DTDs and entities forbidden) into a tree built by
:class:`CappedBuilder`, which never builds an element deeper than :data:`MAX_DEPTH` levels nor more than
:data:`MAX_ELEMENTS` elements: a packet nested a thousand levels deep (issue #9) gives a shallow tree
and a cap note, never a ``RecursionError`` and never a tree as large as the input allows. Every helper
below walks iteratively (an explicit stack) or to a depth bounded by the tree's own cap.

RDF forms follow the XMP Specification part 1 §7 (RDF/XML serialisation): simple values as attributes or
element text, ``rdf:resource`` URIs, structs as ``rdf:parseType="Resource"`` or a nested
``rdf:Description``, arrays as ``rdf:Seq`` / ``rdf:Bag`` / ``rdf:Alt`` of ``rdf:li`` items, language
alternatives as an ``rdf:Alt`` whose items carry ``xml:lang``.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

__all__ = [
    "MAX_DEPTH",
    "StopParsing",
    "MAX_ELEMENTS",
    "RDF",
    "XML",
    "CappedBuilder",
    "array_of",
    "is_struct",
    "items",
    "properties",
    "split",
    "struct",
    "text",
]

MAX_DEPTH = 64
"""Elements nested deeper than this many levels are not built (a blocking ``metadata.cap_reached``).
Real packets stay under 20 (Lightroom masks inside mask groups inside corrections)."""
MAX_ELEMENTS = 50_000
"""At most this many elements are parsed per packet (a Lightroom packet with hundreds of masks has a few
thousand): parsing stops there, which also bounds the parser's own stack of open elements; the rest is a
blocking ``metadata.cap_reached``."""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"
_ARRAYS = (f"{{{RDF}}}Seq", f"{{{RDF}}}Bag", f"{{{RDF}}}Alt")
_LI = f"{{{RDF}}}li"
_DESCRIPTION = f"{{{RDF}}}Description"
_RESOURCE = f"{{{RDF}}}resource"


class StopParsing(Exception):
    """Raised by :class:`CappedBuilder` to stop the parser at :data:`MAX_ELEMENTS` (the tree so far is kept)."""


class CappedBuilder:
    """An ElementTree parser target that builds a tree within :data:`MAX_DEPTH` and :data:`MAX_ELEMENTS`.

    ``too_deep`` counts the elements parsed but not built because they sit deeper than :data:`MAX_DEPTH`;
    ``too_many`` is set when :data:`MAX_ELEMENTS` was reached (the builder then raises :class:`StopParsing`);
    ``root`` is the tree built so far (usable even when the parser stopped on an error later in the packet).
    """

    def __init__(self) -> None:
        self.root: Element | None = None
        self.too_deep = 0
        self.too_many = False
        self._parsed = 0
        self._stack: list[Element] = []
        self._depth = 0
        self._skip_from: int | None = None
        self._last: Element | None = None
        self._tail = False
        self._data: list[str] = []

    def _flush(self) -> None:
        if self._data and self._last is not None:
            joined = "".join(self._data)
            if self._tail:
                self._last.tail = (self._last.tail or "") + joined
            else:
                self._last.text = (self._last.text or "") + joined
        self._data = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        """Open an element (parser callback)."""
        self._depth += 1
        self._parsed += 1
        if self._parsed > MAX_ELEMENTS:
            self.too_many = True
            raise StopParsing
        if self._skip_from is not None or self._depth > MAX_DEPTH:
            self.too_deep += 1
            if self._skip_from is None:
                self._skip_from = self._depth
            return
        self._flush()
        element = Element(tag, attrib)
        if self._stack:
            self._stack[-1].append(element)
        elif self.root is None:
            self.root = element
        self._stack.append(element)
        self._last, self._tail = element, False

    def end(self, tag: str) -> None:
        """Close an element (parser callback)."""
        if self._skip_from is not None:
            if self._depth == self._skip_from:
                self._skip_from = None
            self._depth -= 1
            return
        self._depth -= 1
        self._flush()
        if self._stack:
            self._last, self._tail = self._stack.pop(), True

    def data(self, chunk: str) -> None:
        """Character data (parser callback); kept only for built elements."""
        if self._skip_from is None:
            self._data.append(chunk)

    def close(self) -> Element | None:
        """End of input (parser callback): the root built, or ``None``."""
        self._flush()
        return self.root


def split(tag: str) -> tuple[str, str]:
    """``"{uri}local"`` -> ``(uri, local)``; a tag without namespace gives ``("", tag)``."""
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return "", tag


def _is_rdf(tag: str) -> bool:
    return tag.startswith(f"{{{RDF}}}") or tag.startswith(f"{{{XML}}}")


def properties(node: Element) -> Iterator[tuple[str, Element | str]]:
    """Yield (qualified tag, value) for every property of a Description or struct node.

    Covers the RDF forms: attributes, child elements, and nested ``rdf:Description`` nodes (walked with an
    explicit stack, in document order).
    """
    pending: list[Element] = [node]
    while pending:
        current = pending.pop()
        for key, value in current.attrib.items():
            if key.startswith("{") and not _is_rdf(key):
                yield key, value
        nested: list[Element] = []
        for child in current:
            if child.tag == _DESCRIPTION:
                nested.append(child)
            elif not _is_rdf(child.tag):
                yield child.tag, child
        pending.extend(reversed(nested))


def array_of(element: Element | str | None) -> Element | None:
    """The ``rdf:Seq``/``Bag``/``Alt`` child of a property element, or ``None``."""
    if element is None or isinstance(element, str):
        return None
    for child in element:
        if child.tag in _ARRAYS:
            return child
    return None


def items(value: Element | str | None) -> list[Element]:
    """The ``rdf:li`` items of an array property (empty for anything else)."""
    array = array_of(value)
    return [] if array is None else [li for li in array if li.tag == _LI]


def is_struct(value: Element) -> bool:
    """Whether a property element holds a struct (fields) rather than a simple value or an array."""
    if value.get(f"{{{RDF}}}parseType") == "Resource":
        return True
    if any(key.startswith("{") and not _is_rdf(key) for key in value.attrib):
        return True
    return any(not (child.tag in _ARRAYS or child.tag == _LI) for child in value)


def text(value: Element | str | None) -> str:
    """The text of a simple, language-alternative or array property value.

    A language alternative gives its ``x-default`` item (else its first); other arrays give their items'
    texts joined with ``"; "``. Nested arrays are followed iteratively, at most :data:`MAX_DEPTH` levels.
    """
    for _ in range(MAX_DEPTH):
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        resource = value.get(_RESOURCE)
        if resource is not None:
            return resource.strip()
        array = array_of(value)
        if array is None:
            return (value.text or "").strip()
        lis = [li for li in array if li.tag == _LI]
        if array.tag == f"{{{RDF}}}Alt":
            value = next((li for li in lis if li.get(f"{{{XML}}}lang") == "x-default"), lis[0] if lis else None)
            continue
        return "; ".join(part for part in (_flat_text(li) for li in lis) if part)
    return ""


def _flat_text(li: Element) -> str:
    """The text of one array item, without following further arrays (they are read by the generic walk)."""
    resource = li.get(_RESOURCE)
    return resource.strip() if resource is not None else (li.text or "").strip()


def struct(value: Element | str | None) -> dict[str, Element | str]:
    """Local name -> value of the fields of a struct value (any RDF form)."""
    if value is None or isinstance(value, str):
        return {}
    return {split(tag)[1]: field_value for tag, field_value in properties(value)}
