"""The trust store folder: where it is, its index, reading lists back, and writing them under a lock.

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
(atomically), then deletes the files the index no longer names. A crash before
the index is replaced leaves the previous store as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .._io import read_regular_file, write_atomic
from ..advice import Advice, AdviceCode
from ..errors import OutputError, TrustListUnusableError, TrustStoreError, TrustStoreLocationError, UsageError
from ..trust import TrustConfig, TrustSource
from ._index import INDEX_SCHEMA, STORED_FILE, Change, ChangeWhy, Pending, StoredList, utc
from .config import list_config
from .lists import FIXED_LISTS, Kind, ParsedList, PrivateKeyInList, Role, parse_list

__all__ = ["ENV_VAR", "INDEX_NAME", "MAX_INDEX_BYTES", "TrustStore", "store_path"]

ENV_VAR = "PROVENANCE_TRUST_STORE"
"""Environment variable naming the trust store folder (overrides the platform default)."""

INDEX_NAME = "index.json"
MAX_INDEX_BYTES = 4 * 1024 * 1024
"""An index larger than this (4 MiB) is damaged: a real one names a handful of lists."""
MAX_STORED_BYTES = 16 * 1024 * 1024
"""A stored list is at most as large as a fetched one (16 MiB)."""


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


def _extension(parsed: ParsedList) -> str:
    if parsed.role is Role.EKU_CONFIG:
        return "cfg"
    if parsed.role is Role.ALLOWED and parsed.hashes:
        return "txt"
    return "pem"


def _order(entry: StoredList) -> tuple[int, str]:
    fixed = [spec.name for spec in FIXED_LISTS]
    return (fixed.index(entry.name), "") if entry.name in fixed else (len(fixed), entry.name)


def _change(item: Pending, old_entry: StoredList | None, old: ParsedList | None, at: datetime) -> Change:
    parsed = item.parsed
    labels = parsed.labels()
    old_labels = old.labels() if old is not None else {}
    added = sorted(parsed.keys() - set(old_labels), key=lambda k: labels[k]) if old_entry else []
    removed = sorted(set(old_labels) - parsed.keys(), key=lambda k: old_labels[k])
    if old_entry is None:
        why = ChangeWhy.NEW
    elif item.published:
        why = ChangeWhy.PUBLISHED
    else:
        why = ChangeWhy.REPLACED if removed else ChangeWhy.UPDATED
    return Change(
        name=item.name, kind=item.kind, role=item.role, source=item.source, count=parsed.count,
        digest=parsed.digest, previous_digest=old_entry.sha256 if old_entry else None,
        added=tuple(labels[k] for k in added), removed=tuple(old_labels[k] for k in removed),
        expired=tuple(anchor.subject for anchor in parsed.expired(at)), not_ca=parsed.not_ca, why=why,
    )


@dataclass
class TrustStore:
    """The trust store folder. Nothing is read or created until asked."""

    path: Path = field(default_factory=store_path)

    @property
    def index_path(self) -> Path:
        """The index file (``index.json``)."""
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

    def _index_bytes(self) -> bytes | None:
        self.check_location()
        if not self.index_path.exists() and not self.index_path.is_symlink():
            return None
        return read_regular_file(self.index_path, "the trust store index", TrustStoreError,
                                 max_bytes=MAX_INDEX_BYTES)

    def lists(self) -> tuple[StoredList, ...]:
        """The index's entries (empty when the store does not exist yet).

        Raises:
            TrustStoreLocationError: the location is a file, not a folder.
            TrustStoreError: the index exists but cannot be read, or is damaged
                (not JSON, or an entry with a missing or mistyped key).
        """
        raw = self._index_bytes()
        if raw is None:
            return ()
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
        """The entry named ``name``, or ``None``.

        Raises:
            TrustStoreError: the index is damaged (see :meth:`lists`).
        """
        return next((entry for entry in self.lists() if entry.name == name), None)

    def pinned_elsewhere(self, item: Pending) -> list[tuple[str, str]]:
        """(list name, subject) of each of ``item``'s anchors already pinned under another name.

        Lists that cannot be read are skipped (``trust show`` reports them).
        """
        wanted = {anchor.fingerprint: anchor.subject for anchor in item.parsed.anchors}
        found: list[tuple[str, str]] = []
        for entry in self.lists():
            if entry.kind is not Kind.PINNED or entry.role is not Role.ANCHORS or entry.name == item.name:
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
            TrustStoreError: the file is missing, altered, not a regular file or unreadable.
        """
        file = self.path / entry.file
        data = read_regular_file(file, f"trust list {entry.name}'s file", TrustStoreError, max_bytes=MAX_STORED_BYTES)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise TrustListUnusableError(
                f"trust list {entry.name}: {file} was changed after it was stored (its SHA-256 no longer "
                f"matches the index); it is not used until it is stored again from {entry.source} (or removed)",
                Advice(AdviceCode.STORE_AGAIN, entry.name, entry.kind, entry.source),
            )
        try:
            return parse_list(data, entry.role, f"trust store: {entry.name}")
        except PrivateKeyInList as error:  # stored by an older version, which did not check
            raise TrustListUnusableError(
                f"trust list {entry.name}: {file} holds a private key; it is not used. Remove it (which "
                f"deletes the file) and add only the certificate: {error}",
                Advice(AdviceCode.REMOVE_LIST, entry.name, entry.kind, entry.source),
            ) from error
        except ValueError as error:  # pragma: no cover - checked when stored
            raise TrustStoreError(f"trust list {entry.name}: {error}") from error

    def trust_config(self) -> TrustConfig:
        """Everything in the store as a :class:`TrustConfig` for an audit.

        Each list brings what its kind and role say (:func:`~.config.list_config`):
        signer anchors and the C2PA signer EKUs from the official list and pinned
        roots, signer anchors from the interim anchors, EKUs from ``interim-eku``,
        the allowed list from ``interim-allowed``, timestamp-authority anchors
        (never signer anchors) from the TSA list. Each list is a
        :class:`TrustSource` with its fetch date. A list whose file is missing or
        altered is left out with a warning (and, when storing it again or
        removing it would help, an :class:`~provenance.advice.Advice`), never trusted.
        """
        config = TrustConfig()
        for entry in self.lists():
            try:
                parsed = self.read(entry)
            except TrustListUnusableError as error:
                config = config.merged(TrustConfig(warnings=(error.message,), advice=(error.advice,)))
                continue
            except TrustStoreError as error:
                config = config.merged(TrustConfig(warnings=(error.message,)))
                continue
            source = TrustSource(
                name=entry.name, location=entry.source, anchors=parsed.count, digest=entry.sha256,
                fetched_at=entry.fetched_at, kind=entry.kind, role=entry.role,
            )
            config = config.merged(list_config(parsed, source, entry.kind))
        return config

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
                if STORED_FILE.match(leftover.name) and leftover.name not in keep:
                    leftover.unlink()

    def _write_file(self, parsed: ParsedList, name: str) -> str:
        file = f"{name}.{parsed.digest[:16]}.{_extension(parsed)}"
        target = self.path / file
        with contextlib.suppress(TrustStoreError):
            if hashlib.sha256(read_regular_file(target, "a stored list", TrustStoreError,
                                                max_bytes=MAX_STORED_BYTES)).hexdigest() == parsed.digest:
                return file
        write_atomic(target, parsed.data)
        return file

    def put(self, pending: Sequence[Pending], *, at: datetime) -> list[Change]:
        """Store checked lists (replacing lists of the same names); return what changed.

        Raises:
            OutputError: the store cannot be written (nothing changes then).
        """
        at = utc(at)
        changes: list[Change] = []
        with self._locked():
            previous = self._lists_for_write()
            by_name = {entry.name: entry for entry in previous}
            entries = list(previous)
            for item in pending:
                old_entry = by_name.get(item.name)
                old: ParsedList | None = None
                if old_entry is not None:
                    with contextlib.suppress(TrustStoreError):
                        old = self.read(old_entry)
                file = self._write_file(item.parsed, item.name)
                entry = StoredList(item.name, item.kind, item.role, file, item.source, at,
                                   item.parsed.digest, item.parsed.count)
                entries = [e for e in entries if e.name != item.name] + [entry]
                by_name[item.name] = entry
                changes.append(_change(item, old_entry, old, at))
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

