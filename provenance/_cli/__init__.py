"""The command-line interface: wiring and printing only.

Every command is a thin layer over the public library API. Exit codes
(documented in ``docs/cli.md`` and ``provenance --help``):

    0  every image compliant / verification succeeded
    1  some image non-compliant / verification failed
    2  the command cannot run as asked (bad flag, missing path, invalid policy or PEM)
    3  some image indeterminate and none non-compliant
    4  a failure while running (cannot write the output, internal error)
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import click

from ..errors import OutputError, ProvenanceError, UsageError
from ._app import cli, state

__all__ = ["main"]

# Commands register themselves on import; those in `_app.LAZY_COMMANDS` are imported when first used.


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script exits with it)."""
    state.debug = False
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="provenance",
                          standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:
        # One style for every error, click's own included: "provenance: error: ..." on stderr.
        click.echo(f"provenance: error: {error.format_message()}", err=True)
        ctx = getattr(error, "ctx", None)
        if isinstance(error, click.UsageError) and ctx is not None:
            click.echo(f"(see '{ctx.command_path} --help')", err=True)
        return 2 if error.exit_code == 2 else int(error.exit_code)
    except click.exceptions.Abort:
        click.echo("provenance: aborted", err=True)
        return 4
    except UsageError as error:
        click.echo(f"provenance: error: {error.message}", err=True)
        return 2
    except (OutputError, ProvenanceError) as error:
        click.echo(f"provenance: error: {error.message}", err=True)
        if state.debug:
            traceback.print_exc()
        return 4
    except KeyboardInterrupt:
        click.echo("provenance: interrupted", err=True)
        return 4
    except Exception as error:  # noqa: BLE001 - the CLI's last line of defence
        click.echo(f"provenance: internal error: {type(error).__name__}: {error}", err=True)
        if state.debug:
            traceback.print_exc()
        else:
            click.echo("(run with --debug for the traceback)", err=True)
        return 4
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
