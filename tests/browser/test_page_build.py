"""`provenance verify-page`: the same bytes every time, the published digest, no network, no data.

These tests need no browser.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from provenance import __version__, certificate
from provenance.verify_page import build_page, page_config, page_sha256


def _page() -> str:
    return build_page().decode("utf-8")


def _element(html: str, tag: str) -> str:
    (text,) = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S)
    return text


def test_the_command_writes_the_same_bytes_twice_and_prints_their_digest(tmp_path: Path, capsys) -> None:
    first, second = tmp_path / "a" / "verify.html", tmp_path / "verify.html"
    first.parent.mkdir()
    code, out, _ = run_cli(["verify-page", "--output", str(first)], capsys)
    assert code == 0
    assert run_cli(["verify-page", "-o", str(second)], capsys)[0] == 0
    assert first.read_bytes() == second.read_bytes() == build_page()
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    assert out == f"{digest}  {first}\n" and digest == page_sha256()


def test_the_command_needs_an_output_and_refuses_a_folder(tmp_path: Path, capsys) -> None:
    assert run_cli(["verify-page"], capsys)[0] == 2
    code, _, err = run_cli(["verify-page", "--output", str(tmp_path)], capsys)
    assert code == 2 and "is a directory" in err


@pytest.mark.parametrize("document", ["README.md", "docs/verify-page.md"])
def test_the_published_digest_is_the_digest_of_the_page_the_code_builds(document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    published = re.findall(r"verify\.html.*?\b([0-9a-f]{64})\b|\b([0-9a-f]{64})\b\s+verify\.html", text, flags=re.S)
    digests = {a or b for a, b in published}
    assert digests == {page_sha256()}, f"{document} publishes {digests}; the page is {page_sha256()}: update it"
    if document.startswith("docs/"):
        assert f"| {__version__} | `{page_sha256()}` |" in text  # the release the digest is for


def test_the_page_takes_its_limits_and_types_from_the_certificate_module() -> None:
    html = _page()
    (config,) = re.findall(r"const CONFIG = Object\.freeze\((\{.*?\})\);", html)
    assert json.loads(config) == page_config()
    assert page_config()["maxCertificateBytes"] == certificate.MAX_CERTIFICATE_BYTES
    assert page_config()["maxPayloadBytes"] == certificate.MAX_PAYLOAD_BYTES
    assert page_config()["maxSignatures"] == certificate.MAX_SIGNATURES
    assert page_config()["payloadType"] == certificate.PAYLOAD_TYPE
    assert page_config()["predicateType"] == certificate.PREDICATE_TYPE
    assert page_config()["statementType"] == certificate.STATEMENT_TYPE


def test_the_ignore_caps_are_the_strict_verifiers() -> None:
    from provenance.certificate import globs

    assert page_config()["maxIgnorePatterns"] == globs.MAX_IGNORE_PATTERNS
    assert page_config()["maxPatternLength"] == globs.MAX_PATTERN_LENGTH


def test_the_security_policy_allows_only_the_inline_script_and_style() -> None:
    html = _page()
    (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    directives = dict(item.strip().split(" ", 1) for item in policy.split(";"))

    def source(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert directives["script-src"] == source(_element(html, "script"))
    assert directives["style-src"] == source(_element(html, "style"))
    for name in ("img-src", "font-src", "media-src", "object-src", "frame-src", "worker-src", "form-action",
                 "base-uri"):
        assert directives[name] == "'none'", name
    assert html.index("Content-Security-Policy") < html.index("<style>")  # in force before anything loads


def test_the_page_loads_nothing_and_embeds_no_key() -> None:
    html = _page()
    assert not re.search(r"\b(src|href|action|srcset|poster)\s*=", html)
    assert not re.search(r"@import|url\(", _element(html, "style"))
    urls = set(re.findall(r"\b(?:https?|wss?|ftp)://[^\s\"'`<>)]+", html))
    assert urls == {certificate.STATEMENT_TYPE}  # a type URI compared as text, never fetched
    assert not re.search(r"[A-Za-z0-9+/]{60,}", html)  # no key, certificate or other blob
    assert html.count("<script>") == 1 and "<script " not in html and " on" + "click=" not in html


def test_page_sources_cannot_break_out_of_their_element(monkeypatch) -> None:
    from provenance import verify_page

    verify_page.build_page.cache_clear()
    original = verify_page._asset
    monkeypatch.setattr(verify_page, "_asset",
                        lambda name: original(name) + ("// </script>" if name == "ui.js" else ""))
    try:
        with pytest.raises(RuntimeError, match="</script"):
            verify_page.build_page()
    finally:
        verify_page.build_page.cache_clear()


def test_output_dash_writes_the_page_to_standard_output_and_never_a_file_named_dash(tmp_path: Path) -> None:
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", "import sys; from provenance._cli import main; sys.exit(main())",
                          "verify-page", "-o", "-"], capture_output=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == build_page()
    assert run.stderr.decode() == f"{page_sha256()}  -\n"
    assert list(tmp_path.iterdir()) == []  # it wrote a file named "-" before


def test_standard_output_closed_by_its_reader_is_exit_4_for_every_command(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # `audit` streams and is tested with a real pipe (tests/audit/test_report_streaming.py); here the
    # command-group handler every other command goes through. click's own handling exited 1, which for
    # `verify` means "verification failed".
    import provenance._cli.verify_page as command

    def closed_pipe() -> bytes:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(command, "build_page", closed_pipe)
    code, _, err = run_cli(["verify-page", "-o", "-"], capsys)
    assert code == 4 and "standard output was closed (broken pipe)" in err
