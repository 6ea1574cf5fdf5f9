"""The audit report: frozen results for a whole delivery, and their JSON/text forms.

Rendering never decides: it only prints what :func:`provenance.policy.evaluate`
concluded. The JSON form is a versioned contract for delivery scripts,
documented in ``docs/report-schema.md``.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from json.encoder import encode_basestring  # the C function when the _json accelerator is there
from typing import Any, TextIO

from ._jsonlayout import dumps_indented
from ._text import INVISIBLE_CLASS
from ._trust_notes import legacy_hint_applies
from .advice import Advice
from .chain import ChainLink
from .errors import NonCompliant
from .model import Finding, Location
from .verdict import ImageVerdict, Status

__all__ = [
    "REPORT_SCHEMA", "AdviceImages", "AuditReport", "PolicyInfo", "ReportHeader", "ReportWriter", "SkippedFile", "TrustInfo",
    "display_path", "exit_code_for", "exit_code_for_counts",
]

REPORT_SCHEMA = "provenance.audit-report/v1"
"""Identifier and version of the JSON report format (``docs/report-schema.md``)."""


_SOURCE_KEYS = ("name", "location", "anchors", "digest", "kind", "role", "fetched_at", "age_days")
"""Every trust source entry of the JSON report has these keys (null when not known)."""


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
    ``advice`` are structured codes (:class:`~provenance.advice.Advice`) saying
    what would help; the CLI renders them as commands.
    """

    fingerprints: tuple[str, ...] = ()
    sources: tuple[dict[str, Any], ...] = field(default=(), hash=False, compare=False)
    eku_oids: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    advice: tuple[Advice, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """What a report says besides its images and skipped files (see :func:`provenance.audit.report_header`)."""

    policy: PolicyInfo
    trust: TrustInfo
    evaluated_at: datetime
    tool: dict[str, str] = field(hash=False, compare=False, default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The report's leading keys (``schema`` ... ``trust``) as JSON-ready data."""
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
                "sources": [{key: source.get(key) for key in _SOURCE_KEYS} for source in self.trust.sources],
                "eku_oids": list(self.trust.eku_oids),
                "warnings": list(self.trust.warnings),
                "advice": [item.to_dict() for item in self.trust.advice],
            },
        }


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

    @property
    def header(self) -> ReportHeader:
        """The report's policy, trust, time and tool, without its images."""
        return ReportHeader(self.policy, self.trust, self.evaluated_at, self.tool)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data in the ``provenance.audit-report/v1`` schema."""
        return {
            **self.header.to_dict(),
            "summary": {"images": len(self.images), **self.counts, "skipped": len(self.skipped)},
            "images": [image_to_dict(image) for image in self.images],
            "skipped": [_skipped_dict(s) for s in self.skipped],
        }

    def to_json(self) -> str:
        """The report as indented JSON text (UTF-8 safe, keys in schema order): exactly
        ``json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\\n"``."""
        return dumps_indented(self.to_dict()) + "\n"

    def to_text(self, *, verbose: bool = False) -> str:
        """One line per image (then the findings behind a non-compliant or
        indeterminate verdict), skipped files and a summary, for people.
        ``verbose`` adds every image's validation state, origin and warnings."""
        from ._cli._render import render_text

        return render_text(self, verbose=verbose)


class AdviceImages:
    """What the trust advice reads of a batch's verdicts, kept small (memory flat in the batch).

    The advice looks only at the verdicts with ``credentials_untrusted`` whose signer names an issuer
    of the interim trust list (:func:`provenance._trust_notes.legacy_hint_applies`); each is kept
    stripped to its path, status, reasons and signer (one string per signer), in :attr:`images`.
    """

    def __init__(self) -> None:
        self.images: list[ImageVerdict] = []
        self._signers: dict[str | None, str | None] = {}

    def add(self, image: ImageVerdict) -> None:
        """Keep what the advice needs of ``image``, if anything."""
        if legacy_hint_applies(image):
            signer = self._signers.setdefault(image.signer, image.signer)  # one string per signer, not per image
            self.images.append(ImageVerdict(image.path, None, None, None, image.status, image.reasons, (),
                                            signer=signer))


class ReportWriter:
    """Writes a JSON or JSON-lines report as verdicts arrive, holding none of them (memory flat in the
    number of images).

    ``output_format``: ``"jsonl"`` writes one JSON object per image at once (``"record": "image"``, the
    fields of ``images[]``), then one per skipped file (``"record": "skipped"``), then a summary object
    (``"record": "summary"``: the report's other keys); ``"json"`` gives exactly
    :meth:`AuditReport.to_json`, its images spooled to a temporary file (the summary and the trust
    advice come first but are known only at the end; each image is laid out by :func:`image_json`).
    ``header(untrusted)`` makes the report's header once every image is in; it gets only what the
    trust advice looks at: the verdicts with ``credentials_untrusted`` whose signer names an issuer of
    the interim trust list (:func:`provenance._trust_notes.legacy_hint_applies`), each stripped to its
    path, status, reasons and signer. Nothing else is kept, so memory stays flat however many images
    are untrusted (one path per image whose signer the hint names, which the hint then lists). Call
    :meth:`add` per image, then :meth:`finish` once; it returns the counts per status.
    """

    def __init__(self, out: TextIO, output_format: str, header: Callable[[Sequence[ImageVerdict]], ReportHeader],
                 skipped: Sequence[SkippedFile] = ()) -> None:
        if output_format not in ("json", "jsonl"):
            raise ValueError(f"the report writer streams json and jsonl, not {output_format!r}")
        self.out, self.format, self.header, self.skipped = out, output_format, header, skipped
        self.counter: Counter[str] = Counter()
        self.images = 0
        self._advice = AdviceImages()
        self._spool: TextIO | None = None if output_format == "jsonl" else tempfile.TemporaryFile(  # noqa: SIM115
            "w+", encoding="utf-8", errors="surrogateescape")  # closed by finish()

    @property
    def counts(self) -> dict[str, int]:
        """Number of images per status so far (every status present, zero included)."""
        return {status.value: self.counter.get(status.value, 0) for status in Status}

    def add(self, image: ImageVerdict) -> None:
        """Write (or spool) one image verdict."""
        self.counter[image.status.value] += 1
        self.images += 1
        self._advice.add(image)
        if self.format == "jsonl":
            self.out.write(json.dumps({"record": "image", **image_to_dict(image)}, ensure_ascii=False) + "\n")
            self.out.flush()
            return
        assert self._spool is not None
        self._spool.write(("    " if self.images == 1 else ",\n    ") + image_json(image, 2))

    def finish(self) -> dict[str, int]:
        """Write the rest of the report; return the counts per status."""
        summary = {"images": self.images, **self.counts, "skipped": len(self.skipped)}
        header = self.header(self._advice.images).to_dict()
        if self.format == "jsonl":
            for skipped in self.skipped:
                self.out.write(json.dumps({"record": "skipped", **_skipped_dict(skipped)}, ensure_ascii=False) + "\n")
            self.out.write(json.dumps({"record": "summary", **header, "summary": summary}, ensure_ascii=False) + "\n")
        else:
            assert self._spool is not None
            head = dumps_indented({**header, "summary": summary})
            self.out.write(head[: -len("\n}")] + ',\n  "images": ')
            if self.images:
                self.out.write("[\n")
                self._spool.seek(0)
                shutil.copyfileobj(self._spool, self.out)
                self.out.write("\n  ]")
            else:
                self.out.write("[]")
            skipped_text = dumps_indented([_skipped_dict(s) for s in self.skipped], 1)
            self.out.write(',\n  "skipped": ' + skipped_text + "\n}\n")
            self._spool.close()
        self.out.flush()
        return self.counts


def _skipped_dict(skipped: SkippedFile) -> dict[str, str]:
    return {"path": display_path(skipped.path, escape_control=False), "why": skipped.why}


# The backslash (doubled, so that an escape is never ambiguous) and what provenance._text lists.
_TEXT_ESCAPES = re.compile("[\\\\" + INVISIBLE_CLASS + "]")
_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    """``\\x1b`` for a C0 control or DEL (as Python writes them; never an undecodable byte, which is
    always 0x80 or above), ``\\u009b`` for the rest."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x20 or code == 0x7F else f"\\u{code:04x}"


def display_path(path: str, *, escape_control: bool = True) -> str:
    """A path (or any text from a file) as printable text.

    File names on POSIX are bytes; Python keeps undecodable ones as surrogates, which cannot be
    written as UTF-8. They are shown as ``\\xNN`` escapes. For text output (``escape_control``, the
    default) a literal backslash is shown doubled, so ``\\xff`` always means the byte 0xFF; control
    characters as ``\\n`` or ``\\x07``; C1 controls, separators and bidirectional controls as
    ``\\uXXXX``: every line is one the tool wrote, in the order it was written. JSON output passes
    ``escape_control=False``: JSON escapes control characters itself, and a decodable name stays exact.
    """
    if not escape_control:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = _TEXT_ESCAPES.sub(lambda m: _SHORT_ESCAPES.get(m.group(0)) or _escape(m.group(0)), path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding as JSON-ready data (every key, null when empty)."""
    category, decision, reason = finding.category, finding.decision, finding.reason
    return {
        "code": finding.code,
        "message": finding.message,
        "location": finding.location.as_dict(),
        "category": category.value if category is not None else None,
        "decision": decision.value if decision is not None else None,
        "reason": reason.value if reason is not None else None,
        "rule": finding.rule,
        "signal": finding.signal,
        "source_ref": finding.source_ref,
    }


def image_to_dict(image: ImageVerdict) -> dict[str, Any]:
    """One image verdict as JSON-ready data (:func:`image_json` writes the same as indented text)."""
    return {
        "path": display_path(image.path, escape_control=False),
        "sha256": image.sha256,
        "size": image.size,
        "media_type": image.media_type,
        "status": image.status.value,
        "reasons": [reason.value for reason in image.reasons],
        "credentials": image.credentials.value,
        "validation_state": image.validation_state.value if image.validation_state else None,
        "active_manifest": image.active_manifest,
        "signer": image.signer,
        "assurance": image.assurance.value,
        "error": image.error,
        "warnings": list(image.warnings),
        "findings": [finding_to_dict(finding) for finding in image.findings],
        "manifests": [link.as_dict() for link in image.chain],
        "thumbnail": {"media_type": image.thumbnail.media_type,
                      "data": base64.b64encode(image.thumbnail.data).decode("ascii")} if image.thumbnail else None,
    }


def _scalar(value: object, level: int) -> str:
    """A string, ``None`` or integer as JSON; anything else through the general layout (at ``level``)."""
    if type(value) is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    return dumps_indented(value, level)


def _strings(items: Sequence[str], outer: str, inner: str) -> str:
    """A list of strings (``outer``/``inner``: the newline and indent of the list and of its items)."""
    if not items:
        return "[]"
    return "[" + inner + ("," + inner).join([encode_basestring(item) for item in items]) + outer + "]"


@lru_cache(maxsize=8)
def _image_templates(level: int) -> tuple[str, str, str, str]:
    """%-templates of an image, a finding, a chain link and a thumbnail at ``level`` (see :func:`image_json`)."""
    n0, n1, n2, n3 = ("\n" + "  " * (level + depth) for depth in range(4))
    image = "{" + f",{n1}".join(f'"{key}": %s' for key in (
        "path", "sha256", "size", "media_type", "status", "reasons", "credentials", "validation_state",
        "active_manifest", "signer", "assurance", "error", "warnings", "findings", "manifests", "thumbnail",
    )).join((n1, n0)) + "}"
    finding = "{" + f",{n3}".join(f'"{key}": %s' for key in (
        "code", "message", "location", "category", "decision", "reason", "rule", "signal", "source_ref",
    )).join((n3, n2)) + "}"
    link = "{" + f",{n3}".join(f'"{key}": %s' for key in (
        "label", "parent", "depth", "relationship", "title", "claim_generator", "signer",
    )).join((n3, n2)) + "}"
    thumbnail = "{" + f'{n2}"media_type": %s,{n2}"data": %s{n1}' + "}"
    return image, finding, link, thumbnail


def _location_json(location: Location, level: int) -> str:
    items = [f'"{key}": {_scalar(value, level + 1)}' for key, value in location.as_dict().items()]
    if not items:
        return "{}"
    inner = "\n" + "  " * (level + 1)
    return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"


def _finding_json(finding: Finding, level: int, template: str) -> str:
    category, decision, reason = finding.category, finding.decision, finding.reason
    return template % (
        _scalar(finding.code, level + 1), _scalar(finding.message, level + 1),
        _location_json(finding.location, level + 1),
        "null" if category is None else encode_basestring(category),  # a StrEnum member is its value
        "null" if decision is None else encode_basestring(decision),
        "null" if reason is None else encode_basestring(reason),
        _scalar(finding.rule, level + 1), _scalar(finding.signal, level + 1), _scalar(finding.source_ref, level + 1),
    )


def _link_json(link: ChainLink, level: int, template: str) -> str:
    level += 1
    return template % (_scalar(link.label, level), _scalar(link.parent, level), _scalar(link.depth, level),
                       _scalar(link.relationship, level), _scalar(link.title, level),
                       _scalar(link.claim_generator, level), _scalar(link.signer, level))


def image_json(image: ImageVerdict, level: int = 0) -> str:
    """``json.dumps(image_to_dict(image), indent=2, ensure_ascii=False)``, byte for byte, about three times faster.

    The supervisor of a streamed audit writes every verdict (#12); the standard library's indented
    encoder is pure Python. This lays out the same keys in the same order from %-templates and encodes
    each string with the standard library's C ``encode_basestring``; a value of another type than
    :func:`image_to_dict` gives goes through :func:`provenance._jsonlayout.dumps_indented`. A change to
    :func:`image_to_dict` must be made here too: ``tests/report/test_json_layout.py`` compares the two
    over varied verdicts.

    Args:
        image: the verdict.
        level: its depth in the enclosing document (2 for an item of a report's ``images``): every line
            after the first is indented by ``level`` * 2 more spaces; the first line is not indented.
    Returns:
        The indented JSON text of the image, without a trailing newline.
    """
    template, finding_template, link_template, thumbnail_template = _image_templates(level)
    outer, inner, item = ("\n" + "  " * (level + depth) for depth in range(3))
    findings = [_finding_json(finding, level + 2, finding_template) for finding in image.findings]
    links = [_link_json(link, level + 2, link_template) for link in image.chain]
    thumbnail = image.thumbnail
    state = image.validation_state
    return template % (
        encode_basestring(display_path(image.path, escape_control=False)),
        _scalar(image.sha256, level + 1), _scalar(image.size, level + 1), _scalar(image.media_type, level + 1),
        encode_basestring(image.status),  # a StrEnum member is its value (str.__new__(cls, value))
        _strings(image.reasons, inner, item),
        encode_basestring(image.credentials),
        encode_basestring(state) if state else "null",
        _scalar(image.active_manifest, level + 1), _scalar(image.signer, level + 1),
        encode_basestring(image.assurance), _scalar(image.error, level + 1),
        _strings(image.warnings, inner, item),
        "[" + item + ("," + item).join(findings) + inner + "]" if findings else "[]",
        "[" + item + ("," + item).join(links) + inner + "]" if links else "[]",
        "null" if thumbnail is None else thumbnail_template % (
            _scalar(thumbnail.media_type, level + 2),
            encode_basestring(base64.b64encode(thumbnail.data).decode("ascii"))),
    )


def exit_code_for(report: AuditReport) -> int:
    """The CLI exit code a report calls for: 0 all compliant, 1 any non-compliant,
    3 any indeterminate and none non-compliant (also 3 when there is no image)."""
    return exit_code_for_counts(report.counts)


def exit_code_for_counts(counts: dict[str, int]) -> int:
    """:func:`exit_code_for` from the counts per status alone (no images at all: 3)."""
    if counts.get("non_compliant"):
        return 1
    if counts.get("indeterminate") or not sum(counts.values()):
        return 3
    return 0
