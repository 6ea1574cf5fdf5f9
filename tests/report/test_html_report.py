"""The HTML report: self-contained, escaped, and the same from `audit --format html` and `provenance report`."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT, run_cli

from provenance._cli._html import MAX_THUMBNAIL_BYTES, render_html, visible

PAYLOADS = (
    '<script>document.title="pwned"</script>',
    '"><img src=x onerror="document.title=\'pwned\'">',
    "<iframe src=\"https://example.invalid/\"></iframe>",
    "<svg onload=\"document.title='pwned'\"><circle r=\"9\"/></svg>",
    "'; background: url(https://example.invalid/x) '",
)


def _report_with(values: dict[str, str]) -> dict:  # type: ignore[type-arg]
    finding = {"code": "action.classified", "message": values["message"], "location": {"manifest": values["manifest"],
               "assertion": "c2pa.actions.v2", "index": 0}, "category": "generative", "decision": "forbidden",
               "rule": "charter.forbidden.generative", "signal": values["signal"], "source_ref": None}
    image = {"path": values["path"], "sha256": "0" * 64, "size": 10, "media_type": "image/jpeg",
             "status": "non_compliant", "reasons": ["generative_ai"], "credentials": "present",
             "validation_state": "Trusted", "active_manifest": values["manifest"], "signer": values["signer"],
             "assurance": "signed_credentials", "error": None, "warnings": [values["warning"]],
             "findings": [finding], "manifests": [
                 {"label": values["manifest"], "parent": None, "depth": 0, "relationship": None,
                  "title": values["title"], "claim_generator": values["signer"], "signer": values["signer"]},
                 {"label": None, "parent": values["manifest"], "depth": 1, "relationship": "parentOf",
                  "title": values["title"], "claim_generator": None, "signer": None}],
             "thumbnail": None}
    return {"schema": "provenance.audit-report/v1", "tool": {"provenance": "test"}, "evaluated_at": "2026-01-01T00:00:00Z",
            "policy": {"id": "p", "version": "1", "sha256": "1" * 64, "source": "x"},
            "trust": {"anchors": [], "sources": [], "eku_oids": [], "warnings": []},
            "summary": {"images": 1, "compliant": 0, "non_compliant": 1, "indeterminate": 0, "skipped": 0},
            "images": [image], "skipped": []}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_file_value_is_escaped(payload: str) -> None:
    page = render_html(_report_with({key: payload for key in
                                     ("message", "manifest", "signal", "path", "signer", "warning", "title")}))
    assert payload not in page
    assert re.search(r"<(?:script|iframe|svg|img src=x)", page) is None  # no markup from a payload
    assert re.search(r"<[^>]*\sonerror=", page) is None  # no handler inside any real tag
    assert "&lt;" in page or "&#39;" in page or "&#34;" in page


def test_page_loads_nothing_and_runs_nothing() -> None:
    page = render_html(_report_with({key: "x" for key in
                                     ("message", "manifest", "signal", "path", "signer", "warning", "title")}))
    assert "<script" not in page
    assert "default-src 'none'" in page  # the CSP forbids any connection, as a second line of defence
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!data:)""", page), "only data: URIs may be referenced"
    assert "@import" not in page and "url(" not in page


def test_control_and_bidi_characters_are_shown_as_escapes() -> None:
    assert visible("photo\u202egpj.exe") == "photo\\u202egpj.exe"
    assert visible("a\nb\x00c\u2066") == "a\\nb\\u0000c\\u2066"
    page = render_html(_report_with({**{key: "x" for key in ("message", "manifest", "signal", "signer", "warning", "title")},
                                     "path": "evil\u202egpj.jpg\nCOMPLIANT other.jpg"}))
    assert "\u202e" not in page
    assert "evil\\u202egpj.jpg\\nCOMPLIANT other.jpg" in page


def test_long_values_are_clipped_with_a_way_to_see_them_whole() -> None:
    long_value = "A" * 5000 + "END"
    page = render_html(_report_with({**{key: "x" for key in ("manifest", "signal", "path", "signer", "warning", "title")},
                                     "message": long_value}))
    assert "show all 5003 characters" in page
    assert long_value in page  # whole inside <details>, clipped before it
    assert page.index("A" * 300 + "…") < page.index(long_value)


def test_chain_is_nested_and_cycles_do_not_hang() -> None:
    report = _report_with({key: "m" for key in ("message", "manifest", "signal", "path", "signer", "warning", "title")})
    report["images"][0]["manifests"].append({"label": "m", "parent": "m", "depth": 0, "relationship": "parentOf",
                                             "title": "loop", "claim_generator": None, "signer": None})
    page = render_html(report)
    assert page.count('<ul class="chain">') >= 2  # the ingredient sits inside its manifest's list


def test_thumbnails_only_as_capped_data_uris() -> None:
    report = _report_with({key: "x" for key in ("message", "manifest", "signal", "path", "signer", "warning", "title")})
    report["images"][0]["thumbnail"] = {"media_type": "image/svg+xml", "data": "PHN2Zy8+"}
    assert "<img" not in render_html(report)  # SVG could carry script: never embedded
    report["images"][0]["thumbnail"] = {"media_type": "image/jpeg", "data": "A" * ((MAX_THUMBNAIL_BYTES * 4) // 3 + 8)}
    assert "<img" not in render_html(report)
    report["images"][0]["thumbnail"] = {"media_type": "image/jpeg", "data": "/9j/4AAQ"}
    assert 'src="data:image/jpeg;base64,/9j/4AAQ"' in render_html(report)


def test_audit_html_and_report_command_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "audit.json"
    code, _, _ = run_cli(["audit", str(SAMPLE_DELIVERY), "--trust-anchors", str(TEST_ROOT), "--no-trust-store",
                          "--format", "json", "--thumbnails", "-o", str(saved)], capsys)
    assert code == 1
    report = json.loads(saved.read_text())
    assert all(image["thumbnail"] for image in report["images"] if image["credentials"] == "present"
               and image["status"] != "indeterminate")
    page = tmp_path / "report.html"
    code, _, err = run_cli(["report", str(saved), "-o", str(page)], capsys)
    assert code == 0, err
    html = page.read_text()
    assert html == render_html(report)
    assert html.count('data-status="non_compliant"') == report["summary"]["non_compliant"] == 1
    assert html.count('class="card" data-status=') == len(report["images"])
    assert html.count('src="data:image/jpeg;base64,') >= 2
    for image in report["images"]:
        assert Path(image["path"]).name in html


def test_audit_html_directly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "report.html"
    code, out, _ = run_cli(["audit", str(SAMPLE_DELIVERY), "--trust-anchors", str(TEST_ROOT), "--no-trust-store",
                            "--format", "html", "-o", str(page)], capsys)
    assert code == 1 and out == ""
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "03-generative-fill.jpg" in html
    assert "Generative AI was found" in html


def test_report_refuses_what_is_not_an_audit_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"schema": "provenance.verify-report/v1"}')
    code, _, err = run_cli(["report", str(other)], capsys)
    assert code == 2 and "not a provenance.audit-report/v1 report" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "provenance.audit-report/v1", "images": "nope"}')
    code, _, err = run_cli(["report", str(broken)], capsys)
    assert code == 2 and "not a valid audit-report.v1 document" in err
    code, _, err = run_cli(["report", str(tmp_path / "missing.json")], capsys)
    assert code == 2


def test_output_dash_is_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["audit", str(SAMPLE_DELIVERY / "01-capture-edited.jpg"), "--trust-anchors", str(TEST_ROOT),
                            "--no-trust-store", "--format", "json", "-o", "-"], capsys)
    assert code == 0
    assert json.loads(out)["images"][0]["status"] == "compliant"
    assert not Path("-").exists()


class _ChainShape(HTMLParser):
    """The nesting level of every chain entry, and whether every list and item was closed."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.entries: list[tuple[int, str]] = []
        self._in_manifest = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "li"):
            self.open.append(tag)
        self._in_manifest = tag == "span" and ("class", "manifest") in attrs

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "li"):
            assert self.open and self.open.pop() == tag, f"</{tag}> closes {self.open[-1:] or 'nothing'}"
        self._in_manifest = False

    def handle_data(self, data: str) -> None:
        if self._in_manifest:
            self.entries.append((self.open.count("ul"), data))


def _link(label: str, parent: str | None, depth: int) -> dict:  # type: ignore[type-arg]
    return {"label": label, "parent": parent, "depth": depth, "relationship": "parentOf", "title": label,
            "claim_generator": None, "signer": None}


def test_a_deep_chain_renders_nested_without_recursion() -> None:
    # c2pa-rs signs chains up to 200 deep; a hand-edited report fed to `provenance report` may hold more.
    # The recursive macro this replaces hit Python's recursion limit at about 250 levels.
    depth = 3000
    report = _report_with({key: "x" for key in ("message", "manifest", "signal", "path", "signer", "warning", "title")})
    report["images"][0]["manifests"] = [_link(f"m{i}", f"m{i - 1}" if i else None, i) for i in range(depth)]
    shape = _ChainShape()
    shape.feed(render_html(report))
    assert shape.open == []
    assert shape.entries == [(i + 1, f"m{i}") for i in range(depth)]


def test_siblings_and_branches_close_their_lists() -> None:
    report = _report_with({key: "x" for key in ("message", "manifest", "signal", "path", "signer", "warning", "title")})
    report["images"][0]["manifests"] = [_link("a", None, 0), _link("b", "a", 1), _link("c", "b", 2), _link("d", "c", 3),
                                        _link("e", "a", 1), _link("f", "e", 2), _link("g", "a", 1)]
    shape = _ChainShape()
    shape.feed(render_html(report))
    assert shape.open == []
    assert shape.entries == [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (2, "e"), (3, "f"), (2, "g")]


def test_header_counts_come_from_the_images_and_an_edited_summary_is_pointed_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "audit.json"
    code, _, _ = run_cli(["audit", str(SAMPLE_DELIVERY), "--trust-anchors", str(TEST_ROOT), "--no-trust-store",
                          "--format", "json", "-o", str(saved)], capsys)
    report = json.loads(saved.read_text())
    assert "summary-mismatch" not in render_html(report)
    counts = dict(report["summary"])
    assert counts["non_compliant"] == 1
    report["summary"] = {**counts, "compliant": counts["compliant"] + counts["non_compliant"], "non_compliant": 0}
    saved.write_text(json.dumps(report))  # edited by hand: "nothing is non-compliant"
    code, page, err = run_cli(["report", str(saved)], capsys)
    assert code == 0, err
    header = page.split("</header>")[0]
    assert '<span class="badge non_compliant">1</span> non-compliant' in header
    assert f'<span class="badge compliant">{counts["compliant"]}</span> compliant' in header
    assert 'id="summary-mismatch"' in header and "non_compliant 0" in header


def test_audit_html_is_written_as_it_is_made_and_equals_the_page_of_its_json_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `audit --format html` streams its page (write_html) without holding it or a second copy of the
    # findings; it must be the very page `provenance report` makes from the same audit's JSON.
    base = ["audit", str(SAMPLE_DELIVERY), "--trust-anchors", str(TEST_ROOT), "--no-trust-store"]
    saved, page = tmp_path / "audit.json", tmp_path / "audit.html"
    assert run_cli([*base, "--format", "json", "--thumbnails", "-o", str(saved)], capsys)[0] == 1
    assert run_cli([*base, "--format", "html", "-o", str(page)], capsys)[0] == 1
    report, html = json.loads(saved.read_text()), page.read_text()
    evaluated = re.search(r"<dt>Evaluated</dt><dd>([^<]*)</dd>", html)
    assert evaluated is not None
    report["evaluated_at"] = evaluated.group(1)  # the one field two runs cannot share
    assert html == render_html(report)
    assert html.count('class="card" data-status=') == len(report["images"]) == 6


def test_write_html_pieces_equal_the_whole_page() -> None:
    import io

    from provenance import TrustConfig
    from provenance._cli._html import write_html
    from provenance.audit import audit_files, collect_inputs
    from provenance.report import image_to_dict

    report = audit_files(collect_inputs([SAMPLE_DELIVERY]), trust=TrustConfig.from_pem_files([TEST_ROOT]))
    whole = report.to_dict()
    out = io.StringIO()
    header = {key: value for key, value in whole.items() if key not in ("images", "summary")}
    write_html(out, header, (image_to_dict(image) for image in report.images), whole["summary"])
    assert out.getvalue() == render_html(whole)


def test_report_given_a_jsonl_report_says_which_format_it_reads(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    lines = tmp_path / "audit.jsonl"
    code, _, _ = run_cli(["audit", str(SAMPLE_DELIVERY), "--no-trust-store", "--format", "jsonl", "-o", str(lines)],
                         capsys)
    assert code in (1, 3)
    code, _, err = run_cli(["report", str(lines)], capsys)
    assert code == 2 and "is a JSON-lines report (`audit --format jsonl`)" in err and "--format json" in err, err
    # was: "is not JSON (Extra data: line 2 column 1 ...)"
