"""The DSSE envelope of a certificate: parsing it within caps, strict JSON, the PAE.

A certificate is a DSSE envelope (https://github.com/secure-systems-lab/dsse,
``envelope.md``) whose payload is an in-toto Statement. Parsing checks only the
envelope's shape, within documented caps; nothing in it is trusted until the
signature verified (:mod:`provenance.certificate.verify`).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from ..errors import CertificateError
from ._text import _clip, _mib
from .naming import _is_unicode

__all__ = [
    "MAX_CERTIFICATE_BYTES",
    "MAX_PAYLOAD_BYTES",
    "MAX_SIGNATURES",
    "PAYLOAD_TYPE",
    "Certificate",
    "EnvelopeSignature",
]

PAYLOAD_TYPE = "application/vnd.in-toto+json"
"""The DSSE payload type of an in-toto Statement."""

MAX_CERTIFICATE_BYTES = 256 * 1024 * 1024
"""The largest certificate accepted (256 MiB), checked before parsing (``certificate.too_large``).

A certificate of 1,000 images is about 3.3 MiB, so this allows deliveries of
tens of thousands of images while bounding the memory a hostile file can take."""
MAX_PAYLOAD_BYTES = 160 * 1024 * 1024
"""The largest payload accepted (160 MiB, decoded), checked before parsing it (``envelope.payload_too_large``).

Its base64 form fits in :data:`MAX_CERTIFICATE_BYTES`; :func:`~provenance.certificate.issue_certificate`
refuses to sign a larger payload, so every certificate it issues can be verified."""
MAX_SIGNATURES = 16
"""The most signatures an envelope may carry (``envelope.too_many_signatures``).

DSSE allows several signatures; a verifier checks each that names the pinned
key's id, so an unbounded list would let a hostile file cost unbounded time."""


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
        document = _envelope_document(data)
        payload_type = document["payloadType"]
        if not isinstance(payload_type, str):
            raise _malformed("the certificate is not a DSSE envelope: 'payloadType' is not a string")
        if not _is_unicode(payload_type):
            raise _malformed("the certificate's 'payloadType' is not valid Unicode (it holds a lone surrogate)")
        return cls(payload=_payload(document["payload"]), payload_type=payload_type,
                   signatures=_signatures(document["signatures"]))

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


def _malformed(message: str, code: str = "envelope.malformed") -> CertificateError:
    return CertificateError(message, code=code)


def _certificate_text(data: bytes | str) -> str:
    """The certificate as text, refusing one too large, empty or binary (before any parsing)."""
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
    return text


def _envelope_document(data: bytes | str) -> dict[str, Any]:
    """The envelope's JSON object, with its three DSSE keys present (their values not yet checked)."""
    text = _certificate_text(data)
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
    if not isinstance(document, dict):
        raise _malformed("the certificate is not a DSSE envelope (a JSON object)")
    for key in ("payloadType", "payload", "signatures"):
        if key not in document:
            raise _malformed(f"the certificate is not a DSSE envelope: '{key}' is missing")
    return document


def _payload(encoded: Any) -> bytes:
    """The decoded payload, refused over :data:`MAX_PAYLOAD_BYTES` (before decoding when the text shows it)."""
    if isinstance(encoded, str) and len(encoded) > (MAX_PAYLOAD_BYTES + 2) // 3 * 4 + 64:
        raise _malformed(f"the certificate's payload is too large: more than the {_mib(MAX_PAYLOAD_BYTES)} "
                         "a payload may have", "envelope.payload_too_large")
    payload = _b64decode(encoded, "payload")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise _malformed(f"the certificate's payload is too large: {len(payload):,} bytes, more than the "
                         f"{_mib(MAX_PAYLOAD_BYTES)} a payload may have", "envelope.payload_too_large")
    return payload


def _signatures(raw_signatures: Any) -> tuple[EnvelopeSignature, ...]:
    """1 to :data:`MAX_SIGNATURES` signatures, each with a ``sig`` and an optional string ``keyid``."""
    if not isinstance(raw_signatures, list):
        raise _malformed("the certificate is not a DSSE envelope: 'signatures' is not a list")
    if not raw_signatures:
        raise _malformed("the certificate carries no signature", "envelope.no_signature")
    if len(raw_signatures) > MAX_SIGNATURES:
        raise _malformed(f"the certificate carries {len(raw_signatures):,} signatures; at most {MAX_SIGNATURES} "
                         "are accepted", "envelope.too_many_signatures")
    signatures = []
    for index, raw in enumerate(raw_signatures):
        if not isinstance(raw, dict) or "sig" not in raw:
            raise _malformed(f"the certificate's signature #{index + 1} has no 'sig'")
        keyid = raw.get("keyid")
        if keyid is not None and (not isinstance(keyid, str) or not _is_unicode(keyid)):
            raise _malformed(f"the certificate's signature #{index + 1} has a key id that is not a string")
        signatures.append(EnvelopeSignature(keyid or None, _b64decode(raw["sig"], f"signature #{index + 1}")))
    return tuple(signatures)
