"""Signed certificates of compliance for a delivery, and their verification.

A certificate is an **in-toto Statement v1** inside a **DSSE envelope**
(``payloadType`` ``application/vnd.in-toto+json``), signed with the studio's
Ed25519 or ECDSA P-256 key (:mod:`provenance.keys`). The Statement lists every
delivered image as a subject (name relative to the delivery root, SHA-256 of
its exact bytes); the predicate (``urn:provenance:compliance-certificate:v1``,
``docs/certificate.md``) records the policy, the trust anchors, the tool
versions, the evaluation time and each image's verdict and findings.

Studio side, from a finished audit::

    import provenance
    from provenance.keys import SigningKey

    report = provenance.audit(["delivery/"], trust=trust, at=now)
    certificate = provenance.issue_certificate(report, SigningKey.load("provenance.key"), root="delivery/")
    Path("delivery.cert.json").write_text(certificate.to_json())

Client side, offline, with the studio's pinned public key::

    from provenance.keys import PublicKey

    result = provenance.verify_certificate(Path("delivery.cert.json").read_bytes(), ["delivery/"],
                                           key=PublicKey.load("studio.pub"))
    print(result.to_text())
    result.raise_for_status()   # raises provenance.CertificateError unless everything verified

Nothing inside the envelope is trusted before its signature verifies with the
pinned key: the key comes only from the caller, and the envelope's key id must
equal that key's id. A hostile certificate costs bounded time and memory
(:data:`MAX_CERTIFICATE_BYTES`, :data:`MAX_PAYLOAD_BYTES`, :data:`MAX_SIGNATURES`)
and is reported as a failed check, never raised.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from .audit import Inputs, audit_files, collect_inputs
from .errors import CertificateError, PolicyError, UsageError
from .keys import PublicKey, SigningKey
from .policy import Policy, default_policy, load_policy, parse_policy
from .report import AuditReport, SkippedFile, display_path, image_to_dict
from .trust import TrustConfig
from .verdict import Reason, Status

__all__ = [
    "MAX_CERTIFICATE_BYTES",
    "MAX_PAYLOAD_BYTES",
    "MAX_SIGNATURES",
    "PAYLOAD_TYPE",
    "PREDICATE_TYPE",
    "STATEMENT_TYPE",
    "VERIFY_SCHEMA",
    "Certificate",
    "CertificateError",
    "Check",
    "CheckStatus",
    "EnvelopeSignature",
    "FileResult",
    "FileState",
    "Reaudit",
    "VerdictChange",
    "VerificationResult",
    "build_statement",
    "delivery_root",
    "issue_certificate",
    "serialize_statement",
    "subject_name",
    "verify_certificate",
]

PAYLOAD_TYPE = "application/vnd.in-toto+json"
"""The DSSE payload type of an in-toto Statement."""
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
"""The in-toto Statement version this module writes and accepts."""
PREDICATE_TYPE = "urn:provenance:compliance-certificate:v1"
"""The predicate type `provenance` defines (``docs/certificate.md``); ``v1`` is its major version."""
VERIFY_SCHEMA = "provenance.verify-report/v1"
"""Identifier and version of :meth:`VerificationResult.to_dict`'s JSON form."""

MAX_CERTIFICATE_BYTES = 256 * 1024 * 1024
"""The largest certificate accepted (256 MiB), checked before parsing (``certificate.too_large``).

A certificate of 1,000 images is about 3.3 MiB, so this allows deliveries of
tens of thousands of images while bounding the memory a hostile file can take."""
MAX_PAYLOAD_BYTES = 160 * 1024 * 1024
"""The largest payload accepted (160 MiB, decoded), checked before parsing it (``envelope.payload_too_large``).

Its base64 form fits in :data:`MAX_CERTIFICATE_BYTES`; :func:`issue_certificate`
refuses to sign a larger payload, so every certificate it issues can be verified."""
MAX_SIGNATURES = 16
"""The most signatures an envelope may carry (``envelope.too_many_signatures``).

DSSE allows several signatures; a verifier checks each that names the pinned
key's id, so an unbounded list would let a hostile file cost unbounded time."""

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")




# --------------------------------------------------------------------------------------
# Delivery root and subject names
# --------------------------------------------------------------------------------------


def delivery_root(paths: Sequence[str | Path], root: str | Path | None = None) -> Path:
    """The folder subject names are relative to.

    The folder itself when exactly one folder is given; otherwise ``root`` is
    required (and every path must lie under it, see :func:`subject_name`).

    Raises:
        UsageError: ``root`` is not a folder, or it is needed and missing.
    """
    if root is not None:
        base = Path(root)
        if not base.is_dir():
            raise UsageError(f"the delivery root {root} is not a folder")
        return base
    if len(paths) == 1 and Path(paths[0]).is_dir():
        return Path(paths[0])
    raise UsageError(
        "the delivery root is ambiguous: give one folder, or name the folder every path lies under (--root DIR)"
    )


def subject_name(path: str | Path, root: str | Path) -> str:
    """The name of ``path`` in a certificate: relative to ``root``, POSIX separators, Unicode NFC.

    Symbolic links are not resolved (a delivery is judged by the paths given).

    Raises:
        UsageError: ``path`` does not lie under ``root``, or its name is not valid UTF-8.
    """
    name = _relative_name(path, root)
    if not _is_unicode(name):
        raise UsageError(
            f"the file name '{display_path(name)}' is not valid UTF-8: a certificate names files in UTF-8, "
            "so rename it before certifying"
        )
    return unicodedata.normalize("NFC", name)


def _relative_name(path: str | Path, root: str | Path) -> str:
    """``path`` relative to ``root`` with POSIX separators, exactly as on disk (not normalised).

    Raises:
        UsageError: ``path`` does not lie under ``root``, or is ``root`` itself.
    """
    absolute, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        raise UsageError(f"{path} is not under the delivery root {root}") from None
    if not relative.parts:
        raise UsageError(f"{path} is the delivery root itself, not a file in it")
    return "/".join(relative.parts)


def _is_unicode(text: str) -> bool:
    """Whether ``text`` is valid Unicode (no lone surrogate: an undecodable file name, or a JSON ``\\udXXX``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _distinct(name: str) -> str:
    """``name`` with every non-ASCII character as ``\\uXXXX``, so names that look alike can be told apart."""
    return "".join(ch if " " <= ch <= "~" else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
                   for ch in name)


# --------------------------------------------------------------------------------------
# Issuing
# --------------------------------------------------------------------------------------


def _camel(key: str) -> str:
    head, *rest = re.split(r"[_\-]", key)
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _camel_keys(data: Mapping[str, Any]) -> dict[str, Any]:
    return {_camel(key): value for key, value in data.items()}


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _image_entry(image_dict: dict[str, Any], name: str) -> dict[str, Any]:
    """One image of the predicate: the report's image fields, ``path`` replaced by ``name``, in lowerCamelCase."""
    data = {key: value for key, value in image_dict.items() if key != "path"}
    entry = {"name": name, **_camel_keys(data)}
    entry["findings"] = [_camel_keys(finding) for finding in data.get("findings", [])]
    return entry


def _policy_for(report: AuditReport, policy: Policy | None) -> Policy:
    if policy is None:
        policy = default_policy()
        if policy.sha256 != report.policy.sha256:
            try:
                policy = load_policy(report.policy.source)
            except PolicyError:
                pass
    if policy.sha256 != report.policy.sha256:
        raise UsageError(
            f"the policy given is not the one the report was made with ({report.policy.id} "
            f"{report.policy.version}, sha256 {report.policy.sha256[:12]}…): pass that Policy"
        )
    return policy


def build_statement(report: AuditReport, *, root: str | Path, policy: Policy) -> dict[str, Any]:
    """The in-toto Statement for a report (JSON-ready data; see ``docs/certificate.md``).

    Subjects and predicate images are sorted by name; every image of the
    report becomes a subject, whatever its status (:func:`issue_certificate`
    refuses reports that are not all compliant).

    Raises:
        UsageError: an image lies outside ``root``, two images have the same
            name, an image has no digest, or ``policy`` is not the report's.
    """
    if policy.sha256 != report.policy.sha256:
        raise UsageError("the policy given is not the one the report was made with")
    entries: dict[str, dict[str, Any]] = {}
    raw_names: dict[str, str] = {}
    for image in report.images:
        name = subject_name(image.path, root)
        if image.sha256 is None:
            raise UsageError(f"{image.path} has no digest (it could not be read)")
        if name in entries:
            first, second = sorted((raw_names[name], _relative_name(image.path, root)))
            if first == second:
                raise UsageError(f"the image {display_path(name)} is listed twice")
            raise UsageError(
                f"two images have the same name in a certificate, '{display_path(name)}': "
                f"{_distinct(first)} and {_distinct(second)} differ only in Unicode normalisation "
                "(certificates name files in NFC); rename one before certifying"
            )
        entries[name] = _image_entry(image_to_dict(image), name)
        raw_names[name] = _relative_name(image.path, root)
    names = sorted(entries)
    tool = {"name": "provenance", "version": report.tool.get("provenance", "unknown")}
    tool.update({_camel(key): value for key, value in report.tool.items() if key != "provenance"})
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": name, "digest": {"sha256": entries[name]["sha256"]}} for name in names],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "tool": tool,
            "evaluatedAt": _timestamp(report.evaluated_at),
            "policy": {"id": policy.id, "version": policy.version, "sha256": policy.sha256, "text": policy.text},
            "trustAnchors": [{"sha256": fingerprint} for fingerprint in sorted(report.trust.fingerprints)],
            "images": [entries[name] for name in names],
        },
    }


def serialize_statement(statement: Mapping[str, Any]) -> bytes:
    """The exact payload bytes: UTF-8 JSON, keys sorted, no whitespace. Same data, same bytes."""
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


@dataclass(frozen=True, slots=True)
class EnvelopeSignature:
    """One DSSE signature: the key id it names (``None`` when absent) and the raw signature bytes."""

    keyid: str | None
    sig: bytes


def _b64decode(text: Any, what: str) -> bytes:
    """DSSE base64: standard or URL-safe alphabet, padding optional."""
    if not isinstance(text, str):
        raise CertificateError(f"the certificate's {what} is not a base64 string", code="envelope.malformed")
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise CertificateError(f"the certificate's {what} is not valid base64", code="envelope.malformed") from None


def _mib(size: int) -> str:
    return f"{size // (1024 * 1024)} MiB"


def _load_json(text: str, what: str) -> Any:
    """Strict JSON: a repeated key, ``NaN``/``Infinity`` or a number out of range is refused, and so is
    nesting too deep or a number too long to read (no RecursionError or ValueError escapes).

    Raises:
        json.JSONDecodeError: not JSON (the caller explains where).
        CertificateError: JSON that cannot be trusted to mean one thing (code ``certificate.not_json``,
            or ``certificate.duplicate_key`` for a repeated key).
    """
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise CertificateError(f"the {what} repeats the key '{_clip(key)}' (JSON with duplicate keys "
                                       "can be read two ways)", code="certificate.duplicate_key")
            seen[key] = value
        return seen

    def constant(name: str) -> Any:
        raise CertificateError(f"the {what} is not JSON ({name} is not a JSON value)", code="certificate.not_json")

    def number(literal: str) -> float:
        value = float(literal)
        if value in (float("inf"), float("-inf")):
            raise CertificateError(f"the {what} holds a number out of range ({_clip(literal, 40)})",
                                   code="certificate.not_json")
        return value

    try:
        return json.loads(text, object_pairs_hook=unique, parse_constant=constant, parse_float=number)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise CertificateError(f"the {what} is not JSON that can be read: its arrays or objects nest too deeply",
                               code="certificate.not_json") from None
    except ValueError:  # an integer longer than Python reads (sys.get_int_max_str_digits)
        raise CertificateError(f"the {what} is not JSON that can be read: it holds a number with too many digits",
                               code="certificate.not_json") from None


def _clip(text: str, limit: int = 100) -> str:
    """``text`` cut to ``limit`` characters (a hostile field can be megabytes long)."""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


@dataclass(frozen=True, slots=True)
class Certificate:
    """A DSSE envelope: the payload bytes exactly as signed, their type, and the signatures.

    Parsing a certificate (:meth:`from_json`) checks only its shape; nothing
    in it is trusted until :func:`verify_certificate` checked the signature.
    """

    payload: bytes
    payload_type: str
    signatures: tuple[EnvelopeSignature, ...]

    @classmethod
    def from_json(cls, data: bytes | str) -> Certificate:
        """Parse a DSSE envelope (JSON).

        Never recurses without bound or reads more than the limits allow: a
        certificate over :data:`MAX_CERTIFICATE_BYTES` is refused before it is
        parsed, as are a payload over :data:`MAX_PAYLOAD_BYTES` and more than
        :data:`MAX_SIGNATURES` signatures.

        Raises:
            CertificateError: empty, too large, binary, truncated or non-JSON
                data (nesting too deep, a number too long, ``NaN``, a repeated
                key), or JSON that is not a DSSE envelope with 1 to
                :data:`MAX_SIGNATURES` signatures. The message says which, and
                ``error.code`` is the failed check's code.
        """
        if len(data) > MAX_CERTIFICATE_BYTES:
            unit = "bytes" if isinstance(data, bytes) else "characters"
            raise CertificateError(
                f"the certificate is too large: {len(data):,} {unit}, more than the {_mib(MAX_CERTIFICATE_BYTES)} "
                "a certificate may have", code="certificate.too_large")
        if isinstance(data, bytes):
            if not data.strip():
                raise CertificateError("the certificate file is empty", code="certificate.empty")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise CertificateError("the certificate is not JSON text (it holds binary data)",
                                       code="certificate.binary") from None
        else:
            text = data
        if not text.strip():
            raise CertificateError("the certificate file is empty", code="certificate.empty")
        try:
            document = _load_json(text, "certificate")
        except json.JSONDecodeError as error:
            if text.lstrip().startswith(("{", "[")) and (
                error.msg.startswith("Unterminated string") or error.pos >= len(text.rstrip())
            ):
                raise CertificateError(
                    f"the certificate ends early: it looks truncated (the JSON stops at character {error.pos})",
                    code="certificate.truncated") from None
            raise CertificateError(f"the certificate is not JSON ({error.msg} at character {error.pos})",
                                   code="certificate.not_json") from None

        def malformed(message: str, code: str = "envelope.malformed") -> CertificateError:
            return CertificateError(message, code=code)

        if not isinstance(document, dict):
            raise malformed("the certificate is not a DSSE envelope (a JSON object)")
        for key in ("payloadType", "payload", "signatures"):
            if key not in document:
                raise malformed(f"the certificate is not a DSSE envelope: '{key}' is missing")
        payload_type = document["payloadType"]
        if not isinstance(payload_type, str):
            raise malformed("the certificate is not a DSSE envelope: 'payloadType' is not a string")
        if not _is_unicode(payload_type):
            raise malformed("the certificate's 'payloadType' is not valid Unicode (it holds a lone surrogate)")
        encoded = document["payload"]
        if isinstance(encoded, str) and len(encoded) > (MAX_PAYLOAD_BYTES + 2) // 3 * 4 + 64:
            raise malformed(f"the certificate's payload is too large: more than the {_mib(MAX_PAYLOAD_BYTES)} "
                            "a payload may have", "envelope.payload_too_large")
        payload = _b64decode(encoded, "payload")
        if len(payload) > MAX_PAYLOAD_BYTES:
            raise malformed(f"the certificate's payload is too large: {len(payload):,} bytes, more than the "
                            f"{_mib(MAX_PAYLOAD_BYTES)} a payload may have", "envelope.payload_too_large")
        raw_signatures = document["signatures"]
        if not isinstance(raw_signatures, list):
            raise malformed("the certificate is not a DSSE envelope: 'signatures' is not a list")
        if not raw_signatures:
            raise malformed("the certificate carries no signature", "envelope.no_signature")
        if len(raw_signatures) > MAX_SIGNATURES:
            raise malformed(f"the certificate carries {len(raw_signatures):,} signatures; at most {MAX_SIGNATURES} "
                            "are accepted", "envelope.too_many_signatures")
        signatures = []
        for index, raw in enumerate(raw_signatures):
            if not isinstance(raw, dict) or "sig" not in raw:
                raise malformed(f"the certificate's signature #{index + 1} has no 'sig'")
            keyid = raw.get("keyid")
            if keyid is not None and (not isinstance(keyid, str) or not _is_unicode(keyid)):
                raise malformed(f"the certificate's signature #{index + 1} has a key id that is not a string")
            signatures.append(EnvelopeSignature(keyid or None, _b64decode(raw["sig"], f"signature #{index + 1}")))
        return cls(payload=payload, payload_type=payload_type, signatures=tuple(signatures))

    def pae(self) -> bytes:
        """The DSSE pre-authentication encoding: the exact bytes a signature covers."""
        from securesystemslib.dsse import Envelope

        return bytes(Envelope(self.payload, self.payload_type, {}).pae())

    def to_dict(self) -> dict[str, Any]:
        """The envelope as JSON-ready data (standard base64)."""
        return {
            "payload": base64.b64encode(self.payload).decode("ascii"),
            "payloadType": self.payload_type,
            "signatures": [
                {**({"keyid": s.keyid} if s.keyid is not None else {}), "sig": base64.b64encode(s.sig).decode("ascii")}
                for s in self.signatures
            ],
        }

    def to_json(self) -> str:
        """The envelope as indented JSON text (the certificate file's content)."""
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def statement(self) -> dict[str, Any]:
        """The payload parsed as JSON. Not authenticated: verify first.

        Raises:
            CertificateError: the payload is not a JSON object (or repeats a key).
        """
        return _parse_payload(self.payload)


def issue_certificate(
    report: AuditReport, key: SigningKey, *, root: str | Path, policy: Policy | None = None
) -> Certificate:
    """Sign a certificate of compliance for a fully compliant audit report.

    Args:
        report: the finished audit; every image must be compliant. Its
            ``evaluated_at`` becomes the certificate's evaluation time, so the
            same report gives the same payload bytes.
        key: the studio's signing key (Ed25519 signatures are deterministic,
            ECDSA ones are not; the payload is the same either way).
        root: the delivery root; subject names are relative to it.
        policy: the :class:`~provenance.policy.Policy` the report was made
            with (its text goes into the certificate). ``None`` finds it: the
            default charter, or the file the report names, if its SHA-256 matches.
    Returns:
        The signed :class:`Certificate` (write ``certificate.to_json()``).
    Raises:
        NonCompliant: some image is not compliant, or there is none.
        UsageError: an image lies outside ``root``; two images have the same
            name; the policy cannot be found or does not match the report; the
            payload would exceed :data:`MAX_PAYLOAD_BYTES` (split the delivery).
    Side effects: none (no clock, no file written; may read the policy file).
    """
    report.raise_for_status()
    statement = build_statement(report, root=root, policy=_policy_for(report, policy))
    from securesystemslib.dsse import Envelope

    payload = serialize_statement(statement)
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise UsageError(
            f"the certificate's payload would be {len(payload):,} bytes, more than the {_mib(MAX_PAYLOAD_BYTES)} "
            "a verifier accepts: certify the delivery in smaller parts"
        )
    envelope = Envelope(payload, PAYLOAD_TYPE, {})
    signature = envelope.sign(key.to_sslib_signer())
    return Certificate(
        payload=envelope.payload,
        payload_type=envelope.payload_type,
        signatures=(EnvelopeSignature(signature.keyid, bytes.fromhex(signature.signature)),),
    )


# --------------------------------------------------------------------------------------
# Verification results
# --------------------------------------------------------------------------------------


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
        """True only for a verified file."""
        return self.state is FileState.VERIFIED


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


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """Everything :func:`verify_certificate` found. Frozen.

    ``checks`` are the checks of the certificate itself, in order;
    ``files`` the outcome per file (empty when the certificate could not be
    trusted, so files were not compared); ``skipped`` non-image files met in
    folder walks (not checked, as in an audit); ``reaudit`` the re-audit when
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

    def _files(self, state: FileState) -> tuple[FileResult, ...]:
        return tuple(result for result in self.files if result.state is state)

    @property
    def verified(self) -> tuple[FileResult, ...]:
        """Files whose name and digest match the certificate."""
        return self._files(FileState.VERIFIED)

    @property
    def modified(self) -> tuple[FileResult, ...]:
        """Certified names whose bytes differ."""
        return self._files(FileState.MODIFIED)

    @property
    def renamed(self) -> tuple[FileResult, ...]:
        """Certified files found under another name."""
        return self._files(FileState.RENAMED)

    @property
    def duplicate_names(self) -> tuple[FileResult, ...]:
        """Files given whose names are one name in a certificate (they differ only in Unicode normalisation)."""
        return self._files(FileState.DUPLICATE_NAME)

    @property
    def not_certified(self) -> tuple[FileResult, ...]:
        """Files given that the certificate does not cover."""
        return self._files(FileState.NOT_CERTIFIED)

    @property
    def missing(self) -> tuple[FileResult, ...]:
        """Certified files that were not given."""
        return self._files(FileState.MISSING)

    @property
    def unreadable(self) -> tuple[FileResult, ...]:
        """Files given that could not be read."""
        return self._files(FileState.UNREADABLE)

    @property
    def certificate_ok(self) -> bool:
        """True when every check of the certificate itself passed."""
        return all(check.ok for check in self.checks)

    @property
    def integrity_ok(self) -> bool:
        """True when the certificate verified and every file matches it (nothing missing or extra)."""
        return self.certificate_ok and all(result.ok for result in self.files)

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

    def _predicate(self) -> Mapping[str, Any]:
        if self.statement is None:
            return {}
        predicate = self.statement.get("predicate")
        return predicate if isinstance(predicate, Mapping) else {}

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data in the ``provenance.verify-report/v1`` schema.

        Names are exact (JSON escapes control characters itself), except undecodable
        bytes of a file name, which become ``\\xNN`` text so the JSON is valid UTF-8.
        """
        predicate = self._predicate()
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
            "summary": {state.value: len(self._files(state)) for state in FileState},
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
        (``\\n``, ``\\xNN``...), so a file name cannot forge a line.
        """
        lines = ["Certificate:"]
        marks = {CheckStatus.PASSED: "ok", CheckStatus.FAILED: "FAILED", CheckStatus.SKIPPED: "-"}
        for check in self.checks:
            lines.append(f"  {marks[check.status]:<7} {check.name.replace('_', ' ')}: {check.message}")
        lines.append(f"Files (delivery root {self.root}):")
        if not self.files and not self.certificate_ok:
            lines.append("  not compared: the certificate could not be trusted")
        labels = {state: state.value.replace("_", " ").upper() for state in FileState}
        width = max((len(labels[r.state]) for r in self.files), default=0)
        for result in self.files:
            detail = result.message.removeprefix(result.state.value.replace("_", " ") + ": ")
            text = result.name if result.ok else f"{result.name}: {detail}"
            lines.append(f"  {labels[result.state]:<{width}}  {text}")
        for skipped in self.skipped:
            lines.append(f"  not checked: {skipped.path} ({skipped.why})")
        if self.reaudit is not None:
            predicate = self._predicate()
            policy = predicate.get("policy", {})
            lines.append(f"Re-audit under the certificate's policy {policy.get('id')} {policy.get('version')}:")
            if self.reaudit.error:
                lines.append(f"  FAILED   {self.reaudit.error}")
            for change in self.reaudit.changes:
                lines.append(f"  CHANGED  {change.name}: {change.message}")
            if self.reaudit.ok:
                count = len(self.reaudit.report.images) if self.reaudit.report else 0
                lines.append(f"  unchanged: {count} image(s) still compliant")
            if self.reaudit.anchors_note:
                lines.append(f"  note: {self.reaudit.anchors_note}")
        lines.append("")
        lines.append(self._conclusion())
        return "\n".join(_printable(line) for line in lines) + "\n"

    def _conclusion(self) -> str:
        if self.ok:
            predicate = self._predicate()
            policy = predicate.get("policy", {})
            again = ", and re-audited unchanged" if self.reaudit is not None else ""
            return (f"VERIFIED: {len(self.verified)} file(s) are exactly those certified by key {self.key_id[:16]}… "
                    f"under policy {policy.get('id')} {policy.get('version')} "
                    f"(evaluated {predicate.get('evaluatedAt')}){again}.")
        parts = [f"{check.name.replace('_', ' ')} check failed" for check in self.checks
                 if check.status is CheckStatus.FAILED]
        for state in (FileState.MODIFIED, FileState.RENAMED, FileState.DUPLICATE_NAME, FileState.NOT_CERTIFIED,
                      FileState.MISSING, FileState.UNREADABLE):
            count = len(self._files(state))
            if count:
                parts.append(f"{count} {state.value.replace('_', ' ')}")
        if self.reaudit is not None and not self.reaudit.ok:
            parts.append(f"re-audit: {len(self.reaudit.changes)} verdict(s) changed" if not self.reaudit.error
                         else "re-audit could not run")
        return "FAILED: " + "; ".join(parts) + "."


_UNSEEN = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional controls: invisible, and they reorder what follows on the line."""


def _exact(text: str) -> str:
    """``text`` as valid Unicode: undecodable bytes (lone surrogates) as ``\\xNN`` (or ``\\udXXX``)."""
    if _is_unicode(text):
        return text
    try:
        return display_path(text, escape_control=False)
    except UnicodeEncodeError:  # a surrogate no file name holds (from JSON ``\\udXXX``)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _printable(line: str) -> str:
    """One line of text as printable: control characters, line and paragraph separators,
    bidirectional controls and undecodable bytes escaped (:func:`provenance.report.display_path`)."""
    text = display_path(_exact(line))
    if text.isascii():
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii")
                   if ch in _UNSEEN or unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)


def _json_safe(value: Any) -> Any:
    """The verification report with every string valid Unicode (see :func:`_exact`)."""
    if isinstance(value, str):
        return _exact(value)
    if isinstance(value, dict):
        return {_json_safe(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


# --------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------


def _parse_payload(payload: bytes) -> dict[str, Any]:
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise CertificateError(f"the payload is too large: {len(payload):,} bytes, more than the "
                               f"{_mib(MAX_PAYLOAD_BYTES)} a payload may have", code="envelope.payload_too_large")
    try:
        document = _load_json(payload.decode("utf-8"), "payload")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CertificateError(f"the payload is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise CertificateError("the payload is not a JSON object")
    return document


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


_STATEMENT_CHECKS = ("statement_type", "predicate_type", "subjects", "predicate")


def _check_envelope(certificate: bytes | str, key: PublicKey, checks: _Checks) -> Certificate | None:
    """Envelope, payload type, key id and signature. Returns the envelope when the signature verified."""
    try:
        envelope = Certificate.from_json(certificate)
    except CertificateError as error:
        code = error.code if error.code != CertificateError.code else "envelope.malformed"
        checks.failed("envelope", code, error.message)
        checks.skipped(("payload_type", "key_id", "signature", *_STATEMENT_CHECKS), "the certificate is unreadable")
        return None
    count = len(envelope.signatures)
    checks.passed("envelope", f"a DSSE envelope with {count} signature{'s' if count != 1 else ''}")

    if envelope.payload_type == PAYLOAD_TYPE:
        checks.passed("payload_type", PAYLOAD_TYPE)
    else:
        checks.failed("payload_type", "envelope.payload_type",
                      f"the payload type is '{_clip(envelope.payload_type)}', not '{PAYLOAD_TYPE}': "
                      "this is not an in-toto attestation, or the envelope was altered")

    pae = envelope.pae()
    # At most MAX_SIGNATURES signatures (from_json): the cost of a hostile envelope is bounded.
    ours = [s for s in envelope.signatures if s.keyid == key.key_id]
    candidates = ours or list(envelope.signatures)
    verified = any(key.verify(s.sig, pae) for s in candidates)

    if ours:
        checks.passed("key_id", f"signed under the pinned key's id {key.key_id}")
    else:
        named = sorted({_clip(s.keyid) for s in envelope.signatures if s.keyid})
        if not named:
            checks.failed("key_id", "key.no_id",
                          f"the signature names no key id; the pinned key's id is {key.key_id}")
        elif verified:
            checks.failed("key_id", "key.wrong_id",
                          f"the envelope names key id {', '.join(named)}, not the pinned key's id {key.key_id}, "
                          "although the signature verifies with the pinned key: the key id was altered")
        else:
            checks.failed("key_id", "key.other_key",
                          f"signed by another key (key id {', '.join(named)}), not the pinned key ({key.key_id})")

    if verified:
        checks.passed("signature", f"verifies with the pinned {key.algorithm.label} key")
    else:
        shapes = [key.signature_shape_problem(s.sig) for s in candidates]
        if all(shapes):
            checks.failed("signature", "signature.other_algorithm", str(shapes[0]))
        else:
            checks.failed("signature", "signature.invalid",
                          f"the signature does not verify with the pinned {key.algorithm.label} key: the "
                          "certificate was changed after it was signed, or it was signed by another key")
    if not verified:
        checks.skipped(_STATEMENT_CHECKS, "the signature did not verify, so the content cannot be trusted")
        return None
    return envelope


def _check_statement(envelope: Certificate, checks: _Checks) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    """Statement type, predicate type, subjects, predicate. Returns (statement, subjects by name)."""
    try:
        statement = envelope.statement()
    except CertificateError as error:
        checks.failed("statement_type", "statement.malformed", error.message)
        checks.skipped(_STATEMENT_CHECKS[1:], "the payload is not a statement")
        return None, None
    statement_type = statement.get("_type")
    if statement_type == STATEMENT_TYPE:
        checks.passed("statement_type", "in-toto Statement v1")
    else:
        checks.failed("statement_type", "statement.type",
                      f"the statement type is {_brief(statement_type)}, not '{STATEMENT_TYPE}'")
    predicate_type = statement.get("predicateType")
    if predicate_type == PREDICATE_TYPE:
        checks.passed("predicate_type", PREDICATE_TYPE)
    else:
        checks.failed("predicate_type", "statement.predicate_type",
                      f"the predicate type is {_brief(predicate_type)}, not '{PREDICATE_TYPE}': "
                      "this is not a provenance certificate of compliance")

    subjects = _check_subjects(statement.get("subject"), checks)
    _check_predicate(statement.get("predicate"), subjects, checks)
    return statement, subjects


def _brief(value: Any) -> str:
    """A JSON value from the payload, for a message: short, and never raising."""
    try:
        return _clip(json.dumps(value))
    except (TypeError, ValueError, RecursionError):
        return "an unreadable value"


def _check_subjects(raw: Any, checks: _Checks) -> dict[str, str] | None:
    if not isinstance(raw, list) or not raw:
        checks.failed("subjects", "subjects.missing", "the statement lists no subject")
        return None
    subjects: dict[str, str] = {}
    for index, entry in enumerate(raw):
        where = f"subject #{index + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            checks.failed("subjects", "subjects.malformed", f"{where} has no name")
            return None
        if not _is_unicode(entry["name"]):
            checks.failed("subjects", "subjects.malformed", f"{where} has a name that is not valid Unicode")
            return None
        digest = entry.get("digest")
        sha256 = digest.get("sha256") if isinstance(digest, dict) else None
        if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
            checks.failed("subjects", "subjects.malformed",
                          f"{where} ({_clip(entry['name'])}) has no valid sha256 digest")
            return None
        name = unicodedata.normalize("NFC", entry["name"])
        if name in subjects:
            checks.failed("subjects", "subjects.duplicate",
                          f"the statement lists '{_clip(name)}' more than once (duplicate subjects, "
                          "names compared in Unicode NFC)")
            return None
        subjects[name] = sha256
    checks.passed("subjects", f"{len(subjects)} certified file{'s' if len(subjects) != 1 else ''}")
    return subjects


def _check_predicate(predicate: Any, subjects: dict[str, str] | None, checks: _Checks) -> None:
    def fail(code: str, message: str) -> None:
        checks.failed("predicate", code, message)

    if not isinstance(predicate, dict):
        return fail("predicate.malformed", "the statement has no predicate object")
    policy = predicate.get("policy")
    if not isinstance(policy, dict) or not all(isinstance(policy.get(k), str) for k in ("id", "version", "sha256",
                                                                                           "text")):
        return fail("predicate.malformed", "the predicate does not record the policy (id, version, sha256, text)")
    if not _is_unicode(policy["text"]):
        return fail("predicate.malformed", "the policy text recorded is not valid Unicode")
    if hashlib.sha256(policy["text"].encode("utf-8")).hexdigest() != policy["sha256"]:
        return fail("predicate.policy_digest", "the policy text recorded does not match the policy sha256 recorded")
    if not isinstance(predicate.get("evaluatedAt"), str):
        return fail("predicate.malformed", "the predicate does not record the evaluation time")
    images = predicate.get("images")
    if not isinstance(images, list) or not all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in images):
        return fail("predicate.malformed", "the predicate does not list the images")
    if subjects is None:
        checks.skipped(("predicate",), "the subjects are unusable")
        return None
    by_name: dict[str, dict[str, Any]] = {}
    for image in images:
        name = unicodedata.normalize("NFC", image["name"])
        if name in by_name:
            return fail("predicate.inconsistent", f"the predicate lists {_clip(name)} more than once")
        by_name[name] = image
    for name, sha256 in subjects.items():
        image = by_name.get(name)
        if image is None or image.get("sha256") != sha256 or image.get("status") != Status.COMPLIANT.value:
            return fail("predicate.inconsistent", f"the predicate does not record a compliant verdict for "
                                                  f"{_clip(name)} with the subject's digest")
    extra = sorted(set(by_name) - set(subjects))
    if extra:
        return fail("predicate.inconsistent", f"the predicate lists {_clip(extra[0])}, which is not a subject")
    checks.passed("predicate", f"a compliant verdict for every subject under policy {policy['id']} "
                               f"{policy['version']}, evaluated {predicate['evaluatedAt']}")
    return None


_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


class _NotRegularFile(OSError):
    """A path that is a pipe, device, socket or folder: hashing it could block or never end."""


def _sha256_file(path: Path) -> str:
    """SHA-256 of a regular file's bytes (a symbolic link is followed only to a regular file).

    Raises:
        _NotRegularFile: a pipe, device, socket or folder (checked before opening, and again on
            the opened file, so a swap in between cannot make it block).
        OSError: the file cannot be read.
    """
    def refuse(mode: int) -> _NotRegularFile:
        return _NotRegularFile(f"not a regular file ({_KINDS.get(stat.S_IFMT(mode), 'a special file')})")

    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise refuse(mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with open(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise refuse(mode)
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _why_unreadable(error: OSError) -> str:
    if isinstance(error, _NotRegularFile):
        return f"cannot be read: {error}"
    return f"cannot be read ({error.strerror or error})"


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


def _reaudit(
    statement: Mapping[str, Any], files: Sequence[FileResult], given: Mapping[str, Path],
    trust: TrustConfig, at: datetime | None,
) -> Reaudit:
    predicate = statement["predicate"]
    anchors = predicate.get("trustAnchors")
    recorded = {a.get("sha256") for a in anchors if isinstance(a, dict)} if isinstance(anchors, list) else set()
    provided = set(trust.fingerprints)
    note = None
    if not provided:
        note = ("no trust anchors were given: no signer can be trusted, so no image can stay compliant "
                f"({len(recorded)} anchor(s) were recorded at certification)")
    elif provided != recorded:
        note = (f"the trust anchors given differ from those recorded at certification: "
                f"{len(recorded - provided)} recorded anchor(s) not given, {len(provided - recorded)} given "
                "that were not recorded")
    differ = provided != recorded
    policy_data = predicate["policy"]
    try:
        policy = parse_policy(policy_data["text"].encode("utf-8"), source="the certificate's policy")
    except PolicyError as error:
        return Reaudit((), differ, note, None, f"the certificate's policy cannot be loaded: {error.message}")
    verified = [r.name for r in files if r.state is FileState.VERIFIED]
    report = audit_files(Inputs(images=tuple(given[name] for name in verified), skipped=()),
                         policy=policy, trust=trust, at=at)
    certified = {unicodedata.normalize("NFC", i["name"]): i for i in predicate["images"]}
    changes = []
    for name, image in zip(verified, report.images, strict=True):
        before = str(certified[name].get("status"))
        if image.status.value != before:
            why = ", ".join(reason.value for reason in image.reasons)
            changes.append(VerdictChange(
                name, before, image.status, image.reasons,
                f"verdict changed: {before} when certified, {image.status.value} now" + (f" ({why})" if why else ""),
            ))
    return Reaudit(tuple(changes), differ, note, report)


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


def _only_key_id_failed(items: Sequence[Check]) -> bool:
    """The signature verified with the pinned key but the key id is wrong: the content is authentic."""
    failed = [check.name for check in items if check.status is CheckStatus.FAILED]
    return failed == ["key_id"]
