"""The click group and the options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__
from ..files import write_atomic
from ..policy import Policy, load_policy
from ..trust import TrustConfig

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES = """Exit codes: 0 all compliant / verified; 1 any non-compliant / verification failed;
2 usage error (bad flag, missing path, invalid policy or PEM); 3 any indeterminate and
none non-compliant; 4 failure while running (cannot write output, internal error)."""


@dataclass
class _State:
    debug: bool = False


state = _State()


@click.group(epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
@click.option("--debug", is_flag=True, help="Show tracebacks on internal errors.")
def cli(debug: bool) -> None:
    """Check what was done to photographs before delivery: Content Credentials,
    metadata, a policy verdict per image, and a signed certificate for the delivery."""
    state.debug = debug


def audit_options(function: F) -> F:
    """--policy and --trust-anchors, shared by audit, certify and verify --reaudit."""
    function = click.option(
        "--trust-anchors", "trust_anchors", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
        help="PEM file of trust anchors (repeatable).",
    )(function)
    function = click.option(
        "--policy", "policy_path", type=click.Path(dir_okay=False, path_type=Path),
        help="Policy TOML file (default: the built-in studio charter).",
    )(function)
    return function


def format_options(function: F) -> F:
    """--format and --output."""
    function = click.option(
        "--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report to this file (atomically) instead of standard output.",
    )(function)
    function = click.option(
        "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
        help="Report format.",
    )(function)
    return function


def load_policy_option(path: Path | None) -> Policy:
    """Load the policy named by --policy (the default charter when absent)."""
    return load_policy(path)


def build_trust(anchor_files: Sequence[Path]) -> TrustConfig:
    """The trust configuration for a command: the anchors named by --trust-anchors."""
    return TrustConfig.from_pem_files(anchor_files)


def emit(text: str, output: Path | None) -> None:
    """Print ``text`` to standard output, or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"))
