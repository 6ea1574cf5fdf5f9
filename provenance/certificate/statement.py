"""The in-toto Statement of a certificate: built from an audit report, serialised to exact bytes.

An in-toto Statement v1 (https://github.com/in-toto/attestation, ``spec/v1/statement.md``):
``subject`` lists each certified file (name, SHA-256); ``predicate`` is
``urn:provenance:compliance-certificate:v1`` (``docs/certificate.md``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..policy import Policy
from ..report import AuditReport, display_path, image_to_dict
from .naming import _distinct, _relative_name, subject_name

__all__ = ["PREDICATE_TYPE", "STATEMENT_TYPE", "CoveredFile", "build_statement", "serialize_statement"]

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
"""The in-toto Statement version this module writes and accepts."""
PREDICATE_TYPE = "urn:provenance:compliance-certificate:v1"
"""The predicate type `provenance` defines (``docs/certificate.md``); ``v1`` is its major version."""


@dataclass(frozen=True, slots=True)
class CoveredFile:
    """A file of the delivery that is not an image: covered by digest, never audited.

    ``name`` is its certificate name (NFC, ``/``), ``sha256`` the hex digest of its
    bytes, ``size`` their count. It becomes a subject and an entry of ``predicate.files``.
    """

    name: str
    sha256: str
    size: int


def _camel(key: str) -> str:
    head, *rest = re.split(r"[_\-]", key)
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _camel_keys(data: Mapping[str, Any]) -> dict[str, Any]:
    return {_camel(key): value for key, value in data.items()}


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _image_entry(image_dict: dict[str, Any], name: str) -> dict[str, Any]:
    """One image of the predicate: the report's image fields, ``path`` replaced by ``name``, in lowerCamelCase."""
    data = {key: value for key, value in image_dict.items() if key != "path"}
    entry = {"name": name, **_camel_keys(data)}
    entry["findings"] = [_camel_keys(finding) for finding in data.get("findings", [])]
    return entry



def build_statement(
    report: AuditReport, *, root: str | Path, policy: Policy, files: Sequence[CoveredFile] = (),
    ignore: Sequence[str] = (),
) -> dict[str, Any]:
    """The in-toto Statement for a report (JSON-ready data; see ``docs/certificate.md``).

    Every image of the report becomes a subject and a ``predicate.images`` entry,
    whatever its status (:func:`~provenance.certificate.issue_certificate` refuses
    reports that are not all compliant); every one of ``files`` (the delivery's
    other files, found by :func:`~provenance.certificate.coverage.other_files`)
    a subject and a ``predicate.files`` entry. ``ignore`` is recorded as given
    (``predicate.ignore``). Subjects and both lists are sorted by name. Pure: no I/O.

    Raises:
        UsageError: an image lies outside ``root``, two images have the same
            name, an image has no digest, or ``policy`` is not the report's.
    """
    if policy.sha256 != report.policy.sha256:
        raise UsageError("the policy given is not the one the report was made with")
    entries: dict[str, dict[str, Any]] = {}
    raw_names: dict[str, str] = {}
    for image in report.images:
        name = subject_name(image.path, root)
        if image.sha256 is None:
            raise UsageError(f"{image.path} has no digest (it could not be read)")
        if name in entries:
            first, second = sorted((raw_names[name], _relative_name(image.path, root)))
            if first == second:
                raise UsageError(f"the image {display_path(name)} is listed twice")
            raise UsageError(
                f"two images have the same name in a certificate, '{display_path(name)}': "
                f"{_distinct(first)} and {_distinct(second)} differ only in Unicode normalisation "
                "(certificates name files in NFC); rename one before certifying"
            )
        entries[name] = _image_entry(image_to_dict(image), name)
        raw_names[name] = _relative_name(image.path, root)
    names = sorted(entries)
    others = sorted(files, key=lambda item: item.name)
    subjects = {name: entries[name]["sha256"] for name in names} | {item.name: item.sha256 for item in others}
    if len(subjects) != len(names) + len(others):
        raise UsageError("a file is given both as an image and as a file that is not audited")
    tool = {"name": "provenance", "version": report.tool.get("provenance", "unknown")}
    tool.update({_camel(key): value for key, value in report.tool.items() if key != "provenance"})
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": name, "digest": {"sha256": subjects[name]}} for name in sorted(subjects)],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "tool": tool,
            "evaluatedAt": _timestamp(report.evaluated_at),
            "policy": {"id": policy.id, "version": policy.version, "sha256": policy.sha256, "text": policy.text},
            "trustAnchors": [{"sha256": fingerprint} for fingerprint in sorted(report.trust.fingerprints)],
            "images": [entries[name] for name in names],
            "files": [{"name": item.name, "sha256": item.sha256, "size": item.size, "audited": False}
                      for item in others],
            "ignore": list(dict.fromkeys(ignore)),
        },
    }


def serialize_statement(statement: Mapping[str, Any]) -> bytes:
    """The exact payload bytes: UTF-8 JSON, keys sorted, no whitespace. Same data, same bytes."""
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")

