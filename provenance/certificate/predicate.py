"""The ``predicate`` check: the policy recorded, the evaluation time, the ignore globs, and that every
subject has exactly one entry, a compliant image or a file covered by digest (``docs/certificate.md``).

Runs only after the signature verified: the predicate is the studio's signed
statement, so these checks catch a buggy or hand-made certificate, not forgery.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ..verdict import Status
from ._text import _brief, _clip
from .globs import malformed_ignore
from .naming import _is_unicode
from .results import _Checks

__all__ = ["CLOCK_SKEW", "check_predicate", "parse_evaluated_at"]

CLOCK_SKEW = timedelta(minutes=5)
"""How far ``evaluatedAt`` may be ahead of the verifier's clock (clocks drift; a certificate from
the future is refused beyond this, ``predicate.time_invalid``)."""

_RFC3339_UTC = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


_Problem = tuple[str, str]
"""A failed predicate check: (code, message)."""


def parse_evaluated_at(text: Any) -> datetime | None:
    """``evaluatedAt`` as a UTC datetime, or ``None`` unless it is ``YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z``
    (RFC 3339 section 5.6, UTC only) naming a real calendar date and time (no second 60, no month 13).

    Digits past microseconds are dropped (Python keeps six).
    """
    if not isinstance(text, str) or not text.isascii():
        return None
    found = _RFC3339_UTC.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in found.groups()[:6])
    micro = int((found.group(7) or "0").ljust(9, "0")[:6])
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError:
        return None


def _policy(predicate: Mapping[str, Any]) -> _Problem | None:
    policy = predicate.get("policy")
    if not isinstance(policy, dict) or not all(isinstance(policy.get(k), str) for k in ("id", "version", "sha256",
                                                                                           "text")):
        return ("predicate.malformed", "the predicate does not record the policy (id, version, sha256, text)")
    if not _is_unicode(policy["text"]):
        return ("predicate.malformed", "the policy text recorded is not valid Unicode")
    if hashlib.sha256(policy["text"].encode("utf-8")).hexdigest() != policy["sha256"]:
        return ("predicate.policy_digest", "the policy text recorded does not match the policy sha256 recorded")
    return None


def _check_time(predicate: Mapping[str, Any], now: datetime) -> _Problem | None:
    recorded = predicate.get("evaluatedAt")
    if recorded is None:
        return ("predicate.malformed", "the predicate does not record the evaluation time")
    moment = parse_evaluated_at(recorded)
    if moment is None:
        return ("predicate.time_invalid", f"the evaluation time recorded, {_brief(recorded)}, is not an "
                                                 "RFC 3339 UTC date and time (YYYY-MM-DDTHH:MM:SSZ)")
    if moment > now + CLOCK_SKEW:
        return ("predicate.time_invalid",
                       f"the evaluation time recorded, {recorded}, is in the future: later than this verifier's "
                       f"clock ({now.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}) plus {CLOCK_SKEW.seconds // 60} minutes")
    return None


def _check_entries(predicate: Mapping[str, Any]) -> _Problem | None:
    """``images``, ``files`` and ``ignore`` well formed (``files``/``ignore`` absent: none, as in
    certificates made before they existed)."""
    images = predicate.get("images")
    if not isinstance(images, list) or not all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in images):
        return ("predicate.malformed", "the predicate does not list the images")
    files = predicate.get("files", [])
    if not isinstance(files, list):
        return ("predicate.malformed", "the predicate's files entry is not a list")
    for index, entry in enumerate(files):
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"]
                and _is_unicode(entry["name"]) and isinstance(entry.get("sha256"), str)
                and _SHA256_HEX.fullmatch(entry["sha256"]) and type(entry.get("size")) is int and entry["size"] >= 0
                and entry.get("audited") is False):
            return ("predicate.malformed", f"the predicate's file #{index + 1} is not "
                                                  "{name, sha256, size, audited: false}")
    why = malformed_ignore(predicate.get("ignore", []))
    return None if why is None else ("predicate.malformed", why)


def _check_coverage(predicate: Mapping[str, Any], subjects: Mapping[str, str]) -> _Problem | None:
    """Every subject exactly once: a compliant image or a file not audited, with the subject's digest."""
    by_name: dict[str, tuple[str, dict[str, Any]]] = {}
    for kind, entries in (("image", predicate["images"]), ("file", predicate.get("files", []))):
        for entry in entries:
            name = unicodedata.normalize("NFC", entry["name"])
            if name in by_name:
                return ("predicate.inconsistent", f"the predicate lists {_clip(name)} more than once")
            by_name[name] = (kind, entry)
    for name, sha256 in subjects.items():
        kind, entry = by_name.get(name, ("", {}))
        if entry.get("sha256") != sha256 or (kind == "image" and entry.get("status") != Status.COMPLIANT.value):
            return ("predicate.inconsistent", f"the predicate does not record a compliant verdict or a "
                                                     f"covered file for {_clip(name)} with the subject's digest")
    extra = sorted(set(by_name) - set(subjects))
    if extra:
        return ("predicate.inconsistent", f"the predicate lists {_clip(extra[0])}, which is not a subject")
    return None


def check_predicate(predicate: Any, subjects: dict[str, str] | None, checks: _Checks, now: datetime) -> None:
    """Append the ``predicate`` check to ``checks`` (``now``: the verifier's clock, timezone-aware)."""
    if not isinstance(predicate, dict):
        checks.failed("predicate", "predicate.malformed", "the statement has no predicate object")
        return
    problem = _policy(predicate) or _check_time(predicate, now) or _check_entries(predicate)
    if problem is None and subjects is None:
        checks.skipped(("predicate",), "the subjects are unusable")
        return
    problem = problem or _check_coverage(predicate, subjects or {})
    if problem is not None:
        checks.failed("predicate", *problem)
        return
    files = predicate.get("files", [])
    others = f", and every other file covered by digest ({len(files)})" if files else ""
    checks.passed("predicate", f"a compliant verdict for every image{others}, under policy "
                               f"{predicate['policy']['id']} {predicate['policy']['version']}, "
                               f"evaluated {predicate['evaluatedAt']}")
