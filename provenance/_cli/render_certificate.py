"""Text for people from certificate results: ``verify`` reports and ``certificate show``.

The library's result types hold data; how they read on a terminal is decided
here (``VerificationResult.to_text`` delegates to :func:`verification_text`).
Every line passes through the escaping of :mod:`provenance.certificate._text`,
so a file name or a certificate field cannot forge a line.
"""

from __future__ import annotations

from ..certificate._text import _printable
from ..certificate.results import CheckStatus, FileState, VerificationResult

__all__ = ["exit_code", "verification_text"]


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
    if result.reaudit is not None and not result.reaudit.ok:
        parts.append(f"re-audit: {len(result.reaudit.changes)} verdict(s) changed" if not result.reaudit.error
                     else "re-audit could not run")
    return "FAILED: " + "; ".join(parts) + "."

