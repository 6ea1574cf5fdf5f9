"""docs/cli.md is generated from the commands; it must list every command and flag as they are."""

from __future__ import annotations

import click
from conftest import REPO

from provenance._cli import cli
from provenance._cli._docs import main, render


def test_reference_is_up_to_date() -> None:
    assert main(["--check", str(REPO / "docs" / "cli.md")]) == 0, (
        "docs/cli.md is stale: run `python -m provenance._cli._docs > docs/cli.md`")


def test_reference_names_every_command_and_flag() -> None:
    text = render()
    for name, command in cli.commands.items():
        assert f"## `provenance {name}`" in text
        for param in command.params:
            if isinstance(param, click.Option):
                assert f"`{param.opts[0]}`" in text, (name, param.opts)
