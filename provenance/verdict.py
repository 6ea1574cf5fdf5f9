"""Verdicts: the per-image outcome a delivery script acts on.

Three states, as in AdES (pyHanko ``AdESStatus``): ``compliant``,
``non_compliant`` (the policy said no) and ``indeterminate`` (nothing can be
certified, in either direction). ``reasons`` use a fixed vocabulary so scripts
can branch on them; see ``docs/report-schema.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .chain import ChainLink
from .model import (
    Assurance,
    CredentialsPresence,
    Finding,
    Reason,
    Thumbnail,
    ValidationState,
    pickle_by_name,
    reduce_by_fields,
)

__all__ = ["ImageVerdict", "Reason", "Status"]


class Status(StrEnum):
    """The verdict on one image."""

    COMPLIANT = "compliant"
    """Every signal is allowed and the evidence meets the policy's trust requirement."""
    NON_COMPLIANT = "non_compliant"
    """A forbidden signal appears somewhere in the chain (even in a manifest that
    fails validation: a declaration of generative AI is believed against its author)."""
    INDETERMINATE = "indeterminate"
    """Something prevents certifying: no or broken credentials, an untrusted
    signer, an unavailable manifest, a signal needing review, an unreadable file."""

    __reduce_ex__ = pickle_by_name


@dataclass(frozen=True, slots=True)
class ImageVerdict:
    """The audit result for one image. Frozen; built by :func:`provenance.policy.evaluate`.

    ``path`` is the file as given; ``sha256`` the hex digest of its exact bytes
    (``None`` if it could not be read); ``size`` in bytes; ``media_type``
    sniffed from content. ``reasons`` are ordered by severity and unique.
    ``findings`` trace every classified signal and credential problem to where
    it came from. ``warnings`` are reported problems with no effect on the
    verdict (identity assertions, network-only checks, ingredient signers).
    ``signer`` describes the active manifest's signer; ``assurance`` how strong
    the evidence is; ``chain`` the ingredient chain and ``thumbnail`` the manifest's
    thumbnail (descriptive only; read only when the audit asks for thumbnails).
    Pickled as its field values (:func:`~provenance.model.reduce_by_fields`: a worker sends every verdict).
    """

    __reduce__ = reduce_by_fields

    path: str
    sha256: str | None
    size: int | None
    media_type: str | None
    status: Status
    reasons: tuple[Reason, ...]
    findings: tuple[Finding, ...]
    warnings: tuple[str, ...] = ()
    validation_state: ValidationState | None = None
    credentials: CredentialsPresence = CredentialsPresence.ABSENT
    """Whether Content Credentials could be read (a :class:`~provenance.model.CredentialsPresence`;
    its value is the JSON string, ``"present"``, ``"absent"``...)."""
    active_manifest: str | None = None
    signer: str | None = None
    assurance: Assurance = Assurance.NONE
    error: str | None = None
    chain: tuple[ChainLink, ...] = ()
    """The ingredient chain, active manifest first (:func:`provenance.chain.chain_of`)."""
    thumbnail: Thumbnail | None = None
    """The active manifest's own thumbnail, for reports (never decoded, never judged)."""

    @property
    def ok(self) -> bool:
        """True only for a compliant image."""
        return self.status is Status.COMPLIANT

    def summary(self) -> str:
        """One plain sentence saying the status and why."""
        if self.status is Status.COMPLIANT:
            return "compliant"
        return f"{self.status.value}: " + ", ".join(reason.value for reason in self.reasons)
