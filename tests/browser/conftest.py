"""Headless Chromium for the page tests (the verification page here, the HTML report later).

Uses the system's Debian ``chromium`` and ``chromium-driver`` at explicit paths (override with
``PROVENANCE_CHROMIUM`` and ``PROVENANCE_CHROMEDRIVER``), never a downloaded browser:
``SE_OFFLINE=1`` keeps Selenium Manager from fetching anything. When the browser is absent the
tests are skipped with the reason, unless ``CI`` is set: in CI a missing browser is a failure.

Fixtures:
    chromium: a session-wide Selenium WebDriver (headless, ``--no-sandbox`` for root in CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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
