"""A service admin invites a new mediator from the Staff page; the mediator accepts the emailed
link, chooses a password, sets up two-factor, and is then put on a case team and booked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import enter_code, screenshot, sign_in
from accord.testing.factories import totp_code
from accord.testing.journey import future

pytestmark = pytest.mark.browser

NEW_EMAIL = "nadia.newman@riverside.example"
NEW_NAME = "Nadia Newman"
NEW_PASSWORD = "a long and careful passphrase 42"  # noqa: S105 (a test value)


def _invite_link(base: str) -> str:
    from accord.deadlines.models import OutboundEmail

    body = OutboundEmail.objects.filter(to_email=NEW_EMAIL).latest("id").body
    match = re.search(r"/invite/([^/\s]+)/", body)
    assert match, body
    return f"{base}/invite/{match.group(1)}/"


def test_an_admin_invites_a_mediator_who_sets_up_two_factor_and_is_booked(
    page, browser, live_server, live_service
):
    from accord.meetings.models import Miam

    base = live_server.url
    case = live_service.case

    # 1. The service admin invites a new mediator from the Staff page.
    sign_in(page, base, live_service.admin.email)
    enter_code(page)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    page.goto(f"{base}/service/")
    page.get_by_role("link", name="Staff").click()
    page.wait_for_url(re.compile(r"/service/staff/$"))
    invite = page.locator("#invite")
    invite.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_contain_text(
        "Choose at least one role"
    )
    invite = page.locator("#invite")
    invite.get_by_label("Full name").fill(NEW_NAME)
    invite.get_by_label("Email address").fill(NEW_EMAIL)
    invite.get_by_label("Mediator", exact=True).check()
    invite.get_by_label("FMC registration number (URN), for mediators").fill("FMC7777")
    invite.get_by_label("FMC accreditation, for mediators").select_option("accredited")
    invite.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(re.compile(r"/service/staff/$"))
    expect(page.locator("#pending-invitations")).to_contain_text(NEW_EMAIL)
    screenshot(page, "staff-page-pending-invitation")

    # 2. The mediator opens the emailed link, chooses a password, and must set up two-factor.
    context = browser.new_context()
    mediator = context.new_page()
    mediator.goto(_invite_link(base))
    mediator.get_by_label("Create a password").fill(NEW_PASSWORD)
    mediator.get_by_label("Type your password again").fill(NEW_PASSWORD)
    mediator.get_by_role("button", name="Save password and continue").click()
    # Staff pages stay closed until two-factor is set up; allauth first asks for the password.
    expect(mediator.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    mediator.get_by_label("Password").fill(NEW_PASSWORD)
    mediator.get_by_role("button", name="Continue").click()
    expect(mediator.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    secret = mediator.locator("#authenticator-secret").inner_text().strip()
    mediator.get_by_label("Security code from your app").fill(totp_code(secret))
    mediator.get_by_role("button", name="Turn on two-factor authentication").click()
    mediator.goto(f"{base}/cases/dashboard/")
    expect(mediator.get_by_role("heading", name="My cases")).to_be_visible()

    # 3. The admin puts the new mediator on the case team, then books them for a MIAM.
    page.goto(f"{base}/cases/{case.pk}/team/")
    page.get_by_label("Co-mediator").select_option(label=NEW_NAME)
    page.get_by_role("button", name="Save the case team").click()
    page.goto(f"{base}/cases/{case.pk}/miams/new/")
    page.get_by_label("Alice Smith").check()
    page.get_by_label("Mediator", exact=True).select_option(label=NEW_NAME)
    # A working day, so that no weekend or bank-holiday warning asks for confirmation.
    page.get_by_label("Date and time").fill(future(14).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Video call").check()
    page.get_by_label("Place, video link or number to call").fill("https://video.example/miam")
    page.get_by_role("button", name="Book the MIAM").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/"))
    miam = Miam.objects.get(case=case)
    assert miam.mediator.email == NEW_EMAIL

    # 4. The new mediator sees the case they are booked on.
    mediator.goto(f"{base}/cases/{case.pk}/")
    expect(mediator.get_by_text(case.reference).first).to_be_visible()
    context.close()
