"""Classification of one C2PA action (:func:`classify_action`), in steps.

1. every generative signal on the action (:func:`_generative_signals`);
2. else a digital source type that is neither a capture nor a human edit;
3. else its label (:func:`~._action_labels.classify_by_label`, a table lookup).

Source keys are those of ``../shared/docs/c2pa-signals.md`` (SPEC22 = C2PA 2.2, LEG = the
c2pa-js-legacy fixtures, EA = contentauth/example-assets, TBRAY, 3P:...) and the charter's
sections ("charter: Reading the chain").

The classifier never decides: it says what a signal *is*. The policy says
whether that is allowed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import ActionRecord, Category
from ._action_labels import ActionSignals, action_classification, classify_by_label
from ._dst import category_of_digital_source_type, normalise_digital_source_type
from ._presets import with_preset_note
from ._products import names_generative_product
from ._tools import DESCRIPTIONS, tool_in
from ._types import Classification

__all__ = ["classify_action"]


def _classify_tool(action: ActionRecord) -> Classification | None:
    """The tool the action's parameters name (:mod:`._tools`), or Photoshop's description when no key names one.

    An identifier the table does not know is "an unknown tool: NAME" (``Category.UNKNOWN``, review:
    charter "Undecided: a new tool"); ``None`` when nothing names a tool.
    """
    named = tool_in(action.parameters)
    if named is not None:
        if named.row is None:
            return action_classification(
                Category.UNKNOWN, "tool.unknown", "charter: Undecided (an action or signal the policy does not know: "
                "a new tool); classify/_tools.py", f"an unknown tool: {named.name} ({named.key})", action, named.name)
        row = named.row
        recorded = action.parameters.get(f"{named.key}.value")
        signal = f"{named.name}: {recorded}" if isinstance(recorded, str) and recorded.strip() else named.name
        return with_preset_note(action_classification(
            row.category, row.id, row.source, f"{row.reason} ({named.key}: {signal!r})", action, signal))
    description = action.description or action.parameters.get("description")
    if isinstance(description, str):
        category = DESCRIPTIONS.get(description.strip().lower())
        if category is not None:
            return action_classification(
                category, "tool.description", "c2pa-signals A3 (Photoshop action descriptions)",
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
# Rules 1 and 2: every generative signal, then a non-photographic source type
# --------------------------------------------------------------------------------------

_FIREFLY_OPERATION_KEYS = ("com.adobe.firefly.operation", "firefly.operation")


def _generative_dsts(action: ActionRecord, dsts: list[tuple[str, str]]) -> Iterator[Classification]:
    """A generative digital source type on the action, its template or a vendor parameter (LEGSEL)."""
    for where, term in dsts:
        if category_of_digital_source_type(term) is Category.GENERATIVE:
            yield action_classification(
                Category.GENERATIVE, f"dst.{term}",
                "charter: Decision tables (digitalSourceType); C2PARS; LEGSEL (com.adobe.digitalSourceType)",
                f"{where} is {term}: produced by a trained generative model", action, term, term)


def _firefly_operations(action: ActionRecord) -> Iterator[Classification]:
    """Firefly operation parameters (EA/Firefly_tabby_cat; PTF pdf)."""
    for key in _FIREFLY_OPERATION_KEYS:
        value = action.parameters.get(key)
        if isinstance(value, str) and value:
            yield action_classification(
                Category.GENERATIVE, "param.firefly_operation",
                "EA/Firefly_tabby_cat; PTF pdf/adobe-20240110 (firefly.operation)",
                f"parameters.{key} is {value!r}: a Firefly generation", action, value)


def _generative_agent(action: ActionRecord) -> Classification | None:
    """A software agent naming a generative product (c2pa-signals A3)."""
    if not names_generative_product(action.software_agent):
        return None
    return action_classification(
        Category.GENERATIVE, "agent.generative_product",
        "c2pa-signals A3 (softwareAgent of Firefly, DALL·E, GPT-4o, Sora manifests)",
        f"software agent {action.software_agent!r} is a generative product", action, action.software_agent)


def _generative_description(action: ActionRecord) -> Classification | None:
    """A description naming generative AI (c2pa-signals A3: Google, Bing)."""
    if not names_generative_product(action.description):
        return None
    return action_classification(
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
            return action_classification(
                category, f"dst.{term}", "charter: Decision tables (digitalSourceType, review row)",
                f"digital source type {term} is neither a capture nor a human edit", action, term, term)
    return None


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
    3. Otherwise the label decides (the tables of :mod:`._action_labels`);
       ``c2pa.created`` is decided by its DST (none: undeclared source),
       ``c2pa.edited`` by the tool its parameters name or, without one, by its
       DST (neither: undeclared source); on colour, filter and ordinary labels a
       named tool more specific than an ordinary edit wins (any tool on colour
       labels); ``c2pa.placed`` is an ordinary edit when its component has
       provenance of its own (walked separately) and external content otherwise;
       unknown ``c2pa.``/``font.`` labels need review; labels outside those
       namespaces are vendor actions.

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
    return (classify_by_label(ActionSignals(action, terms, tool, placed_has_provenance)),)
