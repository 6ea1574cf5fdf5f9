"""Write ``docs/cli.md`` from the click commands themselves, so the table cannot drift.

    python -m provenance._cli._docs > docs/cli.md      # regenerate
    python -m provenance._cli._docs --check docs/cli.md  # exit 1 when the file is stale (a test runs this)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence

import click

from ._app import cli

_HEADER = """# Command-line reference

Generated from the commands themselves (`python -m provenance._cli._docs > docs/cli.md`); a test
fails when this file is stale. Exit codes are the same across commands:

| code | meaning |
|---|---|
| 0 | every image compliant / the file was read / verified / written |
| 1 | some image non-compliant / verification failed |
| 2 | usage error: bad flag, missing path, invalid policy, PEM or key |
| 3 | some image indeterminate and none non-compliant (nothing written by `certify` / `stamp`) |
| 4 | failure while running: the output cannot be written, an internal error (`--debug` shows the traceback) |
"""


def _commands(group: click.Group, prefix: str) -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):  # list_commands/get_command: the lazily imported ones too
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


def _option_row(param: click.Parameter) -> str:
    if isinstance(param, click.Argument):
        return f"| `{param.human_readable_name}` | argument{' (repeatable)' if param.nargs == -1 else ''} | |"
    assert isinstance(param, click.Option)
    names = ", ".join(f"`{opt}`" for opt in (*param.opts, *param.secondary_opts))
    kind = "flag" if param.is_flag else (param.type.name if not isinstance(param.type, click.Choice)
                                         else " \\| ".join(param.type.choices))
    if param.multiple:
        kind += " (repeatable)"
    help_text = " ".join((param.help or "").split()).replace("|", "\\|")
    return f"| {names} | {kind} | {help_text} |"


def render() -> str:
    """The whole reference as Markdown."""
    parts = [_HEADER]
    for path, command in _commands(cli, "provenance"):
        parts.append(f"\n## `{path}`\n")
        parts.append(" ".join((command.help or "").split()) + "\n")
        params = [p for p in command.params if not (isinstance(p, click.Option) and p.name == "help")]
        if params:
            parts.append("\n| flag / argument | value | meaning |\n|---|---|---|")
            parts.extend(_option_row(p) for p in params)
            parts.append("")
        if command.epilog:
            parts.append("\n" + " ".join(command.epilog.split()) + "\n")
    return "\n".join(parts).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the reference, or with ``--check FILE`` compare it with FILE (exit 1 when different)."""
    args = list(sys.argv[1:] if argv is None else argv)
    text = render()
    if args[:1] == ["--check"]:
        with open(args[1], encoding="utf-8") as handle:
            return 0 if handle.read() == text else 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
