"""Every page of the demo, for each role, at 320 and 1280 CSS pixels: no horizontal page scroll
(WCAG 2.2 reflow, 1.4.10) and no axe-core violation.

"Every page" is found by crawling: from each role's home, follow same-origin links (GET only,
never sign-out, downloads or the API), one page per URL pattern (numbers replaced by ``N``; for
the roles that see every case, one case workspace page per kind of case, since its panels differ
by kind), plus pages no link reaches: sign-in, password reset, the public enquiry forms and the
pages people reach from an email (the invitation answer page, a staff invitation). A crawl that
stops at ``MAX_PAGES`` with pages left fails rather than passing on part of the site, and each
role must reach the pages named in ``MUST_VISIT``. The pages visited are printed and written to
``accord-every-page.txt`` next to the screenshots so that coverage can be seen. axe-core comes
from ``assets/axe-core`` (its npm package, with its licence), never from a CDN.
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
MAX_PAGES = 200
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
    },
    # Only violations are read; axe then skips collecting every passing node (its guidance for
    # speed). The rules run are the same.
    "resultTypes": ["violations"],
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


WORKSPACE = re.compile(r"^/cases/(\d+)/$")


def _key(url: str, kinds: dict[int, str] | None) -> str:
    """The pattern, and for a case workspace page the kind of case when ``kinds`` is given."""
    key = _pattern(url)
    match = WORKSPACE.match(urlsplit(url).path)
    # The timeline's filters by part are one page whatever the kind: only the sections differ.
    if kinds is not None and match and "part=" not in urlsplit(url).query:
        key += f" [{kinds.get(int(match.group(1)), '?')}]"
    return key


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


#: Resolves after the next frames are drawn: by then a change of viewport has fired its resize
#: event and tables.js (which answers on the next animation frame) has marked boxes that scroll.
FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _check(page: Any, url: str, problems: list[str]) -> None:
    viewport = page.viewport_size or {}
    # Start at the width the page already has, so each page is resized once, not twice.
    widths = sorted(WIDTHS, key=lambda w: w != viewport.get("width"))
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    for width in widths:
        if viewport.get("width") != width:
            page.set_viewport_size({"width": width, "height": 800})
            viewport = {"width": width}
        page.evaluate(FRAMES)
        wide = page.evaluate(OVERFLOW)
        if wide:
            problems.append(
                f"{url} at {width}px scrolls sideways by {wide['wide']}px: {wide['culprits']}"
            )
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in result["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            problems.append(
                f"{url} at {width}px: axe {violation['id']}: {violation['help']} {targets}"
            )


#: Where the crawl writes each page as it goes (set by the test), so that a run stopped early
#: on a slow machine still shows what it covered and found.
PROGRESS: list[Path] = []


def _progress(line: str, found: list[str]) -> None:
    for path in PROGRESS:
        with path.open("a", encoding="utf-8") as out:
            out.write("\n".join([line, *(f"  PROBLEM {p}" for p in found)]) + "\n")


def _crawl(
    page: Any,
    origin: str,
    starts: list[str],
    role: str,
    visited: list[str],
    problems: list[str],
    kinds: dict[int, str] | None = None,
) -> None:
    seen: set[str] = set()
    context = page.context
    queue = deque(starts)
    count = 0
    while queue:
        url = queue.popleft()
        key = _key(url, kinds)
        if key in seen:
            continue
        if count >= MAX_PAGES:
            problems.append(f"{role}: the crawl stopped at {MAX_PAGES} pages before {url}")
            break
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
            # A link that answers with a file (evidence, an export) starts a download: no page.
            quiet = ("ERR_HTTP_RESPONSE_CODE_FAILURE", "chrome-error", "Download is starting")
            if not any(m in str(exc) for m in quiet):
                problems.append(f"{url}: {exc}")
            continue
        if response is None or response.status >= 400 or not page.url.startswith(origin):
            if response is not None and response.status >= 500:
                problems.append(f"{url}: status {response.status}")
            continue
        count += 1
        visited.append(f"{role}: {_key(page.url, kinds)}  ({page.url.removeprefix(origin)})")
        queue.extend(_links(page, origin))
        before = len(problems)
        _check(page, page.url, problems)
        _progress(visited[-1], problems[before:])


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


#: (role, email, staff, sees every case): each role of staff, and parties whose portals differ
#: (shuttle, the other parent, SEND, children, workplace proposals, finance, the other service).
ROLES = [
    ("public", None, False, False),
    ("party", "sarah.khan@parties.example", False, False),
    ("other party", "daniel.wright@parties.example", False, False),
    ("SEND parent", "joanne.harrison@parties.example", False, False),
    ("children parent", "claire.hughes@parties.example", False, False),
    ("workplace party", "chris@firm.example", False, False),
    ("finance party", "(a party who has disclosed)", False, False),
    ("other service's party", "kasia.novak@parties.example", False, False),
    ("service admin", "admin@riverside.example", True, False),
    ("coordinator", "coordinator@riverside.example", True, True),
    ("mediator", "mediator@riverside.example", True, True),
    ("supervisor", "supervisor@riverside.example", True, False),
    ("trainee mediator", "trainee@riverside.example", True, False),
    ("safeguarding lead", "safeguarding@riverside.example", True, False),
    ("other service's admin", "admin@hillside.example", True, False),
]

#: Patterns each role must have reached, so that a crawl that quietly lost its way fails.
MUST_VISIT = {
    "public": {
        "/",
        "/accounts/login/",
        "/enquire/riverside-demo/family/",
        "/enquire/riverside-demo/send/",
        "/respond/BJWN/",
        "/invite/TOKEN/",
    },
    "party": {"/portal/", "/portal/cases/N/", "/account/"},
    "SEND parent": {"/portal/cases/N/"},
    "coordinator": {"/cases/dashboard/", "/cases/", "/diary/", "/deadlines/calendar/"},
    "mediator": {"/cases/N/agreement/"},
    "service admin": {"/service/staff/"},
}


def _email_links(origin: str) -> list[str]:
    """Pages people open from an email without an account: answering an invitation to
    mediation, accepting a staff invitation (the links written to the outbox)."""
    from accord.deadlines.models import OutboundEmail

    found: list[str] = []
    invites = 0
    for body in OutboundEmail.objects.order_by("-pk").values_list("body", flat=True):
        for match in re.finditer(r"https?://[^/\s]+(/(?:respond|invite)/[^\s]+/)", body):
            if match.group(1).startswith("/invite/"):
                if not _usable_invitation(match.group(1)):
                    continue  # the demo's older invitations were used or have expired
                invites += 1
                if invites > 2:
                    continue  # the same page for every invitation
            found.append(origin + match.group(1))
    return found


def _usable_invitation(path: str) -> bool:
    from accord.accounts.services import invitation_lookup
    from accord.core.errors import NotFoundOrHidden

    try:
        invitation_lookup(secret=path.removeprefix("/invite/").rstrip("/"))
    except NotFoundOrHidden:
        return False
    return True


def _reached(visited: list[str], role: str, wanted: str) -> bool:
    # "/respond/BJWN/" and "/invite/TOKEN/" stand for any one secret link of that kind.
    prefix = {"/respond/BJWN/": "/respond/", "/invite/TOKEN/": "/invite/"}.get(wanted)
    for line in visited:
        who, _, rest = line.partition(": ")
        key = rest.split("  (")[0].split(" [")[0]
        if who == role and (key == wanted or (prefix and key.startswith(prefix))):
            return True
    return False


def test_every_page_reflows_at_320_pixels_and_passes_axe(
    browser: Any, live_server: Any, transactional_db: Any
) -> None:
    from accord.cases.models import Case, Participant
    from accord.demo.data import demo_load
    from accord.organisations.models import Organisation

    folder = os.environ.get("ACCORD_SCREENSHOT_DIR") or tempfile.gettempdir()
    Path(folder).mkdir(parents=True, exist_ok=True)
    progress = Path(folder) / "accord-every-page-progress.txt"
    progress.write_text("", encoding="utf-8")
    PROGRESS[:] = [progress]
    demo_load()
    origin = live_server.url
    kinds = dict(Case.objects.values_list("pk", "kind"))
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
    emailed = _email_links(origin)
    assert any("/respond/" in url for url in emailed), emailed
    assert any("/invite/" in url for url in emailed), emailed
    public += emailed
    # The finance story's parties: whoever has a disclosure (the story may move between cases).
    discloser = (
        Participant.objects.filter(user__isnull=False, disclosures__isnull=False)
        .order_by("pk")
        .values_list("user__email", flat=True)
        .first()
    )
    assert discloser, "the demo has no party with a financial disclosure"
    for role, email, staff, every_case in ROLES:
        email = discloser if role == "finance party" else email
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
                starts = [page.url, f"{origin}/account/"]
                if role == "mediator":
                    # The Agreement to Mediate page is reached from a case's next steps only
                    # while it waits; start there so that it is always checked.
                    from accord.agreements.models import Agreement

                    signed = Agreement.objects.filter(case__lead_mediator__email=email).first()
                    if signed is not None:
                        starts.append(f"{origin}/cases/{signed.case_id}/agreement/")
                _crawl(page, origin, starts, role, visited, problems, kinds if every_case else None)
        finally:
            context.close()
    for role, wanted in MUST_VISIT.items():
        for pattern in sorted(wanted):
            if not _reached(visited, role, pattern):
                problems.append(f"{role}: never reached {pattern}")
    report = Path(folder) / "accord-every-page.txt"
    report.write_text("\n".join([*visited, "", "Problems:", *problems]) + "\n", encoding="utf-8")
    print(f"\n{len(visited)} pages visited (list in {report}):\n" + "\n".join(visited))
    roles_seen = {line.partition(": ")[0] for line in visited}
    assert roles_seen == {role for role, *_ in ROLES}, roles_seen
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_axe_asset_is_the_npm_package_with_its_licence() -> None:
    assert AXE.stat().st_size > 100_000
    assert "Mozilla Public License" in (AXE.parent / "LICENSE").read_text(encoding="utf-8")
