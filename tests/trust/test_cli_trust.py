"""`provenance trust update | add | remove | show`, and how audit uses the store.

Every test has its own store in tmp (PROVENANCE_TRUST_STORE); no test touches
the network: lists come from ../shared/fixtures/trust with --from, from
generated files, or from a local HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from conftest import REPO, SHARED, TEST_ROOT
from test_truststore import (  # noqa: F401 - `server` is a fixture
    DOCUMENT_SIGNING,
    body,
    make_pki,
    server,
    sign_jpeg,
    snapshot,
)

from provenance import truststore as ts
from provenance._cli import main
from provenance.trust import C2PA_SIGNER_EKUS

TRUST = SHARED / "fixtures" / "trust"
PUBLIC = SHARED / "fixtures" / "public"

# The corpus-check mapping (../shared/tools/corpus-check): catalog verdict -> (status, any of these reasons).
CATALOG_MAP = {
    "compliant": ("compliant", set()),
    "forbidden-generative": ("non_compliant", {"generative_ai"}),
    "invalid-or-tampered": ("indeterminate", {"credentials_invalid"}),
    "no-credentials": ("indeterminate", {"no_credentials"}),
    "needs-review": ("indeterminate", set()),
}


@pytest.fixture(autouse=True)
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty store; the real one in the home folder is never touched."""
    folder = tmp_path / "trust-store"
    monkeypatch.setenv(ts.ENV_VAR, str(folder))
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def shared(name: str) -> str:
    path = TRUST / name
    if not path.exists():
        pytest.skip(f"../shared is not available ({path} missing)")
    return str(path)


def fill_from_shared(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's done-when set-up: official list, interim list, c2pa-rs test roots pinned."""
    assert run(["trust", "update", "--from", shared("c2pa-trust-list.pem")], capsys)[0] == 0
    assert run(["trust", "update", "--legacy", "--from", shared("interim-trust-list-anchors.pem"),
                "--from", shared("interim-trust-list-allowed.pem"),
                "--from", shared("interim-trust-list-store.cfg")], capsys)[0] == 0
    assert run(["trust", "add", shared("c2pa-rs-test-roots.pem")], capsys)[0] == 0


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


# ---------------------------------------------------------------------------
# update / add / remove / show
# ---------------------------------------------------------------------------


def test_update_from_files_and_show(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    fill_from_shared(capsys)
    code, out, _ = run(["trust", "show"], capsys)
    assert code == 0
    assert f"trust store: {store_dir}" in out
    assert "c2pa-trust-list (official): 30 anchors, fetched" in out
    assert "interim-anchors (legacy): 18 anchors" in out
    assert "interim-allowed (legacy): 86 allowed certificates" in out
    assert "interim-eku (legacy): 6 EKU OIDs" in out and DOCUMENT_SIGNING in out
    assert "c2pa-rs-test-roots (pinned): 8 anchors, pinned" in out
    assert "(0 days ago)" in out and "EXPIRED" in out  # the interim list has expired entries

    code, out, _ = run(["trust", "show", "--format", "json"], capsys)
    assert code == 0
    shown = json.loads(out)
    assert shown["store"] == str(store_dir)
    lists = {item["name"]: item for item in shown["lists"]}
    assert list(lists) == ["c2pa-trust-list", "interim-anchors", "interim-allowed", "interim-eku",
                           "c2pa-rs-test-roots"]
    official = lists["c2pa-trust-list"]
    # Local sources are recorded as absolute paths with symlinks resolved (../shared may be a link).
    assert official["kind"] == "official" and official["source"] == str((TRUST / "c2pa-trust-list.pem").resolve())
    assert official["sha256"] == hashlib.sha256((TRUST / "c2pa-trust-list.pem").read_bytes()).hexdigest()
    assert official["age_days"] == 0 and len(official["anchors"]) == 30
    assert {"subject", "not_after", "expired", "sha256"} <= set(official["anchors"][0])
    assert lists["interim-eku"]["oids"][1] == DOCUMENT_SIGNING


def test_show_on_an_empty_store_says_how_to_fill_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["trust", "show"], capsys)
    assert code == 0
    assert "empty: nothing is trusted" in out and "provenance trust update" in out and "trust add" in out


def test_update_reports_added_removed_and_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one, two, three = make_pki(name="One"), make_pki(name="Two"), make_pki(name="Three")
    first = write(tmp_path / "v1.pem", one.root_pem + two.root_pem)
    second = write(tmp_path / "v2.pem", two.root_pem + three.root_pem)
    code, out, _ = run(["trust", "update", "--from", first], capsys)
    assert code == 0 and "c2pa-trust-list (official): 2 anchors" in out and "new in the store" in out
    # A file that would drop a stored anchor is refused (nothing written) unless --replace.
    code, out, err = run(["trust", "update", "--from", second], capsys)
    assert code == 2 and out == ""
    assert "would replace the official list c2pa-trust-list and drop 1 of its entries" in err and "CN=One Root CA" in err
    assert "nothing was changed" in err and f"`provenance trust add {second} --name NAME`" in err
    code, out, err = run(["trust", "update", "--from", second, "--replace"], capsys)
    assert code == 0, err
    [added] = [line for line in out.splitlines() if line.startswith("  + ")]
    [removed] = [line for line in out.splitlines() if line.startswith("  - ")]
    assert "1 added:" in added and "CN=Three Root CA" in added
    assert "1 removed (--replace: the file given does not have them):" in removed and "CN=One Root CA" in removed
    code, out, _ = run(["trust", "update", "--from", second, "--format", "json"], capsys)
    assert code == 0
    [change] = json.loads(out)["lists"]
    assert change["unchanged"] and change["added"] == [] and change["removed"] == []


def test_update_reports_expired_anchors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "list.pem", make_pki(name="Old", expired_root=True).root_pem + make_pki().root_pem)
    code, out, _ = run(["trust", "update", "--from", source], capsys)
    assert code == 0 and "! 1 expired" in out and "CN=Old Root CA" in out


def test_interim_parts_without_legacy_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["trust", "update", "--from", shared("interim-trust-list-store.cfg")], capsys)
    assert code == 2 and "add --legacy" in err


@pytest.mark.parametrize("content, message", [
    (b"hello, not a list\n", "not a trust list"),
    (b"-----BEGIN CERTIFICATE-----\nMIIB\n", "truncated"),
])
def test_a_bad_local_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           content: bytes, message: str) -> None:
    code, _, err = run(["trust", "update", "--from", write(tmp_path / "bad.pem", content)], capsys)
    assert code == 2 and message in err


def test_a_missing_file_and_an_unsupported_scheme_are_usage_errors(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["trust", "update", "--from", str(tmp_path / "missing.pem")], capsys)[0] == 2
    code, _, err = run(["trust", "update", "--from", "ftp://127.0.0.1/list.pem"], capsys)
    assert code == 2 and "only https" in err


def test_add_pins_a_root_and_remove_takes_it_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki(name="Studio")
    root = write(tmp_path / "Studio Root.pem", pki.root_pem)
    code, out, _ = run(["trust", "add", root, "--name", "studio-ca"], capsys)
    assert code == 0 and "studio-ca (pinned): 1 anchor" in out
    code, _, err = run(["trust", "add", root, "--name", "studio-ca"], capsys)
    assert code == 2 and "already in the store" in err
    assert run(["trust", "add", root, "--name", "studio-ca", "--replace"], capsys)[0] == 0
    assert run(["trust", "add", root], capsys)[0] == 0  # default name from the file: studio-root
    names = [item["name"] for item in json.loads(run(["trust", "show", "--format", "json"], capsys)[1])["lists"]]
    assert names == ["studio-ca", "studio-root"]
    code, out, _ = run(["trust", "remove", "studio-ca"], capsys)
    assert code == 0 and "removed studio-ca (pinned, 1 anchor)" in out
    code, _, err = run(["trust", "remove", "studio-ca"], capsys)
    assert code == 2 and "no trust list named 'studio-ca'" in err


@pytest.mark.parametrize("args, message", [
    (["--name", "Bad Name"], "not a valid name"),
    (["--name", "c2pa-trust-list"], "reserved"),
])
def test_add_refuses_bad_names(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                               message: str) -> None:
    code, _, err = run(["trust", "add", write(tmp_path / "r.pem", make_pki().root_pem), *args], capsys)
    assert code == 2 and message in err


def test_add_refuses_a_signing_certificate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["trust", "add", write(tmp_path / "leaf.pem", make_pki().leaf_pem)], capsys)
    assert code == 2 and "not a CA" in err


def test_add_refuses_a_file_that_is_not_pem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["trust", "add", write(tmp_path / "x.pem", b"nope")], capsys)[0] == 2
    assert run(["trust", "add", str(tmp_path / "missing.pem")], capsys)[0] == 2


def test_local_sources_are_recorded_with_symlinks_resolved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real"
    real.mkdir()
    write(real / "list.pem", make_pki().root_pem)
    write(real / "root.pem", make_pki(name="Studio").root_pem)
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert run(["trust", "update", "--from", str(tmp_path / "link" / "list.pem")], capsys)[0] == 0
    assert run(["trust", "add", str(tmp_path / "link" / "root.pem"), "--name", "studio"], capsys)[0] == 0
    sources = {item["name"]: item["source"]
               for item in json.loads(run(["trust", "show", "--format", "json"], capsys)[1])["lists"]}
    assert sources == {"c2pa-trust-list": str((real / "list.pem").resolve()),
                       "studio": str((real / "root.pem").resolve())}


@pytest.mark.parametrize("inside", [False, True])
def test_a_store_location_that_is_a_file_is_exit_4_for_every_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, inside: bool) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    location = blocker / "store" if inside else blocker
    monkeypatch.setenv(ts.ENV_VAR, str(location))
    root = write(tmp_path / "r.pem", make_pki().root_pem)
    image = tmp_path / "capture.jpg"
    image.write_bytes(b"\xff\xd8\xff\xd9")
    for args in (["trust", "show"], ["trust", "show", "--format", "json"], ["trust", "add", root],
                 ["trust", "update", "--from", root], ["trust", "remove", "x"], ["audit", str(image)]):
        code, out, err = run(args, capsys)
        assert code == 4, (args, out, err)
        assert f"the trust store location {location}" in err and "is not a folder" in err, (args, err)
        assert ts.ENV_VAR in err and "empty" not in out + err and "File exists" not in err
    assert blocker.read_text() == "not a folder"


def test_a_damaged_index_is_exit_4_with_how_to_rebuild(store_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    store_dir.mkdir()
    (store_dir / "index.json").write_text(json.dumps({"schema": ts.INDEX_SCHEMA, "lists": [
        {"name": "studio", "role": "anchors", "file": "studio.0000000000000000.pem", "source": "x",
         "fetched_at": "2026-11-01T00:00:00Z", "sha256": "0" * 64, "count": 1}]}))
    image = tmp_path / "capture.jpg"
    image.write_bytes(b"\xff\xd8\xff\xd9")
    for args in (["trust", "show"], ["trust", "add", write(tmp_path / "r.pem", make_pki().root_pem)],
                 ["audit", str(image)]):
        code, _, err = run(args, capsys)
        assert code == 4 and "is damaged (entry 1 has no 'kind')" in err and "trust update" in err, (args, err)
        assert "internal error" not in err and "KeyError" not in err


def test_add_refuses_a_file_holding_a_private_key(store_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """`cat root-ca.pem root-ca.key > b.pem; provenance trust add b.pem` must not store the key."""
    bundle = tmp_path / "b.pem"
    bundle.write_bytes(TEST_ROOT.read_bytes() + (TEST_ROOT.parent / "root-ca.key").read_bytes())
    assert b"PRIVATE KEY-----" in bundle.read_bytes()
    for args in (["trust", "add", str(bundle), "--name", "x"], ["trust", "update", "--from", str(bundle)],
                 ["trust", "update", "--legacy", "--from", str(bundle)]):
        code, out, err = run(args, capsys)
        assert code == 2 and out == "", (args, err)
        assert "holds a private key" in err and "must never be shared or stored as a trust anchor" in err
        assert "only the certificate is needed" in err
    assert snapshot(store_dir) == {}
    # with --replace over an existing pin, the pin is left as it was
    assert run(["trust", "add", str(TEST_ROOT), "--name", "x"], capsys)[0] == 0
    before = snapshot(store_dir)
    assert run(["trust", "add", str(bundle), "--name", "x", "--replace"], capsys)[0] == 2
    assert snapshot(store_dir) == before
    assert not any(b"PRIVATE KEY" in data for data in before.values())


def test_update_refuses_a_download_holding_a_private_key(server, store_dir: Path,  # type: ignore[no-untyped-def]
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    base, routes = server
    routes["/list.pem"] = body(TEST_ROOT.read_bytes() + (TEST_ROOT.parent / "root-ca.key").read_bytes())
    code, out, err = run(["trust", "update", "--from", f"{base}/list.pem", "--timeout", "5"], capsys)
    assert code == 4 and out == ""
    assert "holds a private key" in err and "only the certificate is needed" in err
    assert snapshot(store_dir) == {}


def test_adding_a_root_pinned_under_another_name_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki(name="Studio")
    root = write(tmp_path / "root.pem", pki.root_pem)
    code, _, err = run(["trust", "add", root, "--name", "studio"], capsys)
    assert code == 0 and "warning" not in err
    code, out, err = run(["trust", "add", root, "--name", "studio2"], capsys)
    assert code == 0 and "studio2 (pinned): 1 anchor" in out
    assert "warning: " in err and "CN=Studio Root CA" in err and "already pinned as 'studio'" in err
    assert "`provenance trust remove studio`" in err
    code, _, err = run(["trust", "add", root, "--name", "studio", "--replace"], capsys)
    assert code == 0 and "already pinned as 'studio2'" in err and "as 'studio';" not in err


def test_the_altered_list_advice_works_when_followed(tmp_path: Path, store_dir: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import shlex

    root = write(tmp_path / "Studio Root.pem", make_pki(name="Studio").root_pem)
    listed = write(tmp_path / "list.pem", make_pki(name="Official").root_pem)
    assert run(["trust", "add", root, "--name", "studio"], capsys)[0] == 0
    assert run(["trust", "update", "--from", listed], capsys)[0] == 0
    for entry in ts.TrustStore().lists():
        (store_dir / entry.file).write_bytes(make_pki(name="Intruder").root_pem)
    code, out, _ = run(["trust", "show"], capsys)
    assert code == 0
    advice = [line.split("run `", 1)[1].split("`", 1)[0] for line in out.splitlines() if "hint: run `" in line]
    assert len(advice) == 2 and "trust add" in advice[1] and "--replace" in advice[1], advice
    for command in advice:
        words = shlex.split(command)
        assert words[0] == "provenance"
        assert run(words[1:], capsys)[0] == 0, command
    code, out, _ = run(["trust", "show"], capsys)
    assert code == 0 and "not used" not in out and "Intruder" not in out


# ---------------------------------------------------------------------------
# The download path, against 127.0.0.1
# ---------------------------------------------------------------------------


def test_update_from_a_server(server, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    base, routes = server
    routes["/C2PA-TRUST-LIST.pem"] = body(make_pki().root_pem)
    routes["/store.cfg"] = body(b"// documentSigning\n1.3.6.1.5.5.7.3.36\n")
    code, out, _ = run(["trust", "update", "--from", f"{base}/C2PA-TRUST-LIST.pem"], capsys)
    assert code == 0 and f"from {base}/C2PA-TRUST-LIST.pem" in out
    code, _, _ = run(["trust", "update", "--legacy", "--from", f"{base}/store.cfg"], capsys)
    assert code == 0
    lists = json.loads(run(["trust", "show", "--format", "json"], capsys)[1])["lists"]
    assert [(item["name"], item["source"]) for item in lists] == [
        ("c2pa-trust-list", f"{base}/C2PA-TRUST-LIST.pem"), ("interim-eku", f"{base}/store.cfg")]


@pytest.mark.parametrize("route, message", [
    ("truncated", "truncated"),
    ("html", "not a trust list"),
    ("error", "answered 500"),
    ("cut-pem", "truncated or damaged PEM"),
])
def test_a_failed_download_leaves_the_store_untouched(server, store_dir: Path,  # type: ignore[no-untyped-def]
                                                      capsys: pytest.CaptureFixture[str], route: str,
                                                      message: str) -> None:
    base, routes = server
    good = make_pki(name="Good").root_pem
    replacement = make_pki(name="New").root_pem + make_pki(name="Newer").root_pem
    routes["/good.pem"] = body(good)
    routes["/truncated"] = body(replacement[:300], announce=len(replacement))
    routes["/html"] = body(b"<!doctype html><title>502 Bad Gateway</title>", content_type="text/html")
    routes["/error"] = body(b"Internal Server Error", status=500)
    routes["/cut-pem"] = body(replacement[: len(replacement) - 80])  # complete HTTP answer, cut PEM
    assert run(["trust", "update", "--from", f"{base}/good.pem"], capsys)[0] == 0
    before = snapshot(store_dir)
    code, out, err = run(["trust", "update", "--from", f"{base}/{route}"], capsys)
    assert code == 4, err
    assert message in err and out == ""
    assert snapshot(store_dir) == before


def test_one_bad_list_of_several_changes_nothing(server, store_dir: Path,  # type: ignore[no-untyped-def]
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    base, routes = server
    routes["/anchors.pem"] = body(make_pki().root_pem)
    routes["/store.cfg"] = body(b"oops", status=503)
    code, _, err = run(["trust", "update", "--legacy", "--from", f"{base}/anchors.pem",
                        "--from", f"{base}/store.cfg"], capsys)
    assert code == 4 and "answered 503" in err
    assert snapshot(store_dir) == {}


# ---------------------------------------------------------------------------
# audit with the store
# ---------------------------------------------------------------------------


def audit_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code, out, err = run(["audit", *args, "--format", "json"], capsys)
    assert code in (0, 1, 3), err
    return code, json.loads(out)


def test_audit_uses_the_store_and_records_fingerprints_and_ages(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki(name="Studio")
    image = tmp_path / "delivery" / "capture.jpg"
    image.parent.mkdir()
    image.write_bytes(sign_jpeg(pki))
    assert run(["trust", "add", write(tmp_path / "studio.pem", pki.root_pem), "--name", "studio"], capsys)[0] == 0

    code, report = audit_json([str(image.parent)], capsys)
    assert code == 0 and report["images"][0]["status"] == "compliant"
    [source] = report["trust"]["sources"]
    assert source["name"] == "studio" and source["kind"] == "pinned" and source["age_days"] == 0
    assert source["fetched_at"].endswith("Z") and len(source["digest"]) == 64
    assert report["trust"]["anchors"] == [ts.parse_list(pki.root_pem, "anchors", "x").anchors[0].fingerprint]
    assert report["trust"]["warnings"] == []

    code, report = audit_json([str(image.parent), "--no-trust-store"], capsys)
    assert code == 3 and "credentials_untrusted" in report["images"][0]["reasons"]
    assert report["trust"]["sources"] == [] and report["trust"]["warnings"][0].startswith("nothing is trusted")

    # --trust-anchors adds to the store; with --no-trust-store it is all there is.
    code, report = audit_json([str(image.parent), "--no-trust-store", "--trust-anchors", str(tmp_path / "studio.pem")],
                              capsys)
    assert code == 0 and [s["name"] for s in report["trust"]["sources"]] == ["studio.pem"]
    code, report = audit_json([str(image.parent), "--trust-anchors", str(TEST_ROOT)], capsys)
    assert code == 0 and [s["name"] for s in report["trust"]["sources"]] == ["studio", "root-ca.pem"]


def test_audit_with_an_empty_store_says_nothing_is_trusted_and_how_to_fix_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "capture.jpg"
    image.write_bytes(sign_jpeg(make_pki()))
    code, out, _ = run(["audit", str(image)], capsys)
    assert code == 3
    assert "credentials_untrusted" in out
    assert "warning: nothing is trusted" in out
    assert "`provenance trust update`" in out and "`provenance trust add YOUR-ROOT.pem`" in out


def test_audit_warns_when_only_files_are_trusted_and_the_store_is_empty(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki()
    image = tmp_path / "capture.jpg"
    image.write_bytes(sign_jpeg(pki))
    code, out, _ = run(["audit", str(image), "--trust-anchors", write(tmp_path / "r.pem", pki.root_pem)], capsys)
    assert code == 0 and "trust store" in out and "is empty" in out
    code, out, _ = run(["audit", str(image), "--no-trust-store", "--trust-anchors", str(tmp_path / "r.pem")], capsys)
    assert code == 0 and "warning" not in out


def test_audit_warns_about_an_old_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki()
    image = tmp_path / "capture.jpg"
    image.write_bytes(sign_jpeg(pki))
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=120)
    ts.TrustStore().put([ts._Pending("c2pa-trust-list", "official", "anchors", "test",
                                     ts.parse_list(pki.root_pem, "anchors", "x"))], at=old)
    code, out, _ = run(["audit", str(image)], capsys)
    assert code == 0
    assert "warning: trust list c2pa-trust-list is 120 days old" in out
    assert "policy's 90 days" in out
    assert "hint: run `provenance trust update --from test --replace` to refresh c2pa-trust-list" in out
    charter = (REPO / "provenance" / "policies" / "charter.toml").read_text()
    lenient = charter.replace("[trust]\n", "[trust]\nmax_trust_list_age_days = 365\n", 1)
    policy = tmp_path / "lenient.toml"
    policy.write_text(lenient)
    code, out, err = run(["audit", str(image), "--policy", str(policy)], capsys)
    assert code == 0, err
    assert "days old" not in out


def test_eku_configuration_from_the_store_validates_document_signing(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Issue #10 item 1: a pinned root carries the C2PA signer profile, so a documentSigning-only signer
    under it is trusted without any EKU configuration; a store.cfg adds to the union, never removes."""
    pki = make_pki(DOCUMENT_SIGNING, name="DocSign")
    image = tmp_path / "docsign.jpg"
    image.write_bytes(sign_jpeg(pki))
    assert run(["trust", "add", write(tmp_path / "root.pem", pki.root_pem), "--name", "docsign"], capsys)[0] == 0
    code, report = audit_json([str(image)], capsys)
    assert code == 0 and report["images"][0]["status"] == "compliant"
    assert sorted(report["trust"]["eku_oids"]) == sorted(C2PA_SIGNER_EKUS)
    cfg = write(tmp_path / "store.cfg", b"//id-kp-documentSigning\n1.3.6.1.5.5.7.3.36\n")
    assert run(["trust", "update", "--legacy", "--from", cfg], capsys)[0] == 0
    code, report = audit_json([str(image)], capsys)
    assert code == 0 and report["images"][0]["status"] == "compliant"
    assert sorted(report["trust"]["eku_oids"]) == sorted(C2PA_SIGNER_EKUS)


def test_allowed_list_from_the_store_trusts_a_listed_signer(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    pki = make_pki(name="Listed")
    image = tmp_path / "listed.jpg"
    image.write_bytes(sign_jpeg(pki))
    allowed = write(tmp_path / "allowed.pem", pki.leaf_pem)
    assert run(["trust", "update", "--legacy", "--from", allowed], capsys)[0] == 0
    code, report = audit_json([str(image)], capsys)
    assert code == 0 and report["images"][0]["status"] == "compliant"
    assert report["trust"]["anchors"] == []  # trusted by the allowed list, not by an anchor
    assert report["trust"]["sources"][0]["role"] == "allowed"


# ---------------------------------------------------------------------------
# The done-when: the public corpus with the store, no --trust-anchors
# ---------------------------------------------------------------------------


def _by_relative_path(report: dict, root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {str(Path(item["path"]).resolve().relative_to(root.resolve())): item for item in report["images"]}


def test_public_corpus_with_the_store_agrees_with_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    if not (PUBLIC / "catalog.json").exists():
        pytest.skip(f"../shared is not available ({PUBLIC / 'catalog.json'} missing)")
    fill_from_shared(capsys)
    _, report = audit_json([str(PUBLIC)], capsys)
    got = _by_relative_path(report, PUBLIC)
    catalog = json.loads((PUBLIC / "catalog.json").read_text())
    differences = []
    for name, entry in sorted(catalog.items()):
        status, reasons = CATALOG_MAP[entry["verdict"]]
        item = got.get(name)
        if item is None:
            differences.append(f"MISSING {name}")
        elif item["status"] != status or (reasons and not reasons & set(item.get("reasons") or [])):
            differences.append(f"{name}: catalog {entry['verdict']}, got {item['status']} {item.get('reasons')}")
    assert not differences, "\n".join(differences)
    assert report["trust"]["warnings"] == []
