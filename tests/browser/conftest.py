"""Headless Chromium for the page tests (the verification page here, the HTML report later).

Uses the system's Debian ``chromium`` and ``chromium-driver`` at explicit paths, never a
downloaded browser (``harness.py``). When the browser is absent the tests are skipped with the
reason, unless ``CI`` is set: in CI a missing browser is a failure.

Fixtures:
    chromium: a session-wide Selenium WebDriver (headless, ``--no-sandbox`` for root in CI).
    verify_page: the verification page written to a temporary file, driven in that browser
        (:class:`harness.VerifyPage`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser.harness import VerifyPage, missing_browser, start_chromium


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium WebDriver shared by the session's browser tests."""
    reason = missing_browser()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason} (install Debian chromium and chromium-driver; "
                    "with CI set this is a failure)")
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


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
