"""Drive the system's headless Chromium and the verification page (no pytest needed here,
so benchmarks can use it too). ``conftest.py`` wraps it in fixtures.

The browser is Debian's ``chromium`` with its ``chromium-driver``, at explicit paths (override
with ``PROVENANCE_CHROMIUM`` and ``PROVENANCE_CHROMEDRIVER``); ``SE_OFFLINE=1`` keeps Selenium
Manager from downloading any browser or driver.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("PROVENANCE_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("PROVENANCE_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--disable-extensions", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--metrics-recording-only")


@dataclass
class PageResult:
    """What the page shows once it stopped: ``#result[data-status]``, the checks
    (``{name: (status, code)}``), the files (``{data-file: data-code}``), and ``#error``."""

    status: str
    checks: dict[str, tuple[str, str]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    error_message: str = ""
    conclusion: str = ""
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> dict[str, str]:
        """{check name: code} of the failed checks (the shape the CLI tests compare)."""
        return {name: code for name, (status, code) in self.checks.items() if status == "failed"}


_COLLECT = """
const result = document.getElementById("result");
return JSON.stringify({
  status: result.dataset.status,
  checks: Array.from(result.querySelectorAll("[data-check]"), (e) => [e.dataset.check, e.dataset.status, e.dataset.code]),
  files: Array.from(result.querySelectorAll("[data-file]"), (e) => [e.dataset.file, e.dataset.code]),
  error: document.getElementById("error").dataset.code || null,
  errorMessage: document.getElementById("error").textContent,
  conclusion: document.getElementById("conclusion").textContent,
  skipped: Array.from(result.querySelectorAll("[data-skipped]"), (e) => e.dataset.skipped),
});
"""


class VerifyPage:
    """The verification page in a file, and a way to drive it like a client would."""

    def __init__(self, driver: Any, path: Path) -> None:
        self.driver = driver
        self.path = path
        self.url = path.resolve().as_uri()

    def open(self) -> None:
        """Load a fresh copy of the page (every input empty, ``#result`` idle)."""
        self.driver.get(self.url)

    def run(self, certificate: Path | None, key: Path | None, *, folder: Path | None = None,
            files: Sequence[Path] = (), key_id: str = "", timeout: float = 120.0, prepare: str = "") -> PageResult:
        """Fill the inputs, press ``#verify`` and wait until ``#result`` is verified or failed.

        ``prepare`` is a script run in the fresh page first (to instrument or take away a browser API).
        """
        from selenium.webdriver.common.by import By

        self.open()
        if prepare:
            self.driver.execute_script(prepare)
        find = self.driver.find_element
        if certificate is not None:
            find(By.ID, "certificate").send_keys(str(certificate))
        if key is not None:
            find(By.ID, "public-key").send_keys(str(key))
        if key_id:
            find(By.ID, "key-id").send_keys(key_id)
        if folder is not None:
            find(By.ID, "folder").send_keys(str(folder))
            self._wait_for_files("folder", sum(1 for path in folder.rglob("*") if path.is_file()), timeout)
        if files:
            find(By.ID, "files").send_keys("\n".join(str(path) for path in files))
            self._wait_for_files("files", len(files), timeout)
        started = time.perf_counter()
        find(By.ID, "verify").click()
        status = "running"
        while time.perf_counter() - started < timeout:
            status = self.driver.execute_script('return document.getElementById("result").dataset.status')
            if status in ("verified", "failed"):
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        assert status in ("verified", "failed"), f"the page is still {status!r} after {timeout} s"
        data = json.loads(self.driver.execute_script(_COLLECT))
        return PageResult(
            status=data["status"], checks={name: (state, code) for name, state, code in data["checks"]},
            files=dict(data["files"]), error=data["error"], error_message=data["errorMessage"],
            conclusion=data["conclusion"], skipped=data["skipped"], seconds=seconds)

    def _wait_for_files(self, input_id: str, count: int, timeout: float) -> None:
        """Wait until the browser lists all ``count`` chosen files (a big upload takes a moment)."""
        started = time.perf_counter()
        script = f'return document.getElementById("{input_id}").files.length'
        while self.driver.execute_script(script) < count:
            assert time.perf_counter() - started < timeout, f"#{input_id} did not receive {count} files"
            time.sleep(0.02)

    def call(self, script: str, *args: Any) -> Any:
        """Run ``script`` (an async function body; ``P`` is ``window.ProvenanceVerify``) in the page."""
        wrapper = ("const done = arguments[arguments.length - 1]; const P = window.ProvenanceVerify;"
                   f"(async (...args) => {{ {script} }})(...Array.from(arguments).slice(0, -1))"
                   ".then((v) => done({ok: v}), (e) => done({error: String(e && e.stack || e)}));")
        outcome = self.driver.execute_async_script(wrapper, *args)
        assert "error" not in outcome, outcome["error"]
        return outcome["ok"]




def missing_browser() -> str | None:
    """Why Chromium cannot be started here (``None`` when it can)."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        return f"{' and '.join(missing)} not found"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (it is in the 'test' extra)"
    return None


def start_chromium() -> Any:
    """A headless Chromium WebDriver (the caller quits it)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "1"  # Selenium Manager must never download a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(120)
    return driver
