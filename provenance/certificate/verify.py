"""Verifying a certificate against the delivered files and the studio's pinned public key."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._io import read_regular_file
from ..errors import UsageError
from ..keys import PublicKey
from ..report import SkippedFile
from ..trust import TrustConfig
from .checks import _check_envelope, _check_statement
from .compare import compare_files, unlisted_folders
from .envelope import MAX_CERTIFICATE_BYTES
from .globs import first_match
from .naming import delivery_root
from .reaudit import _reaudit
from .results import Check, CheckStatus, FileResult, Reaudit, VerificationResult, _Checks
from .walk import DeliveredFile, Delivery, looks_like_image, walk_delivery

__all__ = ["verify_certificate"]


def verify_certificate(
    certificate: bytes | str | os.PathLike[str],
    paths: str | Path | Iterable[str | Path],
    *,
    key: PublicKey,
    root: str | Path | None = None,
    reaudit: bool = False,
    trust: TrustConfig | None = None,
    at: datetime | None = None,
    partial: bool = False,
) -> VerificationResult:
    """Check a certificate against the delivered files and the studio's pinned public key.

    Checks, in order: the envelope parses; its payload type; a signature under
    the pinned key's id; that signature over the DSSE PAE with the pinned key;
    the Statement type; the predicate type; the subjects (well formed, no
    duplicate names); the predicate (policy recorded and matching its digest,
    ``evaluatedAt`` an RFC 3339 UTC time no later than ``at`` plus five minutes,
    each subject exactly once: a compliant image or a file covered by digest).
    When all pass, every file under ``paths`` (folders walked recursively,
    whatever the files' formats; links to folders not followed) is matched to a
    subject by name (relative to the delivery root, Unicode NFC) and SHA-256,
    except the certificate file itself and files that are not images matched by
    an ignore glob the certificate records (an image, by extension or content, is
    always checked; one covered by ``files[]``, never audited, is not certified). Modified, renamed, not certified, missing and
    unreadable files are failures, and so are two files whose names are one
    name in NFC (``duplicate_name``), a file whose name is not valid UTF-8 (not
    certified), a pipe or device (unreadable: only regular files are opened, so
    nothing blocks) and a folder that cannot be listed.

    A hostile certificate is a failed check, never an exception: over
    :data:`MAX_CERTIFICATE_BYTES` (checked before parsing), a payload over
    :data:`MAX_PAYLOAD_BYTES`, more than :data:`MAX_SIGNATURES` signatures,
    JSON nested too deeply, a number too long, ``NaN``/``Infinity`` or a
    repeated key.

    Args:
        certificate: the certificate: its bytes (or text), or the path of the
            certificate file (``os.PathLike``), read here (regular files only, at most
            one byte past :data:`MAX_CERTIFICATE_BYTES`) and left out of the delivery.
            A ``str`` is the certificate's text, never a path.
        paths: the delivered files and folders; one path may be given alone.
        key: the studio's public key, obtained out of band. Nothing in the
            envelope chooses the key.
        root: the delivery root; required unless ``paths`` is one folder.
        reaudit: also audit the verified images again under the policy the
            certificate records, and report verdicts that changed.
        trust: trust anchors for the re-audit (required with ``reaudit``).
        at: the verifier's clock for the ``evaluatedAt`` check and the re-audit's
            evaluation time, timezone-aware (``None``: now).
        partial: only some files of the delivery are given: certified files not
            among them are ``not_given`` (not failures) instead of ``missing``.
    Returns:
        A :class:`VerificationResult` (``result.ok``; ``result.raise_for_status()``).
    Raises:
        TypeError: an argument of the wrong type (the message names the type expected).
        UsageError: a path does not exist or lies outside the root, the root
            is ambiguous, the certificate file cannot be read, ``at`` is naive, or
            ``reaudit`` without trust anchors ("no trust anchors: cannot re-audit").
            A bad certificate is a failed result, not an exception, and so is a bad file name.
    Side effects: reads and hashes the regular files; no network.
    """
    paths = _paths(paths)
    _check_types(key, trust, at)
    if reaudit and (trust is None or not (trust.anchors or trust.allowed)):
        raise UsageError("no trust anchors: cannot re-audit (give the trust anchors the certificate was made with)")
    now = (at or datetime.now(UTC)).astimezone(UTC)
    data, certificate_file = _certificate_bytes(certificate)
    base = delivery_root(paths, root)
    delivery = walk_delivery(paths, base)

    checks = _Checks()
    envelope = _check_envelope(data, key, checks)
    statement: dict[str, Any] | None = None
    files: tuple[FileResult, ...] = ()
    skipped = delivery.skipped
    redo: Reaudit | None = None
    if envelope is not None:
        statement, subjects = _check_statement(envelope, checks, now)
        if statement is not None and subjects is not None and (checks.ok or _only_key_id_failed(checks.items)):
            checked, left_out = _left_out(delivery, statement["predicate"].get("ignore", []), certificate_file)
            skipped += left_out
            unaudited = {unicodedata.normalize("NFC", entry["name"]) for entry in statement["predicate"].get("files", [])}
            files = (compare_files(checked, subjects, partial=partial, unaudited=unaudited)
                     + unlisted_folders(delivery.unreadable, base))
            if reaudit and checks.ok and trust is not None:
                by_name = {item.name: item.path for item in checked if item.name is not None}
                redo = _reaudit(statement, files, by_name, trust, at)
    return VerificationResult(key_id=key.key_id, root=str(base), checks=tuple(checks.items), files=files,
                              skipped=skipped, reaudit=redo, statement=statement)


def _paths(paths: object) -> list[str | Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]  # one path, not its characters
    if isinstance(paths, (bytes, bytearray)) or not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a path (str or Path) or a sequence of paths, not {type(paths).__name__}")
    given = list(paths)
    for path in given:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"each of paths must be a str or Path, not {type(path).__name__}")
    return [Path(path) for path in given]


def _check_types(key: object, trust: object, at: object) -> None:
    if not isinstance(key, PublicKey):
        raise TypeError(f"key must be a provenance.PublicKey (the studio's public key), not {type(key).__name__}")
    if trust is not None and not isinstance(trust, TrustConfig):
        raise TypeError(f"trust must be a provenance.TrustConfig, not {type(trust).__name__}")
    if at is not None and not isinstance(at, datetime):
        raise TypeError(f"at must be a datetime, not {type(at).__name__}")
    if isinstance(at, datetime) and at.tzinfo is None:
        raise UsageError("the verification time must be timezone-aware (e.g. datetime.now(UTC))")


def _certificate_bytes(certificate: object) -> tuple[bytes | str, Path | None]:
    """The certificate's content, and its file when a path was given (so the walk leaves it out)."""
    if isinstance(certificate, (bytes, str)):
        return certificate, None
    if isinstance(certificate, os.PathLike):
        path = Path(certificate)
        # One byte past the limit, so that an oversized certificate is a failed check, not an error.
        return read_regular_file(path, "the certificate", UsageError, max_bytes=MAX_CERTIFICATE_BYTES + 1,
                                 truncate=True), path
    raise TypeError(f"certificate must be bytes, str (its text) or a Path to its file, not {type(certificate).__name__}")


def _left_out(
    delivery: Delivery, ignore: Sequence[str], certificate_file: Path | None,
) -> tuple[list[DeliveredFile], tuple[SkippedFile, ...]]:
    """The files to check, and those left out: the certificate file, files its ignore globs match."""
    checked: list[DeliveredFile] = []
    left_out: list[SkippedFile] = []
    for item in delivery.files:
        if certificate_file is not None and _same_file(item.path, certificate_file):
            left_out.append(SkippedFile(str(item.path), "the certificate itself"))
            continue
        pattern = first_match(ignore, item.name) if item.name is not None else None
        if pattern is not None and not looks_like_image(item.path):  # an image is never ignored: it is checked
            left_out.append(SkippedFile(str(item.path), f"ignored: matches the certificate's ignore glob '{pattern}'"))
        else:
            checked.append(item)
    return checked, tuple(left_out)


def _same_file(path: Path, other: Path) -> bool:
    if os.path.abspath(path) == os.path.abspath(other):
        return True
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def _only_key_id_failed(items: Sequence[Check]) -> bool:
    """The signature verified with the pinned key but the key id is wrong: the content is authentic."""
    failed = [check.name for check in items if check.status is CheckStatus.FAILED]
    return failed == ["key_id"]
