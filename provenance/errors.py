"""The exception tree of `provenance`.

Exceptions mean "could not run as asked"; a policy rejection is a verdict,
not an exception. Every error carries a stable ``code`` and a message a
person can act on.

    ProvenanceError
    ├── UsageError                 a bad argument: missing path, bad option value (exit 2)
    │   ├── PolicyError            a policy file that cannot be loaded (names key and problem)
    │   ├── TrustAnchorError       a PEM file that is unreadable or holds no usable certificate
    │   │   └── TrustListShrinkError  `trust update --from` would drop stored anchors (no --replace)
    │   ├── InvalidKeyError        a key that cannot be used (unreadable, wrong half, bad passphrase)
    │   └── StudioIdentityError    the studio's C2PA signer (X.509) is missing, damaged or outside the profile
    ├── OutputError                a result could not be written (exit 4)
    ├── StampError                 a stamped copy could not be signed (exit 4)
    ├── TrustStoreError            the trust store cannot be read or written (exit 4)
    │   ├── TrustStoreLocationError  its location is not a folder
    │   └── TrustListUnusableError   a stored list was altered or holds a private key (not used)
    ├── TrustFetchError            a trust list could not be downloaded or is not a list (exit 4)
    ├── CertificateError           a compliance certificate that does not verify
    ├── NonCompliant               raised by ``AuditReport.raise_for_status()``
    └── NotRegularFileError        a pipe, device, socket or folder where a file was expected (also an OSError)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .advice import Advice

__all__ = [
    "CertificateError",
    "InvalidKeyError",
    "NonCompliant",
    "NotRegularFileError",
    "OutputError",
    "PolicyError",
    "ProvenanceError",
    "StampError",
    "StudioIdentityError",
    "TrustAnchorError",
    "TrustFetchError",
    "TrustListShrinkError",
    "TrustListUnusableError",
    "TrustStoreError",
    "TrustStoreLocationError",
    "UsageError",
]


class ProvenanceError(Exception):
    """Base class of every error `provenance` raises on purpose.

    ``code`` is a stable dotted identifier for scripts (``policy.invalid``...).
    """

    code = "provenance.error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def diagnostics(self) -> str:
        """Return the message with its code, for logs."""
        return f"{self.message} [{self.code}]"


class UsageError(ProvenanceError):
    """The call cannot run as asked (bad path, bad option); CLI exit code 2."""

    code = "usage.invalid"


class PolicyError(UsageError):
    """A policy file cannot be loaded; the message names the key and the problem."""

    code = "policy.invalid"


class TrustAnchorError(UsageError):
    """A trust anchor file is unreadable or holds no certificate."""

    code = "trust.anchors_invalid"


class StudioIdentityError(UsageError):
    """The studio's C2PA signing identity cannot be used or written as asked: a missing
    or unreadable file, a wrong passphrase, a key that does not match its certificate,
    a signer outside the C2PA certificate profile (expired, no EKU...)."""

    code = "signer.invalid"


class StampError(ProvenanceError):
    """A stamped copy could not be made: c2pa-rs refused to sign, the time-stamp
    authority did not answer, or an image changed between the audit and the stamping
    (CLI exit code 4). Nothing is written to the output folder."""

    code = "stamp.failed"


class OutputError(ProvenanceError):
    """An output file could not be written (CLI exit code 4)."""

    code = "output.failed"


class NonCompliant(ProvenanceError):
    """Raised by :meth:`provenance.report.AuditReport.raise_for_status` when any
    image is not compliant. ``report`` is the report that failed."""

    code = "audit.not_compliant"

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class InvalidKeyError(UsageError):
    """A key cannot be used: unreadable, malformed, encrypted without (or with a
    wrong) passphrase, an unsupported algorithm, or the wrong half of the pair."""

    code = "key.invalid"


class TrustStoreError(ProvenanceError):
    """The trust store cannot be read or written as asked (CLI exit code 4)."""

    code = "trust.store_failed"


class TrustStoreLocationError(TrustStoreError):
    """The trust store location is not a folder (a file is there, or on the way to it); exit code 4."""

    code = "trust.store_not_a_folder"


class TrustListUnusableError(TrustStoreError):
    """A stored list is not used: its file no longer matches the index's SHA-256, or it holds a private key.

    ``advice`` is the :class:`~provenance.advice.Advice` that fixes it (store it again, or remove it).
    """

    code = "trust.list_unusable"

    def __init__(self, message: str, advice: Advice) -> None:
        super().__init__(message)
        self.advice = advice


class TrustListShrinkError(TrustAnchorError):
    """``trust update --from`` would drop anchors (or entries) a stored list has; nothing is written (exit 2).

    ``list_name`` is the list concerned, ``dropped`` the labels of what would go, ``advice`` what to do
    instead (pin the bundle beside the list); ``--replace`` allows the drop.
    """

    code = "trust.update_would_drop"

    def __init__(self, message: str, list_name: str, dropped: tuple[str, ...], advice: Advice) -> None:
        super().__init__(message)
        self.list_name = list_name
        self.dropped = dropped
        self.advice = advice


class TrustFetchError(ProvenanceError):
    """A trust list could not be downloaded, or what came back is not a trust list (exit code 4).

    The store is left as it was.
    """

    code = "trust.fetch_failed"


class CertificateError(ProvenanceError):
    """A compliance certificate that does not verify (or cannot be parsed).

    Raised by :meth:`VerificationResult.raise_for_status` (``result`` is the
    :class:`~provenance.certificate.VerificationResult`) and by :meth:`Certificate.from_json`.
    """

    code = "certificate.invalid"

    def __init__(self, message: str, result: object | None = None, *, code: str | None = None) -> None:
        super().__init__(message)
        self.result = result
        if code is not None:
            self.code = code  # the failed check's code (``certificate.not_json``...), for parse errors


class NotRegularFileError(ProvenanceError, OSError):
    """A path that is a pipe, device, socket or folder where a regular file was expected.

    Reading it could block or never end, so it is refused before it is opened
    (:func:`provenance._io.sha256_file`). Also an :class:`OSError`, so code that
    handles "cannot be read" handles it too; ``message`` says what the path is.
    """

    code = "file.not_regular"
