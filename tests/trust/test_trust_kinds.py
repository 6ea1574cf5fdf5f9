"""Issue #10 items 1-3 and 6: each list kind carries its EKUs and purpose, flags have the store's power,
`trust update --from` never silently drops anchors, and hints are codes the CLI renders.

Only ../shared/fixtures/trust/, a PKI generated here (EKU variants) and 127.0.0.1 are used.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from conftest import SHARED, fixture_script
from test_cli_trust import (  # noqa: F401 - store_dir is a fixture
    PUBLIC,
    _by_relative_path,
    audit_json,
    fill_from_shared,
    run,
    shared,
    store_dir,
    write,
)
from test_truststore import DOCUMENT_SIGNING, body, make_pki, server, sign_jpeg  # noqa: F401 - server is a fixture

from provenance import TrustConfig, audit
from provenance.advice import AdviceCode
from provenance.trust import C2PA_CLAIM_SIGNING, C2PA_SIGNER_EKUS
from provenance.truststore import TrustStore

CHATGPT = SHARED / "fixtures" / "public" / "sd-metadata" / "chatgpt-image2.png"
ADOBE_FIREFLY = SHARED / "fixtures" / "public" / "c2pa-rs" / "cai.jpg"


def _public(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"../shared is not available ({path} missing)")
    return path


# ---------------------------------------------------------------------------
# Item 1: EKUs per kind
# ---------------------------------------------------------------------------


def _fixture_script() -> ModuleType:
    """The project's fixture generator (fixtures/make_fixtures.py), loaded as a module."""
    return fixture_script("make_fixtures")


@pytest.mark.parametrize("eku", [C2PA_CLAIM_SIGNING, DOCUMENT_SIGNING], ids=["claim-signing", "documentSigning"])
@pytest.mark.parametrize("how", ["pinned", "official"])
def test_own_pki_signers_with_one_c2pa_eku_are_trusted(eku: str, how: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Done-when: a signer whose only EKU is C2PA claim signing, or documentSigning, reads Trusted under a
    pinned root and under a test bundle installed as the official list (no store.cfg anywhere).
    The PKI variant is made here, in tmp_path, by the project's fixture code."""
    fixtures = _fixture_script()
    pki = fixtures.generate_pki(ekus=(eku,))
    image = tmp_path / "capture.jpg"
    image.write_bytes(fixtures.sign_jpeg(fixtures.encode_jpeg(fixtures.make_base_image(7)),
                                         fixtures.manifest_definition("capture.jpg", [fixtures._created_capture()]),
                                         fixtures.make_signer(pki), eku_oids=(eku,)))
    root = write(tmp_path / "root.pem", pki.root_pem.encode("ascii"))
    command = ["trust", "add", root, "--name", "studio"] if how == "pinned" else ["trust", "update", "--from", root]
    assert run(command, capsys)[0] == 0
    code, report = audit_json([str(image)], capsys)
    [item] = report["images"]
    assert (code, item["status"], item["validation_state"]) == (0, "compliant", "Trusted"), item["findings"]
    assert [s["kind"] for s in report["trust"]["sources"]] == [how]


def test_without_the_signer_ekus_a_claim_signing_signer_is_invalid(tmp_path: Path) -> None:
    """Why the kinds carry EKUs: the same anchors with no EKU list leave the signer outside the profile."""
    pki = make_pki(C2PA_CLAIM_SIGNING, name="Claim")
    image = tmp_path / "capture.jpg"
    image.write_bytes(sign_jpeg(pki))
    write(tmp_path / "root.pem", pki.root_pem)
    bare = TrustConfig.from_pem_files(tmp_path / "root.pem", eku_oids=())
    assert audit(image, trust=bare).images[0].status.value == "indeterminate"
    assert audit(image, trust=TrustConfig.from_pem_files(tmp_path / "root.pem")).images[0].ok


def test_tsa_anchors_never_trust_a_claim_signer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The timestamp-authority list is recorded but never reaches the reader as signer anchors."""
    pki = make_pki(name="Under TSA")
    image = tmp_path / "capture.jpg"
    image.write_bytes(sign_jpeg(pki))
    root = write(tmp_path / "tsa.pem", pki.root_pem)
    code, report = audit_json([str(image), "--no-trust-store", "--tsa-anchors", root], capsys)
    assert code == 3 and "credentials_untrusted" in report["images"][0]["reasons"]
    assert report["trust"]["anchors"] == [] and report["trust"]["sources"][0]["kind"] == "tsa"
    assert run(["trust", "update", "--tsa", "--from", root], capsys)[0] == 0
    config = TrustStore().trust_config()
    assert config.anchors == () and len(config.tsa_anchors) == 1 and config.eku_oids == ()
    code, report = audit_json([str(image)], capsys)
    assert code == 3 and report["trust"]["anchors"] == []


def test_the_shared_tsa_list_is_stored_as_its_own_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["trust", "update", "--tsa", "--from", shared("c2pa-tsa-trust-list.pem")], capsys)
    assert code == 0, err
    assert "c2pa-tsa-trust-list (tsa): 22 anchors" in out
    code, out, _ = run(["trust", "show"], capsys)
    assert "for: time-stamping authorities" in out and "never claim-signer anchors" in out


# ---------------------------------------------------------------------------
# Item 2: flags with the store's power
# ---------------------------------------------------------------------------


def test_chatgpt_image_with_only_the_official_list_is_generative_ai_only(capsys: pytest.CaptureFixture[str]) -> None:
    """Done-when: OpenAI's signer chains to the official list; with that list alone (flag or store) the
    verdict is non_compliant with exactly generative_ai (no credentials_untrusted)."""
    image = str(_public(CHATGPT))
    _, by_flag = audit_json([image, "--no-trust-store", "--trust-anchors", shared("c2pa-trust-list.pem")], capsys)
    assert run(["trust", "update", "--from", shared("c2pa-trust-list.pem")], capsys)[0] == 0
    _, by_store = audit_json([image], capsys)
    for report in (by_flag, by_store):
        [item] = report["images"]
        assert (item["status"], item["reasons"], item["validation_state"]) == (
            "non_compliant", ["generative_ai"], "Trusted")
        assert sorted(report["trust"]["eku_oids"]) == sorted(C2PA_SIGNER_EKUS)


def test_public_corpus_gives_the_same_verdicts_through_flags_and_the_store(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Done-when: every public-corpus file, the same lists given as flags or stored: same verdict,
    reasons, validation state, anchors and EKUs."""
    _public(PUBLIC)
    flags = ["--no-trust-store",
             "--trust-anchors", shared("c2pa-trust-list.pem"),
             "--trust-anchors", shared("interim-trust-list-anchors.pem"),
             "--trust-anchors", shared("c2pa-rs-test-roots.pem"),
             "--tsa-anchors", shared("c2pa-tsa-trust-list.pem"),
             "--trust-config", shared("interim-trust-list-store.cfg"),
             "--allowed-list", shared("interim-trust-list-allowed.pem")]
    _, with_flags = audit_json([str(PUBLIC), *flags], capsys)
    fill_from_shared(capsys)
    assert run(["trust", "update", "--tsa", "--from", shared("c2pa-tsa-trust-list.pem")], capsys)[0] == 0
    _, with_store = audit_json([str(PUBLIC)], capsys)
    assert len(with_store["images"]) == len(with_flags["images"]) == 80

    def verdicts(report: dict) -> dict[str, tuple]:  # type: ignore[type-arg]
        return {name: (item["status"], item["reasons"], item["validation_state"])
                for name, item in _by_relative_path(report, PUBLIC).items()}

    assert verdicts(with_store) == verdicts(with_flags)
    for key in ("anchors",):
        assert with_store["trust"][key] == with_flags["trust"][key]
    assert sorted(with_store["trust"]["eku_oids"]) == sorted(with_flags["trust"]["eku_oids"])
    kinds = {s["name"]: s.get("kind") for s in with_store["trust"]["sources"]}
    assert kinds["c2pa-tsa-trust-list"] == "tsa" and kinds["interim-allowed"] == "legacy"


def test_an_allowed_list_flag_trusts_the_listed_signer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki(name="Listed")
    image = tmp_path / "capture.jpg"
    image.write_bytes(sign_jpeg(pki))
    allowed = write(tmp_path / "allowed.pem", pki.leaf_pem)
    code, report = audit_json([str(image), "--no-trust-store", "--allowed-list", allowed], capsys)
    assert code == 0 and report["images"][0]["status"] == "compliant"
    assert report["trust"]["sources"][0]["role"] == "allowed"


@pytest.mark.parametrize("flag, data, message", [
    ("--trust-config", b"1.2.3.4\nnot an oid\n", "is not an OID"),
    ("--allowed-list", b"hello\n", "not an allowed list"),
    ("--tsa-anchors", b"", "no PEM certificate"),
])
def test_bad_flag_files_are_usage_errors(flag: str, data: bytes, message: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["audit", str(tmp_path), flag, write(tmp_path / "f", data)], capsys)
    assert code == 2 and message in err


def test_verify_takes_the_trust_flags_only_with_reaudit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write(tmp_path / "store.cfg", b"1.3.6.1.5.5.7.3.36\n")
    cert = write(tmp_path / "c.json", b"{}")
    key = write(tmp_path / "k.pub", b"x")
    code, _, err = run(["verify", cert, str(tmp_path), "--key", key, "--trust-config", cfg], capsys)
    assert code == 2 and "--trust-config applies only with --reaudit" in err


# ---------------------------------------------------------------------------
# Item 3: trust update --from never silently drops anchors
# ---------------------------------------------------------------------------


def test_test_roots_given_as_the_official_list_are_refused_without_replace(
        store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Done-when: the issue's case: `trust update --from c2pa-rs-test-roots.pem` over the official list."""
    assert run(["trust", "update", "--from", shared("c2pa-trust-list.pem")], capsys)[0] == 0
    index = (store_dir / "index.json").read_bytes()
    code, out, err = run(["trust", "update", "--from", shared("c2pa-rs-test-roots.pem")], capsys)
    assert code == 2 and out == ""
    assert "would replace the official list c2pa-trust-list and drop 30 of its entries" in err
    assert "nothing was changed" in err and "hint: " in err and "trust add" in err
    assert (store_dir / "index.json").read_bytes() == index
    code, out, err = run(["trust", "update", "--from", shared("c2pa-rs-test-roots.pem"), "--replace",
                          "--format", "json"], capsys)
    assert code == 0, err
    [change] = json.loads(out)["lists"]
    assert len(change["removed"]) == 30 and change["why"] == "replaced"
    code, out, _ = run(["trust", "show"], capsys)
    assert "not the published address" in out


def test_a_published_update_may_drop_anchors_and_says_so(server, capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from provenance.truststore import lists, update

    base, routes = server
    one, two = make_pki(name="One"), make_pki(name="Two")
    tsa = make_pki(name="TSA").root_pem
    specs = (lists.ListSpec("c2pa-trust-list", lists.Kind.OFFICIAL, lists.Role.ANCHORS, f"{base}/official.pem"),
             lists.ListSpec("c2pa-tsa-trust-list", lists.Kind.TSA, lists.Role.ANCHORS, f"{base}/tsa.pem"))
    monkeypatch.setattr(update, "FIXED_LISTS", specs)
    routes["/tsa.pem"] = body(tsa)
    routes["/official.pem"] = body(one.root_pem + two.root_pem)
    assert run(["trust", "update"], capsys)[0] == 0
    routes["/official.pem"] = body(two.root_pem)
    code, out, err = run(["trust", "update"], capsys)
    assert code == 0, err
    assert "1 removed (the publisher dropped them from the list at its published address)" in out


def test_legacy_and_tsa_together_and_tsa_without_from_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["trust", "update", "--legacy", "--tsa", "--from", shared("c2pa-tsa-trust-list.pem")], capsys)
    assert code == 2 and "--legacy and --tsa" in err
    code, _, err = run(["trust", "update", "--tsa"], capsys)
    assert code == 2 and "--tsa applies with --from" in err


# ---------------------------------------------------------------------------
# Item 6: hints as codes
# ---------------------------------------------------------------------------


def test_an_adobe_signer_untrusted_without_the_interim_list_gets_the_legacy_hint(
        capsys: pytest.CaptureFixture[str]) -> None:
    image = str(_public(ADOBE_FIREFLY))
    official = ["--no-trust-store", "--trust-anchors", shared("c2pa-trust-list.pem")]
    code, report = audit_json([image, *official], capsys)
    assert "credentials_untrusted" in report["images"][0]["reasons"]
    assert report["trust"]["advice"] == [{"code": AdviceCode.LEGACY_LIST.value, "list_name": "interim-anchors",
                                          "kind": "legacy", "images": [image]}]
    code, out, _ = run(["audit", image, *official], capsys)
    assert "hint: 1 untrusted signer was issued by an organisation whose root is on the interim" in out and "`provenance trust update --legacy`" in out
    assert run(["trust", "update", "--legacy", "--from", shared("interim-trust-list-anchors.pem")], capsys)[0] == 0
    code, report = audit_json([image], capsys)
    assert "credentials_untrusted" not in report["images"][0]["reasons"]
    assert report["trust"]["advice"] == []


def test_a_signer_of_an_unknown_issuer_gets_no_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "capture.jpg"
    image.write_bytes(sign_jpeg(make_pki(name="Nobody")))
    other = write(tmp_path / "other.pem", make_pki(name="Other").root_pem)
    _, report = audit_json([str(image), "--no-trust-store", "--trust-anchors", other], capsys)
    assert "credentials_untrusted" in report["images"][0]["reasons"] and report["trust"]["advice"] == []


def test_advice_in_a_json_report_follows_the_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    from provenance.schemas import load_schema

    image = tmp_path / "capture.jpg"
    image.write_bytes(sign_jpeg(make_pki(name="Nobody")))
    _, report = audit_json([str(image), "--no-trust-store"], capsys)
    assert report["trust"]["advice"] == [{"code": "trust.advice.fill_store"}]
    jsonschema.validate(report, load_schema("audit-report.v1"))
    report["trust"]["advice"] = [{"code": "provenance trust update"}]  # a command is not a code
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, load_schema("audit-report.v1"))


def test_trust_show_gives_each_anchor_its_der_fingerprint_and_list_digest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 10 item 3: per anchor, the list file's digest and the anchor's DER fingerprint reports record."""
    import hashlib

    from cryptography.hazmat.primitives import serialization

    pki = make_pki(name="Shown")
    root = write(tmp_path / "root.pem", pki.root_pem)
    assert run(["trust", "add", root, "--name", "studio"], capsys)[0] == 0
    der = hashlib.sha256(pki.root.public_bytes(serialization.Encoding.DER)).hexdigest()
    digest = hashlib.sha256(pki.root_pem).hexdigest()
    code, out, _ = run(["trust", "show"], capsys)
    assert code == 0 and f"DER sha256 {der}" in out and f"list file sha256 {digest}" in out
    assert "for: your own claim signers (C2PA signer EKUs)" in out
    code, out, _ = run(["trust", "show", "--format", "json"], capsys)
    [anchor] = json.loads(out)["lists"][0]["anchors"]
    assert (anchor["der_sha256"], anchor["list_sha256"]) == (der, digest)
    _, report = audit_json([str(tmp_path)], capsys)
    assert report["trust"]["anchors"] == [der] and report["trust"]["sources"][0]["digest"] == digest
