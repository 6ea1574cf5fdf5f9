"""Classification of C2PA evidence: actions, ingredients, assertions (status codes: ``_status.py``).

Every rule is a row of a table below with an id and a source. Source keys are
those of ``../shared/docs/c2pa-signals.md`` (SPEC22 = C2PA 2.2, LEG = the
c2pa-js-legacy fixtures, EA = contentauth/example-assets, TBRAY, 3P:...) and the
charter's sections ("charter: Reading the chain").

The classifier never decides: it says what a signal *is*. The policy says
whether that is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum

from ..model import (
    ActionRecord,
    Category,
    CredentialsEvidence,
    IngredientRecord,
    Location,
    ManifestRecord,
)
from ._dst import category_of_digital_source_type, normalise_digital_source_type
from ._presets import with_preset_note
from ._products import generative_product_in
from ._status import StatusEffect, classify_status_code
from ._tools import DESCRIPTIONS, tool_in
from ._types import Classification

__all__ = [
    "classify_action",
    "classify_credentials",
    "names_generative_product",
]

# --------------------------------------------------------------------------------------
# Action labels (c2pa-signals A1; SPEC22 §18.14 table 8; c2pa-rs actions.rs)
# --------------------------------------------------------------------------------------

_ORDINARY_LABELS = {
    "c2pa.cropped": "SPEC22 §18.14 (cropped)",
    "c2pa.resized": "SPEC22 §18.14 (resized)",
    "c2pa.resized.proportional": "RUBRIC24 non-DST-required actions (2.3+)",
    "c2pa.orientation": "SPEC22 §18.14 (orientation)",
    "c2pa.removed": "SPEC22 table 8 (component removed)",
    "c2pa.converted": "SPEC22 §18.14 (converted)",
    "c2pa.transcoded": "SPEC22 §18.14.9",
    "c2pa.repackaged": "SPEC22 §18.14.9",
    "c2pa.published": "SPEC22 §18.14 (published)",
    "c2pa.watermarked": "SPEC22 §18.14.5",
    "c2pa.watermarked.bound": "RUBRIC (2.3+)",
    "c2pa.watermarked.unbound": "RUBRIC (2.3+)",
    "c2pa.edited.metadata": "SPEC22 (1.4+ metadata-only edit)",
    "c2pa.redacted": "SPEC22 §18.14.4.2",
    "c2pa.enhanced": "SPEC22 (2.1+ non-editorial enhancement)",
    "c2pa.addedText": "SPEC22 (2.2+)",
    "c2pa.drawing": "SPEC22 (drawing); LEG/c2pa-actions-1.2.png",
    "c2pa.copied": "SPEC22 §18.14.11 deprecated label",
    "c2pa.formatted": "SPEC22 §18.14.11 deprecated label",
    "c2pa.managed": "SPEC22 §18.14.11 deprecated label",
    "c2pa.produced": "SPEC22 §18.14.11 deprecated label",
    "c2pa.printed": "SPEC22 §18.14.11 deprecated label",
    "c2pa.saved": "SPEC22 §18.14.11 deprecated label",
    "c2pa.version_updated": "SPEC22 §18.14.11 deprecated label",
}
_COLOUR_LABELS = {
    "c2pa.color_adjustments": "SPEC22 (deprecated in 2.x, still written by Adobe); EA/crater-lake-cr",
    "c2pa.adjustedColor": "SPEC22 (2.1+)",
}
_UNKNOWN_LABELS = {
    "c2pa.unknown": "SPEC22: the claim generator cannot say what happened",
    "c2pa.deleted": "SPEC21/22 table 8: areas deleted (could be object removal)",
    "c2pa.changedSpeed": "SPEC21/22: audio/video-only action on a still",
    "c2pa.dubbed": "SPEC21/22: audio/video-only action on a still",
    "c2pa.trimmed": "SPEC21/22: audio/video-only action on a still",
    "c2pa.translated": "SPEC21/22: audio/video-only action on a still",
    "c2pa.mastered": "SPEC23: audio/video-only action on a still",
    "c2pa.mixed": "SPEC23: audio/video-only action on a still",
    "c2pa.remixed": "SPEC23: audio/video-only action on a still",
}

# --------------------------------------------------------------------------------------
# Tools named in parameters (charter: "A bare c2pa.edited"; the table is ._tools)
# --------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------
# Generative products named by claim generators (c2pa-signals A3: Firefly, ChatGPT,
# OpenAI, DALL·E, Sora, Bing). Software agents and descriptions use the shared,
# wider list in ._products.
# --------------------------------------------------------------------------------------

_GENERATIVE_CLAIM_GENERATOR = re.compile(
    r"firefly|\bchatgpt\b|openai|dall[·\-. ]?e|\bsora\b|midjourney|microsoft_responsible_ai|"
    r"stable[ _-]?diffusion",
    re.IGNORECASE,
)


def names_generative_product(text: str | None, *, claim_generator: bool = False) -> str | None:
    """Return the generative product named in ``text``, or ``None``.

    ``claim_generator=True`` uses the narrower list for claim generators
    (products that only ever generate: Firefly, ChatGPT/OpenAI, DALL·E, Sora...),
    since editors such as Photoshop sign both generative and ordinary work.
    Source: c2pa-signals A3 (claim generators and software agents of real
    generative manifests); charter "Generative signals win" (the claim generator).
    """
    if not text:
        return None
    if not claim_generator:
        return generative_product_in(text)
    match = _GENERATIVE_CLAIM_GENERATOR.search(text)
    return match.group(0) if match else None


def _classification(
    category: Category,
    row: str,
    source: str,
    reason: str,
    action: ActionRecord,
    signal: str | None,
    dst: str | None = None,
) -> Classification:
    return Classification(
        category=category,
        row=row,
        source=source,
        reason=reason,
        location=action.location,
        signal=signal,
        action=action.action,
        digital_source_type=dst,
    )


def _classify_tool(action: ActionRecord) -> Classification | None:
    """The tool the action's parameters name (:mod:`._tools`), or Photoshop's description when no key names one.

    An identifier the table does not know is "an unknown tool: NAME" (``Category.UNKNOWN``, review:
    charter "Undecided: a new tool"); ``None`` when nothing names a tool.
    """
    named = tool_in(action.parameters)
    if named is not None:
        if named.row is None:
            return _classification(
                Category.UNKNOWN, "tool.unknown", "charter: Undecided (an action or signal the policy does not know: "
                "a new tool); classify/_tools.py", f"an unknown tool: {named.name} ({named.key})", action, named.name)
        row = named.row
        recorded = action.parameters.get(f"{named.key}.value")
        signal = f"{named.name}: {recorded}" if isinstance(recorded, str) and recorded.strip() else named.name
        return with_preset_note(_classification(
            row.category, row.id, row.source, f"{row.reason} ({named.key}: {signal!r})", action, signal))
    description = action.description or action.parameters.get("description")
    if isinstance(description, str):
        category = DESCRIPTIONS.get(description.strip().lower())
        if category is not None:
            return _classification(category, "tool.description", "c2pa-signals A3 (Photoshop action descriptions)",
                                   f"Photoshop's description {description.strip()!r}", action, description.strip())
    return None


def _dst_candidates(action: ActionRecord) -> list[tuple[str, str]]:
    """Every digital source type the action carries, with where it was found."""
    found: list[tuple[str, str]] = []
    for where, value in (
        ("digitalSourceType", action.digital_source_type),
        ("template digitalSourceType", action.template_digital_source_type),
        ("parameters.com.adobe.digitalSourceType", action.parameters.get("com.adobe.digitalSourceType")),
        ("parameters.digitalSourceType", action.parameters.get("digitalSourceType")),
    ):
        term = normalise_digital_source_type(value)
        if term and (where, term) not in found:
            found.append((where, term))
    return found


# --------------------------------------------------------------------------------------
# One action, in steps: generative signals first, then a non-photographic source type,
# then the label (a table lookup, with handlers for the labels decided by more than it)
# --------------------------------------------------------------------------------------

_FIREFLY_OPERATION_KEYS = ("com.adobe.firefly.operation", "firefly.operation")


def _generative_dsts(action: ActionRecord, dsts: list[tuple[str, str]]) -> Iterator[Classification]:
    """A generative digital source type on the action, its template or a vendor parameter (LEGSEL)."""
    for where, term in dsts:
        if category_of_digital_source_type(term) is Category.GENERATIVE:
            yield _classification(
                Category.GENERATIVE, f"dst.{term}",
                "charter: Decision tables (digitalSourceType); C2PARS; LEGSEL (com.adobe.digitalSourceType)",
                f"{where} is {term}: produced by a trained generative model", action, term, term)


def _firefly_operations(action: ActionRecord) -> Iterator[Classification]:
    """Firefly operation parameters (EA/Firefly_tabby_cat; PTF pdf)."""
    for key in _FIREFLY_OPERATION_KEYS:
        value = action.parameters.get(key)
        if isinstance(value, str) and value:
            yield _classification(
                Category.GENERATIVE, "param.firefly_operation",
                "EA/Firefly_tabby_cat; PTF pdf/adobe-20240110 (firefly.operation)",
                f"parameters.{key} is {value!r}: a Firefly generation", action, value)


def _generative_agent(action: ActionRecord) -> Classification | None:
    """A software agent naming a generative product (c2pa-signals A3)."""
    if not names_generative_product(action.software_agent):
        return None
    return _classification(
        Category.GENERATIVE, "agent.generative_product",
        "c2pa-signals A3 (softwareAgent of Firefly, DALL·E, GPT-4o, Sora manifests)",
        f"software agent {action.software_agent!r} is a generative product", action, action.software_agent)


def _generative_description(action: ActionRecord) -> Classification | None:
    """A description naming generative AI (c2pa-signals A3: Google, Bing)."""
    if not names_generative_product(action.description):
        return None
    return _classification(
        Category.GENERATIVE, "description.generative_product",
        "c2pa-signals A3 (Google 'Created by Google Generative AI.', Bing 'AI Generated Image')",
        f"description {action.description!r} names generative AI", action, action.description)


def _generative_signals(
    action: ActionRecord, dsts: list[tuple[str, str]], tool: Classification | None,
) -> list[Classification]:
    """Every independent generative signal on the action (rule 1 of :func:`classify_action`), in a fixed order.

    The description counts only when the software agent does not already name a product; a generative
    tool whose signal is a description naming a generative product is not reported twice.
    """
    found = [*_generative_dsts(action, dsts), *_firefly_operations(action)]
    agent = _generative_agent(action)
    description = _generative_description(action)
    if agent is not None:
        found.append(agent)
    elif description is not None:
        found.append(description)
    if tool is not None and tool.category is Category.GENERATIVE and not (
        description is not None and tool.signal == action.description
    ):
        found.append(tool)
    return found


def _non_photographic_source(action: ActionRecord, terms: tuple[str, ...]) -> Classification | None:
    """The first digital source type that is neither a capture nor a human edit (rule 2), or ``None``."""
    for term in terms:
        category = category_of_digital_source_type(term)
        if category is Category.NON_PHOTOGRAPHIC_SOURCE:
            return _classification(
                category, f"dst.{term}", "charter: Decision tables (digitalSourceType, review row)",
                f"digital source type {term} is neither a capture nor a human edit", action, term, term)
    return None


@dataclass(frozen=True, slots=True)
class _Signals:
    """What :func:`classify_action` has worked out about one action before its label decides."""

    action: ActionRecord
    terms: tuple[str, ...]
    """The action's digital source types (bare terms), in the order :func:`_dst_candidates` found them."""
    tool: Classification | None
    """The tool its parameters or description name (:func:`_classify_tool`)."""
    placed_has_provenance: bool | None


class _ToolRule(Enum):
    """When a tool the action names decides instead of the label's row."""

    NEVER = "never"
    ANY = "any"
    """Generic labels (colour adjustments: Lightroom files Upright, masks and presets there, com.adobe.acr)."""
    UNLESS_ORDINARY = "unless ordinary"
    """Labels the tool can only make more specific, not more ordinary."""

    def overrides(self, tool: Classification) -> bool:
        """Whether ``tool`` decides instead of the row."""
        if self is _ToolRule.NEVER:
            return False
        return self is _ToolRule.ANY or tool.category is not Category.ORDINARY_EDIT


@dataclass(frozen=True, slots=True)
class _LabelRow:
    """A label its row decides: category, source, reason, and when a named tool wins (:class:`_ToolRule`)."""

    category: Category
    source: str
    reason: str
    tool: _ToolRule = _ToolRule.NEVER


def _label_rows(
    labels: Mapping[str, str], category: Category, reason: str, tool: _ToolRule = _ToolRule.NEVER,
) -> dict[str, _LabelRow]:
    """Rows for a table of ``{label: source}``; ``reason`` may name ``{label}``."""
    return {label: _LabelRow(category, source, reason.format(label=label), tool) for label, source in labels.items()}


_LABEL_ROWS: Mapping[str, _LabelRow] = {
    "c2pa.opened": _LabelRow(Category.OPENED, "SPEC22 §18.14.2; charter: Origin",
                             "an existing asset was opened (its own provenance is walked as an ingredient)"),
    **_label_rows(_COLOUR_LABELS, Category.EXPOSURE, "tone or colour adjustment", _ToolRule.ANY),
    "c2pa.filtered": _LabelRow(Category.PRESET_COLOUR, "SPEC22 (filtered); 3P:66635219342 (Lightroom preset)",
                               "filter, style or preset", _ToolRule.UNLESS_ORDINARY),
    **_label_rows(_ORDINARY_LABELS, Category.ORDINARY_EDIT, "an ordinary edit", _ToolRule.UNLESS_ORDINARY),
    **_label_rows(_UNKNOWN_LABELS, Category.UNKNOWN, "{label} does not say what was done to the image"),
}
"""Every label decided by its row alone (rule 3), built from the tables above (which share no label)."""


def _by_row(signals: _Signals, row: _LabelRow) -> Classification:
    if signals.tool is not None and row.tool.overrides(signals.tool):
        return signals.tool
    label = signals.action.action
    return _classification(row.category, f"label.{label}", row.source, row.reason, signals.action, label)


def _declared_source(signals: _Signals, verb: str) -> Classification:
    """The action's first digital source type decides (charter: Decision tables)."""
    term = signals.terms[0]
    return _classification(
        category_of_digital_source_type(term), f"dst.{term}", "charter: Decision tables (digitalSourceType)",
        f"{verb} as {term}", signals.action, term, term)


def _created(signals: _Signals) -> Classification:
    """``c2pa.created``: its digital source type, else an undeclared source (c2pa-signals trap 4)."""
    if signals.terms:
        return _declared_source(signals, "created")
    return _classification(
        Category.UNDECLARED_SOURCE, "created.no_dst", "charter: Created without saying how; c2pa-signals trap 4",
        "c2pa.created declares no digital source type: how the content was made is undeclared",
        signals.action, None)


def _edited(signals: _Signals) -> Classification:
    """``c2pa.edited``: the tool it names, else its digital source type, else an undeclared source."""
    if signals.tool is not None:
        return signals.tool
    if signals.terms:
        return _declared_source(signals, "edited")
    return _classification(
        Category.UNDECLARED_SOURCE, "edited.no_tool", "charter: A bare c2pa.edited",
        "c2pa.edited names no tool and declares no digital source type", signals.action, None)


def _placed(signals: _Signals) -> Classification:
    """``c2pa.placed``: an ordinary edit when the component has provenance of its own, else external content."""
    label = signals.action.action
    if signals.placed_has_provenance:
        return _classification(
            Category.ORDINARY_EDIT, "placed.with_provenance", "charter: Placed content",
            "a component with provenance of its own was placed (its manifest is walked)", signals.action, label)
    return _classification(
        Category.EXTERNAL_CONTENT, "placed.no_provenance",
        "charter: Placed content; c2pa-signals trap 6 (RUBRIC mediaUnknownProvenance)",
        "a component with no provenance and no declared source type was placed", signals.action, label)


_LABEL_HANDLERS: Mapping[str, Callable[[_Signals], Classification]] = {
    "c2pa.created": _created,
    "c2pa.edited": _edited,
    "c2pa.placed": _placed,
}
"""Labels decided by more than a row: the source type, the tool named, or the placed component."""


def _unlisted_label(action: ActionRecord) -> Classification:
    """A label in no table: unrecognised in the standard namespaces, a vendor action otherwise."""
    label = action.action
    if label.startswith(("c2pa.", "font.")):
        return _classification(
            Category.UNKNOWN, "label.unrecognised", "SPEC22 §18.14 (no such standard label known)",
            f"{label} is not a C2PA action label this classifier knows", action, label)
    return _classification(
        Category.VENDOR_ACTION, "label.vendor", "charter: Vendor actions; SPEC22 CDDL $action-choice",
        f"{label} is a vendor action", action, label)


def _by_label(signals: _Signals) -> Classification:
    """Rule 3: the label's handler, else its row, else :func:`_unlisted_label`."""
    label = signals.action.action
    handler = _LABEL_HANDLERS.get(label)
    if handler is not None:
        return handler(signals)
    row = _LABEL_ROWS.get(label)
    if row is not None:
        return _by_row(signals, row)
    return _unlisted_label(signals.action)


def classify_action(action: ActionRecord, *, placed_has_provenance: bool | None = None) -> tuple[Classification, ...]:
    """Classify one C2PA action.

    Rules, in order (charter "Reading the chain"; c2pa-signals A1-A3, traps 3-6, 9, 14):

    1. A generative signal on the action wins: a generative digital source type
       on the action, its template or a vendor parameter (``com.adobe.digitalSourceType``,
       LEGSEL); Firefly operation parameters (``com.adobe.firefly.operation``,
       ``firefly.operation``, EA/Firefly_tabby_cat, PTF pdf); a software agent or
       description naming a generative product; a generative tool id
       (``com.adobe.tool: generative_fill``, LEG/gen-fill.jpg).
    2. A non-generative digital source type that is not a capture or human edit
       (``algorithmicMedia``, ``composite``...) needs review whatever the label.
    3. Otherwise the label decides (table above); ``c2pa.created`` is decided by
       its DST (none: undeclared source), ``c2pa.edited`` by its DST or, without
       one, by the tool its parameters name (none: undeclared source);
       ``c2pa.placed`` is an ordinary edit when its component has provenance of
       its own (walked separately) and external content otherwise; labels outside
       the ``c2pa.`` namespace are vendor actions.

    Args:
        action: the normalised action.
        placed_has_provenance: for ``c2pa.placed``, whether the placed ingredient
            has a manifest of its own (``None`` when it cannot be told).
    Returns:
        One or more classifications; more than one when several independent
        generative signals sit on the same action.
    """
    dsts = _dst_candidates(action)
    tool = _classify_tool(action)
    generative = _generative_signals(action, dsts, tool)
    if generative:
        return tuple(generative)
    terms = tuple(term for _, term in dsts)
    review = _non_photographic_source(action, terms)
    if review is not None:
        return (review,)
    return (_by_label(_Signals(action, terms, tool, placed_has_provenance)),)


# --------------------------------------------------------------------------------------
# Non-action assertions (c2pa-signals A3, trap 5d)
# --------------------------------------------------------------------------------------

_GENERATIVE_ASSERTIONS = {
    "com.adobe.generative-ai": "LEG/firefly-1.jpg; LEGSEL type 'legacy' (Firefly 1.0)",
}


def _classify_manifest(manifest: ManifestRecord) -> Iterator[Classification]:
    for assertion in manifest.assertions:
        base = assertion.label.split("__", 1)[0]
        if base in _GENERATIVE_ASSERTIONS:
            yield Classification(
                Category.GENERATIVE, f"assertion.{base}", _GENERATIVE_ASSERTIONS[base],
                f"legacy assertion {base} declares generative AI", assertion.location, base,
            )
    for location, metadata in manifest.action_metadata:
        if metadata.get("com.adobe.inference") is True:
            yield Classification(
                Category.GENERATIVE, "metadata.com.adobe.inference", "LEG/genai-actions-v2.jpg",
                "the actions assertion says it records a model inference (com.adobe.inference)",
                location, "com.adobe.inference",
            )
    product = names_generative_product(manifest.claim_generator, claim_generator=True)
    if product:
        yield Classification(
            Category.GENERATIVE, "claim_generator.generative_product",
            "charter: Generative signals win (the claim generator); c2pa-signals A3",
            f"the claim generator {manifest.claim_generator!r} is a generative product ({product})",
            Location(manifest=manifest.label, field="claim_generator"), manifest.claim_generator,
        )


def _link_target(url: str) -> str:
    """``self#jumbf=c2pa.assertions/c2pa.ingredient__1`` -> ``c2pa.ingredient__1``."""
    return url.rsplit("/", 1)[-1]


def _ingredient_for(manifest: ManifestRecord, url: str) -> IngredientRecord | None:
    target = _link_target(url)
    for ingredient in manifest.ingredients:
        if ingredient.label and ingredient.label == target:
            return ingredient
    # Reader output renames ingredient labels to the v3 form; match on base + suffix.
    base, _, suffix = target.partition("__")
    for ingredient in manifest.ingredients:
        if ingredient.label is None:
            continue
        ibase, _, isuffix = ingredient.label.partition("__")
        if ibase.split(".v")[0] == base.split(".v")[0] and isuffix == suffix:
            return ingredient
    return None


def _linked_ingredients(manifest: ManifestRecord, action: ActionRecord) -> list[IngredientRecord]:
    """The ingredients an action links to, by hashed URI or by instance id."""
    linked = [ing for url in action.ingredient_urls if (ing := _ingredient_for(manifest, url)) is not None]
    ids = set(action.ingredient_ids)
    linked.extend(ing for ing in manifest.ingredients if ing.instance_id in ids and ing not in linked)
    return linked


def _placed_has_provenance(manifest: ManifestRecord, action: ActionRecord) -> bool | None:
    linked = _linked_ingredients(manifest, action)
    if linked:
        return all(ing.active_manifest is not None for ing in linked)
    components = [ing for ing in manifest.ingredients if ing.relationship == "componentOf"]
    if components:
        return all(ing.active_manifest is not None for ing in components)
    return None


_CREATION_LABELS = {"c2pa.created", "c2pa.opened"}


def _origin_findings(manifest: ManifestRecord, by_label: Mapping[str, ManifestRecord]) -> Iterator[Classification]:
    """Origin of the chain (charter "Reading the chain", "Origin")."""
    here = Location(manifest=manifest.label)
    labels = {action.action for action in manifest.actions}
    if not manifest.actions:
        yield Classification(
            Category.UNDOCUMENTED_ORIGIN, "origin.no_actions", "charter: Origin (a manifest with no actions)",
            "this manifest records no actions: the origin before it is undocumented", here,
            "no actions assertion" if not manifest.has_actions_assertion else "empty actions",
        )
        return
    if not labels & _CREATION_LABELS:
        yield Classification(
            Category.UNDOCUMENTED_ORIGIN, "origin.no_creation_or_opening",
            "charter: Origin (actions name no creation or opening)",
            "no action names a creation or an opening: the origin is undocumented", here, None,
        )
    if "c2pa.opened" in labels:
        # What counts is the action, whatever relationship label the writer used
        # (Photoshop has labelled the opened document componentOf; charter "Origin").
        opened = [
            ing for action in manifest.actions if action.action == "c2pa.opened"
            for ing in _linked_ingredients(manifest, action)
        ] or [ing for ing in manifest.ingredients if ing.relationship == "parentOf"]
        if not opened and len(manifest.ingredients) == 1:
            opened = list(manifest.ingredients)
        if not opened:
            yield Classification(
                Category.UNDOCUMENTED_ORIGIN, "origin.opened_unknown", "charter: Origin",
                "the opened file is not recorded as an ingredient: the origin is undocumented", here, None,
            )
        for ingredient in opened:
            parent = by_label.get(ingredient.active_manifest or "")
            if parent is None:
                yield Classification(
                    Category.UNDOCUMENTED_ORIGIN, "origin.opened_without_provenance", "charter: Origin",
                    f"the opened file {ingredient.title!r} has no provenance of its own: "
                    "the origin before it is undocumented", ingredient.location, ingredient.title,
                )


def _ingredient_findings(manifest: ManifestRecord) -> Iterator[Classification]:
    for ingredient in manifest.ingredients:
        term = normalise_digital_source_type(ingredient.digital_source_type)
        if term:
            category = category_of_digital_source_type(term)
            yield Classification(
                category, f"ingredient.dst.{term}", "c2pa-signals trap 5f (v3 ingredient digitalSourceType); charter DST table",
                f"ingredient {ingredient.title!r} declares digital source type {term}",
                ingredient.location, term, None, term,
            )
        failures = [
            status for status in ingredient.recorded_status
            if classify_status_code(status.code, status.kind).effect is StatusEffect.INVALID
        ]
        if failures:
            codes = ", ".join(sorted({status.code for status in failures}))
            yield Classification(
                Category.RECORDED_FAILURE, "ingredient.recorded_failure",
                "charter: Decision tables (a failure only recorded in an ingredient assertion)",
                f"when ingredient {ingredient.title!r} was imported its credentials failed validation ({codes}); "
                "the delivered file is intact but part of its history was already broken",
                ingredient.location, codes,
            )


def classify_credentials(credentials: CredentialsEvidence) -> tuple[Classification, ...]:
    """Classify everything in a manifest store, at every depth of the ingredient chain.

    Walks every manifest in ``credentials.manifests`` (the active one and every
    manifest reached through ingredients: ``parentOf``, ``componentOf`` and
    ``inputTo`` alike, c2pa-signals trap 5), and yields classifications for
    each action (:func:`classify_action`), the manifest's legacy generative
    assertions and claim generator, the chain's origin, ingredients' own
    digital source types and failures recorded in ingredient assertions.

    Returns:
        A tuple of classifications in walk order (active manifest first).
    """
    by_label = {manifest.label: manifest for manifest in credentials.manifests}
    results: list[Classification] = []
    for manifest in credentials.manifests:
        for action in manifest.actions:
            placed = _placed_has_provenance(manifest, action) if action.action == "c2pa.placed" else None
            results.extend(classify_action(action, placed_has_provenance=placed))
        results.extend(_classify_manifest(manifest))
        results.extend(_origin_findings(manifest, by_label))
        results.extend(_ingredient_findings(manifest))
    return tuple(results)
