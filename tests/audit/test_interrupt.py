"""Stopping `provenance audit --jobs 2` from outside: SIGTERM and Ctrl-C end it cleanly (exit 4)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
from conftest import SAMPLE_DELIVERY


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the worker processes")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_a_pooled_audit_exits_4_and_leaves_no_file_or_worker(tmp_path: Path, signum: int) -> None:
    delivery = tmp_path / "delivery"
    delivery.mkdir()
    for number in range(3000):  # hard links: long enough a batch to be stopped in the middle
        os.link(SAMPLE_DELIVERY / "04-no-credentials.jpg", delivery / f"{number:04}.jpg")
    out = tmp_path / "out"
    out.mkdir()
    report = out / "report.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from provenance._cli import main; sys.exit(main())", "audit", str(delivery), "--jobs", "2", "--no-trust-store",
         "--format", "jsonl", "-o", str(report)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        partial = [p for p in out.iterdir() if p.stat().st_size > 0]
        if partial:
            break  # the report is being written: images are flowing
        time.sleep(0.05)
    workers = _children(process.pid)
    assert process.poll() is None, process.communicate()
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C reaches the whole foreground group
    else:
        process.send_signal(signum)  # kill, a job scheduler: only the main process
    _, err = process.communicate(timeout=30)
    assert process.returncode == 4, err
    assert list(out.iterdir()) == []  # neither the report nor its temporary file
    time.sleep(0.5)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists() and
            Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"] == []
    assert "Traceback" not in err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_signal_lost_inside_a_reader_callback_still_stops_an_in_process_audit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], signum: int,
        fmt: str) -> None:
    """c2pa-python reads through ctypes callbacks: a KeyboardInterrupt raised in one is printed and
    ignored, that read fails and the audit used to go on and write its report (exit 1 or 3)."""
    import importlib

    from conftest import run_cli

    audit_module = importlib.import_module("provenance.audit")  # the package's `audit` is the function

    delivery = tmp_path / "delivery"
    delivery.mkdir()
    for number in range(4):
        os.link(SAMPLE_DELIVERY / "04-no-credentials.jpg", delivery / f"{number}.jpg")
    real = audit_module.audit_image
    seen: list[str] = []

    def audit_image(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(path))
        if len(seen) == 2:
            try:  # as ctypes does with an exception raised in a callback: reported as unraisable, ignored
                signal.raise_signal(signum)
                time.sleep(0.01)
            except BaseException as error:  # noqa: BLE001
                sys.unraisablehook(types.SimpleNamespace(
                    exc_type=type(error), exc_value=error, exc_traceback=error.__traceback__, object=None,
                    err_msg="Exception ignored on calling ctypes callback function"))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(audit_module, "audit_image", audit_image)
    printed: list[object] = []  # what would reach the interpreter's hook (printed with a traceback)
    monkeypatch.setattr(sys, "unraisablehook", printed.append)
    report = tmp_path / f"report.{fmt}"
    code, _, err = run_cli(["audit", str(delivery), "--jobs", "0", "--no-trust-store", "--format", fmt,
                            "-o", str(report)], capsys)
    assert code == 4 and "aborted" in err, err
    assert printed == [] and "Traceback" not in err  # said once, as "aborted"
    assert list(tmp_path.iterdir()) == [delivery]  # no report, no temporary file
    assert len(seen) == 2  # stopped after the image being read when the signal came
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL and signal.getsignal(signal.SIGINT) is signal.default_int_handler
