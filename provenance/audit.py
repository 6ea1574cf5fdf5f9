"""The common case in one call: audit these paths under this policy with these anchors.

    from datetime import UTC, datetime
    import provenance

    report = provenance.audit(["delivery/"], trust=provenance.TrustConfig.from_pem_files(["studio-root.pem"]),
                              at=datetime.now(UTC))
    for image in report.images:
        print(image.path, image.status, image.reasons)
    report.raise_for_status()   # raises provenance.NonCompliant unless every image is compliant

The building blocks are importable for tools: :func:`collect_inputs` and :class:`InputWalk`
(from :mod:`provenance._walk`),
:func:`provenance.evidence.read_evidence`, :func:`provenance.classify.classify_evidence`,
:func:`provenance.policy.evaluate` (read, classify, judge: one image at a time).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ._trust_notes import trust_notes
from ._version import __version__
from ._walk import FileId, Inputs, InputWalk, collect_inputs
from .classify import classify_evidence
from .errors import UsageError
from .evidence import c2pa_versions, read_evidence, unreadable_evidence
from .policy import Policy, default_policy, evaluate
from .report import AuditReport, PolicyInfo, ReportHeader, TrustInfo
from .trust import TrustConfig
from .verdict import ImageVerdict

if TYPE_CHECKING:
    from ._pool import Caps

__all__ = [
    "FileId", "InputWalk", "Inputs", "audit", "audit_files", "audit_image", "collect_inputs", "iter_verdicts", "prepare_reader", "report_header",
    "evaluation_time", "tool_versions",
]


def tool_versions() -> dict[str, str]:
    """Versions of `provenance` and of the C2PA reader it uses."""
    return {"provenance": __version__, **c2pa_versions()}


def prepare_reader(trust: TrustConfig) -> None:
    """Build the C2PA reader context for ``trust`` now (once per process; workers call it at start)."""
    from .evidence._c2pa import _context

    _context(trust.pem_bundle(), tuple(trust.eku_oids), trust.allowed_bundle())


def _failed(path: Path | str, reason: str, policy: Policy) -> ImageVerdict:
    return evaluate(classify_evidence(unreadable_evidence(str(path), reason)), policy)


OUT_OF_MEMORY = "ran out of memory while reading this file: it could not be read"


def audit_image(path: Path | str, policy: Policy, trust: TrustConfig, *, thumbnails: bool = False) -> ImageVerdict:
    """Read, classify and judge one file; whatever goes wrong gives an ``unreadable`` verdict, never an exception.

    ``MemoryError``, ``RecursionError`` and any other exception while reading or judging make the file
    ``unreadable`` with a plain reason (never a tampering finding); the batch goes on (#9.2).
    ``thumbnails`` keeps the active manifest's own thumbnail (for HTML reports).
    """
    return audit_image_sound(path, policy, trust, thumbnails=thumbnails)[0]


def audit_image_sound(path: Path | str, policy: Policy, trust: TrustConfig, *,
                      thumbnails: bool = False) -> tuple[ImageVerdict, bool]:
    """:func:`audit_image`, and whether the process is still sound (``False`` after a ``MemoryError``:
    a worker then exits and is replaced)."""
    sound = True
    try:
        verdict = evaluate(classify_evidence(read_evidence(path, trust, thumbnails=thumbnails)), policy)
    except MemoryError:
        sound = False
        verdict = _failed(path, OUT_OF_MEMORY, policy)
    except RecursionError:
        verdict = _failed(path, "the file nests its structures too deeply to be read: it could not be read", policy)
    except Exception as error:  # noqa: BLE001 - one file never stops the batch (#9.2)
        verdict = _failed(path, f"an internal error stopped the reading of this file ({type(error).__name__}: {error})",
                          policy)
    return verdict, sound


def iter_verdicts(
    inputs: Inputs | InputWalk,
    *,
    policy: Policy,
    trust: TrustConfig,
    jobs: int | None = None,
    caps: Caps | None = None,
    progress: Callable[[Path], None] | None = None,
    thumbnails: bool = False,
) -> Iterator[ImageVerdict]:
    """Yield the verdict of every input image, in input order, then one per unlistable folder.

    ``inputs``: a collected :class:`Inputs`, or an :class:`InputWalk` consumed as the files are
    audited (memory flat in the number of images). ``jobs`` ``None`` or ``0``, or a single image, audits in this
    process (no time or memory cap: a native abort ends the run); ``jobs >= 1`` with several images
    uses that many supervised worker processes (:mod:`provenance._pool`; never more than there are
    images), each file under ``caps``; a worker that dies or runs over a cap makes its file
    ``unreadable`` and is replaced.
    """
    if jobs is not None and jobs < 0:
        raise UsageError(f"jobs must be 0 or more (0 or None: in this process), not {jobs}")
    jobs = jobs or None  # 0 audits in this process, as `--jobs 0` does (it started one worker)
    images: Iterator[Path] = iter(inputs.images if isinstance(inputs, Inputs) else inputs)
    # Look ahead only as far as the pool's size needs: at most `jobs` paths are held.
    ahead = list(itertools.islice(images, max(2, jobs or 0))) if jobs is not None else []
    if jobs is None or len(ahead) <= 1:
        for path in itertools.chain(ahead, images):
            yield audit_image(path, policy, trust, thumbnails=thumbnails)
            if progress is not None:
                progress(path)
    else:
        from ._pool import Caps, WorkerPool

        def failed(path: Path, reason: str) -> ImageVerdict:
            return _failed(path, reason, policy)

        with WorkerPool(min(jobs, len(ahead)), policy, trust, caps or Caps(), failed,
                        thumbnails=thumbnails) as pool:
            for path, verdict in pool.pairs(itertools.chain(ahead, images)):
                yield verdict
                if progress is not None:
                    progress(path)
    for folder in inputs.unreadable:
        yield _failed(folder.path, folder.why, policy)


def evaluation_time(at: datetime | None) -> datetime:
    """``at`` in UTC, or now.

    Raises:
        UsageError: ``at`` is a naive datetime.
    """
    if at is not None and at.tzinfo is None:
        raise UsageError("the evaluation time must be timezone-aware (e.g. datetime.now(UTC))")
    return (at or datetime.now(UTC)).astimezone(UTC)


def report_header(policy: Policy, trust: TrustConfig, at: datetime, verdicts: Sequence[ImageVerdict]) -> ReportHeader:
    """What a report says besides its images: policy, trust material with its warnings and advice, time, tool.

    ``verdicts`` are those the trust advice looks at (untrusted signers); a streamed report passes only
    the images with ``credentials_untrusted`` (see :class:`~provenance.report.ReportWriter`).
    """
    sources = tuple(
        {
            "name": s.name, "location": s.location, "anchors": s.anchors, "digest": s.digest,
            "kind": s.kind, "role": s.role if s.role != "anchors" else None,
            "fetched_at": s.fetched_at.isoformat().replace("+00:00", "Z") if s.fetched_at else None,
            "age_days": (at - s.fetched_at).days if s.fetched_at else None,
        }  # every key, None when not known: the JSON report shows each source the same way
        for s in trust.sources
    )
    warnings, advice = trust_notes(trust, verdicts, at=at, max_age_days=policy.trust.max_trust_list_age_days)
    return ReportHeader(
        policy=PolicyInfo(policy.id, policy.version, policy.sha256, policy.source),
        trust=TrustInfo(fingerprints=trust.fingerprints, sources=sources, eku_oids=trust.eku_oids,
                        warnings=warnings, advice=advice),
        evaluated_at=at,
        tool=tool_versions(),
    )


def audit_files(
    inputs: Inputs | InputWalk,
    *,
    policy: Policy | None = None,
    trust: TrustConfig | None = None,
    at: datetime | None = None,
    progress: Callable[[Path], None] | None = None,
    thumbnails: bool = False,
    jobs: int | None = None,
    caps: Caps | None = None,
) -> AuditReport:
    """Audit already-collected inputs, or an :class:`InputWalk` (see :func:`audit` for the arguments).

    ``progress`` is called once per image, after it is audited; ``thumbnails`` keeps each active
    manifest's own thumbnail in the report (for ``--format html`` and ``provenance report``).
    ``jobs`` and ``caps``: see :func:`iter_verdicts` (default: in this process). The report holds every
    verdict; for batches too large to hold, stream :func:`iter_verdicts` into a
    :class:`~provenance.report.ReportWriter`.
    """
    policy = policy or default_policy()
    trust = trust or TrustConfig()
    at = evaluation_time(at)
    verdicts = tuple(iter_verdicts(inputs, policy=policy, trust=trust, jobs=jobs, caps=caps, progress=progress,
                                   thumbnails=thumbnails))
    header = report_header(policy, trust, at, verdicts)
    return AuditReport(images=verdicts, skipped=tuple(inputs.skipped), policy=header.policy, trust=header.trust,
                       evaluated_at=header.evaluated_at, tool=header.tool)


def audit(
    paths: Sequence[str | Path] | str | Path,
    *,
    policy: Policy | None = None,
    trust: TrustConfig | None = None,
    at: datetime | None = None,
    jobs: int | None = None,
) -> AuditReport:
    """Audit images and folders of images.

    Args:
        paths: files and folders (walked recursively; see :func:`collect_inputs`);
            a single path may be given as a string or ``Path``.
        policy: the policy; ``None`` is the default studio charter.
        trust: trust anchors; ``None`` trusts nothing (every image is then at
            best ``indeterminate`` with ``credentials_untrusted``).
        at: the evaluation time recorded in the report, timezone-aware; ``None`` is now.
        jobs: ``None`` or ``0`` audits in this process; a number audits in that many supervised worker
            processes with per-file time and memory caps (:mod:`provenance._pool`). Workers are
            spawned, so a script that passes ``jobs`` needs the usual ``if __name__ == "__main__":`` guard.
    Returns:
        An :class:`~provenance.report.AuditReport` of frozen results.
    Raises:
        UsageError: a named path does not exist, ``at`` is a naive datetime, or ``jobs`` is negative.
    Side effects: reads the files; writes nothing; no network.
    """
    return audit_files(collect_inputs(paths), policy=policy, trust=trust, at=at, jobs=jobs)
