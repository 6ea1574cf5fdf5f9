"""`provenance audit PATH...`"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..audit import audit_files, collect_inputs
from ..policy import load_policy
from ..report import exit_code_for
from ._app import audit_options, build_trust, cli, emit, guard_output, report_format_options, to_stdout, trust_files
from ._render import render_report


@cli.command("audit", epilog="Exit codes: 0 all compliant; 1 any non-compliant; 3 any indeterminate "
             "and none non-compliant; 2 usage error; 4 failure while running.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@audit_options
@report_format_options
@click.option("--thumbnails", is_flag=True,
              help="Keep each manifest's own thumbnail in a JSON report (for `provenance report`); on for html.")
@click.option("-v", "--verbose", is_flag=True, help="Text: show the validation state, warnings and origin of every image.")
def audit_command(paths: tuple[Path, ...], policy_path: Path | None, output_format: str, output: Path | None,
                  thumbnails: bool, verbose: bool) -> int:
    """Audit images (files or folders, recursive) and give each a verdict."""
    policy = load_policy(policy_path)
    trust = build_trust()
    inputs = collect_inputs(paths)
    protected = (*inputs.images, policy_path, *trust_files())
    guard_output(output, protected)
    thumbnails = thumbnails or output_format == "html"
    # A progress bar only when the report goes to a file and a person watches stderr.
    show_progress = not to_stdout(output) and sys.stderr.isatty() and len(inputs.images) > 1
    if show_progress:
        with click.progressbar(length=len(inputs.images), label="Auditing", file=sys.stderr) as bar:
            report = audit_files(inputs, policy=policy, trust=trust, thumbnails=thumbnails,
                                 progress=lambda _path: bar.update(1))
    else:
        report = audit_files(inputs, policy=policy, trust=trust, thumbnails=thumbnails)
    emit(render_report(report, output_format, verbose=verbose), output, protect=protected)
    if not to_stdout(output):
        counts = report.counts
        click.echo(f"wrote {output}: {len(report.images)} images, {counts['compliant']} compliant, "
                   f"{counts['non_compliant']} non-compliant, {counts['indeterminate']} indeterminate", err=True)
    return exit_code_for(report)
