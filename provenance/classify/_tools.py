"""The tools Photoshop and Lightroom name in C2PA action parameters (issue #11, item 2).

A bare ``c2pa.edited`` (and most Adobe actions) says what was done only through the tool its
parameters name: Photoshop writes an identifier in ``parameters."com.adobe.tool"`` (2023+) or
``parameters.name`` (the 2022 Content Credentials beta), Lightroom / Camera Raw the develop
setting in ``parameters."com.adobe.acr"``. :data:`TOOL_ROWS` lists the identifiers real builds
record, each with its charter category and where it was seen. Identifiers are matched
**exactly** (case-insensitively, a space read as ``_``); a pattern is used only where a source
shows a family of names (Lightroom's per-colour ``HueAdjustment*`` keys, Adobe's
``generative_*`` / ``generate_*`` features).

Source keys (``../shared/docs/c2pa-signals.md``; files of ``../shared/fixtures/public``):

- ``PS22`` = c2pa-rs ``cli/tests/fixtures/verify.jpeg`` (Photoshop 23.3.1, 2022 beta) and
  opensource.contentauth.org ``static/img/Sunset.jpg`` (Photoshop 23.3.2): ``parameters.name``;
- ``PS23`` = LEG/c2pa-actions-1.2.png (Photoshop 24.3) and TRUEPIC t3.jpg (Photoshop 24.2):
  ``com.adobe.tool``; ``PS23GF`` = LEG/gen-fill.jpg (Photoshop 24.7);
- ``PS25`` = EA/car-es-Ps-Cr.jpg (Photoshop 26.11), c2pa-rs ``ocsp_with_assertion.jpg`` (26.8.1);
- ``LR`` = EA/crater-lake-cr (Lightroom 8.5.1, ``com.adobe.acr``), TBRAY, 3P:66635219342;
- ``MTI`` = c2pa-rs make_test_images (``parameters.name``: the public-testfiles chains);
- ``ISSUE11`` = identifiers issue #11 lists from real Photoshop builds, not yet seen in a public
  manifest here (each such row says so).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Category

__all__ = ["DESCRIPTIONS", "TOOL_KEYS", "TOOL_ROWS", "ToolMatch", "ToolRow", "tool_in"]

TOOL_KEYS = ("com.adobe.tool", "name", "com.adobe.acr")
"""Parameter keys that name a tool, in the order they are read (the first present decides)."""


@dataclass(frozen=True, slots=True)
class ToolRow:
    """One row of the tool table.

    ``id`` is the classification row (``tool.<...>``); ``names`` the exact identifiers (lower
    case); ``family`` a pattern for a family of names a source shows (``None`` for most rows);
    ``category`` the charter category; ``source`` where the identifiers were seen;
    ``reason`` what the tool does, in a few words.
    """

    id: str
    names: frozenset[str]
    category: Category
    source: str
    reason: str
    family: re.Pattern[str] | None = None


def _row(id: str, names: str, category: Category, source: str, reason: str, family: str | None = None) -> ToolRow:
    return ToolRow(id=id, names=frozenset(names.split()), category=category, source=source, reason=reason,
                   family=re.compile(family, re.IGNORECASE) if family else None)


_GEN, _SEL, _STR = Category.GENERATIVE, Category.SMART_SELECTION, Category.STRAIGHTENING
_CAF, _EXT, _AIE = Category.CONTENT_AWARE_FILL, Category.EXTERNAL_CONTENT, Category.AI_ENHANCEMENT
_COL, _EXP, _ORD, _UNK = Category.PRESET_COLOUR, Category.EXPOSURE, Category.ORDINARY_EDIT, Category.UNKNOWN

TOOL_ROWS: tuple[ToolRow, ...] = (
    # --- forbidden: generative models -------------------------------------------------------
    _row("tool.generative_fill", "generative_fill", _GEN, "PS23GF (com.adobe.tool generative_fill); charter: Forbidden",
         "Generative Fill: a generative model filled the selection"),
    _row("tool.generative_expand", "generative_expand", _GEN, "ISSUE11 (not yet in a public manifest); charter: "
         "Forbidden (Generative Expand)", "Generative Expand: a generative model extended the canvas"),
    _row("tool.generative_family", "", _GEN,
         "Adobe's Firefly features in Photoshop are all named Generative …/Generate … (helpx.adobe.com/photoshop: "
         "Generative Fill, Generative Expand, Generate Image, Generate Background, Generate Similar); PS23GF shows "
         "the identifier form; charter: Forbidden",
         "a generative Firefly feature", family=r"^(?:generative|generate)_\w+$"),
    # --- review: may call a generative model, or places content from elsewhere ---------------
    _row("tool.remove_tool", "remove_tool", _UNK, "charter: Forbidden ('Remove tool' modes that call a generative "
         "model); ISSUE11 family", "the Remove tool, whose generative mode the record does not tell apart"),
    _row("tool.neural_filters", "neural_filters", _UNK, "charter: Undecided (Neural Filters may "
         "synthesise content); inferred identifier", "Neural Filters, some of which synthesise content"),
    _row("tool.sky_replacement", "sky_replacement", _EXT, "PS22 (verify.jpeg, Sunset.jpg: name sky_replacement); "
         "charter: A bare c2pa.edited (Sky Replacement needs review)", "Sky Replacement: content from elsewhere"),
    _row("tool.place", "place_image place_embedded_smart_object place_linked_smart_object", _EXT,
         "PS22 (verify.jpeg: place_image); c2pa-signals A3 (place_embedded_smart_object); charter: A bare c2pa.edited",
         "an image placed from elsewhere"),
    # --- allowed: smart selection and masks ---------------------------------------------------
    _row("tool.selection", "select_subject select_sky select_and_mask object_selection quick_selection magic_wand",
         _SEL, "ISSUE11 (select_and_mask, select_subject); the other Photoshop selection commands in the same form; "
         "charter: Smart selection", "a selection: it creates no pixels"),
    _row("tool.layer_mask", "add_layer_mask enable_layer_mask", _SEL, "PS22 (verify.jpeg); charter: Smart selection",
         "a layer mask: it creates no pixels"),
    _row("tool.lightroom_masking", "masking", _SEL, "LR (TBRAY, 3P:66635219342: com.adobe.acr Masking); "
         "charter: Smart selection", "Lightroom masking (subject, sky, brush): it creates no pixels"),
    # --- allowed: straightening --------------------------------------------------------------
    _row("tool.upright", "upright perspectiveupright warp", _STR, "LR (3P:66635219342: com.adobe.acr Upright, "
         "Warp, PerspectiveUpright); charter: Automatic straightening", "Upright / perspective correction"),
    # --- allowed: content-aware replacement from the image itself -------------------------------
    _row("tool.content_aware", "content-aware_fill content_aware_fill spot_healing_brush healing_brush clone_stamp "
         "patch_tool", _CAF, "PS22 (verify.jpeg: content-aware_fill); ISSUE11 (spot_healing_brush, clone_stamp); "
         "charter: Allowed (classic Content-Aware Fill, Spot Healing, Clone, Patch)",
         "content-aware replacement that samples the image itself"),
    # --- review by default: AI enhancement -------------------------------------------------------
    _row("tool.ai_enhancement", "denoise super_resolution raw_details enhancedenoise enhancesuperresolution "
         "enhancedetails", _AIE, "Adobe's Enhance feature names (helpx.adobe.com/camera-raw: Denoise, Super "
         "Resolution, Raw Details); crs/aux Enhance* property names (ET XMP.pm l.2651-2658), as LR writes crs "
         "names in com.adobe.acr; inferred identifiers, not yet in a public manifest; "
         "charter: Undecided (Denoise, Super Resolution, Raw Details)", "AI enhancement that synthesises detail"),
    # --- allowed: colour from presets, profiles, looks -----------------------------------------
    _row("tool.color_lookup", "color_lookup new_color_lookup_layer modify_color_lookup_layer", _COL,
         "PS22 (verify.jpeg: new/modify_color_lookup_layer); ISSUE11 (color_lookup); charter: presets and looks",
         "a colour lookup (look) applied"),
    _row("tool.lightroom_preset", "preset look cameraprofile", _COL, "LR (3P:66635219342: com.adobe.acr Preset "
         "'None to PL02'); crs:Look, crs:CameraProfile names (ET XMP.pm); charter: own presets, profiles, looks",
         "a preset, look or profile applied"),
    _row("tool.lightroom_colour", "vibrance saturation", _COL,
         "LR (TBRAY, 3P:66635219342: per-colour HSL and colour-grading keys); charter: colour",
         "a colour adjustment", family=r"^(?:hue|saturation|luminance)adjustment\w+$|^colorgrade\w+$|^splittoning\w+$"),
    # --- allowed: exposure and tone ----------------------------------------------------------------
    _row("tool.exposure", "levels curves brightnesscontrast camera_raw_filter", _EXP,
         "ISSUE11 (levels, curves); MTI (brightnesscontrast); PS23 (t3.jpg: camera_raw_filter on "
         "c2pa.color_adjustments); charter: exposure and colour", "an exposure, tone or colour adjustment"),
    _row("tool.lightroom_tone", "exposure2012 contrast2012 highlights2012 shadows2012 whites2012 blacks2012 "
         "temperature tint whitebalance clarity2012 dehaze texture point_curve", _EXP,
         "LR (EA/crater-lake-cr: Exposure2012…Blacks2012; TBRAY: Point Curve); crs names (ET XMP.pm l.1722-1813)",
         "a Lightroom tone or white-balance setting", family=r"^parametric\w+$"),
    # --- allowed: ordinary edits --------------------------------------------------------------
    _row("tool.document", "open new import", _ORD, "PS25, PS23 (open, new); MTI (import)",
         "a document opened or created"),
    _row("tool.geometry", "crop image_size canvas_size rotate_canvas resize free_transform transform", _ORD,
         "PS25 (crop, image_size, canvas_size); PS23 (rotate_canvas); PS22 (free_transform, crop); MTI (resize); "
         "ISSUE11 (transform)", "crop, resize, rotate or transform"),
    _row("tool.painting", "brush_tool rectangle_tool gradient paint_bucket", _ORD,
         "PS23 (brush_tool, rectangle_tool); PS22 (brush_tool); MTI (gradient); ISSUE11 (paint_bucket)",
         "painting by hand: brushes, shapes, gradients"),
    _row("tool.filter", "blur_tool gaussian_blur sharpness", _ORD,
         "PS23 (blur_tool); c2pa-rs update_manifest.jpg (name 'gaussian blur'); ISSUE11 (gaussian_blur); "
         "LR (TBRAY: Sharpness)", "an ordinary filter (blur, sharpen)"),
    _row("tool.layers", "move layer_style layer_visibility blending_change master_opacity_change "
         "convert_to_smart_object", _ORD, "PS22 (verify.jpeg, Sunset.jpg); PS23 (t3.jpg: convert_to_smart_object); "
         "ISSUE11 (move, layer_style)", "a layer operation (move, style, visibility, blending, opacity)"),
    _row("tool.text_and_video", "new_type_layer text add_video_layer", _ORD,
         "PS23 (new_type_layer, add_video_layer); ISSUE11 (text)", "a text or video layer"),
)
"""The tool table: first row whose name or family matches decides."""

DESCRIPTIONS: Mapping[str, Category] = {
    # Photoshop's per-action descriptions (c2pa-signals A3: LEG/c2pa-actions-1.2.png, EA/car-es-Ps-Cr).
    # They name a kind of step, never the tool; read only when no tool key is present.
    "opened a pre-existing file": _ORD,
    "used cropping tools, reducing or expanding visible content area": _ORD,
    "changed dimensions or file size": _ORD,
    "used tools like pencils, brushes, erasers, or shape, path, or pen tools": _ORD,
    "used tools like filters, styles, or effects to change appearance": _ORD,
    "changed position or orientation (rotated, flipped, etc.)": _ORD,
    "created or made changes to text, including font family, color, or other styles": _ORD,
    "created or made changes to animation, audio, or other video properties": _ORD,
    "added pre-existing content to this file": _EXT,
    "performed other edits or activity that couldn't be recognized": _UNK,
}
"""Photoshop's description strings (lower case) and the category each implies."""

_BY_NAME = {name: row for row in TOOL_ROWS for name in row.names}


@dataclass(frozen=True, slots=True)
class ToolMatch:
    """The tool an action's parameters name: ``key`` it was read from, ``name`` as written, ``row``
    (``None`` for a name the table does not know: "an unknown tool")."""

    key: str
    name: str
    row: ToolRow | None


def _normal(name: str) -> str:
    return "_".join(name.strip().lower().split())


def _lookup(name: str) -> ToolRow | None:
    normal = _normal(name)
    row = _BY_NAME.get(normal)
    if row is not None:
        return row
    return next((row for row in TOOL_ROWS if row.family is not None and row.family.match(normal)), None)


def tool_in(parameters: Mapping[str, Any]) -> ToolMatch | None:
    """Return the tool an action's ``parameters`` name, or ``None`` when they name none.

    Args:
        parameters: the action's ``parameters`` object.
    Returns:
        A :class:`ToolMatch` for the first key of :data:`TOOL_KEYS` holding a non-empty string
        (its ``row`` is ``None`` when the name is not in :data:`TOOL_ROWS`), or ``None`` when no
        key names a tool (an empty ``com.adobe.tool``, as Photoshop writes on ``c2pa.unknown``,
        names none).
    """
    for key in TOOL_KEYS:
        value = parameters.get(key)
        if isinstance(value, str) and value.strip():
            return ToolMatch(key=key, name=value.strip(), row=_lookup(value))
    return None
