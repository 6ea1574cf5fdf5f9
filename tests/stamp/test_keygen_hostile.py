"""`provenance keygen --x509` refuses, before writing anything, what it cannot finish or should not write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli as run

from provenance import StudioIdentityError
from provenance._cli import keygen as keygen_module
from provenance._x509 import MAX_ORGANIZATION, MAX_SIGNER_CHAIN, SIGNER_KEY_NAME, create_identity, load_signer


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVENANCE_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr(keygen_module, "_interactive", lambda: False)


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize(("studio", "message"), [
    ("S" * (MAX_ORGANIZATION + 1), f"at most {MAX_ORGANIZATION}"),  # was an internal error after provenance.key
    ("Evil\u202eoiduts", "control or bidirectional"),
    ("Studio\nO=Other", "control or bidirectional"),
    ("   ", "must not be blank"),
])
def test_a_studio_name_that_cannot_go_in_a_certificate_is_refused_first(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], studio: str, message: str) -> None:
    out = tmp_path / "keys"
    code, _, err = run(["keygen", "--out", str(out), "--x509", "--studio", studio], capsys)
    assert code == 2 and message in err
    assert _tree(out) == []


def test_the_longest_studio_name_makes_a_usable_signer(tmp_path: Path) -> None:
    create_identity(tmp_path / "keys", organization="S" * MAX_ORGANIZATION)
    assert load_signer(tmp_path / "keys").certificate.subject.rfc4514_string().startswith("O=" + "S" * MAX_ORGANIZATION)


def test_half_a_signer_is_refused_before_the_certificate_key_pair_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "keys"
    out.mkdir()
    (out / SIGNER_KEY_NAME).write_bytes(b"kept")
    code, _, err = run(["keygen", "--out", str(out), "--x509"], capsys)
    assert code == 2 and "part of a studio signer" in err
    assert _tree(out) == [SIGNER_KEY_NAME]  # no provenance.key / provenance.pub either


def test_an_offline_folder_that_is_a_link_does_not_receive_the_root_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "shared-folder"
    elsewhere.mkdir()
    out = tmp_path / "keys"
    out.mkdir()
    (out / "offline").symlink_to(elsewhere)
    code, _, err = run(["keygen", "--out", str(out), "--x509"], capsys)
    assert code == 2 and "is a link or not a folder" in err
    assert _tree(elsewhere) == [] and _tree(out) == ["offline"]


def test_an_out_that_is_a_pipe_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "keys"
    os.mkfifo(pipe)
    code, _, err = run(["keygen", "--out", str(pipe), "--x509"], capsys)
    assert code == 2 and "is not a folder" in err


def test_renewal_does_not_copy_the_old_signer_key_through_a_retired_link(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "keys"
    create_identity(keys, organization="Atelier")
    before = (keys / SIGNER_KEY_NAME).read_bytes()
    elsewhere = tmp_path / "synced"
    elsewhere.mkdir()
    (keys / "retired").symlink_to(elsewhere)
    code, _, err = run(["keygen", "--renew-signer", str(keys)], capsys)
    assert code == 2 and "is a link or not a folder" in err
    assert _tree(elsewhere) == []
    assert (keys / SIGNER_KEY_NAME).read_bytes() == before  # the signer was not replaced either


def test_a_signer_chain_too_long_to_embed_is_refused_when_loaded(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    create_identity(keys, organization="Atelier")
    assert load_signer(keys)  # signer + root
    chain = keys / "studio-signer-chain.pem"
    root = (keys / "studio-root-ca.pem").read_bytes()
    chain.write_bytes(chain.read_bytes() + root * (MAX_SIGNER_CHAIN - 2))
    assert load_signer(keys)  # exactly at the cap
    chain.write_bytes(chain.read_bytes() + root)
    with pytest.raises(StudioIdentityError, match=f"{MAX_SIGNER_CHAIN + 1} certificates"):
        load_signer(keys)
