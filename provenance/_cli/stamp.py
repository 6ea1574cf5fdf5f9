"""`provenance stamp PATH... --signer DIR --output OUT`"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from .._io import read_regular_file
from .._x509 import SIGNER_KEY_NAME, StudioSigner, load_signer
from ..audit import audit_files, collect_inputs
from ..certificate import delivery_root, subject_name
from ..errors import StudioIdentityError
from ..keys import is_encrypted_pem
from ..policy import load_policy
from ..stamp import check_options, check_output_folder, stamp_delivery
from ._app import audit_options, build_trust, cli, print_and_gate, summary_format_option
from ._render import printable
from ._signals import stop_on_signals
from .keygen import ask_passphrase, passphrase_from_environment


def _signer(folder: Path) -> StudioSigner:
    passphrase = passphrase_from_environment()
    key_path = folder / SIGNER_KEY_NAME
    if passphrase is None and key_path.is_file() and is_encrypted_pem(
            read_regular_file(key_path, "the signer key", StudioIdentityError, max_bytes=1 << 20)):
        passphrase = ask_passphrase(confirm=False, purpose=str(key_path))
    return load_signer(folder, passphrase=passphrase)


@cli.command("stamp", epilog="Exit codes: 0 stamped copies written; 1 some image non-compliant; 3 some image "
             "indeterminate and none non-compliant (nothing written in either case); 2 usage error (signer, "
             "output folder not empty, a format that cannot be signed); 4 failure while running (signing, "
             "time-stamp authority, writing).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--signer", "signer_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder `provenance keygen --x509` wrote (studio-signer-chain.pem, studio-signer.key; "
              "passphrase from PROVENANCE_KEY_PASSPHRASE or a prompt).")
@click.option("--output", "-o", "output", required=True, type=click.Path(path_type=Path),
              help="A new or empty folder outside the delivery; it receives only the stamped copies, same names.")
@click.option("--root", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The delivery root output names are relative to (required unless PATH is one folder).")
@click.option("--constraint-info", "constraints_info",
              help="Text or URL (the contract's AI clause) added to every training-and-data-mining entry.")
@click.option("--tsa-url", "tsa_url",
              help="Ask this RFC 3161 time-stamp authority for a time-stamp (network). Default: none, offline.")
@click.option("--no-thumbnails", "no_thumbnails", is_flag=True,
              help="Make no new thumbnails (the copy then has none; its ingredient keeps the original's own); "
              "about 4 times faster on 24 MP images.")
@audit_options
@summary_format_option
def stamp_command(paths: tuple[Path, ...], signer_dir: Path, output: Path, root: Path | None,
                  constraints_info: str | None, tsa_url: str | None, no_thumbnails: bool, policy_path: Path | None,
                  output_format: str) -> int:
    """Audit a delivery and, only if every image is compliant, write copies signed by the studio:
    the original as parent ingredient, the compliance record and a "no AI training" reservation."""
    check_options(constraints_info, tsa_url)
    signer = _signer(signer_dir)
    policy = load_policy(policy_path)
    trust = build_trust()
    inputs = collect_inputs(paths)
    base = delivery_root(paths, root)
    for image in inputs.images:
        subject_name(image, base)  # every path must lie under the root: fail before auditing
    check_output_folder(output, base)  # a new or empty folder: it can replace no input
    report = audit_files(inputs, policy=policy, trust=trust, at=datetime.now(UTC))
    refused = print_and_gate(report, output_format, "stamp")
    if refused is not None:
        return refused
    # The event, not an interrupt: stamp_delivery removes its staging folder and publishes nothing.
    with stop_on_signals(interrupt=False) as cancel:
        result = stamp_delivery(report, signer=signer, output=output, root=base, constraints_info=constraints_info,
                                tsa_url=tsa_url, anchors_pem=trust.pem_bundle(), thumbnails=not no_thumbnails,
                                cancel=cancel)
    for stamped in result.files:
        click.echo(f"stamped {printable(stamped.name)} -> {printable(str(stamped.output))}", err=True)
    click.echo(f"stamped {len(result.files)} images into {printable(str(output))} "
               f"(signer {printable(signer.certificate.subject.rfc4514_string())}, "
               f"policy {policy.id} {policy.version}); now certify the stamped copies: "
               f"provenance certify {printable(str(output))} --key ... --output ...", err=True)
    return 0
