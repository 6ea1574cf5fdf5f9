"""Classification of one image's evidence as a whole: the step that runs before evaluation.

The audit pipeline reads evidence, classifies it here, then hands the result to
:func:`provenance.policy.evaluate`. Nothing here decides: every
:class:`~provenance.classify.Classification` says what a signal *is*.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import CredentialsPresence, Evidence
from ._c2pa import classify_credentials
from ._metadata import classify_signal
from ._types import Classification

__all__ = ["ClassifiedEvidence", "classify_evidence"]

_REMOTE_POINTER_ROW = "xmp.remote_manifest"
"""The metadata row that says where a manifest is stored, not what was done (``xmpMM:Manifest``...)."""


@dataclass(frozen=True, slots=True)
class ClassifiedEvidence:
    """One image's evidence with every signal classified, before any policy.

    ``manifest``: the classifications of the manifest store (every depth; empty unless
    ``credentials.presence`` is ``PRESENT``); ``metadata``: those of the unsigned metadata,
    in signal order; ``remote_pointers``: metadata that only says the manifest is stored
    elsewhere (the credentials side decides what that means).
    """

    evidence: Evidence
    manifest: tuple[Classification, ...] = ()
    metadata: tuple[Classification, ...] = ()
    remote_pointers: tuple[Classification, ...] = ()


def classify_evidence(evidence: Evidence) -> ClassifiedEvidence:
    """Classify everything one image carries (pure: no I/O).

    Args:
        evidence: what the readers found.
    Returns:
        The :class:`ClassifiedEvidence`. A file that could not be read gets no classification.
    """
    if evidence.read_error is not None:
        return ClassifiedEvidence(evidence)
    credentials = evidence.credentials
    manifest = classify_credentials(credentials) if credentials.presence is CredentialsPresence.PRESENT else ()
    metadata: list[Classification] = []
    pointers: list[Classification] = []
    for signal in evidence.metadata:
        for classification in classify_signal(signal):
            (pointers if classification.row == _REMOTE_POINTER_ROW else metadata).append(classification)
    return ClassifiedEvidence(evidence, tuple(manifest), tuple(metadata), tuple(pointers))
