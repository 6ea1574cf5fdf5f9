"""`provenance keygen --out DIR [--x509]`, `keygen --renew-signer DIR`, and the passphrase rules shared
with `certify` and `stamp`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .._io import read_regular_file
from .._x509 import OFFLINE_DIR, ROOT_KEY_NAME, StudioIdentity, check_identity_folder, create_identity, renew_signer
from ..errors import UsageError
from ..keys import (
    PRIVATE_KEY_NAME,
    PUBLIC_KEY_NAME,
    KeyAlgorithm,
    SigningKey,
    is_encrypted_pem,
    write_key_pair,
)
from ._app import cli

PASSPHRASE_ENV = "PROVENANCE_KEY_PASSPHRASE"


def _interactive() -> bool:
    return sys.stdin.isatty()


def passphrase_from_environment() -> str | None:
    """The passphrase in ``PROVENANCE_KEY_PASSPHRASE`` (``None`` when unset or empty)."""
    return os.environ.get(PASSPHRASE_ENV) or None


def ask_passphrase(*, confirm: bool, purpose: str) -> str:
    """The passphrase from the environment, else from a hidden prompt (never from an argument).

    Raises:
        UsageError: no passphrase in the environment and no terminal to ask on, or an empty answer.
    """
    secret = passphrase_from_environment()
    if secret is not None:
        return secret
    if not _interactive():
        raise UsageError(f"{purpose} needs a passphrase: set {PASSPHRASE_ENV} (no terminal to ask on)")
    answer = str(click.prompt(f"Passphrase for {purpose}", hide_input=True, confirmation_prompt=confirm,
                              err=True))
    if not answer:
        raise UsageError("an empty passphrase is not accepted")
    return answer


def _write_certificate_key_pair(out_dir: Path, algorithm: str, passphrase: str | None) -> None:
    """The DSSE certificate-signing key pair (``provenance.key``, ``provenance.pub``)."""
    key = SigningKey.generate(algorithm)
    private_path, public_path = write_key_pair(key, out_dir, passphrase=passphrase)
    state = "encrypted" if passphrase else "not encrypted"
    click.echo(f"private key: {private_path} ({key.algorithm.label}, {state}, mode 0600; keep it secret, "
               "never deliver it)")
    click.echo(f"public key:  {public_path} (give it to clients; they verify certificates with it)")
    click.echo(f"key id:      {key.key_id}")


def _keep_or_write_key_pair(out_dir: Path, algorithm: str, passphrase: str | None) -> None:
    """With --x509: keep an existing pair, write a missing one, refuse half a pair."""
    present = [path.exists() or path.is_symlink() for path in (out_dir / PRIVATE_KEY_NAME, out_dir / PUBLIC_KEY_NAME)]
    if all(present):
        click.echo(f"kept:        {out_dir / PRIVATE_KEY_NAME} and {out_dir / PUBLIC_KEY_NAME} (already there)")
    elif any(present):
        raise UsageError(f"{out_dir} holds only one of {PRIVATE_KEY_NAME} and {PUBLIC_KEY_NAME}: complete or remove "
                         "it (nothing is overwritten)")
    else:
        _write_certificate_key_pair(out_dir, algorithm, passphrase)


def _print_identity(identity: StudioIdentity, *, renewed: bool) -> None:
    made = set(identity.created)

    def state(path: Path) -> str:
        return "written" if path in made else "kept"

    if not renewed:
        click.echo(f"studio root: {identity.root_cert} ({state(identity.root_cert)}; give it to clients to pin, and "
                   "pin it yourself: provenance trust add)")
        if identity.root_key in made:
            click.echo(f"root key:    {identity.root_key} (mode 0600). MOVE IT OFF THIS MACHINE (offline storage); "
                       "it is needed only to renew the signer (keygen --renew-signer)")
    click.echo(f"signer:      {identity.signer_chain} and {identity.signer_key} ({state(identity.signer_chain)}; "
               f"C2PA signer, ES256, valid until {identity.signer_not_after:%Y-%m-%d}; used by provenance stamp)")


@cli.command("keygen", epilog=f"Private keys are encrypted when {PASSPHRASE_ENV} is set or --encrypt is given. "
             "Exit codes: 0 keys written; 2 usage error; 4 a file exists or cannot be written.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for provenance.key (private, mode 0600) and provenance.pub (public); created if missing.")
@click.option("--algorithm", type=click.Choice([a.value for a in KeyAlgorithm]), default=KeyAlgorithm.ED25519.value,
              show_default=True, help="Signature algorithm of the certificate key pair.")
@click.option("--encrypt", is_flag=True,
              help=f"Encrypt the private keys with a passphrase: {PASSPHRASE_ENV} if set, else asked at a prompt.")
@click.option("--x509", "x509_identity", is_flag=True,
              help="Also write the studio's C2PA identity for `provenance stamp`: a root CA (studio-root-ca.pem, "
              "its key in offline/) and a signer under it (studio-signer-chain.pem, studio-signer.key). Existing "
              "files are kept; only missing ones are added.")
@click.option("--studio", "organization", default="Studio", show_default=True,
              help="With --x509: the studio's name, shown as the signer's organization in Content Credentials viewers.")
@click.option("--renew-signer", "renew_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Issue a new C2PA signer from the studio root in this folder (the old one is kept in retired/).")
@click.option("--root-key", "root_key", type=click.Path(dir_okay=False, path_type=Path),
              help="With --renew-signer: the root CA key (default: DIR/offline/studio-root-ca.key).")
def keygen_command(out_dir: Path | None, algorithm: str, encrypt: bool, x509_identity: bool, organization: str,
                   renew_dir: Path | None, root_key: Path | None) -> int:
    """Generate the studio's keys: the certificate signing key pair and, with --x509, its C2PA
    signing identity. Never overwrites a key."""
    if (out_dir is None) == (renew_dir is None):
        raise UsageError("give either --out DIR (new keys) or --renew-signer DIR (a new C2PA signer)")
    if root_key is not None and renew_dir is None:
        raise UsageError("--root-key goes with --renew-signer")
    passphrase = passphrase_from_environment()
    if renew_dir is not None:
        ca_key = root_key if root_key is not None else renew_dir / OFFLINE_DIR / ROOT_KEY_NAME
        if passphrase is None and (encrypt or (ca_key.is_file() and is_encrypted_pem(
                read_regular_file(ca_key, "the root CA key", UsageError, max_bytes=1 << 20)))):
            passphrase = ask_passphrase(confirm=False, purpose="the root CA key (it also encrypts the new signer key)")
        identity = renew_signer(renew_dir, passphrase=passphrase, root_key=root_key)
        _print_identity(identity, renewed=True)
        return 0
    assert out_dir is not None
    if (out_dir.exists() or out_dir.is_symlink()) and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} exists and is not a folder")
    if x509_identity:
        check_identity_folder(out_dir, organization=organization)  # refuse before writing anything
    if encrypt and passphrase is None:
        passphrase = ask_passphrase(confirm=True, purpose="the new private keys")
    if not x509_identity:
        _write_certificate_key_pair(out_dir, algorithm, passphrase)
        return 0
    _keep_or_write_key_pair(out_dir, algorithm, passphrase)
    _print_identity(create_identity(out_dir, organization=organization, passphrase=passphrase), renewed=False)
    return 0
