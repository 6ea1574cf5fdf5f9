"""Camera Raw / Lightroom develop settings (the ``crs`` namespace) as readable summaries.

Property names and meanings are exiftool's ``XMP.pm`` (l.527-1880; c2pa-signals.md key ET). This module
reads and summarises; it never decides: a slider at zero, a white balance "As Shot" or an inactive Lens
Blur is reported as it is (the classifier judges, :mod:`provenance.classify`). What it does not summarise
is reported by the generic walk of :mod:`._xmp` as text.

Caps: :data:`MAX_MASKS` masks per packet and mask nesting :data:`MAX_MASK_DEPTH`; reaching either is
reported through the ``cap`` callback (a blocking ``metadata.cap_reached``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from ._xmptree import items, struct, text

__all__ = ["MAX_MASKS", "MAX_MASK_DEPTH", "develop_signals"]

MAX_MASKS = 256
"""Correction masks summarised per packet (a heavily masked Lightroom edit has a few dozen)."""
MAX_MASK_DEPTH = 4
"""Levels of ``crs:Masks`` inside masks (Lightroom writes 2: a group and its components)."""

Add = Callable[[str, str, "str | None"], None]
"""``add(name, value, subpath)``: record one summary under ``subpath`` (relative to the description)."""

_SIMPLE = ("PerspectiveUpright", "AutoTone", "CameraProfile", "PresetType", "Name",
           "Exposure2012", "Contrast2012", "Highlights2012", "Shadows2012", "Whites2012", "Blacks2012")
_CORRECTION_GROUPS = ("MaskGroupBasedCorrections", "PaintBasedCorrections", "GradientBasedCorrections",
                      "CircularGradientBasedCorrections")
_RETOUCH_GROUPS = ("RetouchAreas", "RemoveAreas")
_RETOUCH_KEYS = ("SpotType", "Method", "fill_method")
_MASK_KEYS = ("What", "MaskSubType", "MaskSubCategoryID", "MaskName")
_SPOT_TYPE = re.compile(r"spotType\s*=\s*([\w-]+)")


def develop_signals(crs: dict[str, Element | str], add: Add, cap: Callable[[str], None]) -> set[str]:
    """Summarise the develop settings of one description.

    Args:
        crs: local name -> value of the description's ``crs:`` properties.
        add: called once per summary (see :data:`Add`); names are ``"crs:<Name>"``.
        cap: called with a message when a cap is reached.
    Returns:
        The local names summarised here (the caller reports the others as text).
    """
    consumed: set[str] = set()

    def put(name: str, value: str, subpath: str | None = None) -> None:
        if subpath is None:
            consumed.add(name)
        add(f"crs:{name}", value, subpath)

    _settings(crs, put, consumed)
    masks = _Masks(put, cap)
    for group in _CORRECTION_GROUPS:
        for index, correction in enumerate(items(crs.get(group)), start=1):
            masks.read(struct(correction), f"crs:{group}[{index}]")
        if group in crs:
            consumed.add(group)
    _areas(crs, put)
    return consumed


def _settings(crs: dict[str, Element | str], put: Callable[[str, str], None], consumed: set[str]) -> None:
    """Simple settings, white balance, look and preset."""
    for name in _SIMPLE:
        if name in crs:
            put(name, text(crs[name]))
    balance = text(crs.get("WhiteBalance"))
    if balance:
        details = [f"{key}={text(crs[key])}" for key in ("Temperature", "Tint") if key in crs]
        put("WhiteBalance", balance + (f" ({', '.join(details)})" if details else ""))
        consumed.update(key for key in ("Temperature", "Tint") if key in crs)
    for name in ("Look", "Preset"):
        fields = struct(crs.get(name))
        if fields:
            summary = " ".join(f"{key}={text(fields[key])}" for key in ("Name", "Amount", "Group", "UUID")
                               if text(fields.get(key)))
            put(name, summary or "(unnamed)")


def _areas(crs: dict[str, Element | str], put: Callable[[str, str], None]) -> None:
    """Retouch and remove areas, legacy retouch info, depth corrections, Lens Blur."""
    for group in _RETOUCH_GROUPS:
        if group in crs:
            for summary in _retouch(items(crs[group])):
                put(group, summary)
    if "RetouchInfo" in crs:
        for summary in _retouch_info(items(crs["RetouchInfo"])):
            put("RetouchInfo", summary)
    depth_corrections = items(crs.get("DepthBasedCorrections"))
    if depth_corrections:
        put("DepthBasedCorrections", f"{len(depth_corrections)} depth-based correction(s)")
    lens_blur = struct(crs.get("LensBlur"))
    if lens_blur:
        summary = " ".join(f"{key}={text(value)}" for key, value in lens_blur.items()
                           if isinstance(value, str) or not list(value))
        put("LensBlur", summary or "(present)")


class _Masks:
    """Summaries of correction masks, with the per-packet count and nesting caps."""

    def __init__(self, put: Callable[[str, str, str | None], None], cap: Callable[[str], None]) -> None:
        self._put = put
        self._cap = cap
        self._count = 0

    def read(self, correction: dict[str, Element | str], subpath: str) -> None:
        pending: list[tuple[Element | str | None, str, int]] = [(correction.get("CorrectionMasks"), subpath, 0)]
        while pending:
            masks, where, depth = pending.pop(0)
            for index, mask in enumerate(items(masks), start=1):
                if self._count >= MAX_MASKS:
                    self._cap(f"more than {MAX_MASKS} Camera Raw masks; the rest were not read")
                    return
                fields = struct(mask)
                summary = " ".join(f"{key}={text(fields[key])}" for key in _MASK_KEYS if text(fields.get(key)))
                self._count += 1
                self._put(f"CorrectionMasks[{index}]", summary or "(mask)", where)
                if "Masks" in fields:  # Mask/Aggregate components nest their own masks (crs:Masks)
                    if depth + 1 > MAX_MASK_DEPTH:
                        self._cap(f"Camera Raw masks nested deeper than {MAX_MASK_DEPTH} levels; not read")
                        continue
                    pending.append((fields["Masks"], f"{where}/crs:CorrectionMasks[{index}]", depth + 1))


def _retouch(areas: list[Element]) -> list[str]:
    """Group retouch/remove areas by their kind (SpotType, Method, fill_method)."""
    groups: dict[str, int] = {}
    for area in areas:
        fields = struct(area)
        summary = " ".join(f"{key}={text(fields[key])}" for key in _RETOUCH_KEYS if text(fields.get(key)))
        model = text(fields.get("pm_clio_model_version"))
        if model:
            summary += f" pm_clio_model_version={model}"
        summary = summary.strip() or "(unspecified area)"
        groups[summary] = groups.get(summary, 0) + 1
    return [f"{summary} ({count} area{'s' if count > 1 else ''})" for summary, count in groups.items()]


def _retouch_info(entries: list[Element]) -> list[str]:
    """Legacy ``crs:RetouchInfo`` strings (``"... spotType = heal"``)."""
    groups: dict[str, int] = {}
    for entry in entries:
        match = _SPOT_TYPE.search(text(entry))
        summary = f"SpotType={match.group(1)}" if match else "(unspecified spot)"
        groups[summary] = groups.get(summary, 0) + 1
    return [f"{summary} ({count} area{'s' if count > 1 else ''})" for summary, count in groups.items()]
