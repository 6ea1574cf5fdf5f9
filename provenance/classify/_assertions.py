"""Information-only assertions: training-and-data-mining reservations and compliance records.

These assertions say something about an image that matters to people, but
nothing that decides a verdict, so they become findings with **no decision**
(``Finding.decision is None``) that :func:`provenance.policy.evaluate` lists and
never weighs:

- ``cawg.training-mining`` (CAWG Training and Data Mining Assertion 1.1,
  https://github.com/decentralized-identity/cawg-training-and-data-mining-assertion
  ``docs/modules/ROOT/partials/assertion-definition.adoc``) and its C2PA 1.4
  predecessor ``c2pa.training-mining`` (C2PA 1.4 §19.23, absent from 2.x):
  an ``entries`` map of ``use`` = ``allowed`` / ``notAllowed`` / ``constrained``
  with an optional ``constraints_info``; ``constrained`` without more
  information reads as ``notAllowed`` (the CAWG text). ecosystem.md §5.
- :data:`COMPLIANCE_LABEL`, the record ``provenance stamp`` writes
  (``docs/stamp.md``): the verdict, the policy, the original file's SHA-256, the
  tool and the evaluation time. Anyone can write such an assertion into a
  manifest they sign, so it is reported as a claim of its signer, never
  believed: the image is judged on its own chain like any other.

Caps (the data is attacker-controlled): at most :data:`MAX_ENTRIES` entries
are listed per assertion (the rest are counted) and every text is cut to
:data:`MAX_TEXT` characters.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..model import AssertionRecord, CredentialsEvidence, Finding, ManifestRecord

__all__ = [
    "COMPLIANCE_LABEL",
    "MAX_ENTRIES",
    "MAX_TEXT",
    "TRAINING_MINING_LABELS",
    "information_findings",
]

COMPLIANCE_LABEL = "org.photo-provenance.compliance"
"""Label of the compliance record `provenance stamp` writes (``docs/stamp.md``)."""
TRAINING_MINING_LABELS = ("cawg.training-mining", "c2pa.training-mining")
"""The CAWG label (written by `provenance stamp`) and the legacy C2PA 1.4 one (still read)."""
MAX_ENTRIES = 16
"""Entries listed per training-mining assertion; more are counted, not listed."""
MAX_TEXT = 200
"""Characters kept of any text taken from an assertion."""

_USES = {"allowed": "allowed", "notAllowed": "not allowed", "constrained": "constrained"}
_SOURCE_TDM = "CAWG training-mining 1.1 assertion-definition; C2PA 1.4 §19.23; ecosystem.md §5"
_SOURCE_RECORD = "docs/stamp.md (compliance record); information only: anyone can write one"


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _entry(name: str, raw: Any) -> str:
    entry = raw if isinstance(raw, Mapping) else {}
    use = entry.get("use")
    info = _text(entry.get("constraints_info", entry.get("constraint_info")))
    if not isinstance(use, str) or use not in _USES:
        return f"{name}: unreadable use {_text(use) or '(none)'}"
    reading = _USES[use]
    if use == "constrained":
        reading += f" ({info})" if info else " (no information given: read as not allowed)"
    elif info:
        reading += f" ({info})"
    return f"{name}: {reading}"


def _training_mining(manifest: ManifestRecord, assertion: AssertionRecord, base: str) -> Finding:
    raw_entries = assertion.data.get("entries")
    entries = raw_entries if isinstance(raw_entries, Mapping) else {}
    names = [name for name in entries if isinstance(name, str)]
    listed = [_entry(_text(name) or "(unnamed)", entries[name]) for name in sorted(names)[:MAX_ENTRIES]]
    more = len(names) - len(listed)
    legacy = " (the C2PA 1.4 label; CAWG now defines it as cawg.training-mining)" if base.startswith("c2pa.") else ""
    if listed:
        body = "; ".join(listed) + (f"; +{more} more" if more > 0 else "")
    else:
        body = "no readable entries"
    signer = manifest.signer.describe()
    return Finding(
        code="assertion.training_mining",
        message=f"Training and data mining reservation by {signer}{legacy}: {body}. "
        "Information only: it does not decide the verdict, and it asks, it does not prevent",
        location=assertion.location,
        signal=base,
        source_ref=_SOURCE_TDM,
    )


def _compliance_record(manifest: ManifestRecord, assertion: AssertionRecord) -> Finding:
    data = assertion.data
    policy = data.get("policy") if isinstance(data.get("policy"), Mapping) else {}
    original = data.get("original") if isinstance(data.get("original"), Mapping) else {}
    tool = data.get("tool") if isinstance(data.get("tool"), Mapping) else {}
    parts = [f"verdict {_text(data.get('verdict')) or '(none)'}"]
    if policy:
        parts.append(f"policy {_text(policy.get('id')) or '?'} {_text(policy.get('version')) or '?'} "
                     f"(sha256 {_text(policy.get('sha256')) or '?'})")
    if original:
        parts.append(f"original sha256 {_text(original.get('sha256')) or '?'}")
    if tool:
        parts.append(f"by {_text(tool.get('name')) or '?'} {_text(tool.get('version')) or ''}".rstrip())
    if data.get("evaluatedAt") is not None:
        parts.append(f"evaluated {_text(data.get('evaluatedAt'))}")
    return Finding(
        code="assertion.compliance_record",
        message=f"Compliance record signed by {manifest.signer.describe()}: {', '.join(parts)}. "
        "Information only: anyone can write one; this image is judged on its own chain",
        location=assertion.location,
        signal=_text(data.get("verdict")),
        source_ref=_SOURCE_RECORD,
    )


def _findings(manifest: ManifestRecord) -> Iterator[Finding]:
    for assertion in manifest.assertions:
        base = assertion.label.split("__", 1)[0]
        if base in TRAINING_MINING_LABELS:
            yield _training_mining(manifest, assertion, base)
        elif base == COMPLIANCE_LABEL:
            yield _compliance_record(manifest, assertion)


def information_findings(credentials: CredentialsEvidence) -> tuple[Finding, ...]:
    """Findings for the information-only assertions of every manifest in the chain.

    Args:
        credentials: what the C2PA reader found (any presence; without
            manifests there is nothing to report).
    Returns:
        One finding per training-mining assertion (``assertion.training_mining``)
        and per compliance record (``assertion.compliance_record``), in walk
        order (active manifest first), each with ``decision`` ``None``.
    """
    return tuple(finding for manifest in credentials.manifests for finding in _findings(manifest))
