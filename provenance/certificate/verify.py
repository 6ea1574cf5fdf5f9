"""Verifying a certificate against the delivered files and the studio's pinned public key."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ..audit import collect_inputs
from ..keys import PublicKey
from ..trust import TrustConfig
from .checks import _check_envelope, _check_statement, _Checks
from .compare import _compare_files, _Given, _unlisted_folders
from .naming import _is_unicode, _relative_name, delivery_root
from .reaudit import _reaudit
from .results import Check, CheckStatus, FileResult, Reaudit, VerificationResult

__all__ = ["verify_certificate"]


def verify_certificate(
    certificate: bytes | str,
    paths: Sequence[str | Path],
    *,
    key: PublicKey,
    root: str | Path | None = None,
    reaudit: bool = False,
    trust: TrustConfig | None = None,
    at: datetime | None = None,
) -> VerificationResult:
    """Check a certificate against the delivered files and the studio's pinned public key.

    Checks, in order: the envelope parses; its payload type; a signature under
    the pinned key's id; that signature over the DSSE PAE with the pinned key;
    the Statement type; the predicate type; the subjects (well formed, no
    duplicate names); the predicate (policy recorded and matching its digest,
    a compliant verdict per subject). When all pass, each file is matched to a
    subject by name (relative to the delivery root, Unicode NFC) and SHA-256:
    modified, renamed, not certified, missing and unreadable files are
    failures, and so are two files whose names are one name in NFC
    (``duplicate_name``), a file whose name is not valid UTF-8 (not certified),
    a pipe or device (unreadable: only regular files are opened, so nothing
    blocks) and a folder that cannot be listed.

    A hostile certificate is a failed check, never an exception: over
    :data:`MAX_CERTIFICATE_BYTES` (checked before parsing), a payload over
    :data:`MAX_PAYLOAD_BYTES`, more than :data:`MAX_SIGNATURES` signatures,
    JSON nested too deeply, a number too long, ``NaN``/``Infinity`` or a
    repeated key.

    Args:
        certificate: the certificate file's bytes (or text). The caller reads the file
            (and should refuse a pipe or device, and a file over :data:`MAX_CERTIFICATE_BYTES`).
        paths: the delivered files and folders (folders walked as by ``audit``).
        key: the studio's public key, obtained out of band. Nothing in the
            envelope chooses the key.
        root: the delivery root; required unless ``paths`` is one folder.
        reaudit: also audit the verified files again under the policy the
            certificate records, and report verdicts that changed.
        trust: trust anchors for the re-audit.
        at: the re-audit's evaluation time (``None``: now).
    Returns:
        A :class:`VerificationResult` (``result.ok``; ``result.raise_for_status()``).
    Raises:
        UsageError: a path does not exist or lies outside the root, or the root
            is ambiguous. A bad certificate is a failed result, not an exception,
            and so is a bad file name.
    Side effects: reads and hashes the regular files; no network.
    """
    inputs = collect_inputs(paths)
    base = delivery_root(paths, root)
    given: list[_Given] = []
    undecodable: list[_Given] = []
    seen: set[str] = set()
    for path in inputs.images:
        raw = _relative_name(path, base)
        absolute = os.path.abspath(path)
        if absolute in seen:
            continue  # the same file named twice (a folder and a file in it): one file
        seen.add(absolute)
        if _is_unicode(raw):
            given.append(_Given(unicodedata.normalize("NFC", raw), raw, path))
        else:
            undecodable.append(_Given(raw, raw, path))

    checks = _Checks()
    envelope = _check_envelope(certificate, key, checks)
    statement: dict[str, Any] | None = None
    files: tuple[FileResult, ...] = ()
    redo: Reaudit | None = None
    if envelope is not None:
        statement, subjects = _check_statement(envelope, checks)
        if subjects is not None and (checks.ok or _only_key_id_failed(checks.items)):
            files = _compare_files(given, subjects, undecodable) + _unlisted_folders(inputs.unreadable, base)
            if reaudit and checks.ok:
                by_name = {item.name: item.path for item in given}
                redo = _reaudit(statement or {}, files, by_name, trust or TrustConfig(), at)
    return VerificationResult(key_id=key.key_id, root=str(base), checks=tuple(checks.items), files=files,
                              skipped=inputs.skipped, reaudit=redo, statement=statement)


def _only_key_id_failed(items: Sequence[Check]) -> bool:
    """The signature verified with the pinned key but the key id is wrong: the content is authentic."""
    failed = [check.name for check in items if check.status is CheckStatus.FAILED]
    return failed == ["key_id"]
