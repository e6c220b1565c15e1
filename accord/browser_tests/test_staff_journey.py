"""A mediator signs in with two-factor, finds a case through the search and reads its timeline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import PHONE, enter_code, open_section, screenshot, sign_in
from accord.cases import services as case_services

pytestmark = pytest.mark.browser


def test_a_mediator_finds_a_case_by_search_and_sees_its_timeline(page, live_server, live_service):
    family = live_service.case
    case_services.case_change_stage(
        actor=live_service.mediator, case=family, to_stage="willingness", reason="Enquiry complete"
    )

    sign_in(page, live_server.url, live_service.mediator.email)
    # The password alone is not enough for staff: the two-factor step comes first.
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert "/cases/" not in page.url
    enter_code(page)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.wait_for_url(re.compile(r"/cases/"))
    search = page.get_by_role("searchbox", name="Search")
    search.fill("Alice Smith")
    search.press("Enter")
    results = page.locator("#case-results")
    expect(results).to_contain_text("1 case matches these filters")
    expect(results.get_by_role("link", name=family.reference)).to_be_visible()

    results.get_by_role("link", name=family.reference).click()
    page.wait_for_url(re.compile(rf"/cases/{family.pk}/$"))
    expect(page.get_by_role("heading", name="What is next")).to_be_visible()
    screenshot(page, "staff-case-summary")
    open_section(page, "Timeline")
    # The tab is a link: the address names the section whether htmx swapped it in or not.
    page.wait_for_url(re.compile(r"\?section=timeline$"))
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("opened the case")
    expect(timeline).to_contain_text(
        "moved the case from Enquiry to Inviting the other party: Enquiry complete"
    )
    screenshot(page, "staff-case-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "staff-case-phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
