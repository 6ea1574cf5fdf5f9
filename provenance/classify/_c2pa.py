"""Classification of a C2PA manifest store (:func:`classify_credentials`), at every depth.

Each manifest's actions (:mod:`._actions`), its manifest-level signals (legacy generative
assertions, model-inference metadata, the claim generator: below) and its ingredient chain
(:mod:`._chain`). Validation status codes are classified in :mod:`._status`.

Source keys are those of ``../shared/docs/c2pa-signals.md`` (SPEC22 = C2PA 2.2, LEG = the
c2pa-js-legacy fixtures, EA = contentauth/example-assets, TBRAY, 3P:...) and the charter's
sections ("charter: Reading the chain").

The classifier never decides: it says what a signal *is*. The policy says
whether that is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..model import Category, CredentialsEvidence, Location, ManifestRecord
from ._actions import classify_action
from ._chain import ingredient_findings, origin_findings, placed_has_provenance_of
from ._products import names_generative_product
from ._types import Classification

__all__ = [
    "classify_action",  # re-exported: its home is ._actions
    "classify_credentials",
    "names_generative_product",  # re-exported: its home is ._products
]

# --------------------------------------------------------------------------------------
# Manifest-level signals (c2pa-signals A3, trap 5d), each a step of _MANIFEST_SIGNALS
# --------------------------------------------------------------------------------------

_GENERATIVE_ASSERTIONS = {
    "com.adobe.generative-ai": "LEG/firefly-1.jpg; LEGSEL type 'legacy' (Firefly 1.0)",
}


def _legacy_generative_assertions(manifest: ManifestRecord) -> Iterator[Classification]:
    """Legacy assertions that declare generative AI (:data:`_GENERATIVE_ASSERTIONS`)."""
    for assertion in manifest.assertions:
        base = assertion.label.split("__", 1)[0]
        if base in _GENERATIVE_ASSERTIONS:
            yield Classification(
                Category.GENERATIVE, f"assertion.{base}", _GENERATIVE_ASSERTIONS[base],
                f"legacy assertion {base} declares generative AI", assertion.location, base,
            )


def _inference_metadata(manifest: ManifestRecord) -> Iterator[Classification]:
    """An actions assertion whose metadata says it records a model inference (``com.adobe.inference``)."""
    for location, metadata in manifest.action_metadata:
        if metadata.get("com.adobe.inference") is True:
            yield Classification(
                Category.GENERATIVE, "metadata.com.adobe.inference", "LEG/genai-actions-v2.jpg",
                "the actions assertion says it records a model inference (com.adobe.inference)",
                location, "com.adobe.inference",
            )


def _generative_claim_generator(manifest: ManifestRecord) -> Iterator[Classification]:
    """A claim generator that is a generative product (the narrower claim-generator list)."""
    product = names_generative_product(manifest.claim_generator, claim_generator=True)
    if product:
        yield Classification(
            Category.GENERATIVE, "claim_generator.generative_product",
            "charter: Generative signals win (the claim generator); c2pa-signals A3",
            f"the claim generator {manifest.claim_generator!r} is a generative product ({product})",
            Location(manifest=manifest.label, field="claim_generator"), manifest.claim_generator,
        )


_MANIFEST_SIGNALS: tuple[Callable[[ManifestRecord], Iterator[Classification]], ...] = (
    _legacy_generative_assertions,
    _inference_metadata,
    _generative_claim_generator,
)
"""The manifest-level steps, in the order their classifications are reported."""


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
            placed = placed_has_provenance_of(manifest, action) if action.action == "c2pa.placed" else None
            results.extend(classify_action(action, placed_has_provenance=placed))
        for step in _MANIFEST_SIGNALS:
            results.extend(step(manifest))
        results.extend(origin_findings(manifest, by_label))
        results.extend(ingredient_findings(manifest))
    return tuple(results)

