"""Every page of the demo, for each role, at 320 and 1280 CSS pixels: no horizontal page scroll
(WCAG 2.2 reflow, 1.4.10) and no axe-core violation.

"Every page" is found by crawling: from each role's home, follow same-origin links (GET only,
never sign-out, downloads or the API), one page per URL pattern (numbers replaced by ``N``), up
to ``MAX_PAGES`` per role, plus pages no link reaches (sign-in, the public enquiry forms). The
pages visited are printed and written to ``accord-every-page.txt`` next to the screenshots so that
coverage can be seen. axe-core comes from ``assets/axe-core`` (its npm package, with its licence),
never from a CDN.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
WIDTHS = (320, 1280)
MAX_PAGES = 60
#: Links the crawl never follows: signing out, files, the API and anything that changes state.
SKIP = re.compile(
    r"/accounts/logout|/logout|/download|/export|\.pdf$|\.docx$|\.ics$|\.csv$|/api/|/admin/"
    r"|/static/|/media/|/respond/[^/]+/withdraw|/delete|/revoke|/sign-out"
)
#: The WCAG rules to hold every page to (axe's tags), including best practice.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}

OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = root.scrollWidth - root.clientWidth;
  if (wide <= 0) { return null; }
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > root.clientWidth + 1 && box.width > 0) {
      let inner = el.parentElement, scrolls = false;
      while (inner) {
        const s = getComputedStyle(inner).overflowX;
        if (s === 'auto' || s === 'scroll' || s === 'hidden') { scrolls = true; break; }
        inner = inner.parentElement;
      }
      if (!scrolls) {
        const names = el.className ? '.' + String(el.className).split(' ').join('.') : '';
        culprits.push(el.tagName.toLowerCase() + names);
      }
    }
    if (culprits.length > 4) { break; }
  }
  return {wide, culprits};
}"""


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"/\d+", "/N", parts.path) + (
        "?" + re.sub(r"\d+", "N", parts.query) if parts.query else ""
    )


def _links(page: Any, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download]):not([data-exit-this-page-link])", "els => els.map(e => e.href)"
    )
    found = []
    for href in hrefs:
        href = urldefrag(href)[0]
        if href.startswith(origin) and not SKIP.search(urlsplit(href).path):
            found.append(href)
    return found


def _check(page: Any, url: str, problems: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(50)
        wide = page.evaluate(OVERFLOW)
        if wide:
            problems.append(
                f"{url} at {width}px scrolls sideways by {wide['wide']}px: {wide['culprits']}"
            )
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in result["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            problems.append(
                f"{url} at {width}px: axe {violation['id']}: {violation['help']} {targets}"
            )


def _crawl(
    page: Any, origin: str, starts: list[str], role: str, visited: list[str], problems: list[str]
) -> None:
    seen: set[str] = set()
    context = page.context
    queue = deque(starts)
    count = 0
    while queue and count < MAX_PAGES:
        url = queue.popleft()
        key = _pattern(url)
        if key in seen:
            continue
        seen.add(key)
        try:
            try:
                response = page.goto(url)
            except PlaywrightError as exc:
                if "interrupted by another navigation" not in str(exc):
                    raise
                # The last page was still navigating (a busy machine): start again on a fresh
                # tab of the same signed-in context, so one slow page cannot spoil the rest.
                page.close()
                page = context.new_page()
                page.set_default_timeout(15_000)
                response = page.goto(url)
        except PlaywrightError as exc:
            # An error status with an empty body (a 403 or 404 that says nothing) ends here.
            if not any(m in str(exc) for m in ("ERR_HTTP_RESPONSE_CODE_FAILURE", "chrome-error")):
                problems.append(f"{url}: {exc}")
            continue
        if response is None or response.status >= 400 or not page.url.startswith(origin):
            if response is not None and response.status >= 500:
                problems.append(f"{url}: status {response.status}")
            continue
        count += 1
        visited.append(f"{role}: {_pattern(page.url)}  ({page.url.removeprefix(origin)})")
        page.set_viewport_size({"width": 1280, "height": 800})
        queue.extend(_links(page, origin))
        _check(page, page.url, problems)


def _sign_in(page: Any, origin: str, email: str, *, staff: bool) -> None:
    from accord.demo.data import DEMO_PASSWORD, totp_code

    page.goto(f"{origin}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if staff:
        from accord.browser_tests.helpers import wait_for_fresh_code_window

        wait_for_fresh_code_window()
        page.get_by_label("Security code").fill(totp_code())
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


ROLES = [
    ("public", None, False),
    ("party", "sarah.khan@parties.example", False),
    ("service admin", "admin@riverside.example", True),
    ("coordinator", "coordinator@riverside.example", True),
    ("mediator", "mediator@riverside.example", True),
    ("supervisor", "supervisor@riverside.example", True),
    ("trainee mediator", "trainee@riverside.example", True),
    ("safeguarding lead", "safeguarding@riverside.example", True),
]


def test_every_page_reflows_at_320_pixels_and_passes_axe(
    browser: Any, live_server: Any, transactional_db: Any
) -> None:
    from accord.demo.data import demo_load
    from accord.organisations.models import Organisation

    demo_load()
    origin = live_server.url
    visited: list[str] = []
    problems: list[str] = []
    public = [
        f"{origin}/",
        f"{origin}/accounts/login/",
        f"{origin}/accounts/password/reset/",
        f"{origin}/enquire/",
    ]
    for organisation in Organisation.objects.all():
        public.append(f"{origin}/enquire/{organisation.slug}/")
    for role, email, staff in ROLES:
        # axe-core is injected as a script of the test's own, which the pages' strict
        # Content-Security-Policy would refuse; the policy itself is checked by every other
        # browser test (conftest) and test_content_security_policy.py.
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London", bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if email is None:
                _crawl(page, origin, public, role, visited, problems)
            else:
                _sign_in(page, origin, email, staff=staff)
                _crawl(page, origin, [page.url, f"{origin}/account/"], role, visited, problems)
        finally:
            context.close()
    folder = os.environ.get("ACCORD_SCREENSHOT_DIR") or tempfile.gettempdir()
    Path(folder).mkdir(parents=True, exist_ok=True)
    report = Path(folder) / "accord-every-page.txt"
    report.write_text("\n".join([*visited, "", "Problems:", *problems]) + "\n", encoding="utf-8")
    print(f"\n{len(visited)} pages visited (list in {report}):\n" + "\n".join(visited))
    assert len(visited) > 40, visited
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_axe_asset_is_the_npm_package_with_its_licence() -> None:
    assert AXE.stat().st_size > 100_000
    assert "Mozilla Public License" in (AXE.parent / "LICENSE").read_text(encoding="utf-8")
