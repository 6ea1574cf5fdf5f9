"""Matching the delivered files to the certified subjects, by name and SHA-256 (see ``FileState``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..report import SkippedFile
from .hashing import sha256_of as _sha256_file
from .hashing import why_unreadable as _why_unreadable
from .naming import _distinct, _relative_name
from .results import FileResult, FileState


@dataclass(frozen=True, slots=True)
class _Given:
    """A delivered file: its certificate name (NFC), its name exactly as on disk, its path."""

    name: str
    raw: str
    path: Path


def _compare_files(
    given: Sequence[_Given], subjects: Mapping[str, str], undecodable: Sequence[_Given] = (),
) -> tuple[FileResult, ...]:
    """Match the delivered files to the certified subjects (see :class:`FileState`)."""
    results: list[FileResult] = []
    uncovered: list[tuple[str, str]] = []
    present: set[str] = set()
    groups: dict[str, list[_Given]] = {}
    for item in given:
        groups.setdefault(item.name, []).append(item)
    for name in sorted(groups):
        group = groups[name]
        if len(group) > 1:
            present.add(name)  # the subject is there (at least twice): not reported missing
            results.extend(_duplicates(name, group, subjects.get(name)))
            continue
        (item,) = group
        try:
            digest = _sha256_file(item.path)
        except OSError as error:
            results.append(FileResult(name, FileState.UNREADABLE, _why_unreadable(error),
                                      certified_sha256=subjects.get(name)))
            present.add(name)
            continue
        certified = subjects.get(name)
        if certified is None:
            uncovered.append((name, digest))
        elif certified == digest:
            results.append(FileResult(name, FileState.VERIFIED, "matches the certificate", digest, certified))
            present.add(name)
        else:
            results.append(FileResult(
                name, FileState.MODIFIED,
                f"modified: its content differs from the certified file (sha256 {digest[:12]}…, "
                f"certified {certified[:12]}…)", digest, certified))
            present.add(name)
    missing = {name: sha256 for name, sha256 in subjects.items() if name not in present}
    missing_by_digest: dict[str, list[str]] = {}
    for name in sorted(missing):
        missing_by_digest.setdefault(missing[name], []).append(name)
    verified_by_digest = {r.sha256: r.name for r in results if r.state is FileState.VERIFIED}
    for name, digest in uncovered:
        if missing_by_digest.get(digest):
            original = missing_by_digest[digest].pop(0)
            del missing[original]
            results.append(FileResult(
                name, FileState.RENAMED, f"renamed: this is the certified file {original} under another name",
                digest, digest, original))
        else:
            copy = verified_by_digest.get(digest)
            hint = f" (a copy of the certified {copy})" if copy else ""
            results.append(FileResult(name, FileState.NOT_CERTIFIED,
                                      f"not certified: the certificate does not cover this file{hint}", digest))
    certified_by_digest = {sha256: name for name, sha256 in sorted(subjects.items(), reverse=True)}
    for item in undecodable:
        try:
            digest = _sha256_file(item.path)
        except OSError as error:
            results.append(FileResult(item.raw, FileState.UNREADABLE, _why_unreadable(error)))
            continue
        same = certified_by_digest.get(digest)
        hint = f" (its bytes are those of the certified {same})" if same else ""
        results.append(FileResult(
            item.raw, FileState.NOT_CERTIFIED,
            f"not certified: its name is not valid UTF-8, so no certificate can name it{hint}", digest))
    for name in sorted(missing):
        results.append(FileResult(name, FileState.MISSING, "missing: certified, but not among the files given",
                                  certified_sha256=missing[name]))
    order = {state: index for index, state in enumerate(FileState)}
    return tuple(sorted(results, key=lambda r: (order[r.state], r.name)))


def _duplicates(name: str, group: Sequence[_Given], certified: str | None) -> list[FileResult]:
    """Files whose names differ on disk but are one name in a certificate: none of them can be verified."""
    results = []
    for item in sorted(group, key=lambda given: given.raw):
        others = " and ".join(_distinct(other.raw) for other in group if other is not item)
        try:
            digest: str | None = _sha256_file(item.path)
        except OSError:
            digest = None
        results.append(FileResult(
            item.raw, FileState.DUPLICATE_NAME,
            f"duplicate name: this file ({_distinct(item.raw)}) and {others} have the same name in a certificate, "
            f"'{name}' (names are compared in Unicode NFC), so the certificate cannot say which one it covers",
            digest, certified))
    return results



def _unlisted_folders(folders: Sequence[SkippedFile], base: Path) -> tuple[FileResult, ...]:
    """Folders of the delivery that could not be listed: files may hide there, so each one fails."""
    results = []
    for folder in folders:
        try:
            name = _relative_name(folder.path, base)
        except UsageError:
            name = folder.path
        results.append(FileResult(name, FileState.UNREADABLE, folder.why))
    return tuple(results)
