"""Matching the delivered files to the certified subjects, by name and SHA-256 (see ``FileState``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from ..errors import UsageError
from ..report import SkippedFile
from .hashing import sha256_of as _sha256_file
from .hashing import why_unreadable as _why_unreadable
from .naming import _distinct, _relative_name
from .results import FileResult, FileState
from .walk import DeliveredFile, looks_like_image


def compare_files(
    files: Sequence[DeliveredFile], subjects: Mapping[str, str], *, partial: bool = False,
    unaudited: Collection[str] = (),
) -> tuple[FileResult, ...]:
    """Match the delivered files to the certified subjects (see :class:`FileState`).

    ``files`` are every file found (names not valid UTF-8 included, ``name`` ``None``),
    already without the certificate file and the ignored ones. A subject no file
    matches is ``missing``, or ``not_given`` when ``partial`` (only some files were given).
    ``unaudited`` names the subjects of ``predicate.files[]`` (covered by digest, never audited):
    one whose delivered file is an image (:func:`~provenance.certificate.walk.looks_like_image`)
    is ``not_certified``, since no verdict was ever given on it (``certify`` never lists an image there).
    """
    results: list[FileResult] = []
    uncovered: list[tuple[str, str]] = []
    present: set[str] = set()
    groups: dict[str, list[DeliveredFile]] = {}
    for item in files:
        if item.name is not None:
            groups.setdefault(item.name, []).append(item)
    for name in sorted(groups):
        group = groups[name]
        present.add(name)  # the subject is there (for a duplicate, at least twice): not reported missing
        if len(group) > 1:
            results.extend(_duplicates(name, group, subjects.get(name)))
            continue
        result, digest = _one_file(name, group[0], subjects.get(name))
        if result is not None and result.state is FileState.VERIFIED and name in unaudited \
                and looks_like_image(group[0].path):
            result = FileResult(name, FileState.NOT_CERTIFIED, "not certified: an image, but the certificate "
                                "covers it by digest only (files[], not audited): no verdict was given on it",
                                result.sha256, result.certified_sha256)
        if result is None:
            present.discard(name)
            uncovered.append((name, digest))
        else:
            results.append(result)
    missing = {name: sha256 for name, sha256 in subjects.items() if name not in present}
    results += _uncovered(uncovered, missing, results)
    results += _undecodable([item for item in files if item.name is None], subjects)
    for name in sorted(missing):
        results.append(FileResult(name, FileState.NOT_GIVEN, "not given: certified, but not among the files given "
                                  "(--partial)", certified_sha256=missing[name]) if partial else
                       FileResult(name, FileState.MISSING, "missing: certified, but not among the files given",
                                  certified_sha256=missing[name]))
    order = {state: index for index, state in enumerate(FileState)}
    return tuple(sorted(results, key=lambda r: (order[r.state], r.name)))


def _one_file(name: str, item: DeliveredFile, certified: str | None) -> tuple[FileResult | None, str]:
    """A file whose name no other file shares, and its digest: verified, modified or unreadable;
    no result when no subject has its name (the caller looks for it under another name)."""
    try:
        digest = _sha256_file(item.path)
    except OSError as error:
        return FileResult(name, FileState.UNREADABLE, _why_unreadable(error), certified_sha256=certified), ""
    if certified is None:
        return None, digest
    if certified == digest:
        return FileResult(name, FileState.VERIFIED, "matches the certificate", digest, certified), digest
    return FileResult(name, FileState.MODIFIED, f"modified: its content differs from the certified file "
                      f"(sha256 {digest[:12]}…, certified {certified[:12]}…)", digest, certified), digest


def _uncovered(
    uncovered: Sequence[tuple[str, str]], missing: dict[str, str], found: Sequence[FileResult],
) -> list[FileResult]:
    """Files no subject names: a certified file that is missing under another name (renamed), else not certified.

    Removes from ``missing`` each subject found renamed.
    """
    missing_by_digest: dict[str, list[str]] = {}
    for name in sorted(missing):
        missing_by_digest.setdefault(missing[name], []).append(name)
    verified_by_digest = {r.sha256: r.name for r in found if r.state is FileState.VERIFIED}
    results = []
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
    return results


def _undecodable(files: Sequence[DeliveredFile], subjects: Mapping[str, str]) -> list[FileResult]:
    """Files whose names are not valid UTF-8: no certificate can name them, so each is not certified."""
    certified_by_digest = {sha256: name for name, sha256 in sorted(subjects.items(), reverse=True)}
    results = []
    for item in files:
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
    return results


def _duplicates(name: str, group: Sequence[DeliveredFile], certified: str | None) -> list[FileResult]:
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


def unlisted_folders(folders: Sequence[SkippedFile], base: Path) -> tuple[FileResult, ...]:
    """Folders of the delivery that could not be listed: files may hide there, so each one fails."""
    results = []
    for folder in folders:
        try:
            name = _relative_name(folder.path, base)
        except UsageError:
            name = folder.path
        results.append(FileResult(name, FileState.UNREADABLE, folder.why))
    return tuple(results)
