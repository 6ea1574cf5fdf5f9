"""`provenance report AUDIT.json --output report.html`: render a saved JSON report."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .._io import read_regular_file
from ..errors import UsageError
from ..report import REPORT_SCHEMA
from ._app import cli, emit, guard_output

MAX_REPORT_BYTES = 1024 * 1024 * 1024
"""A saved report larger than this (1 GiB) is refused rather than loaded."""


@cli.command("report", epilog="Exit codes: 0 written; 2 the file is not a provenance audit report; "
             "4 failure while running.")
@click.argument("report_path", metavar="AUDIT.json", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
              help="Write the page to this file (atomically); '-' or nothing is standard output.")
def report_command(report_path: Path, output: Path | None) -> int:
    """Render a JSON audit report (`audit --format json [--thumbnails]`) as one self-contained HTML page."""
    from ..schemas import validate
    from ._html import render_html

    data = read_regular_file(report_path, "audit report", UsageError, max_bytes=MAX_REPORT_BYTES)
    try:
        report = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        if _is_json_lines(data):
            raise UsageError(f"{report_path} is a JSON-lines report (`audit --format jsonl`); `provenance report` reads "
                             "`audit --format json`: audit again with --format json, or with --format html -o "
                             "report.html for the page directly (streamed too)") from error
        raise UsageError(f"{report_path} is not JSON ({error})") from error
    if not isinstance(report, dict) or report.get("schema") != REPORT_SCHEMA:
        raise UsageError(f"{report_path} is not a {REPORT_SCHEMA} report (its \"schema\" field says otherwise)")
    validate(report, "audit-report.v1")
    guard_output(output, (report_path,), what="the page")
    emit(render_html(report), output, protect=(report_path,))
    return 0


def _is_json_lines(data: bytes) -> bool:
    """Whether ``data`` opens like ``audit --format jsonl``: a first line that is one ``{"record": ...}`` object."""
    try:
        first = json.loads(data.split(b"\n", 1)[0])
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(first, dict) and "record" in first
