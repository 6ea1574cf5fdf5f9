"""The common case in one call: audit these paths under this policy with these anchors.

    from datetime import UTC, datetime
    import provenance

    report = provenance.audit(["delivery/"], trust=provenance.TrustConfig.from_pem_files(["studio-root.pem"]),
                              at=datetime.now(UTC))
    for image in report.images:
        print(image.path, image.status, image.reasons)
    report.raise_for_status()   # raises provenance.NonCompliant unless every image is compliant

The building blocks are importable for tools: :func:`collect_inputs`,
:func:`provenance.evidence.read_evidence`, :func:`provenance.classify.classify_evidence`,
:func:`provenance.policy.evaluate` (read, classify, judge: one image at a time).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ._trust_notes import trust_notes
from ._version import __version__
from .classify import classify_evidence
from .errors import UsageError
from .evidence import (
    IMAGE_EXTENSIONS,
    c2pa_versions,
    read_evidence,
    sniff_media_type,
    unreadable_evidence,
)
from .policy import Policy, default_policy, evaluate
from .report import AuditReport, PolicyInfo, SkippedFile, TrustInfo
from .trust import TrustConfig
from .verdict import ImageVerdict

__all__ = ["Inputs", "audit", "audit_files", "collect_inputs", "tool_versions"]


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a set of command-line paths expands to: image files to audit, files skipped."""

    images: tuple[Path, ...]
    skipped: tuple[SkippedFile, ...]
    unreadable: tuple[SkippedFile, ...] = ()
    """Folders that could not be listed: images may hide there, so each is
    reported as an unreadable entry of the audit, never silently passed."""


def _looks_like_image(path: Path) -> bool:
    if path.suffix.lower() in IMAGE_EXTENSIONS:
        return True
    if not path.is_file():
        return False  # never open a pipe, socket or device: reading could block forever
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return sniff_media_type(head) is not None


def collect_inputs(paths: Iterable[str | Path] | str | Path) -> Inputs:
    """Expand files and folders into the images to audit.

    Every file named directly is audited (whatever it is: a non-image is then
    reported unreadable). Folders are walked recursively in sorted order; a
    file is audited when its content sniffs as an image or its name has an
    image extension, and listed as skipped otherwise. Symbolic links to
    folders are not followed (so a link loop cannot hang the walk); they are
    listed as skipped. A broken link with an image name is audited (and found
    unreadable); a folder that cannot be listed is kept in ``unreadable``.

    Raises:
        UsageError: a named path does not exist.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]  # one path, not its characters
    images: list[Path] = []
    skipped: list[SkippedFile] = []
    unreadable: list[SkippedFile] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        if path not in seen:
            seen.add(path)
            images.append(path)

    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"no such file or folder: {raw}")
        if not path.is_dir():
            add(path)
            continue
        def refused(error: OSError, path: Path = path) -> None:
            where = error.filename or str(path)
            unreadable.append(SkippedFile(
                str(where), f"the folder cannot be read ({error.strerror or error}): images in it were not audited"
            ))

        for folder, dirnames, filenames in os.walk(path, followlinks=False, onerror=refused):
            dirnames.sort()
            base = Path(folder)
            for name in list(dirnames):
                if (base / name).is_symlink():
                    skipped.append(SkippedFile(str(base / name), "symbolic link to a folder (not followed)"))
            for name in sorted(filenames):
                candidate = base / name
                if candidate.is_symlink() and not candidate.exists():
                    if candidate.suffix.lower() in IMAGE_EXTENSIONS:
                        add(candidate)  # an image the delivery names but does not hold: unreadable
                    else:
                        skipped.append(SkippedFile(str(candidate), "broken symbolic link"))
                elif _looks_like_image(candidate):
                    add(candidate)
                else:
                    skipped.append(SkippedFile(str(candidate), "not an image"))
    return Inputs(images=tuple(images), skipped=tuple(skipped), unreadable=tuple(unreadable))


def tool_versions() -> dict[str, str]:
    """Versions of `provenance` and of the C2PA reader it uses."""
    return {"provenance": __version__, **c2pa_versions()}


def audit_files(
    inputs: Inputs,
    *,
    policy: Policy | None = None,
    trust: TrustConfig | None = None,
    at: datetime | None = None,
    progress: Callable[[Path], None] | None = None,
    thumbnails: bool = False,
) -> AuditReport:
    """Audit already-collected inputs (see :func:`audit` for the arguments).

    ``progress`` is called once per image, after it is audited; ``thumbnails`` keeps each active
    manifest's own thumbnail in the report (for ``--format html`` and ``provenance report``).
    """
    policy = policy or default_policy()
    trust = trust or TrustConfig()
    if at is not None and at.tzinfo is None:
        raise UsageError("the evaluation time must be timezone-aware (e.g. datetime.now(UTC))")
    at = (at or datetime.now(UTC)).astimezone(UTC)
    verdicts: list[ImageVerdict] = []
    for path in inputs.images:
        verdicts.append(evaluate(classify_evidence(read_evidence(path, trust, thumbnails=thumbnails)), policy))
        if progress is not None:
            progress(path)
    for folder in inputs.unreadable:
        verdicts.append(evaluate(classify_evidence(unreadable_evidence(folder.path, folder.why)), policy))
    sources = tuple(
        {k: v for k, v in {
            "name": s.name, "location": s.location, "anchors": s.anchors, "digest": s.digest,
            "kind": s.kind, "role": s.role if s.role != "anchors" else None,
            "fetched_at": s.fetched_at.isoformat().replace("+00:00", "Z") if s.fetched_at else None,
            "age_days": (at - s.fetched_at).days if s.fetched_at else None,
        }.items() if v is not None}
        for s in trust.sources
    )
    warnings, advice = trust_notes(trust, verdicts, at=at, max_age_days=policy.trust.max_trust_list_age_days)
    return AuditReport(
        images=tuple(verdicts),
        skipped=inputs.skipped,
        policy=PolicyInfo(policy.id, policy.version, policy.sha256, policy.source),
        trust=TrustInfo(fingerprints=trust.fingerprints, sources=sources, eku_oids=trust.eku_oids,
                        warnings=warnings, advice=advice),
        evaluated_at=at,
        tool=tool_versions(),
    )


def audit(
    paths: Sequence[str | Path] | str | Path,
    *,
    policy: Policy | None = None,
    trust: TrustConfig | None = None,
    at: datetime | None = None,
) -> AuditReport:
    """Audit images and folders of images.

    Args:
        paths: files and folders (walked recursively; see :func:`collect_inputs`);
            a single path may be given as a string or ``Path``.
        policy: the policy; ``None`` is the default studio charter.
        trust: trust anchors; ``None`` trusts nothing (every image is then at
            best ``indeterminate`` with ``credentials_untrusted``).
        at: the evaluation time recorded in the report, timezone-aware; ``None`` is now.
    Returns:
        An :class:`~provenance.report.AuditReport` of frozen results.
    Raises:
        UsageError: a named path does not exist, or ``at`` is a naive datetime.
    Side effects: reads the files; writes nothing; no network.
    """
    return audit_files(collect_inputs(paths), policy=policy, trust=trust, at=at)
