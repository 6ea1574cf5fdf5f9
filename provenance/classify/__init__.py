"""Classification: what each piece of evidence *is*, before any policy.

Table-driven; every row has a stable id and cites its source. The policy
(:mod:`provenance.policy`) then decides what each category means for the studio.

Public entry points:

- :func:`classify_evidence` — everything one image carries (runs before the policy's
  :func:`provenance.policy.evaluate`), as :class:`ClassifiedEvidence`;
- :func:`classify_credentials` — every action, assertion, ingredient and origin
  signal of a manifest store, at every depth;
- :func:`classify_action` — one C2PA action;
- :func:`classify_signal` — one metadata signal (XMP, EXIF, IPTC, PNG text);
- :func:`classify_status_code` — one validation status code (the table :data:`STATUS_TABLE`);
- :func:`preset_of` — the preset, look or profile a classification says was applied;
- :func:`normalise_digital_source_type` — any spelling of a DST to its bare term.
"""

from __future__ import annotations

from ._actions import classify_action
from ._c2pa import classify_credentials
from ._dst import (
    DIGITAL_SOURCE_TYPE_CATEGORIES,
    GENERATIVE_TERMS,
    category_of_digital_source_type,
    normalise_digital_source_type,
)
from ._evidence import ClassifiedEvidence, classify_evidence
from ._metadata import classify_signal
from ._presets import AppliedPreset, preset_of
from ._products import names_generative_product
from ._status import STATUS_TABLE, StatusEffect, StatusRow, StatusSubject, classify_status_code
from ._types import Classification

__all__ = [
    "DIGITAL_SOURCE_TYPE_CATEGORIES",
    "AppliedPreset",
    "GENERATIVE_TERMS",
    "Classification",
    "ClassifiedEvidence",
    "STATUS_TABLE",
    "StatusEffect",
    "StatusRow",
    "StatusSubject",
    "category_of_digital_source_type",
    "classify_action",
    "classify_credentials",
    "classify_evidence",
    "classify_signal",
    "classify_status_code",
    "names_generative_product",
    "normalise_digital_source_type",
    "preset_of",
]
