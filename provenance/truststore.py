"""The local trust store: dated, offline copies of the C2PA trust lists and the studio's own roots.

c2pa-rs trusts no signer out of the box (ecosystem.md §0 item 2), and tools
that fetch trust lists on every run break offline. `provenance` keeps the
lists in a folder of the user's data directory, fetched only when asked
(``provenance trust update``), each with where it came from, when, and the
SHA-256 of its exact bytes, so every audit can say which anchors it used and
how old each list is.

Layout (``store_path()``: ``$PROVENANCE_TRUST_STORE``, else the platform's
user data folder + ``/trust``)::

    index.json                          the catalogue, written last (the commit point)
    c2pa-trust-list.<sha16>.pem         the official C2PA trust list (kind "official")
    interim-anchors.<sha16>.pem         the frozen interim trust list (kind "legacy") ...
    interim-allowed.<sha16>.pem|.txt    ... its allowed list of end-entity certificates
    interim-eku.<sha16>.cfg             ... and its EKU configuration (store.cfg)
    <name>.<sha16>.pem                  a root pinned with ``trust add`` (kind "pinned")

List files are content-addressed (``<sha16>`` is the start of their SHA-256)
and never rewritten in place: an update writes the new files, then the index
(atomically), then deletes the files the index no longer names. A failed or
partial download is rejected before anything is written, and a crash before
the index is replaced leaves the previous store as it was.

Networking is here only, in :func:`fetch`, and only ``trust update`` calls it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import shlex
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from ._io import write_atomic
from ._version import __version__
from .errors import (
    OutputError,
    TrustAnchorError,
    TrustFetchError,
    TrustStoreError,
    TrustStoreLocationError,
    UsageError,
)
from .trust import TrustAnchor, TrustConfig, TrustSource, load_pem_anchors

__all__ = [
    "DEFAULT_SOURCES",
    "ENV_VAR",
    "FIXED_LISTS",
    "INDEX_SCHEMA",
    "Change",
    "ListSpec",
    "ParsedList",
    "StoredList",
    "TrustFetchError",
    "TrustStore",
    "TrustStoreError",
    "TrustStoreLocationError",
    "classify",
    "fetch",
    "holds_private_key",
    "parse_list",
    "plan_update",
    "refresh_command",
    "store_path",
]

ENV_VAR = "PROVENANCE_TRUST_STORE"
"""Environment variable naming the trust store folder (overrides the platform default)."""

INDEX_NAME = "index.json"
INDEX_SCHEMA = "provenance.trust-store/v1"

MAX_LIST_BYTES = 16 * 1024 * 1024
"""A trust list larger than this (16 MiB) is refused; the real ones are well under 1 MiB."""

DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for a trust list server before giving up."""

# Roles: what a list is used for.
ANCHORS = "anchors"
ALLOWED = "allowed"
EKU_CONFIG = "eku-config"
ROLES = (ANCHORS, ALLOWED, EKU_CONFIG)

# Kinds: where a list comes from.
OFFICIAL = "official"
LEGACY = "legacy"
PINNED = "pinned"
KINDS = (OFFICIAL, LEGACY, PINNED)


@dataclass(frozen=True, slots=True)
class ListSpec:
    """One of the published lists: its name in the store, kind, role and published address."""

    name: str
    kind: str
    role: str
    url: str


# The published addresses (ecosystem.md §1.2). Only `trust update` without
# --from contacts them.
OFFICIAL_LIST = ListSpec(
    "c2pa-trust-list", OFFICIAL, ANCHORS,
    "https://raw.githubusercontent.com/c2pa-org/conformance-public/refs/heads/main/trust-list/C2PA-TRUST-LIST.pem",
)
INTERIM_ANCHORS = ListSpec("interim-anchors", LEGACY, ANCHORS, "https://contentcredentials.org/trust/anchors.pem")
INTERIM_ALLOWED = ListSpec(
    "interim-allowed", LEGACY, ALLOWED, "https://contentcredentials.org/trust/allowed.sha256.txt"
)
INTERIM_EKU = ListSpec("interim-eku", LEGACY, EKU_CONFIG, "https://contentcredentials.org/trust/store.cfg")

FIXED_LISTS = (OFFICIAL_LIST, INTERIM_ANCHORS, INTERIM_ALLOWED, INTERIM_EKU)
DEFAULT_SOURCES = {spec.name: spec.url for spec in FIXED_LISTS}
_FIXED_BY_NAME = {spec.name: spec for spec in FIXED_LISTS}

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")
_STORED_FILE = re.compile(r"^[a-z0-9][a-z0-9._-]*\.[0-9a-f]{16}\.(pem|txt|cfg)$")
_BEGIN_CERT = b"-----BEGIN CERTIFICATE-----"
_END_CERT = b"-----END CERTIFICATE-----"
# Any PEM private key: PKCS#8 (PRIVATE KEY, ENCRYPTED PRIVATE KEY), PKCS#1 (RSA ...), SEC1 (EC ...),
# DSA, OpenSSH. RFC 7468 labels are upper case; matched case-insensitively all the same.
_PRIVATE_KEY = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----", re.IGNORECASE)
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")




# ---------------------------------------------------------------------------
# Location of the store
# ---------------------------------------------------------------------------


def store_path() -> Path:
    """The trust store folder: ``$PROVENANCE_TRUST_STORE``, else ``<user data dir>/provenance/trust``.

    The user data folder follows the platform's convention (platformdirs):
    ``~/.local/share/provenance/trust`` on Linux (or under ``$XDG_DATA_HOME``),
    ``~/Library/Application Support/provenance/trust`` on macOS,
    ``%LOCALAPPDATA%\\provenance\\trust`` on Windows.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("provenance", appauthor=False)) / "trust"


# ---------------------------------------------------------------------------
# Parsing and checking a list
# ---------------------------------------------------------------------------


class _InvalidList(ValueError):
    """The bytes are not a list of the expected kind (wrapped by the caller with its origin)."""


class _PrivateKeyInList(_InvalidList):
    """The bytes hold a PEM private key: never stored, whatever else they hold."""


PRIVATE_KEY_MESSAGE = (
    "the file holds a private key (a '-----BEGIN ... PRIVATE KEY-----' block). A private key must never be "
    "shared or stored as a trust anchor: only the certificate is needed. Give a file with only the "
    "'-----BEGIN CERTIFICATE-----' block(s), e.g. `openssl x509 -in FILE -out root-ca-cert.pem`"
)


def holds_private_key(data: bytes) -> bool:
    """True when ``data`` contains a PEM private key block (``-----BEGIN ... PRIVATE KEY-----``)."""
    return _PRIVATE_KEY.search(data) is not None


def _refuse_private_key(data: bytes) -> None:
    if holds_private_key(data):
        raise _PrivateKeyInList(PRIVATE_KEY_MESSAGE)


@dataclass(frozen=True, slots=True)
class ParsedList:
    """A checked trust list.

    ``anchors`` are its certificates (trust anchors, or for an allowed list
    the end-entity certificates); ``hashes`` the base64 SHA-256 lines of an
    allowed list in hash form; ``oids`` the OIDs of an EKU configuration;
    ``not_ca`` the subjects of certificates in an anchors list that cannot
    issue (signers cannot chain to them).
    """

    role: str
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
        return hashlib.sha256(self.data).hexdigest()

    def expired(self, at: datetime) -> tuple[TrustAnchor, ...]:
        """Certificates whose validity ended before ``at``."""
        return tuple(anchor for anchor in self.anchors if anchor.not_after < at)

    def keys(self) -> frozenset[str]:
        """What identifies each entry, for comparing two versions of a list."""
        return frozenset((*(a.fingerprint for a in self.anchors), *self.hashes, *self.oids))


def _text_lines(data: bytes) -> list[str] | None:
    """Non-empty, non-comment lines of a text file, or ``None`` for binary or PEM data."""
    if _BEGIN_CERT in data or b"\x00" in data:
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


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _certificates(data: bytes) -> list[x509.Certificate]:
    begins, ends = data.count(_BEGIN_CERT), data.count(_END_CERT)
    if begins == 0:
        raise _InvalidList("no PEM certificate in it (is it a web page or an error message?)")
    if begins != ends:
        raise _InvalidList(
            f"truncated or damaged PEM: {begins} certificates begin but {ends} end (an incomplete download?)"
        )
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise _InvalidList(f"a certificate does not parse ({error})") from error
    if len(certificates) != begins:
        raise _InvalidList(f"only {len(certificates)} of {begins} certificates parse")
    return certificates


def classify(data: bytes) -> str:
    """Recognise a list by its content: ``anchors``, ``allowed`` or ``eku-config``.

    - lines of OIDs (with ``//`` or ``#`` comments): an EKU configuration (store.cfg);
    - lines of base64 SHA-256 hashes: an allowed list in hash form (allowed.sha256.txt);
    - PEM certificates, mostly CAs: a list of trust anchors;
    - PEM certificates, mostly end-entity: an allowed list (allowed.pem).

    Raises:
        ValueError: none of these, or the data holds a private key.
    """
    _refuse_private_key(data)
    lines = _text_lines(data)
    if lines is not None:
        if lines and all(_OID.match(line) for line in lines):
            return EKU_CONFIG
        if lines and all(_is_sha256_b64(line) for line in lines):
            return ALLOWED
        raise _InvalidList(
            "not a trust list: neither PEM certificates, nor EKU OIDs, nor base64 SHA-256 hashes"
        )
    certificates = _certificates(data)
    cas = sum(1 for certificate in certificates if _is_ca(certificate))
    return ANCHORS if cas * 2 > len(certificates) else ALLOWED


def parse_list(data: bytes, role: str, source: str) -> ParsedList:
    """Check that ``data`` is a usable list for ``role`` and parse it.

    - ``anchors``: a PEM bundle whose every certificate parses (a truncated
      final certificate is an error, not silently dropped) and at least one
      of which is a CA that a signer can chain to;
    - ``allowed``: end-entity certificates as PEM, or base64 SHA-256 lines;
    - ``eku-config``: OIDs one per line, ``//`` and ``#`` comments allowed.

    Data holding a PEM private key is refused, whatever else it holds.

    Raises:
        ValueError: the data is not such a list (the message says why).
    """
    _refuse_private_key(data)
    if role == EKU_CONFIG:
        lines = _text_lines(data)
        if lines is None:
            raise _InvalidList("not an EKU configuration (expected OIDs one per line)")
        bad = [line for line in lines if not _OID.match(line)]
        if bad:
            raise _InvalidList(f"not an EKU configuration: {bad[0][:60]!r} is not an OID")
        if not lines:
            raise _InvalidList("the EKU configuration lists no OID")
        return ParsedList(role, data, oids=tuple(dict.fromkeys(lines)))
    if role == ALLOWED:
        lines = _text_lines(data)
        if lines is not None:
            bad = [line for line in lines if not _is_sha256_b64(line)]
            if bad or not lines:
                raise _InvalidList("not an allowed list: expected PEM certificates or base64 SHA-256 lines")
            return ParsedList(role, data, hashes=tuple(dict.fromkeys(lines)))
        _certificates(data)
        return ParsedList(role, data, anchors=load_pem_anchors(data, source))
    if role != ANCHORS:  # pragma: no cover - programming error
        raise ValueError(f"unknown list role {role!r}")
    certificates = _certificates(data)
    not_ca = tuple(
        certificate.subject.rfc4514_string() for certificate in certificates if not _is_ca(certificate)
    )
    if len(not_ca) == len(certificates):
        raise _InvalidList(
            "no certificate in it is a CA (basicConstraints CA:TRUE), so no signer can chain to it"
        )
    return ParsedList(role, data, anchors=load_pem_anchors(data, source), not_ca=not_ca)


# ---------------------------------------------------------------------------
# Fetching
# ---------------------------------------------------------------------------


class _NoUnsafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) addresses (never to ftp: or file:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"refused redirect to {newurl}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def is_url(location: str) -> bool:
    """True for ``http:``, ``https:`` and ``file:`` addresses.

    Raises:
        UsageError: another scheme (``ftp://``...).
    """
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https", "file"):
        return True
    if "://" in location:
        raise UsageError(f"{location}: only https:, http: and file: addresses (or a file path) are supported")
    return False


def fetch(location: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_LIST_BYTES) -> bytes:
    """Return the bytes at ``location`` (a file path, or an https/http/file URL).

    Refuses a body larger than ``max_bytes`` and a body shorter than the
    server's announced Content-Length (a truncated download).

    Raises:
        TrustAnchorError: a local file that cannot be read (exit code 2).
        UsageError: an unsupported address scheme.
        TrustFetchError: the download failed: HTTP error, network error,
            timeout, truncation, too large (exit code 4).
    Side effects: network access for http(s) addresses.
    """
    if not is_url(location):
        path = Path(location)
        try:
            if path.stat().st_size > max_bytes:
                raise TrustAnchorError(f"{location}: larger than {max_bytes} bytes; not a trust list")
            return path.read_bytes()
        except OSError as error:
            raise TrustAnchorError(f"cannot read {location}: {error.strerror or error}") from error
    opener = urllib.request.build_opener(_NoUnsafeRedirects())
    request = urllib.request.Request(location, headers={"User-Agent": f"provenance/{__version__} (trust update)"})
    try:
        with opener.open(request, timeout=timeout) as response:
            chunks: list[bytes] = []
            received = 0
            while True:
                chunk = response.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
                if received > max_bytes:
                    raise TrustFetchError(f"{location}: the answer is larger than {max_bytes} bytes; not a trust list")
            announced = response.headers.get("Content-Length") if hasattr(response, "headers") else None
    except urllib.error.HTTPError as error:
        raise TrustFetchError(f"{location}: the server answered {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise TrustFetchError(f"{location}: no answer within {timeout:g} seconds") from error
        raise TrustFetchError(f"{location}: cannot connect ({reason})") from error
    except TimeoutError as error:
        raise TrustFetchError(f"{location}: the download stalled for more than {timeout:g} seconds") from error
    except (HTTPException, OSError) as error:
        raise TrustFetchError(f"{location}: the download broke off ({type(error).__name__}: {error})") from error
    data = b"".join(chunks)
    if announced is not None and announced.strip().isdigit() and int(announced) != len(data):
        raise TrustFetchError(f"{location}: truncated download ({len(data)} of {int(announced)} bytes)")
    return data


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(text: Any) -> datetime:
    if not isinstance(text, str):
        raise ValueError("missing time")
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


_ENTRY_KEYS: dict[str, type] = {
    "name": str, "kind": str, "role": str, "file": str, "source": str, "fetched_at": str, "sha256": str,
    "count": int,
}


@dataclass(frozen=True, slots=True)
class StoredList:
    """One entry of the store's index.

    ``fetched_at`` is when it was fetched (or pinned), UTC; ``sha256`` the hex
    digest of the file's exact bytes; ``count`` its number of entries.
    """

    name: str
    kind: str
    role: str
    file: str
    source: str
    fetched_at: datetime
    sha256: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "role": self.role, "file": self.file, "source": self.source,
            "fetched_at": _iso(self.fetched_at), "sha256": self.sha256, "count": self.count,
        }

    @classmethod
    def from_dict(cls, raw: Any, number: int = 1) -> StoredList:
        """One index entry, every key present and of its type.

        Raises:
            ValueError: a key is missing, of the wrong type or out of range
                (the message names entry ``number`` and the key).
        """
        where = f"entry {number}"
        if not isinstance(raw, dict):
            raise ValueError(f"{where} is not an object")
        missing = [key for key in _ENTRY_KEYS if key not in raw]
        if missing:
            raise ValueError(f"{where} has no {', '.join(repr(key) for key in missing)}")
        for key, expected in _ENTRY_KEYS.items():
            value = raw[key]
            if not isinstance(value, expected) or isinstance(value, bool):
                wanted = "an integer" if expected is int else "a string"
                raise ValueError(f"{where}: {key!r} is {type(value).__name__} {value!r:.40}, not {wanted}")
        where = f"entry {number} ({raw['name']!r:.70})"
        if not _NAME.match(raw["name"]):
            raise ValueError(f"{where}: not a valid list name")
        if raw["kind"] not in KINDS:
            raise ValueError(f"{where}: unknown kind {raw['kind']!r:.40}")
        if raw["role"] not in ROLES:
            raise ValueError(f"{where}: unknown role {raw['role']!r:.40}")
        if not _STORED_FILE.match(raw["file"]):
            raise ValueError(f"{where}: {raw['file']!r:.70} is not a trust store file name")
        if not _SHA256_HEX.match(raw["sha256"]):
            raise ValueError(f"{where}: 'sha256' is not 64 lower-case hex digits")
        if raw["count"] < 0:
            raise ValueError(f"{where}: negative 'count'")
        try:
            fetched_at = _parse_time(raw["fetched_at"])
        except (ValueError, OverflowError) as error:
            raise ValueError(f"{where}: 'fetched_at' is not an ISO 8601 date and time") from error
        return cls(name=raw["name"], kind=raw["kind"], role=raw["role"], file=raw["file"], source=raw["source"],
                   fetched_at=fetched_at, sha256=raw["sha256"], count=raw["count"])

    def age_days(self, at: datetime) -> int:
        return max(0, (at - self.fetched_at).days)


@dataclass(frozen=True, slots=True)
class Change:
    """What one update did to one list: entries added, removed, and expired in the new version."""

    name: str
    kind: str
    role: str
    source: str
    count: int
    digest: str
    previous_digest: str | None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    expired: tuple[str, ...] = ()
    not_ca: tuple[str, ...] = ()
    removed_list: bool = False

    @property
    def unchanged(self) -> bool:
        return self.previous_digest == self.digest

    @property
    def new(self) -> bool:
        return self.previous_digest is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "role": self.role, "source": self.source, "count": self.count,
            "sha256": self.digest, "previous_sha256": self.previous_digest, "unchanged": self.unchanged,
            "added": list(self.added), "removed": list(self.removed), "expired": list(self.expired),
            "not_ca": list(self.not_ca),
        }


@dataclass(frozen=True, slots=True)
class _Pending:
    name: str
    kind: str
    role: str
    source: str
    parsed: ParsedList


def _describe(parsed: ParsedList) -> dict[str, str]:
    """Entry key -> a readable label (subject for certificates)."""
    labels = {anchor.fingerprint: anchor.subject for anchor in parsed.anchors}
    labels.update({value: value for value in (*parsed.hashes, *parsed.oids)})
    return labels


def _extension(role: str, parsed: ParsedList) -> str:
    if role == EKU_CONFIG:
        return "cfg"
    if role == ALLOWED and parsed.hashes:
        return "txt"
    return "pem"


@dataclass
class TrustStore:
    """The trust store folder. Nothing is read or created until asked."""

    path: Path = field(default_factory=store_path)

    @property
    def index_path(self) -> Path:
        return self.path / INDEX_NAME

    # -- location ----------------------------------------------------------

    def _from_environment(self) -> bool:
        return bool(os.environ.get(ENV_VAR, "").strip()) and self.path == store_path()

    def _blocker(self) -> Path:
        """The store folder, or its nearest ancestor that exists."""
        blocker = self.path
        while not blocker.exists() and blocker.parent != blocker:
            blocker = blocker.parent
        return blocker

    def _not_a_folder(self) -> TrustStoreLocationError:
        blocker = self._blocker()
        what = "it is a file" if blocker == self.path else f"it cannot be created: {blocker} is a file"
        if self._from_environment():
            origin = f"set by ${ENV_VAR}"
            fix = f"Set {ENV_VAR} to a folder (created when first needed), or unset it to use the default location"
        else:
            origin = "the default location" if self.path == store_path() else "as given"
            fix = f"Move that file away, or set {ENV_VAR} to a folder to keep the store elsewhere"
        return TrustStoreLocationError(
            f"the trust store location {self.path} ({origin}) is not a folder: {what}. {fix}"
        )

    def check_location(self) -> None:
        """Check that the store is, or can become, a folder (nothing is created).

        Raises:
            TrustStoreLocationError: the location, or a folder on the way to it, is a file.
        """
        blocker = self._blocker()
        if blocker.exists() and not blocker.is_dir():
            raise self._not_a_folder()

    # -- reading -----------------------------------------------------------

    def _damaged(self, problem: str) -> TrustStoreError:
        return TrustStoreError(
            f"the trust store index {self.index_path} is damaged ({problem}); delete the folder "
            "and run `provenance trust update` (and `trust add` for your own roots) again"
        )

    def lists(self) -> tuple[StoredList, ...]:
        """The index's entries (empty when the store does not exist yet).

        Raises:
            TrustStoreLocationError: the location is a file, not a folder.
            TrustStoreError: the index exists but cannot be read, or is damaged
                (not JSON, or an entry with a missing or mistyped key).
        """
        self.check_location()
        try:
            raw = self.index_path.read_bytes()
        except FileNotFoundError:
            return ()
        except NotADirectoryError as error:
            raise self._not_a_folder() from error
        except OSError as error:
            raise TrustStoreError(f"cannot read the trust store index {self.index_path}: "
                                  f"{error.strerror or error}") from error
        try:
            document = json.loads(raw)
        except (ValueError, RecursionError) as error:
            raise self._damaged(f"not JSON: {error}") from error
        if not isinstance(document, dict) or document.get("schema") != INDEX_SCHEMA:
            raise self._damaged(f"not a {INDEX_SCHEMA} index")
        items = document.get("lists")
        if not isinstance(items, list):
            raise self._damaged("'lists' is not a list")
        try:
            entries = tuple(StoredList.from_dict(item, number) for number, item in enumerate(items, 1))
        except (ValueError, KeyError, TypeError, OverflowError) as error:
            problem = str(error) if isinstance(error, ValueError) else f"{type(error).__name__}: {error}"
            raise self._damaged(problem) from error
        names = [entry.name for entry in entries]
        duplicate = next((name for name in names if names.count(name) > 1), None)
        if duplicate is not None:
            raise self._damaged(f"two entries are named {duplicate!r}")
        return entries

    def get(self, name: str) -> StoredList | None:
        return next((entry for entry in self.lists() if entry.name == name), None)

    def pinned_elsewhere(self, item: _Pending) -> list[tuple[str, str]]:
        """(list name, subject) of each of ``item``'s anchors already pinned under another name.

        Lists that cannot be read are skipped (``trust show`` reports them).
        """
        wanted = {anchor.fingerprint: anchor.subject for anchor in item.parsed.anchors}
        found: list[tuple[str, str]] = []
        for entry in self.lists():
            if entry.kind != PINNED or entry.role != ANCHORS or entry.name == item.name:
                continue
            try:
                parsed = self.read(entry)
            except TrustStoreError:
                continue
            found.extend((entry.name, wanted[a.fingerprint]) for a in parsed.anchors if a.fingerprint in wanted)
        return found

    def read(self, entry: StoredList) -> ParsedList:
        """The parsed content of one stored list, after checking its digest.

        Raises:
            TrustStoreError: the file is missing, altered or unreadable.
        """
        file = self.path / entry.file
        try:
            data = file.read_bytes()
        except OSError as error:
            raise TrustStoreError(f"trust list {entry.name}: cannot read {file}: {error.strerror or error}") from error
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise TrustStoreError(
                f"trust list {entry.name}: {file} was changed after it was stored (its SHA-256 no longer "
                f"matches the index); it is not used. To store it again, run {refresh_command(entry)} "
                f"(or `provenance trust remove {entry.name}`)"
            )
        try:
            return parse_list(data, entry.role, f"trust store: {entry.name}")
        except _PrivateKeyInList as error:  # stored by an older version, which did not check
            raise TrustStoreError(
                f"trust list {entry.name}: {file} holds a private key; it is not used. Remove it with "
                f"`provenance trust remove {entry.name}` (which deletes the file) and add only the certificate: "
                f"{error}"
            ) from error
        except ValueError as error:  # pragma: no cover - checked when stored
            raise TrustStoreError(f"trust list {entry.name}: {error}") from error

    def trust_config(self) -> TrustConfig:
        """Everything in the store as a :class:`TrustConfig` for an audit.

        Anchors come from anchor lists (official, interim, pinned), the allowed
        list from ``interim-allowed``, the EKU OIDs from ``interim-eku``. Each
        list is a :class:`TrustSource` with its fetch date. A list whose file is
        missing or altered is left out with a warning, never trusted.
        """
        config = TrustConfig()
        warnings: list[str] = []
        for entry in self.lists():
            try:
                parsed = self.read(entry)
            except TrustStoreError as error:
                warnings.append(error.message)
                continue
            source = TrustSource(
                name=entry.name, location=entry.source, anchors=parsed.count, digest=entry.sha256,
                fetched_at=entry.fetched_at, kind=entry.kind, role=entry.role,
            )
            if entry.role == ANCHORS:
                part = TrustConfig(anchors=parsed.anchors, sources=(source,))
            elif entry.role == ALLOWED:
                entries = tuple(anchor.pem for anchor in parsed.anchors) + tuple(f"{h}\n" for h in parsed.hashes)
                part = TrustConfig(sources=(source,), allowed=entries)
            else:
                part = TrustConfig(sources=(source,), eku_oids=parsed.oids)
            config = config.merged(part)
        return config.merged(TrustConfig(warnings=tuple(warnings))) if warnings else config

    # -- writing -----------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.check_location()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"cannot create the trust store folder {self.path}: {error.strerror or error}") from error
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks; the index write stays atomic
            yield
            return
        try:
            handle = os.open(self.path / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise OutputError(f"cannot write in the trust store {self.path}: {error.strerror or error}") from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)

    def _lists_for_write(self) -> tuple[StoredList, ...]:
        try:
            return self.lists()
        except TrustStoreError:
            # A damaged index is replaced by the write; what it named is lost anyway.
            return ()

    def _commit(self, entries: Sequence[StoredList], previous: Sequence[StoredList]) -> None:
        document = {
            "schema": INDEX_SCHEMA,
            "note": "written by `provenance trust`; do not edit (files are checked against sha256)",
            "lists": [entry.to_dict() for entry in entries],
        }
        write_atomic(self.index_path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
        keep = {entry.file for entry in entries}
        for name in {entry.file for entry in previous} - keep:
            with contextlib.suppress(OSError):
                (self.path / name).unlink()
        with contextlib.suppress(OSError):
            for leftover in self.path.iterdir():
                if _STORED_FILE.match(leftover.name) and leftover.name not in keep:
                    leftover.unlink()

    def put(self, pending: Sequence[_Pending], *, at: datetime) -> list[Change]:
        """Store checked lists (replacing lists of the same names); return what changed.

        Raises:
            OutputError: the store cannot be written (nothing changes then).
        """
        at = at.astimezone(UTC)
        changes: list[Change] = []
        with self._locked():
            previous = self._lists_for_write()
            by_name = {entry.name: entry for entry in previous}
            entries = list(previous)
            for item in pending:
                parsed = item.parsed
                old_entry = by_name.get(item.name)
                old: ParsedList | None = None
                if old_entry is not None:
                    with contextlib.suppress(TrustStoreError):
                        old = self.read(old_entry)
                file = f"{item.name}.{parsed.digest[:16]}.{_extension(item.role, parsed)}"
                target = self.path / file
                if not (target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == parsed.digest):
                    write_atomic(target, parsed.data)
                entry = StoredList(item.name, item.kind, item.role, file, item.source, at, parsed.digest, parsed.count)
                entries = [e for e in entries if e.name != item.name] + [entry]
                by_name[item.name] = entry
                labels = _describe(parsed)
                old_labels = _describe(old) if old is not None else {}
                changes.append(Change(
                    name=item.name, kind=item.kind, role=item.role, source=item.source, count=parsed.count,
                    digest=parsed.digest, previous_digest=old_entry.sha256 if old_entry else None,
                    added=tuple(labels[k] for k in sorted(parsed.keys() - set(old_labels), key=lambda k: labels[k]))
                    if old_entry else (),
                    removed=tuple(old_labels[k] for k in sorted(set(old_labels) - parsed.keys(), key=lambda k: old_labels[k])),
                    expired=tuple(anchor.subject for anchor in parsed.expired(at)),
                    not_ca=parsed.not_ca,
                ))
            entries.sort(key=_order)
            self._commit(entries, previous)
        return changes

    def remove(self, name: str) -> StoredList:
        """Remove one list by name.

        Raises:
            UsageError: no list has that name.
            OutputError: the store cannot be written.
        """
        with self._locked():
            previous = self.lists()
            entry = next((e for e in previous if e.name == name), None)
            if entry is None:
                names = ", ".join(e.name for e in previous) or "none: the store is empty"
                raise UsageError(f"no trust list named {name!r} in the store (lists: {names})")
            self._commit([e for e in previous if e.name != name], previous)
        return entry


def refresh_command(entry: StoredList) -> str:
    """A command (in backquotes) that stores ``entry``'s list again from where it came."""
    if entry.kind == PINNED:
        return f"`provenance trust add {shlex.quote(entry.source)} --name {entry.name} --replace`"
    legacy = " --legacy" if entry.kind == LEGACY else ""
    spec = _FIXED_BY_NAME.get(entry.name)
    if spec is not None and entry.source == spec.url:
        return f"`provenance trust update{legacy}`"
    return f"`provenance trust update{legacy} --from {shlex.quote(entry.source)}`"


def _order(entry: StoredList) -> tuple[int, str]:
    fixed = [spec.name for spec in FIXED_LISTS]
    return (fixed.index(entry.name), "") if entry.name in fixed else (len(fixed), entry.name)


# ---------------------------------------------------------------------------
# High-level operations (used by the CLI)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Job:
    spec: ListSpec
    location: str


def _check(data: bytes, role: str, location: str, *, remote: bool) -> ParsedList:
    try:
        return parse_list(data, role, location)
    except ValueError as error:
        message = f"{location}: {error}"
        if remote:
            raise TrustFetchError(message + "; the trust store was not changed") from error
        raise TrustAnchorError(message) from error


def plan_update(
    sources: Sequence[str],
    *,
    legacy: bool,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[_Pending]:
    """Fetch and check every list an update needs, writing nothing.

    Without ``sources``: the official list from its published address, plus
    with ``legacy`` the interim anchors, allowed list and EKU configuration.
    With ``sources``: only those, each recognised by content (:func:`classify`):
    a CA bundle is the official list, or the interim anchors with ``legacy``;
    an end-entity bundle or hash list is the interim allowed list and an OID
    list the interim EKU configuration (both need ``legacy``).

    Raises:
        UsageError: a source is unreadable or not a trust list (local files),
            or two sources fill the same list, or an interim part without ``legacy``.
        TrustFetchError: a download failed or returned something else.
        Both for a source holding a private key (local: UsageError; downloaded: TrustFetchError).
    """
    if not sources:
        jobs = [_Job(spec, spec.url) for spec in FIXED_LISTS if spec.kind == OFFICIAL or legacy]
        fetched = [(job, fetch(job.location, timeout=timeout)) for job in jobs]
        return [
            _Pending(job.spec.name, job.spec.kind, job.spec.role, job.location,
                     _check(data, job.spec.role, job.location, remote=True))
            for job, data in fetched
        ]
    pending: list[_Pending] = []
    seen: dict[str, str] = {}
    for location in sources:
        remote = is_url(location)
        data = fetch(location, timeout=timeout)
        try:
            role = classify(data)
        except ValueError as error:
            message = f"{location}: {error}"
            if remote:
                raise TrustFetchError(message + "; the trust store was not changed") from error
            raise TrustAnchorError(message) from error
        if role == ANCHORS:
            spec = INTERIM_ANCHORS if legacy else OFFICIAL_LIST
        else:
            spec = INTERIM_ALLOWED if role == ALLOWED else INTERIM_EKU
            if not legacy:
                what = "an allowed list of end-entity certificates" if role == ALLOWED else "an EKU configuration"
                raise UsageError(f"{location} is {what}, a part of the interim (legacy) trust list: add --legacy")
        if spec.name in seen:
            raise UsageError(f"{seen[spec.name]} and {location} are both {spec.name}; give one of each")
        seen[spec.name] = location
        source = location if remote else str(Path(location).resolve())
        pending.append(_Pending(spec.name, spec.kind, spec.role, source, _check(data, spec.role, location, remote=remote)))
    return pending


def check_name(name: str) -> str:
    """Validate a pinned list's name.

    Raises:
        UsageError: not 1-63 lower-case letters, digits, ``.``, ``_`` or ``-``, or reserved.
    """
    if not _NAME.match(name):
        raise UsageError(f"{name!r} is not a valid name: use 1-63 lower-case letters, digits, '.', '_' or '-'")
    if name in _FIXED_BY_NAME:
        raise UsageError(f"{name!r} is reserved for a published trust list; choose another --name")
    return name


def default_name(path: Path) -> str:
    """A name for a pinned PEM file: its stem, lower-cased, other characters as ``-``."""
    stem = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._") or "pinned"
    return stem[:63]


def plan_pin(path: Path, name: str | None) -> _Pending:
    """Read and check a studio root to pin (every certificate must be a CA).

    Raises:
        TrustAnchorError: unreadable, not PEM, an end-entity certificate, or a
            file that holds a private key.
        UsageError: a bad or reserved name.
    """
    name = check_name(name if name is not None else default_name(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TrustAnchorError(f"cannot read {path}: {error.strerror or error}") from error
    if holds_private_key(data):
        raise TrustAnchorError(f"{path}: {PRIVATE_KEY_MESSAGE}")
    try:
        certificates = _certificates(data)
    except ValueError as error:
        raise TrustAnchorError(f"{path}: {error}") from error
    leaves = [c.subject.rfc4514_string() for c in certificates if not _is_ca(c)]
    if leaves:
        raise TrustAnchorError(
            f"{path}: {leaves[0]} is an end-entity certificate, not a CA: pin the root (or intermediate) "
            "CA that issued your signing certificate"
        )
    parsed = ParsedList(ANCHORS, data, anchors=load_pem_anchors(data, str(path)))
    return _Pending(name, PINNED, ANCHORS, str(path.resolve()), parsed)
