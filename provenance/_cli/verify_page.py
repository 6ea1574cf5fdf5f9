"""`provenance verify-page --output verify.html`"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._io import write_atomic
from ..verify_page import build_page, page_sha256
from ._app import cli, to_stdout


@cli.command("verify-page", epilog="Exit codes: 0 page written; 2 usage error; 4 the page could not be written.")
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the page (HTML), atomically; - for standard output (the digest then goes "
                   "to standard error).")
def verify_page_command(output: Path) -> int:
    """Write the offline verification page clients open in a browser, and print its SHA-256.

    The page is the same bytes for everyone using this release (no key, no delivery data in
    it), so a client can check the digest printed here against the published one.
    """
    page = build_page()
    if to_stdout(output):  # as every other command's `-o -`: never a file named "-"
        sys.stdout.buffer.write(page)
        sys.stdout.flush()
        click.echo(f"{page_sha256()}  -", err=True)
        return 0
    write_atomic(output, page)
    click.echo(f"{page_sha256()}  {output}")
    return 0
