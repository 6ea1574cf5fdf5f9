"""The version of `provenance` (one place, imported by the package and the CLI without a cycle)."""

__version__ = "0.2.0"
