"""Trust anchors: the explicit, offline input that decides whom a signer may chain to.

c2pa-rs ships no trust anchors (ecosystem.md §0 item 2): without anchors every
genuine signer reads ``signingCredential.untrusted``. `provenance` never fetches
trust material while auditing; anchors come from PEM files the caller names
(``--trust-anchors``) and, once populated, from the local trust store
(:mod:`provenance.truststore`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ._io import read_regular_file
from .errors import TrustAnchorError

__all__ = ["TrustAnchor", "TrustConfig", "TrustSource", "load_pem_anchors"]


@dataclass(frozen=True, slots=True)
class TrustAnchor:
    """One trusted root or intermediate certificate.

    ``fingerprint`` is the lower-case hex SHA-256 of the certificate's DER
    encoding; ``not_after`` is its expiry (UTC); ``source`` names the file or
    trust list it came from.
    """

    subject: str
    fingerprint: str
    not_after: datetime
    source: str
    pem: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TrustSource:
    """Where a group of anchors came from, and how old that list is.

    ``fetched_at`` is ``None`` for a file given on the command line.
    ``digest`` is the hex SHA-256 of the list's exact bytes. For lists from
    the trust store, ``kind`` is ``official``, ``legacy`` or ``pinned`` and
    ``role`` is ``anchors``, ``allowed`` or ``eku-config`` (``anchors`` then
    counts the list's entries).
    """

    name: str
    location: str
    anchors: int
    digest: str
    fetched_at: datetime | None = None
    kind: str | None = None
    role: str = "anchors"


@dataclass(frozen=True, slots=True)
class TrustConfig:
    """The trust anchors and EKU settings for one audit.

    ``eku_oids`` are extended-key-usage OIDs a signer certificate may carry in
    addition to the c2pa-rs defaults (a trust list's EKU configuration, e.g.
    the interim list's ``store.cfg``). ``allowed`` are end-entity
    certificates (PEM blocks) or base64 SHA-256 lines trusted directly,
    whatever they chain to (the interim list's allowed list). ``warnings`` are
    plain-words notes about the trust material (an empty store, an old list)
    for the report.
    """

    anchors: tuple[TrustAnchor, ...] = ()
    sources: tuple[TrustSource, ...] = ()
    eku_oids: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()

    @classmethod
    def from_pem_files(cls, paths: Iterable[str | Path], *, eku_oids: Sequence[str] = ()) -> TrustConfig:
        """Load anchors from PEM files.

        Raises:
            TrustAnchorError: a file cannot be read, or holds no certificate.
        """
        config = cls(eku_oids=tuple(eku_oids))
        for path in paths:
            config = config.merged(_from_file(Path(path)))
        return config

    def merged(self, other: TrustConfig) -> TrustConfig:
        """Return the union of two configurations (anchors deduplicated by fingerprint)."""
        seen = {anchor.fingerprint for anchor in self.anchors}
        anchors = list(self.anchors)
        for anchor in other.anchors:
            if anchor.fingerprint not in seen:
                seen.add(anchor.fingerprint)
                anchors.append(anchor)
        ekus = tuple(dict.fromkeys((*self.eku_oids, *other.eku_oids)))
        return TrustConfig(
            anchors=tuple(anchors),
            sources=(*self.sources, *other.sources),
            eku_oids=ekus,
            warnings=(*self.warnings, *other.warnings),
            allowed=tuple(dict.fromkeys((*self.allowed, *other.allowed))),
        )

    def pem_bundle(self) -> str:
        """All anchors as one PEM bundle, in a stable order."""
        return "".join(anchor.pem for anchor in self.anchors)

    def allowed_bundle(self) -> str:
        """The allowed list (end-entity PEM blocks and base64 SHA-256 lines) as one text."""
        return "".join(self.allowed)

    @property
    def fingerprints(self) -> tuple[str, ...]:
        """Sorted SHA-256 fingerprints of every anchor."""
        return tuple(sorted(anchor.fingerprint for anchor in self.anchors))


def _name(certificate: x509.Certificate) -> str:
    try:
        return certificate.subject.rfc4514_string()
    except ValueError:  # pragma: no cover - malformed names
        return "(unreadable subject)"


def load_pem_anchors(data: bytes, source: str) -> tuple[TrustAnchor, ...]:
    """Parse every certificate of a PEM bundle.

    Args:
        data: the bundle's bytes.
        source: a name for where it came from (kept on each anchor).
    Returns:
        The anchors, in file order.
    Raises:
        TrustAnchorError: the data holds no PEM certificate, or one is malformed.
    """
    if b"PRIVATE KEY-----" in data:
        raise TrustAnchorError(
            f"{source}: this file holds a private key. Trust anchors are certificates only: "
            "pass the CA certificate, and never share or store a private key as an anchor"
        )
    if not data.strip():
        raise TrustAnchorError(f"{source}: the file is empty; expected PEM certificates")
    if data[:1] == b"\x30":
        raise TrustAnchorError(
            f"{source}: this looks like a DER (binary) certificate; convert it to PEM first "
            f"(openssl x509 -inform der -in {source} -out anchor.pem)"
        )
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise TrustAnchorError(
            f"{source}: not a PEM bundle of X.509 certificates (expected -----BEGIN CERTIFICATE----- blocks)"
        ) from error
    anchors = []
    for certificate in certificates:
        der = certificate.public_bytes(serialization.Encoding.DER)
        pem = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
        anchors.append(TrustAnchor(
            subject=_name(certificate),
            fingerprint=hashlib.sha256(der).hexdigest(),
            not_after=certificate.not_valid_after_utc.astimezone(UTC),
            source=source,
            pem=pem,
        ))
    return tuple(anchors)


def _from_file(path: Path) -> TrustConfig:
    data = read_regular_file(path, "trust anchors", TrustAnchorError)
    anchors = load_pem_anchors(data, str(path))
    source = TrustSource(
        name=path.name, location=str(path), anchors=len(anchors), digest=hashlib.sha256(data).hexdigest()
    )
    warnings: tuple[str, ...] = ()
    if not any(_is_ca(anchor.pem) for anchor in anchors):
        warnings = (
            f"{path} holds no CA certificate: a signer chains to a root or intermediate CA, so pass "
            "the CA that issued the signing certificate, not the signing certificate itself",
        )
    return TrustConfig(anchors=anchors, sources=(source,), warnings=warnings)


def _is_ca(pem: str) -> bool:
    certificate = x509.load_pem_x509_certificate(pem.encode("ascii"))
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False
