"""Evidence built in memory for the policy tests (no file, no reader)."""

from __future__ import annotations

from typing import Any

from provenance.evidence import parse_manifest_store
from provenance.model import (
    Container,
    CredentialsEvidence,
    Evidence,
    MetadataSignal,
    ReadProblem,
    SignalKind,
    StatusCode,
    StatusKind,
    StatusScope,
)

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRUSTED = [("signingCredential.trusted", "success")]


def capture_store(*extra_actions: dict[str, Any], dst: str = "digitalCapture") -> dict[str, Any]:
    """A one-manifest store whose first action is ``c2pa.created`` with ``dst``."""
    actions = [{"action": "c2pa.created", "digitalSourceType": IPTC + dst}, *extra_actions]
    return {"active_manifest": "m", "manifests": {"m": {
        "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": actions}}],
        "signature_info": {"issuer": "Studio CA", "common_name": "Studio"}}}}


def evidence(store: dict[str, Any] | None = None, codes: list[tuple[str, str]] | None = None, *,
             scope: str = "active", metadata: tuple[MetadataSignal, ...] = (),
             problems: tuple[ReadProblem, ...] = (), ingredient: str | None = None) -> Evidence:
    """Evidence for ``store`` (default: a capture) with extra status codes ``(code, kind)`` in ``scope``."""
    credentials = parse_manifest_store(store if store is not None else capture_store())
    extra = tuple(StatusCode(code, StatusKind(kind), StatusScope(scope), ingredient=ingredient)
                  for code, kind in (codes or []))
    credentials = CredentialsEvidence(
        presence=credentials.presence, validation_state=credentials.validation_state,
        active_manifest=credentials.active_manifest, manifests=credentials.manifests,
        status_codes=credentials.status_codes + extra,
    )
    return Evidence(path="x.jpg", sha256="0" * 64, size=1, media_type="image/jpeg", credentials=credentials,
                    metadata=metadata, read_problems=problems)


def xmp_dst(term: str) -> MetadataSignal:
    """An XMP ``Iptc4xmpExt:DigitalSourceType`` signal."""
    return MetadataSignal(Container.XMP, "Iptc4xmpExt:DigitalSourceType", SignalKind.DIGITAL_SOURCE_TYPE,
                          IPTC + term, namespace="http://iptc.org/std/Iptc4xmpExt/2008-02-29/")
