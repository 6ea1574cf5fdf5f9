"""The audit report: frozen results for a whole delivery, and their JSON/text forms.

Rendering never decides: it only prints what :func:`provenance.policy.evaluate`
concluded. The JSON form is a versioned contract for delivery scripts,
documented in ``docs/report-schema.md``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import NonCompliant
from .model import Finding
from .verdict import ImageVerdict, Status

__all__ = ["REPORT_SCHEMA", "AuditReport", "PolicyInfo", "SkippedFile", "TrustInfo", "exit_code_for"]

REPORT_SCHEMA = "provenance.audit-report/v1"
"""Identifier and version of the JSON report format (``docs/report-schema.md``)."""


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file met in a folder walk that is not an image; it affects nothing."""

    path: str
    why: str


@dataclass(frozen=True, slots=True)
class PolicyInfo:
    """Which policy judged: id, version, SHA-256 of the file's exact bytes, where it came from."""

    id: str
    version: str
    sha256: str
    source: str


@dataclass(frozen=True, slots=True)
class TrustInfo:
    """The trust material used: anchor fingerprints (SHA-256 of DER), sources and warnings.

    ``sources`` items are dicts with ``name``, ``location``, ``anchors``,
    ``digest`` and, for lists from the trust store, ``fetched_at`` and ``age_days``.
    """

    fingerprints: tuple[str, ...] = ()
    sources: tuple[dict[str, Any], ...] = field(default=(), hash=False, compare=False)
    eku_oids: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The result of auditing a set of images.

    ``images`` are in the order audited (sorted paths within each folder);
    ``skipped`` lists non-image files met in folder walks; ``evaluated_at`` is
    the UTC time the audit ran (passed in, never read from a clock here);
    ``tool`` holds versions of `provenance`, c2pa-python and c2pa-rs.
    """

    images: tuple[ImageVerdict, ...]
    skipped: tuple[SkippedFile, ...]
    policy: PolicyInfo
    trust: TrustInfo
    evaluated_at: datetime
    tool: dict[str, str] = field(hash=False, compare=False, default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Number of images per status (every status present, zero included)."""
        counter = Counter(image.status.value for image in self.images)
        return {status.value: counter.get(status.value, 0) for status in Status}

    @property
    def ok(self) -> bool:
        """True when there is at least one image and every image is compliant."""
        return bool(self.images) and all(image.ok for image in self.images)

    def raise_for_status(self) -> AuditReport:
        """Return ``self`` when every image is compliant; raise otherwise.

        Raises:
            NonCompliant: some image is non-compliant or indeterminate (or there
                are no images); ``error.report`` is this report.
        """
        if not self.ok:
            bad = [image for image in self.images if not image.ok]
            listing = "; ".join(f"{image.path}: {image.summary()}" for image in bad[:5])
            more = f" (+{len(bad) - 5} more)" if len(bad) > 5 else ""
            raise NonCompliant(f"{len(bad)} of {len(self.images)} images not compliant: {listing}{more}", self)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data in the ``provenance.audit-report/v1`` schema."""
        return {
            "schema": REPORT_SCHEMA,
            "tool": dict(self.tool),
            "evaluated_at": self.evaluated_at.isoformat().replace("+00:00", "Z"),
            "policy": {
                "id": self.policy.id, "version": self.policy.version,
                "sha256": self.policy.sha256, "source": self.policy.source,
            },
            "trust": {
                "anchors": list(self.trust.fingerprints),
                "sources": [dict(source) for source in self.trust.sources],
                "eku_oids": list(self.trust.eku_oids),
                "warnings": list(self.trust.warnings),
            },
            "summary": {"images": len(self.images), **self.counts, "skipped": len(self.skipped)},
            "images": [image_to_dict(image) for image in self.images],
            "skipped": [{"path": s.path, "why": s.why} for s in self.skipped],
        }

    def to_json(self) -> str:
        """The report as indented JSON text (UTF-8 safe, keys in schema order)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """One line per image, then skipped files and a summary, for people."""
        lines = []
        width = max((len(image.status.value) for image in self.images), default=0)
        for image in self.images:
            why = ", ".join(reason.value for reason in image.reasons)
            lines.append(f"{image.status.value.upper():<{width}}  {image.path}" + (f"  [{why}]" if why else ""))
            for finding in _headline_findings(image):
                lines.append(f"{'':<{width}}    - {finding.message} ({finding.location.describe()})")
        for skipped in self.skipped:
            lines.append(f"{'SKIPPED':<{width}}  {skipped.path}  ({skipped.why})")
        counts = self.counts
        lines.append("")
        lines.append(
            f"{len(self.images)} images: {counts['compliant']} compliant, {counts['non_compliant']} non-compliant, "
            f"{counts['indeterminate']} indeterminate; {len(self.skipped)} other files skipped "
            f"(policy {self.policy.id} {self.policy.version})"
        )
        for warning in self.trust.warnings:
            lines.append(f"warning: {warning}")
        return "\n".join(lines) + "\n"


def _headline_findings(image: ImageVerdict) -> list[Finding]:
    """The findings that explain a non-compliant or indeterminate verdict (at most 4)."""
    if image.ok:
        return []
    wanted = []
    for finding in image.findings:
        if finding.decision is not None and finding.decision.value == "allowed":
            continue
        if finding.code == "fusion.conflict" or finding.decision is not None or finding.code.startswith(
            ("credentials.", "file.")
        ):
            wanted.append(finding)
    ordered = sorted(wanted, key=lambda f: 0 if f.decision is not None and f.decision.value == "forbidden" else 1)
    return ordered[:4]


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding as JSON-ready data."""
    out: dict[str, Any] = {"code": finding.code, "message": finding.message, "location": finding.location.as_dict()}
    for key in ("category", "decision", "rule", "signal", "source_ref"):
        value = getattr(finding, key)
        if value is not None:
            out[key] = value.value if hasattr(value, "value") else value
    return out


def image_to_dict(image: ImageVerdict) -> dict[str, Any]:
    """One image verdict as JSON-ready data."""
    return {
        "path": image.path,
        "sha256": image.sha256,
        "size": image.size,
        "media_type": image.media_type,
        "status": image.status.value,
        "reasons": [reason.value for reason in image.reasons],
        "credentials": image.credentials,
        "validation_state": image.validation_state.value if image.validation_state else None,
        "active_manifest": image.active_manifest,
        "signer": image.signer,
        "assurance": image.assurance.value,
        "error": image.error,
        "warnings": list(image.warnings),
        "findings": [finding_to_dict(finding) for finding in image.findings],
    }


def exit_code_for(report: AuditReport) -> int:
    """The CLI exit code a report calls for: 0 all compliant, 1 any non-compliant,
    3 any indeterminate and none non-compliant (also 3 when there is no image)."""
    counts = report.counts
    if counts["non_compliant"]:
        return 1
    if counts["indeterminate"] or not report.images:
        return 3
    return 0
