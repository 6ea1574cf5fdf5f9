"""The ingredient chain of a manifest: which ingredients an action links to, the chain's origin
(charter "Reading the chain", "Origin") and what each ingredient declares or recorded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..model import ActionRecord, Category, IngredientRecord, Location, ManifestRecord
from ._dst import category_of_digital_source_type, normalise_digital_source_type
from ._status import StatusEffect, classify_status_code
from ._types import Classification

__all__ = ["ingredient_findings", "origin_findings", "placed_has_provenance_of"]


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


def placed_has_provenance_of(manifest: ManifestRecord, action: ActionRecord) -> bool | None:
    """Whether the component a ``c2pa.placed`` action placed has a manifest of its own.

    The ingredients the action links to (hashed URI or instance id) decide; without a link, every
    ``componentOf`` ingredient of the manifest. Returns ``None`` when neither exists (cannot be told).
    """
    linked = _linked_ingredients(manifest, action)
    if linked:
        return all(ing.active_manifest is not None for ing in linked)
    components = [ing for ing in manifest.ingredients if ing.relationship == "componentOf"]
    if components:
        return all(ing.active_manifest is not None for ing in components)
    return None


_CREATION_LABELS = {"c2pa.created", "c2pa.opened"}


def origin_findings(manifest: ManifestRecord, by_label: Mapping[str, ManifestRecord]) -> Iterator[Classification]:
    """Origin of the chain (charter "Reading the chain", "Origin"): undocumented when ``manifest`` records no
    actions, names no creation or opening, or opened a file with no provenance of its own (looked up by
    label in ``by_label``, every manifest of the store)."""
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
        yield from _opened_origin(manifest, by_label)


def _opened_files(manifest: ManifestRecord) -> list[IngredientRecord]:
    """The ingredients ``c2pa.opened`` opened: those it links to, else the ``parentOf`` ones, else the only one.

    What counts is the action, whatever relationship label the writer used
    (Photoshop has labelled the opened document componentOf; charter "Origin").
    """
    opened = [
        ing for action in manifest.actions if action.action == "c2pa.opened"
        for ing in _linked_ingredients(manifest, action)
    ] or [ing for ing in manifest.ingredients if ing.relationship == "parentOf"]
    if not opened and len(manifest.ingredients) == 1:
        opened = list(manifest.ingredients)
    return opened


def _opened_origin(manifest: ManifestRecord, by_label: Mapping[str, ManifestRecord]) -> Iterator[Classification]:
    """An opened file not recorded as an ingredient, or recorded without a manifest in the store."""
    opened = _opened_files(manifest)
    if not opened:
        yield Classification(
            Category.UNDOCUMENTED_ORIGIN, "origin.opened_unknown", "charter: Origin",
            "the opened file is not recorded as an ingredient: the origin is undocumented",
            Location(manifest=manifest.label), None,
        )
    for ingredient in opened:
        parent = by_label.get(ingredient.active_manifest or "")
        if parent is None:
            yield Classification(
                Category.UNDOCUMENTED_ORIGIN, "origin.opened_without_provenance", "charter: Origin",
                f"the opened file {ingredient.title!r} has no provenance of its own: "
                "the origin before it is undocumented", ingredient.location, ingredient.title,
            )


def ingredient_findings(manifest: ManifestRecord) -> Iterator[Classification]:
    """What each ingredient of ``manifest`` declares or recorded, in ingredient order.

    Its own digital source type (c2pa-signals trap 5f, v3 ingredients; charter DST table) and the
    validation failures the writer stored in its ingredient assertion at import (a recorded status
    code whose row of :data:`~._status.STATUS_TABLE` is invalid).
    """
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
