"""The click group and the options shared by several commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._io import write_atomic
from .._version import __version__
from ..errors import OutputError, UsageError
from ._options import build_trust, trust_files, trust_options

if TYPE_CHECKING:
    from ..report import AuditReport

__all__ = ["EXIT_CODES", "audit_options", "build_trust", "cli", "emit", "format_options", "guard_output",
           "report_format_options", "to_stdout", "trust_files"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES = """Exit codes: 0 all compliant / verified; 1 any non-compliant / verification failed;
2 usage error (bad flag, missing path, invalid policy or PEM); 3 any indeterminate and
none non-compliant; 4 failure while running (cannot write output, internal error)."""


@dataclass
class _State:
    debug: bool = False


state = _State()


class _LazyGroup(click.Group):
    """A group whose commands in ``LAZY_COMMANDS`` are imported only when run or listed, so that
    `provenance audit` does not import the certificate, key and trust-store code (issue #12.1).
    Commands registered by importing their module eagerly keep working."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            importlib.import_module(f"provenance._cli.{LAZY_COMMANDS[cmd_name]}")  # registers itself on `cli`
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; standard output closed by its reader (``| head``) is a failure to write
        (exit 4) for every command. click would exit 1, which means "non-compliant" or "verification
        failed" here. Later writes go nowhere, so that the interpreter's last flush does not fail
        again (Python docs, "Note on SIGPIPE")."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError as error:
            try:
                fd = sys.stdout.fileno()
            except (OSError, ValueError):  # not a real file (an embedding host's stream): nothing to redirect
                fd = -1
            if fd >= 0:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, fd)
                os.close(devnull)
            raise OutputError("cannot write the output: standard output was closed (broken pipe)") from error


LAZY_COMMANDS = {
    **{name: name for name in ("audit", "certificate", "certify", "inspect", "keygen", "report", "stamp", "trust", "verify")},
    "verify-page": "verify_page",
}
"""Command name -> module of ``provenance._cli`` that defines it."""


@click.group(cls=_LazyGroup, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
@click.option("--debug", is_flag=True, help="Show tracebacks on internal errors.")
def cli(debug: bool) -> None:
    """Check what was done to photographs before delivery: Content Credentials,
    metadata, a policy verdict per image, and a signed certificate for the delivery."""
    state.debug = debug


def audit_options(function: F) -> F:
    """--policy and the trust flags (:func:`._options.trust_options`), shared by audit, certify and verify --reaudit.

    The trust flags are not passed to the command function: :func:`build_trust` and
    :func:`trust_files` read them from the click context.
    """
    function = trust_options(function)
    function = click.option(
        "--policy", "policy_path", type=click.Path(dir_okay=False, path_type=Path),
        help="Policy TOML file (default: the built-in studio charter).",
    )(function)
    return function


def format_options(function: F, choices: Sequence[str] = ("text", "json")) -> F:
    """--format (one of ``choices``) and --output (``-`` is standard output)."""
    function = click.option(
        "--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
        help="Write the report to this file (atomically) instead of standard output; '-' is standard output.",
    )(function)
    function = click.option(
        "--format", "output_format", type=click.Choice(list(choices)), default="text", show_default=True,
        help="Report format.",
    )(function)
    return function


def report_format_options(function: F) -> F:
    """--format text|json|html and --output, for the commands that write an audit report."""
    return format_options(function, ("text", "json", "html"))


def to_stdout(output: Path | None) -> bool:
    """Whether the report goes to standard output (no ``--output``, or ``--output -``)."""
    return output is None or str(output) == "-"


def guard_output(output: Path | None, inputs: Iterable[Path | None], *, what: str = "the report") -> None:
    """Refuse, before any work, an ``--output`` that is one of the command's input files:
    an image, a key, a trust-anchor file, a policy, a certificate (``None`` items are ignored).

    Raises:
        UsageError: ``output`` names an input, or is a folder, device, pipe or link, which an atomic
            write would replace rather than write into (exit code 2).
    """
    if output is None or to_stdout(output):
        return
    if output.is_symlink() or (output.exists() and not output.is_file()):
        raise UsageError(f"cannot write {what} to {output}: it is not a regular file (a folder, device, pipe or link); "
                         "use -o - for standard output")
    for path in inputs:
        if path is None:
            continue
        try:
            same = os.path.samefile(output, path)
        except OSError:
            same = False
        if same:
            raise UsageError(f"refusing to write {what} over an input file: {output} (given as {path})")


def emit(text: str, output: Path | None, *, protect: Iterable[Path | None] = ()) -> None:
    """Print ``text`` to standard output, or write it atomically to ``output``.

    ``output`` of ``None`` or ``-`` is standard output (not atomic, by nature). File names that
    are not valid UTF-8 are already escaped by the renderers; ``protect`` lists files that must
    never be replaced (the inputs).
    """
    if output is None or to_stdout(output):
        click.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"), protect=[path for path in protect if path is not None])


def summary_format_option(function: F) -> F:
    """--format of the audit report that ``certify`` and ``stamp`` print before they write anything."""
    return click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="Format of the audit report printed on standard output.")(function)


_DONE = {"certify": "certified", "stamp": "stamped"}


def print_and_gate(report: AuditReport, output_format: str, verb: str) -> int | None:
    """Print the audit report on standard output; unless every image is compliant, say on stderr that
    nothing was written (``verb`` is ``"certify"`` or ``"stamp"``) and return the exit code (1 or 3), else ``None``."""
    from ..report import exit_code_for

    emit(report.to_json() if output_format == "json" else report.to_text(), None)
    if report.ok:
        return None
    counts = report.counts
    why = (f"{counts['non_compliant']} non-compliant and {counts['indeterminate']} indeterminate "
           f"of {len(report.images)} images" if report.images else f"no image to {verb}")
    click.echo(f"not {_DONE[verb]}: {why}; nothing written", err=True)
    return exit_code_for(report)
