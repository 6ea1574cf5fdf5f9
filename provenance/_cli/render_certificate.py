"""Text for people from certificate results: ``verify`` reports and ``certificate show``.

The library's result types hold data; how they read on a terminal is decided
here (``VerificationResult.to_text`` delegates to :func:`verification_text`).
Every line passes through the escaping of :mod:`provenance.certificate._text`,
so a file name or a certificate field cannot forge a line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..certificate._text import _brief, _clip, _json_safe, _printable
from ..certificate.envelope import Certificate
from ..certificate.results import NOTHING_CHECKED, CheckStatus, FileState, VerificationResult

__all__ = ["SHOW_SCHEMA", "exit_code", "show_dict", "show_text", "verification_text"]

SHOW_SCHEMA = "provenance.certificate-show/v1"
"""Identifier and version of ``certificate show --format json``."""


def exit_code(result: VerificationResult) -> int:
    """The ``verify`` exit code: 0 when everything verified, 1 otherwise."""
    return 0 if result.ok else 1


def verification_text(result: VerificationResult) -> str:
    """Plain words for people: each check, each file, the re-audit, then the conclusion.

    Every line is printable text: control characters, line separators and undecodable
    bytes in file names (and in anything the certificate says) are shown as escapes
    (``\\n``, ``\\xNN``...), so a file name cannot forge a line.
    """
    lines = ["Certificate:", *_check_lines(result), f"Files (delivery root {result.root}):", *_file_lines(result)]
    if result.reaudit is not None:
        lines += _reaudit_lines(result)
    lines += ["", _conclusion(result)]
    return "\n".join(_printable(line) for line in lines) + "\n"


def _check_lines(result: VerificationResult) -> list[str]:
    marks = {CheckStatus.PASSED: "ok", CheckStatus.FAILED: "FAILED", CheckStatus.SKIPPED: "-"}
    return [f"  {marks[check.status]:<7} {check.name.replace('_', ' ')}: {check.message}" for check in result.checks]


def _file_lines(result: VerificationResult) -> list[str]:
    lines = []
    if not result.files and not result.certificate_ok:
        lines.append("  not compared: the certificate could not be trusted")
    labels = {state: state.value.replace("_", " ").upper() for state in FileState}
    width = max((len(labels[item.state]) for item in result.files), default=0)
    for item in result.files:
        detail = item.message.removeprefix(item.state.value.replace("_", " ") + ": ")
        text = item.name if item.state is FileState.VERIFIED else f"{item.name}: {detail}"
        lines.append(f"  {labels[item.state]:<{width}}  {text}")
    for skipped in result.skipped:
        lines.append(f"  not checked: {skipped.path} ({skipped.why})")
    return lines


def _reaudit_lines(result: VerificationResult) -> list[str]:
    reaudit = result.reaudit
    assert reaudit is not None
    policy = result.predicate.get("policy", {})
    lines = [f"Re-audit under the certificate's policy {policy.get('id')} {policy.get('version')}:"]
    if reaudit.error:
        lines.append(f"  FAILED   {reaudit.error}")
    for change in reaudit.changes:
        lines.append(f"  CHANGED  {change.name}: {change.message}")
    if reaudit.ok:
        count = len(reaudit.report.images) if reaudit.report else 0
        lines.append(f"  unchanged: {count} image(s) still compliant")
    if reaudit.anchors_note:
        lines.append(f"  note: {reaudit.anchors_note}")
    return lines


def _conclusion(result: VerificationResult) -> str:
    if result.ok:
        predicate = result.predicate
        policy = predicate.get("policy", {})
        again = ", and re-audited unchanged" if result.reaudit is not None else ""
        if result.not_given:
            again += f"; {len(result.not_given)} certified file(s) not given (--partial), so not checked"
        return (f"VERIFIED: {len(result.verified)} file(s) are exactly those certified by key {result.key_id[:16]}… "
                f"under policy {policy.get('id')} {policy.get('version')} "
                f"(evaluated {predicate.get('evaluatedAt')}){again}.")
    parts = [f"{check.name.replace('_', ' ')} check failed" for check in result.checks
             if check.status is CheckStatus.FAILED]
    for state in (FileState.MODIFIED, FileState.RENAMED, FileState.DUPLICATE_NAME, FileState.NOT_CERTIFIED,
                  FileState.MISSING, FileState.UNREADABLE):
        count = len(result.files_in(state))
        if count:
            parts.append(f"{count} {state.value.replace('_', ' ')}")
    if result.nothing_checked:
        parts.append(NOTHING_CHECKED)
    if result.reaudit is not None and not result.reaudit.ok:
        parts.append(f"re-audit: {len(result.reaudit.changes)} verdict(s) changed" if not result.reaudit.error
                     else "re-audit could not run")
    return "FAILED: " + "; ".join(parts) + "."



def _field(value: object) -> str:
    """A field of an unverified certificate, as short text whatever its JSON type."""
    return _clip(value) if isinstance(value, str) else _brief(value)


def _subject_lines(statement: Mapping[str, Any], predicate: Mapping[str, Any]) -> list[str]:
    def by_name(key: str) -> dict[str, Mapping[str, Any]]:
        entries = predicate.get(key)
        if not isinstance(entries, list):
            return {}
        return {entry["name"]: entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("name"), str)}

    images, files = by_name("images"), by_name("files")
    subjects = statement.get("subject")
    if not isinstance(subjects, list):
        return ["Subjects: none listed"]
    lines = [f"Subjects ({len(subjects)}):"]
    for subject in subjects:
        name = subject.get("name") if isinstance(subject, dict) else None
        digest = subject.get("digest") if isinstance(subject, dict) else None
        sha256 = digest.get("sha256") if isinstance(digest, dict) else None
        short = f"sha256 {_field(sha256)[:16]}…" if sha256 is not None else "no sha256"
        if isinstance(name, str) and name in images:
            lines.append(f"  IMAGE  {_field(name)}  {_field(images[name].get('status'))}  {short}")
        elif isinstance(name, str) and name in files:
            lines.append(f"  FILE   {_field(name)}  not audited, {_field(files[name].get('size'))} bytes  {short}")
        else:
            lines.append(f"  ?      {_field(name)}  not in the predicate  {short}")
    return lines


def show_text(certificate: Certificate, statement: Mapping[str, Any]) -> str:
    """``certificate show``: what a certificate says, read without a key, headed NOT VERIFIED.

    Nothing in it is checked: every field is shown as found (clipped and escaped),
    whatever its type, so a malformed certificate still shows what it holds.
    """
    raw_predicate = statement.get("predicate")
    predicate: Mapping[str, Any] = raw_predicate if isinstance(raw_predicate, dict) else {}
    raw_policy = predicate.get("policy")
    policy: Mapping[str, Any] = raw_policy if isinstance(raw_policy, dict) else {}
    raw_tool = predicate.get("tool")
    tool: Mapping[str, Any] = raw_tool if isinstance(raw_tool, dict) else {}
    ignore = predicate.get("ignore")
    anchors = predicate.get("trustAnchors")
    key_ids = ", ".join(_field(s.keyid) if s.keyid else "(no key id)" for s in certificate.signatures)
    lines = [
        "NOT VERIFIED: this is what the certificate says, read without a key. Nothing here is trusted until",
        "`provenance verify CERT DELIVERY --key STUDIO.pub` checks its signature with the studio's public key.",
        "",
        f"Envelope: payload type {_field(certificate.payload_type)}; {len(certificate.signatures)} signature(s), "
        f"key id {key_ids}",
        f"Statement: {_field(statement.get('_type'))}; predicate type {_field(statement.get('predicateType'))}",
        f"Evaluated at: {_field(predicate.get('evaluatedAt'))}",
        f"Policy: {_field(policy.get('id'))} {_field(policy.get('version'))} (sha256 {_field(policy.get('sha256'))})",
        f"Tool: {_field(tool.get('name'))} {_field(tool.get('version'))} ("
        + ", ".join(f"{_field(k)} {_field(v)}" for k, v in tool.items() if k not in ("name", "version")) + ")",
        f"Trust anchors recorded: {len(anchors) if isinstance(anchors, list) else _field(anchors)}",
        "Ignored (--ignore): " + (", ".join(_field(g) for g in ignore) if isinstance(ignore, list) and ignore
                                  else "none" if ignore in ([], None) else _field(ignore)),
        *_subject_lines(statement, predicate),
    ]
    return "\n".join(_printable(line) for line in lines) + "\n"


def show_dict(certificate: Certificate, statement: Mapping[str, Any]) -> dict[str, Any]:
    """``certificate show --format json``: the envelope's key ids and the Statement as found, ``verified: false``."""
    data = {
        "schema": SHOW_SCHEMA,
        "verified": False,
        "payload_type": certificate.payload_type,
        "signatures": [{"keyid": s.keyid} for s in certificate.signatures],
        "statement": dict(statement),
    }
    safe: dict[str, Any] = _json_safe(data)
    return safe
