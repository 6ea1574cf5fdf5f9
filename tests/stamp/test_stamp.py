"""`provenance stamp`: studio-signed copies of a compliant delivery, read back and audited.

The originals are the sample delivery's compliant images (01, 02; signed with the
test PKI) and, for other formats, originals from ``fixtures/make_originals.py``.
The studio identity is made by ``keygen --x509`` in a temporary folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import c2pa
import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT, fixture_script, load_reader_dump
from conftest import copy_sample as sample
from conftest import run_cli as run

from provenance import NonCompliant, StampError, TrustConfig, UsageError, audit, default_policy, evaluate
from provenance._cli import keygen as keygen_module
from provenance._x509 import ROOT_CERT_NAME, create_identity, load_signer
from provenance.classify._assertions import COMPLIANCE_LABEL, MAX_ENTRIES, information_findings
from provenance.evidence._c2pa import parse_manifest_store
from provenance.keys import PRIVATE_KEY_NAME, PUBLIC_KEY_NAME
from provenance.model import AssertionRecord, CredentialsEvidence, CredentialsPresence, Location, ManifestRecord, SignerInfo
from provenance.stamp import TRAINING_MINING_ENTRIES, stamp_delivery

COMPLIANT = ("01-capture-edited.jpg", "02-capture-straightened.jpg")
ORIGINAL_ANCHORS = ["--trust-anchors", str(TEST_ROOT), "--no-trust-store"]
TERMS = "https://studio.example/contract#ai-clause"
OFFLINE = {"remote_manifest_fetch": False, "ocsp_fetch": False}


def _load_originals() -> Any:
    return fixture_script("make_originals")


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVENANCE_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr(keygen_module, "_interactive", lambda: False)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _read(path: Path, anchors: bytes) -> tuple[str, dict[str, Any]]:
    settings = {"version": 1, "verify": OFFLINE, "trust": {"trust_anchors": anchors.decode()}}
    with c2pa.Context.from_dict(settings) as context, c2pa.Reader("image/jpeg", io.BytesIO(path.read_bytes()),
                                                                  context=context) as reader:
        return reader.get_validation_state(), json.loads(reader.json())


@pytest.fixture(scope="module")
def stamped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The two compliant samples, read-only, stamped once by the CLI for the whole module."""
    from provenance._cli import main

    base = tmp_path_factory.mktemp("stamp")
    keys = base / "keys"
    create_identity(keys, organization="Atelier Test")
    assert main(["keygen", "--out", str(keys), "--x509"]) == 0  # adds the certificate key pair, keeps the rest
    delivery = base / "delivery"
    delivery.mkdir()
    for name in COMPLIANT:
        shutil.copy(SAMPLE_DELIVERY / name, delivery / name)
        os.chmod(delivery / name, 0o444)
    os.chmod(delivery, 0o555)
    before = _digests(delivery)
    out = base / "out"
    code = main(["stamp", str(delivery), "--signer", str(keys), "--output", str(out),
                 "--constraint-info", TERMS, *ORIGINAL_ANCHORS])
    yield {"code": code, "keys": keys, "delivery": delivery, "out": out, "before": before, "base": base}
    os.chmod(delivery, 0o755)


def test_stamp_writes_only_the_stamped_copies_and_leaves_inputs_unchanged(stamped: dict[str, Any]) -> None:
    assert stamped["code"] == 0
    assert sorted(p.name for p in stamped["out"].iterdir()) == list(COMPLIANT)
    assert _digests(stamped["delivery"]) == stamped["before"]
    assert all(stamped["before"][n] != _digests(stamped["out"])[n] for n in COMPLIANT)
    assert [p.name for p in stamped["base"].iterdir() if p.name.startswith(".")] == []  # no staging left


@pytest.mark.parametrize("name", COMPLIANT)
def test_stamped_copy_reads_back_with_parent_chain_and_assertions(stamped: dict[str, Any], name: str) -> None:
    studio_root = (stamped["keys"] / ROOT_CERT_NAME).read_bytes()
    # c2pa-rs says Trusted for the store only when every signer in the chain is trusted.
    state, store = _read(stamped["out"] / name, studio_root + TEST_ROOT.read_bytes())
    assert state == "Trusted"
    active = store["manifests"][store["active_manifest"]]
    assert active["signature_info"]["common_name"] == "Atelier Test C2PA Signer"
    assertions = {a["label"]: a["data"] for a in active["assertions"]}

    first = assertions["c2pa.actions.v2"]["actions"][0]
    assert first["action"] == "c2pa.opened"
    (ingredient,) = active["ingredients"]
    assert ingredient["relationship"] == "parentOf"
    assert first["parameters"]["ingredients"][0]["url"].endswith(ingredient["label"])

    # The original's manifest store is kept whole: its active manifest is the parent's.
    _, original = _read(SAMPLE_DELIVERY / name, TEST_ROOT.read_bytes())
    assert ingredient["active_manifest"] == original["active_manifest"]
    kept = store["manifests"][original["active_manifest"]]
    assert kept["assertions"] == original["manifests"][original["active_manifest"]]["assertions"]

    entries = assertions["cawg.training-mining"]["entries"]
    assert sorted(entries) == sorted(TRAINING_MINING_ENTRIES)
    assert all(entry == {"use": "notAllowed", "constraints_info": TERMS} for entry in entries.values())

    record = assertions[COMPLIANCE_LABEL]
    policy = default_policy()
    assert record["verdict"] == "compliant"
    assert record["policy"] == {"id": policy.id, "version": policy.version, "sha256": policy.sha256}
    assert record["original"]["sha256"] == stamped["before"][name]
    assert record["original"]["name"] == name
    assert record["tool"]["name"] == "provenance" and record["tool"]["version"]
    assert datetime.fromisoformat(record["evaluatedAt"]).tzinfo is not None


def test_stamped_copies_audit_compliant_under_the_studio_root_with_the_chain(stamped: dict[str, Any]) -> None:
    trust = TrustConfig.from_pem_files([stamped["keys"] / ROOT_CERT_NAME])
    report = audit(stamped["out"], trust=trust, at=datetime.now(UTC))
    assert [image.status.value for image in report.images] == ["compliant", "compliant"]
    for image in report.images:
        codes = [f.code for f in image.findings]
        assert codes.count("assertion.training_mining") == 1
        assert codes.count("assertion.compliance_record") == 1
        info = [f for f in image.findings if f.code.startswith("assertion.")]
        assert all(f.decision is None for f in info)
        # The original's actions, one manifest down, are still classified.
        original = next(m for m in image_manifests(image.path) if m.depth == 1)
        down = [f for f in image.findings if f.code == "action.classified" and f.location.manifest == original.label]
        assert len(down) == len(original.actions) >= 4
        # The original's signer (the sample's test root) is not trusted here: one warning naming the ingredient.
        (warning,) = image.warnings
        assert warning.startswith("ingredient '") and "its signer is not trusted (now: signingCredential.untrusted)" in warning


def image_manifests(path: str) -> tuple[ManifestRecord, ...]:
    from provenance.evidence import read_evidence

    return read_evidence(Path(path), TrustConfig()).credentials.manifests


def test_the_compliance_record_is_not_believed(stamped: dict[str, Any]) -> None:
    """Without the studio root the same copies are indeterminate, whatever their record says."""
    report = audit(stamped["out"], trust=TrustConfig(), at=datetime.now(UTC))
    assert {image.status.value for image in report.images} == {"indeterminate"}


def test_certify_then_verify_the_stamped_set(stamped: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    keys, out = stamped["keys"], stamped["out"]
    certificate = stamped["base"] / "delivery.cert.json"
    code, _, err = run(["certify", str(out), "--key", str(keys / PRIVATE_KEY_NAME), "-o", str(certificate),
                        "--trust-anchors", str(keys / ROOT_CERT_NAME), "--no-trust-store"], capsys)
    assert code == 0, err
    code, stdout, _ = run(["verify", str(certificate), str(out), "--key", str(keys / PUBLIC_KEY_NAME)], capsys)
    assert code == 0, stdout
    subjects = {s["name"]: s["digest"]["sha256"] for s in json.loads(
        __import__("base64").b64decode(json.loads(certificate.read_text())["payload"]))["subject"]}
    assert subjects == _digests(out)  # the certificate covers the stamped bytes


@pytest.mark.parametrize(("extra", "expected_code"), [
    (("03-generative-fill.jpg",), 1),
    (("04-no-credentials.jpg",), 3),
])
def test_a_delivery_that_is_not_all_compliant_is_refused_with_nothing_written(
        stamped: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        extra: tuple[str, ...], expected_code: int) -> None:
    delivery = sample(tmp_path, COMPLIANT[0], *extra)
    out = tmp_path / "out"
    code, _, err = run(["stamp", str(delivery), "--signer", str(stamped["keys"]), "--output", str(out),
                        *ORIGINAL_ANCHORS], capsys)
    assert code == expected_code
    assert "nothing written" in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delivery"]


def test_output_must_be_empty_and_outside_the_delivery(stamped: dict[str, Any], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    delivery = sample(tmp_path, COMPLIANT[0])
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "old.jpg").write_bytes(b"kept")
    for out, message in ((busy, "not empty"), (delivery / "stamped", "inside the delivery")):
        code, _, err = run(["stamp", str(delivery), "--signer", str(stamped["keys"]), "--output", str(out),
                            *ORIGINAL_ANCHORS], capsys)
        assert code == 2 and message in err
    assert [p.name for p in busy.iterdir()] == ["old.jpg"]
    assert sorted(p.name for p in delivery.iterdir()) == [COMPLIANT[0]]


def test_an_unreachable_time_stamp_authority_fails_with_nothing_written(
        stamped: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    delivery = sample(tmp_path, COMPLIANT[0])
    out = tmp_path / "out"
    code, _, err = run(["stamp", str(delivery), "--signer", str(stamped["keys"]), "--output", str(out),
                        "--tsa-url", "http://127.0.0.1:9/tsa", *ORIGINAL_ANCHORS], capsys)
    assert code == 4, err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delivery"]


def _report(folder: Path) -> Any:
    return audit(folder, trust=TrustConfig.from_pem_files([TEST_ROOT]), at=datetime.now(UTC))


def test_a_format_that_cannot_be_signed_is_refused_before_anything_is_written(
        stamped: dict[str, Any], tmp_path: Path) -> None:
    delivery = sample(tmp_path, COMPLIANT[0])
    report = _report(delivery)
    bmp = dataclasses.replace(report.images[0], media_type="image/bmp")
    with pytest.raises(UsageError, match="cannot sign these formats"):
        stamp_delivery(dataclasses.replace(report, images=(bmp,)), signer=load_signer(stamped["keys"]),
                       output=tmp_path / "out", root=delivery)
    assert not (tmp_path / "out").exists()


def test_an_image_changed_after_the_audit_is_not_stamped(stamped: dict[str, Any], tmp_path: Path) -> None:
    delivery = sample(tmp_path, *COMPLIANT)
    report = _report(delivery)
    (delivery / COMPLIANT[1]).write_bytes((SAMPLE_DELIVERY / "03-generative-fill.jpg").read_bytes())
    with pytest.raises(StampError, match="changed after it was audited"):
        stamp_delivery(report, signer=load_signer(stamped["keys"]), output=tmp_path / "out", root=delivery)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delivery"]  # the first copy was not published


def test_stamp_delivery_refuses_a_report_that_is_not_compliant(stamped: dict[str, Any], tmp_path: Path) -> None:
    delivery = sample(tmp_path, "05-tampered.jpg")
    with pytest.raises(NonCompliant):
        stamp_delivery(_report(delivery), signer=load_signer(stamped["keys"]), output=tmp_path / "out", root=delivery)


@pytest.mark.parametrize("fmt", ["png", "webp", "tiff"])
def test_other_formats_are_stamped_and_audit_compliant(stamped: dict[str, Any], tmp_path: Path, fmt: str) -> None:
    originals = _load_originals()
    media_type, _, suffix = originals.FORMATS[fmt]
    delivery = tmp_path / "delivery"
    delivery.mkdir()
    (delivery / f"photo{suffix}").write_bytes(originals.signed_original(fmt, (320, 214)))
    result = stamp_delivery(_report(delivery), signer=load_signer(stamped["keys"]), output=tmp_path / "out",
                            root=delivery)
    (copy,) = result.files
    assert copy.output.read_bytes()[:4] == (delivery / f"photo{suffix}").read_bytes()[:4]
    report = audit(tmp_path / "out", trust=TrustConfig.from_pem_files([stamped["keys"] / ROOT_CERT_NAME]),
                   at=datetime.now(UTC))
    assert [(i.media_type, i.status.value) for i in report.images] == [(media_type, "compliant")]


# ---- reading side: information-only findings -------------------------------------------------


def test_real_training_mining_assertions_are_reported_and_never_decide() -> None:
    """Adobe Content Authenticity writes both labels (c2pa-signals A3, EA/cloudscape-ACA-Cr)."""
    credentials = parse_manifest_store(load_reader_dump("cloudscape-ACA-Cr.jpeg.reader.json"))
    findings = information_findings(credentials)
    assert [f.signal for f in findings] == ["cawg.training-mining", "c2pa.training-mining"]
    assert all(f.decision is None and f.code == "assertion.training_mining" for f in findings)
    assert "cawg.ai_generative_training: not allowed" in findings[0].message
    assert "C2PA 1.4 label" in findings[1].message


def _with_assertion(label: str, data: dict[str, Any]) -> CredentialsEvidence:
    manifest = ManifestRecord(label="m", depth=0, claim_generator=None, signer=SignerInfo(common_name="someone"),
                              assertions=(AssertionRecord(label, Location(manifest="m", assertion=label), data),))
    return CredentialsEvidence(presence=CredentialsPresence.PRESENT, active_manifest="m", manifests=(manifest,))


def test_constrained_without_information_reads_as_not_allowed_and_entries_are_capped() -> None:
    entries: dict[str, Any] = {f"com.example.use{n:02d}": {"use": "allowed"} for n in range(MAX_ENTRIES + 5)}
    entries["cawg.ai_training"] = {"use": "constrained"}
    entries["cawg.data_mining"] = {"use": 7}
    (finding,) = information_findings(_with_assertion("cawg.training-mining", {"entries": entries}))
    assert "cawg.ai_training: constrained (no information given: read as not allowed)" in finding.message
    assert "cawg.data_mining: unreadable use 7" in finding.message
    assert "+7 more" in finding.message


def test_a_forged_compliance_record_does_not_make_an_image_compliant() -> None:
    """A record claiming compliance inside an untrusted manifest changes nothing."""
    evidence_path = SAMPLE_DELIVERY / "04-no-credentials.jpg"
    from provenance.evidence import read_evidence

    evidence = read_evidence(evidence_path, TrustConfig())
    forged = dataclasses.replace(evidence, credentials=_with_assertion(COMPLIANCE_LABEL, {"verdict": "compliant"}))
    plain = dataclasses.replace(evidence, credentials=_with_assertion("com.example.other", {"verdict": "compliant"}))
    verdict, without = evaluate(forged, default_policy()), evaluate(plain, default_policy())
    assert verdict.status.value == "indeterminate"
    assert (verdict.status, verdict.reasons) == (without.status, without.reasons)
    record = next(f for f in verdict.findings if f.code == "assertion.compliance_record")
    assert record.decision is None and "anyone can write one" in record.message


def test_stamped_copies_are_ordinary_files_even_when_inputs_are_read_only(stamped: dict[str, Any]) -> None:
    """The copies are written 0644, whatever the inputs' modes."""
    for name in COMPLIANT:
        assert stat.S_IMODE((stamped["out"] / name).stat().st_mode) == 0o644


def test_sub_folders_keep_their_names(stamped: dict[str, Any], tmp_path: Path) -> None:
    delivery = tmp_path / "delivery"
    (delivery / "day 1").mkdir(parents=True)
    shutil.copy(SAMPLE_DELIVERY / COMPLIANT[0], delivery / "day 1" / COMPLIANT[0])
    (delivery / "notes.txt").write_text("not an image: not copied")
    result = stamp_delivery(_report(delivery), signer=load_signer(stamped["keys"]), output=tmp_path / "out",
                            root=delivery)
    assert [f.name for f in result.files] == [f"day 1/{COMPLIANT[0]}"]
    assert sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*")) == [
        "day 1", f"day 1/{COMPLIANT[0]}"]


def test_an_expired_signer_is_a_usage_error_before_any_audit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "old-keys"
    create_identity(keys, organization="Old Studio", now=datetime.now(UTC).replace(year=datetime.now(UTC).year - 3))
    delivery = sample(tmp_path, COMPLIANT[0])
    code, out, err = run(["stamp", str(delivery), "--signer", str(keys), "--output", str(tmp_path / "out"),
                          *ORIGINAL_ANCHORS], capsys)
    assert code == 2
    assert "not valid now" in err and "--renew-signer" in err
    assert out == ""  # refused before the audit
    assert not (tmp_path / "out").exists()


def test_an_encrypted_signer_is_used_with_the_passphrase(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    keys = tmp_path / "keys"
    create_identity(keys, organization="Locked Studio", passphrase="s3cret")
    delivery = sample(tmp_path, COMPLIANT[0])
    args = ["stamp", str(delivery), "--signer", str(keys), "--output", str(tmp_path / "out"), *ORIGINAL_ANCHORS]
    code, _, err = run(args, capsys)
    assert code == 2 and "PROVENANCE_KEY_PASSPHRASE" in err  # no terminal to ask on
    monkeypatch.setenv("PROVENANCE_KEY_PASSPHRASE", "s3cret")
    code, _, err = run(args, capsys)
    assert code == 0, err
    assert (tmp_path / "out" / COMPLIANT[0]).is_file()


@pytest.mark.parametrize(("option", "value"), [("--tsa-url", "ftp://tsa.example"), ("--constraint-info", " ")])
def test_bad_options_are_usage_errors_with_nothing_written(stamped: dict[str, Any], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str], option: str,
                                                           value: str) -> None:
    delivery = sample(tmp_path, COMPLIANT[0])
    code, _, err = run(["stamp", str(delivery), "--signer", str(stamped["keys"]), "--output", str(tmp_path / "out"),
                        option, value, *ORIGINAL_ANCHORS], capsys)
    assert code == 2, err
    assert option in err
    assert not (tmp_path / "out").exists()


def test_no_thumbnails_leaves_them_out(stamped: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    delivery = sample(tmp_path, COMPLIANT[0])
    out = tmp_path / "out"
    code, _, err = run(["stamp", str(delivery), "--signer", str(stamped["keys"]), "--output", str(out),
                        "--no-thumbnails", *ORIGINAL_ANCHORS], capsys)
    assert code == 0, err
    _, store = _read(out / COMPLIANT[0], (stamped["keys"] / ROOT_CERT_NAME).read_bytes())
    active = store["manifests"][store["active_manifest"]]
    assert "thumbnail" not in active
    # The ingredient still shows the original's own claim thumbnail, from the original's manifest.
    assert f"/c2pa/{active['ingredients'][0]['active_manifest']}/" in active["ingredients"][0]["thumbnail"]["identifier"]
    _, with_thumbnails = _read(stamped["out"] / COMPLIANT[0], (stamped["keys"] / ROOT_CERT_NAME).read_bytes())
    assert "thumbnail" in with_thumbnails["manifests"][with_thumbnails["active_manifest"]]
