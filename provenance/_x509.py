"""The studio's C2PA signing identity: a studio root CA and a signer certificate under it.

C2PA validators (c2pa-rs, hence c2pa-python, Verify, Inspect) accept a claim
signer only when its certificate meets the C2PA signer certificate profile.
The rules enforced here are those c2pa-rs enforces (``../shared/docs/ecosystem.md``
§4.1; c2pa-rs ``sdk/src/crypto/cose/certificate_profile.rs`` and
``valid_eku_oids.cfg``; the C2PA specification's "Certificate profile" section):

- X.509 v3, issued by a CA (a self-signed signer is refused), not a CA itself;
- KeyUsage with digitalSignature, without keyCertSign; AuthorityKeyIdentifier present;
- ExtendedKeyUsage present, without anyExtendedKeyUsage, with at least one of the
  C2PA signer EKUs (emailProtection, documentSigning, timeStamping, OCSPSigning,
  MS C2PA signing, C2PA signing); timeStamping and OCSPSigning only alone;
- EC P-256/P-384/P-521 or RSA >= 2048 bits, or Ed25519;
- valid at signing time; no unique ids; no unknown critical extension.

:func:`create_identity` makes the files ``provenance keygen --x509`` writes (EC P-256
keys, ES256 signatures, EKU emailProtection: the profile measured to sign and read
back ``Trusted`` under the studio root, ecosystem.md Appendix A). The root's private
key goes to ``offline/``: it is needed only to issue a new signer
(:func:`renew_signer`) and should live off the machine that stamps deliveries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from ._io import read_regular_file, write_atomic
from ._text import INVISIBLE_CLASS
from .errors import OutputError, StudioIdentityError
from .keys import is_encrypted_pem

__all__ = [
    "MAX_ORGANIZATION",
    "MAX_SIGNER_CHAIN",
    "OFFLINE_DIR",
    "ROOT_CERT_NAME",
    "ROOT_KEY_NAME",
    "SIGNER_CHAIN_NAME",
    "SIGNER_KEY_NAME",
    "StudioIdentity",
    "StudioSigner",
    "check_identity_folder",
    "check_organization",
    "create_identity",
    "load_signer",
    "renew_signer",
    "signer_profile_problems",
]

MAX_SIGNER_CHAIN = 10
"""Most certificates accepted in ``studio-signer-chain.pem``. c2pa-rs embeds the whole chain in every
manifest's COSE signature, whose box is bounded ("COSE Signature too big for JUMBF box" with 1,000
certificates, measured): a longer chain is refused when the signer is loaded, before any audit."""
MAX_ORGANIZATION = 51
"""Longest studio name, in characters: the root's common name ``<name> C2PA Root CA`` must fit the
X.509 upper bound of 64 (RFC 5280 Appendix A, ``ub-common-name``)."""
_UNPRINTABLE = re.compile("[" + INVISIBLE_CLASS + "]")

ROOT_CERT_NAME = "studio-root-ca.pem"
"""The studio root CA certificate: give it to clients to pin (``provenance trust add``)."""
OFFLINE_DIR = "offline"
"""Sub-folder for the root CA's private key, to be moved off the machine after keygen."""
ROOT_KEY_NAME = "studio-root-ca.key"
"""The root CA's private key, in :data:`OFFLINE_DIR` (PKCS#8 PEM, mode 0600)."""
SIGNER_CHAIN_NAME = "studio-signer-chain.pem"
"""The signer certificate followed by the root CA certificate (the chain c2pa-rs embeds)."""
SIGNER_KEY_NAME = "studio-signer.key"
"""The signer's private key (PKCS#8 PEM, mode 0600)."""
RETIRED_DIR = "retired"
"""Where :func:`renew_signer` keeps the signer it replaces."""

ROOT_VALIDITY = dt.timedelta(days=20 * 365)
SIGNER_VALIDITY = dt.timedelta(days=2 * 365)
_BACKDATE = dt.timedelta(minutes=5)  # tolerate small clock differences between machines

_C2PA_SIGNING = ObjectIdentifier("1.3.6.1.4.1.62558.2.1")
_MS_C2PA_SIGNING = ObjectIdentifier("1.3.6.1.4.1.311.76.59.1.9")
_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
_SIGNER_EKUS = frozenset({
    ExtendedKeyUsageOID.EMAIL_PROTECTION, _DOCUMENT_SIGNING, ExtendedKeyUsageOID.TIME_STAMPING,
    ExtendedKeyUsageOID.OCSP_SIGNING, _MS_C2PA_SIGNING, _C2PA_SIGNING,
})
_ALONE_EKUS = frozenset({ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.OCSP_SIGNING})
_KNOWN_CRITICAL = frozenset({
    x509.BasicConstraints.oid, x509.KeyUsage.oid, x509.ExtendedKeyUsage.oid,
    x509.SubjectAlternativeName.oid, x509.CertificatePolicies.oid, x509.NameConstraints.oid,
    x509.PolicyConstraints.oid, x509.InhibitAnyPolicy.oid,
})
_EC_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)


@dataclass(frozen=True, slots=True)
class StudioIdentity:
    """Paths of the files :func:`create_identity` or :func:`renew_signer` wrote or kept.

    ``created`` lists the files written by this call (the others already existed).
    """

    root_cert: Path
    root_key: Path
    signer_chain: Path
    signer_key: Path
    signer_not_after: dt.datetime
    created: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class StudioSigner:
    """A loaded C2PA signer: its certificate chain and key, ready for c2pa-python.

    ``chain_pem`` is the signer certificate then its issuers (PEM);
    ``key_pem`` the private key as *unencrypted* PKCS#8 PEM (kept in memory only:
    c2pa-python takes the key as PEM bytes); ``root_pem`` the last certificate of
    the chain (the studio root), ``algorithm`` the COSE algorithm name (``es256``...).
    """

    chain_pem: bytes
    key_pem: bytes
    root_pem: bytes
    algorithm: str
    certificate: x509.Certificate

    def __repr__(self) -> str:  # never print the key
        return f"StudioSigner({self.certificate.subject.rfc4514_string()!r}, {self.algorithm})"


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
    ])


def _key_usage(*, digital_signature: bool, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
        encipher_only=False, decipher_only=False,
    )


def _new_root(organization: str, now: dt.datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{organization} C2PA Root CA", organization)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE).not_valid_after(now + ROOT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(digital_signature=True, cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _new_signer(
    root_cert: x509.Certificate, root_key: ec.EllipticCurvePrivateKey, now: dt.datetime, validity: dt.timedelta
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    organization = _organization(root_cert)
    not_after = min(now + validity, root_cert.not_valid_after_utc)
    root_ski = root_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{organization} C2PA Signer", organization))
        .issuer_name(root_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    return cert, key


def _organization(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    value = values[0].value if values else "Studio"
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey, passphrase: str | None) -> bytes:
    encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
    if passphrase:
        encryption = serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _mkdir(folder: Path, mode: int = 0o755) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=mode)
    except OSError as error:
        raise OutputError(f"cannot create {folder}: {error.strerror or error}") from error


def signer_profile_problems(
    cert: x509.Certificate, issuer: x509.Certificate | None, at: dt.datetime
) -> list[str]:
    """Why ``cert`` would be refused as a C2PA claim signer at time ``at`` (empty: acceptable).

    Args:
        cert: the end-entity (signer) certificate.
        issuer: the certificate that issued it (the next one in the chain), or ``None``.
        at: the signing time, timezone-aware.
    Returns:
        Plain sentences, one per broken rule of the profile (module docstring;
        c2pa-rs ``certificate_profile.rs``).
    """
    problems: list[str] = []
    if cert.version is not x509.Version.v3:
        problems.append("it is not an X.509 v3 certificate")
    if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
        problems.append(f"it is not valid now (valid {cert.not_valid_before_utc:%Y-%m-%d} to "
                        f"{cert.not_valid_after_utc:%Y-%m-%d}): issue a new one with `provenance keygen --renew-signer`")
    if cert.issuer == cert.subject:
        problems.append("it is self-signed (C2PA needs a signer issued by a CA)")
    elif issuer is not None:
        try:
            cert.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            problems.append("it was not issued by the next certificate of the chain")
    public = cert.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        if not isinstance(public.curve, _EC_CURVES):
            problems.append(f"its curve {public.curve.name} is not P-256, P-384 or P-521")
    elif isinstance(public, rsa.RSAPublicKey):
        if public.key_size < 2048:
            problems.append(f"its RSA key has {public.key_size} bits (at least 2048 are needed)")
    elif not isinstance(public, ed25519.Ed25519PublicKey):
        problems.append(f"its key type {type(public).__name__} cannot sign C2PA claims")
    problems.extend(_extension_problems(cert))
    return problems


def _extension_problems(cert: x509.Certificate) -> list[str]:
    problems: list[str] = []
    extensions = {extension.oid: extension for extension in cert.extensions}
    unknown = [ext.oid.dotted_string for ext in cert.extensions if ext.critical and ext.oid not in _KNOWN_CRITICAL]
    if unknown:
        problems.append(f"it has unknown critical extensions ({', '.join(unknown)})")
    basic = extensions.get(x509.BasicConstraints.oid)
    if basic is not None and isinstance(basic.value, x509.BasicConstraints) and basic.value.ca:
        problems.append("it is a CA certificate (a signer must not be a CA)")
    if x509.AuthorityKeyIdentifier.oid not in extensions:
        problems.append("it has no Authority Key Identifier")
    usage = extensions.get(x509.KeyUsage.oid)
    if usage is None or not isinstance(usage.value, x509.KeyUsage) or not usage.value.digital_signature:
        problems.append("its Key Usage does not include digitalSignature")
    elif usage.value.key_cert_sign:
        problems.append("its Key Usage includes keyCertSign (only a CA may sign certificates)")
    eku = extensions.get(x509.ExtendedKeyUsage.oid)
    if eku is None or not isinstance(eku.value, x509.ExtendedKeyUsage):
        problems.append("it has no Extended Key Usage (C2PA requires one, e.g. emailProtection)")
        return problems
    oids = set(eku.value)
    if ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE in oids:
        problems.append("its Extended Key Usage includes anyExtendedKeyUsage, which C2PA refuses")
    if not oids & _SIGNER_EKUS:
        problems.append("its Extended Key Usage has none of the C2PA signer purposes "
                        "(emailProtection, documentSigning, C2PA signing...)")
    if oids & _ALONE_EKUS and len(oids) > 1:
        problems.append("timeStamping or OCSPSigning is combined with another Extended Key Usage")
    return problems


def check_organization(organization: str) -> None:
    """Refuse a studio name that cannot be, or should not be, put in the certificates' subjects.

    Raises:
        StudioIdentityError: ``organization`` is not a ``str``, is blank, longer than
            :data:`MAX_ORGANIZATION` characters, or holds control, separator or bidirectional
            characters (every viewer and every report would show them).
    """
    if not isinstance(organization, str):
        raise StudioIdentityError(f"the studio name must be text, not {type(organization).__name__}")
    if not organization.strip():
        raise StudioIdentityError("the studio name (--studio) must not be blank")
    if len(organization) > MAX_ORGANIZATION:
        raise StudioIdentityError(f"the studio name (--studio) is {len(organization)} characters long: at most "
                                  f"{MAX_ORGANIZATION} fit in the certificates' common name")
    if _UNPRINTABLE.search(organization):
        raise StudioIdentityError("the studio name (--studio) holds control or bidirectional characters")


def check_identity_folder(folder: str | Path, *, organization: str) -> None:
    """What :func:`create_identity` would refuse, checked before anything is written (``keygen`` runs it
    before it writes the certificate key pair, so a refused identity leaves the folder as it was).

    Raises:
        StudioIdentityError: a partial identity that cannot be completed, an ``offline/`` that is a link
            or not a folder, or (when a new root is needed) a studio name :func:`check_organization` refuses.
    """
    base = Path(folder)
    root_cert_path, root_key_path = base / ROOT_CERT_NAME, base / OFFLINE_DIR / ROOT_KEY_NAME
    chain_path, signer_key_path = base / SIGNER_CHAIN_NAME, base / SIGNER_KEY_NAME
    if _exists(chain_path) or _exists(signer_key_path):
        if not (_exists(chain_path) and _exists(signer_key_path) and _exists(root_cert_path)):
            raise StudioIdentityError(
                f"{base} holds part of a studio signer ({SIGNER_CHAIN_NAME}, {SIGNER_KEY_NAME}, {ROOT_CERT_NAME}): "
                "complete it or choose another --out folder; nothing is overwritten")
        return
    if _exists(root_cert_path):
        if not _exists(root_key_path):
            raise StudioIdentityError(
                f"{root_cert_path} exists but its key {root_key_path} does not: put the root key back to issue "
                "a signer, or choose another --out folder")
        return
    if _exists(root_key_path):
        raise StudioIdentityError(f"{root_key_path} exists without {root_cert_path}; nothing is overwritten")
    _check_private_folder(root_key_path.parent, "the root CA key")
    check_organization(organization)


def _check_private_folder(folder: Path, what: str) -> None:
    """A folder that receives a private key must be a real folder: through a link the key would land
    wherever the link points (a shared or synchronised folder), outside the mode-0700 folder."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise StudioIdentityError(f"{folder} is a link or not a folder: {what} goes only into a real "
                                  "folder of its own (mode 0700)")


def create_identity(
    folder: str | Path, *, organization: str, passphrase: str | None = None, now: dt.datetime | None = None
) -> StudioIdentity:
    """Write the studio root CA and a C2PA signer under it into ``folder``; never overwrite.

    Files (see the ``*_NAME`` constants): ``studio-root-ca.pem``,
    ``offline/studio-root-ca.key``, ``studio-signer-chain.pem``, ``studio-signer.key``.
    Existing files are kept: a folder with a root (certificate and key) but no
    signer gets a new signer from that root; a complete identity is left as it is.

    Args:
        folder: destination, created if missing.
        organization: the studio's name, used in the subjects (``O=``, and
            ``CN=<organization> C2PA Root CA`` / ``... C2PA Signer``).
        passphrase: encrypts both private keys when given.
        now: the issuance time (default: the clock), timezone-aware.
    Returns:
        :class:`StudioIdentity`.
    Raises:
        StudioIdentityError: a partial identity that cannot be completed (a signer
            without its root, a root certificate without its key, a file that is
            not what its name says).
        OutputError: the folder or a file cannot be written.
    Side effects: creates the folder, ``offline/`` (mode 0700) and the missing files
    (private keys mode 0600).
    """
    base = Path(folder)
    now = now or dt.datetime.now(dt.UTC)
    root_cert_path, root_key_path = base / ROOT_CERT_NAME, base / OFFLINE_DIR / ROOT_KEY_NAME
    chain_path, signer_key_path = base / SIGNER_CHAIN_NAME, base / SIGNER_KEY_NAME
    check_identity_folder(base, organization=organization)
    if _exists(chain_path):  # complete (checked above): kept as it is
        chain = _load_chain(chain_path)
        return StudioIdentity(root_cert_path, root_key_path, chain_path, signer_key_path,
                              chain[0].not_valid_after_utc, ())
    created: list[Path] = []
    if _exists(root_cert_path):
        root_cert = _load_chain(root_cert_path)[0]
        root_key = _load_ec_key(root_key_path, passphrase, "the root CA key")
    else:
        root_cert, root_key = _new_root(organization, now)
        _mkdir(base)
        _mkdir(root_key_path.parent, 0o700)
        write_atomic(root_key_path, _key_pem(root_key, passphrase), mode=0o600, exclusive=True)
        write_atomic(root_cert_path, _pem(root_cert), exclusive=True)
        created += [root_key_path, root_cert_path]
    signer_cert, signer_key = _new_signer(root_cert, root_key, now, SIGNER_VALIDITY)
    _write_signer(chain_path, signer_key_path, signer_cert, signer_key, root_cert, passphrase, exclusive=True,
                  now=now)
    created += [signer_key_path, chain_path]
    return StudioIdentity(root_cert_path, root_key_path, chain_path, signer_key_path,
                          signer_cert.not_valid_after_utc, tuple(created))


def _write_signer(
    chain_path: Path, key_path: Path, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey,
    root_cert: x509.Certificate, passphrase: str | None, *, exclusive: bool, now: dt.datetime,
) -> None:
    problems = signer_profile_problems(cert, root_cert, now)
    if problems:  # pragma: no cover - a bug in _new_signer, never a user error
        raise StudioIdentityError("the new signer does not meet the C2PA profile: " + "; ".join(problems))
    write_atomic(key_path, _key_pem(key, passphrase), mode=0o600, exclusive=exclusive)
    write_atomic(chain_path, _pem(cert) + _pem(root_cert), exclusive=exclusive)


def renew_signer(
    folder: str | Path, *, passphrase: str | None = None, root_key: str | Path | None = None,
    now: dt.datetime | None = None,
) -> StudioIdentity:
    """Issue a new signer from the studio root, keeping the old one in ``retired/``.

    Args:
        folder: a folder made by :func:`create_identity`.
        passphrase: of the root key (when encrypted); also encrypts the new signer key.
        root_key: the root CA key file (default ``folder/offline/studio-root-ca.key``:
            bring it back from where it is kept for the renewal).
        now: the issuance time (default: the clock).
    Returns:
        :class:`StudioIdentity` with the new signer.
    Raises:
        StudioIdentityError: no root certificate or key, a key that does not match
            the root, a wrong passphrase, a ``retired/`` that is a link or not a folder.
        OutputError: a file cannot be written.
    Side effects: copies the current signer files to ``retired/<serial>-*`` (never
    overwritten), then replaces ``studio-signer-chain.pem`` and ``studio-signer.key``
    (each atomically: key first, then chain).
    """
    base = Path(folder)
    now = now or dt.datetime.now(dt.UTC)
    root_cert_path = base / ROOT_CERT_NAME
    key_path = Path(root_key) if root_key is not None else base / OFFLINE_DIR / ROOT_KEY_NAME
    if not _exists(root_cert_path):
        raise StudioIdentityError(f"no studio root CA in {base} ({ROOT_CERT_NAME}): run `provenance keygen --x509`")
    if not _exists(key_path):
        raise StudioIdentityError(
            f"the root CA key {key_path} is not there: bring it back from where it is kept (or pass --root-key)")
    root_cert = _load_chain(root_cert_path)[0]
    ca_key = _load_ec_key(key_path, passphrase, "the root CA key")
    if ca_key.public_key().public_numbers() != _ec_public(root_cert, root_cert_path).public_numbers():
        raise StudioIdentityError(f"{key_path} is not the key of {root_cert_path}")
    chain_path, signer_key_path = base / SIGNER_CHAIN_NAME, base / SIGNER_KEY_NAME
    if _exists(chain_path) and _exists(signer_key_path):
        old = _load_chain(chain_path)[0]
        retired = base / RETIRED_DIR
        _check_private_folder(retired, "the retired signer key")
        _mkdir(retired, 0o700)
        stem = f"{old.serial_number:x}"
        for source, name, mode in ((signer_key_path, f"{stem}-{SIGNER_KEY_NAME}", 0o600),
                                   (chain_path, f"{stem}-{SIGNER_CHAIN_NAME}", 0o644)):
            target = retired / name
            if not _exists(target):
                write_atomic(target, read_regular_file(source, "the signer file", StudioIdentityError),
                             mode=mode, exclusive=True)
    cert, key = _new_signer(root_cert, ca_key, now, SIGNER_VALIDITY)
    _write_signer(chain_path, signer_key_path, cert, key, root_cert, passphrase, exclusive=False, now=now)
    return StudioIdentity(root_cert_path, key_path, chain_path, signer_key_path, cert.not_valid_after_utc,
                          (signer_key_path, chain_path))


def _load_chain(path: Path) -> list[x509.Certificate]:
    data = read_regular_file(path, "the certificate file", StudioIdentityError, max_bytes=1024 * 1024)
    try:
        chain = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise StudioIdentityError(f"{path} holds no PEM certificate") from None
    return chain


def _ec_public(cert: x509.Certificate, source: Path) -> ec.EllipticCurvePublicKey:
    public = cert.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        raise StudioIdentityError(f"{source}: the studio identity uses EC keys; this certificate does not")
    return public


def _load_ec_key(path: Path, passphrase: str | None, what: str) -> ec.EllipticCurvePrivateKey:
    data = read_regular_file(path, what, StudioIdentityError, max_bytes=1024 * 1024)
    encrypted = is_encrypted_pem(data)
    if encrypted and not passphrase:
        raise StudioIdentityError(f"{what} {path} is encrypted: give its passphrase (PROVENANCE_KEY_PASSPHRASE)")
    try:
        key = serialization.load_pem_private_key(
            data, password=passphrase.encode("utf-8") if encrypted and passphrase else None)
    except (ValueError, TypeError):
        if encrypted:
            raise StudioIdentityError(f"wrong passphrase for {what} {path}") from None
        raise StudioIdentityError(f"{path} is not a PEM private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise StudioIdentityError(f"{path}: the studio identity uses EC keys, not {type(key).__name__}")
    return key


_ALGORITHMS = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}


def load_signer(folder: str | Path, *, passphrase: str | None = None, at: dt.datetime | None = None) -> StudioSigner:
    """Load ``studio-signer-chain.pem`` and ``studio-signer.key`` from ``folder`` and check them.

    Args:
        folder: the folder ``provenance keygen --x509`` wrote.
        passphrase: of the signer key, when encrypted.
        at: the signing time the certificate must be valid at (default: now).
    Returns:
        :class:`StudioSigner`.
    Raises:
        StudioIdentityError: a missing or unreadable file, a wrong passphrase, a
            key that does not match the certificate, a certificate outside the
            C2PA signer profile (:func:`signer_profile_problems`, e.g. expired), a
            chain of more than :data:`MAX_SIGNER_CHAIN` certificates.
    """
    base = Path(folder)
    chain_path, key_path = base / SIGNER_CHAIN_NAME, base / SIGNER_KEY_NAME
    for path in (chain_path, key_path):
        if not _exists(path):
            raise StudioIdentityError(f"no {path.name} in {base}: run `provenance keygen --x509 --out {base}`")
    chain = _load_chain(chain_path)
    if len(chain) > MAX_SIGNER_CHAIN:
        raise StudioIdentityError(f"{chain_path} holds {len(chain)} certificates: a signer chain is the signer, its "
                                  f"intermediates and at most the root ({MAX_SIGNER_CHAIN} certificates at most)")
    key = _load_ec_key(key_path, passphrase, "the signer key")
    cert = chain[0]
    if key.public_key().public_numbers() != _ec_public(cert, chain_path).public_numbers():
        raise StudioIdentityError(f"{key_path} is not the key of the certificate in {chain_path}")
    problems = signer_profile_problems(cert, chain[1] if len(chain) > 1 else None, at or dt.datetime.now(dt.UTC))
    if problems:
        raise StudioIdentityError(f"the signer in {chain_path} cannot sign C2PA manifests: " + "; ".join(problems))
    algorithm = _ALGORITHMS.get(key.curve.name)
    if algorithm is None:
        raise StudioIdentityError(f"{key_path}: curve {key.curve.name} is not P-256, P-384 or P-521")
    return StudioSigner(
        chain_pem=b"".join(_pem(c) for c in chain), key_pem=_key_pem(key, None), root_pem=_pem(chain[-1]),
        algorithm=algorithm, certificate=cert,
    )
