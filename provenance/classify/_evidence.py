"""Classification of one image's evidence as a whole: the step that runs before evaluation.

The audit pipeline reads evidence, classifies it here, then hands the result to
:func:`provenance.policy.evaluate`. Nothing here decides: every
:class:`~provenance.classify.Classification` says what a signal *is*.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import CredentialsEvidence, CredentialsPresence, Evidence, StatusCode, StatusScope
from ._c2pa import classify_credentials
from ._metadata import classify_signal
from ._status import StatusRow, classify_status_code
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
    elsewhere (the credentials side decides what that means); ``statuses``: the validation
    status codes computed now (the active manifest's results and the ingredient deltas, not
    the recorded ones), each once, with its row of the status table.
    """

    evidence: Evidence
    manifest: tuple[Classification, ...] = ()
    metadata: tuple[Classification, ...] = ()
    remote_pointers: tuple[Classification, ...] = ()
    statuses: tuple[tuple[StatusCode, StatusRow], ...] = ()


def _current_statuses(credentials: CredentialsEvidence) -> tuple[tuple[StatusCode, StatusRow], ...]:
    """Active results and ingredient deltas, once each (c2pa-rs reports some failures in both)."""
    out: list[tuple[StatusCode, StatusRow]] = []
    reported: set[tuple[str, str | None]] = set()
    for entry in credentials.status_codes:
        if entry.scope is StatusScope.RECORDED or (entry.code, entry.url) in reported:
            continue  # recorded statuses are read by the chain classification and the ingredient trust judge
        reported.add((entry.code, entry.url))
        out.append((entry, classify_status_code(entry.code, entry.kind)))
    return tuple(out)


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
    present = credentials.presence is CredentialsPresence.PRESENT
    manifest = classify_credentials(credentials) if present else ()
    metadata: list[Classification] = []
    pointers: list[Classification] = []
    for signal in evidence.metadata:
        for classification in classify_signal(signal):
            (pointers if classification.row == _REMOTE_POINTER_ROW else metadata).append(classification)
    statuses = _current_statuses(credentials) if present else ()
    return ClassifiedEvidence(evidence, tuple(manifest), tuple(metadata), tuple(pointers), statuses)
