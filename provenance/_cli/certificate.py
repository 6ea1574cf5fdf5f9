"""`provenance certificate show CERT`: what a certificate says, without a key (NOT VERIFIED)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .._io import read_regular_file
from ..certificate import MAX_CERTIFICATE_BYTES, Certificate
from ..errors import CertificateError, UsageError
from ._app import cli
from .render_certificate import show_dict, show_text


@cli.group("certificate")
def certificate_group() -> None:
    """Look inside a certificate of compliance (to check one, use `provenance verify`)."""


@certificate_group.command("show", epilog="Exit codes: 0 the certificate parses (it is NOT verified); 1 it "
                           "does not parse (not a DSSE envelope holding a JSON Statement); 2 usage error "
                           "(missing file, a pipe or folder).")
@click.argument("certificate", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
def show_command(certificate: Path, output_format: str) -> int:
    """Print what CERTIFICATE contains, read without a key: NOT VERIFIED (no signature is checked)."""
    data = read_regular_file(certificate, "the certificate", UsageError, max_bytes=MAX_CERTIFICATE_BYTES + 1,
                             truncate=True)
    try:
        envelope = Certificate.from_json(data)
        statement = envelope.statement()
    except CertificateError as error:
        click.echo(f"provenance: error: {certificate} is not a certificate that can be read: {error.message} "
                   f"[{error.code}]", err=True)
        return 1
    if output_format == "json":
        click.echo(json.dumps(show_dict(envelope, statement), indent=2, ensure_ascii=False))
    else:
        click.echo(show_text(envelope, statement), nl=False)
    return 0
