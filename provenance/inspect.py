"""Inspect one file: its manifest store as a tree a person can read, with the policy's decisions.

Like c2patool's ``--tree``/``--detailed``, but explained. :func:`inspect_file` returns the tree
as JSON-ready data in the versioned ``provenance.inspect/v1`` shape (schema:
``provenance/schemas/inspect.v1.schema.json``; prose: ``docs/report-schema.md``):

- the file (path, size, media type, SHA-256) and its Content Credentials (presence, validation
  state, every validation status code with its kind and scope);
- ``manifest``: the active manifest, with its label, claim generator, signer (issuer, common name,
  signing time, algorithm: what c2pa-python 0.38 exposes; the chain is not exposed), its actions
  each with the policy's decision and rule, its assertion labels grouped by kind (training-mining,
  identity, thumbnails...), its other findings, and its ``ingredients`` nested under it, each with
  its relationship and, when it has provenance, its own manifest node (depth + 1);
- ``metadata``: every unsigned metadata signal with where it was found and its decision;
- ``verdict``: the image's status and reasons, as ``provenance audit`` gives them.

A manifest reached twice (two ingredients naming it) is expanded once; later mentions carry
``"expanded_above": true``. Reading never decides: the decisions come from the same
:func:`provenance.evaluate` an audit uses.
"""

from __future__ import annotations

import os
from typing import Any

from .evidence import read_evidence
from .model import Evidence, Finding, IngredientRecord, ManifestRecord
from .policy import Policy, default_policy, evaluate
from .report import display_path, finding_to_dict
from .trust import TrustConfig
from .verdict import ImageVerdict

__all__ = ["INSPECT_SCHEMA", "MAX_TREE_DEPTH", "inspect_file", "inspection_tree"]

INSPECT_SCHEMA = "provenance.inspect/v1"

MAX_TREE_DEPTH = 200
"""Manifests nested at most this deep in the tree. c2pa-rs 0.91 signs no deeper chain (a copy of a
199-deep one fails: "ingredient chain depth (200) exceeds maximum (200)"), so a real file is never cut;
a deeper store (written by another tool) would exhaust Python's recursion limit when the tree is built,
printed or dumped as JSON. Below the cap an ingredient says ``"beyond_depth_cap": true`` instead of
nesting its manifest, whose findings are listed in the top-level ``findings``."""

_TRAINING_MINING = ("cawg.training-mining", "c2pa.training-mining")


def _assertion_kind(label: str) -> str:
    """Group an assertion label for people (C2PA 2.2 §18 standard assertions; CAWG 1.1)."""
    base = label.split("__", 1)[0]
    if base.startswith(_TRAINING_MINING):
        return "training_mining"
    if base.startswith("cawg.identity"):
        return "identity"
    if base.startswith("c2pa.thumbnail"):
        return "thumbnail"
    if base.startswith("c2pa.actions"):
        return "actions"
    if base.startswith("c2pa.ingredient"):
        return "ingredient"
    if base.startswith("c2pa.hash"):
        return "hard_binding"
    if base.startswith("c2pa.soft-binding"):
        return "soft_binding"
    return "other"


def _finding(finding: Finding) -> dict[str, Any]:
    data = finding_to_dict(finding)
    return {key: data[key] for key in ("code", "decision", "category", "rule", "message", "signal", "source_ref")}


class _Builder:
    """Builds the nested tree once per call; holds the lookups so each node is a small function."""

    def __init__(self, evidence: Evidence, verdict: ImageVerdict) -> None:
        self.records = {record.label: record for record in evidence.credentials.manifests}
        self.expanded: set[str] = set()
        self.by_action: dict[tuple[str | None, str | None, int | None], list[Finding]] = {}
        self.by_manifest: dict[str, list[Finding]] = {}
        self.by_field: dict[str, list[Finding]] = {}
        self.loose: list[Finding] = []
        for finding in verdict.findings:
            where = finding.location
            if where.assertion is not None and where.index is not None:
                self.by_action.setdefault((where.manifest, where.assertion, where.index), []).append(finding)
            elif where.manifest is not None:
                self.by_manifest.setdefault(where.manifest, []).append(finding)
            elif where.field is not None:
                self.by_field.setdefault(where.field, []).append(finding)
            else:
                self.loose.append(finding)

    def manifest(self, record: ManifestRecord, level: int = 0) -> dict[str, Any]:
        self.expanded.add(record.label)
        return {
            "label": record.label,
            "depth": record.depth,
            "claim_generator": record.claim_generator,
            "signer": {"issuer": record.signer.issuer, "common_name": record.signer.common_name,
                       "time": record.signer.time, "algorithm": record.signer.algorithm},
            "actions": [self.action(record, action) for action in record.actions],
            "assertions": [{"label": label, "kind": _assertion_kind(label)} for label in record.assertion_labels],
            "findings": [_finding(f) for f in self.by_manifest.pop(record.label, ())],
            "ingredients": [self.ingredient(record, item, level) for item in record.ingredients],
        }

    def action(self, record: ManifestRecord, action: Any) -> dict[str, Any]:
        where = action.location
        found = self.by_action.pop((where.manifest, where.assertion, where.index), [])
        return {
            "index": where.index, "assertion": where.assertion, "action": action.action,
            "software_agent": action.software_agent, "digital_source_type": action.digital_source_type,
            "description": action.description,
            "findings": [_finding(f) for f in found],
        }

    def ingredient(self, parent: ManifestRecord, item: IngredientRecord, level: int) -> dict[str, Any]:
        child = self.records.get(item.active_manifest) if item.active_manifest else None
        where = item.location
        found = self.by_action.pop((where.manifest, where.assertion, where.index), [])
        node: dict[str, Any] = {
            "title": item.title, "relationship": item.relationship, "label": item.label,
            "digital_source_type": item.digital_source_type, "depth": parent.depth + 1,
            "parent": parent.label,
            "recorded_status": [{"code": s.code, "kind": str(s.kind), "explanation": s.explanation}
                                for s in item.recorded_status],
            "findings": [_finding(f) for f in found],
            "manifest": None, "expanded_above": False, "beyond_depth_cap": False,
        }
        if child is not None:
            if child.label in self.expanded:
                node["expanded_above"] = True
            elif level + 1 > MAX_TREE_DEPTH:
                node["beyond_depth_cap"] = True
            else:
                node["manifest"] = self.manifest(child, level + 1)
        return node


def inspection_tree(evidence: Evidence, verdict: ImageVerdict) -> dict[str, Any]:
    """The ``provenance.inspect/v1`` tree of already-read evidence and its verdict (pure).

    Args:
        evidence: from :func:`provenance.read_evidence`.
        verdict: from :func:`provenance.evaluate` on that evidence.
    Returns:
        JSON-ready data (see the module docstring).
    """
    credentials = evidence.credentials
    builder = _Builder(evidence, verdict)
    active = credentials.active
    manifest = builder.manifest(active) if active is not None else None
    metadata = []
    for signal in evidence.metadata:
        found = builder.by_field.get(signal.field, [])
        metadata.append({
            "field": signal.field, "container": signal.container.value, "name": signal.name,
            "namespace": signal.namespace, "path": signal.path, "kind": signal.kind.value, "value": signal.value,
            "findings": [_finding(f) for f in found],
        })
    shown_fields = {signal.field for signal in evidence.metadata}
    leftover = [f for field, items in builder.by_field.items() if field not in shown_fields for f in items]
    leftover += [f for items in builder.by_action.values() for f in items]
    leftover += [f for items in builder.by_manifest.values() for f in items]  # manifests not nested
    return {
        "schema": INSPECT_SCHEMA,
        "path": display_path(evidence.path, escape_control=False),
        "size": evidence.size,
        "media_type": evidence.media_type,
        "sha256": evidence.sha256,
        "error": evidence.read_error,
        "credentials": {
            "presence": credentials.presence.value,
            "validation_state": credentials.validation_state.value if credentials.validation_state else None,
            "active_manifest": credentials.active_manifest,
            "remote_url": credentials.remote_url,
            "reader_error": credentials.reader_error,
            "status_codes": [{"code": s.code, "kind": str(s.kind), "scope": str(s.scope), "url": s.url,
                              "explanation": s.explanation, "ingredient": s.ingredient}
                             for s in credentials.status_codes],
            "manifest_count": len(credentials.manifests),
        },
        "manifest": manifest,
        "metadata": metadata,
        "findings": [_finding(f) for f in (*builder.loose, *leftover)],
        "verdict": {"status": verdict.status.value, "reasons": [r.value for r in verdict.reasons],
                    "warnings": list(verdict.warnings)},
    }


def inspect_file(path: str | os.PathLike[str], *, policy: Policy | None = None, trust: TrustConfig | None = None) -> dict[str, Any]:
    """Read one file and return its ``provenance.inspect/v1`` tree.

    Args:
        path: the image file.
        policy: the policy whose decisions are shown; ``None`` is the studio charter.
        trust: trust anchors for validation; ``None`` trusts nothing.
    Returns:
        JSON-ready data (see the module docstring). A file without credentials has
        ``credentials.presence == "absent"`` and ``manifest`` null; an unreadable file has ``error``.
    Raises:
        TypeError: ``path`` is not a ``str`` or ``os.PathLike`` of ``str``, ``policy`` is not a
            :class:`~provenance.policy.Policy` (load a file with :func:`provenance.load_policy`)
            or ``trust`` not a :class:`~provenance.trust.TrustConfig`.
    Side effects: reads the file; no network; writes nothing.
    """
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str):
        raise TypeError(f"inspect_file() takes a path (str or os.PathLike), not {type(path).__name__}")
    if policy is not None and not isinstance(policy, Policy):
        raise TypeError(f"inspect_file(policy=) takes a Policy (provenance.load_policy(path)), not {type(policy).__name__}")
    if trust is not None and not isinstance(trust, TrustConfig):
        raise TypeError(f"inspect_file(trust=) takes a TrustConfig (TrustConfig.from_pem_files(...)), "
                        f"not {type(trust).__name__}")
    evidence = read_evidence(path, trust)
    return inspection_tree(evidence, evaluate(evidence, policy or default_policy()))

