"""What ``certify`` covers besides the audited images: every other regular file under the delivery root.

The certificate contract (``docs/certificate.md``, "What a certificate covers"):
every regular file under the root is a subject, except the certificate file
itself and files matched by an ``--ignore`` glob. Images are audited (they are
the report's); the other files are covered by digest only. Anything that
would leave a gap the verifier then fails on is refused here, before signing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from .._io import file_kind, sha256_and_size
from ..audit import collect_inputs
from ..errors import UsageError
from ..report import AuditReport, display_path
from .globs import first_match
from .naming import _distinct, subject_name
from .statement import CoveredFile
from .walk import DeliveredFile, looks_like_image, walk_delivery

__all__ = ["check_coverage", "other_files"]


def _is_excluded(path: Path, excluded: Iterable[Path]) -> bool:
    absolute = os.path.abspath(path)
    for other in excluded:
        if absolute == os.path.abspath(other):
            return True
        try:
            if os.path.samefile(path, other):
                return True
        except OSError:
            continue
    return False


def _covered(item: DeliveredFile, name: str) -> CoveredFile:
    """Digest and size of one regular file, or the reason it cannot be covered."""
    try:
        sha256, size = sha256_and_size(item.path)
    except OSError as error:
        raise UsageError(f"cannot certify {display_path(item.raw)}: it cannot be read "
                         f"({getattr(error, 'message', None) or error.strerror or error})") from error
    return CoveredFile(name, sha256, size)


def other_files(
    report: AuditReport, root: str | Path, *, ignore: Sequence[str] = (), exclude: Iterable[str | Path] = (),
) -> tuple[CoveredFile, ...]:
    """The regular files under ``root`` that are neither images of ``report`` nor ignored nor excluded.

    Args:
        report: the audit; its images are covered as images, not here.
        root: the delivery root (a folder).
        ignore: glob patterns (:mod:`provenance.certificate.globs`) of files left out.
        exclude: files left out by path (the certificate being written).
    Returns:
        One :class:`~provenance.certificate.statement.CoveredFile` per file, sorted by name.
    Raises:
        UsageError: as :func:`check_coverage`, or a file cannot be read.
    """
    base = Path(root)
    entries = _other_entries(base, [image.path for image in report.images], ignore, exclude)
    return tuple(_covered(item, name) for name, item in entries)


def check_coverage(
    root: str | Path, images: Iterable[str | Path], *, ignore: Sequence[str] = (), exclude: Iterable[str | Path] = (),
) -> None:
    """Refuse, before an audit, a delivery root whose files a certificate could not cover.

    ``images`` are the files the audit will read. Nothing is hashed.

    Raises:
        UsageError: ``root`` is not a folder or a folder in it cannot be listed; a file
            there is an image the audit does not cover (an ignore glob never leaves one out),
            is not a regular file (a pipe, a device), or has a name that is not valid UTF-8 or
            is another file's name in NFC. Each message says how to fix it.
    """
    _other_entries(Path(root), list(images), ignore, exclude)


def _other_entries(
    base: Path, images: Sequence[str | Path], ignore: Sequence[str], exclude: Iterable[str | Path],
) -> list[tuple[str, DeliveredFile]]:
    """The files under ``base`` a certificate covers by digest, sorted by name, each checked coverable."""
    if not base.is_dir():
        raise UsageError(f"the delivery root {base} is not a folder")
    image_names = {subject_name(path, base) for path in images}
    delivery = walk_delivery([base], base)
    if delivery.unreadable:
        raise UsageError(f"cannot certify: {delivery.unreadable[0].why.split(':')[0]} ({delivery.unreadable[0].path})")
    excluded = [Path(path) for path in exclude]
    others: list[tuple[str, DeliveredFile]] = []
    for item in delivery.files:
        if _is_excluded(item.path, excluded):
            continue
        name = item.name if item.name is not None else subject_name(item.path, base)  # raises: not UTF-8
        if name in image_names:
            continue
        pattern = first_match(ignore, name)
        if pattern is None:
            others.append((name, item))
        elif looks_like_image(item.path):  # verify checks every image whatever the globs: refuse it here
            raise UsageError(f"{display_path(name)} is an image under the delivery root and --ignore '{pattern}' "
                             "matches it: an ignore glob never leaves out an image (the verifier checks every "
                             "image); audit the whole delivery root, or move the image out of it")
    audited = {os.path.abspath(path) for path in collect_inputs([base]).images} if others else set()
    found: dict[str, DeliveredFile] = {}
    for name, item in others:
        if os.path.abspath(item.path) in audited:
            raise UsageError(f"{display_path(name)} is an image under the delivery root that the audit did not cover: "
                             "audit the whole delivery root, or move the image out of it")
        if name in found:
            raise UsageError(f"two files have the same name in a certificate, '{display_path(name)}': "
                             f"{_distinct(found[name].raw)} and {_distinct(item.raw)} differ only in Unicode "
                             "normalisation (certificates name files in NFC); rename one before certifying")
        _check_regular(item)
        found[name] = item
    return [(name, found[name]) for name in sorted(found)]


def _check_regular(item: DeliveredFile) -> None:
    try:
        mode = os.stat(item.path).st_mode
    except OSError as error:
        raise UsageError(f"cannot certify {display_path(item.raw)}: it cannot be read "
                         f"({error.strerror or error})") from error
    if not stat.S_ISREG(mode):
        raise UsageError(f"cannot certify {display_path(item.raw)}: it is not a regular file ({file_kind(mode)}); "
                         "remove it from the delivery or exclude it with --ignore")
