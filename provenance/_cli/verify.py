"""`provenance verify CERT PATH... --key PUB`"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from .._io import read_regular_file
from ..certificate import verify_certificate
from ..errors import UsageError
from ..keys import PublicKey
from ._app import build_trust, cli, emit, format_options, guard_output, trust_files
from ._options import trust_flags, trust_options
from .render_certificate import exit_code, verification_text


@cli.command("verify", epilog="Exit codes: 0 everything verified; 1 any check, file or re-audited verdict "
             "failed; 2 usage error (bad key, missing path, ambiguous root, --reaudit without trust anchors); "
             "4 failure while running. There is no --policy: the certificate records its own policy.")
@click.argument("certificate", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The studio's public key (PEM), obtained from the studio out of band.")
@click.option("--root", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The delivery root the certificate's names are relative to (required unless PATH is one folder).")
@click.option("--partial", is_flag=True,
              help="PATH is only part of the delivery: certified files not given are reported 'not_given' "
                   "instead of 'missing' (every file given must still verify).")
@click.option("--reaudit", is_flag=True,
              help="Also audit the verified images again under the policy recorded in the certificate "
                   "(with --trust-anchors or the trust store) and report verdicts that changed since certification.")
@trust_options
@format_options
def verify_command(certificate: Path, paths: tuple[Path, ...], key_path: Path, root: Path | None, partial: bool,
                   reaudit: bool, output_format: str, output: Path | None) -> int:
    """Check, offline, that the files are exactly those a certificate covers, signed by the pinned key."""
    given = sorted(trust_flags().given - {"--no-trust-store"})
    if given and not reaudit:
        raise UsageError(f"{', '.join(given)} appl{'ies' if len(given) == 1 else 'y'} only with --reaudit")
    guard_output(output, (certificate, key_path, *paths, *trust_files()))
    if key_path.exists():
        read_regular_file(key_path, "the public key", UsageError)  # never block on a pipe
    key = PublicKey.load(key_path)
    trust = build_trust() if reaudit else None
    # The certificate is given by path: the library reads it (regular files only, capped) and leaves it
    # out of the delivery when it lies there.
    result = verify_certificate(certificate, list(paths), key=key, root=root, reaudit=reaudit, trust=trust,
                                at=datetime.now(UTC), partial=partial)
    emit(result.to_json() if output_format == "json" else verification_text(result), output,
         protect=(certificate, key_path, *paths, *trust_files()))
    if output is not None:
        click.echo(f"wrote {output}: {'verified' if result.ok else 'verification FAILED'}", err=True)
    return exit_code(result)
