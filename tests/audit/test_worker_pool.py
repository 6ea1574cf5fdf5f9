"""The supervised pool (#12.2, #9.2): a worker that dies, hangs or runs out of memory costs one file, not the batch."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY, TEST_ROOT, run_cli, shared_path
from pool_faults import faulty_task

from provenance import TrustConfig, default_policy, evaluate
from provenance._pool import Caps, WorkerPool
from provenance.audit import audit_image
from provenance.evidence import unreadable_evidence

GOOD = "01-capture-edited.jpg"


def _pool_run(tmp_path: Path, names: list[str], caps: Caps, jobs: int = 2) -> list:  # type: ignore[type-arg]
    for name in names:
        shutil.copy(SAMPLE_DELIVERY / GOOD, tmp_path / name)
    policy, trust = default_policy(), TrustConfig.from_pem_files([TEST_ROOT])

    def failed(path: Path, reason: str):  # type: ignore[no-untyped-def]
        return evaluate(unreadable_evidence(str(path), reason), policy)

    with WorkerPool(jobs, policy, trust, caps, failed, task=faulty_task) as pool:
        return list(pool.map([tmp_path / name for name in names]))


def test_dead_hung_and_out_of_memory_workers_cost_one_file_each(tmp_path: Path) -> None:
    names = ["a.jpg", "abort.jpg", "b.jpg", "exit.jpg", "c.jpg", "hang.jpg", "d.jpg", "hog.jpg", "e.jpg",
             "memerror.jpg", "f.jpg"]
    verdicts = _pool_run(tmp_path, names, Caps(timeout=5.0, memory_mb=1024))
    assert [Path(v.path).name for v in verdicts] == names  # input order, every file
    by_name = {Path(v.path).name: v for v in verdicts}
    for good in "abcdef":
        assert by_name[f"{good}.jpg"].status.value == "compliant", by_name[f"{good}.jpg"].error
    expected = {"abort.jpg": "SIGABRT", "exit.jpg": "exited with status 3", "hang.jpg": "longer than the 5 s limit",
                "hog.jpg": "ran out of memory", "memerror.jpg": "ran out of memory"}
    for name, words in expected.items():
        verdict = by_name[name]
        assert [r.value for r in verdict.reasons] == ["unreadable"], (name, verdict.reasons)
        assert verdict.error is not None and words in verdict.error, (name, verdict.error)
        assert "credentials_invalid" not in [r.value for r in verdict.reasons]  # never a false tamper


def test_one_worker_replaced_again_and_again(tmp_path: Path) -> None:
    names = [f"abort{i}.jpg" for i in range(3)] + ["ok.jpg"]
    verdicts = _pool_run(tmp_path, names, Caps(timeout=30.0), jobs=1)
    assert [v.status.value for v in verdicts] == ["indeterminate"] * 3 + ["compliant"]


def test_files_queued_behind_a_failed_file_go_to_the_new_worker(tmp_path: Path) -> None:
    # One worker holds two paths (QUEUED): the one behind a hang or a MemoryError is read again, not lost
    # nor blamed; the hung file's clock started when it was sent, so it alone is stopped.
    names = ["hang.jpg", "a.jpg", "memerror.jpg", "b.jpg", "c.jpg"]
    verdicts = _pool_run(tmp_path, names, Caps(timeout=3.0), jobs=1)
    assert [Path(v.path).name for v in verdicts] == names
    assert [v.status.value for v in verdicts] == ["indeterminate", "compliant", "indeterminate", "compliant",
                                                  "compliant"]
    assert verdicts[0].error is not None and "longer than the 3 s limit" in verdicts[0].error
    assert verdicts[2].error is not None and "ran out of memory" in verdicts[2].error


def _verdicts(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, tuple]:  # type: ignore[type-arg]
    code, out, err = run_cli(["audit", *args, "--format", "json"], capsys)
    assert code in (0, 1, 3), err
    return {image["path"]: (image["status"], image["reasons"], image["sha256"], len(image["findings"]))
            for image in json.loads(out)["images"]}


def test_same_verdicts_with_one_and_two_jobs_sample(capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(SAMPLE_DELIVERY), "--no-trust-store", "--trust-anchors", str(TEST_ROOT)]
    one = _verdicts([*args, "--jobs", "1"], capsys)
    two = _verdicts([*args, "--jobs", "2"], capsys)
    assert one == two and len(one) == 6
    assert list(one) == sorted(one)  # input order kept


def test_same_verdicts_with_one_and_two_jobs_public_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    public = shared_path("fixtures", "public")
    trust = shared_path("fixtures", "trust")
    args = [str(public), "--no-trust-store"]
    for name in ("c2pa-trust-list.pem", "interim-trust-list-anchors.pem", "c2pa-rs-test-roots.pem"):
        args += ["--trust-anchors", str(trust / name)]
    one = _verdicts([*args, "--jobs", "1"], capsys)
    two = _verdicts([*args, "--jobs", "2"], capsys)
    assert len(one) >= 80 and one == two


def test_in_process_audit_catches_memory_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def out_of_memory(*_args: object, **_kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(importlib.import_module("provenance.audit"), "read_evidence", out_of_memory)
    verdict = audit_image(SAMPLE_DELIVERY / GOOD, default_policy(), TrustConfig())
    assert [r.value for r in verdict.reasons] == ["unreadable"] and "ran out of memory" in (verdict.error or "")


@pytest.mark.parametrize("error", ["Io: failed to fill whole buffer", "Other: insufficient memory space for operation"])
def test_reader_io_and_memory_errors_are_unreadable_not_tampering(monkeypatch: pytest.MonkeyPatch, error: str) -> None:
    import c2pa

    def failing_reader(*_args: object, **_kwargs: object) -> None:
        raise (c2pa.C2paError.Io if error.startswith("Io") else c2pa.C2paError)(error)

    monkeypatch.setattr(c2pa.Reader, "__init__", failing_reader)
    verdict = audit_image(SAMPLE_DELIVERY / GOOD, default_policy(), TrustConfig.from_pem_files([TEST_ROOT]))
    assert [r.value for r in verdict.reasons] == ["unreadable"], verdict.reasons
    assert verdict.error is not None and error in verdict.error


def test_jobs_999_starts_no_more_workers_than_images_or_the_per_core_cap(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import provenance._pool as pool_module

    started: list[int] = []
    real_start = pool_module.WorkerPool._start

    def counting_start(self: WorkerPool):  # type: ignore[no-untyped-def]
        started.append(1)
        return real_start(self)

    monkeypatch.setattr(pool_module.WorkerPool, "_start", counting_start)
    two = [str(SAMPLE_DELIVERY / GOOD), str(SAMPLE_DELIVERY / "04-no-credentials.jpg")]
    code, out, err = run_cli(["audit", *two, "--no-trust-store", "--jobs", "999", "--format", "json"], capsys)
    assert code == 3, err
    assert len(json.loads(out)["images"]) == 2 and len(started) == 2  # not 999 workers for two images
    started.clear()
    monkeypatch.setattr(pool_module, "default_jobs", lambda: 1)  # one core...
    monkeypatch.setattr(pool_module, "JOBS_PER_CORE", 1)  # ...and one worker per core (kept small: fast)
    policy = default_policy()
    with WorkerPool(999, policy, TrustConfig(), Caps(), lambda p, r: evaluate(unreadable_evidence(str(p), r), policy)):
        assert len(started) == 1


def test_library_jobs_from_a_script_without_a_main_guard_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = tmp_path / "no_guard.py"
    script.write_text(f"import provenance\nprovenance.audit([{str(SAMPLE_DELIVERY)!r}], jobs=2)\nprint('done')\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode != 0 and "done" not in run.stdout  # neither a fork bomb nor a silent run
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("provenance.errors.ProvenanceError") and 'if __name__ == "__main__":' in last, last


def test_a_worker_killed_while_starting_is_replaced(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import provenance._pool as pool_module

    real_start = pool_module.WorkerPool._start
    killed: list[int] = []

    def start_then_kill_the_first(self: WorkerPool):  # type: ignore[no-untyped-def]
        slot = real_start(self)
        if not killed:  # the out-of-memory killer takes the first worker before it is ready
            slot.process.kill()
            killed.append(slot.process.pid)
        return slot

    monkeypatch.setattr(pool_module.WorkerPool, "_start", start_then_kill_the_first)
    names = ["a.jpg", "b.jpg", "c.jpg"]
    for name in names:
        shutil.copy(SAMPLE_DELIVERY / GOOD, tmp_path / name)
    policy, trust = default_policy(), TrustConfig.from_pem_files([TEST_ROOT])
    with WorkerPool(2, policy, trust, Caps(), lambda p, r: evaluate(unreadable_evidence(str(p), r), policy)) as pool:
        verdicts = list(pool.map([tmp_path / name for name in names]))
        assert killed and all(slot.process.pid not in killed for slot in pool._slots)
    assert [v.status.value for v in verdicts] == ["compliant"] * 3  # the run went on with a new worker


def test_a_worker_that_dies_while_idle_is_replaced_before_it_gets_a_file(tmp_path: Path) -> None:
    import threading

    shutil.copy(SAMPLE_DELIVERY / GOOD, tmp_path / "slow.jpg")
    policy, trust = default_policy(), TrustConfig.from_pem_files([TEST_ROOT])
    with WorkerPool(2, policy, trust, Caps(), lambda p, r: evaluate(unreadable_evidence(str(p), r), policy),
                    task=faulty_task) as pool:
        idle = pool._slots[1].process
        # One file for two workers: the second stays idle, and is killed while the first reads.
        threading.Timer(0.5, idle.kill).start()
        verdicts = list(pool.map([tmp_path / "slow.jpg"]))
        replacement = pool._slots[1].process
        assert replacement is not idle and replacement.is_alive()  # seen dead (its sentinel) and replaced
    assert [v.status.value for v in verdicts] == ["compliant"]


def test_a_worker_killed_twice_while_starting_stops_the_run_saying_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """The message said "see its error above" where no error was: the worker had been killed."""
    import provenance._pool as pool_module
    from provenance.errors import ProvenanceError

    real_start = pool_module.WorkerPool._start

    def start_then_kill(self: WorkerPool):  # type: ignore[no-untyped-def]
        slot = real_start(self)
        slot.process.kill()
        return slot

    monkeypatch.setattr(pool_module.WorkerPool, "_start", start_then_kill)
    policy = default_policy()
    with pytest.raises(ProvenanceError, match="ended by SIGKILL before it was ready, twice") as raised:
        WorkerPool(1, policy, TrustConfig(), Caps(), lambda p, r: evaluate(unreadable_evidence(str(p), r), policy)).__enter__()
    assert "see its error above" not in str(raised.value)


def test_library_jobs_0_audits_in_this_process_as_the_cli_does(monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance
    import provenance._pool
    from provenance.errors import UsageError

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("jobs=0 started a worker pool")  # it did: one spawned worker, needing a main guard

    monkeypatch.setattr(provenance._pool, "WorkerPool", no_pool)
    here = provenance.audit([SAMPLE_DELIVERY], jobs=0)
    assert [i.status for i in here.images] == [i.status for i in provenance.audit([SAMPLE_DELIVERY]).images]
    with pytest.raises(UsageError, match="jobs must be 0 or more"):
        provenance.audit([SAMPLE_DELIVERY], jobs=-1)  # started one worker silently
