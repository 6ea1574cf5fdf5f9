"""Every JSON output validates against the JSON Schema shipped with the package."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, SAMPLE_DELIVERY, SHARED_TRUST_FILES, TEST_ROOT, run_cli, shared_path

from provenance.schemas import SCHEMA_NAMES, load_schema, validator


def _validator(name: str) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(load_schema(name))
    return validator(name)  # type: ignore[no-any-return]


def test_every_shipped_schema_is_valid() -> None:
    for name in SCHEMA_NAMES:
        jsonschema.Draft202012Validator.check_schema(load_schema(name))


def test_jsonl_lines_of_own_fixtures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.jpg").write_bytes(b"")
    code, out, _ = run_cli(["audit", str(SAMPLE_DELIVERY), str(tmp_path), "--trust-anchors", str(TEST_ROOT),
                            "--no-trust-store", "--format", "jsonl", "--jobs", "0"], capsys)
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["record"] for line in lines].count("summary") == 1 and lines[-1]["record"] == "summary"
    line_validator = _validator("audit-line.v1")
    for line in lines:
        assert _errors(line_validator, line) == [], line.get("path")
    assert _errors(line_validator, {"record": "image", "path": "x"})  # an image line needs the image entry
    assert _errors(line_validator, {"record": "other"})


def _errors(validator: jsonschema.Draft202012Validator, document: object) -> list[str]:
    return [f"{error.json_path}: {error.message[:200]}" for error in validator.iter_errors(document)]


def test_audit_report_of_own_fixtures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not an image")
    code, out, _ = run_cli(["audit", str(SAMPLE_DELIVERY), str(FIXTURES / "metadata"), str(tmp_path / "empty.jpg"),
                            str(tmp_path), "--trust-anchors", str(TEST_ROOT), "--no-trust-store", "--format", "json",
                            "--thumbnails"], capsys)
    assert code == 1
    report = json.loads(out)
    assert _errors(_validator("audit-report.v1"), report) == []
    # Every documented key is present, null when empty.
    image = next(i for i in report["images"] if i["path"].endswith("empty.jpg"))
    assert image["sha256"] is not None and image["validation_state"] is None and image["thumbnail"] is None
    assert {"category", "decision", "rule", "signal", "source_ref"} <= set(image["findings"][0])


def test_schema_rejects_what_it_must() -> None:
    validator = _validator("audit-report.v1")
    report = {"schema": "provenance.audit-report/v1", "tool": {"provenance": "x"}, "evaluated_at": "2026-01-01T00:00:00Z",
              "policy": {"id": "p", "version": "1", "sha256": "0" * 64, "source": "s"},
              "trust": {"anchors": [], "sources": [], "eku_oids": [], "warnings": []},
              "summary": {"images": 0, "compliant": 0, "non_compliant": 0, "indeterminate": 0, "skipped": 0},
              "images": [], "skipped": []}
    assert _errors(validator, report) == []
    assert _errors(validator, {**report, "evaluated_at": "yesterday"})
    assert _errors(validator, {k: v for k, v in report.items() if k != "images"})


def test_audit_report_of_public_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    public = shared_path("fixtures", "public")
    args = ["audit", str(public), str(shared_path("fixtures", "public-metadata")), "--no-trust-store", "--format", "json"]
    for name in SHARED_TRUST_FILES:
        args += ["--trust-anchors", str(shared_path("fixtures", "trust", name))]
    code, out, _ = run_cli(args, capsys)
    assert code == 1
    report = json.loads(out)
    assert len(report["images"]) >= 80
    assert _errors(_validator("audit-report.v1"), report) == []


def test_inspect_trees_of_public_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    validator = _validator("inspect.v1")
    files = sorted(p for p in shared_path("fixtures", "public").rglob("*")
                   if p.is_file() and p.suffix.lower() not in (".md", ".json", ".tsv"))
    assert len(files) >= 80
    for path in files[::4]:  # a quarter of the corpus keeps this quick; the CLI test covers the deepest file
        code, out, err = run_cli(["inspect", str(path), "--no-trust-store", "--format", "json"], capsys)
        assert code == 0, err
        assert _errors(validator, json.loads(out)) == [], path
