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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..model import Category, MetadataSignal, SignalKind
from ._dst import DIGITAL_SOURCE_TYPE_CATEGORIES, normalise_digital_source_type
from ._presets import with_preset_note
from ._products import (
    GENERATIVE_PRODUCTS,
    MIXED_AI_EDITORS,
    generative_product_in,
    mixed_editor_in,
)
from ._records import MAX_JSON_DEPTH, RECORD_FORMATS, RecordMatch, recognise_record
from ._types import Classification

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

_DIGITAL_SOURCE_TYPE_CATEGORIES: Mapping[str, Category] = DIGITAL_SOURCE_TYPE_CATEGORIES

# --------------------------------------------------------------------------------------
# Value tests (each a named predicate so the table reads as data)
# --------------------------------------------------------------------------------------

_URL = re.compile(r"^\s*https?://", re.IGNORECASE)
_GENERATIVE_WORD = re.compile(r"\bgenerative\b", re.IGNORECASE)
_SKY_REPLACEMENT = re.compile(r"\bsky replacement\b", re.IGNORECASE)
_REMOVE_OR_NEURAL = re.compile(r"\bremove tool\b|\bneural filters?\b", re.IGNORECASE)
_CONTENT_AWARE = re.compile(r"\bcontent[- ]aware\b|\bspot healing\b|\bhealing brush\b|\bclone stamp\b"
                            r"|\bpatch tool\b", re.IGNORECASE)
_GOOGLE_CREDIT = re.compile(r"\b(?:made|edited) with google ai\b", re.IGNORECASE)
_APPLE_CLEAN_UP = re.compile(r"\bapple photos clean\s?up\b", re.IGNORECASE)
_GENERATIVE_FILL_METHOD = re.compile(r"\bfill_method=(?:firefly|generative\w*)\b|\bpm_clio_model_version=",
                                     re.IGNORECASE)
_ANY_FILL_METHOD = re.compile(r"\bfill_method=|\bpm_clio_model_version=", re.IGNORECASE)
_HEAL_CLONE = re.compile(r"\bSpotType=(?:heal|clone|heal_patchmatch)\b(?!\S)", re.IGNORECASE)
_AI_MASK = re.compile(r"\bWhat=Mask/Image\b", re.IGNORECASE)
_LENS_BLUR_OFF = re.compile(r"\bActive=(?:false|0)\b", re.IGNORECASE)


_IDENTIFIER = re.compile(r"^\s*(?:urn:uuid:)?(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                         r"|[0-9a-f]{16,})\s*$", re.IGNORECASE)


def _not_a_program_name(value: str) -> bool:
    """A bare UUID (RFC 9562) or hex string of 16+ digits (an id), structured data (JSON), several lines or
    more than 200 characters: not what a writer puts as its own name."""
    text = value.strip()
    return bool(_IDENTIFIER.match(text)) or text[:1] in ("{", "[") or "\n" in text or len(text) > 200


def _present(value: str) -> bool:
    return bool(value.strip())


def _names_generative_product(value: str) -> bool:
    return generative_product_in(value) is not None


def _names_mixed_editor(value: str) -> bool:
    return mixed_editor_in(value) is not None


def _http_url(value: str) -> bool:
    return bool(_URL.match(value))


def _history_generative(value: str) -> bool:
    return bool(_GENERATIVE_WORD.search(value)) or _names_generative_product(value)


def _sky_replacement(value: str) -> bool:
    return bool(_SKY_REPLACEMENT.search(value))


def _remove_tool_or_neural_filter(value: str) -> bool:
    return bool(_REMOVE_OR_NEURAL.search(value))


def _content_aware(value: str) -> bool:
    return bool(_CONTENT_AWARE.search(value))


def _google_ai_credit(value: str) -> bool:
    return bool(_GOOGLE_CREDIT.search(value))


def _apple_clean_up(value: str) -> bool:
    return bool(_APPLE_CLEAN_UP.search(value))


def _upright_on(value: str) -> bool:
    """``crs:PerspectiveUpright`` 1 Auto, 2 Full, 3 Level, 4 Vertical, 5 Guided; 0 is Off (ET XMP.pm)."""
    return value.strip() in ("1", "2", "3", "4", "5")


def _true(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


def _not_false(value: str) -> bool:
    return value.strip().lower() not in ("", "false", "0", "no")


def _generative_fill_method(value: str) -> bool:
    return bool(_GENERATIVE_FILL_METHOD.search(value))


def _heal_or_clone(value: str) -> bool:
    return bool(_HEAL_CLONE.search(value)) and not _ANY_FILL_METHOD.search(value)


def _ai_mask(value: str) -> bool:
    return bool(_AI_MASK.search(value))


def _lens_blur_active(value: str) -> bool:
    return not _LENS_BLUR_OFF.search(value)


# Judgements the XMP reader used to make while reading (issue #8 item 5): it now reports every value as it is.

def _slider_moved(value: str) -> bool:
    """A tone slider away from zero (a slider at 0 is no edit); a value that is not a number counts as moved."""
    try:
        return float(value.strip().replace(",", ".")) != 0.0
    except ValueError:
        return bool(value.strip())


def _white_balance_set(value: str) -> bool:
    """A white balance other than the camera's own ("As Shot"), which is no edit."""
    return bool(value.strip()) and not value.strip().lower().startswith("as shot")


def _mentions_canva_site(value: str) -> bool:
    """An XMP value that mentions canva.com (a Canva export: its namespace URI, a link), c2pa-signals A4."""
    return "canva.com" in value.lower()


_DISPLAY_CHARS = 2000


def _display_value(value: str) -> str:
    """The value as a finding shows it: at most 2,000 characters, head and tail kept (readers keep more)."""
    if len(value) <= _DISPLAY_CHARS:
        return value
    return value[:1000] + " […] " + value[-(_DISPLAY_CHARS - 1000 - 5):]


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------

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


def _rule(id: str, category: Category, source: str, reason: str, *, kinds: tuple[SignalKind, ...] = (),
          containers: tuple[str, ...] = (), properties: tuple[str, ...] = (),
          test: Callable[[str], bool] | None = None, dst: str | None = None) -> MetadataRule:
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


def _dst_rules() -> tuple[MetadataRule, ...]:
    rows = [
        _rule(f"xmp.dst.{term}", category, _DST_SOURCE, _DST_REASONS[category].format(term=term),
              kinds=(SignalKind.DIGITAL_SOURCE_TYPE,), dst=term)
        for term, category in _DIGITAL_SOURCE_TYPE_CATEGORIES.items()
    ]
    rows.append(_rule(
        "xmp.dst.other", Category.NON_PHOTOGRAPHIC_SOURCE, _DST_SOURCE,
        "The digital source type is not in the IPTC/C2PA vocabulary ('any other value'): review.",
        kinds=(SignalKind.DIGITAL_SOURCE_TYPE,), test=_present))
    return tuple(rows)


def _record_id(found: RecordMatch) -> str:
    return found.format.id if found.format is not None else "unreadable"


def _record_rules() -> tuple[MetadataRule, ...]:
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


_GEN = Category.GENERATIVE
_SOFTWARE_SOURCE = "c2pa-signals A4 (xmp:CreatorTool, EXIF Software 0x0131 / ProcessingSoftware 0x000b: ET Exif.pm l.439, XMP.pm l.2576-2578)"

METADATA_RULES: tuple[MetadataRule, ...] = (
    # --- IPTC AI-system fields and digital source types --------------------------------
    _rule("xmp.ai_system", _GEN, "c2pa-signals A4 (IPTC AI properties: ET XMP2.pl l.773-777)",
          "An IPTC AI-system field (AISystemUsed, AISystemVersionUsed, AIPromptInformation, AIPromptWriterName) "
          "is only written for content made with a generative AI system.",
          kinds=(SignalKind.AI_SYSTEM,), test=_present),
    *_dst_rules(),
    # --- generator records, by content, in any field (._records) ---------------------------
    *_record_rules(),
    # --- credits ----------------------------------------------------------------------
    _rule("credit.google_ai", _GEN,
          "c2pa-signals A4 (Google AI credit: 3P:69830046704, 3P:70935714342, 3P:69168280328)",
          "Google labels images made or edited by its generative AI with the credit 'Made with Google AI' / "
          "'Edited with Google AI'.",
          kinds=(SignalKind.CREDIT,), test=_google_ai_credit),
    _rule("credit.apple_clean_up", _GEN,
          "c2pa-signals A4 (Apple Photos Clean Up: 3P:9903078043, 3P:14214424845, 3P:68950015552)",
          "Apple Photos writes the credit 'Apple Photos Clean Up' when its generative Clean Up tool "
          "replaced part of the image.",
          kinds=(SignalKind.CREDIT,), test=_apple_clean_up),
    _rule("credit.generative_product", _GEN, "charter: Forbidden (generators by name); c2pa-signals A4",
          "The credit names a generative AI product.",
          kinds=(SignalKind.CREDIT,), test=_names_generative_product),
    # --- remote manifest pointer -------------------------------------------------------
    _rule("xmp.remote_manifest", Category.UNKNOWN,
          "c2pa-signals A4 (dcterms:provenance: EA/crater-lake-cr.jpg) and trap 18",
          "The XMP points to a Content Credentials manifest stored elsewhere; it is not fetched, so what it "
          "records is unknown here (the C2PA reader reports the remote manifest itself).",
          kinds=(SignalKind.REMOTE_MANIFEST,), test=_http_url),
    _rule("png.label_generative_product", _GEN,
          "public-metadata catalog: sd-metadata/novelai-full.png (Title 'NovelAI generated image')",
          "A PNG title or author label names a generative AI product.",
          containers=("PNG",), properties=("title", "author"), test=_names_generative_product),
    # --- Canva ------------------------------------------------------------------------
    _rule("xmp.canva", Category.UNKNOWN, "c2pa-signals A4 (Canva: 3P:66210291311, needs-review)",
          "The XMP comes from a Canva export, which may or may not contain Canva's generative content.",
          containers=("XMP",), test=_mentions_canva_site),
    # --- history -----------------------------------------------------------------------
    _rule("xmp.photoshop_history.generative", _GEN,
          "c2pa-signals A4 (photoshop:History: 3P:57712086514); charter: Forbidden (Generative Fill / Expand)",
          "The Photoshop history log records a generative step (Generative Fill, Generative Expand...).",
          containers=("XMP",), properties=("photoshop:history",), test=_history_generative),
    _rule("xmp.photoshop_history.sky_replacement", Category.EXTERNAL_CONTENT,
          "charter: Reading the chain (Sky Replacement needs review)",
          "The Photoshop history log records a Sky Replacement, which places content from elsewhere.",
          containers=("XMP",), properties=("photoshop:history",), test=_sky_replacement),
    _rule("xmp.photoshop_history.remove_tool", Category.UNKNOWN,
          "charter: Forbidden ('Remove tool' modes that call a generative model)",
          "The Photoshop history log records the Remove tool or Neural Filters, which may call a generative "
          "model; the log does not say which mode was used.",
          containers=("XMP",), properties=("photoshop:history",), test=_remove_tool_or_neural_filter),
    _rule("xmp.photoshop_history.content_aware", Category.CONTENT_AWARE_FILL,
          "charter: Allowed (Content-Aware Fill, Spot Healing, Clone, Patch)",
          "The Photoshop history log records classic content-aware, healing or clone steps.",
          containers=("XMP",), properties=("photoshop:history",), test=_content_aware),
    _rule("xmp.photoshop_history", Category.ORDINARY_EDIT, "c2pa-signals A4 (photoshop:History)",
          "The Photoshop history log records no generative or content-replacing step.",
          containers=("XMP",), properties=("photoshop:history",), test=_present),
    _rule("xmp.history.generative_product", _GEN,
          "c2pa-signals A4 (xmpMM:History stEvt:softwareAgent); charter: Generative signals win",
          "An XMP history event was written by a generative AI product.",
          kinds=(SignalKind.HISTORY_EVENT,), test=_names_generative_product),
    _rule("xmp.history.mixed_editor", Category.UNKNOWN,
          "charter: Forbidden (Canva, PhotoRoom, Pixlr); c2pa-signals A4 (Canva: needs-review)",
          "An XMP history event was written by an editor that also offers generative AI.",
          kinds=(SignalKind.HISTORY_EVENT,), test=_names_mixed_editor),
    _rule("xmp.history.toolchain", Category.ORDINARY_EDIT,
          "c2pa-signals A4 (xmpMM:History: toolchain evidence only)",
          "An XMP history event records a save or conversion by an ordinary editor (toolchain evidence).",
          kinds=(SignalKind.HISTORY_EVENT,), test=_present),
    # --- software names ----------------------------------------------------------------
    _rule("software.generative_product", _GEN, _SOFTWARE_SOURCE + "; charter: Forbidden",
          "The software that wrote the file is a generative AI product.",
          kinds=(SignalKind.SOFTWARE,), test=_names_generative_product),
    _rule("software.mixed_ai_editor", Category.UNKNOWN,
          "charter: Forbidden (Canva, PhotoRoom, Pixlr listed as generators); c2pa-signals A4 (Canva: needs-review)",
          "The software that wrote the file is an editor that also offers generative AI; what was used is not "
          "recorded.",
          kinds=(SignalKind.SOFTWARE,), test=_names_mixed_editor),
    _rule("software.not_a_name", Category.UNKNOWN, "issue #11 (a UUID in Software is not ordinary software)",
          "The software field does not hold a program's name (an identifier such as a UUID, structured data or "
          "long text); generation services name their jobs by UUID, so it needs review.",
          kinds=(SignalKind.SOFTWARE,), test=_not_a_program_name),
    _rule("software.toolchain", Category.ORDINARY_EDIT, _SOFTWARE_SOURCE,
          "The software that wrote the file names no generative product (toolchain evidence).",
          kinds=(SignalKind.SOFTWARE,), test=_present),
    # --- Camera Raw / Lightroom develop settings -------------------------------------------
    _rule("xmp.crs.generative_remove", _GEN,
          "3P:70623906182, 3P:70103449584 (Lightroom sidecars: SpotType heal_patchmatch with "
          "crs:fill_method=\"firefly\"); 3P:67147098044 (Lightroom Classic 15.5.1 crs:RemoveAreas + fill_method, "
          "C2PA 'Uses GenAI'); charter: Forbidden (Generative Remove)",
          "A Lightroom/Camera Raw remove area was filled by Adobe's generative model (fill_method 'firefly').",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:retouchareas", "crs:removeareas"),
          test=_generative_fill_method),
    _rule("xmp.crs.heal_clone", Category.CONTENT_AWARE_FILL,
          "c2pa-signals A4 (crs healing: ET XMP.pm l.595-607, 1680; 3P:70103630339, 3P:70792567345; "
          "heal_patchmatch without fill_method: 3P:70623906182); charter: Allowed (Spot Healing, Clone)",
          "Heal, clone or classic content-aware spots sample only the image itself.",
          kinds=(SignalKind.DEVELOP_SETTING,),
          properties=("crs:retouchareas", "crs:removeareas", "crs:retouchinfo"), test=_heal_or_clone),
    _rule("xmp.crs.retouch_other", Category.UNKNOWN,
          "c2pa-signals A4 (crs healing: other SpotType values -> needs-review)",
          "A retouch/remove area of a kind the table does not know.",
          kinds=(SignalKind.DEVELOP_SETTING,),
          properties=("crs:retouchareas", "crs:removeareas", "crs:retouchinfo"), test=_present),
    _rule("xmp.crs.upright", Category.STRAIGHTENING,
          "c2pa-signals A4 (crs Upright: ET XMP.pm l.1666-1710); charter: Allowed (Upright)",
          "Lightroom/Camera Raw Upright straightened verticals or the horizon.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:perspectiveupright",), test=_upright_on),
    _rule("xmp.crs.auto_tone", Category.EXPOSURE,
          "c2pa-signals A4 (crs auto tone: ET XMP.pm l.1722-1813); charter: Allowed (auto tone)",
          "Auto tone computed exposure and tone from the image itself.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:autotone",), test=_true),
    _rule("xmp.crs.tone", Category.EXPOSURE, "c2pa-signals A4 (crs Exposure2012...: ET XMP.pm l.1722-1813)",
          "An exposure or tone slider was moved.",
          kinds=(SignalKind.DEVELOP_SETTING,),
          properties=("crs:exposure2012", "crs:contrast2012", "crs:highlights2012", "crs:shadows2012",
                      "crs:whites2012", "crs:blacks2012"), test=_slider_moved),
    _rule("xmp.crs.white_balance", Category.EXPOSURE, "c2pa-signals A4 (crs:WhiteBalance, Temperature, Tint)",
          "White balance was set (auto or by hand).",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:whitebalance",), test=_white_balance_set),
    _rule("xmp.crs.profile", Category.PRESET_COLOUR,
          "c2pa-signals A4 (crs profile/look/preset: ET XMP.pm l.1742-1817); charter: Allowed (profiles)",
          "A camera profile rendered the colour.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:cameraprofile",), test=_present),
    _rule("xmp.crs.look", Category.PRESET_COLOUR,
          "c2pa-signals A4 (crs:Look struct: ET XMP.pm l.1742-1817); charter: Allowed (looks)",
          "A look (profile-based colour style) was applied.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:look",), test=_present),
    _rule("xmp.crs.preset", Category.PRESET_COLOUR,
          "c2pa-signals A4 (crs:PresetType, preset name: ET XMP.pm l.1742-1817); charter: Allowed (presets)",
          "A develop preset was applied (whose preset it is cannot be told from the file).",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:presettype", "crs:preset", "crs:name"),
          test=_present),
    _rule("xmp.crs.ai_mask", Category.SMART_SELECTION,
          "c2pa-signals A4 (crs masks, What=Mask/Image: ET XMP.pm l.527-540, 1818; MaskSubType: 3P:71447963280, "
          "3P:61528340978, 3P:68635536139); charter: Allowed (Smart selection)",
          "An AI mask (Select Subject, Sky, People, Objects) selected part of the image; it creates no pixels.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:correctionmasks",), test=_ai_mask),
    _rule("xmp.crs.mask", Category.SMART_SELECTION,
          "c2pa-signals A4 (crs masks: ET XMP.pm l.527-540); charter: Allowed (selections and masks)",
          "A brush, gradient or range mask limited a local adjustment; it creates no pixels.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:correctionmasks",), test=_present),
    _rule("xmp.aux.denoise", Category.AI_ENHANCEMENT,
          "c2pa-signals A4 (aux EnhanceDenoise*: ET XMP.pm l.2651-2658); charter: Undecided (Denoise)",
          "Adobe AI Denoise synthesises detail with a model trained on others' photographs; the default policy "
          "sends it to review.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("aux:enhancedenoise*", "crs:enhancedenoise*"),
          test=_not_false),
    _rule("xmp.aux.super_resolution", Category.AI_ENHANCEMENT,
          "c2pa-signals A4 (aux EnhanceSuperResolution*: ET XMP.pm l.2651-2658); charter: Undecided "
          "(Super Resolution)",
          "Adobe Super Resolution synthesises detail with a trained model; the default policy sends it to review.",
          kinds=(SignalKind.DEVELOP_SETTING,),
          properties=("aux:enhancesuperresolution*", "crs:enhancesuperresolution*"), test=_not_false),
    _rule("xmp.aux.raw_details", Category.AI_ENHANCEMENT,
          "c2pa-signals A4 (aux EnhanceDetails*: ET XMP.pm l.2651-2658); charter: Undecided (Raw Details)",
          "Adobe Raw Details synthesises detail with a trained model; the default policy sends it to review.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("aux:enhancedetails*", "crs:enhancedetails*"),
          test=_not_false),
    _rule("xmp.crs.lens_blur", Category.UNKNOWN,
          "c2pa-signals A4 (crs Lens Blur / depth: ET XMP.pm l.1833-1880, needs-review)",
          "Lens Blur renders bokeh from an AI depth map; the table does not settle it, so it needs review.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:lensblur",), test=_lens_blur_active),
    _rule("xmp.crs.depth", Category.UNKNOWN,
          "c2pa-signals A4 (crs:DepthBasedCorrections: ET XMP.pm l.1833-1880, needs-review)",
          "Depth-based corrections use an AI depth map; the table does not settle them, so they need review.",
          kinds=(SignalKind.DEVELOP_SETTING,), properties=("crs:depthbasedcorrections",), test=_present),
)
"""The metadata classification table, tried in order (first match wins)."""


_INDEX = re.compile(r"\[\d+\]$")


def _property(signal: MetadataSignal) -> tuple[str, str]:
    """The (container, property) a rule matches: ``("XMP", "crs:look")``, ``("PNG", "parameters")``.

    Read from the signal's structured fields (an array item's index is dropped:
    ``xmpMM:History[3]`` matches rules on ``xmpMM:History``).
    """
    return signal.container.value.upper(), _INDEX.sub("", signal.name).strip().lower()


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
    """
    container, prop = _property(signal)
    recognised: RecordMatch | None | bool = False
    for rule in METADATA_RULES:
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
