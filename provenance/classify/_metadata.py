"""Classification of unsigned metadata signals (XMP, EXIF, IPTC, PNG text).

Table-driven: :data:`METADATA_RULES` is a tuple of rows, tried in order; the
first row that matches a signal classifies it. Each row has a stable ``id``,
what it matches (signal kinds, containers, properties, a value test), the
:class:`~provenance.model.Category`, the ``source`` of the rule (a key of
``../shared/docs/c2pa-signals.md``, the charter, or a real file of the shared
fixture catalogs) and a one-sentence ``reason``. A signal no row matches is
neutral information (camera make, a date, an unknown PNG keyword) and gives
an empty tuple.

Digital source types are judged by the charter's DST table, shared with the
C2PA classifier (:mod:`._dst`; re-exported here as
:func:`normalise_digital_source_type` and :data:`DIGITAL_SOURCE_TYPE_CATEGORIES`).

The row type and the rows generated from other tables (digital source types, generator
records) are in :mod:`._metadata_rule`; the value tests the rows name, in :mod:`._value_tests`.
"""

from __future__ import annotations

import re

from ..model import Category, MetadataSignal, SignalKind
from ._dst import DIGITAL_SOURCE_TYPE_CATEGORIES, normalise_digital_source_type
from ._metadata_rule import MetadataRule, dst_rules, record_rules, row
from ._presets import with_preset_note
from ._products import GENERATIVE_PRODUCTS, MIXED_AI_EDITORS, generative_product_in
from ._records import RecordMatch, recognise_record
from ._types import Classification
from ._value_tests import (
    ai_mask,
    apple_clean_up,
    content_aware,
    generative_fill_method,
    generative_product_named,
    google_ai_credit,
    heal_or_clone,
    history_generative,
    http_url,
    lens_blur_active,
    mentions_canva_site,
    mixed_editor_named,
    not_a_program_name,
    not_false,
    present,
    remove_tool_or_neural_filter,
    sky_replacement,
    slider_moved,
    truthy,
    upright_on,
    white_balance_set,
)

__all__ = [
    "DIGITAL_SOURCE_TYPE_CATEGORIES",
    "GENERATIVE_PRODUCTS",
    "METADATA_RULES",
    "MIXED_AI_EDITORS",
    "MetadataRule",
    "classify_signal",
    "generative_product_in",
    "normalise_digital_source_type",
]

_GEN = Category.GENERATIVE
_SOFTWARE_SOURCE = "c2pa-signals A4 (xmp:CreatorTool, EXIF Software 0x0131 / ProcessingSoftware 0x000b: ET Exif.pm l.439, XMP.pm l.2576-2578)"

METADATA_RULES: tuple[MetadataRule, ...] = (
    # --- IPTC AI-system fields and digital source types --------------------------------
    row("xmp.ai_system", _GEN, "c2pa-signals A4 (IPTC AI properties: ET XMP2.pl l.773-777)",
        "An IPTC AI-system field (AISystemUsed, AISystemVersionUsed, AIPromptInformation, AIPromptWriterName) "
        "is only written for content made with a generative AI system.",
        kinds=(SignalKind.AI_SYSTEM,), test=present),
    *dst_rules(),
    # --- generator records, by content, in any field (._records) ---------------------------
    *record_rules(),
    # --- credits ----------------------------------------------------------------------
    row("credit.google_ai", _GEN,
        "c2pa-signals A4 (Google AI credit: 3P:69830046704, 3P:70935714342, 3P:69168280328)",
        "Google labels images made or edited by its generative AI with the credit 'Made with Google AI' / "
        "'Edited with Google AI'.",
        kinds=(SignalKind.CREDIT,), test=google_ai_credit),
    row("credit.apple_clean_up", _GEN,
        "c2pa-signals A4 (Apple Photos Clean Up: 3P:9903078043, 3P:14214424845, 3P:68950015552)",
        "Apple Photos writes the credit 'Apple Photos Clean Up' when its generative Clean Up tool "
        "replaced part of the image.",
        kinds=(SignalKind.CREDIT,), test=apple_clean_up),
    row("credit.generative_product", _GEN, "charter: Forbidden (generators by name); c2pa-signals A4",
        "The credit names a generative AI product.",
        kinds=(SignalKind.CREDIT,), test=generative_product_named),
    # --- remote manifest pointer -------------------------------------------------------
    row("xmp.remote_manifest", Category.UNKNOWN,
        "c2pa-signals A4 (dcterms:provenance: EA/crater-lake-cr.jpg) and trap 18",
        "The XMP points to a Content Credentials manifest stored elsewhere; it is not fetched, so what it "
        "records is unknown here (the C2PA reader reports the remote manifest itself).",
        kinds=(SignalKind.REMOTE_MANIFEST,), test=http_url),
    row("png.label_generative_product", _GEN,
        "public-metadata catalog: sd-metadata/novelai-full.png (Title 'NovelAI generated image')",
        "A PNG title or author label names a generative AI product.",
        containers=("PNG",), properties=("title", "author"), test=generative_product_named),
    # --- Canva ------------------------------------------------------------------------
    row("xmp.canva", Category.UNKNOWN, "c2pa-signals A4 (Canva: 3P:66210291311, needs-review)",
        "The XMP comes from a Canva export, which may or may not contain Canva's generative content.",
        containers=("XMP",), test=mentions_canva_site),
    # --- history -----------------------------------------------------------------------
    row("xmp.photoshop_history.generative", _GEN,
        "c2pa-signals A4 (photoshop:History: 3P:57712086514); charter: Forbidden (Generative Fill / Expand)",
        "The Photoshop history log records a generative step (Generative Fill, Generative Expand...).",
        containers=("XMP",), properties=("photoshop:history",), test=history_generative),
    row("xmp.photoshop_history.sky_replacement", Category.EXTERNAL_CONTENT,
        "charter: Reading the chain (Sky Replacement needs review)",
        "The Photoshop history log records a Sky Replacement, which places content from elsewhere.",
        containers=("XMP",), properties=("photoshop:history",), test=sky_replacement),
    row("xmp.photoshop_history.remove_tool", Category.UNKNOWN,
        "charter: Forbidden ('Remove tool' modes that call a generative model)",
        "The Photoshop history log records the Remove tool or Neural Filters, which may call a generative "
        "model; the log does not say which mode was used.",
        containers=("XMP",), properties=("photoshop:history",), test=remove_tool_or_neural_filter),
    row("xmp.photoshop_history.content_aware", Category.CONTENT_AWARE_FILL,
        "charter: Allowed (Content-Aware Fill, Spot Healing, Clone, Patch)",
        "The Photoshop history log records classic content-aware, healing or clone steps.",
        containers=("XMP",), properties=("photoshop:history",), test=content_aware),
    row("xmp.photoshop_history", Category.ORDINARY_EDIT, "c2pa-signals A4 (photoshop:History)",
        "The Photoshop history log records no generative or content-replacing step.",
        containers=("XMP",), properties=("photoshop:history",), test=present),
    row("xmp.history.generative_product", _GEN,
        "c2pa-signals A4 (xmpMM:History stEvt:softwareAgent); charter: Generative signals win",
        "An XMP history event was written by a generative AI product.",
        kinds=(SignalKind.HISTORY_EVENT,), test=generative_product_named),
    row("xmp.history.mixed_editor", Category.UNKNOWN,
        "charter: Forbidden (Canva, PhotoRoom, Pixlr); c2pa-signals A4 (Canva: needs-review)",
        "An XMP history event was written by an editor that also offers generative AI.",
        kinds=(SignalKind.HISTORY_EVENT,), test=mixed_editor_named),
    row("xmp.history.toolchain", Category.ORDINARY_EDIT,
        "c2pa-signals A4 (xmpMM:History: toolchain evidence only)",
        "An XMP history event records a save or conversion by an ordinary editor (toolchain evidence).",
        kinds=(SignalKind.HISTORY_EVENT,), test=present),
    # --- software names ----------------------------------------------------------------
    row("software.generative_product", _GEN, _SOFTWARE_SOURCE + "; charter: Forbidden",
        "The software that wrote the file is a generative AI product.",
        kinds=(SignalKind.SOFTWARE,), test=generative_product_named),
    row("software.mixed_ai_editor", Category.UNKNOWN,
        "charter: Forbidden (Canva, PhotoRoom, Pixlr listed as generators); c2pa-signals A4 (Canva: needs-review)",
        "The software that wrote the file is an editor that also offers generative AI; what was used is not "
        "recorded.",
        kinds=(SignalKind.SOFTWARE,), test=mixed_editor_named),
    row("software.not_a_name", Category.UNKNOWN, "issue #11 (a UUID in Software is not ordinary software)",
        "The software field does not hold a program's name (an identifier such as a UUID, structured data or "
        "long text); generation services name their jobs by UUID, so it needs review.",
        kinds=(SignalKind.SOFTWARE,), test=not_a_program_name),
    row("software.toolchain", Category.ORDINARY_EDIT, _SOFTWARE_SOURCE,
        "The software that wrote the file names no generative product (toolchain evidence).",
        kinds=(SignalKind.SOFTWARE,), test=present),
    # --- Camera Raw / Lightroom develop settings -------------------------------------------
    row("xmp.crs.generative_remove", _GEN,
        "3P:70623906182, 3P:70103449584 (Lightroom sidecars: SpotType heal_patchmatch with "
        "crs:fill_method=\"firefly\"); 3P:67147098044 (Lightroom Classic 15.5.1 crs:RemoveAreas + fill_method, "
        "C2PA 'Uses GenAI'); charter: Forbidden (Generative Remove)",
        "A Lightroom/Camera Raw remove area was filled by Adobe's generative model (fill_method 'firefly').",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:retouchareas", "crs:removeareas"),
        test=generative_fill_method),
    row("xmp.crs.heal_clone", Category.CONTENT_AWARE_FILL,
        "c2pa-signals A4 (crs healing: ET XMP.pm l.595-607, 1680; 3P:70103630339, 3P:70792567345; "
        "heal_patchmatch without fill_method: 3P:70623906182); charter: Allowed (Spot Healing, Clone)",
        "Heal, clone or classic content-aware spots sample only the image itself.",
        kinds=(SignalKind.DEVELOP_SETTING,),
        properties=("crs:retouchareas", "crs:removeareas", "crs:retouchinfo"), test=heal_or_clone),
    row("xmp.crs.retouch_other", Category.UNKNOWN,
        "c2pa-signals A4 (crs healing: other SpotType values -> needs-review)",
        "A retouch/remove area of a kind the table does not know.",
        kinds=(SignalKind.DEVELOP_SETTING,),
        properties=("crs:retouchareas", "crs:removeareas", "crs:retouchinfo"), test=present),
    row("xmp.crs.upright", Category.STRAIGHTENING,
        "c2pa-signals A4 (crs Upright: ET XMP.pm l.1666-1710); charter: Allowed (Upright)",
        "Lightroom/Camera Raw Upright straightened verticals or the horizon.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:perspectiveupright",), test=upright_on),
    row("xmp.crs.auto_tone", Category.EXPOSURE,
        "c2pa-signals A4 (crs auto tone: ET XMP.pm l.1722-1813); charter: Allowed (auto tone)",
        "Auto tone computed exposure and tone from the image itself.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:autotone",), test=truthy),
    row("xmp.crs.tone", Category.EXPOSURE, "c2pa-signals A4 (crs Exposure2012...: ET XMP.pm l.1722-1813)",
        "An exposure or tone slider was moved.",
        kinds=(SignalKind.DEVELOP_SETTING,),
        properties=("crs:exposure2012", "crs:contrast2012", "crs:highlights2012", "crs:shadows2012",
                    "crs:whites2012", "crs:blacks2012"), test=slider_moved),
    row("xmp.crs.white_balance", Category.EXPOSURE, "c2pa-signals A4 (crs:WhiteBalance, Temperature, Tint)",
        "White balance was set (auto or by hand).",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:whitebalance",), test=white_balance_set),
    row("xmp.crs.profile", Category.PRESET_COLOUR,
        "c2pa-signals A4 (crs profile/look/preset: ET XMP.pm l.1742-1817); charter: Allowed (profiles)",
        "A camera profile rendered the colour.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:cameraprofile",), test=present),
    row("xmp.crs.look", Category.PRESET_COLOUR,
        "c2pa-signals A4 (crs:Look struct: ET XMP.pm l.1742-1817); charter: Allowed (looks)",
        "A look (profile-based colour style) was applied.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:look",), test=present),
    row("xmp.crs.preset", Category.PRESET_COLOUR,
        "c2pa-signals A4 (crs:PresetType, preset name: ET XMP.pm l.1742-1817); charter: Allowed (presets)",
        "A develop preset was applied (whose preset it is cannot be told from the file).",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:presettype", "crs:preset", "crs:name"),
        test=present),
    row("xmp.crs.ai_mask", Category.SMART_SELECTION,
        "c2pa-signals A4 (crs masks, What=Mask/Image: ET XMP.pm l.527-540, 1818; MaskSubType: 3P:71447963280, "
        "3P:61528340978, 3P:68635536139); charter: Allowed (Smart selection)",
        "An AI mask (Select Subject, Sky, People, Objects) selected part of the image; it creates no pixels.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:correctionmasks",), test=ai_mask),
    row("xmp.crs.mask", Category.SMART_SELECTION,
        "c2pa-signals A4 (crs masks: ET XMP.pm l.527-540); charter: Allowed (selections and masks)",
        "A brush, gradient or range mask limited a local adjustment; it creates no pixels.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:correctionmasks",), test=present),
    row("xmp.aux.denoise", Category.AI_ENHANCEMENT,
        "c2pa-signals A4 (aux EnhanceDenoise*: ET XMP.pm l.2651-2658); charter: Undecided (Denoise)",
        "Adobe AI Denoise synthesises detail with a model trained on others' photographs; the default policy "
        "sends it to review.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("aux:enhancedenoise*", "crs:enhancedenoise*"),
        test=not_false),
    row("xmp.aux.super_resolution", Category.AI_ENHANCEMENT,
        "c2pa-signals A4 (aux EnhanceSuperResolution*: ET XMP.pm l.2651-2658); charter: Undecided "
        "(Super Resolution)",
        "Adobe Super Resolution synthesises detail with a trained model; the default policy sends it to review.",
        kinds=(SignalKind.DEVELOP_SETTING,),
        properties=("aux:enhancesuperresolution*", "crs:enhancesuperresolution*"), test=not_false),
    row("xmp.aux.raw_details", Category.AI_ENHANCEMENT,
        "c2pa-signals A4 (aux EnhanceDetails*: ET XMP.pm l.2651-2658); charter: Undecided (Raw Details)",
        "Adobe Raw Details synthesises detail with a trained model; the default policy sends it to review.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("aux:enhancedetails*", "crs:enhancedetails*"),
        test=not_false),
    row("xmp.crs.lens_blur", Category.UNKNOWN,
        "c2pa-signals A4 (crs Lens Blur / depth: ET XMP.pm l.1833-1880, needs-review)",
        "Lens Blur renders bokeh from an AI depth map; the table does not settle it, so it needs review.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:lensblur",), test=lens_blur_active),
    row("xmp.crs.depth", Category.UNKNOWN,
        "c2pa-signals A4 (crs:DepthBasedCorrections: ET XMP.pm l.1833-1880, needs-review)",
        "Depth-based corrections use an AI depth map; the table does not settle them, so they need review.",
        kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:depthbasedcorrections",), test=present),
)
"""The metadata classification table, tried in order (first match wins)."""

_RULES_BY_KIND: dict[SignalKind, tuple[MetadataRule, ...]] = {
    kind: tuple(rule for rule in METADATA_RULES if not rule.kinds or kind in rule.kinds) for kind in SignalKind
}
"""For each signal kind, the rows of :data:`METADATA_RULES` that can match it (no ``kinds``, or this one),
in table order: a row for another kind never matches, so the first match is the same (#12: a 2 MP
JPEG's four signals were tried against all 74 rows)."""


_DISPLAY_CHARS = 2000


def _display_value(value: str) -> str:
    """The value as a finding shows it: at most 2,000 characters, head and tail kept (readers keep more)."""
    if len(value) <= _DISPLAY_CHARS:
        return value
    return value[:1000] + " […] " + value[-(_DISPLAY_CHARS - 1000 - 5):]


_INDEX = re.compile(r"\[\d+\]$")


def _property(signal: MetadataSignal) -> tuple[str, str]:
    """The (container, property) a rule matches: ``("XMP", "crs:look")``, ``("PNG", "parameters")``.

    Read from the signal's structured fields (an array item's index is dropped:
    ``xmpMM:History[3]`` matches rules on ``xmpMM:History``).
    """
    return signal.container.value.upper(), _INDEX.sub("", signal.name).strip().lower()


MEMO_VALUE_CHARS = 512
"""Signals whose value is at most this many characters have their classification remembered (below)."""
MEMO_ENTRIES = 2048
"""At most this many classifications are remembered per process (then the memo starts again: at most
about 2 MiB, whatever the files hold)."""

_MEMO: dict[MetadataSignal, tuple[Classification, ...]] = {}


def classify_signal(signal: MetadataSignal) -> tuple[Classification, ...]:
    """Classify one metadata signal with :data:`METADATA_RULES`.

    Args:
        signal: a :class:`~provenance.model.MetadataSignal` from
            :func:`provenance.evidence.metadata.read_metadata`.
    Returns:
        A one-element tuple with the :class:`Classification` of the first row
        that matches (``row`` = the row id, ``source`` its citation,
        ``location`` the signal's field, ``signal`` its value,
        ``digital_source_type`` the bare term for DST rows), or an empty tuple
        when no row matches (neutral information such as a camera make).
    Errors: none; any string value is accepted.

    The result depends on the signal alone (every field of it, which are its equality) and the
    table, and is frozen: a batch's images repeat most of their signals (camera make and model,
    software, develop settings), so one whose value is short (:data:`MEMO_VALUE_CHARS`) is classified
    once per process (#12: four EXIF signals of a 2 MP JPEG cost about 190 us, 4 % of its audit).
    """
    if len(signal.value) > MEMO_VALUE_CHARS:
        return _classify_signal(signal)
    known = _MEMO.get(signal)
    if known is None:
        known = _classify_signal(signal)
        if len(_MEMO) >= MEMO_ENTRIES:
            _MEMO.clear()
        _MEMO[signal] = known
    return known


def _classify_signal(signal: MetadataSignal) -> tuple[Classification, ...]:
    container, prop = _property(signal)
    recognised: RecordMatch | None | bool = False
    for rule in _RULES_BY_KIND[signal.kind]:
        if rule.record is not None and recognised is False:
            recognised = recognise_record(signal.value)  # once per signal, for every record row
        if rule.matches(container, prop, signal, recognised):
            return (with_preset_note(Classification(
                category=rule.category,
                row=rule.id,
                source=rule.source,
                reason=rule.reason,
                location=signal.location,
                signal=_display_value(signal.value),
                digital_source_type=normalise_digital_source_type(signal.value)
                if signal.kind is SignalKind.DIGITAL_SOURCE_TYPE else None,
            )),)
    return ()
