"""The page's own building blocks, run in Chromium against Python references.

- its incremental SHA-256 against hashlib, over many sizes and chunkings;
- its strict JSON reading against the CLI's (``Certificate.from_json`` codes), on every
  truncation and many corruptions of a real certificate;
- its DER <-> raw r||s conversion of ECDSA signatures against ``cryptography``;
- the glob and time rules of the certificate contract (docs/certificate.md), with the shared
  glob table of tests/certificate/glob_cases.json.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from provenance import Certificate, CertificateError, KeyAlgorithm, SigningKey

SIZES = sorted({0, 1, 2, 3, 31, 32, 33, 55, 56, 57, 63, 64, 65, 100, 111, 112, 119, 120, 127, 128, 129, 191, 192,
                255, 256, 257, 1000, 1023, 1024, 1025, 4095, 4096, 4097, 65535, 65536, 65537, 100_003, 1 << 20,
                (1 << 20) + 13})


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_sha256_matches_hashlib_over_sizes_and_chunkings(verify_page) -> None:
    rng = random.Random(1306)
    data = rng.randbytes(max(SIZES))
    cases = []
    for size in SIZES:
        cuts = sorted({0, size, *(rng.randrange(size + 1) for _ in range(min(size, 12)))})
        cases.append({"size": size, "cuts": cuts, "expected": hashlib.sha256(data[:size]).hexdigest()})
    # One chunking feeds single bytes across the 64-byte block and 56-byte padding boundaries.
    cases.append({"size": 200, "cuts": list(range(201)), "expected": hashlib.sha256(data[:200]).hexdigest()})
    results = verify_page.call("""
        const [data64, cases] = args;
        const data = Uint8Array.from(atob(data64), (c) => c.charCodeAt(0));
        return cases.map(({size, cuts}) => {
          const whole = P.sha256Hex(data.subarray(0, size));
          const hash = new P.Sha256();
          for (let i = 1; i < cuts.length; i++) hash.update(data.subarray(cuts[i - 1], cuts[i]));
          return [whole, hash.digest()];
        });""", _b64(data), cases)
    for case, (whole, chunked) in zip(cases, results, strict=True):
        assert whole == chunked == case["expected"], case["size"]


def test_sha256_refuses_use_after_digest(verify_page) -> None:
    message = verify_page.call("""
        const hash = new P.Sha256(); hash.digest();
        try { hash.update(new Uint8Array(1)); return "accepted"; } catch (e) { return e.message; }""")
    assert message == "sha256: update() after digest()"


def _cli_code(text: bytes) -> str:
    try:
        Certificate.from_json(text)
    except CertificateError as error:
        return str(error.code)
    return "ok"


def _page_codes(verify_page, texts: list[bytes]) -> list[str]:
    return verify_page.call("""
        return args[0].map((text64) => {
          const bytes = Uint8Array.from(atob(text64), (c) => c.charCodeAt(0));
          try { P.parseEnvelope(bytes, bytes.length); return "ok"; } catch (e) { return e.code || String(e); }
        });""", [_b64(text) for text in texts])


@pytest.fixture(scope="module")
def small_certificate() -> bytes:
    """A real, small certificate (one subject), so that every truncation can be tried."""
    from provenance.certificate import serialize_statement

    key = SigningKey.generate(KeyAlgorithm.ED25519)
    statement = {"_type": "https://in-toto.io/Statement/v1", "subject": [{"name": "a.jpg", "digest": {"sha256": "0" * 64}}],
                 "predicateType": "urn:provenance:compliance-certificate:v1", "predicate": {"x": [1, 2.5, None, True]}}
    unsigned = Certificate(serialize_statement(statement), "application/vnd.in-toto+json", ())
    from dataclasses import replace

    from provenance.certificate import EnvelopeSignature
    signed = replace(unsigned, signatures=(EnvelopeSignature(key.key_id, key.sign(unsigned.pae())),))
    return signed.to_json().encode()


def test_every_truncation_is_read_as_the_cli_reads_it(verify_page, small_certificate: bytes) -> None:
    literals = b'{"a": [true, false, null, 1.5e3, -2, 0.25, "x\\u00e9\\n", {"b": {}}], "c": "\xc3\xa9"}  '
    texts = [document[:end] for document in (small_certificate, literals) for end in range(len(document) + 1)]
    cli = [_cli_code(text) for text in texts]
    assert {"certificate.truncated", "certificate.empty", "certificate.not_json", "ok"} <= set(cli)
    assert _page_codes(verify_page, texts) == cli


HOSTILE = [
    b'{"payload": "e30=", "payloadType": "x", "signatures": [{"sig": "AA=="}], "payload": "e30="}',
    b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}', b'[-]', b'[01]', b'[1.]', b'[1.e5]', b'[1e]',
    b'[1e+]', b'{"a": tru', b'{"a": nul', b'["\\x"]', b'["\\u12"]', b'["\\u12', b'["\\ud800\\u12"]',
    b'["a\nb"]', b'["a\\', b'[1,]', b'{"a":1,}', b'{,}', b'{"a" 1}', b'[1 2]', b'{} {}', b'{}x', b'\xef\xbb\xbf{}',
    b'\xff{}', b'{"a": "\xc3"}', b'   ', b'\t\n', b'"just a string"', b'[]', b'null', b'{"payloadType": 1}',
    b'{"payload": 1, "payloadType": "x", "signatures": []}',
    b'{"payload": "e30", "payloadType": "x", "signatures": [{"sig": "AA"}]}',
    b'{"payload": "e30=", "payloadType": "x", "signatures": [{"sig": "A"}]}',
    b'{"payload": "e30=", "payloadType": "x", "signatures": [{"sig": "AAA="}], "x": "\\ud800"}',
    b'{"payload": "e30=", "payloadType": "\\ud800", "signatures": [{"sig": "AA=="}]}',
    b'{"payload": "e30=", "payloadType": "x", "signatures": [{"sig": "AA==", "keyid": 5}]}',
    b'{"payload": "e30=", "payloadType": "x", "signatures": [{"sig": "AA==", "keyid": ""}]}',
    b'{"payload": "e30=", "payloadType": "x", "signatures": [{"keyid": "a"}]}',
    b'{"payload": "e30=", "payloadType": "x", "signatures": {}}',
    b'{"payload": " e30_-A ", "payloadType": "x", "signatures": [{"sig": "AA=="}]}',
    b'{"payload": "e3 0=", "payloadType": "x", "signatures": [{"sig": "AA=="}]}',
    b'{"payload": "e30==", "payloadType": "x", "signatures": [{"sig": "AA=="}]}',
    b'{"payload": "QR==", "payloadType": "x", "signatures": [{"sig": "AA=="}]}',
    b'[' + b'9' * 4300 + b']', b'[' + b'9' * 4301 + b']', b'[-' + b'9' * 4301 + b']', b'[1' + b'0' * 400 + b'.0]',
    b'[1e308]', b'[1e309]', b'[-1e309]', b'[' * 400 + b']' * 400, b'[' * 5000 + b']' * 5000,
    b'{"a": "\\ud83d\\ude00"}', "{\"caf\u00e9\": 1, \"cafe\u0301\": 2}".encode(), b'{"a": 1, "a": 1}',
    b'[{"a": 1, "a": 2}, ', b'{"x": [{"a": 1, "a": 2}], "y": nope}',
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hostile_and_corrupted_json_is_read_as_the_cli_reads_it(verify_page, small_certificate: bytes,
                                                                seed: int) -> None:
    rng = random.Random(seed)
    texts = list(HOSTILE) if seed == 1 else []
    for _ in range(150):
        data = bytearray(small_certificate)
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[position] = rng.choice(b'{}[]",:\\ 0123456789.eE-+tfnNaI\x00\x1f\xc3\xff')
            elif choice < 0.7:
                del data[position]
            else:
                data.insert(position, rng.choice(b'{}[]",:\\ 0'))
        texts.append(bytes(data))
    for _ in range(150):  # base64 with odd padding, URL-safe letters, spaces and non-ASCII
        encoded = "".join(rng.choice("QUJDRA==-_ +/x\u00e9") for _ in range(rng.randint(0, 12)))
        texts.append(json.dumps({"payload": encoded, "payloadType": "x", "signatures": [{"sig": "AA"}]}).encode())
    cli = [_cli_code(text) for text in texts]
    page = _page_codes(verify_page, texts)
    assert [(text, code, mine) for text, code, mine in zip(texts, cli, page, strict=True) if code != mine] == []


def test_ecdsa_signature_conversion_both_ways(verify_page) -> None:
    rng = random.Random(7)
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    values = [1, 2, 127, 128, 255, 256, 2**255, 2**256 - 1, order - 1] + [rng.randrange(1, order) for _ in range(40)]
    values += [rng.randrange(1, 2**(8 * rng.randint(1, 31))) for _ in range(20)]  # short r and s
    pairs = [(values[i], values[-1 - i]) for i in range(len(values))]
    der = [encode_dss_signature(r, s) for r, s in pairs]
    raw = [r.to_bytes(32, "big") + s.to_bytes(32, "big") for r, s in pairs]
    out = verify_page.call("""
        const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const b64 = (u8) => btoa(String.fromCharCode(...u8));
        return [args[0].map((d) => { const r = P.derToRawSignature(bytes(d)); return r && b64(r); }),
                args[1].map((r) => b64(P.rawToDerSignature(bytes(r))))];""",
                           [_b64(d) for d in der], [_b64(r) for r in raw])
    assert out[0] == [_b64(r) for r in raw]
    assert out[1] == [_b64(d) for d in der]
    for signature in der:
        decode_dss_signature(signature)


@pytest.mark.parametrize(("der_hex", "why"), [
    ("30060201ff020101", "negative r"),
    ("300702020001020101", "r not minimal"),
    ("308106020101020101", "length not minimal"),
    ("3006020101020101" + "00", "trailing byte"),
    ("3007020101020101", "length past the end"),
    ("3103020101", "not a SEQUENCE"),
    ("30250221" + "01" * 33 + "020101", "r longer than 32 bytes"),
    ("", "empty"),
])
def test_der_signatures_that_are_not_strict_der_are_refused(verify_page, der_hex: str, why: str) -> None:
    signature = bytes.fromhex(der_hex)
    converted = verify_page.call(
        "const r = P.derToRawSignature(Uint8Array.from(atob(args[0]), (c) => c.charCodeAt(0))); return r && r.length;",
        _b64(signature))
    assert converted is None, why


def test_signature_shape_problems_match_the_cli(verify_page) -> None:
    ed, p256 = SigningKey.generate(KeyAlgorithm.ED25519), SigningKey.generate(KeyAlgorithm.ECDSA_P256)
    signatures = [ed.sign(b"x"), p256.sign(b"x"), b"", b"\x30" * 70, bytes(63), bytes(65)]
    expected = [[key.public_key.signature_shape_problem(s) for s in signatures] for key in (ed, p256)]
    page = verify_page.call("""
        const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        return ["Ed25519", "ECDSA P-256"].map((a) => args[0].map((s) => P.signatureShapeProblem(a, bytes(s))));""",
                            [_b64(s) for s in signatures])
    assert page == expected


# The glob rules of the certificate contract, cases of our own: (pattern, name, matches).
GLOBS = [
    ("*.tmp", "a.tmp", True), ("*.tmp", "day 2/a.tmp", True), ("*.tmp", "a.tmp/b.jpg", False),
    ("*.tmp", ".tmp", True), ("*.tmp", "a.TMP", False), ("*.tmp", "a.tmpx", False),
    (".DS_Store", "x/y/.DS_Store", True), (".DS_Store", ".DS_Store", True), (".DS_Store", "a.DS_Store", False),
    ("day 2/*.xmp", "day 2/a.xmp", True), ("day 2/*.xmp", "day 2/raw/a.xmp", False),
    ("day 2/*.xmp", "x/day 2/a.xmp", False), ("day 2/**.xmp", "day 2/raw/a.xmp", True),
    ("**/*.xmp", "a/b/c.xmp", True), ("**/*.xmp", "c.xmp", False), ("**", "a/b", True), ("*", "a/b", True),
    ("*/b", "a/b", True), ("*/b", "a/c/b", False), ("a/**/b", "a/x/y/b", True), ("a/**/b", "a//b", True),
    ("a?c", "abc", True), ("a?c", "a/c", False), ("a?c", "ac", False), ("?", "é", True), ("?", "😀", True),
    ("caf?.jpg", "café.jpg", True), ("[ab].jpg", "a.jpg", False), ("[ab].jpg", "[ab].jpg", True),
    ("a\\*.jpg", "a\\x.jpg", True), ("a.jpg", "ajpg", False), ("(x)+.jpg", "(x)+.jpg", True),
    ("***", "a/b", True), ("*" * 40 + "b", "a" * 200, False), ("a/", "a/", True), ("a/b", "a/b", True),
    ("/a", "a", False), ("*.jpg", "x\n.jpg", True),
]


def test_ignore_globs_follow_the_contract(verify_page) -> None:
    results = verify_page.call("return args[0].map(([p, n]) => P.globMatches(p, n));", [[p, n] for p, n, _ in GLOBS])
    assert [(p, n, got) for (p, n, want), got in zip(GLOBS, results, strict=True) if got != want] == []


def test_ignore_globs_follow_the_shared_table(verify_page) -> None:
    """The table the strict verifier's matcher is tested with (tests/certificate/glob_cases.json)."""
    from conftest import REPO

    cases = json.loads((REPO / "tests" / "certificate" / "glob_cases.json").read_text(encoding="utf-8"))["cases"]
    results = verify_page.call("return args[0].map(([p, n]) => P.globMatches(p, n));",
                               [[case["pattern"], case["name"]] for case in cases])
    assert [case for case, got in zip(cases, results, strict=True) if got != case["match"]] == []


TIMES = [
    ("2026-03-01T12:00:00Z", datetime(2026, 3, 1, 12, tzinfo=UTC)),
    ("2026-03-01T12:00:00.5Z", datetime(2026, 3, 1, 12, 0, 0, 500000, tzinfo=UTC)),
    ("2026-03-01T12:00:00.123456789Z", datetime(2026, 3, 1, 12, 0, 0, 123457, tzinfo=UTC)),
    ("2024-02-29T23:59:59Z", datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)),
    ("2000-02-29T00:00:00Z", datetime(2000, 2, 29, tzinfo=UTC)),
    ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
    ("0099-12-31T00:00:00Z", datetime(99, 12, 31, tzinfo=UTC)),
    ("1900-02-29T00:00:00Z", None), ("2026-02-29T00:00:00Z", None), ("2026-04-31T00:00:00Z", None),
    ("2026-00-10T00:00:00Z", None), ("2026-01-00T00:00:00Z", None), ("0000-01-01T00:00:00Z", None),
    ("2026-03-01T12:60:00Z", None), ("2026-03-01T12:00:60Z", None), ("2026-03-01T24:00:00Z", None),
    ("2026-03-01T12:00:00.Z", None), ("2026-03-01T12:00:00,5Z", None), ("2026-03-01T12:00:00Z ", None),
    ("+2026-03-01T12:00:00Z", None), ("2026-3-01T12:00:00Z", None), ("2026-03-01T12:00:00\u0660Z", None),
    ("2026-03-01T12:00:00.1234567890Z", None), ("2026-03-01T12:00:00-00:00", None),
]


def test_evaluation_times_follow_the_contract(verify_page) -> None:
    results = verify_page.call("return args[0].map((t) => P.parseUtcTime(t));", [text for text, _ in TIMES])
    for (text, expected), got in zip(TIMES, results, strict=True):
        if expected is None:
            assert got is None, text
        else:
            assert got is not None and abs(got / 1000 - expected.timestamp()) < 0.001, text


def test_public_key_parsing_refuses_what_the_cli_refuses(verify_page) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    ed, p256 = SigningKey.generate(KeyAlgorithm.ED25519), SigningKey.generate(KeyAlgorithm.ECDSA_P256)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key().public_bytes(serialization.Encoding.PEM, spki)
    compressed = p256.public_key.crypto_key.public_bytes(serialization.Encoding.X962,
                                                         serialization.PublicFormat.CompressedPoint)
    rsa_pem = rsa.generate_private_key(65537, 2048).public_key().public_bytes(serialization.Encoding.PEM, spki)
    inputs = {
        "ed25519": ed.public_key.pem().decode(), "p256": p256.public_key.pem().decode(),
        "private": ed.private_pem().decode(), "p384": p384.decode(), "rsa": rsa_pem.decode(),
        "certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "two-keys": ed.public_key.pem().decode() + p256.public_key.pem().decode(),
        "nothing": "hello", "damaged": "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
        "compressed": "-----BEGIN PUBLIC KEY-----\n" + _b64(bytes.fromhex(
            "3039301306072a8648ce3d020106082a8648ce3d030107032200") + compressed) + "\n-----END PUBLIC KEY-----\n",
    }
    out: dict[str, Any] = verify_page.call("""
        const out = {};
        for (const [name, pem] of Object.entries(args[0])) {
          try { const k = P.parsePublicKeyPem(pem); out[name] = [k.algorithm, P.sha256Hex(k.spki)]; }
          catch (e) { out[name] = [e.code, e.message]; }
        }
        return out;""", inputs)
    assert out["ed25519"] == ["Ed25519", ed.key_id]
    assert out["p256"] == ["ECDSA P-256", p256.key_id]
    assert out["private"][0] == "key.invalid" and "holds a private key" in out["private"][1]
    assert "X.509 certificate, not a public key" in out["certificate"][1]
    assert "unsupported elliptic curve" in out["p384"][1]
    assert "unsupported key type" in out["rsa"][1]
    assert "no '-----BEGIN PUBLIC KEY-----' block" in out["nothing"][1]
    assert out["two-keys"] == ["key.invalid", "this file holds 2 public keys; the studio's public key file "
                                              "(provenance.pub) holds exactly one PUBLIC KEY"]
    assert "damaged" in out["damaged"][1]
    assert "not in uncompressed form" in out["compressed"][1]


def test_pae_is_the_dsse_encoding(verify_page) -> None:
    payload_type = "application/vnd.in-toto+json"
    payload = json.dumps({"é": 1}).encode()
    page = verify_page.call("""
        const out = P.pae(args[0], Uint8Array.from(atob(args[1]), (c) => c.charCodeAt(0)));
        return btoa(String.fromCharCode(...out));""", payload_type, _b64(payload))
    assert base64.b64decode(page) == Certificate(payload, payload_type, ()).pae()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (keys and indexes), the value itself first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            found += _paths(item, (*prefix, index))
    return found


STRICT_FIELDS = {"evaluatedAt", "files", "ignore"}


def test_signed_statements_are_checked_as_the_cli_checks_them(verify_page, tmp_path) -> None:
    """Random changes to a genuine, re-signed Statement: the page's checks fail with the CLI's codes."""
    import shutil
    from dataclasses import replace

    from conftest import SAMPLE_DELIVERY, TEST_ROOT

    import provenance
    from browser.tamper import STRICT_CLI as strict
    from provenance.certificate import EnvelopeSignature, serialize_statement

    delivery = tmp_path / "delivery"
    delivery.mkdir()
    shutil.copyfile(SAMPLE_DELIVERY / "01-capture-edited.jpg", delivery / "01-capture-edited.jpg")
    key = SigningKey.generate(KeyAlgorithm.ED25519)
    report = provenance.audit([delivery], trust=provenance.TrustConfig.from_pem_files([TEST_ROOT]),
                              at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    genuine = provenance.issue_certificate(report, key, root=delivery).statement()
    empty = tmp_path / "empty"
    empty.mkdir()
    rng = random.Random(13)
    values: list[Any] = [None, 0, 1, 2.5, True, False, "", "x", "compliant", [], {}, [{}], {"a": 1},
                         "0" * 64, "2026-03-01T12:00:00Z", "2999-01-01T00:00:00Z", "caf\u00e9"]
    texts, changes = [], []
    paths = [path for path in _paths(genuine) if path and (strict or not STRICT_FIELDS & set(map(str, path)))]
    for _ in range(160):
        statement = json.loads(json.dumps(genuine))
        path = rng.choice(paths)
        parent = statement
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and rng.random() < 0.3:
            del parent[path[-1]]
            change = f"delete {path}"
        else:
            value = rng.choice(values)
            parent[path[-1]] = value
            change = f"{path} = {value!r}"
        unsigned = Certificate(serialize_statement(statement), "application/vnd.in-toto+json", ())
        signed = replace(unsigned, signatures=(EnvelopeSignature(key.key_id, key.sign(unsigned.pae())),))
        texts.append(signed.to_json().encode())
        changes.append(change)

    def failed(checks: list[dict[str, Any]]) -> dict[str, str]:
        return {check["name"]: check["code"] for check in checks if check["status"] == "failed"}

    cli = [failed(json.loads(provenance.verify_certificate(text, [empty], key=key.public_key).to_json())["checks"])
           for text in texts]
    page = verify_page.call("""
        const [pem, texts] = args;
        const key = await P.loadPublicKey(pem);
        const out = [];
        for (const text64 of texts) {
          const bytes = Uint8Array.from(atob(text64), (c) => c.charCodeAt(0));
          const result = await P.verifyDelivery({certificate: {bytes, size: bytes.length, name: "c.json", lastModified: 0},
                                                 key, given: []});
          out.push(Object.fromEntries(result.checks.filter((c) => c.status === "failed").map((c) => [c.name, c.code])));
        }
        return out;""", key.public_key.pem().decode(), [_b64(text) for text in texts])
    assert any(cli) and any(not codes for codes in cli)  # the changes reach both passing and failing checks
    assert [(change, want, got) for change, want, got in zip(changes, cli, page, strict=True) if want != got] == []


def test_the_caps_come_from_config_and_are_enforced_like_the_cli(verify_page, small_certificate, tmp_path,
                                                                 monkeypatch) -> None:
    """A page built with small caps (as if the Python constants were small) refuses what the CLI,
    with the same caps, refuses: the payload and the signature count (the size cap is in the table)."""
    import sys

    from provenance import verify_page as builder

    payload = len(base64.b64decode(json.loads(small_certificate)["payload"]))
    caps = {"maxPayloadBytes": payload - 1, "maxSignatures": 1}
    monkeypatch.setattr(builder, "page_config", lambda original=builder.page_config: {**original(), **caps})
    modules = [module for name, module in sys.modules.items() if name.startswith("provenance.certificate")]
    for name, value in (("MAX_PAYLOAD_BYTES", payload - 1), ("MAX_SIGNATURES", 1)):
        for module in modules:  # wherever the CLI reads the cap (a module or, split, a package's modules)
            if hasattr(module, name):
                monkeypatch.setattr(module, name, value)
    builder.build_page.cache_clear()
    try:
        small = tmp_path / "small-caps.html"
        small.write_bytes(builder.build_page())
    finally:
        builder.build_page.cache_clear()
    envelope = json.loads(small_certificate)
    two = dict(envelope, signatures=envelope["signatures"] * 2)
    exact = dict(envelope, payload=base64.b64encode(base64.b64decode(envelope["payload"])[:-1]).decode())
    texts = [small_certificate, json.dumps(two).encode(), json.dumps(exact).encode()]
    verify_page.driver.get(small.resolve().as_uri())
    assert _page_codes(verify_page, texts) == [_cli_code(text) for text in texts] == [
        "envelope.payload_too_large", "envelope.payload_too_large", "ok"]
    one = dict(exact, signatures=exact["signatures"] * 2)
    assert _page_codes(verify_page, [json.dumps(one).encode()]) == [_cli_code(json.dumps(one).encode())] == [
        "envelope.too_many_signatures"]
