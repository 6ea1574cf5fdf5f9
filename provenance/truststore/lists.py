"""Trust lists as data: their kinds and roles, the published lists, and checking a list's bytes.

Nothing here reads a file or the network: :func:`classify` and :func:`parse_list` take bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from .._pem import BEGIN_CERTIFICATE, PRIVATE_KEY_MESSAGE, PemError, holds_private_key, is_ca, load_certificates
from ..trust import C2PA_SIGNER_EKUS, TrustAnchor, load_pem_anchors

if TYPE_CHECKING:
    from cryptography import x509  # parsed by .._pem.load_certificates, imported there when a list is read

__all__ = [
    "ALLOWED",
    "ANCHORS",
    "DEFAULT_SOURCES",
    "EKU_CONFIG",
    "FIXED_LISTS",
    "INTERIM_ALLOWED",
    "INTERIM_ANCHORS",
    "INTERIM_EKU",
    "KINDS",
    "LEGACY",
    "LIST_NAME",
    "OFFICIAL",
    "OFFICIAL_LIST",
    "PINNED",
    "PRIVATE_KEY_MESSAGE",
    "ROLES",
    "TSA",
    "TSA_LIST",
    "InvalidList",
    "Kind",
    "ListSpec",
    "ParsedList",
    "PrivateKeyInList",
    "Role",
    "classify",
    "fixed_list",
    "parse_list",
]


class Kind(StrEnum):
    """Where a list comes from (the ``kind`` of an index entry; values are the JSON strings)."""

    OFFICIAL = "official"
    """The official C2PA trust list of the conformance program."""
    LEGACY = "legacy"
    """The frozen interim trust list (ITL) the Verify site uses."""
    PINNED = "pinned"
    """A root the studio pinned itself (``trust add``)."""
    TSA = "tsa"
    """The conformance program's list of time-stamping authorities (never signer anchors)."""

    @property
    def eku_oids(self) -> tuple[str, ...]:
        """The EKUs signers under this kind's anchors may carry (docs/trust.md gives the sources).

        The official list and pinned roots: the C2PA signer profile (:data:`C2PA_SIGNER_EKUS`).
        The interim list: none of its own here; its ``store.cfg`` (role ``eku-config``) brings them.
        The TSA list: none, it anchors no signer.
        """
        return C2PA_SIGNER_EKUS if self in (Kind.OFFICIAL, Kind.PINNED) else ()

    @property
    def signer_anchors(self) -> bool:
        """Whether this kind's anchors are given to the reader as claim-signer anchors (all but ``tsa``)."""
        return self is not Kind.TSA

    @property
    def purpose(self) -> str:
        """What the list is for, in plain words (``trust show``)."""
        return _PURPOSE[self]


class Role(StrEnum):
    """What a list is used for (the ``role`` of an index entry)."""

    ANCHORS = "anchors"
    """CA certificates a signer may chain to."""
    ALLOWED = "allowed"
    """End-entity certificates (PEM or base64 SHA-256 lines) trusted directly."""
    EKU_CONFIG = "eku-config"
    """Extended key usage OIDs a signer certificate may carry (``store.cfg``)."""


_PURPOSE = {
    Kind.OFFICIAL: "claim signers certified by the C2PA conformance program (C2PA signer EKUs)",
    Kind.LEGACY: "claim signers of the frozen interim trust list (its store.cfg EKUs and allowed list)",
    Kind.PINNED: "your own claim signers (C2PA signer EKUs)",
    Kind.TSA: "time-stamping authorities of the conformance program (never claim-signer anchors)",
}

# Short names kept for callers of the 1.x module.
OFFICIAL, LEGACY, PINNED, TSA = Kind.OFFICIAL, Kind.LEGACY, Kind.PINNED, Kind.TSA
ANCHORS, ALLOWED, EKU_CONFIG = Role.ANCHORS, Role.ALLOWED, Role.EKU_CONFIG
KINDS = tuple(Kind)
ROLES = tuple(Role)


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One of the published lists: its name in the store, kind, role and published address."""

    name: str
    kind: Kind
    role: Role
    url: str


# The published addresses (ecosystem.md §1.2). Only `trust update` without --from contacts them.
OFFICIAL_LIST = ListSpec(
    "c2pa-trust-list", Kind.OFFICIAL, Role.ANCHORS,
    "https://raw.githubusercontent.com/c2pa-org/conformance-public/refs/heads/main/trust-list/C2PA-TRUST-LIST.pem",
)
TSA_LIST = ListSpec(
    "c2pa-tsa-trust-list", Kind.TSA, Role.ANCHORS,
    "https://raw.githubusercontent.com/c2pa-org/conformance-public/refs/heads/main/trust-list/C2PA-TSA-TRUST-LIST.pem",
)
INTERIM_ANCHORS = ListSpec("interim-anchors", Kind.LEGACY, Role.ANCHORS, "https://contentcredentials.org/trust/anchors.pem")
INTERIM_ALLOWED = ListSpec(
    "interim-allowed", Kind.LEGACY, Role.ALLOWED, "https://contentcredentials.org/trust/allowed.sha256.txt"
)
INTERIM_EKU = ListSpec("interim-eku", Kind.LEGACY, Role.EKU_CONFIG, "https://contentcredentials.org/trust/store.cfg")

FIXED_LISTS = (OFFICIAL_LIST, TSA_LIST, INTERIM_ANCHORS, INTERIM_ALLOWED, INTERIM_EKU)
DEFAULT_SOURCES = {spec.name: spec.url for spec in FIXED_LISTS}


def fixed_list(name: str) -> ListSpec | None:
    """The published list stored under ``name``, or ``None`` for a pinned root's name."""
    return next((spec for spec in FIXED_LISTS if spec.name == name), None)


LIST_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
"""A list's name in the store: 1-63 lower-case letters, digits, ``.``, ``_`` or ``-``."""
_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")


class InvalidList(ValueError):
    """The bytes are not a list of the expected kind (wrapped by the caller with its origin)."""


class PrivateKeyInList(InvalidList):
    """The bytes hold a PEM private key: never stored, whatever else they hold."""


def _refuse_private_key(data: bytes) -> None:
    if holds_private_key(data):
        raise PrivateKeyInList(PRIVATE_KEY_MESSAGE)


@dataclass(frozen=True, slots=True)
class ParsedList:
    """A checked trust list.

    ``anchors`` are its certificates (trust anchors, or for an allowed list
    the end-entity certificates); ``hashes`` the base64 SHA-256 lines of an
    allowed list in hash form; ``oids`` the OIDs of an EKU configuration;
    ``not_ca`` the subjects of certificates in an anchors list that cannot
    issue (signers cannot chain to them).
    """

    role: Role
    data: bytes
    anchors: tuple[TrustAnchor, ...] = ()
    hashes: tuple[str, ...] = ()
    oids: tuple[str, ...] = ()
    not_ca: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """Number of entries: certificates, hashes or OIDs."""
        return len(self.anchors) + len(self.hashes) + len(self.oids)

    @property
    def digest(self) -> str:
        """Hex SHA-256 of the list's exact bytes."""
        return hashlib.sha256(self.data).hexdigest()

    def expired(self, at: datetime) -> tuple[TrustAnchor, ...]:
        """Certificates whose validity ended before ``at``."""
        return tuple(anchor for anchor in self.anchors if anchor.not_after < at)

    def keys(self) -> frozenset[str]:
        """What identifies each entry, for comparing two versions of a list."""
        return frozenset((*(a.fingerprint for a in self.anchors), *self.hashes, *self.oids))

    def labels(self) -> dict[str, str]:
        """Entry key (see :meth:`keys`) -> a readable label (the subject for certificates)."""
        labels = {anchor.fingerprint: anchor.subject for anchor in self.anchors}
        labels.update({value: value for value in (*self.hashes, *self.oids)})
        return labels


def _text_lines(data: bytes) -> list[str] | None:
    """Non-empty, non-comment lines of a text file, or ``None`` for binary or PEM data."""
    if BEGIN_CERTIFICATE in data or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith(("//", "#")):
            lines.append(line)
    return lines


def _is_sha256_b64(line: str) -> bool:
    if len(line) != 44:
        return False
    try:
        return len(base64.b64decode(line, validate=True)) == 32
    except (binascii.Error, ValueError):
        return False


def _certificates(data: bytes) -> list[x509.Certificate]:
    try:
        return load_certificates(data)
    except PemError as error:
        raise InvalidList(str(error)) from error


def classify(data: bytes) -> Role:
    """Recognise a list by its content: ``anchors``, ``allowed`` or ``eku-config``.

    - lines of OIDs (with ``//`` or ``#`` comments): an EKU configuration (store.cfg);
    - lines of base64 SHA-256 hashes: an allowed list in hash form (allowed.sha256.txt);
    - PEM certificates, mostly CAs: a list of trust anchors;
    - PEM certificates, mostly end-entity: an allowed list (allowed.pem).

    Raises:
        ValueError: (:class:`InvalidList`) none of these, or the data holds a private key.
    """
    _refuse_private_key(data)
    lines = _text_lines(data)
    if lines is not None:
        if lines and all(_OID.match(line) for line in lines):
            return Role.EKU_CONFIG
        if lines and all(_is_sha256_b64(line) for line in lines):
            return Role.ALLOWED
        raise InvalidList("not a trust list: neither PEM certificates, nor EKU OIDs, nor base64 SHA-256 hashes")
    certificates = _certificates(data)
    cas = sum(1 for certificate in certificates if is_ca(certificate))
    return Role.ANCHORS if cas * 2 > len(certificates) else Role.ALLOWED


def _parse_eku_config(data: bytes) -> ParsedList:
    lines = _text_lines(data)
    if lines is None:
        raise InvalidList("not an EKU configuration (expected OIDs one per line)")
    bad = [line for line in lines if not _OID.match(line)]
    if bad:
        raise InvalidList(f"not an EKU configuration: {bad[0][:60]!r} is not an OID")
    if not lines:
        raise InvalidList("the EKU configuration lists no OID")
    return ParsedList(Role.EKU_CONFIG, data, oids=tuple(dict.fromkeys(lines)))


def _distinct(anchors: tuple[TrustAnchor, ...]) -> tuple[TrustAnchor, ...]:
    """Each certificate once (by DER fingerprint), in first-seen order: a bundle that repeats a
    root holds one anchor, not two (its count and ``trust show`` would otherwise say two)."""
    first: dict[str, TrustAnchor] = {}
    for anchor in anchors:
        first.setdefault(anchor.fingerprint, anchor)
    return tuple(first.values())


def _parse_allowed(data: bytes, source: str) -> ParsedList:
    lines = _text_lines(data)
    if lines is not None:
        bad = [line for line in lines if not _is_sha256_b64(line)]
        if bad or not lines:
            raise InvalidList("not an allowed list: expected PEM certificates or base64 SHA-256 lines")
        return ParsedList(Role.ALLOWED, data, hashes=tuple(dict.fromkeys(lines)))
    _certificates(data)
    return ParsedList(Role.ALLOWED, data, anchors=_distinct(load_pem_anchors(data, source)))


def _parse_anchors(data: bytes, source: str) -> ParsedList:
    _certificates(data)
    anchors = _distinct(load_pem_anchors(data, source))
    not_ca = tuple(anchor.subject for anchor in anchors if not anchor.ca)
    if len(not_ca) == len(anchors):
        raise InvalidList("no certificate in it is a CA (basicConstraints CA:TRUE), so no signer can chain to it")
    return ParsedList(Role.ANCHORS, data, anchors=anchors, not_ca=not_ca)


def parse_list(data: bytes, role: Role | str, source: str) -> ParsedList:
    """Check that ``data`` is a usable list for ``role`` and parse it.

    - ``anchors``: a PEM bundle whose every certificate parses (a truncated
      final certificate is an error, not silently dropped) and at least one
      of which is a CA that a signer can chain to; a repeated certificate is one anchor;
    - ``allowed``: end-entity certificates as PEM, or base64 SHA-256 lines;
    - ``eku-config``: OIDs one per line, ``//`` and ``#`` comments allowed.

    Data holding a PEM private key is refused, whatever else it holds.

    Raises:
        ValueError: (:class:`InvalidList`) the data is not such a list (the message says why),
            or ``role`` is not a :class:`Role`.
    """
    _refuse_private_key(data)
    role = Role(role)
    if role is Role.EKU_CONFIG:
        return _parse_eku_config(data)
    if role is Role.ALLOWED:
        return _parse_allowed(data, source)
    return _parse_anchors(data, source)
