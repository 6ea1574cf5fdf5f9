"""Which preset, look or profile a classification says was applied (issue #11, item 4).

The charter allows colour from the studio's *own* presets, profiles and looks. A file names what
was applied, never whose it is: XMP ``crs:Look`` (``Name``, ``UUID``, ``Group``), ``crs:Preset``
/ ``crs:Name``, ``crs:CameraProfile`` (ET XMP.pm l.1742-1817), and Lightroom's manifests
``com.adobe.acr: "Preset"`` with ``com.adobe.acr.value`` such as ``"None to PL02"`` (c2pa-signals
A3, 3P:66635219342: the value reads "from None to PL02"). :func:`preset_of` extracts that, so a
policy can compare it with the studio's own list (``[presets]``, ``docs/policy.md``) and every
finding can say what was applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._types import Classification

__all__ = ["AppliedPreset", "describe_preset", "preset_of", "with_preset_note"]


@dataclass(frozen=True, slots=True)
class AppliedPreset:
    """``kind`` is ``"preset"``, ``"look"`` or ``"profile"``; ``name`` and ``uuid`` as recorded
    (``None`` when the file does not record them)."""

    kind: str
    name: str | None
    uuid: str | None


_METADATA_ROWS = {"xmp.crs.look": "look", "xmp.crs.preset": "preset", "xmp.crs.profile": "profile"}
_TOOL_KINDS = {"preset": "preset", "look": "look", "cameraprofile": "profile"}
_FIELD = re.compile(r"(?:^|\s)(Name|UUID|Group|Amount)=")


def _fields(summary: str) -> dict[str, str]:
    """``"Name=Adobe Landscape Amount=1 UUID=0A1B"`` -> ``{"Name": "Adobe Landscape", ...}`` (the reader's form)."""
    marks = list(_FIELD.finditer(summary))
    out: dict[str, str] = {}
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(summary)
        out[mark.group(1)] = summary[mark.end():end].strip()
    return out


def preset_of(classification: Classification) -> AppliedPreset | None:
    """The preset, look or profile ``classification`` records as applied, or ``None`` when it is not one.

    Args:
        classification: from :func:`~provenance.classify.classify_signal` (rows ``xmp.crs.look``,
            ``xmp.crs.preset``, ``xmp.crs.profile``) or :func:`~provenance.classify.classify_action`
            (rows ``tool.lightroom_preset``, ``tool.color_lookup``).
    Returns:
        An :class:`AppliedPreset`; other rows (HSL sliders, ``c2pa.filtered``...) give ``None``.
    """
    value = (classification.signal or "").strip()
    kind = _METADATA_ROWS.get(classification.row)
    if kind is not None:
        if classification.row == "xmp.crs.preset" and not value.startswith("Name="):
            # crs:Name holds the preset's name; crs:PresetType only says a preset was applied ("Normal").
            return AppliedPreset(kind, None if value.lower() in ("normal", "(unnamed)", "") else value, None)
        if kind == "profile":
            return AppliedPreset(kind, value or None, None)
        fields = _fields(value)
        return AppliedPreset(kind, fields.get("Name") or None, fields.get("UUID") or None)
    if classification.row == "tool.color_lookup":
        return AppliedPreset("look", None, None)
    if classification.row == "tool.lightroom_preset":
        tool, _, recorded = value.partition(": ")
        name = recorded.rsplit(" to ", 1)[-1].strip() if recorded else ""
        return AppliedPreset(_TOOL_KINDS.get(tool.strip().lower(), "preset"), name or None, None)
    return None


def describe_preset(preset: AppliedPreset) -> str:
    """One phrase for a finding: ``look 'Adobe Landscape' (UUID 0A1B)``, ``a preset whose name is not recorded``."""
    if preset.name is None and preset.uuid is None:
        return f"a {preset.kind} whose name is not recorded"
    text = f"{preset.kind} {preset.name!r}" if preset.name else f"a {preset.kind}"
    return text + (f" (UUID {preset.uuid})" if preset.uuid else "")


def with_preset_note(classification: Classification) -> Classification:
    """``classification`` with its reason naming the preset applied and saying ownership is not proven.

    Returns the classification unchanged when it records no preset, look or profile.
    """
    from dataclasses import replace

    preset = preset_of(classification)
    if preset is None:
        return classification
    reason = classification.reason.rstrip(".")
    return replace(classification, reason=(
        f"{reason}. Applied: {describe_preset(preset)}; the file does not show whose it is (ownership is "
        "checked only against a policy's [presets] list)."))
