"""One table of tamper cases for `provenance verify --format json` and the verification page.

Each case starts from a genuine delivery (``01-capture-edited.jpg`` and
``day 2/02-capture-straightened.jpg`` from the sample delivery, audited and certified) and
changes the files or the certificate the way an attacker or an accident would. It states what
must be reported: the failed checks as ``{check name: code}`` and the files as
``{name: state}``. ``tests/browser/test_tamper_table.py`` runs every case through the CLI and
through the page and asserts both give exactly that.

``strict=True`` marks cases that depend on the strict verification of
the certificate contract (docs/certificate.md, "What a certificate covers")
(non-image files, ``predicate.ignore``, a strict ``evaluatedAt``); the CLI half is skipped when
the CLI does not implement it yet (detected, see :data:`STRICT_CLI`). ``page_only`` gives the
reason a case has no CLI half (an input only the page has).
"""

from __future__ import annotations

import base64
import inspect
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import provenance
from provenance import Certificate, KeyAlgorithm, SigningKey
from provenance.certificate import MAX_CERTIFICATE_BYTES, MAX_SIGNATURES, PAYLOAD_TYPE, EnvelopeSignature, serialize_statement

STRICT_CLI = "ignore" in inspect.signature(provenance.issue_certificate).parameters
"""Whether the library implements the strict verification (``issue_certificate(ignore=)``); it does since the
certificate branch was merged, and the marks stay so that the table says which cases are the contract's."""
STRICT_REASON = "needs strict verify (CERT-CONTRACT)"

FIRST = "01-capture-edited.jpg"
SECOND = "day 2/02-capture-straightened.jpg"
GENUINE = {FIRST: "verified", SECOND: "verified"}
NFC_NAME = "caf\u00e9.jpg"
NFD_NAME = "cafe\u0301.jpg"


@dataclass
class World:
    """One case's delivery and certificate, in its own folder. Cases edit them in place."""

    folder: Path
    delivery: Path
    certificate: bytes
    keys: dict[str, SigningKey]
    pinned: str = "ed25519"
    files_mode: bool = False  # give the files one by one (#files) instead of the folder

    @property
    def key(self) -> SigningKey:
        return self.keys[self.pinned]

    def envelope(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.certificate)
        return data

    def set_envelope(self, envelope: dict[str, Any]) -> None:
        self.certificate = json.dumps(envelope, indent=2).encode()

    def statement(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(base64.b64decode(self.envelope()["payload"]))
        return data

    def resign(self, statement: dict[str, Any] | bytes, *, key: SigningKey | None = None,
               payload_type: str = PAYLOAD_TYPE) -> None:
        """Replace the certificate by ``statement`` signed with ``key`` (default: the pinned key)."""
        signer = key or self.key
        payload = statement if isinstance(statement, bytes) else serialize_statement(statement)
        unsigned = Certificate(payload, payload_type, ())
        signed = replace(unsigned, signatures=(EnvelopeSignature(signer.key_id, signer.sign(unsigned.pae())),))
        self.certificate = signed.to_json().encode()

    def predicate(self, **changes: Any) -> None:
        """Re-sign with the predicate's fields changed (``None`` deletes a field)."""
        statement = self.statement()
        for name, value in changes.items():
            if value is None:
                statement["predicate"].pop(name, None)
            else:
                statement["predicate"][name] = value
        self.resign(statement)

    def add_subject(self, name: str, data: bytes, *, audited_file: bool = True) -> None:
        """Add a non-image file to the delivery and to the certificate (subject + predicate.files[])."""
        import hashlib

        path = self.delivery / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        statement = self.statement()
        statement["subject"] = sorted([*statement["subject"], {"name": name, "digest": {"sha256": digest}}],
                                      key=lambda s: s["name"])
        if audited_file:
            files = [*statement["predicate"].get("files", []),
                     {"name": name, "sha256": digest, "size": len(data), "audited": False}]
            statement["predicate"]["files"] = sorted(files, key=lambda f: f["name"])
        self.resign(statement)


@dataclass(frozen=True)
class Case:
    id: str
    tamper: Callable[[World], None]
    failed: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    strict: bool = False
    page_only: str | None = None
    pinned: str = "ed25519"
    files_mode: bool = False


def _nothing(world: World) -> None:
    pass


def _flip_byte(world: World) -> None:
    path = world.delivery / SECOND
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _rename(world: World) -> None:
    (world.delivery / FIRST).rename(world.delivery / "renamed.jpg")


def _add_image(world: World, name: str = "03-generative-fill.jpg") -> None:
    from conftest import SAMPLE_DELIVERY

    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", world.delivery / name)


def _remove(world: World) -> None:
    (world.delivery / SECOND).unlink()


def _edit_payload(world: World) -> None:
    envelope = world.envelope()
    statement = world.statement()
    statement["subject"][1]["digest"]["sha256"] = "0" * 64
    envelope["payload"] = base64.b64encode(serialize_statement(statement)).decode()
    world.set_envelope(envelope)


def _replace_signature(world: World) -> None:
    envelope = world.envelope()
    envelope["signatures"][0]["sig"] = base64.b64encode(os.urandom(64)).decode()
    world.set_envelope(envelope)


def _other_key(world: World) -> None:
    world.resign(world.statement(), key=SigningKey.generate(KeyAlgorithm.ED25519))


def _payload_type(world: World) -> None:
    envelope = world.envelope()
    envelope["payloadType"] = "application/json"
    world.set_envelope(envelope)


def _payload_type_resigned(world: World) -> None:
    world.resign(world.statement(), payload_type="application/json")


def _envelope_field(name: str, value: Any) -> Callable[[World], None]:
    def tamper(world: World) -> None:
        envelope = world.envelope()
        if value is None:
            envelope["signatures"][0].pop(name)
        else:
            envelope["signatures"][0][name] = value
        world.set_envelope(envelope)
    return tamper


def _text(change: Callable[[bytes], bytes]) -> Callable[[World], None]:
    def tamper(world: World) -> None:
        world.certificate = change(world.certificate)
    return tamper


def _binary(world: World) -> None:
    world.certificate = (world.delivery / FIRST).read_bytes()


def _too_large(world: World) -> None:
    world.certificate = b""  # written as a sparse file past the cap by the runner
    world.folder.joinpath("too-large").touch()


def _duplicate_subject(world: World) -> None:
    statement = world.statement()
    statement["subject"].append(dict(statement["subject"][0]))
    world.resign(statement)


def _subject_named(name: str) -> Callable[[World], None]:
    """A subject (and its image entry) renamed to a path outside the delivery; certify never writes one."""
    def tamper(world: World) -> None:
        statement = world.statement()
        old = statement["subject"][0]["name"]
        statement["subject"][0]["name"] = name
        for entry in statement["predicate"]["images"]:
            if entry["name"] == old:
                entry["name"] = name
        world.resign(statement)
    return tamper


def _nfd_subject(world: World) -> None:
    statement = world.statement()
    digest = statement["subject"][0]["digest"]
    statement["subject"].extend([{"name": NFC_NAME, "digest": dict(digest)}, {"name": NFD_NAME, "digest": dict(digest)}])
    world.resign(statement)


def _payload_duplicate_key(world: World) -> None:
    payload = base64.b64decode(world.envelope()["payload"])
    world.resign(payload.replace(b'{"_type":', b'{"_type":"x","_type":', 1))


def _envelope_duplicate_key(world: World) -> None:
    text = world.certificate.decode()
    world.certificate = text.replace('"payloadType":', '"payloadType": "x", "payloadType":', 1).encode()


def _other_algorithm(forger: KeyAlgorithm) -> Callable[[World], None]:
    def tamper(world: World) -> None:
        attacker = SigningKey.generate(forger)
        envelope = world.envelope()
        payload = base64.b64decode(envelope["payload"])
        pae = Certificate(payload, PAYLOAD_TYPE, ()).pae()
        envelope["signatures"] = [{"keyid": world.key.key_id, "sig": base64.b64encode(attacker.sign(pae)).decode()}]
        world.set_envelope(envelope)
    return tamper


def _high_s(world: World) -> None:
    """The same ECDSA signature with s replaced by n - s: still valid (neither side demands low S)."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    envelope = world.envelope()
    r, s = decode_dss_signature(base64.b64decode(envelope["signatures"][0]["sig"]))
    envelope["signatures"][0]["sig"] = base64.b64encode(encode_dss_signature(r, order - s)).decode()
    world.set_envelope(envelope)


def _statement_field(name: str, value: Any) -> Callable[[World], None]:
    def tamper(world: World) -> None:
        statement = world.statement()
        statement[name] = value
        world.resign(statement)
    return tamper


def _not_compliant(world: World) -> None:
    statement = world.statement()
    statement["predicate"]["images"][0]["status"] = "non_compliant"
    world.resign(statement)


def _policy_edited(world: World) -> None:
    statement = world.statement()
    statement["predicate"]["policy"]["text"] += "\n# edited"
    world.resign(statement)


def _signatures(count: int) -> Callable[[World], None]:
    def tamper(world: World) -> None:
        envelope = world.envelope()
        envelope["signatures"] = envelope["signatures"] * count
        world.set_envelope(envelope)
    return tamper


def _raw_member(name: str, raw: str) -> Callable[[World], None]:
    """Replace an envelope member's JSON text by ``raw`` (for JSON that json.dumps cannot write)."""
    def tamper(world: World) -> None:
        envelope = world.envelope()
        members = {key: json.dumps(value) for key, value in envelope.items()}
        members[name] = raw
        world.certificate = ("{" + ",".join(f'"{key}":{value}' for key, value in members.items()) + "}").encode()
    return tamper


def _nfd_twin(world: World) -> None:
    """A certificate for café.jpg (NFC), and a second file whose name is café.jpg in NFD."""
    from conftest import SAMPLE_DELIVERY

    shutil.copyfile(world.delivery / FIRST, world.delivery / NFC_NAME)
    world.add_subject(NFC_NAME, (world.delivery / FIRST).read_bytes(), audited_file=False)
    statement = world.statement()
    image = dict(statement["predicate"]["images"][0], name=NFC_NAME)
    statement["predicate"]["images"] = sorted([*statement["predicate"]["images"], image], key=lambda i: i["name"])
    world.resign(statement)
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", world.delivery / NFD_NAME)


def _flat(world: World) -> None:
    """Move the nested image to the top and certify the flat delivery (re-signed statement)."""
    flat = SECOND.split("/")[-1]
    (world.delivery / SECOND).rename(world.delivery / flat)
    (world.delivery / "day 2").rmdir()
    statement = world.statement()
    for entry in (*statement["subject"], *statement["predicate"]["images"]):
        entry["name"] = entry["name"].split("/")[-1]
    world.resign(statement)


def _time(value: object) -> Callable[[World], None]:
    def tamper(world: World) -> None:
        world.predicate(evaluatedAt=value() if callable(value) else value)
    return tamper


def _in(delta: timedelta) -> Callable[[], str]:
    return lambda: (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _readme(world: World) -> None:
    (world.delivery / "README.txt").write_text("delivery notes\n")


def _hidden(world: World) -> None:
    (world.delivery / "day 2" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")


def _ignored(world: World) -> None:
    world.predicate(ignore=["*.tmp", "day 2/**/*.xmp", ".DS_Store"])
    (world.delivery / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (world.delivery / "day 2" / "edit.tmp").write_text("scratch")
    (world.delivery / "day 2" / "raw" / "a").mkdir(parents=True)
    (world.delivery / "day 2" / "raw" / "a" / "x.xmp").write_text("<x/>")


def _ignored_elsewhere(world: World) -> None:
    world.predicate(ignore=["day 2/*.xmp"])
    (world.delivery / "day 2" / "ok.xmp").write_text("<x/>")
    (world.delivery / "other").mkdir()
    (world.delivery / "other" / "x.xmp").write_text("<x/>")


JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(54)
"""Bytes that sniff as a JPEG (an image for the audit walk, whatever the file's name)."""


def _ignore_glob_covers_images(world: World) -> None:
    """A recorded glob never leaves out an image: by extension or by content (issue 9: fail closed)."""
    world.predicate(ignore=["*.png", "extra/**"])
    (world.delivery / "genai.png").write_bytes(JPEG_HEAD)
    (world.delivery / "scratch.png").write_bytes(b"named like an image")
    (world.delivery / "extra").mkdir()
    (world.delivery / "extra" / "renamed.dat").write_bytes(JPEG_HEAD)
    (world.delivery / "extra" / "notes.txt").write_text("left out: not an image")


def _ignore_non_image_subject(world: World) -> None:
    world.add_subject("notes/README.txt", b"delivery notes\n")
    world.predicate(ignore=["notes/*"])


def _image_as_non_image_subject(world: World) -> None:
    world.add_subject("genai.bin", JPEG_HEAD)


def _non_image_subject(world: World) -> None:
    world.add_subject("notes/README.txt", b"delivery notes\n")


def _non_image_subject_modified(world: World) -> None:
    world.add_subject("notes/README.txt", b"delivery notes\n")
    (world.delivery / "notes" / "README.txt").write_bytes(b"delivery notes, edited\n")


def _non_image_without_entry(world: World) -> None:
    world.add_subject("notes/README.txt", b"delivery notes\n", audited_file=False)


def _case(id: str, tamper: Callable[[World], None], failed: dict[str, str] | None = None,
          files: dict[str, str] | None = None, **options: Any) -> Case:
    return Case(id, tamper, failed or {}, GENUINE if files is None else files, **options)


ENVELOPE_BROKEN: dict[str, str] = {}  # files are not compared when the envelope cannot be trusted

CASES: tuple[Case, ...] = (
    _case("genuine-ed25519", _nothing),
    _case("genuine-p256", _nothing, pinned="ecdsa-p256"),
    _case("genuine-p256-high-s", _high_s, pinned="ecdsa-p256"),
    _case("genuine-flat-files-picked-one-by-one", _flat, files={FIRST: "verified", "02-capture-straightened.jpg": "verified"},
          files_mode=True),
    _case("flipped-byte", _flip_byte, files={FIRST: "verified", SECOND: "modified"}),
    _case("renamed", _rename, files={SECOND: "verified", "renamed.jpg": "renamed"}),
    _case("added-image", _add_image, files={**GENUINE, "03-generative-fill.jpg": "not_certified"}),
    _case("removed", _remove, files={FIRST: "verified", SECOND: "missing"}),
    _case("nfc-twin-in-the-delivery", _nfd_twin,
          files={**GENUINE, NFC_NAME: "duplicate_name", NFD_NAME: "duplicate_name"}),
    _case("edited-payload", _edit_payload, {"signature": "signature.invalid"}, ENVELOPE_BROKEN),
    _case("replaced-signature", _replace_signature, {"signature": "signature.invalid"}, ENVELOPE_BROKEN),
    _case("other-key", _other_key, {"key_id": "key.other_key", "signature": "signature.invalid"}, ENVELOPE_BROKEN),
    _case("other-payload-type", _payload_type,
          {"payload_type": "envelope.payload_type", "signature": "signature.invalid"}, ENVELOPE_BROKEN),
    _case("other-payload-type-resigned", _payload_type_resigned, {"payload_type": "envelope.payload_type"},
          ENVELOPE_BROKEN),
    _case("wrong-key-id", _envelope_field("keyid", "ab" * 32), {"key_id": "key.wrong_id"}),
    _case("no-key-id", _envelope_field("keyid", None), {"key_id": "key.no_id"}),
    _case("truncated-half", _text(lambda t: t[: len(t) // 2]), {"envelope": "certificate.truncated"}, ENVELOPE_BROKEN),
    _case("truncated-last-brace", _text(lambda t: t.rstrip()[:-1]), {"envelope": "certificate.truncated"},
          ENVELOPE_BROKEN),
    _case("not-json", _text(lambda t: b"this is not a certificate"), {"envelope": "certificate.not_json"},
          ENVELOPE_BROKEN),
    _case("json-with-a-bom", _text(lambda t: b"\xef\xbb\xbf" + t), {"envelope": "certificate.not_json"},
          ENVELOPE_BROKEN),
    _case("empty", _text(lambda t: b" \n"), {"envelope": "certificate.empty"}, ENVELOPE_BROKEN),
    _case("binary", _binary, {"envelope": "certificate.binary"}, ENVELOPE_BROKEN),
    _case("too-large", _too_large, {"envelope": "certificate.too_large"}, ENVELOPE_BROKEN),
    _case("bad-base64", _text(lambda t: t.replace(b'"payload": "', b'"payload": "%%%', 1)),
          {"envelope": "envelope.malformed"}, ENVELOPE_BROKEN),
    _case("no-signature", _signatures(0), {"envelope": "envelope.no_signature"}, ENVELOPE_BROKEN),
    _case("too-many-signatures", _signatures(MAX_SIGNATURES + 1), {"envelope": "envelope.too_many_signatures"},
          ENVELOPE_BROKEN),
    _case("nan-in-the-envelope", _raw_member("signatures", "NaN"), {"envelope": "certificate.not_json"},
          ENVELOPE_BROKEN),
    _case("number-out-of-range", _raw_member("signatures", "[1e400]"), {"envelope": "certificate.not_json"},
          ENVELOPE_BROKEN),
    _case("integer-too-long", _raw_member("signatures", "[" + "9" * 5000 + "]"), {"envelope": "certificate.not_json"},
          ENVELOPE_BROKEN),
    _case("nesting-too-deep", _raw_member("signatures", "[" * 100_000 + "]" * 100_000),
          {"envelope": "certificate.not_json"}, ENVELOPE_BROKEN),
    _case("duplicate-key-in-the-envelope", _envelope_duplicate_key, {"envelope": "certificate.duplicate_key"},
          ENVELOPE_BROKEN),
    _case("duplicate-key-in-the-payload", _payload_duplicate_key, {"statement_type": "statement.malformed"},
          ENVELOPE_BROKEN),
    _case("duplicate-subjects", _duplicate_subject, {"subjects": "subjects.duplicate"}, ENVELOPE_BROKEN),
    _case("subjects-one-name-in-nfc", _nfd_subject, {"subjects": "subjects.duplicate"}, ENVELOPE_BROKEN),
    *(_case(f"subject-name-{label}", _subject_named(name), {"subjects": "subjects.malformed"}, ENVELOPE_BROKEN)
      for label, name in (("dot-dot", "../01-capture-edited.jpg"), ("absolute", "/etc/01-capture-edited.jpg"),
                          ("dot-segment", "./01-capture-edited.jpg"), ("empty-segment", "day 2//x.jpg"),
                          ("trailing-slash", "day 2/"))),
    _case("p256-signature-under-an-ed25519-key", _other_algorithm(KeyAlgorithm.ECDSA_P256),
          {"signature": "signature.other_algorithm"}, ENVELOPE_BROKEN),
    _case("ed25519-signature-under-a-p256-key", _other_algorithm(KeyAlgorithm.ED25519),
          {"signature": "signature.other_algorithm"}, ENVELOPE_BROKEN, pinned="ecdsa-p256"),
    _case("statement-type", _statement_field("_type", "https://in-toto.io/Statement/v0.1"),
          {"statement_type": "statement.type"}, ENVELOPE_BROKEN),
    _case("predicate-type", _statement_field("predicateType", "https://slsa.dev/provenance/v1"),
          {"predicate_type": "statement.predicate_type"}, ENVELOPE_BROKEN),
    _case("subject-without-digest", _statement_field("subject", [{"name": FIRST}]),
          {"subjects": "subjects.malformed"}, ENVELOPE_BROKEN),
    _case("verdict-not-compliant", _not_compliant, {"predicate": "predicate.inconsistent"}, ENVELOPE_BROKEN),
    _case("policy-text-edited", _policy_edited, {"predicate": "predicate.policy_digest"}, ENVELOPE_BROKEN),
    # The strict rules of the certificate contract.
    _case("added-non-image-file", _readme, files={**GENUINE, "README.txt": "not_certified"}, strict=True),
    _case("added-hidden-file", _hidden, files={**GENUINE, "day 2/.DS_Store": "not_certified"}, strict=True),
    _case("ignored-files", _ignored, strict=True),
    _case("ignore-glob-does-not-reach-other-folders", _ignored_elsewhere,
          files={**GENUINE, "other/x.xmp": "not_certified"}, strict=True),
    _case("non-image-subject", _non_image_subject, files={**GENUINE, "notes/README.txt": "verified"}, strict=True),
    _case("non-image-subject-modified", _non_image_subject_modified,
          files={**GENUINE, "notes/README.txt": "modified"}, strict=True),
    _case("non-image-subject-without-files-entry", _non_image_without_entry,
          {"predicate": "predicate.inconsistent"}, ENVELOPE_BROKEN, strict=True),
    _case("files-entry-malformed", lambda w: w.predicate(files=[{"name": "x.txt"}]),
          {"predicate": "predicate.malformed"}, ENVELOPE_BROKEN, strict=True),
    _case("ignore-not-a-list", lambda w: w.predicate(ignore="*.tmp"), {"predicate": "predicate.malformed"},
          ENVELOPE_BROKEN, strict=True),
    _case("ignore-empty-pattern", lambda w: w.predicate(ignore=[""]), {"predicate": "predicate.malformed"},
          ENVELOPE_BROKEN, strict=True),
    _case("ignore-too-many-patterns", lambda w: w.predicate(ignore=[f"*.x{i}" for i in range(257)]),
          {"predicate": "predicate.malformed"}, ENVELOPE_BROKEN, strict=True),
    _case("ignore-pattern-too-long", lambda w: w.predicate(ignore=["*" + "x" * 1024]),
          {"predicate": "predicate.malformed"}, ENVELOPE_BROKEN, strict=True),
    _case("ignore-glob-covers-images", _ignore_glob_covers_images,
          files={**GENUINE, "genai.png": "not_certified", "scratch.png": "not_certified",
                 "extra/renamed.dat": "not_certified"}, strict=True),
    _case("image-covered-as-a-non-image-file", _image_as_non_image_subject,
          files={**GENUINE, "genai.bin": "not_certified"}, strict=True),
    # An image is never ignored: a glob matching a certified image leaves it checked (and here verified).
    _case("ignore-matches-an-image-subject", lambda w: w.predicate(ignore=["day 2/*"]), files=GENUINE, strict=True),
    _case("ignore-matches-a-non-image-subject", _ignore_non_image_subject,
          files={**GENUINE, "notes/README.txt": "missing"}, strict=True),
    _case("time-not-a-string", _time(20260301), {"predicate": "predicate.time_invalid"}, ENVELOPE_BROKEN, strict=True),
    _case("time-missing", lambda w: w.predicate(evaluatedAt=None), {"predicate": "predicate.malformed"},
          ENVELOPE_BROKEN),
    *(_case(f"time-{label}", _time(value), {"predicate": "predicate.time_invalid"}, ENVELOPE_BROKEN, strict=True)
      for label, value in (
          ("month-13", "2026-13-01T12:00:00Z"), ("february-30", "2026-02-30T12:00:00Z"),
          ("february-29-not-leap", "2025-02-29T12:00:00Z"), ("leap-second", "2026-06-30T23:59:60Z"),
          ("hour-24", "2026-03-01T24:00:00Z"), ("offset", "2026-03-01T12:00:00+00:00"),
          ("lower-case", "2026-03-01t12:00:00z"), ("no-seconds", "2026-03-01T12:00Z"),
          ("ten-digit-fraction", "2026-03-01T12:00:00.1234567890Z"), ("date-only", "2026-03-01"),
          ("space", "2026-03-01 12:00:00Z"), ("one-day-ahead", _in(timedelta(days=1))),
      )),
    _case("time-fraction-and-leap-day", _time("2024-02-29T12:00:00.123456789Z"), strict=True),
    _case("time-four-minutes-ahead", _time(_in(timedelta(minutes=4))), strict=True),
    # Inputs only the page has.
    _case("nested-delivery-files-picked-one-by-one", _nothing,
          files={FIRST: "verified", "02-capture-straightened.jpg": "renamed"}, files_mode=True,
          page_only="the CLI names files relative to the root; only the page has bare-name picking"),
)


__all__ = ["CASES", "MAX_CERTIFICATE_BYTES", "STRICT_CLI", "STRICT_REASON", "Case", "World"]
