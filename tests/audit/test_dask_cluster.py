"""The same audit on a Dask cluster (#12.4): a LocalCluster of two worker processes on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import SHARED_TRUST_FILES, run_cli, shared_path

from provenance import TrustConfig, audit

distributed = pytest.importorskip("distributed", reason="the [dask] extra (distributed) is not installed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as local:
        yield local


def _key(image: Any) -> tuple[Any, ...]:
    return (image.path, image.status.value, tuple(r.value for r in image.reasons), image.sha256, len(image.findings))


def test_cluster_gives_every_verdict_of_the_local_run(cluster: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from provenance.distributed import audit_on_cluster

    public = shared_path("fixtures", "public")
    trust_files = [shared_path("fixtures", "trust", name) for name in SHARED_TRUST_FILES]
    trust = TrustConfig.from_pem_files(trust_files)
    local = audit([public], trust=trust)
    with distributed.Client(cluster) as client:
        remote = audit_on_cluster([public], client, trust=trust)
    assert len(local.images) >= 80
    assert [_key(image) for image in remote.images] == [_key(image) for image in local.images]
    assert remote.skipped == local.skipped

    # The CLI's --dask-scheduler gives the same report.
    args = ["audit", str(public), "--no-trust-store", "--format", "json"]
    for path in trust_files:
        args += ["--trust-anchors", str(path)]
    code, out, err = run_cli([*args, "--dask-scheduler", cluster.scheduler_address], capsys)
    assert code in (1, 3), err
    got = [(i["path"], i["status"], i["reasons"]) for i in json.loads(out)["images"]]
    assert got == [(i.path, i.status.value, [r.value for r in i.reasons]) for i in local.images]


def test_unreachable_scheduler_is_a_usage_error() -> None:
    from provenance.distributed import connect
    from provenance.errors import UsageError

    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        connect("tcp://127.0.0.1:9", timeout="1s")
