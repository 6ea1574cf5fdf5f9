"""Rule 3 of :func:`~._actions.classify_action`: what an action's label says, as tables.

Most labels are decided by their row of :data:`_LABEL_ROWS` (built from the tables below); the
few decided by more than the label (its digital source type, the tool it names, whether a placed
component has provenance) by a handler of :data:`_LABEL_HANDLERS`; a label in neither is
unrecognised (``c2pa.``/``font.`` namespaces) or a vendor action.

Source keys are those of ``../shared/docs/c2pa-signals.md`` (SPEC22 = C2PA 2.2, LEG = the
c2pa-js-legacy fixtures, EA = contentauth/example-assets, TBRAY, 3P:...) and the charter's
sections ("charter: Reading the chain").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from ..model import ActionRecord, Category
from ._dst import category_of_digital_source_type
from ._types import Classification

__all__ = ["ActionSignals", "action_classification", "classify_by_label"]

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



def action_classification(
    category: Category,
    row: str,
    source: str,
    reason: str,
    action: ActionRecord,
    signal: str | None,
    dst: str | None = None,
) -> Classification:
    """A :class:`Classification` located at ``action`` and carrying its label (``dst``: the bare DST term)."""
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


@dataclass(frozen=True, slots=True)
class ActionSignals:
    """What :func:`~._actions.classify_action` has worked out about one action before its label decides."""

    action: ActionRecord
    terms: tuple[str, ...]
    """The action's digital source types (bare terms), in the order :func:`~._actions.classify_action` found them."""
    tool: Classification | None
    """The tool its parameters or description name (``None``: none named)."""
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


def _by_row(signals: ActionSignals, row: _LabelRow) -> Classification:
    if signals.tool is not None and row.tool.overrides(signals.tool):
        return signals.tool
    label = signals.action.action
    return action_classification(row.category, f"label.{label}", row.source, row.reason, signals.action, label)


def _declared_source(signals: ActionSignals, verb: str) -> Classification:
    """The action's first digital source type decides (charter: Decision tables)."""
    term = signals.terms[0]
    return action_classification(
        category_of_digital_source_type(term), f"dst.{term}", "charter: Decision tables (digitalSourceType)",
        f"{verb} as {term}", signals.action, term, term)


def _created(signals: ActionSignals) -> Classification:
    """``c2pa.created``: its digital source type, else an undeclared source (c2pa-signals trap 4)."""
    if signals.terms:
        return _declared_source(signals, "created")
    return action_classification(
        Category.UNDECLARED_SOURCE, "created.no_dst", "charter: Created without saying how; c2pa-signals trap 4",
        "c2pa.created declares no digital source type: how the content was made is undeclared",
        signals.action, None)


def _edited(signals: ActionSignals) -> Classification:
    """``c2pa.edited``: the tool it names, else its digital source type, else an undeclared source."""
    if signals.tool is not None:
        return signals.tool
    if signals.terms:
        return _declared_source(signals, "edited")
    return action_classification(
        Category.UNDECLARED_SOURCE, "edited.no_tool", "charter: A bare c2pa.edited",
        "c2pa.edited names no tool and declares no digital source type", signals.action, None)


def _placed(signals: ActionSignals) -> Classification:
    """``c2pa.placed``: an ordinary edit when the component has provenance of its own, else external content."""
    label = signals.action.action
    if signals.placed_has_provenance:
        return action_classification(
            Category.ORDINARY_EDIT, "placed.with_provenance", "charter: Placed content",
            "a component with provenance of its own was placed (its manifest is walked)", signals.action, label)
    return action_classification(
        Category.EXTERNAL_CONTENT, "placed.no_provenance",
        "charter: Placed content; c2pa-signals trap 6 (RUBRIC mediaUnknownProvenance)",
        "a component with no provenance and no declared source type was placed", signals.action, label)


_LABEL_HANDLERS: Mapping[str, Callable[[ActionSignals], Classification]] = {
    "c2pa.created": _created,
    "c2pa.edited": _edited,
    "c2pa.placed": _placed,
}
"""Labels decided by more than a row: the source type, the tool named, or the placed component."""


def _unlisted_label(action: ActionRecord) -> Classification:
    """A label in no table: unrecognised in the standard namespaces, a vendor action otherwise."""
    label = action.action
    if label.startswith(("c2pa.", "font.")):
        return action_classification(
            Category.UNKNOWN, "label.unrecognised", "SPEC22 §18.14 (no such standard label known)",
            f"{label} is not a C2PA action label this classifier knows", action, label)
    return action_classification(
        Category.VENDOR_ACTION, "label.vendor", "charter: Vendor actions; SPEC22 CDDL $action-choice",
        f"{label} is a vendor action", action, label)


def classify_by_label(signals: ActionSignals) -> Classification:
    """Rule 3 of :func:`~._actions.classify_action`: the label's handler, else its row, else :func:`_unlisted_label`.

    Args:
        signals: the action with its digital source types and named tool already worked out.
    Returns:
        Exactly one classification (a named tool's own, where the label lets it decide).
    """
    label = signals.action.action
    handler = _LABEL_HANDLERS.get(label)
    if handler is not None:
        return handler(signals)
    row = _LABEL_ROWS.get(label)
    if row is not None:
        return _by_row(signals, row)
    return _unlisted_label(signals.action)
