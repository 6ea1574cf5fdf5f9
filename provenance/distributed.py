"""The same audit on a Dask cluster, past one machine (the optional ``[dask]`` extra: ``distributed``).

    from distributed import Client
    import provenance
    from provenance.distributed import audit_on_cluster

    with Client("tcp://scheduler:8786") as client:
        report = audit_on_cluster(["/shared/delivery"], client,
                                  trust=provenance.TrustConfig.from_pem_files(["studio-root.pem"]))

The paths are walked here (the client) and each file is read by a worker, so every worker must see the
same paths (shared storage: see ``docs/scale.md``). Policy and trust are sent to each worker once
(``Client.scatter(..., broadcast=True)``); each worker process builds its own C2PA reader context the
first time it reads (C2PA objects are not picklable and are never sent). Files are submitted in
batches of ``batch`` (default 1,000), the next batch queued while the current one is gathered, so the
client holds at most two batches of futures; verdicts come back in input order.

Failures: a file whose task fails (its worker died ``distributed.scheduler.allowed-failures`` times,
``KilledWorker``, or any other task error) is ``unreadable`` with a plain reason; the batch goes on.
Time and memory caps are the cluster's own (the nanny's ``memory_limit``, ``distributed.worker.memory``
thresholds); use workers with one thread each (``--nthreads 1``): each reads one file at a time.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

from .audit import Inputs, InputWalk, audit_image_sound, collect_inputs, evaluation_time, report_header
from .classify import classify_evidence
from .errors import ProvenanceError, UsageError
from .evidence import unreadable_evidence
from .policy import Policy, default_policy, evaluate
from .report import AuditReport
from .trust import TrustConfig
from .verdict import ImageVerdict

__all__ = ["audit_on_cluster", "connect", "iter_cluster_verdicts"]


def _audit_task(path: str, read_from: str, policy: Policy, trust: TrustConfig, thumbnails: bool = False) -> ImageVerdict:
    """Runs on a worker: read ``read_from`` (the client's absolute path) and judge it as ``path`` (as given).

    The worker's reader context is cached per process. A worker's working folder is not the client's,
    so a relative path is made absolute on the client: the report names the file as a local run does.
    """
    verdict = audit_image_sound(read_from, policy, trust, thumbnails=thumbnails)[0]
    return verdict if read_from == path else dataclasses.replace(verdict, path=path)


def connect(address: str, *, timeout: str = "10s") -> AbstractContextManager[Any]:
    """A ``distributed.Client`` for the scheduler at ``address`` (``tcp://host:8786``), waiting at most ``timeout``.

    ``Client(address, timeout=...)`` bounds the TCP connection but not the handshake that follows
    (distributed 2026.8, ``distributed/comm/core.py``: ``await comm.read()`` without a deadline), so a port
    that accepts and then stays silent would hang it for ever; the client is therefore built in a
    helper thread given ``timeout`` plus 2 s, after which the scheduler counts as unreachable.

    Raises:
        UsageError: the ``[dask]`` extra is not installed, the address is not one Dask can use, or the
            scheduler cannot be reached or does not answer in time.
    """
    try:
        from dask.utils import parse_timedelta
        from distributed import Client
    except ImportError as error:
        raise UsageError("--dask-scheduler needs the Dask extra: pip install 'photo-provenance[dask]'") from error
    outcome: dict[str, Any] = {}

    def build() -> None:
        try:
            outcome["client"] = Client(address, timeout=timeout)  # type: ignore[no-untyped-call]
        except BaseException as failure:  # noqa: BLE001 - handed back to the caller's thread below
            outcome["error"] = failure

    helper = threading.Thread(target=build, name="provenance-dask-connect", daemon=True)
    helper.start()
    helper.join(float(parse_timedelta(timeout, default="seconds")) + 2.0)
    if helper.is_alive():
        raise UsageError(f"cannot reach the Dask scheduler at {address}: it accepted the connection but did not "
                         f"answer within {timeout} (is it a Dask scheduler?)")
    failed: BaseException | None = outcome.get("error")
    if isinstance(failed, (OSError, TimeoutError)):
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {failed}") from failed
    if isinstance(failed, ValueError):  # an unknown scheme or a malformed address
        raise UsageError(f"not a Dask scheduler address: {address!r} ({failed})") from failed
    if failed is not None:
        raise failed
    client: AbstractContextManager[Any] = outcome["client"]
    return client


def iter_cluster_verdicts(
    inputs: Inputs | InputWalk,
    client: Any,
    *,
    policy: Policy,
    trust: TrustConfig,
    batch: int = 1000,
    progress: Callable[[Path], None] | None = None,
    thumbnails: bool = False,
) -> Iterator[ImageVerdict]:
    """Yield the verdict of every input image, audited on ``client``'s workers, in input order.

    Args:
        inputs: from :func:`provenance.audit.collect_inputs`, or an :class:`~provenance.audit.InputWalk`
            consumed batch by batch (paths the workers can read).
        client: a connected ``distributed.Client``.
        policy, trust: as for :func:`provenance.audit`.
        batch: files per submission (at most two batches are in flight).
        progress: called once per image, after its verdict is gathered.
        thumbnails: keep each active manifest's own thumbnail (for HTML reports).
    Raises:
        ProvenanceError: the cluster has no worker (none joined within the client's timeout).
    """
    from distributed import KilledWorker

    try:
        policy_future, trust_future = client.scatter([policy, trust], broadcast=True, hash=False)
    except TimeoutError as error:  # distributed waits for a worker, then gives up
        raise ProvenanceError(f"the Dask cluster has no worker to audit on ({error})") from error

    def submit(paths: Sequence[Path]) -> list[Any]:
        futures: list[Any] = client.map(_audit_task, [str(p) for p in paths], [os.path.abspath(p) for p in paths],
                                        policy=policy_future,
                                        trust=trust_future, thumbnails=thumbnails, pure=False)
        return futures

    images = iter(inputs.images if isinstance(inputs, Inputs) else inputs)
    chunk = list(itertools.islice(images, max(1, batch)))
    queued = submit(chunk) if chunk else []
    while chunk:
        following = list(itertools.islice(images, max(1, batch)))  # held: at most two batches of paths
        current, queued = queued, (submit(following) if following else [])
        for path, future in zip(chunk, current, strict=True):
            try:
                verdict = future.result()
            except KilledWorker:
                verdict = _unreadable(path, "the cluster's workers died while reading this file (a native abort or "
                                            "the memory limit): it could not be read", policy)
            except Exception as error:  # noqa: BLE001 - one file never stops the batch
                verdict = _unreadable(path, f"the cluster could not audit this file ({type(error).__name__}: {error})",
                                      policy)
            future.release()
            yield verdict
            if progress is not None:
                progress(path)
        chunk = following
    for folder in inputs.unreadable:
        yield _unreadable(folder.path, folder.why, policy)


def _unreadable(path: Path | str, reason: str, policy: Policy) -> ImageVerdict:
    return evaluate(classify_evidence(unreadable_evidence(str(path), reason)), policy)


def audit_on_cluster(
    paths: Sequence[str | Path] | str | Path,
    client: Any,
    *,
    policy: Policy | None = None,
    trust: TrustConfig | None = None,
    at: datetime | None = None,
) -> AuditReport:
    """:func:`provenance.audit` with every file read and judged on a Dask cluster's workers.

    Args:
        paths: files and folders, walked here; every worker must be able to read them at the same paths.
        client: a connected ``distributed.Client``.
        policy, trust, at: as for :func:`provenance.audit`.
    Returns:
        The same :class:`~provenance.report.AuditReport` a local run gives (images in input order).
    Raises:
        UsageError: a named path does not exist, or ``at`` is naive.
    """
    policy = policy or default_policy()
    trust = trust or TrustConfig()
    inputs = collect_inputs(paths)
    at = evaluation_time(at)
    verdicts = tuple(iter_cluster_verdicts(inputs, client, policy=policy, trust=trust))
    header = report_header(policy, trust, at, verdicts)
    return AuditReport(images=verdicts, skipped=inputs.skipped, policy=header.policy, trust=header.trust,
                       evaluated_at=header.evaluated_at, tool=header.tool)
