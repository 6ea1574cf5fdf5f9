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
from .._pem import (
    BEGIN_CERTIFICATE,
    PRIVATE_KEY_MESSAGE,
    PemError,
    holds_private_key,
    is_ca,
    load_certificates,
    pem_labels,
    subject_of,
)
from ..advice import Advice, AdviceCode
from ..errors import TrustAnchorError, TrustFetchError, TrustListShrinkError, TrustStoreError, UsageError
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
    TSA_LIST,
    Kind,
    ListSpec,
    ParsedList,
    Role,
    classify,
    fixed_list,
    parse_list,
)
from .store import TrustStore

__all__ = [
    "MAX_PIN_BYTES", "DuplicatePin", "check_name", "check_pin", "check_update", "default_name", "plan_pin",
    "plan_update",
]

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
    specs = [spec for spec in FIXED_LISTS if spec.kind is not Kind.LEGACY or legacy]
    fetched = [(spec, fetch(spec.url, timeout=timeout)) for spec in specs]
    return [Pending(spec.name, spec.kind, spec.role, spec.url, _check(data, spec.role, spec.url, remote=True),
                    published=True)
            for spec, data in fetched]


def _spec_for(role: Role, location: str, *, legacy: bool, tsa: bool) -> ListSpec:
    if role is Role.ANCHORS:
        return TSA_LIST if tsa else INTERIM_ANCHORS if legacy else OFFICIAL_LIST
    if tsa:
        what = "an allowed list of end-entity certificates" if role is Role.ALLOWED else "an EKU configuration"
        raise UsageError(f"{location} is {what}; --tsa takes a PEM bundle of timestamp-authority CA certificates")
    if not legacy:
        what = "an allowed list of end-entity certificates" if role is Role.ALLOWED else "an EKU configuration"
        raise UsageError(f"{location} is {what}, a part of the interim (legacy) trust list: add --legacy")
    return INTERIM_ALLOWED if role is Role.ALLOWED else INTERIM_EKU


def plan_update(
    sources: Sequence[str],
    *,
    legacy: bool,
    tsa: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Pending]:
    """Fetch and check every list an update needs, writing nothing.

    Without ``sources``: the official list and the timestamp-authority list from
    their published addresses, plus with ``legacy`` the interim anchors, allowed
    list and EKU configuration (each marked ``published``).
    With ``sources``: only those, each recognised by content (:func:`classify`):
    a CA bundle is the official list, the interim anchors with ``legacy``, or the
    timestamp-authority list with ``tsa``; an end-entity bundle or hash list is
    the interim allowed list and an OID list the interim EKU configuration (both
    need ``legacy``). :func:`check_update` then says whether storing them may
    drop stored entries.

    Raises:
        UsageError: a source is unreadable or not a trust list (local files),
            or two sources fill the same list, or an interim part without ``legacy``,
            or ``legacy`` and ``tsa`` together, or ``tsa`` without sources.
        TrustFetchError: a download failed or returned something else.
        Both for a source holding a private key (local: UsageError; downloaded: TrustFetchError).
    """
    if legacy and tsa:
        raise UsageError("--legacy and --tsa name different lists: give one (in two commands)")
    if not sources:
        if tsa:
            raise UsageError("--tsa applies with --from: `trust update` always fetches the timestamp-authority list")
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
        spec = _spec_for(role, location, legacy=legacy, tsa=tsa)
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
    if "PUBLIC KEY" in pem_labels(data) and BEGIN_CERTIFICATE not in data:
        raise TrustAnchorError(
            f"{path} is a public key, not a CA certificate: a `provenance keygen` key signs compliance "
            "certificates (clients pin it with `provenance verify --key`), it does not issue the C2PA signing "
            "certificates that `trust add` is for. Pin the root (or intermediate) CA certificate that issued "
            "your C2PA signing certificate"
        )
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


def _dropped(store: TrustStore, item: Pending) -> tuple[str, ...]:
    existing = store.get(item.name)
    if existing is None:
        return ()
    try:
        old = store.read(existing)
    except TrustStoreError:
        return ()  # an altered or unreadable list is not in use: replacing it drops nothing that counts
    labels = old.labels()
    return tuple(sorted(labels[key] for key in old.keys() - item.parsed.keys()))


def check_update(store: TrustStore, pending: Sequence[Pending], *, replace: bool) -> None:
    """The rule an update from files follows: it never silently drops what a stored list holds.

    A list given with ``--from`` that lacks anchors (or entries) the stored list of the same name
    has is refused unless ``replace``. A list fetched from its own published address (``published``)
    may drop entries: its publisher decided, and the summary says which.

    Raises:
        TrustListShrinkError: (exit 2) a list would drop stored entries and ``replace`` is false;
            its ``advice`` is to pin the bundle beside the list instead.
        TrustStoreError: the store's index is damaged.
    """
    if replace:
        return
    for item in pending:
        if item.published:
            continue
        dropped = _dropped(store, item)
        if dropped:
            shown = "; ".join(dropped[:3]) + (f"; (+{len(dropped) - 3} more)" if len(dropped) > 3 else "")
            raise TrustListShrinkError(
                f"{item.source} would replace the {item.kind} list {item.name} and drop {len(dropped)} of its "
                f"entries ({shown}); nothing was changed",
                item.name, dropped, Advice(AdviceCode.PIN_INSTEAD, item.name, item.kind, item.source),
            )
