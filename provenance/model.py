"""The evidence model: frozen records of what an image carries.

Data flows one way through `provenance`:

    image bytes -> Evidence -> Finding -> ImageVerdict -> AuditReport -> certificate

This module holds the first two links and the shared enums. It does no I/O and
imports nothing outside the standard library: the readers in
:mod:`provenance.evidence` fill these records, :mod:`provenance.classify` and
:mod:`provenance.policy` turn them into findings and verdicts.

Vocabulary follows the C2PA specification (2.2, §18.14 Actions, §18.15
Ingredients): a *manifest store* holds *manifests*; the *active manifest* is the
one that describes the asset; each manifest has a *claim*, signed, that lists
*assertions*; an *actions* assertion lists *actions*; *ingredients* link to the
manifests of the assets an image was made from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "ActionRecord",
    "AssertionRecord",
    "Assurance",
    "Category",
    "CredentialsEvidence",
    "Container",
    "CredentialsPresence",
    "Decision",
    "Evidence",
    "Finding",
    "IngredientRecord",
    "Location",
    "ManifestRecord",
    "MetadataSignal",
    "ReadProblem",
    "Reason",
    "SignalKind",
    "SignerInfo",
    "StatusCode",
    "StatusKind",
    "StatusScope",
    "Thumbnail",
    "ValidationState",
]


class ValidationState(StrEnum):
    """Validation state of a manifest store as c2pa-rs reports it.

    Source: C2PA 2.2 §15 "Validation states"; c2pa-rs `validation_results.rs`
    folds the spec's states into these three.
    """

    INVALID = "Invalid"
    """Not well-formed, or a failure code that is not tolerated."""
    VALID = "Valid"
    """Well-formed, claim signature validated; the signer may be untrusted."""
    TRUSTED = "Trusted"
    """Valid, and the signing credential chains to a configured trust anchor."""


class CredentialsPresence(StrEnum):
    """Whether Content Credentials could be read from the file."""

    PRESENT = "present"
    """A manifest store was read (whatever its validation state)."""
    ABSENT = "absent"
    """The file carries no C2PA manifest store (no JUMBF data)."""
    REMOTE = "remote"
    """The file points to a manifest stored elsewhere (cloud); not fetched."""
    REFUSED = "refused"
    """A manifest store is there but the reader refused it outright
    (unsupported algorithm, pre-release format, corrupt structure)."""
    NOT_READ = "not_read"
    """The file could not be read as an image at all (see ``Evidence.read_error``)."""


class Decision(StrEnum):
    """What a policy decides about a finding."""

    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"
    REVIEW = "review"


class Reason(StrEnum):
    """Why an image is not compliant. Stable strings for scripts.

    Defined here (re-exported by :mod:`provenance.verdict`) because every blocking
    :class:`Finding` carries one: the verdict's reasons are derived from its findings.
    """

    GENERATIVE_AI = "generative_ai"
    """A generative signal was found (the policy forbids it)."""
    FORBIDDEN_EDIT = "forbidden_edit"
    """A studio policy forbids a non-generative category (never raised by the default policy)."""
    NO_CREDENTIALS = "no_credentials"
    """No Content Credentials (and no unsigned evidence the policy accepts)."""
    CREDENTIALS_INVALID = "credentials_invalid"
    """A hash, signature or structure check fails, or the reader refuses the manifest."""
    CREDENTIALS_UNTRUSTED = "credentials_untrusted"
    """The credentials are intact but the signer is not trusted, expired or outside the profile."""
    CREDENTIALS_UNAVAILABLE = "credentials_unavailable"
    """The manifest lives elsewhere (cloud) and was not fetched."""
    REVIEW_REQUIRED = "review_required"
    """A signal the policy sends to a person."""
    UNREADABLE = "unreadable"
    """The file could not be read as an image."""


class Category(StrEnum):
    """What kind of edit or signal a finding is, before any policy applies.

    The classification table in :mod:`provenance.classify` maps C2PA action
    labels, digital source types, vendor parameters and metadata fields onto
    these categories; a policy then maps categories (or raw labels) onto a
    :class:`Decision`. Policies name categories, so they stay stable when the
    C2PA vocabulary grows.
    """

    CAPTURE = "capture"
    """Origin from a camera, film or print (digitalCapture, computationalCapture...)."""
    OPENED = "opened"
    """An existing asset was opened as the parent (``c2pa.opened``)."""
    UNDOCUMENTED_ORIGIN = "undocumented_origin"
    """The chain starts at a file with no provenance of its own (charter, "Origin")."""
    SMART_SELECTION = "smart_selection"
    """Select Subject / Sky / People, AI masks: creates no pixels."""
    STRAIGHTENING = "straightening"
    """Upright, auto-level, perspective correction."""
    PRESET_COLOUR = "preset_colour"
    """Colour from presets, profiles and looks."""
    EXPOSURE = "exposure"
    """Exposure, tone, white balance, auto tone."""
    ORDINARY_EDIT = "ordinary_edit"
    """Crop, resize, rotate, sharpen, convert, export, metadata edits..."""
    CONTENT_AWARE_FILL = "content_aware_fill"
    """Non-generative content-aware replacement: heal, clone, patch."""
    AI_ENHANCEMENT = "ai_enhancement"
    """AI that synthesises detail from a model trained on others' photos
    (Denoise, Super Resolution, Raw Details)."""
    EXTERNAL_CONTENT = "external_content"
    """Content placed from elsewhere without provenance of its own (placed
    images, sky replacement)."""
    UNDECLARED_SOURCE = "undeclared_source"
    """Creation or edit that declares no digital source type and names no tool."""
    NON_PHOTOGRAPHIC_SOURCE = "non_photographic_source"
    """A digital source type that is not generative but not a capture either
    (algorithmicMedia, composite, digitalCreation, screenCapture...)."""
    VENDOR_ACTION = "vendor_action"
    """An action label outside the ``c2pa.`` namespace."""
    RECORDED_FAILURE = "recorded_failure"
    """An ingredient's validation failure recorded by the writer at import time."""
    METADATA_CONFLICT = "metadata_conflict"
    """Unsigned metadata and the signed manifest tell different stories."""
    GENERATIVE = "generative"
    """Content produced by a trained generative model."""
    UNKNOWN = "unknown"
    """A signal the classification table does not know."""


class SignalKind(StrEnum):
    """What a metadata signal is (for :class:`MetadataSignal`)."""

    DIGITAL_SOURCE_TYPE = "digital_source_type"
    AI_SYSTEM = "ai_system"
    GENERATOR_RECORD = "generator_record"
    CREDIT = "credit"
    SOFTWARE = "software"
    HISTORY_EVENT = "history_event"
    DEVELOP_SETTING = "develop_setting"
    REMOTE_MANIFEST = "remote_manifest"
    CAMERA = "camera"
    DESCRIPTION = "description"
    TEXT = "text"
    """Any other text-like field: its name says nothing, its content may (generator records)."""


class Assurance(StrEnum):
    """How strong the evidence behind a verdict is."""

    SIGNED_CREDENTIALS = "signed_credentials"
    """A C2PA manifest whose signature was checked."""
    METADATA_ONLY = "metadata_only"
    """Only unsigned XMP / EXIF / IPTC / PNG text: anyone could have written it."""
    NONE = "none"
    """No provenance evidence at all."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a piece of evidence sits, so every finding can be traced back.

    For C2PA evidence, ``manifest`` is the manifest label, ``assertion`` the
    assertion label (as the reader reports it) and ``index`` the position of
    the action in its ``actions`` array. For metadata, ``field`` names the
    container and field, e.g. ``"XMP Iptc4xmpExt:DigitalSourceType"`` or
    ``"PNG tEXt parameters"``.
    """

    manifest: str | None = None
    assertion: str | None = None
    index: int | None = None
    field: str | None = None

    def describe(self) -> str:
        """Return a one-line human reading, e.g. ``manifest X / c2pa.actions.v2 #2``."""
        parts: list[str] = []
        if self.manifest:
            parts.append(f"manifest {self.manifest}")
        if self.assertion:
            parts.append(self.assertion + (f" #{self.index}" if self.index is not None else ""))
        if self.field:
            parts.append(self.field)
        return " / ".join(parts) if parts else "(image)"

    def as_dict(self) -> dict[str, Any]:
        """Return the non-empty fields as a JSON-ready dict."""
        out: dict[str, Any] = {}
        for key in ("manifest", "assertion", "index", "field"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


class StatusKind(StrEnum):
    """How the C2PA reader filed a validation status (c2pa-rs ``LogKind``; C2PA 2.2 §15.2.1)."""

    SUCCESS = "success"
    INFORMATIONAL = "informational"
    FAILURE = "failure"


class StatusScope(StrEnum):
    """Where a validation status was reported (for :class:`StatusCode`)."""

    ACTIVE = "active"
    """The active manifest's results (``validation_results.activeManifest``), computed now."""
    INGREDIENT = "ingredient"
    """An ingredient delta computed now (``validation_results.ingredientDeltas``)."""
    RECORDED = "recorded"
    """A status a writer stored in an ingredient assertion when it imported that ingredient."""


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One validation status entry from the C2PA reader, as read (its meaning is in
    :mod:`provenance.classify._status`).

    ``kind`` is how the reader filed it; for a writer's legacy ``validation_status`` list,
    which carries no kind, it is ``FAILURE`` (the status table then decides by the code).
    ``scope`` says where it was reported. ``ingredient`` is the ingredient assertion URI
    (deltas) or title (recorded).
    """

    code: str
    kind: StatusKind
    scope: StatusScope
    url: str | None = None
    explanation: str | None = None
    ingredient: str | None = None


@dataclass(frozen=True, slots=True)
class SignerInfo:
    """The claim signer as the reader reports it (``signature_info``)."""

    issuer: str | None = None
    common_name: str | None = None
    time: str | None = None
    """Signing time, ISO 8601, from the time-stamp or claim when present."""
    algorithm: str | None = None

    def describe(self) -> str:
        """Return ``"common name (issuer)"`` or what there is of it."""
        if self.common_name and self.issuer:
            return f"{self.common_name} ({self.issuer})"
        return self.common_name or self.issuer or "unknown signer"


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One action from a ``c2pa.actions`` / ``c2pa.actions.v2`` assertion.

    Fields are normalised across the v1 and v2 shapes (c2pa-signals.md, trap 2):
    ``software_agent`` is the name whether the writer used a string, a
    generator-info map or ``softwareAgentIndex``; ``description`` comes from
    the v2 field or the v1 ``parameters.description``. Templates of the same
    assertion (same action label, or ``"*"``) are already merged in
    (C2PA 2.2 §18.14.6; the SDK does not apply them): values on the action win,
    and ``template_digital_source_type`` keeps the template's own value.
    ``ingredient_urls`` are the hashed-URI links to ingredient assertions
    (v1 ``parameters.ingredient``, v2 ``parameters.ingredients``).
    Source for the id forms: c2pa-signals trap 2; c2pa-rs PR #627.
    """

    action: str
    location: Location
    digital_source_type: str | None = None
    template_digital_source_type: str | None = None
    software_agent: str | None = None
    description: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    ingredient_urls: tuple[str, ...] = ()
    ingredient_ids: tuple[str, ...] = ()
    """Instance ids naming ingredients (v1 ``instanceId``; Adobe ``parameters.instanceId``;
    ``ingredientIds``), matched against :attr:`IngredientRecord.instance_id`."""


@dataclass(frozen=True, slots=True)
class IngredientRecord:
    """One ingredient of a manifest.

    ``relationship`` is ``parentOf``, ``componentOf`` or ``inputTo``
    (C2PA 2.2 §18.15.3). ``active_manifest`` is the label of the ingredient's
    own manifest in the same store, or ``None`` when the ingredient has no
    provenance. ``label`` is the ingredient assertion label (``c2pa.ingredient``,
    ``c2pa.ingredient.v3__1``...), used to resolve actions' ingredient links.
    ``recorded_status`` holds validation statuses the writer stored at import;
    ``instance_id`` the ingredient's XMP instance id (actions may link by it).
    """

    title: str | None
    relationship: str | None
    location: Location
    label: str | None = None
    active_manifest: str | None = None
    digital_source_type: str | None = None
    recorded_status: tuple[StatusCode, ...] = ()
    instance_id: str | None = None


@dataclass(frozen=True, slots=True)
class AssertionRecord:
    """A non-action assertion worth classifying (e.g. ``com.adobe.generative-ai``)."""

    label: str
    location: Location
    data: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class ManifestRecord:
    """One manifest of the store, reached from the active manifest.

    ``depth`` is 0 for the active manifest, 1 for its ingredients' manifests,
    and so on; ``path`` is the chain of ingredient titles that leads here.
    ``has_actions_assertion`` separates "no actions assertion at all" from an
    empty actions list. ``action_metadata`` keeps the actions assertions'
    assertion-level ``metadata`` objects (Firefly writes
    ``com.adobe.inference`` there).
    """

    label: str
    depth: int
    claim_generator: str | None
    signer: SignerInfo
    actions: tuple[ActionRecord, ...] = ()
    ingredients: tuple[IngredientRecord, ...] = ()
    assertions: tuple[AssertionRecord, ...] = ()
    assertion_labels: tuple[str, ...] = ()
    has_actions_assertion: bool = False
    path: tuple[str, ...] = ()
    action_metadata: tuple[tuple[Location, Mapping[str, Any]], ...] = field(
        default=(), hash=False, compare=False
    )


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """The active manifest's own thumbnail (its ``c2pa.thumbnail.claim`` assertion), as stored.

    ``media_type`` is what the manifest declares (``image/jpeg``...); ``data`` the exact bytes,
    at most :data:`provenance.evidence.MAX_THUMBNAIL_BYTES`. Never decoded by `provenance`.
    """

    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class CredentialsEvidence:
    """What the C2PA reader found, before any judgement.

    ``manifests`` lists the active manifest first, then every manifest reached
    through ingredients, depth first; a manifest reached twice is listed once.
    ``status_codes`` holds the active manifest's results, the ingredient
    deltas and the statuses recorded in ingredients.
    """

    presence: CredentialsPresence
    validation_state: ValidationState | None = None
    active_manifest: str | None = None
    manifests: tuple[ManifestRecord, ...] = ()
    status_codes: tuple[StatusCode, ...] = ()
    remote_url: str | None = None
    reader_error: str | None = None
    thumbnail: Thumbnail | None = None
    """The active manifest's thumbnail, when it has one within the size cap."""

    @property
    def active(self) -> ManifestRecord | None:
        """The active manifest record, or ``None`` without credentials."""
        for manifest in self.manifests:
            if manifest.label == self.active_manifest:
                return manifest
        return None


class Container(StrEnum):
    """The container a metadata signal was read from (for :class:`MetadataSignal`).

    The value is the label shown in a field's display string (``"XMP crs:Look"``).
    ``TIFF`` is an EXIF-structured block found outside a JPEG APP1 ``Exif`` segment
    (a TIFF file's own IFDs, a HEIF ``Exif`` item); the reader says which.
    """

    XMP = "XMP"
    EXIF = "EXIF"
    IPTC = "IPTC"
    PNG = "PNG"
    JPEG = "JPEG"
    """A JPEG ``COM`` segment."""
    GIF = "GIF"
    """A GIF comment extension."""
    WEBP = "WebP"
    TIFF = "TIFF"
    HEIF = "HEIF"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class MetadataSignal:
    """One unsigned metadata fact (XMP, EXIF, IPTC, PNG text, a comment), read and not judged.

    The fields say where the value sits, structurally, so the classifier never parses a string:

    - ``container``: the :class:`Container` it was read from.
    - ``name``: the field itself: the XMP property as a qualified name (``"crs:Look"``), the EXIF
      tag name (``"Software"``), the PNG text keyword (``"parameters"``), the IPTC dataset name
      (``"Caption-Abstract"``), ``"COM"`` / ``"Comment"`` for comments.
    - ``namespace``: the XMP namespace URI of ``name``; for EXIF the IFD the tag was read in
      (``"IFD0"``, ``"ExifIFD"``, ``"SubIFD"``, ``"GPS"``); for PNG the chunk type (``"tEXt"``,
      ``"zTXt"``, ``"iTXt"``); ``None`` otherwise.
    - ``path``: the enclosing structure: for XMP the property path of the parent struct
      (``"xmpMM:Pantry[1]"``), for EXIF the IFD when it is not the tag's usual one (the display
      then says ``(in ExifIFD)``); ``None`` at the usual place.
    - ``part``: for a long value split into parts, its number from 2 on (``None`` for the first).
    - ``kind``: what the reader recognised the field as, from its name alone (a hint for the
      classifier, never a decision).
    - ``value``: the value as text (values over 262,144 characters keep their head and tail, and the reader
      reports a blocking ``metadata.cap_reached``; findings show at most 2,000 characters).

    :attr:`field` is the display string derived from these (``"XMP xmpMM:Pantry[1]/crs:Look"``,
    ``"EXIF Software (in ExifIFD)"``, ``"PNG tEXt parameters"``), used in :attr:`Location.field`.
    """

    container: Container
    name: str
    kind: SignalKind
    value: str
    namespace: str | None = None
    path: str | None = None
    part: int | None = None

    @property
    def field(self) -> str:
        """The display string of where the signal sits (see the class docstring)."""
        if self.container is Container.XMP:
            text = f"XMP {self.path}/{self.name}" if self.path else f"XMP {self.name}"
        elif self.container is Container.PNG:
            text = f"PNG {self.namespace} {self.name}" if self.namespace else f"PNG {self.name}"
        elif self.container in (Container.JPEG, Container.GIF, Container.WEBP, Container.HEIF) \
                and self.name in ("COM", "Comment"):
            text = f"{self.container.value} {self.name}"
        else:
            text = f"{self.container.value} {self.name}"
            if self.path:
                text += f" (in {self.path})"
        if self.part:
            text += f" (part {self.part})"
        return text

    @property
    def location(self) -> Location:
        """Where the signal sits, as a :class:`Location`."""
        return Location(field=self.field)


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A part of the file that could not be read completely, reported by a reader (never dropped).

    ``code`` is a stable dotted identifier (``metadata.part_malformed``, ``metadata.cap_reached``...,
    documented in ``docs/report-schema.md``); ``part`` names the part in plain words (``"XMP packet in
    APP1 at byte 1234"``); ``message`` says what went wrong. ``blocking`` is ``False`` only for notes that
    change nothing (an extended XMP read although no packet referenced it): the policy's judges turn a
    blocking problem into a finding that keeps the image from ``compliant``.
    """

    code: str
    part: str
    message: str
    blocking: bool = True


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything read from one image, and nothing decided.

    ``sha256`` is the hex SHA-256 of the exact bytes read; ``size`` is in
    bytes; ``media_type`` is sniffed from the content (``None`` when the file
    is not a recognised image). ``read_error`` is a plain-words message when
    the file could not be read as an image (then ``credentials.presence`` is
    ``NOT_READ``).
    """

    path: str
    sha256: str | None
    size: int | None
    media_type: str | None
    credentials: CredentialsEvidence
    metadata: tuple[MetadataSignal, ...] = ()
    read_error: str | None = None
    read_problems: tuple[ReadProblem, ...] = ()
    """Parts that could not be read completely (see :class:`ReadProblem`), in file order."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One judged piece of evidence: a classified signal, a credentials or read problem, a note.

    ``code`` is a stable dotted identifier (``action.classified``,
    ``credentials.integrity_failure``, ``timestamp.untrusted``...) documented in
    ``docs/report-schema.md``; ``category`` is the classification; ``decision``
    what the policy made of it (``None``: not a policy decision); ``reason`` what
    the finding adds to the verdict (``None``: nothing, it never changes the
    status); ``rule`` the id of the policy rule (or classification row) that
    decided; ``location`` where it came from; ``message`` one sentence for people;
    ``signal`` the raw value that motivated it (label, digital source type, status
    code, field value).
    """

    code: str
    message: str
    location: Location
    category: Category | None = None
    decision: Decision | None = None
    rule: str | None = None
    signal: str | None = None
    source_ref: str | None = None
    """The citation for the classification row (c2pa-signals.md key, spec section)."""
    reason: Reason | None = None
    """What this finding does to the verdict: ``None`` for a finding that does not block
    (an allowed classification, information); otherwise the :class:`Reason` it adds. The
    verdict's status and reasons are derived from these alone (see :mod:`provenance.policy`)."""
