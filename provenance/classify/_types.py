"""The classification result type, shared by the C2PA and metadata tables."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Category, Location

__all__ = ["Classification"]


@dataclass(frozen=True, slots=True)
class Classification:
    """One signal put in a :class:`~provenance.model.Category`, with why.

    ``row`` is the id of the classification-table row that matched (stable,
    e.g. ``dst.trainedAlgorithmicMedia``, ``tool.generative_fill``);
    ``source`` cites where the rule comes from (a key of
    ``../shared/docs/c2pa-signals.md``, a spec section, the charter);
    ``reason`` is one plain sentence; ``signal`` is the raw value that matched;
    ``location`` is where the signal sits; ``action`` is the C2PA action label
    the signal belongs to, when it belongs to one (policies may match on it);
    ``digital_source_type`` is the normalised IPTC/C2PA term when one applies.
    """

    category: Category
    row: str
    source: str
    reason: str
    location: Location
    signal: str | None = None
    action: str | None = None
    digital_source_type: str | None = None
