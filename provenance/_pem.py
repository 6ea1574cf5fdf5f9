"""PEM and X.509 primitives shared by keys, trust anchors and the trust store.

One place for the questions every PEM input raises, so the answers never disagree:

- which blocks does it hold (:func:`pem_labels`, RFC 7468 labels);
- does it hold a private key (:func:`holds_private_key`): any ``-----BEGIN ... PRIVATE KEY-----``
  block (PKCS#8 ``PRIVATE KEY`` and ``ENCRYPTED PRIVATE KEY``, PKCS#1 ``RSA PRIVATE KEY``, SEC1
  ``EC PRIVATE KEY``, ``DSA PRIVATE KEY``, ``OPENSSH PRIVATE KEY``), matched case-insensitively;
- is a certificate a CA (:func:`is_ca`: ``basicConstraints`` with ``cA`` TRUE, RFC 5280 §4.2.1.9);
- load every certificate of a bundle, strictly (:func:`load_certificates`): the ``cryptography``
  parser silently drops a truncated last certificate, so the BEGIN and END lines are counted first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509

# ``cryptography.x509`` is imported by the functions that parse certificates, not here: the trust
# store imports this module for its PEM checks on every audit, and the X.509 package is about 20 ms
# of start-up an audit whose anchors come from the store's index never needs (#12.1).

__all__ = [
    "BEGIN_CERTIFICATE",
    "CERTIFICATE_LABELS",
    "END_CERTIFICATE",
    "PRIVATE_KEY_MESSAGE",
    "PemError",
    "holds_private_key",
    "is_ca",
    "is_encrypted_pem",
    "load_certificates",
    "pem_labels",
    "subject_of",
]

BEGIN_CERTIFICATE = b"-----BEGIN CERTIFICATE-----"
END_CERTIFICATE = b"-----END CERTIFICATE-----"
CERTIFICATE_LABELS = frozenset({"CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"})
"""RFC 7468 §5 ``CERTIFICATE`` and the two legacy OpenSSL labels for the same thing."""

_LABEL = re.compile(rb"-----BEGIN ([A-Z0-9 ]{1,40})-----")
_PRIVATE_KEY = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----", re.IGNORECASE)

PRIVATE_KEY_MESSAGE = (
    "the file holds a private key (a '-----BEGIN ... PRIVATE KEY-----' block). A private key must never be "
    "shared or stored as a trust anchor: only the certificate is needed. Give a file with only the "
    "'-----BEGIN CERTIFICATE-----' block(s), e.g. `openssl x509 -in FILE -out root-ca-cert.pem`"
)


class PemError(ValueError):
    """PEM data is not what was expected (the message says why, in plain words)."""


def pem_labels(data: bytes) -> list[str]:
    """The labels of the PEM blocks in ``data`` (``PUBLIC KEY``, ``CERTIFICATE``...), in order."""
    return [match.group(1).decode("ascii") for match in _LABEL.finditer(data)]


def holds_private_key(data: bytes) -> bool:
    """True when ``data`` contains a PEM private key block (``-----BEGIN ... PRIVATE KEY-----``)."""
    return _PRIVATE_KEY.search(data) is not None


def is_encrypted_pem(data: bytes) -> bool:
    """Whether PEM data holds a passphrase-encrypted private key (PKCS#8 or legacy OpenSSL ``Proc-Type``)."""
    return b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data or b"Proc-Type: 4,ENCRYPTED" in data


def is_ca(certificate: x509.Certificate) -> bool:
    """True when the certificate's ``basicConstraints`` says ``cA`` (RFC 5280 §4.2.1.9); absent means not a CA."""
    from cryptography import x509

    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def subject_of(certificate: x509.Certificate) -> str:
    """The subject as an RFC 4514 string (``"(unreadable subject)"`` when it cannot be rendered)."""
    try:
        return certificate.subject.rfc4514_string()
    except ValueError:  # pragma: no cover - malformed names
        return "(unreadable subject)"


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle, refusing a bundle that is damaged anywhere.

    Raises:
        PemError: no ``BEGIN CERTIFICATE`` line; BEGIN and END lines that do not pair up (a
            truncated download); a certificate that does not parse, or fewer parse than begin.
    """
    begins, ends = data.count(BEGIN_CERTIFICATE), data.count(END_CERTIFICATE)
    if begins == 0:
        raise PemError("no PEM certificate in it (is it a web page or an error message?)")
    if begins != ends:
        raise PemError(
            f"truncated or damaged PEM: {begins} certificates begin but {ends} end (an incomplete download?)"
        )
    from cryptography import x509

    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError as error:
        raise PemError(f"a certificate does not parse ({error})") from error
    if len(certificates) != begins:
        raise PemError(f"only {len(certificates)} of {begins} certificates parse")
    return certificates
