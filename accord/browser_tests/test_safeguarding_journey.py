"""A mediator records a safeguarding concern up to a paused case; the parties see none of it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, PHONE, open_section, screenshot, sign_in
from accord.calendar import next_working_day_at
from accord.safeguarding.models import Referral, ThresholdDecision

pytestmark = pytest.mark.browser

ALLEGATION = "Said the younger child came home with bruising on her arm"
CHILD = "Poppy Jones"
AGENCY = "Leeds Children's Social Work Service"


def _due_text(moment: dt.datetime) -> str:
    """A moment as the pages say it: "10:00 on Monday 23 November 2026"."""
    return f"{moment:%H:%M} on {moment:%A} {moment.day} {moment:%B %Y}"


def test_a_mediator_records_a_concern_and_the_parties_see_nothing_of_it(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    family = live_service.case
    base = live_server.url

    sign_in(page, base, live_service.mediator.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    page.goto(f"{base}/cases/{family.pk}/")
    open_section(page, "Safeguarding")
    page.get_by_role("link", name="Raise a safeguarding concern").click()
    page.wait_for_url(re.compile(rf"/cases/{family.pk}/safeguarding/raise/$"))

    # The 999 panel stays hidden until someone says there is immediate danger.
    panel = page.get_by_text("Call 999 now if anyone is in immediate danger.")
    expect(panel).to_be_hidden()
    page.get_by_label("During a session").check()
    page.get_by_label("Someone is in immediate danger").check()
    expect(panel).to_be_visible()
    page.get_by_label("A child").check()
    page.get_by_label("Name of the person at risk").fill(CHILD)
    page.get_by_label("What is alleged").fill(ALLEGATION)
    page.get_by_label("Who made the allegation").fill("Alice Smith, in the first session")
    page.get_by_role("button", name="Record the concern").click()
    # Immediate danger without the action taken is refused, with the panel still showing.
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(panel).to_be_visible()
    page.get_by_label("Action taken now").fill("999 called at 14:05, police ref 55/1234")
    page.get_by_role("button", name="Record the concern").click()
    page.wait_for_url(re.compile(rf"/cases/{family.pk}/safeguarding/concerns/\d+/$"))
    expect(page.locator("main")).to_contain_text(ALLEGATION)

    page.get_by_role("link", name="Record the threshold decision").click()
    page.get_by_label("ACC Supervisor (Supervisor)").check()
    page.get_by_role("group", name=re.compile("significant harm")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("referral to children")).get_by_label("Yes").check()
    page.get_by_label("Reasons for the decision").fill("A consistent account of an injury.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(r"/concerns/\d+/$"))

    page.get_by_role("link", name="Offer a self-referral to the parent").click()
    page.get_by_label("Alice Smith").check()
    page.get_by_role("button", name="Offer the self-referral").click()
    page.wait_for_url(re.compile(r"/concerns/\d+/$"))
    decision = ThresholdDecision.objects.get()
    expected = next_working_day_at(decision.decided_at, dt.time(10, 0), "england-and-wales")
    assert Referral.objects.get().due_at == expected
    deadline_panel = page.locator("#self-referral-deadline")
    expect(deadline_panel).to_contain_text(_due_text(expected))
    expect(deadline_panel).to_contain_text("Alice Smith")

    page.get_by_role("link", name="An investigation is open: pause the mediation").click()
    page.get_by_label("Agency investigating").fill(AGENCY)
    page.get_by_label("Why the mediation is paused").fill("Section 47 enquiry open")
    page.get_by_role("button", name="Pause the mediation").click()
    page.wait_for_url(re.compile(r"/concerns/\d+/$"))

    page.goto(f"{base}/cases/{family.pk}/")
    expect(page.locator("main")).to_contain_text("paused while a safeguarding investigation")
    open_section(page, "Safeguarding")
    expect(page.locator("main")).to_contain_text("Paused: safeguarding")
    expect(page.get_by_role("link", name=re.compile("Safeguarding record"))).to_be_visible()
    screenshot(page, "safeguarding-case-desktop")

    for party in ("alice", "bob"):
        context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
        tab = context.new_page()
        sign_in(tab, base, live_service.parties[party].email)
        tab.wait_for_url(re.compile(r"/portal/$"))
        tab.get_by_role("link", name=f"Mediation {family.reference}").click()
        tab.wait_for_url(re.compile(rf"/portal/cases/{family.pk}/$"))
        expect(tab.get_by_role("heading", name="Support")).to_be_visible()
        html = tab.content()
        for secret in (ALLEGATION, CHILD, AGENCY, "999 called", "Section 47"):
            assert secret not in html
        assert "safeguarding" not in html.lower()
        assert "paused" not in html.lower()
        tab.set_viewport_size(PHONE)
        screenshot(tab, f"safeguarding-portal-{party}-phone")
        # The record's own pages answer as if they did not exist.
        response = tab.goto(f"{base}/cases/{family.pk}/safeguarding/")
        assert response is not None and response.status == 404
        assert ALLEGATION not in tab.content()
        context.close()
