"""Provenance the C2PA reader does not read (issue #11, item 3): pre-standard JUMBF stores, and XMP
pointers to stores that are not there (stripped) or elsewhere (remote)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from conftest import shared_path

from provenance.evidence import read_evidence
from provenance.evidence._jumbf import MAX_BOXES, MAX_DEPTH, explain_absent_store, pre_standard_store, scan_jumbf
from provenance.model import Container, CredentialsEvidence, CredentialsPresence, MetadataSignal, SignalKind
from provenance.policy import default_policy, evaluate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "metadata"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def superbox(label: str, *children: bytes) -> bytes:
    return box(b"jumb", box(b"jumd", b"json" + bytes(12) + b"\x03" + label.encode() + b"\x00") + b"".join(children))


def png_with(blob: bytes) -> bytes:
    import zlib

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    chunks = b""
    for kind, body in ((b"IHDR", ihdr), (b"caBX", blob), (b"IEND", b"")):
        chunks += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunks


def verdict(name: str) -> tuple[str, list[str], list[str]]:
    result = evaluate(read_evidence(FIXTURES / name), default_policy())
    return result.status.value, [r.value for r in result.reasons], [f.message for f in result.findings]


@pytest.mark.parametrize("name", ["cai-2021-store.jpg", "cai-2021-store.png"])
def test_pre_standard_store_is_present_but_unverifiable(name: str) -> None:
    evidence = read_evidence(FIXTURES / name)
    assert evidence.credentials.presence is CredentialsPresence.REFUSED
    status, reasons, messages = verdict(name)
    assert (status, reasons) == ("indeterminate", ["credentials_invalid"])
    assert any("predates the C2PA standard" in message and "'cai'" in message for message in messages)
    assert not any("no Content Credentials" in message for message in messages)


def test_store_split_over_app11_segments_is_joined() -> None:
    [store] = scan_jumbf((FIXTURES / "cai-2021-store.jpg").read_bytes())
    assert (store.part, store.label) == ("JPEG APP11", "cai")
    assert store.labels[:2] == ("cb.adobe_1", "cai.assertions") and "cai.claim" in store.labels


def test_other_jumbf_is_not_provenance() -> None:
    [store] = scan_jumbf((FIXTURES / "jumbf-other-label.jpg").read_bytes())
    assert store.label == "jpeg360" and pre_standard_store([store]) is None
    assert verdict("jumbf-other-label.jpg")[:2] == ("indeterminate", ["no_credentials"])


@pytest.mark.parametrize("labels", [("cai",), ("x", "cb.adobe_1"), ("store", "cai.claim"), ("CAI",)])
def test_pre_standard_labels(labels: tuple[str, ...]) -> None:
    blob = superbox(labels[0], *(superbox(label) for label in labels[1:]))
    assert pre_standard_store(scan_jumbf(png_with(blob))) is not None


def test_a_c2pa_store_is_left_to_the_c2pa_reader() -> None:
    stores = scan_jumbf(shared_path("fixtures", "public", "example-assets", "car-es-Ps-Cr.jpg").read_bytes())
    assert stores and stores[0].label == "c2pa" and pre_standard_store(stores) is None


def test_hostile_jumbf_is_bounded() -> None:
    deep = superbox("leaf")
    for index in range(50):
        deep = superbox("cai" if index == 49 else f"level{index}", deep)
    [store] = scan_jumbf(png_with(deep))
    assert store.label == "cai" and len(store.labels) <= MAX_DEPTH
    wide = superbox("wide", *(superbox(f"cb.{i}") for i in range(1000)))
    [store] = scan_jumbf(png_with(wide))
    assert len(store.labels) < MAX_BOXES
    for broken in (b"\x00\x00\x00\x05jumb", box(b"jumb", b"\xff" * 3), b"\xff\xff\xff\xffjumb" + b"x" * 20,
                   box(b"jumb", box(b"jumd", b"short"))):
        assert scan_jumbf(png_with(broken)) == ()


def test_stripped_embedded_pointer_is_reported() -> None:
    evidence = read_evidence(FIXTURES / "stripped-manifest-pointer.jpg")
    assert evidence.credentials.presence is CredentialsPresence.ABSENT
    [problem] = evidence.read_problems
    assert (problem.code, problem.part, problem.blocking) == ("credentials.stripped", "XMP dcterms:provenance", True)
    result = evaluate(evidence, default_policy())
    assert result.status.value == "indeterminate"
    # Reported as the blocking read problem's finding (Evidence.metadata_errors, once its warning, is gone).
    assert any(f.code == "credentials.stripped" and "they were stripped" in f.message for f in result.findings)


def test_remote_pointer_is_reported_unavailable() -> None:
    status, reasons, messages = verdict("remote-manifest.jpg")
    assert (status, reasons) == ("indeterminate", ["credentials_unavailable"])
    assert any("stored remotely" in m or "stored elsewhere" in m for m in messages)


def test_only_an_absent_store_is_explained() -> None:
    pointer = MetadataSignal(Container.XMP, "dcterms:provenance", SignalKind.REMOTE_MANIFEST, "self#jumbf=/c2pa/x")
    present = CredentialsEvidence(presence=CredentialsPresence.PRESENT)
    assert explain_absent_store(b"", present, [pointer]) == (present, ())
    absent = CredentialsEvidence(presence=CredentialsPresence.ABSENT)
    assert explain_absent_store(b"\xff\xd8\xff\xd9", absent, [])[1] == ()
    assert explain_absent_store(b"\xff\xd8\xff\xd9", absent, [pointer])[1][0].code == "credentials.stripped"


@pytest.mark.parametrize("name", ["cai-2021-store.jpg", "cai-2021-store.png"])
def test_mutated_stores_never_raise(name: str) -> None:
    import random

    original = (FIXTURES / name).read_bytes()
    rng = random.Random(11)
    for _ in range(300):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        cut = rng.choice([len(data), rng.randrange(len(data))])
        scan_jumbf(bytes(data[:cut]))  # must not raise, whatever the damage
