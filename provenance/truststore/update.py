"""Planning a change to the store: which lists an update fetches, and which root a pin adds.

Everything here checks before anything is written: :func:`plan_update` and :func:`plan_pin`
return :class:`Pending` lists, and :meth:`TrustStore.put` stores them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .._io import read_regular_file
from .._pem import PRIVATE_KEY_MESSAGE, PemError, holds_private_key, is_ca, load_certificates, subject_of
from ..errors import TrustAnchorError, TrustFetchError, UsageError
from ..trust import load_pem_anchors
from ._index import Pending
from .fetch import DEFAULT_TIMEOUT, fetch, is_url
from .lists import (
    FIXED_LISTS,
    INTERIM_ALLOWED,
    INTERIM_ANCHORS,
    INTERIM_EKU,
    LIST_NAME,
    OFFICIAL_LIST,
    Kind,
    ListSpec,
    ParsedList,
    Role,
    classify,
    fixed_list,
    parse_list,
)
from .store import TrustStore

__all__ = ["MAX_PIN_BYTES", "DuplicatePin", "check_name", "check_pin", "default_name", "plan_pin", "plan_update"]

MAX_PIN_BYTES = 16 * 1024 * 1024
"""A root to pin is read only when it is at most this large (16 MiB, as a fetched list)."""


def _refused(location: str, error: ValueError, *, remote: bool) -> Exception:
    message = f"{location}: {error}"
    if remote:
        return TrustFetchError(message + "; the trust store was not changed")
    return TrustAnchorError(message)


def _check(data: bytes, role: Role, location: str, *, remote: bool) -> ParsedList:
    try:
        return parse_list(data, role, location)
    except ValueError as error:
        raise _refused(location, error, remote=remote) from error


def _published(legacy: bool, timeout: float) -> list[Pending]:
    specs = [spec for spec in FIXED_LISTS if spec.kind is Kind.OFFICIAL or legacy]
    fetched = [(spec, fetch(spec.url, timeout=timeout)) for spec in specs]
    return [Pending(spec.name, spec.kind, spec.role, spec.url, _check(data, spec.role, spec.url, remote=True))
            for spec, data in fetched]


def _spec_for(role: Role, location: str, *, legacy: bool) -> ListSpec:
    if role is Role.ANCHORS:
        return INTERIM_ANCHORS if legacy else OFFICIAL_LIST
    if not legacy:
        what = "an allowed list of end-entity certificates" if role is Role.ALLOWED else "an EKU configuration"
        raise UsageError(f"{location} is {what}, a part of the interim (legacy) trust list: add --legacy")
    return INTERIM_ALLOWED if role is Role.ALLOWED else INTERIM_EKU


def plan_update(
    sources: Sequence[str],
    *,
    legacy: bool,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Pending]:
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
        return _published(legacy, timeout)
    pending: list[Pending] = []
    seen: dict[str, str] = {}
    for location in sources:
        remote = is_url(location)
        data = fetch(location, timeout=timeout)
        try:
            role = classify(data)
        except ValueError as error:
            raise _refused(location, error, remote=remote) from error
        spec = _spec_for(role, location, legacy=legacy)
        if spec.name in seen:
            raise UsageError(f"{seen[spec.name]} and {location} are both {spec.name}; give one of each")
        seen[spec.name] = location
        source = location if remote else str(Path(location).resolve())
        pending.append(Pending(spec.name, spec.kind, spec.role, source,
                               _check(data, spec.role, location, remote=remote)))
    return pending


def check_name(name: str) -> str:
    """Validate a pinned list's name.

    Raises:
        UsageError: not 1-63 lower-case letters, digits, ``.``, ``_`` or ``-``, or reserved.
    """
    if not LIST_NAME.match(name):
        raise UsageError(f"{name!r} is not a valid name: use 1-63 lower-case letters, digits, '.', '_' or '-'")
    if fixed_list(name) is not None:
        raise UsageError(f"{name!r} is reserved for a published trust list; choose another --name")
    return name


def default_name(path: Path) -> str:
    """A name for a pinned PEM file: its stem, lower-cased, other characters as ``-``."""
    stem = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._") or "pinned"
    return stem[:63]


def plan_pin(path: Path, name: str | None) -> Pending:
    """Read and check a studio root to pin (every certificate must be a CA).

    Raises:
        TrustAnchorError: unreadable, not a regular file, not PEM, an end-entity
            certificate, or a file that holds a private key.
        UsageError: a bad or reserved name.
    """
    name = check_name(name if name is not None else default_name(path))
    data = read_regular_file(path, "the root to pin", TrustAnchorError, max_bytes=MAX_PIN_BYTES)
    if holds_private_key(data):
        raise TrustAnchorError(f"{path}: {PRIVATE_KEY_MESSAGE}")
    try:
        certificates = load_certificates(data)
    except PemError as error:
        raise TrustAnchorError(f"{path}: {error}") from error
    leaves = [subject_of(c) for c in certificates if not is_ca(c)]
    if leaves:
        raise TrustAnchorError(
            f"{path}: {leaves[0]} is an end-entity certificate, not a CA: pin the root (or intermediate) "
            "CA that issued your signing certificate"
        )
    parsed = ParsedList(Role.ANCHORS, data, anchors=load_pem_anchors(data, str(path)))
    return Pending(name, Kind.PINNED, Role.ANCHORS, str(path.resolve()), parsed)


@dataclass(frozen=True, slots=True)
class DuplicatePin:
    """An anchor of a new pin that is already pinned under another name (a warning, not an error)."""

    subject: str
    other: str
    """The name of the list that already pins it."""


def check_pin(store: TrustStore, pending: Pending, *, replace: bool) -> tuple[DuplicatePin, ...]:
    """The rules a pin must follow before it is stored; returns the anchors already pinned elsewhere.

    Raises:
        UsageError: a list of that name is in the store and ``replace`` is false, or that
            name belongs to a list that is not a pinned root.
        TrustStoreError: the store's index is damaged.
    """
    existing = store.get(pending.name)
    if existing is not None and not replace:
        raise UsageError(
            f"a list named {pending.name!r} is already in the store ({existing.kind}); "
            "choose another --name, or --replace it"
        )
    if existing is not None and existing.kind is not Kind.PINNED:
        raise UsageError(f"{pending.name!r} is a {existing.kind} list; choose another --name")
    return tuple(DuplicatePin(subject, other) for other, subject in store.pinned_elsewhere(pending))
