"""Digital source types: normalisation and the charter's decision table.

A digital source type (DST) says how content was made. It appears on C2PA
actions, templates and v3 ingredients, in vendor parameters such as
``com.adobe.digitalSourceType``, and in XMP ``Iptc4xmpExt:DigitalSourceType``.
The vocabulary is IPTC's (``http://cv.iptc.org/newscodes/digitalsourcetype/``)
plus C2PA's own (``http://c2pa.org/digitalsourcetype/``).

Sources: charter "Decision tables (default policy)"; c2pa-signals.md A2 (c2pa-rs
``DigitalSourceType`` enum, C2PARS) and trap 15 (spellings seen in the wild:
``http`` and ``https``, a leading space, bare terms; C2PA 2.0/2.1 wrote the
bare string ``c2pa.trainedAlgorithmicData``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..model import Category

__all__ = ["DIGITAL_SOURCE_TYPE_CATEGORIES", "GENERATIVE_TERMS", "normalise_digital_source_type"]

_GENERATIVE = (
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "compositeSynthetic",
    "trainedAlgorithmicData",
)
_CAPTURE = (
    "digitalCapture",
    "computationalCapture",
    "compositeCapture",
    "negativeFilm",
    "positiveFilm",
    "print",
)
_HUMAN_EDITS = ("humanEdits", "minorHumanEdits", "algorithmicallyEnhanced")
_NON_PHOTOGRAPHIC = (
    "algorithmicMedia",
    "composite",
    "digitalArt",
    "digitalCreation",
    "dataDrivenMedia",
    "softwareImage",
    "virtualRecording",
    "screenCapture",
    "empty",
)

GENERATIVE_TERMS: frozenset[str] = frozenset(_GENERATIVE)
"""The terms the charter forbids wherever they appear."""

_table: dict[str, Category] = {}
_table.update(dict.fromkeys(_GENERATIVE, Category.GENERATIVE))
_table.update(dict.fromkeys(_CAPTURE, Category.CAPTURE))
_table.update(dict.fromkeys(_HUMAN_EDITS, Category.ORDINARY_EDIT))
_table.update(dict.fromkeys(_NON_PHOTOGRAPHIC, Category.NON_PHOTOGRAPHIC_SOURCE))

DIGITAL_SOURCE_TYPE_CATEGORIES: Mapping[str, Category] = MappingProxyType(_table)
"""Bare term -> category, per the charter's DST table. A term not listed here
is "any other value": :data:`Category.NON_PHOTOGRAPHIC_SOURCE` (review)."""

_BY_LOWER = {term.lower(): term for term in _table}


def normalise_digital_source_type(value: object) -> str | None:
    """Return the bare term of a digital source type, or ``None`` if empty.

    Accepts ``http://`` or ``https://`` IPTC and C2PA URIs, with or without a
    trailing slash or surrounding white space, the 2.0/2.1 form
    ``c2pa.trainedAlgorithmicData``, and bare terms in any letter case.
    Known terms come back in their canonical spelling
    (``"TRAINEDALGORITHMICMEDIA"`` -> ``"trainedAlgorithmicMedia"``); an
    unknown value comes back as its last path segment, unchanged in case.

    Args:
        value: whatever the writer put in the field (non-strings give ``None``).
    Returns:
        The bare term, or ``None`` when ``value`` is not a non-empty string.
    """
    if not isinstance(value, str):
        return None
    text = value.strip().rstrip("/").strip()
    if not text:
        return None
    term = text.rsplit("/", 1)[-1].strip()
    if term.lower().startswith("c2pa."):
        term = term[5:]
    if not term:
        return None
    return _BY_LOWER.get(term.lower(), term)


def category_of_digital_source_type(term: str) -> Category:
    """Return the charter category of a bare DST term (unknown -> review category)."""
    return DIGITAL_SOURCE_TYPE_CATEGORIES.get(term, Category.NON_PHOTOGRAPHIC_SOURCE)
