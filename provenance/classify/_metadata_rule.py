"""The row type of the metadata table (:class:`MetadataRule`) and the rows generated from other tables.

:func:`dst_rules` makes one row per digital source type of the charter's DST table (:mod:`._dst`);
:func:`record_rules` one per generator-record format of :mod:`._records`. The hand-written rows and
their order are in :mod:`._metadata`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Category, MetadataSignal, SignalKind
from ._dst import DIGITAL_SOURCE_TYPE_CATEGORIES, normalise_digital_source_type
from ._records import MAX_JSON_DEPTH, RECORD_FORMATS, RecordMatch, recognise_record
from ._value_tests import present

__all__ = ["MetadataRule", "dst_rules", "record_rules", "row"]


@dataclass(frozen=True, slots=True)
class MetadataRule:
    """One row of the metadata classification table.

    A row matches a signal when every given criterion holds: ``kinds`` (the
    signal's :class:`SignalKind`), ``containers`` (first word of the field:
    ``XMP``, ``EXIF``, ``PNG``, ``IPTC``, ``JPEG``...), ``properties`` (the
    property named by the field, lower case: ``crs:perspectiveupright``,
    ``parameters``, ``usercomment``; a trailing ``*`` matches a prefix) and
    ``test`` (a predicate on the value). Empty criteria match anything.
    ``dst`` is set on digital-source-type rows (the bare term they match).
    ``record`` is set on generator-record rows (below), which have no other criterion.
    """

    id: str
    category: Category
    source: str
    reason: str
    kinds: frozenset[SignalKind] = frozenset()
    containers: frozenset[str] = frozenset()
    properties: frozenset[str] = frozenset()
    test: Callable[[str], bool] | None = None
    dst: str | None = None
    record: str | None = None
    """Set on generator-record rows: the :data:`~._records.RECORD_FORMATS` id the row stands for
    (``"unreadable"`` for a record that could not be read). Such rows match on the value's content
    alone (:func:`~._records.recognise_record`), never on the field's name or kind."""

    def matches(self, container: str, prop: str, signal: MetadataSignal,
                recognised: RecordMatch | None | bool = False) -> bool:
        """Whether this row applies to ``signal`` (whose field parses to ``container``/``prop``).

        ``recognised`` is what :func:`~._records.recognise_record` found in the value, when the
        caller already asked (``False``: not asked yet).
        """
        if self.kinds and signal.kind not in self.kinds:
            return False
        if self.containers and container not in self.containers:
            return False
        if self.properties and not any(
            prop.startswith(name[:-1]) if name.endswith("*") else prop == name for name in self.properties
        ):
            return False
        if self.record is not None:
            found = recognise_record(signal.value) if recognised is False else recognised
            return isinstance(found, RecordMatch) and _record_id(found) == self.record
        if self.dst is not None and normalise_digital_source_type(signal.value) != self.dst:
            return False
        return self.test is None or self.test(signal.value)


def row(id: str, category: Category, source: str, reason: str, *, kinds: tuple[SignalKind, ...] = (),
        containers: tuple[str, ...] = (), properties: tuple[str, ...] = (),
        test: Callable[[str], bool] | None = None, dst: str | None = None) -> MetadataRule:
    """A :class:`MetadataRule` from tuples (``properties`` in any case: matched lower case)."""
    return MetadataRule(id=id, category=category, source=source, reason=reason, kinds=frozenset(kinds),
                        containers=frozenset(containers), properties=frozenset(p.lower() for p in properties),
                        test=test, dst=dst)


_DST_SOURCE = "charter: Decision tables (digitalSourceType); c2pa-signals A2, A4 (ET XMP2.pl l.567-570)"
_DST_REASONS = {
    Category.GENERATIVE: "The IPTC digital source type {term!r} says a trained generative model produced the content.",
    Category.CAPTURE: "The IPTC digital source type {term!r} says the image was captured (camera, film, print).",
    Category.ORDINARY_EDIT: "The IPTC digital source type {term!r} says the image was edited without generative AI.",
    Category.NON_PHOTOGRAPHIC_SOURCE: "The IPTC digital source type {term!r} is neither a capture nor generative; "
                                      "the charter sends it to review.",
}


def dst_rules() -> tuple[MetadataRule, ...]:
    """One row per term of the charter's DST table (:data:`~._dst.DIGITAL_SOURCE_TYPE_CATEGORIES`), then
    ``xmp.dst.other`` for any other value (IPTC: "any other value" is not in the vocabulary: review)."""
    rows = [
        row(f"xmp.dst.{term}", category, _DST_SOURCE, _DST_REASONS[category].format(term=term),
            kinds=(SignalKind.DIGITAL_SOURCE_TYPE,), dst=term)
        for term, category in DIGITAL_SOURCE_TYPE_CATEGORIES.items()
    ]
    rows.append(row(
        "xmp.dst.other", Category.NON_PHOTOGRAPHIC_SOURCE, _DST_SOURCE,
        "The digital source type is not in the IPTC/C2PA vocabulary ('any other value'): review.",
        kinds=(SignalKind.DIGITAL_SOURCE_TYPE,), test=present))
    return tuple(rows)


def _record_id(found: RecordMatch) -> str:
    return found.format.id if found.format is not None else "unreadable"


def record_rules() -> tuple[MetadataRule, ...]:
    """One row per generator-record format (issue #11): content decides, in any text field."""
    rows = [
        MetadataRule(
            id=f"record.{fmt.id}", category=Category.GENERATIVE, source=fmt.source,
            reason=f"The text is a generation record of {fmt.product} ({fmt.shape}), whatever field holds it.",
            record=fmt.id)
        for fmt in RECORD_FORMATS
    ]
    rows.append(MetadataRule(
        id="record.unreadable", category=Category.UNKNOWN,
        source=f"issue #11 (JSON depth cap {MAX_JSON_DEPTH}); brief: fail closed",
        reason="The text is structured data too deeply nested to read; a generator record in it cannot be "
               "ruled out, so it needs review.",
        record="unreadable"))
    return tuple(rows)
