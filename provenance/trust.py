"""Trust anchors: the explicit, offline input that decides whom a signer may chain to.

c2pa-rs ships no trust anchors (ecosystem.md §0 item 2): without anchors every
genuine signer reads ``signingCredential.untrusted``. `provenance` never fetches
trust material while auditing; anchors come from PEM files the caller names
(``--trust-anchors``) and, once populated, from the local trust store
(:mod:`provenance.truststore`).

Signer anchors carry the C2PA signer certificate profile's extended key usages
(:data:`C2PA_SIGNER_EKUS`): the reader takes one EKU list per context, so an
audit passes the union of every list's EKUs. Timestamp-authority anchors are
kept apart (``tsa_anchors``) and never reach the reader as signer anchors:
c2pa-rs 0.91 would trust a claim signer that chains to them (docs/trust.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ._io import as_paths, read_regular_file
from .advice import Advice
from .errors import TrustAnchorError

__all__ = [
    "C2PA_CLAIM_SIGNING",
    "C2PA_SIGNER_EKUS",
    "DOCUMENT_SIGNING",
    "EMAIL_PROTECTION",
    "MS_C2PA_SIGNING",
    "OCSP_SIGNING",
    "TIME_STAMPING",
    "TrustAnchor",
    "TrustConfig",
    "TrustSource",
    "load_pem_anchors",
]

# Extended key usages of a C2PA claim signer (docs/trust.md "EKUs" gives the source of each).
EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"
"""id-kp-emailProtection (RFC 5280 §4.2.1.12); c2pa-rs ``sdk/src/crypto/cose/valid_eku_oids.cfg``."""
DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36"
"""id-kp-documentSigning (RFC 9336); C2PA 2.x §14.5.1; c2pa-rs ``valid_eku_oids.cfg``."""
TIME_STAMPING = "1.3.6.1.5.5.7.3.8"
"""id-kp-timeStamping (RFC 5280 §4.2.1.12); accepted alone by c2pa-rs ``certificate_profile.rs``."""
OCSP_SIGNING = "1.3.6.1.5.5.7.3.9"
"""id-kp-OCSPSigning (RFC 5280 §4.2.1.12); accepted alone by c2pa-rs ``certificate_profile.rs``."""
MS_C2PA_SIGNING = "1.3.6.1.4.1.311.76.59.1.9"
"""Microsoft's C2PA signing EKU; c2pa-rs ``valid_eku_oids.cfg``."""
C2PA_CLAIM_SIGNING = "1.3.6.1.4.1.62558.2.1"
"""c2pa-kp-claimSigning, the EKU of the C2PA conformance program's claim signers (C2PA 2.2 §14.5.1)."""
C2PA_SIGNER_EKUS = (
    EMAIL_PROTECTION, DOCUMENT_SIGNING, TIME_STAMPING, OCSP_SIGNING, MS_C2PA_SIGNING, C2PA_CLAIM_SIGNING,
)
"""The EKUs a C2PA claim signer may carry: c2pa-rs's ``valid_eku_oids.cfg`` plus C2PA claim signing.

The same six OIDs as the interim trust list's ``store.cfg``."""


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
    ca: bool = False
    """Whether the certificate is a CA (``basicConstraints`` cA TRUE), something a signer can chain to."""


@dataclass(frozen=True, slots=True)
class TrustSource:
    """Where a group of anchors came from, and how old that list is.

    ``fetched_at`` is ``None`` for a file given on the command line.
    ``digest`` is the hex SHA-256 of the list's exact bytes. For lists from
    the trust store, ``kind`` is ``official``, ``legacy``, ``pinned`` or ``tsa``
    (:class:`provenance.truststore.Kind`) and ``role`` is ``anchors``,
    ``allowed`` or ``eku-config`` (``anchors`` then counts the list's entries).
    Files given for one run have no ``kind`` (``None``), except ``--tsa-anchors``
    files, whose kind is ``tsa``, and a ``role`` (``eku-config`` for ``--trust-config``,
    ``allowed`` for ``--allowed-list``).
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

    ``anchors`` are signer anchors: CA certificates a claim signer may chain to
    (the reader's ``trust.trust_anchors``). ``eku_oids`` are extended-key-usage
    OIDs a signer certificate may carry in addition to the c2pa-rs defaults: the
    union of every list's EKU configuration (:data:`C2PA_SIGNER_EKUS` for the
    official list, pinned roots and ``--trust-anchors`` files; the interim
    list's ``store.cfg``; ``--trust-config`` files). ``allowed`` are end-entity
    certificates (PEM blocks) or base64 SHA-256 lines trusted directly,
    whatever they chain to (the interim list's allowed list). ``tsa_anchors``
    are timestamp-authority anchors, recorded but never given to the reader as
    signer anchors. ``warnings`` are plain-words notes about the trust material
    (an empty store, an old list) for the report, and ``advice`` the structured
    :class:`~provenance.advice.Advice` that goes with them.
    """

    anchors: tuple[TrustAnchor, ...] = ()
    sources: tuple[TrustSource, ...] = ()
    eku_oids: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    tsa_anchors: tuple[TrustAnchor, ...] = ()
    advice: tuple[Advice, ...] = ()

    @classmethod
    def from_pem_files(
        cls, paths: Iterable[str | Path] | str | Path, *, eku_oids: Sequence[str] | None = None
    ) -> TrustConfig:
        """Load signer anchors from PEM files (as ``--trust-anchors`` does).

        Args:
            paths: PEM files; one path may be given as a ``str`` or ``Path`` (it is one file,
                not a sequence of characters).
            eku_oids: EKUs the signers under these anchors may carry; ``None`` (the default) is
                the C2PA signer profile, :data:`C2PA_SIGNER_EKUS`, once any anchor is loaded.
        Raises:
            TypeError: ``paths`` is not a path or an iterable of paths (``str`` or ``os.PathLike``).
            TrustAnchorError: a file cannot be read, is not a regular file, or holds no certificate.
        """
        files = as_paths(paths)
        config = cls()
        for path in files:
            config = config.merged(_from_file(path))
        ekus = (C2PA_SIGNER_EKUS if config.anchors else ()) if eku_oids is None else tuple(eku_oids)
        return config.merged(cls(eku_oids=ekus))

    def merged(self, other: TrustConfig) -> TrustConfig:
        """Return the union of two configurations (anchors deduplicated by fingerprint).

        Raises:
            TypeError: ``other`` is not a :class:`TrustConfig`.
        """
        if not isinstance(other, TrustConfig):
            raise TypeError(f"TrustConfig.merged() expects a TrustConfig, not {type(other).__name__}")
        return TrustConfig(
            anchors=_union(self.anchors, other.anchors),
            sources=(*self.sources, *other.sources),
            eku_oids=tuple(dict.fromkeys((*self.eku_oids, *other.eku_oids))),
            warnings=(*self.warnings, *other.warnings),
            allowed=tuple(dict.fromkeys((*self.allowed, *other.allowed))),
            tsa_anchors=_union(self.tsa_anchors, other.tsa_anchors),
            advice=tuple(dict.fromkeys((*self.advice, *other.advice))),
        )

    def pem_bundle(self) -> str:
        """All anchors as one PEM bundle, in a stable order."""
        return "".join(anchor.pem for anchor in self.anchors)

    def allowed_bundle(self) -> str:
        """The allowed list (end-entity PEM blocks and base64 SHA-256 lines) as one text."""
        return "".join(self.allowed)

    @property
    def fingerprints(self) -> tuple[str, ...]:
        """Sorted SHA-256 fingerprints (of the DER encoding) of every signer anchor."""
        return tuple(sorted(anchor.fingerprint for anchor in self.anchors))

    @property
    def tsa_fingerprints(self) -> tuple[str, ...]:
        """Sorted SHA-256 fingerprints of every timestamp-authority anchor."""
        return tuple(sorted(anchor.fingerprint for anchor in self.tsa_anchors))


def _union(first: tuple[TrustAnchor, ...], second: tuple[TrustAnchor, ...]) -> tuple[TrustAnchor, ...]:
    seen = {anchor.fingerprint for anchor in first}
    anchors = list(first)
    for anchor in second:
        if anchor.fingerprint not in seen:
            seen.add(anchor.fingerprint)
            anchors.append(anchor)
    return tuple(anchors)


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
    # Imported here, not at the top: ``cryptography.x509`` is a tenth of a second of start-up, and
    # neither an audit worker (it receives the parsed anchors) nor an audit without anchor files needs it.
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from ._pem import BEGIN_CERTIFICATE, holds_private_key, is_ca, pem_labels, subject_of

    if holds_private_key(data):
        raise TrustAnchorError(
            f"{source}: this file holds a private key. Trust anchors are certificates only: "
            "pass the CA certificate, and never share or store a private key as an anchor"
        )
    if not data.strip():
        raise TrustAnchorError(f"{source}: the file is empty; expected PEM certificates")
    if "PUBLIC KEY" in pem_labels(data) and BEGIN_CERTIFICATE not in data:
        raise TrustAnchorError(
            f"{source} is a public key, not a CA certificate: a `provenance keygen` key signs compliance "
            "certificates (clients pin it with `provenance verify --key`); trust anchors are the CA "
            "certificates that issue C2PA signing certificates"
        )
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
            subject=subject_of(certificate),
            fingerprint=hashlib.sha256(der).hexdigest(),
            not_after=certificate.not_valid_after_utc.astimezone(UTC),
            source=source,
            pem=pem,
            ca=is_ca(certificate),
        ))
    return tuple(anchors)


def _from_file(path: Path) -> TrustConfig:
    data = read_regular_file(path, "trust anchors", TrustAnchorError)
    anchors = load_pem_anchors(data, str(path))
    source = TrustSource(
        name=path.name, location=str(path), anchors=len(anchors), digest=hashlib.sha256(data).hexdigest()
    )
    warnings: tuple[str, ...] = ()
    if not any(anchor.ca for anchor in anchors):
        warnings = (
            f"{path} holds no CA certificate: a signer chains to a root or intermediate CA, so pass "
            "the CA that issued the signing certificate, not the signing certificate itself",
        )
    return TrustConfig(anchors=anchors, sources=(source,), warnings=warnings)

