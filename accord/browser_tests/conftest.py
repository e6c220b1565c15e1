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
from pathlib import Path
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


# Runs before any page script on every document the tab loads, so that a violation of the
# Content-Security-Policy on any page a journey visits is written to the console where the fixture
# below sees it (Chromium's own "Refused to ..." console messages are caught as well).
CSP_VIOLATION_MARKER = "accord-csp-violation:"
_RECORD_CSP_VIOLATIONS = f"""
document.addEventListener("securitypolicyviolation", (event) => {{
  console.error("{CSP_VIOLATION_MARKER} " + event.effectiveDirective + " blocked "
    + (event.blockedURI || "inline") + " on " + event.documentURI
    + " (" + (event.sourceFile || "") + ":" + event.lineNumber + ")");
}}, true);
"""


def _is_csp_violation(text: str) -> bool:
    return text.startswith(CSP_VIOLATION_MARKER) or (
        text.startswith("Refused to") and "Content Security Policy" in text
    )


@pytest.fixture
def csp_violations() -> list[str]:
    """Every Content-Security-Policy violation the test's tab met; the page fixture fails on any."""
    return []


@pytest.fixture
def page(browser: Any, csp_violations: list[str]) -> Iterator[Any]:
    """A fresh browser tab with its own cookies, British locale and a desktop-sized window.

    The tab records every Content-Security-Policy violation on every page it visits, and the test
    fails if there was any, so each journey checks the policy on each page it passes through.
    """
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    context.add_init_script(_RECORD_CSP_VIOLATIONS)
    tab = context.new_page()

    def record(message: Any) -> None:
        if _is_csp_violation(message.text):
            csp_violations.append(message.text)

    tab.on("console", record)
    tab.set_default_timeout(10_000)
    # Loading a page may take longer than a click: the live server's first request of a run
    # builds its templates and URL resolvers, which took over 10 s on a loaded machine.
    tab.set_default_navigation_timeout(60_000)
    yield tab
    context.close()
    if csp_violations:
        broken = "\n".join(csp_violations)
        pytest.fail(f"The page broke the Content-Security-Policy:\n{broken}", pytrace=False)


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


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Group the browser tests for pytest-xdist (`-n 2 --dist loadgroup`, as CI runs).

    The journeys run in turn in one worker and the long every-page crawl in the other, so at
    most two Chromium sessions run at once on a 2-core machine; the rest of the suite fills in
    around them.
    """
    here = Path(__file__).resolve().parent
    for item in items:
        path = Path(str(item.path)).resolve()
        if here in path.parents:
            group = "crawl" if path.name == "test_every_page.py" else "browser"
            item.add_marker(pytest.mark.xdist_group(group))
