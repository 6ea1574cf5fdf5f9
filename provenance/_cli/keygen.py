"""`provenance keygen --out DIR`, and the passphrase rules shared with `certify`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import UsageError
from ..keys import KeyAlgorithm, SigningKey, write_key_pair
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


@cli.command("keygen", epilog=f"The private key is encrypted when {PASSPHRASE_ENV} is set or --encrypt is given. "
             "Exit codes: 0 keys written; 2 usage error; 4 a file exists or cannot be written.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for provenance.key (private, mode 0600) and provenance.pub (public); created if missing.")
@click.option("--algorithm", type=click.Choice([a.value for a in KeyAlgorithm]), default=KeyAlgorithm.ED25519.value,
              show_default=True, help="Signature algorithm.")
@click.option("--encrypt", is_flag=True,
              help=f"Encrypt the private key with a passphrase: {PASSPHRASE_ENV} if set, else asked at a prompt.")
def keygen_command(out_dir: Path, algorithm: str, encrypt: bool) -> int:
    """Generate the studio's certificate signing key pair. Never overwrites a file."""
    passphrase = passphrase_from_environment()
    if encrypt and passphrase is None:
        passphrase = ask_passphrase(confirm=True, purpose="the new private key")
    key = SigningKey.generate(algorithm)
    private_path, public_path = write_key_pair(key, out_dir, passphrase=passphrase)
    state = "encrypted" if passphrase else "not encrypted"
    click.echo(f"private key: {private_path} ({key.algorithm.label}, {state}, mode 0600; keep it secret, "
               "never deliver it)")
    click.echo(f"public key:  {public_path} (give it to clients; they verify certificates with it)")
    click.echo(f"key id:      {key.key_id}")
    return 0
