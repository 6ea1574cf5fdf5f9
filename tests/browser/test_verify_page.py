"""The verification page as a client uses it: inputs, results shown, security policy, big files."""

from __future__ import annotations

import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT

import provenance
from provenance import KeyAlgorithm, SigningKey, TrustConfig, issue_certificate
from provenance.report import AuditReport


class By:
    """Selenium's locator strategies (as in selenium.webdriver.common.by), without importing it
    at collection: without Selenium the tests are skipped by the fixture, not failed on import."""

    ID = "id"
    CSS_SELECTOR = "css selector"


AT = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
FIRST, SECOND = "01-capture-edited.jpg", "02-capture-straightened.jpg"


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AuditReport]:
    folder = tmp_path_factory.mktemp("audited") / "delivery"
    folder.mkdir()
    for name in (FIRST, SECOND):
        shutil.copyfile(SAMPLE_DELIVERY / name, folder / name)
    return folder, provenance.audit([folder], trust=TrustConfig.from_pem_files([TEST_ROOT]), at=AT)


@pytest.fixture()
def signed(audited, tmp_path: Path) -> dict[str, Any]:
    """A copy of the delivery, its certificate and the public key, as files."""
    source, report = audited
    delivery = tmp_path / "delivery"
    shutil.copytree(source, delivery)
    key = SigningKey.generate(KeyAlgorithm.ED25519)
    certificate = tmp_path / "delivery.cert.json"
    certificate.write_text(issue_certificate(report, key, root=source).to_json())
    public = tmp_path / "provenance.pub"
    public.write_bytes(key.public_key.pem())
    return {"delivery": delivery, "certificate": certificate, "key": key, "public": public, "report": report}


def test_the_page_starts_idle_with_every_input(verify_page) -> None:
    ids = verify_page.driver.execute_script("""
        return ["certificate", "public-key", "key-id", "files", "folder", "verify", "result", "progress"]
          .filter((id) => document.getElementById(id) !== null);""")
    assert ids == ["certificate", "public-key", "key-id", "files", "folder", "verify", "result", "progress"]
    assert verify_page.driver.find_element(By.ID, "result").get_attribute("data-status") == "idle"
    assert verify_page.driver.find_element(By.ID, "folder").get_attribute("webkitdirectory") is not None
    assert verify_page.driver.find_element(By.ID, "files").get_attribute("multiple") is not None


def test_a_genuine_delivery_shows_the_recorded_verdict_policy_and_assurance(verify_page, signed) -> None:
    result = verify_page.run(signed["certificate"], signed["public"], folder=signed["delivery"])
    assert result.status == "verified" and result.files == {FIRST: "verified", SECOND: "verified"}
    assert all(status == "passed" and code == "ok" for status, code in result.checks.values())
    assert list(result.checks) == ["envelope", "payload_type", "key_id", "signature", "statement_type",
                                   "predicate_type", "subjects", "predicate"]
    row = verify_page.driver.execute_script(
        "return Array.from(document.querySelector('[data-file=\"' + arguments[0] + '\"]').cells, (c) => c.textContent);",
        FIRST)
    assert row[:2] == [FIRST, "verified"]
    assert row[3:6] == ["compliant", "signed_credentials", "Trusted"]
    assert row[6].startswith("Provenance Test Signer")
    policy = signed["report"].policy
    assert result.conclusion == (f"VERIFIED: 2 file(s) are exactly those certified by key {signed['key'].key_id[:16]}… "
                                 f"under policy {policy.id} {policy.version} (evaluated 2026-03-01T12:00:00Z).")
    info = verify_page.driver.find_element(By.ID, "certificate-info").text
    assert signed["key"].key_id in info and policy.sha256 in info
    done = verify_page.driver.execute_script(
        "const p = document.getElementById('progress'); return [p.value, p.max];")
    assert done == [2, 2]


def test_the_typed_key_id_is_compared_with_the_key(verify_page, signed) -> None:
    key_id = signed["key"].key_id
    spaced = ":".join(key_id[i:i + 2] for i in range(0, 64, 2)).upper()
    good = verify_page.run(signed["certificate"], signed["public"], folder=signed["delivery"], key_id=spaced)
    assert good.status == "verified" and good.checks["key_pin"] == ("passed", "ok")
    bad = verify_page.run(signed["certificate"], signed["public"], folder=signed["delivery"], key_id="ab" * 32)
    assert bad.status == "failed" and bad.failed == {"key_pin": "key.pin_mismatch"}
    assert bad.files == {}  # nothing is compared under a key the client did not expect


@pytest.mark.parametrize(("what", "code"), [
    ("no-certificate", "input.no_certificate"), ("no-key", "input.no_key"), ("private-key", "key.invalid"),
    ("both-pickers", "input.both"),
])
def test_missing_or_wrong_inputs_fail_with_a_reason(verify_page, signed, tmp_path, what: str, code: str) -> None:
    certificate, public = signed["certificate"], signed["public"]
    files: list[Path] = []
    if what == "no-certificate":
        certificate = None
    elif what == "no-key":
        public = None
    elif what == "private-key":
        public = tmp_path / "provenance.key"
        public.write_bytes(signed["key"].private_pem())
    else:
        files = [signed["delivery"] / FIRST]
    result = verify_page.run(certificate, public, folder=signed["delivery"], files=files)
    assert result.status == "failed" and result.error == code and result.error_message


BROWSER_LACKS = {
    "ed25519": """
        const original = crypto.subtle.importKey.bind(crypto.subtle);
        crypto.subtle.importKey = (format, data, algorithm, ...rest) => algorithm.name === "Ed25519"
          ? Promise.reject(new DOMException("Algorithm: Unrecognized name", "NotSupportedError"))
          : original(format, data, algorithm, ...rest);""",
    "webcrypto": "Object.defineProperty(crypto, 'subtle', {value: undefined});",
}


@pytest.mark.parametrize(("lacking", "message"), [("ed25519", "cannot check Ed25519 signatures"),
                                                   ("webcrypto", "crypto.subtle is missing")])
def test_without_the_primitive_the_page_says_so_and_fails_closed(verify_page, signed, lacking: str,
                                                                   message: str) -> None:
    """A browser whose WebCrypto lacks Ed25519 (or has no WebCrypto) says so and verifies nothing."""
    result = verify_page.run(signed["certificate"], signed["public"], folder=signed["delivery"],
                             prepare=BROWSER_LACKS[lacking])
    assert result.status == "failed" and result.failed == {"signature": "browser.unsupported"}
    driver = verify_page.driver
    assert message in driver.find_element(By.CSS_SELECTOR, "[data-check=signature]").text
    assert driver.find_elements(By.CSS_SELECTOR, "[data-file]") == []


def test_file_names_are_shown_as_text_never_as_html(verify_page, signed) -> None:
    name = '<img src=x onerror="document.title=1">.jpg'
    shutil.copyfile(signed["delivery"] / FIRST, signed["delivery"] / name)
    result = verify_page.run(signed["certificate"], signed["public"], folder=signed["delivery"])
    assert result.files[name] == "not_certified"
    assert verify_page.driver.execute_script("return document.querySelectorAll('#result img').length") == 0
    assert verify_page.driver.title.startswith("Verify a photo delivery")


def test_the_certificate_inside_the_delivery_folder_is_not_a_delivered_file(verify_page, signed) -> None:
    inside = signed["delivery"] / "delivery.cert.json"
    shutil.copyfile(signed["certificate"], inside)
    result = verify_page.run(inside, signed["public"], folder=signed["delivery"])
    assert result.status == "verified" and result.skipped == ["delivery.cert.json"]


def test_a_file_larger_than_a_chunk_is_hashed_in_slices(verify_page, audited, tmp_path) -> None:
    """Files are read in 4 MiB slices (memory stays flat): a 9 MiB file is read as three slices,
    never whole, and a change in its last byte is found."""
    from dataclasses import replace

    source, report = audited
    delivery = tmp_path / "big"
    delivery.mkdir()
    data = hashlib.sha256(b"seed").digest() * (9 * 1024 * 1024 // 32) + b"tail"
    (delivery / "big.jpg").write_bytes(data)
    image = replace(report.images[0], path=str(delivery / "big.jpg"), sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data))
    key = SigningKey.generate(KeyAlgorithm.ED25519)
    certificate = tmp_path / "big.cert.json"
    certificate.write_text(issue_certificate(replace(report, images=(image,)), key, root=delivery).to_json())
    public = tmp_path / "provenance.pub"
    public.write_bytes(key.public_key.pem())
    record = """
        window.reads = [];
        const read = Blob.prototype.arrayBuffer;
        Blob.prototype.arrayBuffer = function () { window.reads.push(this.size); return read.call(this); };"""
    assert verify_page.run(certificate, public, folder=delivery, prepare=record).files == {"big.jpg": "verified"}
    reads = verify_page.driver.execute_script("return window.reads")
    chunk = 4 * 1024 * 1024
    assert max(reads) <= chunk and sorted(reads)[-3:] == [len(data) - 2 * chunk, chunk, chunk]  # never read whole
    (delivery / "big.jpg").write_bytes(data[:-1] + b"!")
    assert verify_page.run(certificate, public, folder=delivery).files == {"big.jpg": "modified"}


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(b"reached")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def listener() -> Iterator[str]:
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_security_policy_forbids_every_connection(verify_page, listener: str) -> None:
    outcome = verify_page.call("""
        const url = args[0];
        const tried = {};
        try { await fetch(url + "/fetch"); tried.fetch = "reached"; } catch (e) { tried.fetch = "blocked"; }
        tried.image = await new Promise((done) => {
          const img = new Image(); img.onload = () => done("reached"); img.onerror = () => done("blocked");
          img.src = url + "/image.png"; });
        tried.script = await new Promise((done) => {
          const s = document.createElement("script"); s.onload = () => done("reached"); s.onerror = () => done("blocked");
          s.src = url + "/script.js"; document.head.append(s); });
        try { new WebSocket(url.replace("http", "ws") + "/ws"); tried.socket = "opened"; } catch (e) { tried.socket = "blocked"; }
        tried.resources = performance.getEntriesByType("resource").map((r) => r.name);
        return tried;""", listener)
    assert outcome["fetch"] == outcome["image"] == outcome["script"] == "blocked"
    assert outcome["resources"] == [] or all(listener in name for name in outcome["resources"])
    assert _Recorder.requests == []


def test_the_inline_script_and_style_are_allowed_by_their_hashes(verify_page) -> None:
    applied = verify_page.driver.execute_script(
        "return [typeof window.ProvenanceVerify, getComputedStyle(document.querySelector('main')).maxWidth,"
        " document.getElementById('version').textContent];")
    assert applied == ["object", "1152px", provenance.__version__]


def test_names_with_bidi_or_invisible_characters_are_shown_escaped(verify_page, signed) -> None:
    # "photo\u202egpj.jpg" would show as "photojpg.gpj"-like reversed text, "a\u200b.jpg" exactly like
    # "a.jpg": the page shows them escaped, as the CLI does (provenance/_text.py); the data-file
    # attribute keeps the exact name.
    reversed_name, invisible_name = "photo\u202egpj.jpg", "a\u200b.jpg"
    for name in (reversed_name, invisible_name):
        shutil.copyfile(signed["delivery"] / FIRST, signed["delivery"] / name)
    result = verify_page.run(signed["certificate"], signed["public"], folder=signed["delivery"])
    assert result.files[reversed_name] == result.files[invisible_name] == "not_certified"
    shown = verify_page.driver.execute_script(
        "return [...document.querySelectorAll('#files-body td.name')].map((td) => td.textContent)")
    assert "photo\\u202egpj.jpg" in shown and "a\\u200b.jpg" in shown
    page_text = verify_page.driver.execute_script("return document.body.textContent")
    assert "\u202e" not in page_text and "\u200b" not in page_text
