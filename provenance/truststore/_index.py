"""The records of the store's index: one :class:`StoredList` per list, and what an update changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .lists import LIST_NAME, Kind, ParsedList, Role

__all__ = ["INDEX_SCHEMA", "STORED_FILE", "Change", "ChangeWhy", "Pending", "StoredList", "utc"]

INDEX_SCHEMA = "provenance.trust-store/v1"
STORED_FILE = re.compile(r"^[a-z0-9][a-z0-9._-]*\.[0-9a-f]{16}\.(pem|txt|cfg)$")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_ENTRY_KEYS: dict[str, type] = {
    "name": str, "kind": str, "role": str, "file": str, "source": str, "fetched_at": str, "sha256": str,
    "count": int,
}


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC."""
    return moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return utc(moment).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(text: Any) -> datetime:
    if not isinstance(text, str):
        raise ValueError("missing time")
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return utc(moment)


def _check_types(raw: Any, where: str) -> None:
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


def _check_values(raw: dict[str, Any], where: str) -> None:
    if not LIST_NAME.match(raw["name"]):
        raise ValueError(f"{where}: not a valid list name")
    if raw["kind"] not in set(Kind):
        raise ValueError(f"{where}: unknown kind {raw['kind']!r:.40}")
    if raw["role"] not in set(Role):
        raise ValueError(f"{where}: unknown role {raw['role']!r:.40}")
    if not STORED_FILE.match(raw["file"]):
        raise ValueError(f"{where}: {raw['file']!r:.70} is not a trust store file name")
    if not _SHA256_HEX.match(raw["sha256"]):
        raise ValueError(f"{where}: 'sha256' is not 64 lower-case hex digits")
    if raw["count"] < 0:
        raise ValueError(f"{where}: negative 'count'")


@dataclass(frozen=True, slots=True)
class StoredList:
    """One entry of the store's index.

    ``fetched_at`` is when it was fetched (or pinned), UTC; ``sha256`` the hex
    digest of the file's exact bytes; ``count`` its number of entries.
    """

    name: str
    kind: Kind
    role: Role
    file: str
    source: str
    fetched_at: datetime
    sha256: str
    count: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "role", Role(self.role))

    def to_dict(self) -> dict[str, Any]:
        """The entry as it is written in ``index.json`` (kind and role as their strings)."""
        return {
            "name": self.name, "kind": self.kind.value, "role": self.role.value, "file": self.file,
            "source": self.source, "fetched_at": _iso(self.fetched_at), "sha256": self.sha256, "count": self.count,
        }

    @classmethod
    def from_dict(cls, raw: Any, number: int = 1) -> StoredList:
        """One index entry, every key present and of its type.

        Raises:
            ValueError: a key is missing, of the wrong type or out of range
                (the message names entry ``number`` and the key).
        """
        _check_types(raw, f"entry {number}")
        where = f"entry {number} ({raw['name']!r:.70})"
        _check_values(raw, where)
        try:
            fetched_at = _parse_time(raw["fetched_at"])
        except (ValueError, OverflowError) as error:
            raise ValueError(f"{where}: 'fetched_at' is not an ISO 8601 date and time") from error
        return cls(name=raw["name"], kind=Kind(raw["kind"]), role=Role(raw["role"]), file=raw["file"],
                   source=raw["source"], fetched_at=fetched_at, sha256=raw["sha256"], count=raw["count"])

    def age_days(self, at: datetime) -> int:
        """Whole days since the list was fetched (or pinned), never negative."""
        return max(0, (at - self.fetched_at).days)


@dataclass(frozen=True, slots=True)
class Pending:
    """A checked list waiting to be stored: its name, kind, role, where it came from, and its content.

    ``published`` is true for a list fetched from its own published address (``trust update``
    without ``--from``): such an update may drop entries, as its publisher decided.
    """

    name: str
    kind: Kind
    role: Role
    source: str
    parsed: ParsedList
    published: bool = False

    def __post_init__(self) -> None:
        # Kind and role may be given as their strings; they are stored as the enums.
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "role", Role(self.role))


class ChangeWhy(StrEnum):
    """Why a list changed the way it did (``why`` in ``trust update --format json``)."""

    NEW = "new"
    """The store had no list of this name."""
    PUBLISHED = "published"
    """Fetched from the list's published address: entries come and go as its publisher decided."""
    REPLACED = "replaced"
    """Given with ``--from`` and ``--replace``: the stored entries the file lacks were dropped."""
    UPDATED = "updated"
    """Given with ``--from``; nothing stored was dropped."""


@dataclass(frozen=True, slots=True)
class Change:
    """What one update did to one list: entries added, removed, and expired in the new version, and why."""

    name: str
    kind: Kind
    role: Role
    source: str
    count: int
    digest: str
    previous_digest: str | None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    expired: tuple[str, ...] = ()
    not_ca: tuple[str, ...] = ()
    removed_list: bool = False
    why: ChangeWhy = ChangeWhy.UPDATED

    @property
    def unchanged(self) -> bool:
        """True when the list's bytes are the same as before."""
        return self.previous_digest == self.digest

    @property
    def new(self) -> bool:
        """True when the store had no list of this name before."""
        return self.previous_digest is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``trust update --format json``)."""
        return {
            "name": self.name, "kind": self.kind.value, "role": self.role.value, "source": self.source,
            "count": self.count, "sha256": self.digest, "previous_sha256": self.previous_digest,
            "unchanged": self.unchanged, "added": list(self.added), "removed": list(self.removed),
            "expired": list(self.expired), "not_ca": list(self.not_ca), "why": self.why.value,
        }
