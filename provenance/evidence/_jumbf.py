"""Provenance that the C2PA reader does not read: pre-standard stores and pointers to missing ones
(issue #11, item 3).

When c2pa-rs finds no C2PA manifest store it says only "not found". Two things can still be
there, and neither means "no credentials":

- **A pre-standard store.** Adobe's Content Authenticity Initiative wrote JUMBF stores before the
  C2PA 1.0 standard (2021): the store superbox is labelled ``cai`` (not ``c2pa``) and its manifests
  ``cb.adobe_1`` and the like, with ``cai.*`` parts. c2pa-rs skips JUMBF that is not labelled
  ``c2pa``. :func:`scan_jumbf` walks the JUMBF boxes of JPEG APP11 segments and PNG ``caBX``
  chunks (bounded) and :func:`pre_standard_store` recognises such a store by its labels.
- **A pointer to a store.** XMP ``dcterms:provenance`` names where the manifest is: a
  ``self#jumbf=/c2pa/...`` URI for an embedded store (which, when missing, was stripped) or an
  ``https://`` URL for a remote one (reported by the policy as unavailable).

Sources: ISO/IEC 19566-5 (JUMBF superbox ``jumb``, description box ``jumd``: 16-byte type, toggles,
optional NUL-terminated label); C2PA 2.2 §11.3 (store label ``c2pa``), Annex A (JPEG APP11 with
``JP`` common identifier, box instance ``En`` and sequence ``Z``, the box header repeated in every
segment; PNG ``caBX``); c2pa-rs ``sdk/src/jumbf/boxes.rs`` tests (pre-standard manifest label
``cb.adobe_1``); issue #11 (2021 CAI labels ``cai``, ``cb.adobe``); C2PA 2.2 §11.4 and
c2pa-signals trap 18 (``dcterms:provenance``).

Caps: at most :data:`MAX_SEGMENTS` APP11 segments / PNG chunks, :data:`MAX_JUMBF_BYTES` of JUMBF
in all, :data:`MAX_BOXES` boxes visited and :data:`MAX_DEPTH` superbox levels; what lies beyond a
cap is not read (a store is recognised from its first labels).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import CredentialsEvidence, CredentialsPresence, MetadataSignal, ReadProblem, SignalKind

__all__ = [
    "MAX_BOXES",
    "MAX_DEPTH",
    "MAX_JUMBF_BYTES",
    "MAX_SEGMENTS",
    "JumbfStore",
    "explain_absent_store",
    "pre_standard_store",
    "scan_jumbf",
]

MAX_SEGMENTS = 4096
"""APP11 segments or PNG chunks looked at."""
MAX_JUMBF_BYTES = 16 * 1024 * 1024
"""JUMBF bytes gathered from one file (16 MiB)."""
MAX_BOXES = 256
"""Boxes visited per store."""
MAX_DEPTH = 4
"""Superbox nesting followed (store / manifest / part / content)."""

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class JumbfStore:
    """One top-level JUMBF superbox: ``part`` where it sits (``"JPEG APP11"``, ``"PNG caBX"``),
    ``label`` its own label, ``labels`` the labels of the superboxes inside it (walk order, capped)."""

    part: str
    label: str
    labels: tuple[str, ...]


def _box(data: bytes, position: int, end: int) -> tuple[bytes, int, int] | None:
    """(type, payload start, box end) of the box at ``position``, or ``None`` when it does not fit."""
    if position + 8 > end:
        return None
    size, kind = struct.unpack_from(">I4s", data, position)
    header = 8
    if size == 1:
        if position + 16 > end:
            return None
        (size,) = struct.unpack_from(">Q", data, position + 8)
        header = 16
    elif size == 0:
        size = end - position
    if size < header or position + size > end:
        return None
    return kind, position + header, position + size


def _label(data: bytes, start: int, end: int) -> str | None:
    """The label of a ``jumd`` payload (16-byte type, toggles, NUL-terminated label if toggle 0x02)."""
    if end - start < 17 or not data[start + 16] & 0x02:
        return None
    stop = data.find(b"\x00", start + 17, min(end, start + 17 + 256))
    raw = data[start + 17: stop if stop >= 0 else min(end, start + 17 + 256)]
    return raw.decode("utf-8", errors="replace")


def _superbox(data: bytes, start: int, end: int, depth: int, labels: list[str], budget: list[int]) -> str | None:
    """Read one ``jumb`` payload: return its label, append its descendants' labels to ``labels``."""
    first = _box(data, start, end)
    if first is None or first[0] != b"jumd" or first[2] - first[1] < 17:
        return None
    budget[0] -= 1
    label = _label(data, first[1], first[2]) or ""
    position = first[2]
    while position < end and budget[0] > 0 and depth < MAX_DEPTH:
        child = _box(data, position, end)
        if child is None:
            break
        budget[0] -= 1
        if child[0] == b"jumb":
            inner: list[str] = []
            name = _superbox(data, child[1], child[2], depth + 1, inner, budget)
            if name is not None:
                labels.append(name)
                labels.extend(inner)
        position = child[2]
    return label


def _store(part: str, blob: bytes) -> JumbfStore | None:
    top = _box(blob, 0, len(blob))
    if top is None or top[0] != b"jumb":
        return None
    labels: list[str] = []
    label = _superbox(blob, top[1], top[2], 0, labels, [MAX_BOXES])
    return None if label is None else JumbfStore(part=part, label=label, labels=tuple(labels))


def _jpeg_app11(data: bytes) -> list[bytes]:
    """JUMBF boxes of the APP11 segments, joined per box instance (C2PA 2.2 Annex A)."""
    parts: dict[int, list[tuple[int, bytes]]] = {}
    position, seen, total = 2, 0, 0
    while position + 4 <= len(data) and seen < MAX_SEGMENTS and data[position] == 0xFF:
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            position += 1 if marker == 0xFF else 2
            continue
        if marker in (0xD9, 0xDA):
            break
        (length,) = struct.unpack_from(">H", data, position + 2)
        payload = data[position + 4: position + 2 + length]
        seen += 1
        if marker == 0xEB and payload[:2] == b"JP" and len(payload) >= 16 and total < MAX_JUMBF_BYTES:
            instance, sequence = struct.unpack_from(">HI", payload, 2)
            box = payload[8:]
            parts.setdefault(instance, []).append((sequence, box))
            total += len(box)
        position += 2 + length
    joined: list[bytes] = []
    for pieces in parts.values():
        pieces.sort()
        head = pieces[0][1]
        header = 16 if head[:4] == b"\x00\x00\x00\x01" else 8
        joined.append(head + b"".join(piece[header:] for _, piece in pieces[1:]))
    return joined


def _png_cabx(data: bytes) -> list[bytes]:
    blobs: list[bytes] = []
    position, seen, total = len(_PNG_SIGNATURE), 0, 0
    while position + 8 <= len(data) and seen < MAX_SEGMENTS:
        length, kind = struct.unpack_from(">I4s", data, position)
        start, end = position + 8, position + 8 + length
        if end > len(data):
            break
        seen += 1
        if kind == b"caBX" and total + length <= MAX_JUMBF_BYTES:
            blobs.append(data[start:end])
            total += length
        if kind == b"IEND":
            break
        position = end + 4  # CRC
    return blobs


def scan_jumbf(data: bytes) -> tuple[JumbfStore, ...]:
    """Find the top-level JUMBF superboxes of a JPEG (APP11) or PNG (``caBX``), whatever their label.

    Args:
        data: the whole file.
    Returns:
        One :class:`JumbfStore` per superbox found (empty for other formats or no JUMBF).
    Errors: none; damaged boxes end the walk of their segment. Caps: see the module docstring.
    """
    if data.startswith(b"\xff\xd8"):
        return tuple(store for blob in _jpeg_app11(data) if (store := _store("JPEG APP11", blob)) is not None)
    if data.startswith(_PNG_SIGNATURE):
        return tuple(store for blob in _png_cabx(data) if (store := _store("PNG caBX", blob)) is not None)
    return ()


def _pre_standard_label(label: str) -> bool:
    lowered = label.lower()
    return lowered == "cai" or lowered.startswith(("cai.", "cb."))


def pre_standard_store(stores: Iterable[JumbfStore]) -> JumbfStore | None:
    """The first store that is a pre-standard (2021 CAI) one: not labelled ``c2pa``, and labelled
    ``cai`` itself or holding ``cb.*`` / ``cai.*`` parts. ``None`` when there is none."""
    for store in stores:
        if store.label.lower() == "c2pa":
            continue
        if _pre_standard_label(store.label) or any(_pre_standard_label(label) for label in store.labels):
            return store
    return None


def explain_absent_store(data: bytes, credentials: CredentialsEvidence, metadata: Iterable[MetadataSignal]
                         ) -> tuple[CredentialsEvidence, tuple[ReadProblem, ...]]:
    """What the reader's "no manifest store" (or its refusal of a non-C2PA store) means for this file.

    Args:
        data: the whole file.
        credentials: what the C2PA reader returned; only ``ABSENT`` (and ``REFUSED``, which c2pa-rs
            reports for a PNG ``caBX`` that holds no ``c2pa`` store) are looked at further.
        metadata: the file's metadata signals (for XMP ``dcterms:provenance``).
    Returns:
        ``(credentials, problems)``: a pre-standard store gives ``REFUSED`` credentials whose
        ``reader_error`` says the store predates the C2PA standard and cannot be verified (the policy
        reports it as ``credentials_invalid``); an XMP pointer to an embedded manifest that is not
        there gives a blocking :class:`ReadProblem` ``credentials.stripped``. Otherwise the input
        unchanged and no problem.
    """
    if credentials.presence not in (CredentialsPresence.ABSENT, CredentialsPresence.REFUSED):
        return credentials, ()
    store = pre_standard_store(scan_jumbf(data))
    if store is not None:
        parts = ", ".join(dict.fromkeys(store.labels[:3]))
        said = f" (the C2PA reader said: {credentials.reader_error})" if credentials.reader_error else ""
        return CredentialsEvidence(
            presence=CredentialsPresence.REFUSED,
            reader_error=(f"a pre-standard Content Credentials store ({store.part}, JUMBF label {store.label!r}"
                          + (f", parts {parts}" if parts else "") + "): it predates the C2PA standard (Adobe "
                          f"CAI, 2021), so it cannot be verified{said}"),
        ), ()
    if credentials.presence is not CredentialsPresence.ABSENT:
        return credentials, ()
    for signal in metadata:
        if signal.kind is SignalKind.REMOTE_MANIFEST and signal.value.strip().lower().startswith("self#jumbf="):
            return credentials, (ReadProblem(
                code="credentials.stripped", part=signal.field,
                message=(f"the XMP says the Content Credentials are embedded ({signal.value.strip()}), but the "
                         "file carries no manifest store: they were stripped"),
            ),)
    return credentials, ()
