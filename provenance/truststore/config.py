"""From lists to the :class:`~provenance.trust.TrustConfig` an audit uses: one rule for the store and for flags.

Each list brings what its kind and role say (docs/trust.md "Kinds and their EKUs"):

| role | kind | goes to |
|---|---|---|
| anchors | official, pinned, a ``--trust-anchors`` file | signer anchors + the C2PA signer EKUs |
| anchors | legacy (interim anchors) | signer anchors (its EKUs come from its ``store.cfg``) |
| anchors | tsa, a ``--tsa-anchors`` file | timestamp-authority anchors only, never signer anchors |
| eku-config | ``interim-eku``, a ``--trust-config`` file | EKUs (the reader takes their union) |
| allowed | ``interim-allowed``, an ``--allowed-list`` file | the allowed list |

So the same files give the same configuration, and the same verdicts, whether they are stored
with ``trust update``/``trust add`` or given as flags for one run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from .._io import as_paths, read_regular_file
from ..errors import TrustAnchorError
from ..trust import C2PA_SIGNER_EKUS, TrustConfig, TrustSource
from .fetch import MAX_LIST_BYTES
from .lists import Kind, ParsedList, Role, parse_list

__all__ = ["given_config", "list_config"]


def list_config(parsed: ParsedList, source: TrustSource, kind: Kind | None) -> TrustConfig:
    """The part of a trust configuration one checked list brings.

    Args:
        parsed: the list's content.
        source: where it came from (kept in the configuration's ``sources``).
        kind: its kind in the store, or ``None`` for signer anchors given for one run
            (they carry the C2PA signer EKUs, as the official list does).
    """
    if parsed.role is Role.EKU_CONFIG:
        return TrustConfig(sources=(source,), eku_oids=parsed.oids)
    if parsed.role is Role.ALLOWED:
        entries = tuple(anchor.pem for anchor in parsed.anchors) + tuple(f"{h}\n" for h in parsed.hashes)
        return TrustConfig(sources=(source,), allowed=entries)
    if kind is not None and not kind.signer_anchors:
        return TrustConfig(sources=(source,), tsa_anchors=parsed.anchors)
    ekus = C2PA_SIGNER_EKUS if kind is None else kind.eku_oids
    return TrustConfig(anchors=parsed.anchors, sources=(source,), eku_oids=ekus)


def _file_config(path: Path, role: Role, kind: Kind | None, what: str) -> TrustConfig:
    data = read_regular_file(path, what, TrustAnchorError, max_bytes=MAX_LIST_BYTES)
    try:
        parsed = parse_list(data, role, str(path))
    except ValueError as error:
        raise TrustAnchorError(f"{path}: {error}") from error
    source = TrustSource(name=path.name, location=str(path), anchors=parsed.count,
                         digest=hashlib.sha256(data).hexdigest(), kind=kind, role=role)
    return list_config(parsed, source, kind)


def given_config(
    *,
    anchors: Iterable[str | Path] | str | Path = (),
    tsa_anchors: Iterable[str | Path] | str | Path = (),
    trust_config: Iterable[str | Path] | str | Path = (),
    allowed_list: Iterable[str | Path] | str | Path = (),
) -> TrustConfig:
    """The trust configuration of files given for one run (``--trust-anchors``, ``--tsa-anchors``,
    ``--trust-config``, ``--allowed-list``), built by the same rules as the store's.

    Args:
        anchors: PEM files of signer anchors (C2PA signer EKUs; see
            :meth:`TrustConfig.from_pem_files`, which keeps its warning for a file without a CA).
        tsa_anchors: PEM files of timestamp-authority anchors (checked as an anchors list).
        trust_config: EKU configuration files (OIDs one per line, ``//`` or ``#`` comments).
        allowed_list: allowed lists (end-entity PEM certificates or base64 SHA-256 lines).
    Raises:
        TypeError: an argument is not a path or an iterable of paths.
        TrustAnchorError: a file is unreadable, not a regular file, or not such a list (exit 2).
    """
    config = TrustConfig.from_pem_files(anchors)
    for path in as_paths(tsa_anchors):
        config = config.merged(_file_config(path, Role.ANCHORS, Kind.TSA, "timestamp-authority anchors"))
    for path in as_paths(trust_config):
        config = config.merged(_file_config(path, Role.EKU_CONFIG, None, "the EKU configuration"))
    for path in as_paths(allowed_list):
        config = config.merged(_file_config(path, Role.ALLOWED, None, "the allowed list"))
    return config
