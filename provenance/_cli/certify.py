"""`provenance certify PATH... --key KEY --output CERT`"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from .._io import read_regular_file, write_atomic
from ..audit import audit_files, collect_inputs
from ..certificate import delivery_root, issue_certificate, subject_name
from ..certificate.coverage import check_coverage
from ..certificate.globs import ignore_patterns
from ..errors import UsageError
from ..keys import SigningKey, is_encrypted_pem
from ..policy import load_policy
from ._app import audit_options, build_trust, cli, guard_output, print_and_gate, summary_format_option, trust_files
from .keygen import ask_passphrase, passphrase_from_environment


def _load_signing_key(path: Path) -> SigningKey:
    if not path.exists():
        return SigningKey.load(path)  # raises InvalidKeyError with the reason
    data = read_regular_file(path, "the private key", UsageError)
    passphrase = passphrase_from_environment()
    if passphrase is None and is_encrypted_pem(data):
        passphrase = ask_passphrase(confirm=False, purpose=str(path))
    return SigningKey.from_pem(data, passphrase, str(path))


@cli.command("certify", epilog="Exit codes: 0 certificate written; 1 some image non-compliant; 3 some image "
             "indeterminate and none non-compliant (nothing written in either case); 2 usage error "
             "(bad key or passphrase, ambiguous root, empty --ignore glob, a file under the root that cannot be "
             "covered); 4 failure while running (cannot write the certificate).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The studio's private key (PEM; passphrase from PROVENANCE_KEY_PASSPHRASE or a prompt).")
@click.option("--output", "-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Write the certificate (a DSSE envelope, JSON) here, atomically.")
@click.option("--root", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The delivery root subject names are relative to (required unless PATH is one folder).")
@click.option("--ignore", "ignore", multiple=True, metavar="GLOB",
              help="Leave out the files under the root this glob matches (repeatable; recorded in the certificate, "
                   "so verify leaves them out too). '*' and '?' stop at '/', '**' does not; a glob without '/' "
                   "matches the file name. Never an image (refused). Every other file under the root is covered.")
@audit_options
@summary_format_option
def certify_command(paths: tuple[Path, ...], key_path: Path, output: Path, root: Path | None, ignore: tuple[str, ...],
                    policy_path: Path | None, output_format: str) -> int:
    """Audit a delivery and, only if every image is compliant, sign one certificate for it.

    The certificate covers every regular file under the delivery root: the images
    audited, the other files by digest (not audited), except --ignore matches and
    the certificate itself.
    """
    patterns = ignore_patterns(ignore)  # an empty glob is a usage error before any work
    key = _load_signing_key(key_path)
    policy = load_policy(policy_path)
    trust = build_trust()
    inputs = collect_inputs(paths)
    base = delivery_root(paths, root)
    for image in inputs.images:
        subject_name(image, base)  # every path must lie under the root: fail before auditing
    # Every other file under the root must be coverable too (not a pipe, not an image left out): fail before auditing.
    check_coverage(base, inputs.images, ignore=patterns, exclude=(output,))
    protected = (*inputs.images, key_path, policy_path, *trust_files())
    guard_output(output, protected, what="the certificate")
    at = datetime.now(UTC)
    if output_format == "text" and sys.stderr.isatty() and len(inputs.images) > 1:
        with click.progressbar(length=len(inputs.images), label="Auditing", file=sys.stderr) as bar:
            report = audit_files(inputs, policy=policy, trust=trust, at=at, progress=lambda _path: bar.update(1))
    else:
        report = audit_files(inputs, policy=policy, trust=trust, at=at)
    refused = print_and_gate(report, output_format, "certify")
    if refused is not None:
        return refused
    certificate = issue_certificate(report, key, root=base, policy=policy, ignore=patterns, output=output)
    write_atomic(output, certificate.to_json().encode("utf-8"),
                 protect=[path for path in protected if path is not None])
    others = len(certificate.statement()["predicate"]["files"])
    also = f" and {others} other file(s) by digest" if others else ""
    click.echo(f"certified {len(report.images)} images{also} under {base} in {output} (policy {policy.id} "
               f"{policy.version}, {key.algorithm.label} key id {key.key_id})", err=True)
    return 0
