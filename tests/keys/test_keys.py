"""Signing keys: key ids, PEM files, passphrases, signature encodings, refusals."""

from __future__ import annotations

import hashlib
import stat

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from provenance import InvalidKeyError, KeyAlgorithm, OutputError, PublicKey, SigningKey, UsageError
from provenance.keys import PRIVATE_KEY_NAME, PUBLIC_KEY_NAME, is_encrypted_pem, write_key_pair

ALGORITHMS = [KeyAlgorithm.ED25519, KeyAlgorithm.ECDSA_P256]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_key_id_is_sha256_of_subject_public_key_info_der(algorithm: KeyAlgorithm) -> None:
    key = SigningKey.generate(algorithm)
    der = key.crypto_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert key.key_id == hashlib.sha256(der).hexdigest()
    assert key.public_key.spki_der() == der
    assert PublicKey.from_pem(key.public_key.pem()).key_id == key.key_id
    assert key.algorithm is algorithm


def test_default_algorithm_is_ed25519() -> None:
    assert SigningKey.generate().algorithm is KeyAlgorithm.ED25519


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_write_key_pair_modes_and_round_trip(tmp_path, algorithm: KeyAlgorithm) -> None:
    key = SigningKey.generate(algorithm)
    private_path, public_path = write_key_pair(key, tmp_path / "keys")
    assert (private_path.name, public_path.name) == (PRIVATE_KEY_NAME, PUBLIC_KEY_NAME)
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert private_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_path.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert SigningKey.load(private_path).key_id == key.key_id
    assert PublicKey.load(public_path) == key.public_key


def test_write_key_pair_never_overwrites(tmp_path) -> None:
    first = SigningKey.generate()
    private_path, public_path = write_key_pair(first, tmp_path)
    before = (private_path.read_bytes(), public_path.read_bytes())
    with pytest.raises(OutputError, match="already exists"):
        write_key_pair(SigningKey.generate(), tmp_path)
    assert (private_path.read_bytes(), public_path.read_bytes()) == before


def test_write_key_pair_writes_nothing_when_the_public_key_exists(tmp_path) -> None:
    (tmp_path / PUBLIC_KEY_NAME).write_text("someone else's key")
    with pytest.raises(OutputError, match=PUBLIC_KEY_NAME):
        write_key_pair(SigningKey.generate(), tmp_path)
    assert not (tmp_path / PRIVATE_KEY_NAME).exists()
    assert (tmp_path / PUBLIC_KEY_NAME).read_text() == "someone else's key"


def test_encrypted_private_key(tmp_path) -> None:
    key = SigningKey.generate()
    private_path, _ = write_key_pair(key, tmp_path, passphrase="correct horse")
    data = private_path.read_bytes()
    assert is_encrypted_pem(data)
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert SigningKey.load(private_path, "correct horse").key_id == key.key_id
    assert SigningKey.load(private_path, b"correct horse").key_id == key.key_id
    with pytest.raises(InvalidKeyError, match="wrong passphrase"):
        SigningKey.load(private_path, "battery staple")
    with pytest.raises(InvalidKeyError, match="is encrypted"):
        SigningKey.load(private_path)


def test_passphrase_is_ignored_for_a_key_that_is_not_encrypted(tmp_path) -> None:
    key = SigningKey.generate()
    private_path, _ = write_key_pair(key, tmp_path)
    assert SigningKey.load(private_path, "unused").key_id == key.key_id


def test_signature_encodings() -> None:
    message = b"DSSEv1 payload"
    ed = SigningKey.generate(KeyAlgorithm.ED25519)
    ed_signature = ed.sign(message)
    assert len(ed_signature) == 64
    assert ed.sign(message) == ed_signature  # Ed25519 is deterministic
    assert ed.public_key.verify(ed_signature, message)

    p256 = SigningKey.generate(KeyAlgorithm.ECDSA_P256)
    der = p256.sign(message)
    r, s = decode_dss_signature(der)  # DER-encoded, as securesystemslib and cosign expect
    assert r > 0 and s > 0
    p256.crypto_key.public_key().verify(der, message, ec.ECDSA(hashes.SHA256()))
    assert p256.public_key.verify(der, message)
    assert not p256.public_key.verify(der, message + b"!")
    assert not p256.public_key.verify(b"garbage", message)


def test_signature_shape_tells_the_other_algorithm_apart() -> None:
    ed = SigningKey.generate(KeyAlgorithm.ED25519)
    p256 = SigningKey.generate(KeyAlgorithm.ECDSA_P256)
    ecdsa_signature, ed_signature = p256.sign(b"x"), ed.sign(b"x")
    assert ed.public_key.signature_shape_problem(ed_signature) is None
    assert "ECDSA" in str(ed.public_key.signature_shape_problem(ecdsa_signature))
    assert p256.public_key.signature_shape_problem(ecdsa_signature) is None
    assert "Ed25519" in str(p256.public_key.signature_shape_problem(ed_signature))
    assert "not a DER-encoded" in str(p256.public_key.signature_shape_problem(b"\x01\x02"))


def test_unsupported_keys_are_refused(tmp_path) -> None:
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(InvalidKeyError, match="unsupported key type RSA"):
        SigningKey.from_pem(rsa_pem)
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(InvalidKeyError, match="unsupported elliptic curve secp384r1"):
        SigningKey.from_crypto(p384)
    with pytest.raises(InvalidKeyError, match="unsupported elliptic curve"):
        PublicKey.from_pem(p384.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    with pytest.raises(InvalidKeyError, match="unsupported key algorithm 'rsa'"):
        SigningKey.generate("rsa")


def test_wrong_half_of_the_pair_is_refused_with_a_clear_message() -> None:
    key = SigningKey.generate()
    with pytest.raises(InvalidKeyError, match="holds a public key"):
        SigningKey.from_pem(key.public_key.pem(), source="studio.pub")
    with pytest.raises(InvalidKeyError, match="holds a private key"):
        PublicKey.from_pem(key.private_pem(), source="provenance.key")


def test_unreadable_and_malformed_key_files(tmp_path) -> None:
    with pytest.raises(InvalidKeyError, match="no such private key file"):
        SigningKey.load(tmp_path / "absent.key")
    with pytest.raises(InvalidKeyError, match="no such public key file"):
        PublicKey.load(tmp_path / "absent.pub")
    with pytest.raises(InvalidKeyError, match="is a folder"):
        PublicKey.load(tmp_path)
    (tmp_path / "junk.pem").write_bytes(b"not a key at all")
    with pytest.raises(InvalidKeyError, match="not a PEM public key"):
        PublicKey.load(tmp_path / "junk.pem")
    with pytest.raises(InvalidKeyError, match="not a PEM private key"):
        SigningKey.load(tmp_path / "junk.pem")


def test_key_errors_are_usage_errors() -> None:
    assert issubclass(InvalidKeyError, UsageError)
    assert InvalidKeyError.code == "key.invalid"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_securesystemslib_adapters_use_our_key_id(algorithm: KeyAlgorithm) -> None:
    key = SigningKey.generate(algorithm)
    sslib_key = key.public_key.to_sslib_key()
    signer = key.to_sslib_signer()
    assert sslib_key.keyid == signer.public_key.keyid == key.key_id
    signature = signer.sign(b"data")
    assert signature.keyid == key.key_id
    sslib_key.verify_signature(signature, b"data")
    assert key.public_key.verify(bytes.fromhex(signature.signature), b"data")


def test_public_keys_compare_by_key_id() -> None:
    key = SigningKey.generate()
    same = PublicKey.from_crypto(ed25519.Ed25519PublicKey.from_public_bytes(
        key.public_key.crypto_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)))
    assert same == key.public_key and hash(same) == hash(key.public_key)
    assert SigningKey.generate().public_key != key.public_key
    assert "crypto_key" not in repr(key)


def test_an_x509_certificate_is_not_taken_for_a_key(tmp_path) -> None:
    from conftest import TEST_ROOT

    certificate_pem = TEST_ROOT.read_bytes()
    assert certificate_pem.startswith(b"-----BEGIN CERTIFICATE-----")
    with pytest.raises(InvalidKeyError) as caught:
        PublicKey.load(TEST_ROOT)
    assert caught.value.message == (
        f"{TEST_ROOT} is an X.509 certificate, not a public key: use the public key file that "
        "`provenance keygen` wrote (provenance.pub)")
    with pytest.raises(InvalidKeyError, match="is an X.509 certificate, not a private key: signing needs the "
                                              "private key file that `provenance keygen` wrote"):
        SigningKey.load(TEST_ROOT)
    # a certificate bundled after the public key does not hide the key
    key = SigningKey.generate()
    assert PublicKey.from_pem(key.public_key.pem() + certificate_pem) == key.public_key


@pytest.mark.parametrize(("data", "public", "private"), [
    (b"not a key at all", "(it has no '-----BEGIN PUBLIC KEY-----' line)",
     "(it has no '-----BEGIN PRIVATE KEY-----' line)"),
    (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "(its PUBLIC KEY block is damaged)", None),
    (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", None, "(its PRIVATE KEY block is damaged)"),
    (b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", None,
     "(its 'OPENSSH PRIVATE KEY' block cannot be read as one: export the key as PKCS#8 PEM)"),
    (b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n", "(it holds a PEM block labelled 'PKCS7')",
     "(it holds a PEM block labelled 'PKCS7')"),
])
def test_malformed_key_messages_are_plain_words(data: bytes, public: str | None, private: str | None) -> None:
    """The reasons are ours, not the parser's text (no FAQ links, no 'MalformedFraming')."""
    if public is not None:
        with pytest.raises(InvalidKeyError) as caught:
            PublicKey.from_pem(data, source="k.pem")
        assert caught.value.message == f"k.pem is not a PEM public key {public}"
    if private is not None:
        with pytest.raises(InvalidKeyError) as caught:
            SigningKey.from_pem(data, source="k.pem")
        assert caught.value.message == f"k.pem is not a PEM private key {private}"


def test_a_public_key_file_with_two_public_keys_is_refused() -> None:
    """cryptography took the first key and dropped the second: `verify --key` pinned a guess."""
    first, second = SigningKey.generate().public_key.pem(), SigningKey.generate().public_key.pem()
    with pytest.raises(InvalidKeyError, match=r"studio.pub holds 2 public keys; .*holds exactly one PUBLIC KEY"):
        PublicKey.from_pem(first + second, "studio.pub")
    assert PublicKey.from_pem(first, "studio.pub").pem() == first
