"""Browser tests: Playwright's sync API drives the system Chromium against the live server.

Run with ``uv run pytest accord/browser_tests -m browser``. Chromium comes from the system
(``apt-get install chromium``) or the ``ACCORD_CHROMIUM`` path; Playwright's own browser
download is never used. Without Chromium the tests fail loudly rather than skip, so CI cannot
pass by accident.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from accord.browser_tests.helpers import DESKTOP

# Playwright's sync API runs an event loop in this thread; the ORM calls that the fixtures make
# from the same thread are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """The system Chromium to drive: ``ACCORD_CHROMIUM``, else ``chromium`` on the PATH."""
    path = os.environ.get("ACCORD_CHROMIUM") or shutil.which("chromium")
    if not path or not os.path.exists(path):
        pytest.fail(
            "Browser tests need the system Chromium: install it with `apt-get install -y chromium` "
            "or set ACCORD_CHROMIUM to its path. (Never run `playwright install`.)",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab with its own cookies, British locale and a desktop-sized window."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def _fast_hasher_and_clean_cache(settings: Any) -> Iterator[None]:
    # Argon2 costs half a second per password; rate limits and used codes live in the cache.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def live_service(transactional_db: None) -> Any:
    """The standard test service, committed so the live server's thread can see it."""
    from accord.testing.factories import build_service

    return build_service()
