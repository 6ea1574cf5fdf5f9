"""`provenance verify CERT PATH... --key PUB`"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from .._io import read_regular_file
from ..certificate import MAX_CERTIFICATE_BYTES, verify_certificate
from ..errors import UsageError
from ..keys import PublicKey
from ._app import audit_options, build_trust, cli, emit, format_options, guard_output


@cli.command("verify", epilog="Exit codes: 0 everything verified; 1 any check, file or re-audited verdict "
             "failed; 2 usage error (bad key, missing path, ambiguous root); 4 failure while running. "
             "--policy does not apply: the certificate records its own policy.")
@click.argument("certificate", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The studio's public key (PEM), obtained from the studio out of band.")
@click.option("--root", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The delivery root the certificate's names are relative to (required unless PATH is one folder).")
@click.option("--reaudit", is_flag=True,
              help="Also audit the verified images again under the policy recorded in the certificate "
                   "(with --trust-anchors) and report verdicts that changed since certification.")
@audit_options
@format_options
def verify_command(certificate: Path, paths: tuple[Path, ...], key_path: Path, root: Path | None, reaudit: bool,
                   policy_path: Path | None, trust_anchors: tuple[Path, ...], output_format: str,
                   output: Path | None) -> int:
    """Check, offline, that the files are exactly those a certificate covers, signed by the pinned key."""
    if policy_path is not None:
        raise UsageError("verify uses the policy recorded in the certificate; --policy does not apply")
    if trust_anchors and not reaudit:
        raise UsageError("--trust-anchors applies only with --reaudit")
    guard_output(output, (certificate, key_path, *paths, *trust_anchors))
    if key_path.exists():
        read_regular_file(key_path, "the public key", UsageError)  # never block on a pipe
    key = PublicKey.load(key_path)
    # Read one byte past the limit, so the library reports an oversized certificate as a failed check.
    data = read_regular_file(certificate, "the certificate", UsageError,
                             max_bytes=MAX_CERTIFICATE_BYTES + 1, truncate=True)
    trust = build_trust(trust_anchors) if reaudit else None
    result = verify_certificate(data, paths, key=key, root=root, reaudit=reaudit, trust=trust, at=datetime.now(UTC))
    emit(result.to_json() if output_format == "json" else result.to_text(), output, protect=(certificate, key_path, *paths, *trust_anchors))
    if output is not None:
        click.echo(f"wrote {output}: {'verified' if result.ok else 'verification FAILED'}", err=True)
    return 0 if result.ok else 1
