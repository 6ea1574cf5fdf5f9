"""The label step of C2PA action classification (``provenance/classify/_action_labels.py``).

The label rows are built by merging several tables; a label listed twice would silently lose a
row, so the tables must stay disjoint. Which rows let a named tool decide is tested with the
identifiers Photoshop writes (PS25 ``com.adobe.tool: crop``; ISSUE11 ``select_subject``).
"""

from __future__ import annotations

from typing import Any

import pytest

from provenance.classify import _action_labels as labels
from provenance.classify import classify_action
from provenance.model import ActionRecord, Category, Location


def action(label: str, **fields: Any) -> ActionRecord:
    return ActionRecord(action=label, location=Location(manifest="m", assertion="c2pa.actions.v2", index=0), **fields)


def test_label_tables_share_no_label() -> None:
    tables = (labels._ORDINARY_LABELS, labels._COLOUR_LABELS, labels._UNKNOWN_LABELS, {"c2pa.opened": "", "c2pa.filtered": ""})
    listed = [label for table in tables for label in table]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(labels._LABEL_ROWS)
    assert not set(labels._LABEL_HANDLERS) & set(labels._LABEL_ROWS)


@pytest.mark.parametrize("label", sorted(labels._LABEL_ROWS))
def test_every_row_is_reached_by_its_label(label: str) -> None:
    row = labels._LABEL_ROWS[label]
    [found] = classify_action(action(label))
    assert (found.row, found.category, found.source, found.signal) == (f"label.{label}", row.category, row.source, label)


@pytest.mark.parametrize(("label", "tool", "row"), [
    # colour labels: any tool decides (Lightroom files Upright, masks and presets there)
    ("c2pa.color_adjustments", "crop", "tool.geometry"),
    ("c2pa.adjustedColor", "select_subject", "tool.selection"),
    # filtered and ordinary labels: a tool more specific than an ordinary edit decides
    ("c2pa.cropped", "crop", "label.c2pa.cropped"),
    ("c2pa.cropped", "select_subject", "tool.selection"),
    ("c2pa.filtered", "crop", "label.c2pa.filtered"),
    ("c2pa.filtered", "select_subject", "tool.selection"),
    # labels that do not say what was done, and c2pa.opened: the tool never decides
    ("c2pa.deleted", "select_subject", "label.c2pa.deleted"),
    ("c2pa.unknown", "crop", "label.c2pa.unknown"),
    ("c2pa.opened", "select_subject", "label.c2pa.opened"),
    # c2pa.edited: the tool decides, ordinary or not
    ("c2pa.edited", "crop", "tool.geometry"),
])
def test_when_a_named_tool_decides(label: str, tool: str, row: str) -> None:
    [found] = classify_action(action(label, parameters={"com.adobe.tool": tool}))
    assert found.row == row


def test_unlisted_labels() -> None:
    """Unknown labels in the standard namespaces need review; any other is a vendor action."""
    assert [c.row for c in classify_action(action("c2pa.nonexistent"))] == ["label.unrecognised"]
    assert [c.row for c in classify_action(action("font.edited"))] == ["label.unrecognised"]
    [vendor] = classify_action(action("com.example.retouch"))
    assert (vendor.row, vendor.category) == ("label.vendor", Category.VENDOR_ACTION)
