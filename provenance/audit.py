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

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

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
from .report import AuditReport, PolicyInfo, ReportHeader, SkippedFile, TrustInfo
from .trust import TrustConfig
from .verdict import ImageVerdict

if TYPE_CHECKING:
    from ._pool import Caps

__all__ = [
    "InputWalk", "Inputs", "audit", "audit_files", "audit_image", "collect_inputs", "iter_verdicts", "prepare_reader", "report_header",
    "evaluation_time", "tool_versions",
]


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
    try:
        if not path.is_file():
            return False  # never open a pipe, socket or device: reading could block forever
    except OSError:
        return True  # cannot be examined (a path longer than the system takes): audited, found unreadable
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return sniff_media_type(head) is not None


def _under(path: Path, root: Path, *, folder: bool, unlisted: set[Path]) -> bool:
    """Whether the walk of folder ``root`` reaches ``path``: ``path`` is ``root`` or lies lexically
    below it with no symbolic link to a folder on the way (the walk never follows one; a ``folder``
    that is itself such a link is not reached either, while a link to a file is listed as it is) and
    no folder on the way in ``unlisted`` (the walk could not list it).

    Lexically below means: both relative or both absolute (``.`` has no parts, so an absolute path
    starts with it too), and no ``..`` after ``root`` (``top/../other`` leaves the walk). A path that
    might be reached is "not reached": at worst a file is audited twice, never left out."""
    parts, top = path.parts, root.parts
    if parts[:len(top)] != top or path.is_absolute() != root.is_absolute():
        return False
    tail = parts[len(top):]
    if ".." in tail:
        return False
    between = root
    if between in unlisted:
        return False
    for part in tail if folder else tail[:-1]:
        between = between / part
        if between in unlisted or _is_link(between) is not False:
            return False
    return True


def _is_link(path: Path) -> bool | None:
    """Whether ``path`` is a symbolic link; ``None`` when it cannot be examined (a path longer than the
    system takes: pathlib raises for ENAMETOOLONG, which stopped the whole audit)."""
    try:
        return path.is_symlink()
    except OSError:
        return None


def _walk_tree(top: Path, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top, followlinks=False, onerror=onerror)``, top-down in the same order, without its
    recursion: Python 3.11's ``os.walk`` recurses once per folder level, so a delivery nested deeper
    than the interpreter's recursion limit (about 1,000 folders) stopped the audit with a
    RecursionError. The depth is bounded by the system's path length (``PATH_MAX``, 4,096 bytes on
    Linux): a folder below it cannot be listed and is reported by ``onerror``. As with ``os.walk``,
    the caller may prune the folder names yielded; a symbolic link to a folder is named, never entered.
    (Python 3.12's ``os.walk`` is iterative the same way.)"""
    pending = [os.fspath(top)]
    while pending:
        folder = pending.pop()
        dirnames: list[str] = []
        filenames: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirnames if is_dir else filenames).append(entry.name)
        except OSError as error:
            onerror(error)
            continue  # as os.walk: a folder that cannot be listed, in whole or in part, is not yielded
        yield folder, dirnames, filenames
        # After the caller pruned dirnames; the last pushed is walked first: os.walk's order.
        pending.extend(os.path.join(folder, name) for name in reversed(dirnames)
                       if not os.path.islink(os.path.join(folder, name)))


FileId = tuple[int, int]
"""A file's ``(st_dev, st_ino)``: the same file under any name (a hard link included)."""


class InputWalk:
    """The images that command-line paths expand to, found one by one as they are audited.

    Iterating yields the image paths of :func:`collect_inputs`, in the same order, without holding
    them: memory stays flat in the number of images (#12). The files left out are collected as the
    walk goes, in :attr:`skipped` and :attr:`unreadable` (complete once the iteration has ended).
    Iterate once.

    A file reached twice (a file named and inside a named folder, a folder named inside another) is
    yielded once: only the named paths are remembered, never every file seen. The match is lexical
    and errs towards auditing twice, never towards leaving out: the same file under two spellings
    (absolute and relative, through ``..`` or a link) is yielded under each, as by the list of every
    path before (#12), and a file in a subfolder the walk could not list is yielded when named.

    Args:
        paths: files and folders, as for :func:`collect_inputs`.
        output: a file the command writes (its report): meeting it among the images raises, so
            that the report can never replace an input image, even through another name or a hard
            link. The check is made before the image is yielded; an atomic writer has not yet touched
            ``output`` then.
        leave_out: files the command is writing into a walked folder (the atomic writer's temporary
            file), by :data:`FileId`: never listed, as image or skipped.
    Raises:
        UsageError: at construction, when a named path does not exist; while iterating, when an
            image is ``output``.
    """

    def __init__(self, paths: Iterable[str | Path] | str | Path, *, output: Path | None = None,
                 leave_out: Iterable[FileId] = ()) -> None:
        if isinstance(paths, (str, Path)):
            paths = [paths]  # one path, not its characters
        named = tuple(paths)  # iterated once: a generator of paths is checked too
        self.paths = tuple(Path(raw) for raw in named)
        for raw, path in zip(named, self.paths, strict=True):
            try:
                found = path.exists() or path.is_symlink()
            except OSError as error:
                raise UsageError(f"cannot examine {raw}: {error.strerror or error}") from error
            if not found:
                raise UsageError(f"no such file or folder: {raw}")
        self.skipped: list[SkippedFile] = []
        """Files found and left out (not images, links to folders, broken links), in walk order."""
        self.unreadable: list[SkippedFile] = []
        """Folders that could not be listed: images may hide there, so each is
        reported as an unreadable entry of the audit, never silently passed."""
        self.leave_out = set(leave_out)
        self._unlisted: set[Path] = set()  # the folders in `unreadable`: a walk did not reach below them
        self._output: FileId | None = None
        self._output_path = output
        if output is not None:
            try:
                info = os.stat(output)
                self._output = (info.st_dev, info.st_ino)
            except OSError:
                self._output = None  # not there yet: nothing to overwrite

    def _check(self, path: Path) -> None:
        if self._output is None:
            return
        try:
            info = os.stat(path)
        except OSError:
            return
        if (info.st_dev, info.st_ino) == self._output:
            raise UsageError(f"refusing to write the report over an input file: {self._output_path} (given as {path})")

    def _left_out(self, path: Path) -> bool:
        if not self.leave_out:
            return False
        try:
            info = os.lstat(path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) in self.leave_out

    def __iter__(self) -> Iterator[Path]:
        named: set[Path] = set()  # files named on the command line and yielded
        walked: set[Path] = set()  # folders named on the command line and walked
        for path in self.paths:
            if not path.is_dir():
                if path in named or (self._reached(path, walked, folder=False) and _looks_like_image(path)):
                    continue  # audited already (an image the walk of a named folder found)
                named.add(path)
                self._check(path)
                yield path
                continue
            if self._reached(path, walked, folder=True):
                continue  # this folder was walked whole already
            yield from self._walk(path, named, walked)
            walked.add(path)

    def _reached(self, path: Path, walked: set[Path], *, folder: bool) -> bool:
        """Whether the walk of a folder in ``walked`` reached ``path``: only the folders that are
        lexical prefixes of ``path`` are looked up (a set), so that naming many folders (``delivery/*``)
        costs time linear in their number, not quadratic."""
        parts = path.parts
        for end in range(len(parts) + 1 if folder else len(parts)):
            root = Path(*parts[:end])  # no parts: Path("."), under which every relative path lies
            if root in walked and _under(path, root, folder=folder, unlisted=self._unlisted):
                return True
        return False

    def _walk(self, top: Path, named: set[Path], walked: set[Path]) -> Iterator[Path]:
        def refused(error: OSError) -> None:
            where = error.filename or str(top)
            self._unlisted.add(Path(where))
            self.unreadable.append(SkippedFile(
                str(where), f"the folder cannot be read ({error.strerror or error}): images in it were not audited"
            ))

        for folder, dirnames, filenames in _walk_tree(top, refused):
            base = Path(folder)
            dirnames.sort()
            for name in list(dirnames):
                if _is_link(base / name):  # None (cannot be examined): the walk fails to list it, unreadable
                    self.skipped.append(SkippedFile(str(base / name), "symbolic link to a folder (not followed)"))
                elif base / name in walked:
                    dirnames.remove(name)  # a named folder walked before: its files were yielded then
            for name in sorted(filenames):
                candidate = base / name
                if self._left_out(candidate):
                    continue
                link = _is_link(candidate)
                if link is None:
                    image = True  # cannot be examined: audited, and found unreadable, never dropped
                elif link and not os.path.exists(candidate):  # False for a target that cannot be resolved
                    if candidate.suffix.lower() in IMAGE_EXTENSIONS:
                        image = True  # an image the delivery names but does not hold: unreadable
                    else:
                        self.skipped.append(SkippedFile(str(candidate), "broken symbolic link"))
                        continue
                else:
                    image = _looks_like_image(candidate)
                if not image:
                    self.skipped.append(SkippedFile(str(candidate), "not an image"))
                elif candidate not in named:
                    self._check(candidate)
                    yield candidate


def collect_inputs(paths: Iterable[str | Path] | str | Path) -> Inputs:
    """Expand files and folders into the images to audit.

    Every file named directly is audited (whatever it is: a non-image is then
    reported unreadable). Folders are walked recursively in sorted order; a
    file is audited when its content sniffs as an image or its name has an
    image extension, and listed as skipped otherwise. Symbolic links to
    folders are not followed (so a link loop cannot hang the walk); they are
    listed as skipped. A broken link with an image name is audited (and found
    unreadable); a folder that cannot be listed is kept in ``unreadable``.
    Each file is listed once, however many named paths reach it.

    The whole list is built here; :class:`InputWalk` yields the same paths one by one (for batches
    too large to hold).

    Raises:
        UsageError: a named path does not exist.
    """
    walk = InputWalk(paths)
    images = tuple(walk)
    return Inputs(images=images, skipped=tuple(walk.skipped), unreadable=tuple(walk.unreadable))


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
    audited (memory flat in the number of images). ``jobs`` ``None`` or a single image audits in this
    process (no time or memory cap: a native abort ends the run); ``jobs >= 1`` with several images
    uses that many supervised worker processes (:mod:`provenance._pool`; never more than there are
    images), each file under ``caps``; a worker that dies or runs over a cap makes its file
    ``unreadable`` and is replaced.
    """
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
        jobs: ``None`` audits in this process; a number audits in that many supervised worker
            processes with per-file time and memory caps (:mod:`provenance._pool`). Workers are
            spawned, so a script that passes ``jobs`` needs the usual ``if __name__ == "__main__":`` guard.
    Returns:
        An :class:`~provenance.report.AuditReport` of frozen results.
    Raises:
        UsageError: a named path does not exist, or ``at`` is a naive datetime.
    Side effects: reads the files; writes nothing; no network.
    """
    return audit_files(collect_inputs(paths), policy=policy, trust=trust, at=at, jobs=jobs)
