"""Rendering an audit report for people and programs: text, JSON, HTML.

The library's result objects hold data; how it is shown lives here (``AuditReport.to_text()``
delegates to :func:`render_text`). Text output escapes control characters and undecodable bytes in
file names, so every line is one the tool wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from ..model import Category, Decision, Finding
from ..report import display_path
from ._advice import advice_lines

if TYPE_CHECKING:
    from ..report import AuditReport, PolicyInfo, SkippedFile, TrustInfo
    from ..verdict import ImageVerdict

__all__ = ["printable", "render_report", "render_text", "text_lines"]

_HEADLINE_LIMIT = 5


def render_report(report: AuditReport, output_format: str, *, verbose: bool = False) -> str:
    """The report in ``output_format`` (``text``, ``json`` or ``html``) as text."""
    if output_format == "json":
        return report.to_json()
    if output_format == "html":
        from ._html import render_html

        return render_html(report.to_dict())
    return render_text(report, verbose=verbose)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def headline_findings(image: ImageVerdict) -> tuple[list[Finding], int]:
    """The findings that explain a non-compliant or indeterminate verdict, and how many more there are.

    These are the blocking findings (those with a reason): forbidden ones first, then
    credential, timestamp and file problems, then those sent to review, so that every
    reason of the verdict is explained before the list is cut.
    """
    if image.ok:
        return [], 0

    def rank(finding: Finding) -> int:
        if finding.decision is Decision.FORBIDDEN:
            return 0
        if finding.decision is None:
            return 1  # credentials, timestamps, an unreadable file: not a policy decision
        return 2

    wanted = [finding for finding in image.findings if finding.reason is not None]  # the blocking findings
    ordered = sorted(wanted, key=rank)
    # Make sure each rank is represented before cutting.
    firsts = [next(f for f in ordered if rank(f) == r) for r in sorted({rank(f) for f in ordered})]
    rest = [f for f in ordered if f not in firsts]
    shown = sorted(firsts + rest[: max(0, _HEADLINE_LIMIT - len(firsts))], key=rank)
    return shown, len(ordered) - len(shown)




def printable(text: str) -> str:
    """``text`` (a file name, a manifest or metadata value) safe to print on a terminal line.

    The escaping is :func:`provenance.report.display_path`'s (undecodable bytes as ``\\xNN``, controls,
    separators and bidirectional controls as escapes), so every line is one the tool wrote.
    """
    return display_path(text)


def _details(image: ImageVerdict, indent: str) -> list[str]:
    """``-v``: what a person checking a compliant image wants to see too."""
    lines = []
    state = image.validation_state.value if image.validation_state else "no manifest store"
    lines.append(f"{indent}credentials: {image.credentials}; validation state: {state}; "
                 f"assurance: {image.assurance.value}" + (f"; signer: {printable(image.signer)}" if image.signer else ""))
    origins = [f for f in image.findings if f.category is Category.UNDOCUMENTED_ORIGIN]
    for finding in origins:
        lines.append(f"{indent}origin undocumented: {printable(finding.message)} ({printable(finding.location.describe())})")
    for warning in image.warnings:
        lines.append(f"{indent}warning: {printable(warning)}")
    if image.validation_state is not None and image.validation_state.value == "Invalid" and image.ok:
        lines.append(f"{indent}note: the reader's state is Invalid only because of the warnings above, "
                     "which the policy does not count against the image")
    return lines


def render_text(report: AuditReport, *, verbose: bool = False) -> str:
    """One line per image (then the findings behind a verdict that is not compliant; with
    ``verbose``, every image's validation state, origin and warnings), skipped files and a summary."""
    width = max((len(image.status.value) for image in report.images), default=0)
    lines = text_lines(report.images, width=width, skipped=report.skipped, counts=report.counts,
                       policy=report.policy, trust=report.trust, verbose=verbose)
    return "".join(line + "\n" for line in lines)


def text_lines(images: Iterable[ImageVerdict], *, width: int, skipped: Sequence[SkippedFile],
               counts: Mapping[str, int], policy: PolicyInfo, trust: TrustInfo, verbose: bool = False) -> Iterator[str]:
    """The lines of :func:`render_text` (without line ends), made one image at a time.

    Args:
        images: the verdicts, in order; iterated once.
        width: the status column's width (the longest status among ``images``; 0 when none).
        skipped, counts, policy, trust: the report's other parts (``counts`` per status).
        verbose: as for :func:`render_text`.
    """
    indent = f"{'':<{width}}    "
    total = 0
    for image in images:
        total += 1
        why = ", ".join(reason.value for reason in image.reasons)
        yield (f"{image.status.value.upper():<{width}}  {printable(image.path)}"
               + (f"  [{why}]" if why else ""))
        shown, hidden = headline_findings(image)
        for finding in shown:
            where = finding.location.describe() if finding.location.as_dict() else ""
            yield f"{indent}- {printable(finding.message)}" + (f" ({printable(where)})" if where else "")
        if hidden:
            yield f"{indent}(+{hidden} more; --format json lists every finding)"
        if verbose:
            yield from _details(image, indent)
    for entry in skipped:
        yield f"{'SKIPPED':<{width}}  {printable(entry.path)}  ({printable(entry.why)})"
    yield ""
    yield (
        f"{_plural(total, 'image')}: {counts['compliant']} compliant, "
        f"{counts['non_compliant']} non-compliant, {counts['indeterminate']} indeterminate; "
        f"{_plural(len(skipped), 'other file')} skipped (policy {policy.id} {policy.version})"
    )
    if not total:
        yield "warning: no images found in the paths given: nothing was audited"
    for warning in trust.warnings:
        yield f"warning: {printable(warning)}"
    yield from advice_lines(trust.advice)  # the library's advice codes, as commands


def dumps(data: object) -> str:
    """Indented JSON text, UTF-8 safe (used for ``inspect --format json``)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
