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


# ---------------------------------------------------------------------------
# Issue 15 item 6: first-hour frictions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("given", [str(TEST_ROOT), TEST_ROOT], ids=["str", "Path"])
def test_one_path_is_one_file_not_a_sequence_of_characters(given: object) -> None:
    config = TrustConfig.from_pem_files(given)  # type: ignore[arg-type]
    assert [source.location for source in config.sources] == [str(TEST_ROOT)]
    assert len(config.anchors) == 1


@pytest.mark.parametrize("given, named", [(42, "int"), (b"root.pem", "bytes"), ([TEST_ROOT, 7], "int"),
                                          (None, "NoneType")])
def test_wrong_types_raise_type_error_naming_the_expected_type(given: object, named: str) -> None:
    with pytest.raises(TypeError, match=r"a path \(str or os.PathLike\) or an iterable of paths") as caught:
        TrustConfig.from_pem_files(given)  # type: ignore[arg-type]
    assert named in str(caught.value)
    with pytest.raises(TypeError, match="expects a TrustConfig, not str"):
        TrustConfig().merged("root.pem")  # type: ignore[arg-type]


def test_trust_add_of_a_keygen_public_key_says_what_it_is(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import run_cli

    assert run_cli(["keygen", "--out", str(tmp_path / "keys")], capsys)[0] == 0
    code, _, err = run_cli(["trust", "add", str(tmp_path / "keys" / "provenance.pub")], capsys)
    assert code == 2
    assert "is a public key, not a CA certificate" in err
    assert "`provenance keygen` key signs compliance certificates" in err and "verify --key" in err


def test_a_keygen_public_key_as_trust_anchors_says_what_it_is(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import run_cli

    assert run_cli(["keygen", "--out", str(tmp_path / "keys")], capsys)[0] == 0
    with pytest.raises(TrustAnchorError, match="is a public key, not a CA certificate"):
        TrustConfig.from_pem_files(tmp_path / "keys" / "provenance.pub")
