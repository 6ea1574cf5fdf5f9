"""Reading: one image file in, one :class:`~provenance.model.Evidence` out.

Reading never decides. It reads the file once; the same bytes are hashed
(SHA-256) and given to the C2PA reader, so the bytes validated are the bytes
hashed. It sniffs the media type from the content, reads the Content
Credentials through c2pa-python (:mod:`._c2pa`, the only importer of ``c2pa``)
and, unless the C2PA hard binding validated (it covers every byte), walks the
file's structure without decoding pixels (:mod:`._structure`: a truncated or
damaged file is unreadable), then reads the unsigned metadata (:mod:`.metadata`).

c2pa-python 0.38's ``Reader`` takes a path (it opens the file again itself: a second read, so the
bytes validated need not be the bytes hashed) or a stream it reads through Python callbacks; the
native ``c2pa_reader_from_file`` is not exposed with a context. The bytes are therefore read once and
passed as one ``io.BytesIO``: the reader's reads are ``readinto`` copies into its own buffer (measured:
45 calls copying about three times the file's size per 24 MP JPEG). A file that cannot be read gives an ``Evidence``
with ``read_error`` set, never an exception. The input file is opened
read-only and never written.
"""

from __future__ import annotations

import hashlib
import os
import stat
import warnings
from pathlib import Path

from .._io import open_regular
from ..errors import NotRegularFileError
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
from ._structure import structure_problem
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


# c2pa-rs 0.91 validation_status.rs: the hard-binding codes (C2PA 2.1 §15.12 "hard bindings").
_HARD_BINDING_MATCH = frozenset({
    "assertion.dataHash.match", "assertion.bmffHash.match", "assertion.boxesHash.match",
    "assertion.collectionHash.match",
})
_HARD_BINDING_FAILURE = frozenset({
    "assertion.dataHash.mismatch", "assertion.dataHash.malformed", "assertion.bmffHash.mismatch",
    "assertion.bmffHash.malformed", "assertion.boxesHash.mismatch", "assertion.boxesHash.unknownBox",
    "assertion.collectionHash.mismatch", "assertion.collectionHash.malformed", "claim.hardBindings.missing",
})


def hard_binding_validated(credentials: CredentialsEvidence) -> bool:
    """True when the active manifest's hard binding matched these bytes and no binding check failed.

    A validated hard binding covers every byte of the file outside the manifest store, so the file
    is exactly what the signer produced: no structural check is needed (issue #12.1).
    """
    if credentials.presence is not CredentialsPresence.PRESENT:
        return False
    active = [status for status in credentials.status_codes if status.scope == "active"]
    return (any(s.kind == "success" and s.code in _HARD_BINDING_MATCH for s in active)
            and not any(s.code in _HARD_BINDING_FAILURE for s in active))


def reader_resource_error(credentials: CredentialsEvidence) -> str | None:
    """Why the C2PA reader could not *read* the file (I/O, memory), as opposed to refusing its manifest.

    Such a failure says nothing about the manifest, so it makes the file unreadable, never a
    tampering finding (#9.2). c2pa-python prefixes each native error with its type ("Io: ...";
    ``c2pa.py`` ``_raise_typed_c2pa_error``); c2pa-rs's ``Error::InsufficientMemory`` reads
    "insufficient memory space for operation" (c2pa-rs 0.91 ``error.rs``).
    """
    if credentials.presence is not CredentialsPresence.REFUSED or not credentials.reader_error:
        return None
    message = credentials.reader_error
    if message.startswith(("Io:", "Io ")) or "insufficient memory" in message.lower():
        return f"the C2PA reader could not read the file ({message}); it is not judged"
    return None


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
        with open_regular(target) as handle:  # re-checked on the opened file: a swap cannot block the read
            # Bounded by the size stat() saw (under MAX_FILE_BYTES): a file written meanwhile is not read
            # past it. read(n) allocates n bytes at once, so n is never the cap itself (RLIMIT_AS in a worker).
            data = handle.read(size + 1)
        if len(data) > size:
            return unreadable_evidence(name, f"the file grew while it was read (from {size} bytes): "
                                             "it is being written, audit it once complete")
    except NotRegularFileError:
        return unreadable_evidence(name, "not a regular file (a pipe, socket or device)")
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
    credentials = read_credentials(
        data, media_type, anchors_pem=trust.pem_bundle(), eku_oids=trust.eku_oids,
        allowed_list=trust.allowed_bundle(), thumbnails=thumbnails,
    )
    problem = None if hard_binding_validated(credentials) else structure_problem(data, media_type)
    problem = problem or reader_resource_error(credentials)  # a truncated file says so before the reader's EOF
    if problem is not None:
        return unreadable_evidence(name, problem, sha256=digest, size=len(data), media_type=media_type)
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
