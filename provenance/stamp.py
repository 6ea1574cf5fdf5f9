"""Stamp delivered copies: the studio's own Content Credentials on every compliant image.

A certificate beside the files (:mod:`provenance.certificate`) is lost when one
image is shared on its own. A stamped copy carries the studio's statement in the
file: a new active C2PA manifest, signed with the studio's C2PA signer
(:mod:`provenance._x509`), whose

- ingredient is the original file (``parentOf``), its manifest store kept
  whole, so the chain down to the original's actions stays auditable;
- ``c2pa.actions.v2`` assertion starts with ``c2pa.opened`` of that ingredient
  (actions v2: the first action must be ``c2pa.created`` or ``c2pa.opened``;
  c2pa-rs ``actions.rs``, c2pa-signals.md B);
- compliance record, :data:`~provenance.classify._assertions.COMPLIANCE_LABEL`:
  the verdict, the policy (id, version, SHA-256), the original file's SHA-256,
  the tool version and the evaluation time. Information only: anyone can
  write one, so the audit reports it and never believes it;
- ``cawg.training-mining`` with the four CAWG entries ``notAllowed`` (CAWG
  Training and Data Mining 1.1; ecosystem.md §5), optionally with
  ``constraints_info`` (the contract's AI clause).

Order (ecosystem.md §4.3): stamp, then certify the stamped copies, so that the
certificate covers the bytes the client receives.

Signing is done by c2pa-rs through c2pa-python's ``Builder`` (intent ``edit``),
offline unless a time-stamp authority URL is given. This is the only module that
writes with ``c2pa`` (reading stays in :mod:`provenance.evidence._c2pa`). Nothing is written unless
every image is compliant, every format can be signed and every copy was signed
and read back trusted under the studio root: copies are assembled in a hidden
folder beside the output and renamed into place at the end.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import c2pa

from ._io import read_regular_file
from ._version import __version__
from ._x509 import StudioSigner, load_signer
from .certificate import subject_name
from .classify._assertions import COMPLIANCE_LABEL
from .errors import OutputError, StampError, UsageError
from .evidence import MAX_FILE_BYTES, c2pa_versions
from .evidence._c2pa import read_credentials
from .model import ValidationState
from .report import AuditReport, display_path
from .verdict import ImageVerdict

__all__ = [
    "MAX_CONSTRAINTS_INFO",
    "MAX_SIGNABLE_DEPTH",
    "TRAINING_MINING_ENTRIES",
    "StampResult",
    "StampedFile",
    "StudioSigner",
    "check_options",
    "check_output_folder",
    "compliance_record",
    "load_signer",
    "manifest_definition",
    "signable_media_types",
    "stamp_bytes",
    "stamp_delivery",
]

TRAINING_MINING_ENTRIES = ("cawg.ai_inference", "cawg.ai_generative_training", "cawg.ai_training", "cawg.data_mining")
"""The four entries CAWG Training and Data Mining 1.1 defines; each is written ``notAllowed``."""
MAX_CONSTRAINTS_INFO = 1000
"""Longest ``--constraint-info`` accepted, in characters."""

MAX_SIGNABLE_DEPTH = 198
"""The deepest ingredient chain (depth of the deepest manifest below the active one) a stamped copy
can be made of: the copy adds one level, and c2pa-rs 0.91 refuses to sign a chain whose depth
reaches 200 ("ingredient chain depth (200) exceeds maximum (200)", measured with
``fixtures/make_hostile.py --depth 199``). Deeper originals are refused before anything is signed."""

_ORIGINAL_ID = "original"  # Builder-local ingredient label; c2pa-rs turns it into a hashed URI
_TRUSTED = "signingCredential.trusted"
_OFFLINE = {"remote_manifest_fetch": False, "ocsp_fetch": False}


@lru_cache(maxsize=1)
def signable_media_types() -> frozenset[str]:
    """Image media types c2pa-python can sign (``Builder.get_supported_mime_types()``, ``image/*`` only)."""
    return frozenset(t for t in c2pa.Builder.get_supported_mime_types() if t.startswith("image/"))


@dataclass(frozen=True, slots=True)
class StampedFile:
    """One stamped copy: where it came from and what was written.

    ``name`` is the path relative to the delivery root (the same in the output
    folder); ``original_sha256`` and ``sha256`` are hex digests of the input and
    of the stamped copy; ``size`` is the copy's size in bytes.
    """

    source: Path
    name: str
    output: Path
    original_sha256: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class StampResult:
    """What :func:`stamp_delivery` wrote: the output folder and one entry per image, in audit order."""

    output: Path
    files: tuple[StampedFile, ...]


def compliance_record(image: ImageVerdict, report: AuditReport, name: str) -> dict[str, Any]:
    """The compliance assertion's data for one audited image (schema in ``docs/stamp.md``).

    Args:
        image: the image's verdict (compliant).
        report: the audit it belongs to (policy, time, tool versions).
        name: the image's name relative to the delivery root.
    Returns:
        JSON-ready data: ``verdict``, ``policy`` {id, version, sha256},
        ``original`` {name, sha256, activeManifest, signer}, ``tool``, ``evaluatedAt``.
    """
    return {
        "verdict": image.status.value,
        "policy": {"id": report.policy.id, "version": report.policy.version, "sha256": report.policy.sha256},
        "original": {"name": name, "sha256": image.sha256, "activeManifest": image.active_manifest,
                     "signer": image.signer},
        "tool": {"name": "provenance", "version": report.tool.get("provenance", __version__),
                 "c2pa-rs": report.tool.get("c2pa-rs", c2pa_versions()["c2pa-rs"])},
        "evaluatedAt": report.evaluated_at.isoformat().replace("+00:00", "Z"),
        "informationOnly": True,
    }


def _training_mining(constraints_info: str | None) -> dict[str, Any]:
    entry: dict[str, str] = {"use": "notAllowed"}
    if constraints_info:
        entry["constraints_info"] = constraints_info
    return {"entries": {name: dict(entry) for name in TRAINING_MINING_ENTRIES}}


def manifest_definition(
    title: str, media_type: str, record: Mapping[str, Any], *, constraints_info: str | None = None
) -> dict[str, Any]:
    """The c2pa-python ``Builder`` manifest definition of one stamped copy.

    Args:
        title: the file name shown by viewers.
        media_type: the image's media type (``image/jpeg``...).
        record: the compliance record (:func:`compliance_record`).
        constraints_info: text or URL put in every training-mining entry.
    Returns:
        A manifest definition: ``claim_generator_info``, and the assertions
        ``c2pa.actions.v2`` (``c2pa.opened`` of the original), ``cawg.training-mining``
        and the compliance record.
    """
    agent = {"name": "provenance", "version": __version__}
    return {
        "claim_generator_info": [dict(agent)],
        "title": title,
        "format": media_type,
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [{
                "action": "c2pa.opened",
                "softwareAgent": dict(agent),
                "description": "Audited and stamped by the studio: no pixel changed",
                "parameters": {"ingredientIds": [_ORIGINAL_ID]},
            }]}},
            {"label": "cawg.training-mining", "data": _training_mining(constraints_info)},
            {"label": COMPLIANCE_LABEL, "data": dict(record)},
        ],
    }


def stamp_bytes(
    data: bytes,
    media_type: str,
    *,
    title: str,
    signer: StudioSigner,
    record: Mapping[str, Any],
    constraints_info: str | None = None,
    tsa_url: str | None = None,
    anchors_pem: str = "",
    thumbnails: bool = True,
) -> bytes:
    """Sign a stamped copy of one image in memory and return its bytes.

    Args:
        data: the original file's exact bytes.
        media_type: its media type; must be in :func:`signable_media_types`.
        title: the file name shown by viewers.
        signer: the studio's C2PA signer.
        record: the compliance record (:func:`compliance_record`).
        constraints_info: see :func:`manifest_definition`.
        tsa_url: an RFC 3161 time-stamp authority to ask (network); ``None``: no time-stamp.
        anchors_pem: trust anchors for the ingredient's validation status that
            c2pa-rs records in the new manifest (the audit's anchors).
        thumbnails: let c2pa-rs make a thumbnail of the copy and of the ingredient
            (what viewers show; about 95% of the signing time of a 24 MP JPEG).
            Without, the copy has none and the ingredient points to the
            original's own claim thumbnail when it has one.
    Returns:
        The stamped file's bytes.
    Raises:
        StampError: c2pa-rs refused to sign (its message is given), or the
            time-stamp authority did not answer.
        TypeError: ``data`` is not bytes, ``media_type`` or ``title`` not a ``str``, ``signer`` not a
            :class:`StudioSigner` or ``record`` not a mapping.
    Side effects: none, except a request to ``tsa_url`` when given.
    """
    _check_stamp_types(data, media_type, title, signer, record)
    trust: dict[str, Any] = {"trust_anchors": anchors_pem} if anchors_pem.strip() else {}
    settings = {"version": 1, "verify": dict(_OFFLINE), "builder": {"thumbnail": {"enabled": thumbnails}},
                **({"trust": trust} if trust else {})}
    ingredient = {"title": title, "format": media_type, "relationship": "parentOf", "label": _ORIGINAL_ID}
    info = c2pa.C2paSignerInfo(getattr(c2pa.C2paSigningAlg, signer.algorithm.upper()), signer.chain_pem,
                               signer.key_pem, tsa_url.encode("utf-8") if tsa_url else None)
    definition = manifest_definition(title, media_type, record, constraints_info=constraints_info)
    out = io.BytesIO()
    try:
        with c2pa.Context.from_dict(settings) as context, \
                c2pa.Builder(definition, context=context) as builder, c2pa.Signer.from_info(info) as c2pa_signer:
            builder.set_intent(c2pa.C2paBuilderIntent.EDIT)
            builder.add_ingredient(ingredient, media_type, io.BytesIO(data))
            builder.sign(c2pa_signer, media_type, io.BytesIO(data), out)
    except c2pa.C2paError as error:
        raise StampError(f"c2pa-rs could not sign {title}: {error}") from error
    return out.getvalue()


def _check_stamp_types(data: Any, media_type: Any, title: Any, signer: Any, record: Any) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"stamp_bytes() takes the image as bytes, not {type(data).__name__}")
    for name, value in (("media_type", media_type), ("title", title)):
        if not isinstance(value, str):
            raise TypeError(f"stamp_bytes({name}=) must be a str, not {type(value).__name__}")
    if not isinstance(signer, StudioSigner):
        raise TypeError(f"stamp_bytes(signer=) takes a StudioSigner (load_signer(folder)), not {type(signer).__name__}")
    if not isinstance(record, Mapping):
        raise TypeError(f"stamp_bytes(record=) takes a mapping (compliance_record()), not {type(record).__name__}")


def _check_stamped(data: bytes, media_type: str, name: str, signer: StudioSigner) -> None:
    """Read the copy back: its active manifest must be intact and trusted under the studio root."""
    credentials = read_credentials(data, media_type, anchors_pem=signer.root_pem.decode("ascii"))
    trusted = any(s.code == _TRUSTED and s.scope == "active" and s.kind == "success" for s in credentials.status_codes)
    failures = [s.code for s in credentials.status_codes if s.scope == "active" and s.kind == "failure"]
    if credentials.validation_state is ValidationState.INVALID or not trusted or failures:
        raise StampError(f"the stamped copy of {name} does not read back trusted under the studio root "
                         f"(state {credentials.validation_state}, failures {failures or 'none'}): nothing written")


def check_output_folder(output: str | Path, root: str | Path) -> Path:
    """Refuse an output folder that is not new or empty, or that lies in the delivery.

    Returns:
        ``output`` as a :class:`Path`.
    Raises:
        UsageError: ``output`` is a file or a link, a folder that is not empty,
            or lies inside ``root`` (the stamped copies would join the delivery),
            links resolved on both sides, is a mount point (it cannot be renamed over), or is
            the current folder.
    """
    target = Path(output)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"the output {output} exists and is not a folder")
    ancestor = next((p for p in Path(os.path.abspath(target)).parents if p.exists()), None)
    if ancestor is not None and not ancestor.is_dir():
        raise UsageError(f"the output {output} cannot be created: {ancestor} is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(f"the output folder {output} is not empty: it must hold only the stamped copies")
    here = Path(os.path.realpath(os.getcwd()))
    if target.is_dir() and Path(os.path.realpath(target)) in (here, *here.parents):
        # The output is replaced by a rename: the current folder would be swapped under the shell.
        raise UsageError(f"the output folder {output} is the current folder (or holds it): name a new folder")
    if target.is_dir() and _is_mount_point(target):
        # The copies are assembled beside the output and renamed into place: a mount point (an empty
        # drive) cannot be replaced by a rename, and its parent is another file system.
        raise UsageError(f"the output folder {output} is a mount point: give a new folder inside it")
    # realpath, not abspath: an output reached through a link into the delivery (or a delivery
    # given through a link) lies inside it all the same.
    absolute, base = Path(os.path.realpath(target)), Path(os.path.realpath(root))
    if absolute == base or base in absolute.parents:
        raise UsageError(f"the output folder {output} lies inside the delivery {root}: choose a folder outside it")
    return target


def _is_mount_point(folder: Path) -> bool:
    try:
        return os.path.ismount(folder) or folder.stat().st_dev != folder.resolve().parent.stat().st_dev
    except OSError:
        return False


def _relative(path: str, root: Path) -> str:
    subject_name(path, root)  # refuses a path outside the root or a name that is not UTF-8
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root))


def _unsignable(images: Sequence[ImageVerdict]) -> list[str]:
    allowed = signable_media_types()
    return [f"{display_path(i.path)} ({i.media_type or 'unknown format'})" for i in images if i.media_type not in allowed]


def _too_deep(images: Sequence[ImageVerdict]) -> list[str]:
    deepest = ((image, max((link.depth for link in image.chain), default=0)) for image in images)
    return [f"{display_path(image.path)} (depth {depth})" for image, depth in deepest if depth > MAX_SIGNABLE_DEPTH]


def stamp_delivery(
    report: AuditReport,
    *,
    signer: StudioSigner,
    output: str | Path,
    root: str | Path,
    constraints_info: str | None = None,
    tsa_url: str | None = None,
    anchors_pem: str = "",
    thumbnails: bool = True,
    cancel: threading.Event | None = None,
) -> StampResult:
    """Write a stamped copy of every image of a fully compliant audit into ``output``.

    Args:
        report: the finished audit of the delivery; every image must be compliant.
        signer: the studio's C2PA signer (:func:`provenance._x509.load_signer`).
        output: a new or empty folder outside the delivery; it receives only the
            stamped copies, under the same names relative to ``root``.
        root: the delivery root.
        constraints_info: text or URL for the training-mining entries (the
            contract's AI clause), at most :data:`MAX_CONSTRAINTS_INFO` characters.
        tsa_url: an ``http(s)`` time-stamp authority to ask; ``None`` (default): offline.
        anchors_pem: the audit's trust anchors (see :func:`stamp_bytes`).
        thumbnails: see :func:`stamp_bytes`.
        cancel: when set (by a signal handler, another thread), stamping stops before the
            next image and before publishing. It is checked between images because an
            exception raised inside c2pa-python's stream callbacks is lost (ctypes ignores it).
    Returns:
        :class:`StampResult`.
    Raises:
        NonCompliant: some image is not compliant, or there is none.
        UsageError: an image format c2pa-python cannot sign, an ingredient chain deeper
            than :data:`MAX_SIGNABLE_DEPTH`, a bad output folder,
            a path outside ``root``, a bad ``tsa_url`` or ``constraints_info``.
        StampError: signing failed, a copy does not read back trusted, an
            image changed since it was audited, or ``cancel`` was set.
        OutputError: the output cannot be written.
        In every case nothing is left in ``output``.
        TypeError: ``report`` is not an :class:`~provenance.report.AuditReport` (from
            :func:`provenance.audit`) or ``signer`` not a :class:`StudioSigner` (from :func:`load_signer`).
    Side effects: reads the images again; writes ``output`` (atomically, as a whole).
    """
    if not isinstance(report, AuditReport):
        raise TypeError(f"stamp_delivery() takes the AuditReport of provenance.audit(), not {type(report).__name__}")
    if not isinstance(signer, StudioSigner):
        raise TypeError(f"stamp_delivery(signer=) takes a StudioSigner (provenance.stamp.load_signer(folder)), "
                        f"not {type(signer).__name__}")
    report.raise_for_status()
    base = Path(root)
    target = check_output_folder(output, base)
    check_options(constraints_info, tsa_url)
    unsignable = _unsignable(report.images)
    if unsignable:
        raise UsageError("c2pa-python cannot sign these formats, so nothing was stamped: " + "; ".join(unsignable))
    too_deep = _too_deep(report.images)
    if too_deep:
        raise UsageError(f"c2pa-rs cannot sign a copy of an image whose ingredient chain is deeper than "
                         f"{MAX_SIGNABLE_DEPTH}, so nothing was stamped: " + "; ".join(too_deep))
    names = [_relative(image.path, base) for image in report.images]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:64]}.", suffix=".partial", dir=target.parent))
    except OSError as error:
        raise OutputError(f"cannot create the output folder {output}: {error.strerror or error}") from error
    try:
        files = []
        for image, name in zip(report.images, names, strict=True):
            _check_cancel(cancel)
            files.append(_stamp_one(image, name, staging, target, report, signer,
                                    constraints_info=constraints_info, tsa_url=tsa_url, anchors_pem=anchors_pem,
                                    thumbnails=thumbnails))
        _check_cancel(cancel)
        _publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StampResult(output=target, files=tuple(files))


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise StampError("stamping was interrupted: nothing written")


def check_options(constraints_info: str | None, tsa_url: str | None) -> None:
    """Refuse a ``--constraint-info`` or ``--tsa-url`` that cannot be used, before any work.

    Raises:
        UsageError: ``constraints_info`` is blank or longer than :data:`MAX_CONSTRAINTS_INFO`
            characters, or ``tsa_url`` is not an ``http(s)`` URL with a host.
        TypeError: either is given and is not a ``str``.
    """
    for name, value in (("constraints_info", constraints_info), ("tsa_url", tsa_url)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a str or None, not {type(value).__name__}")
    if constraints_info is not None and not (0 < len(constraints_info.strip()) <= MAX_CONSTRAINTS_INFO):
        raise UsageError(f"--constraint-info must be 1 to {MAX_CONSTRAINTS_INFO} characters")
    if tsa_url is not None:
        parts = urlsplit(tsa_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--tsa-url must be an http or https URL, not {tsa_url!r}")


def _stamp_one(
    image: ImageVerdict, name: str, staging: Path, target: Path, report: AuditReport, signer: StudioSigner,
    *, constraints_info: str | None, tsa_url: str | None, anchors_pem: str,
    thumbnails: bool,
) -> StampedFile:
    data = read_regular_file(image.path, "the image", StampError, max_bytes=MAX_FILE_BYTES)
    digest = hashlib.sha256(data).hexdigest()
    if digest != image.sha256:
        raise StampError(f"{display_path(image.path)} changed after it was audited: nothing written")
    assert image.media_type is not None  # checked by _unsignable
    stamped = stamp_bytes(
        data, image.media_type, title=Path(name).name, signer=signer, record=compliance_record(image, report, name),
        constraints_info=constraints_info, tsa_url=tsa_url, anchors_pem=anchors_pem, thumbnails=thumbnails,
    )
    _check_stamped(stamped, image.media_type, name, signer)
    destination = staging / name
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {destination.parent}: {error.strerror or error}") from error
    _write_new(destination, stamped)
    return StampedFile(source=Path(image.path), name=name, output=target / name, original_sha256=digest,
                       sha256=hashlib.sha256(stamped).hexdigest(), size=len(stamped))


def _write_new(destination: Path, data: bytes) -> None:
    """Write one copy into the private staging folder under its own name.

    The staging folder is new (``mkdtemp``) and is published by one rename, so each copy
    needs no temporary file of its own (whose longer name could exceed the file system's
    name limit, 255 bytes, for a name that is itself valid); ``O_EXCL | O_NOFOLLOW``
    refuses anything already there.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(destination, flags, 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as error:
        raise OutputError(f"cannot write {display_path(str(destination))}: {error.strerror or error}") from error


def _folder_mode(staging: Path, target: Path) -> int:
    """The permission bits ``target`` must keep: those of the empty folder it replaces (a folder made
    private, 0700, stays private), else those a new folder gets under the umask (found by making one,
    without changing the process's umask)."""
    if target.is_dir():
        return stat.S_IMODE(target.stat().st_mode)
    probe = staging / ".mode"
    os.mkdir(probe)
    try:
        return stat.S_IMODE(probe.stat().st_mode)
    finally:
        os.rmdir(probe)


def _publish(staging: Path, target: Path) -> None:
    """Rename the finished staging folder to ``target`` (replacing it only if it is an empty folder)."""
    try:
        os.chmod(staging, _folder_mode(staging, target))
        if target.is_dir():
            target.rmdir()  # empty, checked before stamping; fails if something appeared meanwhile
        os.rename(staging, target)
    except OSError as error:
        raise OutputError(f"cannot move the stamped copies into {target}: {error.strerror or error}") from error
