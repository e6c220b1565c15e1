"""The Content-Security-Policy holds in the browser on the main pages of each role, and htmx works.

The shared ``page`` fixture (conftest.py) already fails any browser test whose pages break the
policy; this journey makes sure the main pages of staff, service admin and party are visited
at least once, checks that the detector itself catches a violation, and that an htmx-driven
action (posting in a room) still works under the policy.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import sign_in

pytestmark = pytest.mark.browser


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    page.wait_for_load_state("networkidle")


def test_the_fixture_catches_an_inline_script_that_breaks_the_policy(
    page, csp_violations, live_server
):
    # A page with our policy and an inline script: the browser refuses it and the fixture sees it.
    def fulfil(route):
        route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
            body="<!doctype html><title>x</title><script>document.title = 'ran'</script>",
        )

    page.route(f"{live_server.url}/csp-probe/", fulfil)
    page.goto(f"{live_server.url}/csp-probe/")
    page.wait_for_timeout(300)
    assert page.title() == "x"
    assert csp_violations, "the violation was not recorded"
    csp_violations.clear()  # expected here: do not fail this test for it


def test_main_pages_of_each_role_keep_the_policy_and_htmx_still_posts(
    page, live_server, live_service
):
    base = live_server.url
    family = live_service.case
    # Staff: the mediator (two-factor), the case pages and the rooms.
    sign_in(page, base, live_service.mediator.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    for path in ("/cases/dashboard/", "/cases/", f"/cases/{family.pk}/", "/account/"):
        _visit(page, base + path)
    sections = page.goto(f"{base}/cases/{family.pk}/")
    assert sections is not None
    nav = page.get_by_role("navigation", name="Parts of the case").get_by_role("link")
    for href in [nav.nth(i).get_attribute("href") for i in range(nav.count())]:
        _visit(page, base + href if href.startswith("/") else f"{base}/cases/{family.pk}/{href}")
    _visit(page, f"{base}/cases/{family.pk}/rooms/")
    page.get_by_role("link", name=re.compile("Joint room")).first.click()
    page.wait_for_url(re.compile(r"/rooms/\d+/$"))

    # An htmx action: the message is posted without leaving the page and shows up in the list.
    htmx_posts = []
    page.on(
        "request",
        lambda request: (
            htmx_posts.append(request.url)
            if request.method == "POST" and request.headers.get("hx-request") == "true"
            else None
        ),
    )
    room_url = page.url
    page.get_by_role("textbox", name=re.compile("Your message")).fill("Welcome to the joint room.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#messages")).to_contain_text("Welcome to the joint room.")
    assert htmx_posts, "the message was not posted by htmx"
    assert page.url == room_url

    # The service admin's settings.
    page.context.clear_cookies()
    sign_in(page, base, live_service.admin.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    _visit(page, f"{base}/service/")

    # A party: the portal and her rooms.
    page.context.clear_cookies()
    sign_in(page, base, live_service.parties["alice"].email)
    page.wait_for_url(re.compile(r"/portal/"))
    _visit(page, f"{base}/portal/")
    _visit(page, f"{base}/portal/cases/{family.pk}/")
    _visit(page, f"{base}/portal/cases/{family.pk}/rooms/")
    page.get_by_role("link", name=re.compile("Joint room")).first.click()
    expect(page.locator("#messages")).to_contain_text("Welcome to the joint room.")


def _charts_drawn(page) -> int:
    """Every chart image on the page loaded (an image refused by the policy has no size)."""
    images = page.locator("img[src$='.svg']")
    for index in range(images.count()):
        image = images.nth(index)
        assert image.evaluate("i => i.complete && i.naturalWidth > 0"), image.get_attribute("src")
    return images.count()


def test_the_newer_pages_with_charts_and_calendars_keep_the_policy(
    page, live_server, transactional_db
):
    """Finance charts, children's calendars, the SEND report, fees reports and statistics, on
    the demo's data; the page fixture fails on any violation met on the way."""
    from django.urls import reverse

    from accord.browser_tests.test_every_page import _sign_in
    from accord.cases.models import Case
    from accord.children.models import CareSchedule
    from accord.demo.data import demo_load

    demo_load()
    # Statistics and reports over the whole demo: allow for a loaded machine.
    page.set_default_timeout(60_000)
    base = live_server.url
    children = Case.objects.get(title="Hughes / Brennan")
    finance = Case.objects.get(title="Patel / Evans")  # the demo's finance story
    schedule = CareSchedule.objects.filter(case=children).order_by("pk").first()
    assert schedule is not None

    charts = 0
    _sign_in(page, base, "admin@riverside.example", staff=True)
    for path in (
        reverse("records:statistics"),
        reverse("send:report"),
        reverse("fees:reports"),
        reverse("records:hub"),
        reverse("complaints:list"),
    ):
        _visit(page, base + path)
        charts += _charts_drawn(page)

    page.context.clear_cookies()
    _sign_in(page, base, "mediator@riverside.example", staff=True)
    for path in (
        reverse("children:case", args=[children.pk]),
        reverse("children:schedules", args=[children.pk]),
        reverse("children:schedule", args=[children.pk, schedule.pk]),
        reverse("children:compare", args=[children.pk]),
    ):
        _visit(page, base + path)
        charts += _charts_drawn(page)

    # The finance story's own mediator, who may open its scenarios and suggestions.
    assert finance.lead_mediator is not None
    page.context.clear_cookies()
    _sign_in(page, base, finance.lead_mediator.email, staff=True)
    for path in (
        reverse("finance:case", args=[finance.pk]),
        reverse("finance:scenarios", args=[finance.pk]),
        reverse("finance:suggestions", args=[finance.pk]),
        reverse("fees:case", args=[finance.pk]),
    ):
        _visit(page, base + path)
        charts += _charts_drawn(page)
    assert charts >= 2, charts  # as found on the demo; each one must have loaded above
