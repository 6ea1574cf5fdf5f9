"""Strict verification (issue 9, item 6; the certificate contract in docs/certificate.md).

A certificate covers every regular file under the delivery root; verify fails on any
file it does not cover, whatever the file's name or format, and refuses an
evaluation time that is not RFC 3339 UTC or lies in the future.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT, copy_sample, run_cli

import provenance
from provenance import Certificate, KeyAlgorithm, SigningKey, TrustConfig, UsageError, issue_certificate
from provenance.certificate import PAYLOAD_TYPE, CheckStatus, EnvelopeSignature, serialize_statement, verify_certificate

AT = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
COMPLIANT = ("01-capture-edited.jpg", "02-capture-straightened.jpg")

# Minimal files in formats the audit walk does not sniff as images (issue 9: "not checked: not an image").
UNSNIFFED = {
    "extra.jp2": b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00\x00\x00\x14ftypjp2 \x00\x00\x00\x00jp2 ",
    "extra.tga": bytes([0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 24, 0]) + b"\x00\x00\xff",
    "extra.qoi": b"qoif" + (1).to_bytes(4, "big") * 2 + bytes([3, 0]) + b"\xfe\xff\x00\x00" + bytes(7) + b"\x01",
    "extra.pdf": b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
}


@pytest.fixture(scope="module")
def trust() -> TrustConfig:
    return TrustConfig.from_pem_files([TEST_ROOT])


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate(KeyAlgorithm.ED25519)


@pytest.fixture()
def delivery(tmp_path: Path) -> Path:
    return copy_sample(tmp_path, *COMPLIANT)


def _certify(delivery: Path, key: SigningKey, trust: TrustConfig, **options) -> Certificate:
    report = provenance.audit([delivery], trust=trust, at=AT)
    return issue_certificate(report, key, root=delivery, **options)


def _verify(certificate: Certificate | str, delivery: Path | list[Path], key: SigningKey, **options):
    text = certificate.to_json() if isinstance(certificate, Certificate) else certificate
    return verify_certificate(text, delivery, key=key.public_key, **options)


def _failed(result) -> dict[str, str]:
    return {check.name: str(check.code) for check in result.checks if check.status is CheckStatus.FAILED}


def _resigned(statement: dict, key: SigningKey) -> str:
    unsigned = Certificate(serialize_statement(statement), PAYLOAD_TYPE, ())
    return replace(unsigned, signatures=(EnvelopeSignature(key.key_id, key.sign(unsigned.pae())),)).to_json()


# --------------------------------------------------------------------------------------
# What certify covers
# --------------------------------------------------------------------------------------


def test_other_files_are_covered_by_digest_and_never_audited(delivery, key, trust) -> None:
    (delivery / "README.txt").write_text("delivery notes")
    (delivery / "sub").mkdir()
    (delivery / "sub" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    certificate = _certify(delivery, key, trust)
    statement = certificate.statement()
    predicate = statement["predicate"]
    assert [s["name"] for s in statement["subject"]] == [*COMPLIANT, "README.txt", "sub/.DS_Store"]
    assert [i["name"] for i in predicate["images"]] == list(COMPLIANT)
    readme = (delivery / "README.txt").read_bytes()
    assert predicate["files"] == [
        {"name": "README.txt", "sha256": hashlib.sha256(readme).hexdigest(), "size": len(readme), "audited": False},
        {"name": "sub/.DS_Store", "sha256": hashlib.sha256(b"\x00\x00\x00\x01Bud1").hexdigest(), "size": 8,
         "audited": False},
    ]
    assert predicate["ignore"] == []
    result = _verify(certificate, delivery, key)
    assert result.ok, result.failures()
    assert [r.name for r in result.verified] == [*COMPLIANT, "README.txt", "sub/.DS_Store"]


def test_a_covered_file_that_changed_or_went_missing_fails(delivery, key, trust) -> None:
    (delivery / "README.txt").write_text("delivery notes")
    (delivery / "notes.md").write_text("more")
    certificate = _certify(delivery, key, trust)
    (delivery / "README.txt").write_text("delivery notes, edited")
    (delivery / "notes.md").unlink()
    result = _verify(certificate, delivery, key)
    assert [r.name for r in result.modified] == ["README.txt"] and [r.name for r in result.missing] == ["notes.md"]
    assert not result.ok


def test_ignore_globs_are_recorded_and_honoured_by_verify(delivery, key, trust) -> None:
    (delivery / "a.tmp").write_text("scratch")
    (delivery / "raw").mkdir()
    (delivery / "raw" / "b.dat").write_text("raw")
    certificate = _certify(delivery, key, trust, ignore=["*.tmp", "raw/**", "*.tmp"])
    predicate = certificate.statement()["predicate"]
    assert predicate["ignore"] == ["*.tmp", "raw/**"]  # in the order given, duplicates removed
    assert predicate["files"] == []
    (delivery / "later.tmp").write_text("added after certification, still ignored")
    (delivery / "raw" / "c.dat").write_text("also ignored")
    result = _verify(certificate, delivery, key)
    assert result.ok, result.failures()
    assert sorted(Path(s.path).name for s in result.skipped) == ["a.tmp", "b.dat", "c.dat", "later.tmp"]
    assert all(s.why.startswith("ignored: matches the certificate's ignore glob") for s in result.skipped)
    (delivery / "other.dat").write_text("not ignored")
    assert [r.name for r in _verify(certificate, delivery, key).not_certified] == ["other.dat"]


def test_the_certificate_file_under_the_root_is_left_out(delivery, key, trust) -> None:
    target = delivery / "delivery.cert.json"
    target.write_text("an older certificate")
    certificate = _certify(delivery, key, trust, output=target)
    assert [s["name"] for s in certificate.statement()["subject"]] == list(COMPLIANT)
    target.write_text(certificate.to_json())
    result = verify_certificate(target, delivery, key=key.public_key)
    assert result.ok, result.failures()


@pytest.mark.parametrize("name", sorted(UNSNIFFED))
def test_an_uncovered_file_in_a_format_the_walk_does_not_sniff_fails(delivery, key, trust, name) -> None:
    certificate = _certify(delivery, key, trust)
    (delivery / name).write_bytes(UNSNIFFED[name])
    result = _verify(certificate, delivery, key)
    assert not result.ok
    assert [(r.name, r.state.value) for r in result.files if not r.ok] == [(name, "not_certified")]
    assert "not checked" not in result.to_text()


def test_cli_verify_exits_1_on_uncovered_files_next_to_certified_jpegs(delivery, key, trust, tmp_path,
                                                                      capsys) -> None:
    certificate = tmp_path / "delivery.cert.json"
    certificate.write_text(_certify(delivery, key, trust).to_json())
    public = tmp_path / "studio.pub"
    public.write_bytes(key.public_key.pem())
    for name, data in UNSNIFFED.items():
        (delivery / name).write_bytes(data)
    code, out, _ = run_cli(["verify", str(certificate), str(delivery), "--key", str(public)], capsys)
    assert code == 1
    for name in UNSNIFFED:
        assert f"NOT CERTIFIED  {name}: the certificate does not cover this file" in out
    assert "FAILED: 4 not certified." in out


def test_certify_refuses_what_it_cannot_cover(delivery, key, trust) -> None:
    report = provenance.audit([delivery / COMPLIANT[0]], trust=trust, at=AT)
    with pytest.raises(UsageError, match=f"{COMPLIANT[1]} is an image under the delivery root that the audit "
                                         "did not cover"):
        issue_certificate(report, key, root=delivery)
    with pytest.raises(UsageError, match=f"{COMPLIANT[1]} is an image under the delivery root and --ignore "
                                         f"'{COMPLIANT[1]}' matches it: an ignore glob never leaves out an image"):
        issue_certificate(report, key, root=delivery, ignore=COMPLIANT[1])  # one string is one glob
    with pytest.raises(UsageError, match="an --ignore pattern is empty"):
        _certify(delivery, key, trust, ignore=[""])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_certify_refuses_a_named_pipe_unless_ignored(delivery, key, trust) -> None:
    os.mkfifo(delivery / "pipe")
    with pytest.raises(UsageError, match=r"cannot certify pipe: it is not a regular file \(a named pipe\)"):
        _certify(delivery, key, trust)
    assert _certify(delivery, key, trust, ignore=["pipe"]).statement()["predicate"]["files"] == []


def test_cli_certify_ignore(delivery, key, trust, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("PROVENANCE_KEY_PASSPHRASE", raising=False)
    private = tmp_path / "studio.key"
    private.write_bytes(key.private_pem())
    (delivery / "a.tmp").write_text("scratch")
    (delivery / "README.txt").write_text("notes")
    certificate = delivery / "delivery.cert.json"  # under the root: left out automatically
    args = ["certify", str(delivery), "--key", str(private), "-o", str(certificate), "--trust-anchors", str(TEST_ROOT)]
    code, _, err = run_cli([*args, "--ignore", "*.tmp"], capsys)
    assert code == 0, err
    assert "certified 2 images and 1 other file(s) by digest" in err
    predicate = Certificate.from_json(certificate.read_bytes()).statement()["predicate"]
    assert predicate["ignore"] == ["*.tmp"] and [f["name"] for f in predicate["files"]] == ["README.txt"]
    public = tmp_path / "studio.pub"
    public.write_bytes(key.public_key.pem())
    assert run_cli(["verify", str(certificate), str(delivery), "--key", str(public)], capsys)[0] == 0
    code, _, err = run_cli([*args, "--ignore", ""], capsys)
    assert code == 2 and "an --ignore pattern is empty" in err


# --------------------------------------------------------------------------------------
# The predicate: files, ignore, evaluatedAt
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["not-a-date", "2099-01-01T00:00:00Z"])
def test_an_evaluation_time_that_is_not_a_date_or_in_the_future_fails(delivery, key, trust, value) -> None:
    statement = _certify(delivery, key, trust).statement()
    statement["predicate"]["evaluatedAt"] = value
    result = _verify(_resigned(statement, key), delivery, key, at=AT)
    assert _failed(result) == {"predicate": "predicate.time_invalid"}
    assert not result.ok and result.files == ()


@pytest.mark.parametrize(("value", "valid"), [
    ("2026-03-01T12:00:00Z", True), ("2026-03-01T12:00:00.5Z", True), ("2026-03-01T12:00:00.123456789Z", True),
    ("2026-03-01T12:04:59Z", True), ("2026-03-01T12:05:00Z", True), ("2026-03-01T12:05:01Z", False),
    ("2026-03-01T12:00:00.1234567890Z", False), ("2026-03-01T12:00:00+00:00", False),
    ("2026-03-01T12:00:00z", False), ("2026-03-01 12:00:00Z", False), ("2026-03-01T12:00Z", False),
    ("2026-13-01T00:00:00Z", False), ("2026-02-30T00:00:00Z", False), ("2016-12-31T23:59:60Z", False),
    ("2026-03-01T24:00:00Z", False), ("0000-01-01T00:00:00Z", False), ("２０２６-03-01T12:00:00Z", False),
    (1772366400, False), (None, False),
])
def test_evaluation_time_format(delivery, key, trust, value, valid) -> None:
    statement = _certify(delivery, key, trust).statement()
    statement["predicate"]["evaluatedAt"] = value
    result = _verify(_resigned(statement, key), delivery, key, at=AT)
    assert result.ok is valid, result.failures()
    if not valid:
        assert _failed(result)["predicate"] in ("predicate.time_invalid", "predicate.malformed")


def test_cli_verify_refuses_a_future_evaluation_time(delivery, key, trust, tmp_path, capsys) -> None:
    statement = _certify(delivery, key, trust).statement()
    statement["predicate"]["evaluatedAt"] = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    certificate = tmp_path / "c.json"
    certificate.write_text(_resigned(statement, key))
    public = tmp_path / "studio.pub"
    public.write_bytes(key.public_key.pem())
    code, out, _ = run_cli(["verify", str(certificate), str(delivery), "--key", str(public), "--format", "json"],
                           capsys)
    assert code == 1
    (check,) = [c for c in json.loads(out)["checks"] if c["name"] == "predicate"]
    assert check["code"] == "predicate.time_invalid" and "is in the future" in check["message"]


def _with_readme(delivery, key, trust) -> dict:
    (delivery / "README.txt").write_text("notes")
    return _certify(delivery, key, trust).statement()


@pytest.mark.parametrize(("change", "code"), [
    (lambda p: p.update(ignore="*.tmp"), "predicate.malformed"),
    (lambda p: p.update(ignore=[""]), "predicate.malformed"),
    (lambda p: p.update(ignore=[3]), "predicate.malformed"),
    (lambda p: p.update(files={}), "predicate.malformed"),
    (lambda p: p["files"][0].update(audited=True), "predicate.malformed"),
    (lambda p: p["files"][0].update(size=-1), "predicate.malformed"),
    (lambda p: p["files"][0].update(size=True), "predicate.malformed"),
    (lambda p: p["files"][0].update(sha256="00"), "predicate.malformed"),
    (lambda p: p["files"][0].pop("audited"), "predicate.malformed"),
    (lambda p: p["files"][0].update(sha256="0" * 64), "predicate.inconsistent"),
    (lambda p: p.update(files=[]), "predicate.inconsistent"),
    (lambda p: p["files"].append(dict(p["files"][0])), "predicate.inconsistent"),
    (lambda p: p["files"].append({**p["files"][0], "name": "other.txt"}), "predicate.inconsistent"),
    (lambda p: p["files"].append({"name": COMPLIANT[0], "sha256": p["images"][0]["sha256"], "size": 1,
                                  "audited": False}), "predicate.inconsistent"),
])
def test_a_malformed_or_inconsistent_predicate_fails(delivery, key, trust, change, code) -> None:
    statement = _with_readme(delivery, key, trust)
    change(statement["predicate"])
    result = _verify(_resigned(statement, key), delivery, key)
    assert _failed(result) == {"predicate": code}


def test_a_certificate_without_files_or_ignore_still_verifies(delivery, key, trust) -> None:
    """Certificates issued before ``files`` and ``ignore`` existed: both absent means none."""
    statement = _certify(delivery, key, trust).statement()
    del statement["predicate"]["files"], statement["predicate"]["ignore"]
    assert _verify(_resigned(statement, key), delivery, key).ok


# --------------------------------------------------------------------------------------
# --partial
# --------------------------------------------------------------------------------------


def test_partial_reports_files_not_given_as_not_given(delivery, key, trust) -> None:
    certificate = _certify(delivery, key, trust)
    one = [delivery / COMPLIANT[0]]
    strict = _verify(certificate, one, key, root=delivery)
    assert [r.name for r in strict.missing] == [COMPLIANT[1]] and not strict.ok
    partial = _verify(certificate, one, key, root=delivery, partial=True)
    assert partial.ok, partial.failures()
    assert [(r.name, r.state.value) for r in partial.not_given] == [(COMPLIANT[1], "not_given")]
    assert partial.to_dict()["summary"]["not_given"] == 1 and partial.to_dict()["summary"]["missing"] == 0
    assert "1 certified file(s) not given (--partial)" in partial.to_text()
    (delivery / "x.txt").write_text("not certified")
    assert not _verify(certificate, [*one, delivery / "x.txt"], key, root=delivery, partial=True).ok


def test_partial_with_nothing_verified_fails(delivery, key, trust) -> None:
    (delivery / "a.tmp").write_text("scratch")
    certificate = _certify(delivery, key, trust, ignore=["*.tmp"])
    result = _verify(certificate, [delivery / "a.tmp"], key, root=delivery, partial=True)
    assert not result.ok and len(result.not_given) == 2
    assert result.failures() == ("no certified file was given (--partial): at least one must be given and verify",)
    with pytest.raises(provenance.CertificateError, match="no certified file was given"):
        result.raise_for_status()


def test_cli_verify_partial_given_no_certified_file_says_why(delivery, key, trust, tmp_path, capsys) -> None:
    """It printed "FAILED: ." (exit 1, but no reason)."""
    certificate = tmp_path / "c.json"
    certificate.write_text(_certify(delivery, key, trust).to_json())
    public = tmp_path / "studio.pub"
    public.write_bytes(key.public_key.pem())
    (tmp_path / "empty").mkdir()
    code, out, _ = run_cli(["verify", str(certificate), str(tmp_path / "empty"), "--root", str(tmp_path),
                            "--partial", "--key", str(public)], capsys)
    assert code == 1
    assert out.rstrip().endswith("FAILED: no certified file was given (--partial): at least one must be given "
                                 "and verify.")


def test_cli_verify_partial(delivery, key, trust, tmp_path, capsys) -> None:
    certificate = tmp_path / "c.json"
    certificate.write_text(_certify(delivery, key, trust).to_json())
    public = tmp_path / "studio.pub"
    public.write_bytes(key.public_key.pem())
    args = ["verify", str(certificate), str(delivery / COMPLIANT[0]), "--root", str(delivery), "--key", str(public)]
    code, out, _ = run_cli([*args, "--partial"], capsys)
    assert code == 0 and f"NOT GIVEN  {COMPLIANT[1]}: certified, but not among the files given" in out
    code, out, _ = run_cli(args, capsys)
    assert code == 1 and f"MISSING   {COMPLIANT[1]}: certified, but not among the files given" in out


def test_a_folder_outside_the_root_is_a_usage_error(delivery, key, trust, tmp_path) -> None:
    certificate = _certify(delivery, key, trust)
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(UsageError, match="is not under the delivery root"):
        _verify(certificate, [delivery, outside], key, root=delivery)


def test_links_to_folders_are_not_followed_and_broken_links_hold_nothing(delivery, key, trust, tmp_path) -> None:
    certificate = _certify(delivery, key, trust)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "hidden.pdf").write_bytes(UNSNIFFED["extra.pdf"])
    (delivery / "linked").symlink_to(elsewhere, target_is_directory=True)
    (delivery / "broken.jpg").symlink_to(tmp_path / "nowhere.jpg")
    result = _verify(certificate, delivery, key)
    assert result.ok, result.failures()
    assert sorted((Path(s.path).name, s.why) for s in result.skipped) == [
        ("broken.jpg", "broken symbolic link"), ("linked", "symbolic link to a folder (not followed)")]


def test_cli_certify_refuses_an_uncoverable_root_before_auditing(delivery, key, tmp_path, capsys) -> None:
    private = tmp_path / "studio.key"
    private.write_bytes(key.private_pem())
    args = ["certify", str(delivery / COMPLIANT[0]), "--root", str(delivery), "--key", str(private),
            "-o", str(tmp_path / "c.json"), "--trust-anchors", str(TEST_ROOT)]
    code, out, err = run_cli(args, capsys)
    assert (code, out) == (2, "")  # nothing audited, nothing printed on stdout
    assert f"{COMPLIANT[1]} is an image under the delivery root that the audit did not cover" in err
    code, out, err = run_cli([*args, "--ignore", "*.jpg"], capsys)
    assert (code, out) == (2, "")  # an ignore glob never leaves out an image (the verifier would check it)
    assert f"{COMPLIANT[1]} is an image under the delivery root and --ignore '*.jpg' matches it" in err
    assert not (tmp_path / "c.json").exists()


# --------------------------------------------------------------------------------------
# Hand-made certificates: an ignore glob or files[] never lets an image through unaudited
# --------------------------------------------------------------------------------------


def test_an_image_added_under_a_recorded_ignore_glob_is_not_certified(delivery, key, trust) -> None:
    """A signed `ignore: ["*.png"]` once left out a generative-fill image added as `genai.png` (VERIFIED, exit 0)."""
    statement = _certify(delivery, key, trust).statement()
    statement["predicate"]["ignore"] = ["*.png", "extra/**"]
    (delivery / "scratch.png").write_bytes(b"not an image, only named like one")  # a name alone: still an image
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", delivery / "genai.png")
    (delivery / "extra").mkdir()
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", delivery / "extra" / "renamed.dat")  # sniffed
    (delivery / "extra" / "notes.txt").write_text("left out: not an image")
    result = _verify(_resigned(statement, key), delivery, key, at=AT)
    assert not result.ok and _failed(result) == {}
    states = {item.name: item.state.value for item in result.files}
    assert states == {COMPLIANT[0]: "verified", COMPLIANT[1]: "verified", "genai.png": "not_certified",
                      "scratch.png": "not_certified", "extra/renamed.dat": "not_certified"}
    assert [Path(item.path).name for item in result.skipped] == ["notes.txt"]


def test_an_image_listed_in_files_as_not_audited_is_not_certified(delivery, key, trust) -> None:
    """files[] is for files that are not images: an image covered there by digest was never given a verdict."""
    statement = _certify(delivery, key, trust).statement()
    other = delivery / "genai.bin"  # content that sniffs as a JPEG, under a name that is not an image's
    shutil.copyfile(SAMPLE_DELIVERY / "03-generative-fill.jpg", other)
    data = other.read_bytes()
    entry = {"name": "genai.bin", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "audited": False}
    statement["predicate"]["files"] = [entry]
    statement["subject"].append({"name": "genai.bin", "digest": {"sha256": entry["sha256"]}})
    result = _verify(_resigned(statement, key), delivery, key, at=AT)
    assert _failed(result) == {} and not result.ok
    [item] = [item for item in result.files if item.name == "genai.bin"]
    assert item.state.value == "not_certified" and "covers it by digest only" in item.message


def test_a_symbolic_link_loop_is_a_broken_link_for_certify_and_verify(delivery, key, trust) -> None:
    """A link to itself made `DirEntry.is_dir` raise ELOOP: verify and certify ended in an internal error."""
    (delivery / "self").symlink_to("self")
    (delivery / "a").symlink_to("b")
    (delivery / "b").symlink_to("a")
    certificate = _certify(delivery, key, trust)
    assert certificate.statement()["predicate"]["files"] == []
    result = _verify(certificate, delivery, key)
    assert result.ok, result.failures()
    assert sorted((Path(s.path).name, s.why) for s in result.skipped) == [
        ("a", "broken symbolic link"), ("b", "broken symbolic link"), ("self", "broken symbolic link")]


def test_a_policy_file_with_a_bom_gives_certificates_that_verify(delivery, key, trust, tmp_path) -> None:
    """The loader accepts a BOM (Windows editors) but recorded the text without it beside the digest of the
    bytes with it: every certificate made under such a policy failed verify with predicate.policy_digest."""
    from provenance.policy import load_policy

    policy_file = tmp_path / "policy.toml"
    policy_file.write_bytes(b"\xef\xbb\xbf" + (Path(provenance.__file__).parent / "policies" / "charter.toml").read_bytes())
    policy = load_policy(policy_file)
    assert policy.text.encode("utf-8") == policy_file.read_bytes()
    report = provenance.audit([delivery], trust=trust, policy=policy, at=AT)
    certificate = issue_certificate(report, key, root=delivery, policy=policy)
    assert certificate.statement()["predicate"]["policy"]["sha256"] == hashlib.sha256(policy_file.read_bytes()).hexdigest()
    result = _verify(certificate, delivery, key, reaudit=True, trust=trust, at=AT)
    assert result.ok, result.failures()


def test_reaudit_of_a_certificate_whose_policy_nests_too_deeply_reports_it(delivery, key, trust) -> None:
    """verify --reaudit parsed the recorded policy text with tomllib, which raised RecursionError."""
    statement = _certify(delivery, key, trust).statement()
    text = "x = " + "[" * 100_000 + "]" * 100_000 + "\n"
    statement["predicate"]["policy"].update(text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    result = _verify(_resigned(statement, key), delivery, key, reaudit=True, trust=trust, at=AT)
    assert result.integrity_ok and not result.ok
    assert result.reaudit is not None and "nest too deeply" in (result.reaudit.error or "")
