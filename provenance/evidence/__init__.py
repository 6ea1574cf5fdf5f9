"""Reading: one image file in, one :class:`~provenance.model.Evidence` out.

Reading never decides. It hashes the exact bytes, sniffs the media type from
the content, checks the file decodes, reads the Content Credentials through
c2pa-python (:mod:`._c2pa`, the only importer of ``c2pa``) and the unsigned
metadata (:mod:`.metadata`). A file that cannot be read gives an ``Evidence``
with ``read_error`` set, never an exception. The input file is opened
read-only and never written.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
from pathlib import Path
from typing import Any

from ..model import CredentialsEvidence, CredentialsPresence, Evidence
from ..trust import TrustConfig
from ._c2pa import (
    c2pa_versions,
    parse_manifest_store,
    read_credentials,
    supported_media_types,
)
from ._jumbf import explain_absent_store
from ._sniff import IMAGE_EXTENSIONS, sniff_media_type
from .metadata import read_metadata

__all__ = [
    "IMAGE_EXTENSIONS",
    "MAX_FILE_BYTES",
    "c2pa_versions",
    "parse_manifest_store",
    "read_evidence",
    "sniff_media_type",
    "unreadable_evidence",
]

MAX_FILE_BYTES = 2 * 1024**3
"""Files larger than this (2 GiB) are reported unreadable rather than loaded."""


def unreadable_evidence(path: str, message: str, *, sha256: str | None = None, size: int | None = None,
                        media_type: str | None = None) -> Evidence:
    """Evidence for a file (or folder) that could not be read; ``message`` says why, in plain words."""
    return Evidence(
        path=path,
        sha256=sha256,
        size=size,
        media_type=media_type,
        credentials=CredentialsEvidence(presence=CredentialsPresence.NOT_READ),
        read_error=message,
    )


def _decode_problem(data: bytes, media_type: str) -> str | None:
    """Return why the image does not decode, or ``None`` when it does (or cannot be checked).

    JPEGs are decoded at 1/8 scale (DCT scaling), which still walks the whole
    entropy-coded stream, so truncation is caught cheaply; PNGs have every
    chunk's CRC checked (``Image.verify``) instead of being inflated.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns (on stderr) about large images and odd EXIF; the report says what matters.
            warnings.simplefilter("ignore")
            _decode_check(Image.open(io.BytesIO(data)), media_type)
            return None
    except UnidentifiedImageError:
        return None if media_type in ("image/heif", "image/jxl", "image/avif") else (
            "the image data does not decode (Pillow cannot identify it)")
    except Image.DecompressionBombError as error:
        return f"the image declares more pixels than it is safe to decode ({error}); not decoded"
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        text = str(error) or type(error).__name__
        if "truncated" in text.lower():
            return "the image is truncated (it ends before its image data does)"
        return f"the image data does not decode ({text})"


def _decode_check(image: Any, media_type: str) -> None:
    """Walk the image data: JPEG at 1/8 scale, PNG chunk CRCs, other formats fully."""
    with image:
        if media_type == "image/png":
            image.verify()  # walks every chunk and checks its CRC, without inflating pixels
        else:
            if media_type == "image/jpeg":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()


def read_evidence(path: str | Path, trust: TrustConfig | None = None, *, thumbnails: bool = False) -> Evidence:
    """Read everything an image carries, without judging it.

    Args:
        path: the image file.
        trust: trust anchors and EKU settings for C2PA validation; ``None``
            trusts nothing (every signer then reads untrusted).
        thumbnails: also keep the active manifest's thumbnail (at most 256 KiB), for HTML reports.
    Returns:
        :class:`Evidence`. ``read_error`` is set (and ``credentials.presence``
        is ``NOT_READ``) for an empty, unreadable, truncated, non-image or
        unsupported file; the message says which in plain words.
    Side effects: reads the file once; no network; writes nothing.
    """
    trust = trust or TrustConfig()
    name = str(path)
    target = Path(path)
    try:
        info = target.stat()
        size = info.st_size
        if stat.S_ISDIR(info.st_mode):
            return unreadable_evidence(name, "this is a folder, not an image file")
        if not stat.S_ISREG(info.st_mode):
            # A FIFO, socket or device would block or never end: never open one.
            return unreadable_evidence(name, "not a regular file (a pipe, socket or device)")
        if size > MAX_FILE_BYTES:
            return unreadable_evidence(name, f"the file is too large to audit ({size} bytes)", size=size)
        with open(target, "rb", buffering=0) as handle:
            data = handle.read()
    except FileNotFoundError:
        return unreadable_evidence(name, "the file does not exist (or is a broken link)")
    except PermissionError:
        return unreadable_evidence(name, "permission denied: the file cannot be read")
    except OSError as error:
        return unreadable_evidence(name, f"the file cannot be read: {error.strerror or error}")

    digest = hashlib.sha256(data).hexdigest()
    if not data:
        return unreadable_evidence(name, "the file is empty (0 bytes)", sha256=digest, size=0)
    media_type = sniff_media_type(data[:64], os.path.splitext(name)[1].lower())
    if media_type is None:
        return unreadable_evidence(name, "not an image: the content is not a known image format", sha256=digest,
                           size=len(data))
    if media_type not in supported_media_types():
        return unreadable_evidence(
            name, f"unsupported format: {media_type} cannot carry Content Credentials", sha256=digest,
            size=len(data), media_type=media_type,
        )
    problem = _decode_problem(data, media_type)
    if problem is not None:
        return unreadable_evidence(name, problem, sha256=digest, size=len(data), media_type=media_type)

    credentials = read_credentials(
        data, media_type, anchors_pem=trust.pem_bundle(), eku_oids=trust.eku_oids,
        allowed_list=trust.allowed_bundle(), thumbnails=thumbnails,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's EXIF warnings: problems are reported as read problems
        signals, problems = read_metadata(data, media_type)
    # No C2PA store: a pre-standard store, or an XMP pointer to a stripped one, is still provenance (issue #11).
    credentials, jumbf_problems = explain_absent_store(data, credentials, signals)
    return Evidence(
        path=name,
        sha256=digest,
        size=len(data),
        media_type=media_type,
        credentials=credentials,
        metadata=signals,
        read_problems=problems + jumbf_problems,
    )
