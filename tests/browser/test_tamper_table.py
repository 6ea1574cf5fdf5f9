"""The tamper table (tests/browser/tamper.py) through `provenance verify --format json` and the page.

For every case, both must report exactly the failed checks and file states the table gives.
The page half runs first; the CLI half of a strict case is skipped, with the reason, while the
CLI lacks the strict verification of the certificate contract (docs/certificate.md).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT

import provenance
from browser.tamper import CASES, FIRST, MAX_CERTIFICATE_BYTES, SECOND, STRICT_CLI, STRICT_REASON, Case, World
from provenance import KeyAlgorithm, SigningKey, TrustConfig, issue_certificate
from provenance._cli import main

AT = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The genuine delivery (one image at the top, one in a sub-folder), audited once, and its
    certificates under an Ed25519 and a P-256 key."""
    folder = tmp_path_factory.mktemp("genuine") / "delivery"
    (folder / "day 2").mkdir(parents=True)
    shutil.copyfile(SAMPLE_DELIVERY / FIRST, folder / FIRST)
    shutil.copyfile(SAMPLE_DELIVERY / SECOND.split("/")[-1], folder / SECOND)
    report = provenance.audit([folder], trust=TrustConfig.from_pem_files([TEST_ROOT]), at=AT)
    keys = {"ed25519": SigningKey.generate(KeyAlgorithm.ED25519), "ecdsa-p256": SigningKey.generate(KeyAlgorithm.ECDSA_P256)}
    certificates = {name: issue_certificate(report, key, root=folder).to_json().encode() for name, key in keys.items()}
    return {"folder": folder, "keys": keys, "certificates": certificates}


def _world(case: Case, genuine: dict[str, Any], tmp_path: Path) -> World:
    delivery = tmp_path / "delivery"
    shutil.copytree(genuine["folder"], delivery)
    world = World(folder=tmp_path, delivery=delivery, certificate=genuine["certificates"][case.pinned],
                  keys=genuine["keys"], pinned=case.pinned, files_mode=case.files_mode)
    case.tamper(world)
    return world


def _write_inputs(world: World) -> tuple[Path, Path]:
    """The certificate and the pinned public key as files beside (not in) the delivery."""
    certificate = world.folder / "delivery.cert.json"
    if world.folder.joinpath("too-large").exists():
        with open(certificate, "wb") as handle:  # sparse: costs no disk
            handle.truncate(MAX_CERTIFICATE_BYTES + 4096)
    else:
        certificate.write_bytes(world.certificate)
    key = world.folder / "provenance.pub"
    key.write_bytes(world.key.public_key.pem())
    return certificate, key


def _delivered(world: World) -> list[Path]:
    return sorted(path for path in world.delivery.rglob("*") if path.is_file())


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_page_and_cli_agree(case: Case, genuine: dict[str, Any], tmp_path: Path, verify_page,
                            capsys: pytest.CaptureFixture[str]) -> None:
    world = _world(case, genuine, tmp_path)
    certificate, key = _write_inputs(world)

    if case.files_mode:
        page = verify_page.run(certificate, key, files=_delivered(world))
    else:
        page = verify_page.run(certificate, key, folder=world.delivery)
    assert page.error is None, page.error_message
    assert page.failed == case.failed, page.checks
    assert page.files == case.files
    assert page.status == ("verified" if not case.failed and set(case.files.values()) <= {"verified"} else "failed")

    if case.page_only:
        pytest.skip(f"page only: {case.page_only}")
    if case.strict and not STRICT_CLI:
        pytest.skip(STRICT_REASON)
    if case.files_mode:
        code = main(["verify", "--format", "json", str(certificate), *map(str, _delivered(world)),
                     "--root", str(world.delivery), "--key", str(key)])
    else:
        code = main(["verify", "--format", "json", str(certificate), str(world.delivery), "--key", str(key)])
    report = json.loads(capsys.readouterr().out)
    cli_failed = {check["name"]: check["code"] for check in report["checks"] if check["status"] == "failed"}
    cli_files = {entry["name"]: entry["state"] for entry in report["files"]}
    assert cli_failed == case.failed
    assert cli_files == case.files
    assert code == (0 if page.status == "verified" else 1)


def test_the_table_covers_every_code_the_page_can_report() -> None:
    """Every check code and file state of docs/certificate.md that a browser can meet is in the table."""
    codes = {code for case in CASES for code in case.failed.values()}
    states = {state for case in CASES for state in case.files.values()}
    assert {"certificate.empty", "certificate.too_large", "certificate.binary", "certificate.truncated",
            "certificate.not_json", "certificate.duplicate_key", "envelope.malformed", "envelope.no_signature",
            "envelope.too_many_signatures", "envelope.payload_type", "key.other_key", "key.wrong_id", "key.no_id",
            "signature.invalid", "signature.other_algorithm", "statement.malformed", "statement.type",
            "statement.predicate_type", "subjects.malformed", "subjects.duplicate", "predicate.malformed",
            "predicate.policy_digest", "predicate.inconsistent", "predicate.time_invalid"} <= codes
    assert {"verified", "modified", "renamed", "duplicate_name", "not_certified", "missing"} <= states
    assert {FIRST, SECOND} <= {name for case in CASES for name in case.files}
