"""The trust store library: recognising and checking lists, fetching, storing, and what c2pa does with them.

No test touches the network: downloads go to a local HTTP server on
127.0.0.1, and every store lives in a tmp folder (PROVENANCE_TRUST_STORE).
Signed test images are made on the fly with a throwaway PKI.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.server
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import SHARED
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

from provenance import truststore as ts
from provenance._cli._advice import refresh_command
from provenance.advice import Advice, AdviceCode
from provenance.audit import audit_files, collect_inputs
from provenance.errors import TrustAnchorError, UsageError
from provenance.evidence import read_evidence
from provenance.trust import C2PA_SIGNER_EKUS, TrustConfig, TrustSource

TRUST = SHARED / "fixtures" / "trust"

EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"
DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36"


@pytest.fixture(autouse=True)
def _private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty store; the real one in the home folder is never touched."""
    store = tmp_path / "trust-store"
    monkeypatch.setenv(ts.ENV_VAR, str(store))
    return store


def shared_trust(name: str) -> Path:
    path = TRUST / name
    if not path.exists():
        pytest.skip(f"../shared is not available ({path} missing)")
    return path


# ---------------------------------------------------------------------------
# A throwaway PKI and signed JPEGs
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    root: x509.Certificate
    leaf: x509.Certificate
    leaf_key: ec.EllipticCurvePrivateKey

    @property
    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    @property
    def leaf_pem(self) -> bytes:
        return self.leaf.public_bytes(serialization.Encoding.PEM)


def _usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def make_pki(eku: str = EMAIL_PROTECTION, *, name: str = "Trust Test", expired_root: bool = False) -> Pki:
    """A root CA and a C2PA-profile leaf with the given EKU."""
    root_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} Root CA"),
                           x509.NameAttribute(NameOID.ORGANIZATION_NAME, "provenance tests (do not trust)")])
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    root_end = dt.datetime(2025, 6, 1, tzinfo=dt.UTC) if expired_root else dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(root_end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(sign=False, ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} Signer")]))
            .issuer_name(root_name).public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(min(root_end, dt.datetime(2099, 1, 1, tzinfo=dt.UTC)))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(sign=True, ca=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ObjectIdentifier(eku)]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    return Pki(root, leaf, leaf_key)


def sign_jpeg(pki: Pki) -> bytes:
    """A small camera-capture JPEG signed by ``pki``'s leaf (c2pa.created, digitalCapture)."""
    import c2pa
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (96, 64), (90, 140, 200)).save(buffer, "JPEG", quality=85)
    key = pki.leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, pki.leaf_pem + pki.root_pem,
                                                       key, None))
    manifest = {
        "claim_generator_info": [{"name": "provenance trust tests", "version": "1"}],
        "title": "capture.jpg", "format": "image/jpeg",
        "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
            "softwareAgent": {"name": "test camera"},
        }]}}],
    }
    # verify_after_sign is off: c2pa-rs would otherwise refuse a documentSigning-only
    # leaf before we could show what the EKU configuration changes when reading.
    context = c2pa.Context.from_dict({"version": 1, "verify": {
        "remote_manifest_fetch": False, "ocsp_fetch": False, "verify_after_sign": False}})
    with context, c2pa.Builder(manifest, context=context) as builder:
        builder.set_intent(c2pa.C2paBuilderIntent.CREATE, c2pa.C2paDigitalSourceType.DIGITAL_CAPTURE)
        out = io.BytesIO()
        builder.sign(signer, "image/jpeg", io.BytesIO(buffer.getvalue()), out)
    return out.getvalue()


def signing_codes(path: Path, trust: TrustConfig) -> set[str]:
    evidence = read_evidence(path, trust)
    return {f"{s.kind}:{s.code}" for s in evidence.credentials.status_codes
            if s.scope == "active" and s.kind != "informational" and s.code.startswith("signingCredential.")}


def b64_sha256(certificate: x509.Certificate) -> str:
    return base64.b64encode(hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest()).decode()


# ---------------------------------------------------------------------------
# A local HTTP server (127.0.0.1 only)
# ---------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        route = self.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_error(404, "Not Found")
            return
        route(self)

    def log_message(self, *_args: object) -> None:
        pass


def body(data: bytes, *, status: int = 200, announce: int | None = None,
         content_type: str = "text/plain") -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """A route answering ``data``; ``announce`` claims a different Content-Length (truncation)."""
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data) if announce is None else announce))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(data)
        handler.wfile.flush()
        handler.close_connection = True
    return answer


def stall(seconds: float) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        body(b"late")(handler)
    return answer


def redirect(location: str) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]]]]:
    """(base URL, routes) of a threaded HTTP server on 127.0.0.1, stopped after the test."""
    routes: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != ".lock"}


# ---------------------------------------------------------------------------
# Location
# ---------------------------------------------------------------------------


def test_store_path_follows_the_environment_variable(tmp_path: Path) -> None:
    assert ts.store_path() == tmp_path / "trust-store"
    assert ts.TrustStore().path == tmp_path / "trust-store"


def test_default_store_path_is_the_platform_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(ts.ENV_VAR)
    path = ts.store_path()
    assert path == Path(platformdirs.user_data_dir("provenance", appauthor=False)) / "trust"
    assert path.parts[-2:] == ("provenance", "trust")


# ---------------------------------------------------------------------------
# Recognising and checking lists
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, role", [
    ("c2pa-trust-list.pem", "anchors"),
    ("c2pa-tsa-trust-list.pem", "anchors"),
    ("c2pa-rs-test-roots.pem", "anchors"),
    ("interim-trust-list-anchors.pem", "anchors"),
    ("interim-trust-list-allowed.pem", "allowed"),
    ("interim-trust-list-store.cfg", "eku-config"),
])
def test_shared_lists_are_recognised_by_content(name: str, role: str) -> None:
    data = shared_trust(name).read_bytes()
    assert ts.classify(data) == role
    parsed = ts.parse_list(data, role, name)
    assert parsed.count > 0 and parsed.digest == hashlib.sha256(data).hexdigest()


def test_store_cfg_gives_the_six_oids_with_comments_skipped() -> None:
    parsed = ts.parse_list(shared_trust("interim-trust-list-store.cfg").read_bytes(), "eku-config", "store.cfg")
    assert parsed.oids == (EMAIL_PROTECTION, DOCUMENT_SIGNING, "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9",
                           "1.3.6.1.4.1.311.76.59.1.9", "1.3.6.1.4.1.62558.2.1")


def test_allowed_list_in_hash_form_is_recognised() -> None:
    pki = make_pki()
    data = f"# allowed.sha256.txt\n{b64_sha256(pki.leaf)}\n{b64_sha256(pki.root)}\n".encode()
    assert ts.classify(data) == "allowed"
    assert ts.parse_list(data, "allowed", "x").hashes == (b64_sha256(pki.leaf), b64_sha256(pki.root))


def test_a_bundle_of_leaves_is_an_allowed_list_not_anchors() -> None:
    leaves = make_pki().leaf_pem + make_pki().leaf_pem
    assert ts.classify(leaves) == "allowed"
    with pytest.raises(ValueError, match="no certificate in it is a CA"):
        ts.parse_list(leaves, "anchors", "leaves.pem")


def test_truncated_pem_is_refused_although_cryptography_would_drop_the_tail() -> None:
    data = shared_trust("c2pa-trust-list.pem").read_bytes()
    cut = data[: len(data) - 100]
    assert len(x509.load_pem_x509_certificates(cut)) == 29  # the silent loss this check exists for
    with pytest.raises(ValueError, match="truncated"):
        ts.parse_list(cut, "anchors", "cut.pem")
    with pytest.raises(ValueError, match="truncated"):
        ts.classify(cut)


@pytest.mark.parametrize("data, message", [
    (b"<!doctype html><html><body>Rate limit exceeded</body></html>", "not a trust list"),
    (b"", "not a trust list"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "no PEM certificate"),
    (b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", "does not parse"),
])
def test_non_lists_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ts.classify(data)


def test_eku_config_with_a_stray_line_is_refused() -> None:
    with pytest.raises(ValueError, match="is not an OID"):
        ts.parse_list(b"1.3.6.1.5.5.7.3.4\nemailProtection\n", "eku-config", "store.cfg")


@pytest.mark.parametrize("role", ["anchors", "allowed"])
def test_a_repeated_certificate_is_one_entry(role: str) -> None:
    """`trust update --from` of a bundle holding one root twice said "2 anchors" and showed it twice."""
    one, two = make_pki(name="One"), make_pki(name="Two")
    pems = (one.root_pem, two.root_pem) if role == "anchors" else (one.leaf_pem, two.leaf_pem)
    parsed = ts.parse_list(pems[0] + pems[1] + pems[0], role, "bundle.pem")
    assert parsed.count == 2
    assert [anchor.fingerprint for anchor in parsed.anchors] == [
        ts.parse_list(pem, role, "x").anchors[0].fingerprint for pem in pems]


def test_expired_anchors_are_reported() -> None:
    stale = make_pki(expired_root=True)
    parsed = ts.parse_list(stale.root_pem + make_pki().root_pem, "anchors", "x")
    expired = parsed.expired(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert [a.subject for a in expired] == [stale.root.subject.rfc4514_string()]


# ---------------------------------------------------------------------------
# Storing
# ---------------------------------------------------------------------------


def pending(name: str, data: bytes, *, kind: str = "official", role: str = "anchors") -> ts._Pending:
    return ts._Pending(name, kind, role, f"test:{name}", ts.parse_list(data, role, name))


def test_put_writes_content_addressed_files_and_the_index(_private_store: Path) -> None:
    store = ts.TrustStore()
    first, second = make_pki(name="One"), make_pki(name="Two")
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    [change] = store.put([pending("c2pa-trust-list", first.root_pem)], at=at)
    assert change.new and change.count == 1
    [entry] = store.lists()
    assert entry.fetched_at == at and entry.sha256 == hashlib.sha256(first.root_pem).hexdigest()
    assert entry.file == f"c2pa-trust-list.{entry.sha256[:16]}.pem"
    index = json.loads((_private_store / "index.json").read_text())
    assert index["schema"] == ts.INDEX_SCHEMA and index["lists"][0]["fetched_at"] == "2026-11-01T00:00:00Z"

    [change] = store.put([pending("c2pa-trust-list", second.root_pem)], at=at + dt.timedelta(days=1))
    assert change.added == (second.root.subject.rfc4514_string(),)
    assert change.removed == (first.root.subject.rfc4514_string(),)
    assert not change.unchanged
    files = sorted(p.name for p in _private_store.iterdir() if p.name not in (".lock", "index.json"))
    assert files == [store.lists()[0].file]  # the old version is gone

    [change] = store.put([pending("c2pa-trust-list", second.root_pem)], at=at + dt.timedelta(days=2))
    assert change.unchanged and not change.added and not change.removed


def test_store_config_carries_sources_dates_ekus_and_allowed_list() -> None:
    store = ts.TrustStore()
    official, pinned, allowed = make_pki(name="Official"), make_pki(name="Studio"), make_pki(name="Allowed")
    at = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    store.put([
        pending("c2pa-trust-list", official.root_pem),
        pending("interim-allowed", allowed.leaf_pem, kind="legacy", role="allowed"),
        pending("interim-eku", b"// documentSigning\n1.3.6.1.5.5.7.3.36\n", kind="legacy", role="eku-config"),
        pending("studio", pinned.root_pem, kind="pinned"),
    ], at=at)
    config = store.trust_config()
    assert {a.subject for a in config.anchors} == {official.root.subject.rfc4514_string(),
                                                   pinned.root.subject.rfc4514_string()}
    # The official list and the pinned root bring the C2PA signer EKUs; interim-eku brings its own (a subset).
    assert config.eku_oids == C2PA_SIGNER_EKUS
    assert config.allowed == (allowed.leaf_pem.decode(),)
    assert [(s.name, s.kind, s.role, s.fetched_at) for s in config.sources] == [
        ("c2pa-trust-list", "official", "anchors", at), ("interim-allowed", "legacy", "allowed", at),
        ("interim-eku", "legacy", "eku-config", at), ("studio", "pinned", "anchors", at)]


def test_an_altered_list_file_is_not_trusted(_private_store: Path) -> None:
    store = ts.TrustStore()
    store.put([pending("c2pa-trust-list", make_pki().root_pem)], at=dt.datetime.now(dt.UTC))
    entry = store.lists()[0]
    (_private_store / entry.file).write_bytes(make_pki(name="Intruder").root_pem)
    config = store.trust_config()
    assert config.anchors == ()
    assert any("changed after it was stored" in w for w in config.warnings)


def _good_entry() -> dict[str, object]:
    return {"name": "studio", "kind": "pinned", "role": "anchors", "file": f"studio.{'0' * 16}.pem",
            "source": "/x/root.pem", "fetched_at": "2026-11-01T00:00:00Z", "sha256": "0" * 64, "count": 1}


def _index(*entries: object) -> str:
    return json.dumps({"schema": ts.INDEX_SCHEMA, "lists": list(entries)})


@pytest.mark.parametrize("index, problem", [
    ("{not json", "not JSON"),
    ("[" * 100_000 + "]" * 100_000, "not JSON"),
    (json.dumps({"schema": "other"}), "not a provenance.trust-store/v1 index"),
    (json.dumps({"schema": ts.INDEX_SCHEMA, "lists": 3}), "'lists' is not a list"),
    (json.dumps({"schema": ts.INDEX_SCHEMA}), "'lists' is not a list"),
    (_index("studio"), "entry 1 is not an object"),
    (_index({k: v for k, v in _good_entry().items() if k != "kind"}), "entry 1 has no 'kind'"),
    (_index(_good_entry(), {k: v for k, v in _good_entry().items() if k not in ("kind", "sha256")}),
     "entry 2 has no 'kind', 'sha256'"),
    (_index({**_good_entry(), "kind": 7}), "'kind' is int 7, not a string"),
    (_index({**_good_entry(), "kind": ["pinned"]}), "'kind' is list"),
    (_index({**_good_entry(), "count": "1"}), "'count' is str '1', not an integer"),
    (_index({**_good_entry(), "count": True}), "'count' is bool"),
    (_index({**_good_entry(), "count": 1.5}), "'count' is float"),
    (_index({**_good_entry(), "name": None}), "'name' is NoneType"),
    (_index({**_good_entry(), "fetched_at": 0}), "'fetched_at' is int"),
    (_index({**_good_entry(), "fetched_at": "yesterday"}), "'fetched_at' is not an ISO 8601"),
    (_index({**_good_entry(), "sha256": "abc"}), "'sha256' is not 64"),
    (_index({**_good_entry(), "kind": "trusted"}), "unknown kind"),
    (_index({**_good_entry(), "file": "../../etc/passwd"}), "not a trust store file name"),
    (_index({**_good_entry(), "count": -1}), "negative 'count'"),
    (_index(_good_entry(), _good_entry()), "two entries are named 'studio'"),
])
def test_a_damaged_index_is_a_clear_error(_private_store: Path, index: str, problem: str) -> None:
    _private_store.mkdir(parents=True)
    (_private_store / "index.json").write_text(index)
    for read in (ts.TrustStore().trust_config, ts.TrustStore().lists, lambda: ts.TrustStore().get("studio")):
        with pytest.raises(ts.TrustStoreError) as caught:
            read()
        message = caught.value.message
        assert "is damaged" in message and problem in message, message
        assert "delete the folder and run `provenance trust update`" in message
        assert "KeyError" not in message and "TypeError" not in message


def test_a_damaged_index_is_replaced_by_the_next_write(_private_store: Path) -> None:
    _private_store.mkdir(parents=True)
    (_private_store / "index.json").write_text(_index({**_good_entry(), "kind": None}))
    ts.TrustStore().put([pending("c2pa-trust-list", make_pki().root_pem)], at=dt.datetime.now(dt.UTC))
    assert [entry.name for entry in ts.TrustStore().lists()] == ["c2pa-trust-list"]


@pytest.mark.parametrize("inside", [False, True])
def test_a_store_location_that_is_a_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          inside: bool) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    location = blocker / "store" if inside else blocker
    monkeypatch.setenv(ts.ENV_VAR, str(location))
    store = ts.TrustStore()
    for call in (store.check_location, store.lists, store.trust_config, lambda: store.remove("x"),
                 lambda: store.put([pending("c2pa-trust-list", make_pki().root_pem)], at=dt.datetime.now(dt.UTC))):
        with pytest.raises(ts.TrustStoreLocationError) as caught:
            call()
        message = caught.value.message
        assert f"the trust store location {location} (set by ${ts.ENV_VAR}) is not a folder" in message
        assert (f"{blocker} is a file" if inside else "it is a file") in message
    assert isinstance(caught.value, ts.TrustStoreError)
    assert blocker.read_text() == "not a folder"


def test_a_store_location_that_is_a_file_without_the_variable(tmp_path: Path) -> None:
    blocker = tmp_path / "trust"
    blocker.write_text("")
    with pytest.raises(ts.TrustStoreLocationError, match=r"is not a folder: it is a file\. Move that file away"):
        ts.TrustStore(blocker).lists()


def test_a_missing_store_is_empty_and_not_created(_private_store: Path) -> None:
    store = ts.TrustStore()
    store.check_location()
    assert store.lists() == () and not _private_store.exists()


def _private_key_pem(form: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    if form == "pkcs8":
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    if form == "sec1":
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                 serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(b"secret"))


@pytest.mark.parametrize("form, label", [("pkcs8", b"PRIVATE KEY"), ("sec1", b"EC PRIVATE KEY"),
                                         ("encrypted", b"ENCRYPTED PRIVATE KEY")])
def test_a_file_holding_a_private_key_is_never_a_list(tmp_path: Path, form: str, label: bytes) -> None:
    key = _private_key_pem(form)
    assert b"-----BEGIN " + label + b"-----" in key
    pki = make_pki(name="Studio")
    for data in (pki.root_pem + key, key + pki.root_pem, pki.root_pem + b"\n" + key.replace(b"\n", b"\r\n")):
        assert ts.holds_private_key(data)
        with pytest.raises(ValueError, match="holds a private key"):
            ts.classify(data)
        with pytest.raises(ValueError, match="holds a private key"):
            ts.parse_list(data, "anchors", "bundle")
        bundle = tmp_path / "bundle.pem"
        bundle.write_bytes(data)
        with pytest.raises(TrustAnchorError, match="holds a private key") as caught:
            ts.plan_pin(bundle, "studio")
        assert "must never be shared or stored as a trust anchor" in caught.value.message
        assert "only the certificate is needed" in caught.value.message
        with pytest.raises(TrustAnchorError, match="holds a private key"):
            ts.plan_update([str(bundle)], legacy=False)
    for role in ("allowed", "eku-config"):
        with pytest.raises(ValueError, match="holds a private key"):
            ts.parse_list(b"1.3.6.1.5.5.7.3.36\n" + key, role, "x")
    assert not ts.holds_private_key(pki.root_pem + pki.leaf_pem)


def test_a_downloaded_list_holding_a_private_key_is_a_fetch_error(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, routes = server
    routes["/list.pem"] = body(make_pki().root_pem + _private_key_pem("pkcs8"))
    with pytest.raises(ts.TrustFetchError, match="holds a private key.*the trust store was not changed"):
        ts.plan_update([f"{base}/list.pem"], legacy=False, timeout=5)


def test_a_stored_list_holding_a_private_key_is_not_used(_private_store: Path) -> None:
    """A store written before keys were refused: the list is left out, with how to remove it."""
    store = ts.TrustStore()
    root = make_pki(name="Studio").root_pem
    store.put([pending("studio", root, kind="pinned")], at=dt.datetime.now(dt.UTC))
    [entry] = store.lists()
    data = root + _private_key_pem("pkcs8")
    (_private_store / entry.file).unlink()
    file = f"studio.{hashlib.sha256(data).hexdigest()[:16]}.pem"
    (_private_store / file).write_bytes(data)
    index = json.loads((_private_store / "index.json").read_text())
    index["lists"][0].update(file=file, sha256=hashlib.sha256(data).hexdigest())
    (_private_store / "index.json").write_text(json.dumps(index))
    config = store.trust_config()
    assert config.anchors == ()
    [warning] = config.warnings
    assert "holds a private key" in warning and "provenance trust" not in warning  # no command in the library
    assert config.advice == (Advice(AdviceCode.REMOVE_LIST, "studio", "pinned", entry.source),)


def test_the_altered_list_advice_is_a_command_that_works(_private_store: Path) -> None:
    """The library gives a code and the list; the CLI's renderer turns it into the command that stores it again."""
    assert refresh_command("studio", "pinned", "/My Roots/root.pem") == (
        "`provenance trust add '/My Roots/root.pem' --name studio --replace`")
    assert refresh_command("c2pa-trust-list", "official", ts.OFFICIAL_LIST.url) == "`provenance trust update`"
    assert refresh_command("c2pa-trust-list", "official", "/lists/C2PA.pem") == (
        "`provenance trust update --from /lists/C2PA.pem --replace`")
    assert refresh_command("interim-eku", "legacy", ts.INTERIM_EKU.url) == "`provenance trust update --legacy`"
    assert refresh_command("c2pa-tsa-trust-list", "tsa", "/l/tsa.pem") == (
        "`provenance trust update --tsa --from /l/tsa.pem --replace`")
    store = ts.TrustStore()
    store.put([pending("studio", make_pki().root_pem, kind="pinned")], at=dt.datetime.now(dt.UTC))
    [entry] = store.lists()
    (_private_store / entry.file).write_bytes(b"changed")
    config = store.trust_config()
    assert config.advice == (Advice(AdviceCode.STORE_AGAIN, "studio", "pinned", "test:studio"),)


def test_pinned_elsewhere_names_the_other_pins_of_the_same_root(tmp_path: Path) -> None:
    store = ts.TrustStore()
    studio, other = make_pki(name="Studio"), make_pki(name="Other")
    store.put([pending("studio", studio.root_pem, kind="pinned"),
               pending("c2pa-trust-list", studio.root_pem)], at=dt.datetime.now(dt.UTC))
    subject = studio.root.subject.rfc4514_string()
    assert store.pinned_elsewhere(pending("studio2", studio.root_pem + other.root_pem, kind="pinned")) == [
        ("studio", subject)]
    assert store.pinned_elsewhere(pending("studio", studio.root_pem, kind="pinned")) == []  # --replace
    assert store.pinned_elsewhere(pending("other", other.root_pem, kind="pinned")) == []


def test_remove_unknown_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no trust list named"):
        ts.TrustStore().remove("nope")


@pytest.mark.parametrize("name", ["", "Studio", "a b", "-x", "x" * 64, "c2pa-trust-list", "interim-eku"])
def test_bad_or_reserved_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError):
        ts.check_name(name)


def test_default_pin_name_comes_from_the_file_name() -> None:
    assert ts.default_name(Path("/x/Studio Root CA (2026).pem")) == "studio-root-ca-2026"


def test_pinning_a_leaf_is_refused(tmp_path: Path) -> None:
    leaf = tmp_path / "signer.pem"
    leaf.write_bytes(make_pki().leaf_pem)
    with pytest.raises(TrustAnchorError, match="end-entity certificate, not a CA"):
        ts.plan_pin(leaf, None)


# ---------------------------------------------------------------------------
# Fetching over HTTP (127.0.0.1) and the update plan
# ---------------------------------------------------------------------------


def test_fetch_reads_a_good_answer(server) -> None:  # type: ignore[no-untyped-def]
    base, routes = server
    data = make_pki().root_pem
    routes["/list.pem"] = body(data)
    assert ts.fetch(f"{base}/list.pem", timeout=5) == data


def test_fetch_refuses_a_truncated_answer(server) -> None:  # type: ignore[no-untyped-def]
    base, routes = server
    data = make_pki().root_pem
    routes["/cut.pem"] = body(data[:200], announce=len(data))
    with pytest.raises(ts.TrustFetchError, match="truncated|broke off"):
        ts.fetch(f"{base}/cut.pem", timeout=5)


def test_fetch_reports_a_server_error(server) -> None:  # type: ignore[no-untyped-def]
    base, routes = server
    routes["/boom"] = body(b"oops", status=500)
    with pytest.raises(ts.TrustFetchError, match="answered 500"):
        ts.fetch(f"{base}/boom", timeout=5)
    with pytest.raises(ts.TrustFetchError, match="answered 404"):
        ts.fetch(f"{base}/missing", timeout=5)


def test_fetch_gives_up_after_the_timeout(server) -> None:  # type: ignore[no-untyped-def]
    base, routes = server
    routes["/slow"] = stall(2.0)
    started = time.monotonic()
    with pytest.raises(ts.TrustFetchError, match="seconds"):
        ts.fetch(f"{base}/slow", timeout=0.3)
    assert time.monotonic() - started < 1.9


def test_fetch_caps_the_size(server) -> None:  # type: ignore[no-untyped-def]
    base, routes = server
    routes["/big"] = body(b"A" * 300_000)
    with pytest.raises(ts.TrustFetchError, match="larger than"):
        ts.fetch(f"{base}/big", timeout=5, max_bytes=100_000)


def test_fetch_refuses_redirects_to_file_urls(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, routes = server
    secret = tmp_path / "secret.pem"
    secret.write_bytes(make_pki().root_pem)
    routes["/jump"] = redirect(secret.as_uri())
    with pytest.raises(ts.TrustFetchError):
        ts.fetch(f"{base}/jump", timeout=5)


def test_fetch_accepts_file_urls_and_paths_but_no_other_scheme(tmp_path: Path) -> None:
    path = tmp_path / "list.pem"
    path.write_bytes(b"x")
    assert ts.fetch(path.as_uri()) == b"x"
    assert ts.fetch(str(path)) == b"x"
    with pytest.raises(UsageError, match="only https"):
        ts.fetch("ftp://127.0.0.1/list.pem")
    with pytest.raises(TrustAnchorError, match="cannot read"):
        ts.fetch(str(tmp_path / "missing.pem"))


def test_without_from_the_update_uses_the_published_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    pem = make_pki().root_pem
    answers = {ts.OFFICIAL_LIST.url: pem, ts.INTERIM_ANCHORS.url: pem,
               ts.INTERIM_ALLOWED.url: f"{b64_sha256(make_pki().leaf)}\n".encode(),
               ts.INTERIM_EKU.url: b"1.3.6.1.5.5.7.3.36\n"}

    def fake_fetch(location: str, **_kwargs: object) -> bytes:
        asked.append(location)
        return answers[location]

    answers[ts.TSA_LIST.url] = pem
    monkeypatch.setattr(ts.update, "fetch", fake_fetch)
    planned = ts.plan_update([], legacy=False)
    assert [p.name for p in planned] == ["c2pa-trust-list", "c2pa-tsa-trust-list"]
    assert [p.kind for p in planned] == ["official", "tsa"] and all(p.published for p in planned)
    assert asked == [ts.OFFICIAL_LIST.url, ts.TSA_LIST.url]
    asked.clear()
    names = [p.name for p in ts.plan_update([], legacy=True)]
    assert names == ["c2pa-trust-list", "c2pa-tsa-trust-list", "interim-anchors", "interim-allowed", "interim-eku"]
    assert asked == [spec.url for spec in ts.FIXED_LISTS]
    assert ts.OFFICIAL_LIST.url.startswith("https://") and all(s.url.startswith("https://") for s in ts.FIXED_LISTS)


def test_a_bad_published_list_is_an_operational_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ts.update, "fetch", lambda location, **_k: b"<html>maintenance</html>")
    with pytest.raises(ts.TrustFetchError, match="not changed"):
        ts.plan_update([], legacy=False)


def test_interim_parts_need_legacy(tmp_path: Path) -> None:
    cfg = tmp_path / "store.cfg"
    cfg.write_text("1.3.6.1.5.5.7.3.36\n")
    with pytest.raises(UsageError, match="add --legacy"):
        ts.plan_update([str(cfg)], legacy=False)
    assert [p.name for p in ts.plan_update([str(cfg)], legacy=True)] == ["interim-eku"]


def test_two_sources_for_one_list_are_refused(tmp_path: Path) -> None:
    one, two = tmp_path / "one.pem", tmp_path / "two.pem"
    one.write_bytes(make_pki().root_pem)
    two.write_bytes(make_pki().root_pem)
    with pytest.raises(UsageError, match="both c2pa-trust-list"):
        ts.plan_update([str(one), str(two)], legacy=False)


# ---------------------------------------------------------------------------
# What c2pa-rs does with the store's material (c2pa-python 0.38.1)
# ---------------------------------------------------------------------------


def test_document_signing_leaf_needs_the_eku_configuration(tmp_path: Path) -> None:
    pki = make_pki(DOCUMENT_SIGNING, name="DocSign")
    image = tmp_path / "docsign.jpg"
    image.write_bytes(sign_jpeg(pki))
    anchors = TrustConfig(anchors=ts.parse_list(pki.root_pem, "anchors", "root").anchors)
    without = signing_codes(image, anchors)
    assert "failure:signingCredential.invalid" in without and "success:signingCredential.trusted" not in without
    with_cfg = signing_codes(image, replace(anchors, eku_oids=(DOCUMENT_SIGNING,)))
    assert with_cfg == {"success:signingCredential.trusted"}


def test_eku_configuration_adds_to_the_defaults(tmp_path: Path) -> None:
    pki = make_pki(EMAIL_PROTECTION, name="Email")
    image = tmp_path / "email.jpg"
    image.write_bytes(sign_jpeg(pki))
    trust = TrustConfig(anchors=ts.parse_list(pki.root_pem, "anchors", "root").anchors, eku_oids=(DOCUMENT_SIGNING,))
    assert signing_codes(image, trust) == {"success:signingCredential.trusted"}


def test_allowed_list_trusts_the_listed_signer_only(tmp_path: Path) -> None:
    pki, other = make_pki(name="Allowed"), make_pki(name="Other")
    image = tmp_path / "allowed.jpg"
    image.write_bytes(sign_jpeg(pki))
    assert signing_codes(image, TrustConfig()) == {"failure:signingCredential.untrusted"}
    as_pem = TrustConfig(allowed=(pki.leaf_pem.decode(),))
    assert signing_codes(image, as_pem) == {"success:signingCredential.trusted"}
    as_hash = TrustConfig(allowed=(f"{b64_sha256(pki.leaf)}\n",))
    assert signing_codes(image, as_hash) == {"success:signingCredential.trusted"}
    # With anchors as well (the store's usual shape), and for a signer not on the list.
    mixed = TrustConfig(anchors=ts.parse_list(other.root_pem, "anchors", "o").anchors,
                        allowed=(pki.leaf_pem.decode(),))
    assert signing_codes(image, mixed) == {"success:signingCredential.trusted"}
    assert signing_codes(image, TrustConfig(allowed=(other.leaf_pem.decode(),))) == {
        "failure:signingCredential.untrusted"}


def test_upstream_flat_allowed_list_is_silently_ignored(tmp_path: Path) -> None:
    """Documents the c2pa-rs 0.91 behaviour worked around in _c2pa.py: the flat
    ``trust.allowed_list`` key trusts nothing. If this starts failing after a
    c2pa upgrade, the flat key works again and docs/trust.md needs updating."""
    import c2pa

    pki = make_pki(name="Flat")
    data = sign_jpeg(pki)
    context = c2pa.Context.from_dict({"version": 1, "trust": {"allowed_list": pki.leaf_pem.decode()},
                                      "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}})
    with context, c2pa.Reader("image/jpeg", io.BytesIO(data), context=context) as reader:
        store = json.loads(reader.json())
    codes = {c["code"] for c in store["validation_results"]["activeManifest"]["failure"]}
    assert "signingCredential.untrusted" in codes


# ---------------------------------------------------------------------------
# Audit warnings
# ---------------------------------------------------------------------------


def _audit_with(trust: TrustConfig, at: dt.datetime) -> list[str]:
    return list(audit_files(collect_inputs([]), trust=trust, at=at).trust.warnings)


def test_old_lists_are_warned_about_with_the_policy_limit() -> None:
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    anchors = ts.parse_list(make_pki().root_pem, "anchors", "x").anchors

    def source(name: str, kind: str, days: int) -> TrustSource:
        return TrustSource(name, "test", 1, "0" * 64, now - dt.timedelta(days=days), kind=kind)

    trust = TrustConfig(anchors=anchors, sources=(
        source("c2pa-trust-list", "official", 120), source("interim-anchors", "legacy", 91),
        source("studio", "pinned", 900), source("fresh", "official", 10)))
    warnings = _audit_with(trust, now)
    assert len(warnings) == 2
    assert "c2pa-trust-list is 120 days old" in warnings[0] and "policy's 90 days" in warnings[0]
    assert "interim-anchors is 91 days old" in warnings[1]
    assert not any("provenance trust" in warning for warning in warnings)  # commands are the CLI's
    advice = audit_files(collect_inputs([]), trust=trust, at=now).trust.advice
    assert [(a.code, a.list_name, a.kind) for a in advice] == [
        (AdviceCode.REFRESH_LIST, "c2pa-trust-list", "official"), (AdviceCode.REFRESH_LIST, "interim-anchors", "legacy")]


def test_nothing_trusted_is_said_plainly() -> None:
    report = audit_files(collect_inputs([]), trust=TrustConfig(), at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    [warning] = report.trust.warnings
    assert warning.startswith("nothing is trusted") and "no image can be compliant" in warning
    assert report.trust.advice == (Advice(AdviceCode.FILL_STORE),)
    assert report.to_dict()["trust"]["advice"] == [{"code": "trust.advice.fill_store"}]
