"""JSON Schemas of what `provenance` writes (draft 2020-12), shipped with the package.

- ``audit-report.v1``: ``audit --format json`` (``provenance.audit-report/v1``);
- ``audit-line.v1``: each line of ``audit --format jsonl`` (it refers to the report's image entry);
- ``inspect.v1``: ``inspect --format json`` (``provenance.inspect/v1``).

``docs/report-schema.md`` is the prose; these files are what tests validate every output against.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import UsageError

__all__ = ["SCHEMA_NAMES", "load_schema", "validate", "validator"]

SCHEMA_NAMES = ("audit-report.v1", "audit-line.v1", "inspect.v1")
"""Every schema that ships with the package."""


@lru_cache(maxsize=8)
def load_schema(name: str) -> dict[str, Any]:
    """The schema ``name`` (``"audit-report.v1"``, ``"inspect.v1"``) as parsed JSON.

    Raises:
        FileNotFoundError: no such schema ships with the package.
    """
    text = resources.files(__name__).joinpath(f"{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def validator(name: str) -> Any:
    """A Draft 2020-12 validator for schema ``name``, resolving references between the shipped
    schemas by their ``$id`` (``urn:provenance:schema:...``; nothing is fetched). Needs ``jsonschema``."""
    import jsonschema
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (load_schema(other)["$id"], Resource.from_contents(load_schema(other))) for other in SCHEMA_NAMES)
    return jsonschema.Draft202012Validator(load_schema(name), registry=registry)


def validate(document: Any, name: str) -> None:
    """Check ``document`` against schema ``name`` (needs the ``jsonschema`` package).

    Raises:
        UsageError: the document does not match; the message gives the JSON path and the problem.
    """
    import jsonschema

    error = jsonschema.exceptions.best_match(validator(name).iter_errors(document))
    if error is not None:
        where = error.json_path
        raise UsageError(f"not a valid {name} document at {where}: {error.message[:300]}")
