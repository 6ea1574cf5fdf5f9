"""Signing keys for compliance certificates: generate, load, sign, verify.

A studio signs certificates with one private key; clients pin the matching
public key. Two algorithms, both through ``cryptography``:

- ``ed25519`` (the default): 64-byte signatures, deterministic;
- ``ecdsa-p256``: ECDSA over NIST P-256 with SHA-256, signatures
  DER-encoded (as securesystemslib and cosign expect), for keys that must live
  in a KMS or HSM that only offers P-256.

Keys are PEM files: the private key as PKCS#8 (optionally encrypted with a
passphrase), the public key as SubjectPublicKeyInfo. The **key id** is the
lower-case hex SHA-256 of the public key's SubjectPublicKeyInfo DER encoding,
so anyone holding the public key can compute it.

    from provenance.keys import SigningKey, PublicKey, write_key_pair

    key = SigningKey.generate("ed25519")
    private_path, public_path = write_key_pair(key, "keys/")
    assert PublicKey.load(public_path).key_id == key.key_id

Every problem with a key (unreadable file, wrong passphrase, unsupported
algorithm, a public key where a private one is needed) raises
:class:`InvalidKeyError`, a :class:`~provenance.errors.UsageError` (CLI exit 2).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from ._io import read_regular_file, write_atomic
from ._pem import CERTIFICATE_LABELS, holds_private_key, is_encrypted_pem, pem_labels
from .errors import InvalidKeyError, OutputError

if TYPE_CHECKING:  # pragma: no cover
    # NOTE: securesystemslib.signer re-exports its public classes without an __all__,
    # which strict mypy reads as private; they are the documented public API.
    from securesystemslib.signer import CryptoSigner, SSlibKey  # type: ignore[attr-defined]

__all__ = [
    "PRIVATE_KEY_NAME",
    "PUBLIC_KEY_NAME",
    "InvalidKeyError",
    "KeyAlgorithm",
    "PublicKey",
    "SigningKey",
    "is_encrypted_pem",
    "write_key_pair",
]

PRIVATE_KEY_NAME = "provenance.key"
"""File name :func:`write_key_pair` gives the private key (PEM, mode 0600)."""
PUBLIC_KEY_NAME = "provenance.pub"
"""File name :func:`write_key_pair` gives the public key (PEM)."""

MAX_KEY_BYTES = 1024 * 1024
"""A key file larger than this (1 MiB) is refused unread; a PEM key is a few hundred bytes."""


class KeyAlgorithm(StrEnum):
    """The signature algorithms `provenance` signs and verifies with."""

    ED25519 = "ed25519"
    """Ed25519 (RFC 8032); 64-byte signatures."""
    ECDSA_P256 = "ecdsa-p256"
    """ECDSA over NIST P-256 with SHA-256; DER-encoded signatures (70-72 bytes)."""

    @property
    def label(self) -> str:
        """The algorithm's name for people (``"Ed25519"``, ``"ECDSA P-256"``)."""
        return "Ed25519" if self is KeyAlgorithm.ED25519 else "ECDSA P-256"


_PublicKeyObject = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
_PrivateKeyObject = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey


def _algorithm_of(key: Any, source: str) -> KeyAlgorithm:
    if isinstance(key, (ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey)):
        return KeyAlgorithm.ED25519
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)):
        if isinstance(key.curve, ec.SECP256R1):
            return KeyAlgorithm.ECDSA_P256
        raise InvalidKeyError(
            f"{source}: unsupported elliptic curve {key.curve.name}; provenance signs with Ed25519 or ECDSA P-256"
        )
    kind = type(key).__name__.lstrip("_").replace("PublicKey", "").replace("PrivateKey", "") or "unknown"
    raise InvalidKeyError(f"{source}: unsupported key type {kind}; provenance signs with Ed25519 or ECDSA P-256")


def _parse_algorithm(algorithm: str | KeyAlgorithm) -> KeyAlgorithm:
    try:
        return KeyAlgorithm(algorithm)
    except ValueError:
        allowed = ", ".join(a.value for a in KeyAlgorithm)
        raise InvalidKeyError(f"unsupported key algorithm '{algorithm}' (supported: {allowed})") from None


def _not_a_key(data: bytes, source: str, wanted: str) -> str:
    """Why ``data`` is not a PEM ``wanted`` (``PUBLIC KEY``...), in plain words (never the parser's own text)."""
    labels = pem_labels(data)
    if not labels:
        return f"{source} is not a PEM {wanted.lower()} (it has no '-----BEGIN {wanted}-----' line)"
    if wanted in labels:
        return f"{source} is not a PEM {wanted.lower()} (its {wanted} block is damaged)"
    other = next((label for label in labels if label.endswith(wanted)), None)
    if other is not None:
        return (f"{source} is not a PEM {wanted.lower()} (its '{other}' block cannot be read as one: "
                "export the key as PKCS#8 PEM)")
    return f"{source} is not a PEM {wanted.lower()} (it holds a PEM block labelled '{labels[0]}')"


def _read(path: str | Path, what: str) -> bytes:
    """The bytes of a key file: a regular file of at most :data:`MAX_KEY_BYTES` (never a pipe or device)."""
    target = Path(path)
    if not target.exists() and not target.is_symlink():
        raise InvalidKeyError(f"no such {what} file: {path}")
    if target.is_dir():
        raise InvalidKeyError(f"{path} is a folder, not a {what} file")
    return read_regular_file(target, f"the {what}", InvalidKeyError, max_bytes=MAX_KEY_BYTES)


@dataclass(frozen=True, slots=True, eq=False)
class PublicKey:
    """A public key that verifies certificate signatures.

    ``algorithm`` is the :class:`KeyAlgorithm`; ``key_id`` the lower-case hex
    SHA-256 of the SubjectPublicKeyInfo DER encoding. Two ``PublicKey`` objects
    are equal when their key ids are.
    """

    algorithm: KeyAlgorithm
    key_id: str
    crypto_key: _PublicKeyObject = field(repr=False)
    """The ``cryptography`` public key object."""

    @classmethod
    def from_crypto(cls, key: Any, source: str = "public key") -> PublicKey:
        """Wrap a ``cryptography`` Ed25519 or P-256 public key.

        Raises:
            InvalidKeyError: another key type or curve.
        """
        algorithm = _algorithm_of(key, source)
        der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return cls(algorithm=algorithm, key_id=hashlib.sha256(der).hexdigest(), crypto_key=key)

    @classmethod
    def from_pem(cls, data: bytes, source: str = "public key") -> PublicKey:
        """Parse a PEM SubjectPublicKeyInfo (``-----BEGIN PUBLIC KEY-----``).

        Args:
            data: the PEM bytes.
            source: a name for messages (usually the path).
        Raises:
            InvalidKeyError: not a PEM public key (a private key is refused with
                a message saying so), more than one public key (the pinned key would be a
                guess; a certificate bundled after the key is ignored), or an unsupported algorithm.
        """
        if holds_private_key(data):
            raise InvalidKeyError(
                f"{source} holds a private key; verifying needs the studio's public key ({PUBLIC_KEY_NAME}), "
                "and a private key should never leave the studio"
            )
        labels = pem_labels(data)
        if "PUBLIC KEY" not in labels and CERTIFICATE_LABELS.intersection(labels):
            raise InvalidKeyError(
                f"{source} is an X.509 certificate, not a public key: use the public key file that "
                f"`provenance keygen` wrote ({PUBLIC_KEY_NAME})"
            )
        if labels.count("PUBLIC KEY") > 1:
            # cryptography would take the first key and drop the others: which key is pinned must not be a guess.
            raise InvalidKeyError(
                f"{source} holds {labels.count('PUBLIC KEY')} public keys; the studio's public key file "
                f"({PUBLIC_KEY_NAME}) holds exactly one PUBLIC KEY"
            )
        try:
            key = serialization.load_pem_public_key(data)
        except (ValueError, UnsupportedAlgorithm) as error:
            raise InvalidKeyError(_not_a_key(data, source, "PUBLIC KEY")) from error
        return cls.from_crypto(key, source)

    @classmethod
    def load(cls, path: str | Path) -> PublicKey:
        """Read a PEM public key file.

        Raises:
            InvalidKeyError: the file cannot be read or is not a usable public key.
        Side effects: reads the file.
        """
        return cls.from_pem(_read(path, "public key"), str(path))

    def pem(self) -> bytes:
        """The key as PEM SubjectPublicKeyInfo."""
        return self.crypto_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def spki_der(self) -> bytes:
        """The key as DER SubjectPublicKeyInfo (what the key id hashes)."""
        return self.crypto_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)

    def signature_shape_problem(self, signature: bytes) -> str | None:
        """Why ``signature`` cannot have been made by a key of this algorithm, or ``None``.

        An Ed25519 signature is exactly 64 bytes; an ECDSA signature here is a
        DER ``SEQUENCE`` of two integers. This tells "signed with a key of the
        other algorithm" apart from "signed with another key of the same kind"
        (which only a failed verification reveals).
        """
        looks_ecdsa = _is_der_ecdsa(signature)
        if self.algorithm is KeyAlgorithm.ED25519:
            if len(signature) == 64:
                return None
            if looks_ecdsa:
                return (f"the signature is a {len(signature)}-byte DER-encoded ECDSA signature, "
                        "but the pinned key is Ed25519: it was made with a key of another algorithm")
            return f"the signature is {len(signature)} bytes long; an Ed25519 signature is 64 bytes"
        if looks_ecdsa:
            return None
        if len(signature) == 64:
            return ("the signature is 64 bytes, not DER-encoded: it looks like an Ed25519 signature, "
                    "but the pinned key is ECDSA P-256: it was made with a key of another algorithm")
        return f"the signature ({len(signature)} bytes) is not a DER-encoded ECDSA signature"

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Whether ``signature`` is this key's signature over ``data``. Never raises."""
        try:
            if isinstance(self.crypto_key, ed25519.Ed25519PublicKey):
                self.crypto_key.verify(signature, data)
            else:
                self.crypto_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_sslib_key(self) -> SSlibKey:
        """The key as a securesystemslib ``SSlibKey`` whose keyid is our key id.

        For interoperability: ``securesystemslib.dsse.Envelope.verify([key], 1)``
        then checks our certificates independently of `provenance`.
        """
        from securesystemslib.signer import SSlibKey  # type: ignore[attr-defined]  # NOTE: see top of module

        return SSlibKey.from_crypto(self.crypto_key, keyid=self.key_id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and other.key_id == self.key_id

    def __hash__(self) -> int:
        return hash(self.key_id)


def _is_der_ecdsa(signature: bytes) -> bool:
    if not signature or signature[0] != 0x30:
        return False
    try:
        decode_dss_signature(signature)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True, eq=False)
class SigningKey:
    """A private key that signs certificates. Keep it secret; never log it.

    ``public_key`` is the matching :class:`PublicKey`; ``key_id`` and
    ``algorithm`` are its.
    """

    public_key: PublicKey
    crypto_key: _PrivateKeyObject = field(repr=False)
    """The ``cryptography`` private key object."""

    @property
    def key_id(self) -> str:
        """The key id (hex SHA-256 of the public key's SubjectPublicKeyInfo DER)."""
        return self.public_key.key_id

    @property
    def algorithm(self) -> KeyAlgorithm:
        """The signature algorithm."""
        return self.public_key.algorithm

    @classmethod
    def generate(cls, algorithm: str | KeyAlgorithm = KeyAlgorithm.ED25519) -> SigningKey:
        """Generate a new key pair.

        Raises:
            InvalidKeyError: an unsupported algorithm name.
        """
        chosen = _parse_algorithm(algorithm)
        private: _PrivateKeyObject
        if chosen is KeyAlgorithm.ED25519:
            private = ed25519.Ed25519PrivateKey.generate()
        else:
            private = ec.generate_private_key(ec.SECP256R1())
        return cls.from_crypto(private)

    @classmethod
    def from_crypto(cls, key: Any, source: str = "private key") -> SigningKey:
        """Wrap a ``cryptography`` Ed25519 or P-256 private key.

        Raises:
            InvalidKeyError: another key type or curve.
        """
        _algorithm_of(key, source)
        return cls(public_key=PublicKey.from_crypto(key.public_key(), source), crypto_key=key)

    @classmethod
    def from_pem(cls, data: bytes, passphrase: str | bytes | None = None, source: str = "private key") -> SigningKey:
        """Parse a PEM private key (PKCS#8, or the legacy OpenSSL formats).

        Args:
            data: the PEM bytes.
            passphrase: the passphrase of an encrypted key; ignored for a key
                that is not encrypted.
            source: a name for messages (usually the path).
        Raises:
            InvalidKeyError: a public key was given; the key is encrypted and no
                passphrase was given, or the passphrase is wrong; not a PEM
                private key; an unsupported algorithm.
        """
        private = holds_private_key(data)
        if "PUBLIC KEY" in pem_labels(data) and not private:
            raise InvalidKeyError(
                f"{source} holds a public key; signing needs the studio's private key ({PRIVATE_KEY_NAME})"
            )
        if not private and CERTIFICATE_LABELS.intersection(pem_labels(data)):
            raise InvalidKeyError(
                f"{source} is an X.509 certificate, not a private key: signing needs the private key file that "
                f"`provenance keygen` wrote ({PRIVATE_KEY_NAME})"
            )
        encrypted = is_encrypted_pem(data)
        if encrypted and not passphrase:
            raise InvalidKeyError(
                f"{source} is encrypted: give its passphrase (PROVENANCE_KEY_PASSPHRASE, or the prompt)"
            )
        password = None
        if encrypted and passphrase:
            password = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
        try:
            key = serialization.load_pem_private_key(data, password=password)
        except ValueError as error:
            if encrypted:
                raise InvalidKeyError(f"wrong passphrase for {source} (the key could not be decrypted)") from error
            raise InvalidKeyError(_not_a_key(data, source, "PRIVATE KEY")) from error
        except (TypeError, UnsupportedAlgorithm) as error:
            raise InvalidKeyError(f"{source} cannot be loaded ({error})") from error
        return cls.from_crypto(key, source)

    @classmethod
    def load(cls, path: str | Path, passphrase: str | bytes | None = None) -> SigningKey:
        """Read a PEM private key file (see :meth:`from_pem`).

        Raises:
            InvalidKeyError: the file cannot be read or the key cannot be used.
        Side effects: reads the file.
        """
        return cls.from_pem(_read(path, "private key"), passphrase, str(path))

    def sign(self, data: bytes) -> bytes:
        """Sign ``data``: a raw 64-byte Ed25519 signature, or a DER-encoded ECDSA P-256/SHA-256 one."""
        if isinstance(self.crypto_key, ed25519.Ed25519PrivateKey):
            return self.crypto_key.sign(data)
        return self.crypto_key.sign(data, ec.ECDSA(hashes.SHA256()))

    def private_pem(self, passphrase: str | bytes | None = None) -> bytes:
        """The key as PEM PKCS#8, encrypted with ``passphrase`` when one is given."""
        encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
        if passphrase:
            secret = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
            encryption = serialization.BestAvailableEncryption(secret)
        return self.crypto_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)

    def to_sslib_signer(self) -> CryptoSigner:
        """The key as a securesystemslib ``CryptoSigner`` whose keyid is our key id."""
        from securesystemslib.signer import CryptoSigner  # type: ignore[attr-defined]  # NOTE: see top of module

        return CryptoSigner(self.crypto_key, self.public_key.to_sslib_key())


def write_key_pair(
    key: SigningKey, folder: str | Path, *, passphrase: str | bytes | None = None
) -> tuple[Path, Path]:
    """Write ``provenance.key`` (private, mode 0600) and ``provenance.pub`` into ``folder``.

    The folder is created if missing. Nothing is ever overwritten: when either
    file already exists, nothing is written.

    Args:
        key: the key pair to write.
        folder: destination folder.
        passphrase: encrypt the private key with it (``None`` or empty: not encrypted).
    Returns:
        ``(private_key_path, public_key_path)``.
    Raises:
        OutputError: a file already exists, or the folder cannot be created or written.
    Side effects: creates the folder and two files.
    """
    target = Path(folder)
    private_path, public_path = target / PRIVATE_KEY_NAME, target / PUBLIC_KEY_NAME
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise OutputError(f"{path} already exists; refusing to overwrite a key (choose another --out folder)")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {target}: {error.strerror or error}") from error
    write_atomic(private_path, key.private_pem(passphrase), mode=0o600, exclusive=True)
    try:
        write_atomic(public_path, key.public_key.pem(), mode=0o644, exclusive=True)
    except OutputError:
        private_path.unlink(missing_ok=True)
        raise
    return private_path, public_path
