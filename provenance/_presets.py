"""The studio's own presets, looks and profiles: a policy's ``[presets]`` table (issue #11, item 4).

Self-contained so that the policy loader needs only a field, a key and one call
(:func:`parse_presets`; :meth:`PresetList.decide` runs before the policy's rules). Pure: no I/O.
The table's format is in ``docs/policy.md``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .classify import Classification, preset_of
from .errors import PolicyError
from .model import Decision

__all__ = ["PRESET_KINDS", "PresetList", "parse_presets"]

PRESET_KINDS = ("presets", "looks", "profiles")
"""The lists a ``[presets]`` table may hold (one per kind :func:`provenance.classify.preset_of` reports)."""
_KEYS = {*PRESET_KINDS, "others", "description"}
_DECISIONS = {decision.value: decision for decision in Decision}


@dataclass(frozen=True, slots=True)
class PresetList:
    """The studio's own presets, looks and profiles: the policy's ``[presets]`` table (issue #11).

    ``own`` maps a kind (``"presets"``, ``"looks"``, ``"profiles"``) to the names and/or UUIDs of the
    studio's own, as ``fnmatch`` globs compared case-insensitively; ``others`` is the decision for an
    applied preset, look or profile of a listed kind that matches none (``review`` unless the policy
    says otherwise). Kinds the table does not list are left to the rules (the charter allows them).
    What was applied is read by :func:`provenance.classify.preset_of` (XMP ``crs:Look`` / ``crs:Preset``
    / ``crs:CameraProfile``, Lightroom's ``com.adobe.acr: Preset``).
    """

    own: Mapping[str, tuple[str, ...]]
    others: Decision = Decision.REVIEW

    def decide(self, classification: Classification) -> tuple[Decision, str] | None:
        """``(ALLOWED, "presets.own")``, ``(others, "presets.others")``, or ``None`` when not concerned."""
        preset = preset_of(classification)
        patterns = self.own.get(f"{preset.kind}s") if preset is not None else None
        if preset is None or patterns is None:
            return None
        recorded = [value.casefold() for value in (preset.name, preset.uuid) if value]
        if any(fnmatch.fnmatchcase(value, pattern.casefold()) for value in recorded for pattern in patterns):
            return Decision.ALLOWED, "presets.own"
        return self.others, "presets.others"


def parse_presets(table: Any, where: str = "presets") -> PresetList | None:
    """The ``[presets]`` table: ``presets``/``looks``/``profiles`` (lists of globs), ``others`` (a decision).

    Raises:
        PolicyError: not a table, an unknown key, a list that is not of non-empty strings, a bad decision.
    """
    if table is None:
        return None
    if not isinstance(table, dict):
        raise PolicyError(f"[{where}] must be a table")
    extra = sorted(set(table) - _KEYS)
    if extra:
        raise PolicyError(f"{where}: unknown key '{extra[0]}' (allowed: {', '.join(sorted(_KEYS))})")
    own: dict[str, tuple[str, ...]] = {}
    for kind in PRESET_KINDS:
        if kind in table:
            values = table[kind]
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise PolicyError(f"{where}.{kind}: expected a list of names or UUIDs (globs allowed)")
            own[kind] = tuple(v.strip() for v in values)
    if not own:
        raise PolicyError(f"{where}: list at least one of 'presets', 'looks', 'profiles'")
    others = table.get("others", Decision.REVIEW.value)
    if not isinstance(others, str) or others not in _DECISIONS:
        raise PolicyError(f"{where}.others: {others!r} is not a decision (allowed, forbidden, review)")
    return PresetList(own=own, others=_DECISIONS[others])
