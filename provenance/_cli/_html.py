"""The audit report as one self-contained HTML page (``audit --format html``, ``provenance report``).

Rendering only: it takes the JSON report (``provenance.audit-report/v1``, ``docs/report-schema.md``)
and fills a Jinja2 template with autoescaping on. Every value that comes from a file (names, manifest
fields, metadata values) is attacker-controlled, so besides HTML escaping the template shows control
and bidirectional characters as visible escapes and clips long values with a way to see them whole.
The page has no script and loads nothing: inline CSS, and images only as ``data:`` URIs of the
manifests' own thumbnails (carried, size-capped, in the JSON report). Nothing is decoded here.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from .._text import INVISIBLE_CLASS

__all__ = ["MAX_THUMBNAIL_BYTES", "REASON_WORDS", "render_html", "write_html"]

MAX_THUMBNAIL_BYTES = 256 * 1024
"""A thumbnail larger than this (decoded) is not embedded; a placeholder is shown instead."""

_THUMBNAIL_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"})

REASON_WORDS: Mapping[str, str] = {
    "generative_ai": "Generative AI was found: the policy forbids it.",
    "forbidden_edit": "An edit the studio's policy forbids was found.",
    "no_credentials": "The image carries no Content Credentials, so its history cannot be proven.",
    "credentials_invalid": "The Content Credentials are broken: a hash, signature or structure check failed.",
    "credentials_untrusted": "The Content Credentials are intact, but the signer is not trusted (or expired).",
    "credentials_unavailable": "The Content Credentials are stored elsewhere and were not fetched.",
    "review_required": "Something needs a person's review before the image can be certified.",
    "unreadable": "The file could not be read as an image.",
}
"""Plain words for each reason code (``docs/report-schema.md``)."""

# What every output escapes (provenance._text): controls, separators, bidi controls, zero-width characters.
_INVISIBLE = re.compile("[" + INVISIBLE_CLASS + "]")


def visible(value: object) -> str:
    """``value`` as text with control and bidirectional characters shown as escapes (``\\u202e``).

    A file named ``photo\\u202egpj.exe`` must not be shown reversed; a newline must not start a
    line that looks like the report's own.
    """
    text = "" if value is None else str(value)

    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}")

    return _INVISIBLE.sub(escape, text)


def _where(location: Mapping[str, Any] | None) -> str:
    if not location:
        return "(the file)"
    parts = []
    if location.get("manifest"):
        parts.append(f"manifest {location['manifest']}")
    if location.get("assertion"):
        index = location.get("index")
        parts.append(str(location["assertion"]) + (f" #{index}" if index is not None else ""))
    if location.get("field"):
        parts.append(str(location["field"]))
    return " / ".join(parts) or "(the file)"


def _thumbnail(raw: Any) -> dict[str, str] | None:
    """A ``data:`` URI for a manifest thumbnail, or ``None`` when it is absent, too large or not an image type."""
    if not isinstance(raw, Mapping):
        return None
    media_type, data = raw.get("media_type"), raw.get("data")
    if media_type not in _THUMBNAIL_TYPES or not isinstance(data, str):
        return None
    if len(data) > (MAX_THUMBNAIL_BYTES * 4) // 3 + 4:
        return None
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None
    return {"data_uri": f"data:{media_type};base64,{data}"}


def _depth(node: Mapping[str, Any]) -> int:
    depth = node.get("depth")
    return depth if isinstance(depth, int) and not isinstance(depth, bool) else 0


def _chain(manifests: Any) -> list[dict[str, Any]]:
    """Nest the report's flat ``manifests`` list (``label``, ``parent``, ``depth``...) into a tree, and
    return it as rows in document order, each with its nesting ``level``.

    A parent that is not in the list (or a cycle) leaves the node at the top: nothing is dropped.
    The rows carry what the template needs to open and close nested lists without recursion
    (``open``: this row starts a new list; ``pops``: lists to close before it), so a chain of any
    depth (c2pa-rs signs up to 200; a hand-edited report may hold more) renders without
    exhausting Python's recursion limit.
    """
    if not isinstance(manifests, Sequence) or isinstance(manifests, (str, bytes)):
        return []
    nodes = [dict(item, children=[]) for item in manifests if isinstance(item, Mapping)]
    by_label = {node["label"]: node for node in nodes if isinstance(node.get("label"), str)}
    roots: list[dict[str, Any]] = []
    for node in nodes:
        parent = by_label.get(node.get("parent"))
        if parent is not None and parent is not node and _depth(node) > _depth(parent):
            parent["children"].append(node)
        else:
            roots.append(node)
    rows: list[dict[str, Any]] = []
    stack = [(root, 0) for root in reversed(roots)]
    previous = -1
    while stack:
        node, level = stack.pop()
        rows.append({"node": node, "level": level, "open": level > previous, "pops": max(0, previous - level)})
        previous = level
        stack.extend((child, level + 1) for child in reversed(node["children"]))
    return rows


def _image_view(image: Mapping[str, Any]) -> dict[str, Any]:
    """One image card's view: missing keys filled, locations described, chain nested."""
    findings = [dict(finding, where=_where(finding.get("location"))) for finding in image.get("findings") or ()]
    return dict(
        image, findings=findings, warnings=image.get("warnings") or [], reasons=image.get("reasons") or [],
        chain=_chain(image.get("manifests")), thumbnail=_thumbnail(image.get("thumbnail")),
    )


def _view(report: Mapping[str, Any], images: Iterable[Mapping[str, Any]] | None = None,
          summary: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The template's view of the report.

    ``images`` (given with their ``summary``) replaces ``report["images"]`` by an iterable whose
    cards are made one at a time, as the page is written; otherwise the summary is counted from the
    report's own images.
    """
    skipped = report.get("skipped") or []
    views: Iterable[dict[str, Any]]
    if images is None or summary is None:
        views = [_image_view(image) for image in report.get("images") or ()]
        summary = _summary(views, skipped)
    else:
        views = (_image_view(image) for image in images)
    claimed = report.get("summary")
    mismatch = isinstance(claimed, Mapping) and any(claimed.get(key) != value for key, value in summary.items())
    trust = report.get("trust") or {}
    return {
        "schema": report.get("schema", "?"),
        "tool": report.get("tool") or {},
        "evaluated_at": report.get("evaluated_at", "?"),
        "policy": {"id": "?", "version": "", "sha256": "", **(report.get("policy") or {})},
        "trust": {"anchors": trust.get("anchors") or [], "sources": trust.get("sources") or [],
                  "warnings": trust.get("warnings") or []},
        "summary": dict(summary),
        "summary_claimed": dict(claimed) if mismatch and isinstance(claimed, Mapping) else None,
        "images": views,
        "skipped": skipped,
    }


def _summary(images: Sequence[Mapping[str, Any]], skipped: Sequence[Any]) -> dict[str, int]:
    """The counts of what the page shows, from the images themselves: a report edited by hand (or
    damaged) whose ``summary`` says otherwise cannot make the header contradict the cards."""
    summary = {"images": len(images), "compliant": 0, "non_compliant": 0, "indeterminate": 0, "skipped": len(skipped)}
    for image in images:
        status = image.get("status")
        if status in ("compliant", "non_compliant", "indeterminate"):
            summary[status] += 1
    return summary


def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("provenance._cli", "templates"),
        autoescape=True,  # every {{ }} is HTML-escaped, attributes included
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["visible"] = visible
    return environment.get_template("report.html.j2")


def render_html(report: Mapping[str, Any]) -> str:
    """Render a JSON audit report (as parsed data) as one self-contained HTML page.

    Args:
        report: the ``provenance.audit-report/v1`` object (``AuditReport.to_dict()`` or a parsed file).
    Returns:
        The page as text (UTF-8 when written).
    """
    return str(_template().render(report=_view(report), reason_words=REASON_WORDS))


def write_html(out: TextIO, header: Mapping[str, Any], images: Iterable[Mapping[str, Any]],
               summary: Mapping[str, int]) -> None:
    """Write the page of :func:`render_html` to ``out`` piece by piece, each image's card made as it
    is written: the page is never held whole, nor a second copy of every image's findings.

    Args:
        out: the text stream written (an atomic file, or standard output).
        header: the report without its images (``ReportHeader.to_dict()`` plus ``summary`` and
            ``skipped``, as in the JSON report).
        images: the images' JSON-ready data (``report.image_to_dict``), in order; iterated once.
        summary: the counts shown at the top (``images``, each status, ``skipped``), which the page
            shows before the images (so they are counted by the caller).
    """
    for piece in _template().generate(report=_view(header, images, summary), reason_words=REASON_WORDS):
        out.write(piece)
