"""The same audit on a Dask cluster (#12.4): a LocalCluster of two worker processes on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import SHARED_TRUST_FILES, run_cli, shared_path

from provenance import TrustConfig, audit, default_policy

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


def test_a_port_that_accepts_but_never_answers_is_a_usage_error_not_a_hang() -> None:
    import socket
    import time

    from provenance.distributed import connect
    from provenance.errors import UsageError

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # accepts TCP connections (the kernel does), never speaks Dask
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(UsageError, match="did not answer"):
            connect(address, timeout="1s")
        assert time.monotonic() - started < 30  # distributed alone waited for ever in the handshake


def test_an_address_dask_cannot_use_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["audit", str(shared_path("fixtures", "public")), "--dask-scheduler", "bogus://x"], capsys)
    assert code == 2 and "not a Dask scheduler address" in err, err  # was an internal error (exit 4)


def test_a_cluster_without_workers_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    from provenance.audit import collect_inputs
    from provenance.distributed import iter_cluster_verdicts
    from provenance.errors import ProvenanceError

    inputs = collect_inputs([shared_path("fixtures", "public")])
    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None,
                                  silence_logs=40) as empty, distributed.Client(empty, timeout="2s") as client, \
            pytest.raises(ProvenanceError, match="no worker"):
        next(iter_cluster_verdicts(inputs, client, policy=default_policy(), trust=TrustConfig()))


def test_a_relative_path_is_read_from_the_clients_folder_not_the_workers(
        cluster: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from provenance.distributed import audit_on_cluster

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    monkeypatch.chdir(fixtures)  # the workers were started in another folder: "sample-delivery" is not there
    local = audit(["sample-delivery"])
    with distributed.Client(cluster) as client:
        remote = audit_on_cluster(["sample-delivery"], client)
    assert [_key(image) for image in remote.images] == [_key(image) for image in local.images]  # was all unreadable
    assert all(image.path.startswith("sample-delivery/") for image in remote.images)


def test_local_caps_given_with_a_cluster_are_said_not_to_apply(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(shared_path("fixtures", "public"))
    code, _, err = run_cli(["audit", path, "--dask-scheduler", "bogus://x", "--timeout", "5", "--max-memory", "512"],
                           capsys)
    assert code == 2 and "warning: --timeout, --max-memory do not apply on a Dask cluster" in err, err
    code, _, err = run_cli(["audit", path, "--dask-scheduler", "bogus://x"], capsys)
    assert code == 2 and "do not apply" not in err and "does not apply" not in err, err  # defaults: no warning
