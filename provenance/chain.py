"""The ingredient chain of an image, flattened for reports: which manifest came from which.

Built from :class:`~provenance.model.CredentialsEvidence` only (no judgement): the active manifest
first, then every ingredient in the order the reader walked them, each with the label of the
manifest that lists it (``parent``), its relationship (``parentOf``, ``componentOf``, ``inputTo``;
C2PA 2.2 §18.15.3) and depth. An ingredient without provenance of its own is a link with no label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import CredentialsEvidence

__all__ = ["MAX_CHAIN_LINKS", "ChainLink", "chain_of"]

MAX_CHAIN_LINKS = 1000
"""At most this many links are listed per image (a hostile store may hold many more ingredients);
the reader's own caps bound the walk itself."""


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One manifest (or ingredient without a manifest) in an image's ingredient chain.

    ``label`` is the manifest label (``None`` for an ingredient with no provenance); ``parent`` the
    label of the manifest that lists it as an ingredient (``None`` for the active manifest);
    ``depth`` 0 for the active manifest; ``title`` the ingredient's title; ``claim_generator`` and
    ``signer`` (``"common name (issuer)"``) as the reader reports them.
    """

    label: str | None
    depth: int
    parent: str | None = None
    relationship: str | None = None
    title: str | None = None
    claim_generator: str | None = None
    signer: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, every key present (``None`` when unknown)."""
        return {"label": self.label, "parent": self.parent, "depth": self.depth, "relationship": self.relationship,
                "title": self.title, "claim_generator": self.claim_generator, "signer": self.signer}


def chain_of(credentials: CredentialsEvidence) -> tuple[ChainLink, ...]:
    """The chain as a flat list of links, active manifest first (see the module docstring).

    Args:
        credentials: what the reader found.
    Returns:
        A tuple of at most :data:`MAX_CHAIN_LINKS` links; empty without a manifest store.
    """
    records = {record.label: record for record in credentials.manifests}
    active = credentials.active
    if active is None:
        return ()
    links = [ChainLink(label=active.label, depth=0, claim_generator=active.claim_generator,
                       signer=active.signer.describe())]
    for record in credentials.manifests:
        for ingredient in record.ingredients:
            if len(links) >= MAX_CHAIN_LINKS:
                return tuple(links)
            child = records.get(ingredient.active_manifest) if ingredient.active_manifest else None
            links.append(ChainLink(
                label=ingredient.active_manifest if child is not None else None,
                depth=record.depth + 1,
                parent=record.label,
                relationship=ingredient.relationship,
                title=ingredient.title,
                claim_generator=child.claim_generator if child else None,
                signer=child.signer.describe() if child else None,
            ))
    return tuple(links)
