"""`provenance audit`: exit codes, JSON schema, folder walks and bad input.

Uses only the project's own fixtures (fixtures/sample-delivery, fixtures/pki).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE_DELIVERY, TEST_ROOT, fixture_script
from conftest import copy_sample as sample
from conftest import run_cli as run
from PIL import Image

from provenance import audit

ROOT = ["--trust-anchors", str(TEST_ROOT)]




def test_sample_delivery_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["audit", str(SAMPLE_DELIVERY), *ROOT, "--format", "json"], capsys)
    assert code == 1  # the sample holds a generative fill
    report = json.loads(out)
    assert report["schema"] == "provenance.audit-report/v1"
    by_name = {Path(image["path"]).name: image for image in report["images"]}
    assert by_name["01-capture-edited.jpg"]["status"] == "compliant"
    assert by_name["01-capture-edited.jpg"]["validation_state"] == "Trusted"
    assert by_name["03-generative-fill.jpg"]["status"] == "non_compliant"
    assert by_name["03-generative-fill.jpg"]["reasons"] == ["generative_ai"]
    assert by_name["04-no-credentials.jpg"]["reasons"] == ["no_credentials"]
    assert by_name["05-tampered.jpg"]["reasons"] == ["credentials_invalid"]
    assert by_name["06-vendor-action.jpg"]["reasons"] == ["review_required"]
    for image in report["images"]:
        assert {"path", "sha256", "media_type", "status", "reasons", "findings"} <= set(image)
        assert image["sha256"] == hashlib.sha256(Path(image["path"]).read_bytes()).hexdigest()
    generative = [f for f in by_name["03-generative-fill.jpg"]["findings"] if f.get("decision") == "forbidden"]
    assert generative and all(f["location"]["assertion"] == "c2pa.actions.v2" for f in generative)
    assert [s["path"] for s in report["skipped"]] == [str(SAMPLE_DELIVERY / "README.md")]
    assert report["summary"] == {"images": 6, "compliant": 2, "non_compliant": 1, "indeterminate": 3, "skipped": 1}


def test_exit_0_when_all_compliant(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample(tmp_path, "01-capture-edited.jpg", "02-capture-straightened.jpg")
    code, out, _ = run(["audit", str(folder), *ROOT], capsys)
    assert code == 0
    assert "2 images: 2 compliant" in out


def test_exit_3_when_indeterminate_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample(tmp_path, "01-capture-edited.jpg", "05-tampered.jpg")
    code, out, _ = run(["audit", str(folder), *ROOT], capsys)
    assert code == 3
    assert "INDETERMINATE" in out and "assertion.dataHash.mismatch" in out


def test_without_anchors_nothing_is_trusted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample(tmp_path, "01-capture-edited.jpg")
    code, out, _ = run(["audit", str(folder), "--no-trust-store"], capsys)
    assert code == 3
    assert "credentials_untrusted" in out
    assert "nothing is trusted" in out


def test_output_file_is_written_and_summary_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    code, out, err = run(["audit", str(SAMPLE_DELIVERY), *ROOT, "--format", "json", "--output", str(target)], capsys)
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["summary"]["images"] == 6
    assert f"wrote {target}" in err


def test_unwritable_output_is_exit_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["audit", str(SAMPLE_DELIVERY), *ROOT, "--output", str(tmp_path / "no" / "such" / "r.txt")],
                       capsys)
    assert code == 4
    assert "cannot write" in err and "Traceback" not in err


@pytest.mark.parametrize(("args", "message"), [
    (["audit", "/no/such/folder"], "no such file or folder"),
    (["audit", str(SAMPLE_DELIVERY), "--format", "xml"], "Invalid value for '--format'"),
    (["audit"], "Missing argument"),
    (["audit", str(SAMPLE_DELIVERY), "--bogus"], "No such option"),
])
def test_usage_errors_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert message in err


def test_invalid_policy_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "studio.toml"
    policy.write_text('[policy]\nid = "s"\nversion = "1"\n')
    code, _, err = run(["audit", str(SAMPLE_DELIVERY), "--policy", str(policy)], capsys)
    assert code == 2 and "missing required key 'default'" in err


@pytest.mark.parametrize("content", [b"", b"not a certificate\n"])
def test_invalid_pem_exit_2(tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    pem = tmp_path / "anchors.pem"
    pem.write_bytes(content)
    code, _, err = run(["audit", str(SAMPLE_DELIVERY), "--trust-anchors", str(pem)], capsys)
    assert code == 2 and "anchors.pem" in err


def test_missing_pem_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["audit", str(SAMPLE_DELIVERY), "--trust-anchors", str(tmp_path / "none.pem")], capsys)
    assert code == 2 and "cannot read trust anchors" in err


def test_internal_error_exit_4_without_traceback(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import provenance._cli.audit as command

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(command, "iter_verdicts", broken)
    code, _, err = run(["audit", str(SAMPLE_DELIVERY), *ROOT], capsys)
    assert code == 4 and "internal error: RuntimeError: boom" in err and "Traceback" not in err
    code, _, err = run(["--debug", "audit", str(SAMPLE_DELIVERY), *ROOT], capsys)
    assert code == 4 and "Traceback" in err


# --- Bad input: never a crash, a hang, a silent pass or a changed file -------------------------

def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 10))
            + chunk(b"IEND", b""))


def bad_inputs(folder: Path) -> dict[str, str]:
    """Write hostile files; return name -> the words its message must contain."""
    good = (SAMPLE_DELIVERY / "01-capture-edited.jpg").read_bytes()
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "truncated.jpg").write_bytes(good[: len(good) // 2])
    (folder / "text.jpg").write_bytes(b"hello, I am not a picture\n" * 10)
    (folder / "bitmap.bmp").write_bytes(b"BM" + b"\x00" * 60)
    (folder / "garbage.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    png = io.BytesIO()
    Image.effect_noise((64, 64), 40).save(png, "PNG")
    (folder / "truncated.png").write_bytes(png.getvalue()[: len(png.getvalue()) // 2])
    (folder / "bomb.png").write_bytes(_png_declaring(100_000, 100_000))
    return {
        "empty.jpg": "empty",
        "truncated.jpg": "truncated",
        "text.jpg": "not an image",
        "bitmap.bmp": "unsupported format",
        "garbage.png": "does not decode",
        "truncated.png": "truncated",
        "bomb.png": "more pixels than it is safe to decode",
    }


def test_bad_inputs_are_unreadable_with_a_message(tmp_path: Path) -> None:
    expected = bad_inputs(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    report = audit([tmp_path])
    got = {Path(image.path).name: image for image in report.images}
    assert set(got) == set(expected)
    for name, words in expected.items():
        image = got[name]
        assert image.status.value == "indeterminate" and [r.value for r in image.reasons] == ["unreadable"], name
        assert image.error is not None and words in image.error, (name, image.error)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # inputs untouched


def test_symlink_loop_and_fifo_do_not_hang(tmp_path: Path) -> None:
    shutil.copy(SAMPLE_DELIVERY / "01-capture-edited.jpg", tmp_path / "a.jpg")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    os.symlink(tmp_path / "missing.jpg", tmp_path / "dangling.jpg")
    os.mkfifo(tmp_path / "pipe.jpg")
    report = audit([tmp_path])
    names = {Path(image.path).name: image for image in report.images}
    assert names["a.jpg"].sha256 is not None
    assert names["pipe.jpg"].error is not None and "not a regular file" in names["pipe.jpg"].error
    skipped = {Path(s.path).name: s.why for s in report.skipped}
    assert "not followed" in skipped["loop"]
    # A broken link with an image name is a missing image, not something to skip.
    assert names["dangling.jpg"].error is not None and "broken link" in names["dangling.jpg"].error


def test_unlistable_folder_is_reported_not_passed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder the walk cannot list may hide a generative image: the audit must not pass."""
    shutil.copy(SAMPLE_DELIVERY / "01-capture-edited.jpg", tmp_path / "a.jpg")
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    shutil.copy(SAMPLE_DELIVERY / "03-generative-fill.jpg", hidden / "b.jpg")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = audit([tmp_path])
    entry = {Path(i.path).name: i for i in report.images}["hidden"]
    assert [r.value for r in entry.reasons] == ["unreadable"]
    assert entry.error is not None and "cannot be read" in entry.error and "not audited" in entry.error


def test_output_over_an_input_image_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = sample(tmp_path, "01-capture-edited.jpg")
    image = folder / "01-capture-edited.jpg"
    before = image.read_bytes()
    code, _, err = run(["audit", str(folder), *ROOT, "--output", str(image)], capsys)
    assert code == 2 and "over an input file" in err
    assert image.read_bytes() == before


@pytest.mark.parametrize(("target", "exit_code", "message"), [
    ("/dev/null", 2, "not a regular file"),
    ("a-link", 2, "not a regular file"),
    ("a-folder", 2, "is a directory"),
])
def test_output_is_never_renamed_over_a_device_folder_or_link(tmp_path: Path, target: str, exit_code: int,
                                                              message: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "real.txt").write_text("keep")
    os.symlink(tmp_path / "real.txt", tmp_path / "a-link")
    path = target if target.startswith("/") else str(tmp_path / target)
    code, _, err = run(["audit", str(SAMPLE_DELIVERY / "01-capture-edited.jpg"), *ROOT, "--output", path], capsys)
    assert code == exit_code and message in err
    assert Path("/dev/null").is_char_device()
    assert (tmp_path / "a-link").is_symlink() and (tmp_path / "real.txt").read_text() == "keep"


def test_undecodable_file_names_give_valid_utf8_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"caf\xe9.jpg")
    shutil.copy(SAMPLE_DELIVERY / "01-capture-edited.jpg", tmp_path / name)
    shutil.copy(SAMPLE_DELIVERY / "01-capture-edited.jpg", tmp_path / "line\nbreak.jpg")
    code, out, _ = run(["audit", str(tmp_path), *ROOT, "--format", "json"], capsys)
    paths = sorted(Path(i["path"]).name for i in json.loads(out.encode("utf-8"))["images"])
    assert paths == ["caf\\xe9.jpg", "line\nbreak.jpg"]
    target = tmp_path / "report.txt"
    code, _, _ = run(["audit", str(tmp_path), *ROOT, "--output", str(target)], capsys)
    text = target.read_text(encoding="utf-8")
    assert code == 0 and "caf\\xe9.jpg" in text and "line\\nbreak.jpg" in text


def test_named_non_image_is_audited_but_folder_walk_skips_it(tmp_path: Path) -> None:
    note = tmp_path / "notes.txt"
    note.write_text("delivery notes")
    named = audit([note])
    assert [r.value for r in named.images[0].reasons] == ["unreadable"]
    walked = audit([tmp_path])
    assert walked.images == () and [s.why for s in walked.skipped] == ["not an image"]


def test_file_named_on_command_line_twice_is_audited_once() -> None:
    image = SAMPLE_DELIVERY / "01-capture-edited.jpg"
    assert len(audit([image, image]).images) == 1


# --- The sample delivery is reproducible by the project's own script ---------------------------

def test_fixture_script_reproduces_the_same_verdicts(tmp_path: Path, test_trust) -> None:  # type: ignore[no-untyped-def]
    """C2PA signing is not byte-deterministic: compare verdicts, not bytes."""
    module = fixture_script("make_fixtures")
    shutil.copytree(FIXTURES / "pki", tmp_path / "pki")
    module.build(tmp_path)
    committed = audit([SAMPLE_DELIVERY], trust=test_trust)
    rebuilt = audit([tmp_path / "sample-delivery"], trust=test_trust)

    def verdicts(report):  # type: ignore[no-untyped-def]
        return {Path(i.path).name: (i.status, i.reasons) for i in report.images}

    assert verdicts(rebuilt) == verdicts(committed)
    assert len(verdicts(committed)) == 6


def test_library_accepts_one_path_as_a_string() -> None:
    report = audit(str(SAMPLE_DELIVERY / "01-capture-edited.jpg"))
    assert len(report.images) == 1


def test_library_refuses_a_naive_evaluation_time() -> None:
    from datetime import datetime

    from provenance import UsageError

    with pytest.raises(UsageError, match="timezone-aware"):
        audit([SAMPLE_DELIVERY / "01-capture-edited.jpg"], at=datetime(2026, 1, 1))


def test_audit_never_writes_over_its_policy_or_anchors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(TEST_ROOT.read_bytes())
    code, _, err = run(["audit", str(SAMPLE_DELIVERY / "01-capture-edited.jpg"), "--trust-anchors", str(anchors),
                        "-o", str(anchors)], capsys)
    assert code == 2 and "over an input file" in err
    assert anchors.read_bytes() == TEST_ROOT.read_bytes()


def test_a_pipe_given_as_policy_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "policy.toml"
    os.mkfifo(pipe)
    code, _, err = run(["audit", str(SAMPLE_DELIVERY), "--policy", str(pipe)], capsys)
    assert code == 2 and "not a regular file" in err
