"""What verification found: the checks of the certificate, each file's state, the re-audit.

Frozen data with its JSON form (``provenance.verify-report/v1``); the text for
people is rendered by the command line (``provenance/_cli/render_certificate.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import CertificateError
from ..report import AuditReport, SkippedFile
from ..verdict import Reason, Status
from ._text import _json_safe, _printable

__all__ = ["VERIFY_SCHEMA", "Check", "CheckStatus", "FileResult", "FileState", "Reaudit", "VerdictChange",
           "VerificationResult"]

VERIFY_SCHEMA = "provenance.verify-report/v1"
"""Identifier and version of :meth:`VerificationResult.to_dict`'s JSON form."""


class CheckStatus(StrEnum):
    """The outcome of one check of the certificate itself."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not run: an earlier check failed, so the data it would read cannot be trusted."""


@dataclass(frozen=True, slots=True)
class Check:
    """One check of the certificate, in the order run.

    ``name`` is one of ``envelope``, ``payload_type``, ``key_id``,
    ``signature``, ``statement_type``, ``predicate_type``, ``subjects``,
    ``predicate``; ``message`` says in plain words what was found; ``code`` is
    a stable identifier of the failure (``signature.invalid``...,
    ``docs/certificate.md``), ``None`` unless failed.
    """

    name: str
    status: CheckStatus
    message: str
    code: str | None = None

    @property
    def ok(self) -> bool:
        """True when the check passed."""
        return self.status is CheckStatus.PASSED


class FileState(StrEnum):
    """What verification found for one delivered or certified file."""

    VERIFIED = "verified"
    """Named in the certificate, and its bytes have the certified digest."""
    MODIFIED = "modified"
    """Named in the certificate, but its bytes differ."""
    RENAMED = "renamed"
    """Not named in the certificate, but its bytes are those of a certified file that is missing."""
    DUPLICATE_NAME = "duplicate_name"
    """Given, but another file given has the same certificate name: their names differ only
    in Unicode normalisation (NFC), so the certificate cannot tell which one it covers."""
    NOT_CERTIFIED = "not_certified"
    """Given, but not covered by the certificate (a name that is not valid UTF-8 included)."""
    MISSING = "missing"
    """Certified, but not among the files given."""
    NOT_GIVEN = "not_given"
    """Certified, and not among the files given, with ``partial``: only some files of the
    delivery were given on purpose, so this is not a failure (nothing was checked either)."""
    UNREADABLE = "unreadable"
    """Given, but could not be read: an I/O error, or not a regular file (a pipe, a device...).
    Also a folder of the delivery that could not be listed."""


@dataclass(frozen=True, slots=True)
class FileResult:
    """The outcome for one file, by ``name`` (relative to the delivery root).

    ``sha256`` is the digest of the file given (``None`` for a missing or
    unreadable one); ``certified_sha256`` the digest the certificate records
    for that name (or, for a renamed file, for ``certified_name``).
    """

    name: str
    state: FileState
    message: str
    sha256: str | None = None
    certified_sha256: str | None = None
    certified_name: str | None = None

    @property
    def ok(self) -> bool:
        """True when this file does not fail verification: verified, or not given with ``partial``."""
        return self.state in (FileState.VERIFIED, FileState.NOT_GIVEN)


@dataclass(frozen=True, slots=True)
class VerdictChange:
    """An image whose verdict today differs from the certified one (``--reaudit``)."""

    name: str
    certified_status: str
    status: Status
    reasons: tuple[Reason, ...]
    message: str


@dataclass(frozen=True, slots=True)
class Reaudit:
    """The result of re-auditing the verified files under the certificate's own policy.

    ``changes`` lists images whose status changed since certification (a
    signer certificate that expired, a newer reader); ``anchors_note`` says when
    the trust anchors given differ from those recorded; ``error`` is set when
    the re-audit could not run (then ``report`` is ``None``).
    """

    changes: tuple[VerdictChange, ...]
    anchors_differ: bool
    anchors_note: str | None
    report: AuditReport | None = field(default=None, compare=False, repr=False)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when it ran and no verdict changed."""
        return self.error is None and not self.changes


NOTHING_CHECKED = "no certified file was given (--partial): at least one must be given and verify"
"""The failure when ``partial`` verification was given none of the certified files."""


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """Everything :func:`verify_certificate` found. Frozen.

    ``checks`` are the checks of the certificate itself, in order;
    ``files`` the outcome per file (empty when the certificate could not be
    trusted, so files were not compared); ``skipped`` what the walk left out
    (links to folders, broken links, the certificate file, files a recorded ignore glob
    matches), each with the reason; ``reaudit`` the re-audit when
    asked, kept apart from integrity. ``statement`` is the verified Statement
    (``None`` unless the signature verified).
    """

    key_id: str
    root: str
    checks: tuple[Check, ...]
    files: tuple[FileResult, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    reaudit: Reaudit | None = None
    statement: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def files_in(self, state: FileState) -> tuple[FileResult, ...]:
        """The files found in ``state``, in report order."""
        return tuple(result for result in self.files if result.state is state)

    @property
    def verified(self) -> tuple[FileResult, ...]:
        """Files whose name and digest match the certificate."""
        return self.files_in(FileState.VERIFIED)

    @property
    def modified(self) -> tuple[FileResult, ...]:
        """Certified names whose bytes differ."""
        return self.files_in(FileState.MODIFIED)

    @property
    def renamed(self) -> tuple[FileResult, ...]:
        """Certified files found under another name."""
        return self.files_in(FileState.RENAMED)

    @property
    def duplicate_names(self) -> tuple[FileResult, ...]:
        """Files given whose names are one name in a certificate (they differ only in Unicode normalisation)."""
        return self.files_in(FileState.DUPLICATE_NAME)

    @property
    def not_certified(self) -> tuple[FileResult, ...]:
        """Files given that the certificate does not cover."""
        return self.files_in(FileState.NOT_CERTIFIED)

    @property
    def missing(self) -> tuple[FileResult, ...]:
        """Certified files that were not given."""
        return self.files_in(FileState.MISSING)

    @property
    def not_given(self) -> tuple[FileResult, ...]:
        """Certified files not given, with ``partial`` (not failures)."""
        return self.files_in(FileState.NOT_GIVEN)

    @property
    def unreadable(self) -> tuple[FileResult, ...]:
        """Files given that could not be read."""
        return self.files_in(FileState.UNREADABLE)

    @property
    def certificate_ok(self) -> bool:
        """True when every check of the certificate itself passed."""
        return all(check.ok for check in self.checks)

    @property
    def nothing_checked(self) -> bool:
        """True when the certificate verified but, with ``partial``, no file given was certified: every
        certified file is ``not_given`` and nothing verified (a failure: at least one file must verify)."""
        return self.certificate_ok and bool(self.not_given) and not self.verified

    @property
    def integrity_ok(self) -> bool:
        """True when the certificate verified and every file matches it (nothing missing or extra; with
        ``partial``, at least one file verified and every certified file not given is ``not_given``)."""
        return (self.certificate_ok and all(result.ok for result in self.files)
                and bool(self.verified or not self.not_given))

    @property
    def ok(self) -> bool:
        """True when integrity holds and, if a re-audit ran, no verdict changed."""
        return self.integrity_ok and (self.reaudit is None or self.reaudit.ok)

    def failures(self) -> tuple[str, ...]:
        """Every failure, one plain sentence each: checks first, then files, then the re-audit.

        Each is one line of printable text: control characters and undecodable bytes in file
        names (or in anything the certificate says) are escaped, as in :meth:`to_text`.
        """
        lines = [f"{check.name.replace('_', ' ')}: {check.message}" for check in self.checks
                 if check.status is CheckStatus.FAILED]
        lines += [f"{result.name}: {result.message}" for result in self.files if not result.ok]
        if self.nothing_checked:
            lines.append(NOTHING_CHECKED)
        if self.reaudit is not None:
            if self.reaudit.error:
                lines.append(f"re-audit: {self.reaudit.error}")
            lines += [f"{change.name}: {change.message}" for change in self.reaudit.changes]
        return tuple(_printable(line) for line in lines)

    def raise_for_status(self) -> VerificationResult:
        """Return ``self`` when everything verified; raise otherwise.

        Raises:
            CertificateError: some check, file or re-audit failed; the message
                lists the first failures and ``error.result`` is this result.
        """
        if not self.ok:
            failures = self.failures()
            more = f" (+{len(failures) - 5} more)" if len(failures) > 5 else ""
            raise CertificateError("certificate verification failed: " + "; ".join(failures[:5]) + more, self)
        return self

    @property
    def predicate(self) -> Mapping[str, Any]:
        """The verified Statement's predicate (empty unless the signature verified)."""
        if self.statement is None:
            return {}
        predicate = self.statement.get("predicate")
        return predicate if isinstance(predicate, Mapping) else {}

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data in the ``provenance.verify-report/v1`` schema.

        Names are exact (JSON escapes control characters itself), except undecodable
        bytes of a file name, which become ``\\xNN`` text so the JSON is valid UTF-8.
        """
        predicate = self.predicate
        policy = predicate.get("policy") if isinstance(predicate.get("policy"), Mapping) else {}
        out: dict[str, Any] = {
            "schema": VERIFY_SCHEMA,
            "ok": self.ok,
            "integrity_ok": self.integrity_ok,
            "key_id": self.key_id,
            "root": self.root,
            "certificate": {
                "predicate_type": self.statement.get("predicateType") if self.statement else None,
                "evaluated_at": predicate.get("evaluatedAt"),
                "policy": {k: policy.get(k) for k in ("id", "version", "sha256")} if policy else None,
            },
            "checks": [{"name": c.name, "status": c.status.value, "message": c.message, "code": c.code}
                       for c in self.checks],
            "summary": {state.value: len(self.files_in(state)) for state in FileState},
            "files": [
                {k: v for k, v in {
                    "name": r.name, "state": r.state.value, "message": r.message, "sha256": r.sha256,
                    "certified_sha256": r.certified_sha256, "certified_name": r.certified_name,
                }.items() if v is not None}
                for r in self.files
            ],
            "skipped": [{"path": s.path, "why": s.why} for s in self.skipped],
            "reaudit": None,
        }
        if self.reaudit is not None:
            out["reaudit"] = {
                "ok": self.reaudit.ok,
                "error": self.reaudit.error,
                "anchors_differ": self.reaudit.anchors_differ,
                "anchors_note": self.reaudit.anchors_note,
                "changes": [
                    {"name": c.name, "certified_status": c.certified_status, "status": c.status.value,
                     "reasons": [r.value for r in c.reasons], "message": c.message}
                    for c in self.reaudit.changes
                ],
            }
        safe: dict[str, Any] = _json_safe(out)
        return safe

    def to_json(self) -> str:
        """The result as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """Plain words for people: each check, each file, the re-audit, then the conclusion.

        Every line is printable text: control characters, line separators and undecodable
        bytes in file names (and in anything the certificate says) are shown as escapes
        (``\\n``, ``\\xNN``...), so a file name cannot forge a line. The rendering lives
        with the command line (:func:`provenance._cli.render_certificate.verification_text`).
        """
        from .._cli.render_certificate import verification_text

        return verification_text(self)


class _Checks:
    """Accumulates checks in order."""

    def __init__(self) -> None:
        self.items: list[Check] = []

    def passed(self, name: str, message: str) -> None:
        self.items.append(Check(name, CheckStatus.PASSED, message))

    def failed(self, name: str, code: str, message: str) -> None:
        self.items.append(Check(name, CheckStatus.FAILED, message, code))

    def skipped(self, names: Iterable[str], why: str) -> None:
        for name in names:
            self.items.append(Check(name, CheckStatus.SKIPPED, f"not checked ({why})"))

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.items)
