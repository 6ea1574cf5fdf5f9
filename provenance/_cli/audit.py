"""`provenance audit PATH...`"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..audit import audit_files, collect_inputs
from ..policy import load_policy
from ..report import exit_code_for
from ._app import audit_options, build_trust, cli, emit, format_options, guard_output, hint_text, trust_files


@cli.command("audit", epilog="Exit codes: 0 all compliant; 1 any non-compliant; 3 any indeterminate "
             "and none non-compliant; 2 usage error; 4 failure while running.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@audit_options
@format_options
def audit_command(paths: tuple[Path, ...], policy_path: Path | None, output_format: str,
                  output: Path | None) -> int:
    """Audit images (files or folders, recursive) and give each a verdict."""
    policy = load_policy(policy_path)
    trust = build_trust()
    inputs = collect_inputs(paths)
    protected = (*inputs.images, policy_path, *trust_files())
    guard_output(output, protected)
    show_progress = output_format == "text" and sys.stderr.isatty() and len(inputs.images) > 1
    if show_progress:
        with click.progressbar(length=len(inputs.images), label="Auditing", file=sys.stderr) as bar:
            report = audit_files(inputs, policy=policy, trust=trust, progress=lambda _path: bar.update(1))
    else:
        report = audit_files(inputs, policy=policy, trust=trust)
    text = report.to_json() if output_format == "json" else report.to_text() + hint_text(report.trust.advice)
    emit(text, output, protect=protected)
    if output is not None:
        counts = report.counts
        click.echo(f"wrote {output}: {len(report.images)} images, {counts['compliant']} compliant, "
                   f"{counts['non_compliant']} non-compliant, {counts['indeterminate']} indeterminate", err=True)
    return exit_code_for(report)
