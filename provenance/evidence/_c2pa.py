"""Content Credentials through c2pa-python: the only module that imports ``c2pa``.

Reads the manifest store of one image with the reference reader (c2pa-rs via
c2pa-python) and turns its JSON into frozen :mod:`provenance.model` records.
Reading never touches the network: remote-manifest fetching and OCSP fetching
are off, and trust anchors are explicit inputs (``trust.trust_anchors`` in the
c2pa-rs settings; ecosystem.md §3.4). It never judges what it reads.

JSON shapes are those of c2pa-python 0.38.x (c2pa-rs 0.91): ``Reader.json()``
gives ``active_manifest``, ``manifests``, ``validation_results`` and
``validation_state``; every ``c2pa.actions*`` assertion is relabelled
``c2pa.actions.v2`` whatever its stored shape (c2pa-signals trap 1), so both v1
and v2 field shapes are accepted for every action (trap 2).
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import c2pa

from ..model import (
    ActionRecord,
    AssertionRecord,
    CredentialsEvidence,
    CredentialsPresence,
    IngredientRecord,
    Location,
    ManifestRecord,
    SignerInfo,
    StatusCode,
    StatusKind,
    StatusScope,
    Thumbnail,
    ValidationState,
)

__all__ = ["c2pa_versions", "offline_settings", "read_credentials", "supported_media_types"]

# Non-action assertions kept with their data (they can carry generative or
# training signals; c2pa-signals A3 and trap 5d; ecosystem.md §5).
_KEPT_ASSERTIONS = (
    "com.adobe.generative-ai",
    "c2pa.ai-disclosure",
    "c2pa.training-mining",
    "cawg.training-mining",
    "org.photo-provenance.compliance",  # provenance stamp's record (classify._assertions.COMPLIANCE_LABEL)
)


def c2pa_versions() -> dict[str, str]:
    """Return ``{"c2pa-python": ..., "c2pa-rs": ...}`` versions in use."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        python_version = version("c2pa-python")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        python_version = "unknown"
    sdk = c2pa.sdk_version()
    return {"c2pa-python": python_version, "c2pa-rs": sdk.rsplit("/", 1)[-1] if "/" in sdk else sdk}


@lru_cache(maxsize=1)
def supported_media_types() -> frozenset[str]:
    """Media types (``image/jpeg``...) the bundled reader can open."""
    return frozenset(t for t in c2pa.Reader.get_supported_mime_types() if "/" in t)


@lru_cache(maxsize=8)
def _context(anchors_pem: str, eku_oids: tuple[str, ...], allowed_list: str = "") -> Any:
    trust: dict[str, Any] = {"verify_trust_list": True}
    if anchors_pem.strip():
        trust["trust_anchors"] = anchors_pem
    if eku_oids:
        trust["trust_config"] = "\n".join(eku_oids) + "\n"
    if allowed_list.strip():
        # c2pa-rs 0.91 (c2pa-python 0.38.x) silently drops a flat
        # `trust.allowed_list`; it is honoured only inside a `trust.anchors`
        # entry (measured: docs/trust.md "The allowed list"). The entry's own
        # `trust_anchors` stays empty: anchors go through the flat key above.
        trust["anchors"] = [{"trust_anchors": "", "trust_kind": "manifest", "allowed_list": allowed_list}]
    return c2pa.Context.from_dict(offline_settings(trust))


def offline_settings(trust: Mapping[str, Any]) -> dict[str, Any]:
    """The c2pa-rs settings of every read: validation on, nothing resolved over the network.

    - ``verify.remote_manifest_fetch: false``: a manifest stored only in the cloud is not fetched
      (reported ``REMOTE``).
    - ``verify.ocsp_fetch: false``: no OCSP request for the signer's certificate.
    - ``core.allowed_network_hosts: []``: the reader's own allow-list of hosts is empty, so the CAWG
      identity validator does not resolve an issuer's DID (``did:web`` lookups were DNS and HTTPS requests
      to the issuer's domain). It still reports the identity assertion with its status code
      (``cawg.ica.did_unavailable``: the identity is unverified offline). Source: c2pa-rs 0.91 settings
      JSON (``core.allowed_network_hosts``, "C2PA Settings JSON Configuration" in the SDK docs); measured
      with strace on ``c2pa-rs/adobe_connected_identities.jpg``: one DNS connect before, none after
      (``tests/evidence/test_offline.py``).
    - ``core.decode_identity_assertions`` is left at its default (``true``): turning it off would hide
      identity failures such as ``cawg.ica.signature_mismatch`` (a fail-open).

    Args:
        trust: the ``trust`` table (anchors, EKU configuration, allowed list).
    Returns:
        The settings as a JSON-ready dict for ``c2pa.Context.from_dict``.
    """
    return {
        "version": 1,
        "core": {"allowed_network_hosts": []},
        "trust": dict(trust),
        "verify": {
            "remote_manifest_fetch": False,
            "ocsp_fetch": False,
            "verify_trust": True,
            "verify_after_reading": True,
        },
    }


def read_credentials(
    data: bytes,
    media_type: str,
    *,
    anchors_pem: str = "",
    eku_oids: Iterable[str] = (),
    allowed_list: str = "",
    thumbnails: bool = False,
) -> CredentialsEvidence:
    """Read and validate the manifest store embedded in ``data``.

    Args:
        data: the exact bytes of the image.
        media_type: its sniffed media type (``image/jpeg``...), passed to the reader.
        anchors_pem: PEM bundle of trust anchors; empty means nothing is trusted.
        eku_oids: extra extended-key-usage OIDs a signer may carry (the trust
            list's EKU configuration); the c2pa-rs defaults always apply.
        allowed_list: end-entity certificates (PEM) or base64 SHA-256 lines
            trusted directly, whatever they chain to.
        thumbnails: also read the active manifest's thumbnail (for HTML reports).
    Returns:
        :class:`CredentialsEvidence`. Never raises for a bad file: no manifest
        gives ``ABSENT``, a remote-only manifest ``REMOTE`` (not fetched), a
        manifest the reader refuses ``REFUSED`` with the reader's message.
    Side effects: none; no network (remote manifests and OCSP off).
    """
    context = _context(anchors_pem, tuple(eku_oids), allowed_list)
    try:
        reader = c2pa.Reader(media_type, io.BytesIO(data), context=context)
    except c2pa.C2paError.ManifestNotFound:
        return CredentialsEvidence(presence=CredentialsPresence.ABSENT)
    except c2pa.C2paError as error:
        message = str(error)
        if "Remote:" in message or isinstance(error, c2pa.C2paError.RemoteManifest):
            url = message.split("from url", 1)[-1].strip() if "from url" in message else None
            return CredentialsEvidence(presence=CredentialsPresence.REMOTE, remote_url=url, reader_error=message)
        return CredentialsEvidence(presence=CredentialsPresence.REFUSED, reader_error=message)
    try:
        with reader:
            store = json.loads(reader.json())
            thumbnail = _thumbnail(reader, store) if thumbnails else None
    except (c2pa.C2paError, ValueError) as error:
        return CredentialsEvidence(presence=CredentialsPresence.REFUSED, reader_error=str(error))
    credentials = parse_manifest_store(store)
    return dataclasses.replace(credentials, thumbnail=thumbnail) if thumbnail else credentials


MAX_THUMBNAIL_BYTES = 256 * 1024
"""A manifest thumbnail larger than this is not kept (the report shows a placeholder)."""

_THUMBNAIL_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"})


class _CappedBuffer(io.RawIOBase):
    """A write-only buffer that refuses to grow past :data:`MAX_THUMBNAIL_BYTES`."""

    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:
        if len(self.data) + len(chunk) > MAX_THUMBNAIL_BYTES:
            raise OverflowError("thumbnail over the size cap")
        self.data.extend(chunk)
        return len(chunk)


def _thumbnail(reader: Any, store: Mapping[str, Any]) -> Thumbnail | None:
    """The active manifest's thumbnail bytes, or ``None`` (absent, not an image type, over the cap, unreadable).

    Information for the report only: a thumbnail that cannot be read changes no verdict.
    """
    active = store.get("active_manifest")
    manifest = _mapping(store.get("manifests")).get(active) if isinstance(active, str) else None
    reference = manifest.get("thumbnail") if isinstance(manifest, Mapping) else None
    if not isinstance(reference, Mapping):
        return None
    media_type, identifier = reference.get("format"), reference.get("identifier")
    if media_type not in _THUMBNAIL_TYPES or not isinstance(identifier, str):
        return None
    buffer = _CappedBuffer()
    try:
        reader.resource_to_stream(identifier, buffer)
    except Exception:  # noqa: BLE001 - over the cap or unreadable: no thumbnail, nothing else changes
        return None
    return Thumbnail(media_type=str(media_type), data=bytes(buffer.data)) if buffer.data else None


def parse_manifest_store(store: Mapping[str, Any]) -> CredentialsEvidence:
    """Turn a ``Reader.json()`` manifest store into :class:`CredentialsEvidence`.

    Public for tests and tools that already hold the JSON (for example the
    dumps in ``../shared/fixtures/manifests/reader-dumps``). Tolerates missing
    and mistyped fields: what cannot be read is left out, never guessed.
    """
    manifests_raw = store.get("manifests")
    manifests = _mapping(manifests_raw)
    active = store.get("active_manifest") if isinstance(store.get("active_manifest"), str) else None
    state_raw = store.get("validation_state")
    try:
        state = ValidationState(state_raw) if isinstance(state_raw, str) else None
    except ValueError:
        state = None

    records: list[ManifestRecord] = []
    seen: set[str] = set()
    # Depth-first walk from the active manifest through every ingredient.
    stack: list[tuple[str, int, tuple[str, ...]]] = [(active, 0, ())] if active else []
    while stack:
        label, depth, path = stack.pop()
        if label in seen or label not in manifests or not isinstance(manifests[label], Mapping):
            continue
        seen.add(label)
        record = _manifest(label, manifests[label], depth, path)
        records.append(record)
        for ingredient in reversed(record.ingredients):
            if ingredient.active_manifest and ingredient.active_manifest not in seen:
                stack.append((ingredient.active_manifest, depth + 1, (*path, ingredient.title or "(untitled)")))

    return CredentialsEvidence(
        presence=CredentialsPresence.PRESENT,
        validation_state=state,
        active_manifest=active,
        manifests=tuple(records),
        status_codes=_status_codes(store, records),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty one (mistyped fields are left out)."""
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    """``value`` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    """``value`` stripped, if it is a non-blank string; else ``None``."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped:
            return stripped
    return None


def _agent_name(value: Any) -> str | None:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, Mapping):
        name = _text(value.get("name"))
        version = _text(value.get("version"))
        if name and version and version not in name:
            return f"{name} {version}"
        return name
    return None


def _manifest(label: str, raw: Mapping[str, Any], depth: int, path: tuple[str, ...]) -> ManifestRecord:
    signature = _mapping(raw.get("signature_info"))
    signer = SignerInfo(
        issuer=_text(signature.get("issuer")),
        common_name=_text(signature.get("common_name")),
        time=_text(signature.get("time")),
        algorithm=_text(signature.get("alg")),
    )
    claim_generator = _text(raw.get("claim_generator"))
    if claim_generator is None and isinstance(raw.get("claim_generator_info"), list):
        names = [_agent_name(item) for item in raw["claim_generator_info"]]
        claim_generator = " ".join(name for name in names if name) or None

    actions: list[ActionRecord] = []
    kept: list[AssertionRecord] = []
    labels: list[str] = []
    action_metadata: list[tuple[Location, Mapping[str, Any]]] = []
    has_actions = False
    assertions = _list(raw.get("assertions"))
    for assertion in assertions:
        if not isinstance(assertion, Mapping) or not isinstance(assertion.get("label"), str):
            continue
        alabel: str = assertion["label"]
        labels.append(alabel)
        data = _mapping(assertion.get("data"))
        base = alabel.split("__", 1)[0]
        if base.startswith("c2pa.actions"):
            has_actions = True
            actions.extend(_actions(label, alabel, data))
            if isinstance(data.get("metadata"), Mapping):
                action_metadata.append((Location(manifest=label, assertion=alabel), data["metadata"]))
        elif base in _KEPT_ASSERTIONS:
            kept.append(AssertionRecord(alabel, Location(manifest=label, assertion=alabel), data))

    ingredients_raw = _list(raw.get("ingredients"))
    ingredients = tuple(
        _ingredient(label, index, item) for index, item in enumerate(ingredients_raw) if isinstance(item, Mapping)
    )
    return ManifestRecord(
        label=label,
        depth=depth,
        claim_generator=claim_generator,
        signer=signer,
        actions=tuple(actions),
        ingredients=ingredients,
        assertions=tuple(kept),
        assertion_labels=tuple(labels),
        has_actions_assertion=has_actions,
        path=path,
        action_metadata=tuple(action_metadata),
    )


def _templates(data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    templates: dict[str, Mapping[str, Any]] = {}
    raw = data.get("templates")
    if isinstance(raw, list):
        for template in raw:
            if isinstance(template, Mapping) and isinstance(template.get("action"), str):
                templates.setdefault(template["action"], template)
    return templates


def _actions(manifest: str, assertion: str, data: Mapping[str, Any]) -> list[ActionRecord]:
    raw_actions = data.get("actions")
    if not isinstance(raw_actions, list):
        return []
    templates = _templates(data)
    agents = _list(data.get("softwareAgents"))
    out: list[ActionRecord] = []
    for index, raw in enumerate(raw_actions):
        if not isinstance(raw, Mapping):
            continue
        label = _text(raw.get("action")) or "(no action label)"
        template = templates.get(label) or templates.get("*") or {}
        parameters = _mapping(raw.get("parameters"))

        agent = _agent_name(raw.get("softwareAgent"))
        agent_index = raw.get("softwareAgentIndex")
        if agent is None and isinstance(agent_index, int) and 0 <= agent_index < len(agents):
            agent = _agent_name(agents[agent_index])
        if agent is None:
            agent = _agent_name(template.get("softwareAgent"))

        description = _text(raw.get("description")) or _text(parameters.get("description"))
        if description is None:
            description = _text(template.get("description"))

        urls: list[str] = []
        single = parameters.get("ingredient")
        if isinstance(single, Mapping) and isinstance(single.get("url"), str):
            urls.append(single["url"])
        many = parameters.get("ingredients")
        if isinstance(many, list):
            urls.extend(item["url"] for item in many if isinstance(item, Mapping) and isinstance(item.get("url"), str))

        ids: list[str] = []
        for source in (raw, parameters):
            for key in ("instanceId", "instanceID"):
                if isinstance(source.get(key), str):
                    ids.append(source[key])
            for key in ("ingredientIds", "org.cai.ingredientIds"):
                if isinstance(source.get(key), list):
                    ids.extend(item for item in source[key] if isinstance(item, str))

        dst = raw.get("digitalSourceType")
        template_dst = template.get("digitalSourceType")
        out.append(ActionRecord(
            action=label,
            location=Location(manifest=manifest, assertion=assertion, index=index),
            digital_source_type=dst if isinstance(dst, str) else None,
            template_digital_source_type=template_dst if isinstance(template_dst, str) else None,
            software_agent=agent,
            description=description,
            parameters=dict(parameters),
            ingredient_urls=tuple(urls),
            ingredient_ids=tuple(dict.fromkeys(ids)),
        ))
    return out


def _status_list(raw: Any, kind: StatusKind, scope: StatusScope, ingredient: str | None) -> list[StatusCode]:
    out: list[StatusCode] = []
    if not isinstance(raw, list):
        return out
    for item in raw:
        if isinstance(item, Mapping) and isinstance(item.get("code"), str):
            out.append(StatusCode(
                code=item["code"],
                kind=kind,
                scope=scope,
                url=_text(item.get("url")),
                explanation=_offline_note(item["code"], _text(item.get("explanation"))),
                ingredient=ingredient,
            ))
    return out


_ONLINE_ONLY_CODES = frozenset({"cawg.ica.did_unavailable"})
"""Codes that mean "this could only be checked online": reading is offline (:func:`offline_settings`)."""


def _offline_note(code: str, explanation: str | None) -> str | None:
    """Say, on a code only an online check could settle, that the identity is unverified offline."""
    if code not in _ONLINE_ONLY_CODES:
        return explanation
    note = "unverified offline: reading never resolves an issuer's DID over the network"
    return f"{explanation} ({note})" if explanation else note


def _status_groups(raw: Any, scope: StatusScope, ingredient: str | None) -> list[StatusCode]:
    if not isinstance(raw, Mapping):
        return []
    out: list[StatusCode] = []
    for kind in StatusKind:
        out.extend(_status_list(raw.get(kind.value), kind, scope, ingredient))
    return out


def _ingredient(manifest: str, index: int, raw: Mapping[str, Any]) -> IngredientRecord:
    title = _text(raw.get("title"))
    recorded: list[StatusCode] = []
    results = raw.get("validation_results")
    if isinstance(results, Mapping):
        recorded.extend(_status_groups(results.get("activeManifest"), StatusScope.RECORDED, title))
    legacy = raw.get("validation_status")
    if isinstance(legacy, list):
        # The legacy list mixes successes and failures and carries no kind: each is kept as
        # read (kind FAILURE); the status table (classify/_status.py) knows each code's meaning.
        recorded.extend(_status_list(legacy, StatusKind.FAILURE, StatusScope.RECORDED, title))
    dst = raw.get("digitalSourceType", raw.get("digital_source_type"))
    relationship = _text(raw.get("relationship"))
    return IngredientRecord(
        title=title,
        relationship=relationship,
        location=Location(manifest=manifest, assertion=_text(raw.get("label")) or "ingredients", index=index),
        label=_text(raw.get("label")),
        active_manifest=_text(raw.get("active_manifest")),
        digital_source_type=dst if isinstance(dst, str) else None,
        recorded_status=tuple(recorded),
        instance_id=_text(raw.get("instance_id")),
    )


def _status_codes(store: Mapping[str, Any], records: list[ManifestRecord]) -> tuple[StatusCode, ...]:
    out: list[StatusCode] = []
    results = store.get("validation_results")
    if isinstance(results, Mapping):
        out.extend(_status_groups(results.get("activeManifest"), StatusScope.ACTIVE, None))
        deltas = results.get("ingredientDeltas")
        if isinstance(deltas, list):
            for delta in deltas:
                if isinstance(delta, Mapping):
                    uri = _text(delta.get("ingredientAssertionURI"))
                    out.extend(_status_groups(delta.get("validationDeltas"), StatusScope.INGREDIENT, uri))
    else:
        legacy = store.get("validation_status")
        out.extend(_status_list(legacy, StatusKind.FAILURE, StatusScope.ACTIVE, None))
    for record in records:
        for ingredient in record.ingredients:
            out.extend(ingredient.recorded_status)
    return tuple(out)
