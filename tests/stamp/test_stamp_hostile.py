"""`provenance stamp` against hostile paths: links into the delivery, long names, odd names."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT
from conftest import copy_sample as sample
from conftest import run_cli as run

from provenance import TrustConfig, UsageError, audit
from provenance._x509 import StudioSigner, create_identity, load_signer
from provenance.stamp import MAX_SIGNABLE_DEPTH, check_output_folder, stamp_delivery

COMPLIANT = "01-capture-edited.jpg"
ANCHORS = ["--trust-anchors", str(TEST_ROOT), "--no-trust-store"]


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("studio") / "keys"
    create_identity(folder, organization="Atelier Hostile")
    return folder


@pytest.fixture(scope="module")
def signer(keys: Path) -> StudioSigner:
    return load_signer(keys)


@pytest.fixture(autouse=True)
def _no_passphrase(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PROVENANCE_KEY_PASSPHRASE", raising=False)
    yield


def _report(folder: Path):  # type: ignore[no-untyped-def]
    return audit(folder, trust=TrustConfig.from_pem_files([TEST_ROOT]), at=datetime.now(UTC))


def test_an_output_reached_through_a_link_into_the_delivery_is_refused(
        keys: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    (tmp_path / "door").symlink_to(delivery)  # door/stamped is delivery/stamped
    code, _, err = run(["stamp", str(delivery), "--signer", str(keys), "--output", str(tmp_path / "door" / "stamped"),
                        *ANCHORS], capsys)
    assert code == 2 and "inside the delivery" in err
    assert sorted(p.name for p in delivery.iterdir()) == [COMPLIANT]


def test_a_delivery_given_through_a_link_still_protects_its_folder(tmp_path: Path) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    (tmp_path / "alias").symlink_to(delivery)
    with pytest.raises(UsageError, match="inside the delivery"):
        check_output_folder(delivery / "stamped", tmp_path / "alias")


def test_names_up_to_the_file_system_limit_are_stamped(signer: StudioSigner, tmp_path: Path) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    longest = "L" * 251 + ".jpg"  # 255 bytes: the longest name ext4 and most file systems allow
    (delivery / COMPLIANT).rename(delivery / longest)
    out = tmp_path / ("O" * 250)
    result = stamp_delivery(_report(delivery), signer=signer, output=out, root=delivery)
    assert [f.name for f in result.files] == [longest]
    assert sorted(p.name for p in out.iterdir()) == [longest]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["O" * 250, "delivery"]  # no staging left behind


@pytest.mark.parametrize("name", ["-", "--x.jpg", "new\nline.jpg", "bidi\u202egpj.exe.jpg", " lead.jpg"])
def test_odd_names_keep_their_exact_name(signer: StudioSigner, tmp_path: Path, name: str) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    (delivery / COMPLIANT).rename(delivery / name)
    result = stamp_delivery(_report(delivery), signer=signer, output=tmp_path / "out", root=delivery)
    assert [p.name for p in (tmp_path / "out").iterdir()] == [name]
    assert result.files[0].name == name


def test_wrong_types_are_type_errors_that_say_what_to_pass(signer: StudioSigner, tmp_path: Path) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    report = _report(delivery)
    with pytest.raises(TypeError, match="takes the AuditReport"):
        stamp_delivery(report.to_dict(), signer=signer, output=tmp_path / "out", root=delivery)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes a StudioSigner"):
        stamp_delivery(report, signer=tmp_path, output=tmp_path / "out", root=delivery)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="constraints_info must be a str"):
        stamp_delivery(report, signer=signer, output=tmp_path / "out", root=delivery,
                       constraints_info=42)  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delivery"]


def test_a_chain_too_deep_for_c2pa_rs_is_refused_before_signing(signer: StudioSigner, tmp_path: Path) -> None:
    # A real one takes minutes to build (fixtures/make_hostile.py --depth 199; c2pa-rs then fails with
    # "ingredient chain depth (200) exceeds maximum (200)"): the audited chain is deepened instead.
    delivery = sample(tmp_path, COMPLIANT)
    report = _report(delivery)
    image = report.images[0]
    deepest = dataclasses.replace(image.chain[-1], depth=MAX_SIGNABLE_DEPTH + 1)
    deep = dataclasses.replace(report, images=(dataclasses.replace(image, chain=(*image.chain, deepest)),))
    with pytest.raises(UsageError, match=f"deeper than {MAX_SIGNABLE_DEPTH}.*depth {MAX_SIGNABLE_DEPTH + 1}"):
        stamp_delivery(deep, signer=signer, output=tmp_path / "out", root=delivery)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delivery"]
    at_limit = dataclasses.replace(image.chain[-1], depth=MAX_SIGNABLE_DEPTH)
    ok = dataclasses.replace(report, images=(dataclasses.replace(image, chain=(*image.chain, at_limit)),))
    assert len(stamp_delivery(ok, signer=signer, output=tmp_path / "out", root=delivery).files) == 1


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_signing_leaves_nothing(keys: Path, tmp_path: Path, number: int) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    for index in range(30):
        shutil.copy(delivery / COMPLIANT, delivery / f"copy-{index:02d}.jpg")
    out = tmp_path / "out"
    env = {**os.environ, "PROVENANCE_TRUST_STORE": str(tmp_path / "store")}
    env.pop("PROVENANCE_KEY_PASSPHRASE", None)
    process = subprocess.Popen([sys.executable, "-c", "import sys; from provenance._cli import main; sys.exit(main())", "stamp", str(delivery), "--signer", str(keys),
                                "--output", str(out), *ANCHORS], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.*.partial")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "stamping ended before it could be interrupted"
    process.send_signal(number)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 4 and "stamping was interrupted: nothing written" in err, err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # the staging folder was removed


def test_an_empty_mount_point_is_refused_before_the_audit(keys: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # An empty drive mounted at OUT: the copies, assembled beside OUT, cannot be renamed over a mount point
    # (EBUSY after every image was signed). Mounting needs privileges, so os.path.ismount answers for it.
    delivery = sample(tmp_path, COMPLIANT)
    drive = tmp_path / "drive"
    drive.mkdir()
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == drive or real_ismount(path))
    code, out, err = run(["stamp", str(delivery), "--signer", str(keys), "--output", str(drive), *ANCHORS], capsys)
    assert code == 2 and "is a mount point: give a new folder inside it" in err
    assert out == ""  # refused before the audit
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delivery", "drive"]


def test_an_existing_empty_output_folder_keeps_its_permissions(signer: StudioSigner, tmp_path: Path) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    os.chmod(private, 0o700)
    stamp_delivery(_report(delivery), signer=signer, output=private, root=delivery)
    assert stat.S_IMODE(private.stat().st_mode) == 0o700  # was widened to 0755 by the rename
    assert [p.name for p in private.iterdir()] == [COMPLIANT]


def test_a_new_output_folder_follows_the_umask(signer: StudioSigner, tmp_path: Path) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    previous = os.umask(0o077)
    try:
        stamp_delivery(_report(delivery), signer=signer, output=tmp_path / "out", root=delivery)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700


def test_stamp_bytes_refuses_wrong_types_before_c2pa(signer: StudioSigner) -> None:
    from provenance.stamp import stamp_bytes

    data = (SAMPLE_DELIVERY / COMPLIANT).read_bytes()
    for kwargs, needle in (({"data": data.decode("latin-1")}, "image as bytes"),
                           ({"media_type": None}, r"media_type=\) must be a str"),
                           ({"signer": None}, "takes a StudioSigner"),
                           ({"record": [("verdict", "compliant")]}, "takes a mapping")):
        arguments = {"data": data, "media_type": "image/jpeg", "signer": signer, "record": {}, **kwargs}
        with pytest.raises(TypeError, match=needle):
            stamp_bytes(arguments.pop("data"), arguments.pop("media_type"), title="x.jpg", **arguments)


def test_an_output_under_a_file_is_a_usage_error_before_the_audit(keys: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    code, out, err = run(["stamp", str(delivery), "--signer", str(keys), "--output",
                          str(tmp_path / "notes.txt" / "stamped"), *ANCHORS], capsys)
    assert code == 2 and "notes.txt is not a folder" in err  # was exit 4 after the whole audit
    assert out == ""


def test_the_current_folder_as_output_is_refused_before_the_audit(keys: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    delivery = sample(tmp_path, COMPLIANT)
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    code, out, err = run(["stamp", str(delivery), "--signer", str(keys), "--output", ".", *ANCHORS], capsys)
    assert code == 2 and "is the current folder" in err  # was exit 4 after signing every image
    assert out == "" and list(empty.iterdir()) == []
