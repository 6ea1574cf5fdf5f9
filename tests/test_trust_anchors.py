"""--trust-anchors files: clear refusals for what is not a bundle of CA certificates."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, TEST_ROOT
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from provenance import TrustAnchorError, TrustConfig

PKI = FIXTURES / "pki"


def test_root_loads_with_fingerprint_and_no_warning() -> None:
    config = TrustConfig.from_pem_files([TEST_ROOT])
    (anchor,) = config.anchors
    der = x509.load_pem_x509_certificate(TEST_ROOT.read_bytes()).public_bytes(serialization.Encoding.DER)
    import hashlib

    assert anchor.fingerprint == hashlib.sha256(der).hexdigest()
    assert "Provenance Test Root CA" in anchor.subject
    assert config.warnings == ()


@pytest.mark.parametrize(("content", "message"), [
    (lambda: (PKI / "root-ca.pem").read_bytes() + (PKI / "root-ca.key").read_bytes(), "holds a private key"),
    (lambda: b"", "the file is empty"),
    (lambda: x509.load_pem_x509_certificate(TEST_ROOT.read_bytes()).public_bytes(serialization.Encoding.DER),
     "DER (binary) certificate"),
    (lambda: b"<html>Not found</html>", "not a PEM bundle"),
])
def test_bad_anchor_files_are_refused_with_a_reason(tmp_path: Path, content, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "anchors.pem"
    path.write_bytes(content())
    with pytest.raises(TrustAnchorError) as error:
        TrustConfig.from_pem_files([path])
    assert message in str(error.value) and str(path) in str(error.value)


def test_leaf_only_file_is_accepted_with_a_warning(tmp_path: Path) -> None:
    chain = (PKI / "signer-chain.pem").read_text()
    leaf = chain[: chain.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")] + "\n"
    path = tmp_path / "leaf.pem"
    path.write_text(leaf)
    config = TrustConfig.from_pem_files([path])
    assert len(config.anchors) == 1
    assert any("holds no CA certificate" in warning for warning in config.warnings)


def test_merging_deduplicates_by_fingerprint() -> None:
    config = TrustConfig.from_pem_files([TEST_ROOT, PKI / "signer-chain.pem"])
    assert len(config.anchors) == 2  # the root once, plus the leaf
