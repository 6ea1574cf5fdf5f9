"""Every real file of the public corpora gets the verdict its catalog expects.

The corpora live in ``../shared/fixtures/public`` (Content Credentials written by
real cameras, editors and generators) and ``../shared/fixtures/public-metadata``
(generator outputs whose only evidence is metadata). Each ``catalog.json``
states the expected verdict under the charter; the mapping is the one
``../shared/tools/corpus-check`` uses. Skipped, with the reason, without ../shared.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import SHARED, shared_path

from provenance import audit
from provenance.verdict import ImageVerdict

EXPECTED = {
    "compliant": ("compliant", set()),
    "forbidden-generative": ("non_compliant", {"generative_ai"}),
    "invalid-or-tampered": ("indeterminate", {"credentials_invalid"}),
    "no-credentials": ("indeterminate", {"no_credentials"}),
    "needs-review": ("indeterminate", set()),
}

# Files where we believe the catalog is wrong, with the evidence (manifest field
# and rule). Empty: every catalog expectation is met.
CATALOG_DISAGREEMENTS: dict[str, str] = {}


def _catalog(corpus: str) -> dict[str, dict]:  # type: ignore[type-arg]
    path = SHARED / "fixtures" / corpus / "catalog.json"
    return json.loads(path.read_text()) if path.exists() else {}


_AUDITS: dict[str, dict[str, ImageVerdict]] = {}


def _audited(corpus: str, trust) -> dict[str, ImageVerdict]:  # type: ignore[no-untyped-def]
    """Audit a whole corpus once per session, through the public API."""
    if corpus not in _AUDITS:
        root = shared_path("fixtures", corpus)
        report = audit([root], trust=trust, at=datetime(2026, 11, 30, tzinfo=UTC))
        _AUDITS[corpus] = {str(Path(v.path).relative_to(root)): v for v in report.images}
    return _AUDITS[corpus]


def _cases(corpus: str) -> list:  # type: ignore[type-arg]
    catalog = _catalog(corpus)
    if not catalog:
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="../shared corpus not available"))]
    params = []
    for name, entry in sorted(catalog.items()):
        marks = []
        if name in CATALOG_DISAGREEMENTS:
            marks.append(pytest.mark.xfail(reason=CATALOG_DISAGREEMENTS[name], strict=True))
        params.append(pytest.param(name, entry["verdict"], marks=marks, id=name))
    return params


def _check(got: ImageVerdict | None, expected: str, name: str) -> None:
    assert got is not None, f"{name} was not audited"
    status, reasons = EXPECTED[expected]
    assert got.status.value == status, f"{name}: {got.summary()}; findings: {[f.message for f in got.findings]}"
    if reasons:
        assert reasons & {r.value for r in got.reasons}, f"{name}: reasons {got.reasons}"


@pytest.mark.parametrize(("name", "expected"), _cases("public"))
def test_public_corpus_verdict(name: str, expected: str, shared_trust) -> None:  # type: ignore[no-untyped-def]
    _check(_audited("public", shared_trust).get(name), expected, name)


@pytest.mark.parametrize(("name", "expected"), _cases("public-metadata"))
def test_public_metadata_corpus_verdict(name: str, expected: str, shared_trust) -> None:  # type: ignore[no-untyped-def]
    _check(_audited("public-metadata", shared_trust).get(name), expected, name)


def test_corpus_walk_lists_catalog_files_as_skipped(shared_trust) -> None:  # type: ignore[no-untyped-def]
    """CATALOG.md, SOURCES.tsv and catalog.json sit in the corpus folder: skipped, never audited."""
    root = shared_path("fixtures", "public")
    report = audit([root], trust=shared_trust, at=datetime(2026, 11, 30, tzinfo=UTC))
    skipped = {Path(s.path).name for s in report.skipped}
    assert {"CATALOG.md", "SOURCES.tsv", "catalog.json"} <= skipped
    assert len(report.images) == len(_catalog("public"))


def test_trust_list_decides_trusted(shared_trust) -> None:  # type: ignore[no-untyped-def]
    """A genuine Adobe signature is Trusted only with the C2PA lists as anchors (ecosystem §0 item 2)."""
    from provenance import read_evidence

    image = shared_path("fixtures", "public", "example-assets", "car-es-Ps-Cr.jpg")
    trusted = read_evidence(image, shared_trust)
    untrusted = read_evidence(image)
    assert trusted.credentials.validation_state.value == "Trusted"
    assert untrusted.credentials.validation_state.value == "Valid"
    assert "signingCredential.untrusted" in {s.code for s in untrusted.credentials.status_codes}
