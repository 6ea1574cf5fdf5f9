"""Headless Chromium for the page tests (the verification page here, the HTML report later).

Uses the system's Debian ``chromium`` and ``chromium-driver`` at explicit paths (override with
``PROVENANCE_CHROMIUM`` and ``PROVENANCE_CHROMEDRIVER``), never a downloaded browser:
``SE_OFFLINE=1`` keeps Selenium Manager from fetching anything. When the browser is absent the
tests are skipped with the reason, unless ``CI`` is set: in CI a missing browser is a failure.

Fixtures:
    chromium: a session-wide Selenium WebDriver (headless, ``--no-sandbox`` for root in CI).
    verify_page: the verification page written to a temporary file, and a runner for it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("PROVENANCE_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("PROVENANCE_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--disable-extensions", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--metrics-recording-only")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (install Debian chromium and chromium-driver; "
                "with CI set this is a failure)")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium WebDriver shared by the session's browser tests."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        _unavailable(f"{' and '.join(missing)} not found")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (it is in the 'test' extra)")
    os.environ["SE_OFFLINE"] = "1"  # Selenium Manager must never download a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


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
            files: Sequence[Path] = (), key_id: str = "", timeout: float = 120.0) -> PageResult:
        """Fill the inputs, press ``#verify`` and wait until ``#result`` is verified or failed."""
        from selenium.webdriver.common.by import By

        self.open()
        find = self.driver.find_element
        if certificate is not None:
            find(By.ID, "certificate").send_keys(str(certificate))
        if key is not None:
            find(By.ID, "public-key").send_keys(str(key))
        if key_id:
            find(By.ID, "key-id").send_keys(key_id)
        if folder is not None:
            find(By.ID, "folder").send_keys(str(folder))
        if files:
            find(By.ID, "files").send_keys("\n".join(str(path) for path in files))
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

    def call(self, script: str, *args: Any) -> Any:
        """Run ``script`` (an async function body; ``P`` is ``window.ProvenanceVerify``) in the page."""
        wrapper = ("const done = arguments[arguments.length - 1]; const P = window.ProvenanceVerify;"
                   f"(async (...args) => {{ {script} }})(...Array.from(arguments).slice(0, -1))"
                   ".then((v) => done({ok: v}), (e) => done({error: String(e && e.stack || e)}));")
        outcome = self.driver.execute_async_script(wrapper, *args)
        assert "error" not in outcome, outcome["error"]
        return outcome["ok"]


@pytest.fixture(scope="session")
def verify_page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page, built by the code under test, in a temporary folder."""
    from provenance.verify_page import build_page

    path = tmp_path_factory.mktemp("page") / "verify.html"
    path.write_bytes(build_page())
    return path


@pytest.fixture()
def verify_page(chromium: Any, verify_page_file: Path) -> VerifyPage:
    """The verification page, driven in the session's Chromium."""
    page = VerifyPage(chromium, verify_page_file)
    page.open()
    return page
