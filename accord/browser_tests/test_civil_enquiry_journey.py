"""A civil case from its own enquiry form (issue 9, test (c)), through the browser.

The service admin chooses the kinds of mediation the service offers and finds the civil form
linked from the settings page; a person enquires on it, signed in as no one, and is asked
nothing about children or money; the coordinator opens the case workspace: a civil case, with
the enquiry and its conflict check, and no MIAM, funding or parenting parts.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, open_section, screenshot, sign_in

pytestmark = pytest.mark.browser

APPLICANT = "Kasia Novak"
DISPUTE = "The builder left the kitchen half finished and kept the deposit."


def test_a_civil_case_from_its_own_enquiry_form(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.cases.models import Participant
    from accord.intake.models import Enquiry

    service = live_service
    base = live_server.url
    slug = service.organisation.slug

    # 1. The service admin chooses what the service offers on the settings page.
    sign_in(page, base, service.admin.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    page.goto(f"{base}/service/")
    kinds = page.get_by_role("group", name="Kinds of mediation your service offers")
    for label in ("Family: child arrangements", "Family: finances", "Family: all issues", "SEND"):
        kinds.get_by_label(label, exact=True).uncheck()
    for label in ("Civil", "Workplace", "Community"):
        kinds.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Save the kinds offered").click()
    expect(
        page.get_by_text("The kinds of mediation your service offers are saved.")
    ).to_be_visible()
    service.organisation.refresh_from_db()
    assert service.organisation.kinds_offered == ["civil", "workplace", "community"]
    civil_link = page.get_by_role("link", name="Civil mediation", exact=True)
    expect(civil_link).to_have_attribute("href", f"/enquire/{slug}/civil/")
    expect(page.get_by_role("link", name="Family mediation", exact=True)).to_have_count(0)

    # The public landing page lists the same forms, and a family form is no longer offered.
    public = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = public.new_page()
    tab.set_default_timeout(15_000)
    tab.goto(f"{base}/enquire/")
    expect(tab.get_by_role("heading", name=service.organisation.name)).to_be_visible()
    expect(tab.get_by_role("link", name="Family mediation", exact=True)).to_have_count(0)
    response = tab.goto(f"{base}/enquire/{slug}/family/")
    assert response is not None and response.status == 404
    expect(tab.get_by_role("heading", name=re.compile("does not offer"))).to_be_visible()

    # 2. A person enquires on the civil form, signed in as no one.
    tab.goto(f"{base}/enquire/")
    tab.get_by_role("link", name="Civil mediation", exact=True).click()
    tab.wait_for_url(re.compile(rf"/enquire/{slug}/civil/$"))
    expect(tab.get_by_role("heading", name="Ask about mediation")).to_be_visible()
    body = tab.content()
    assert "Child maintenance" not in body and "Child 1" not in body
    assert "local authority" not in body.lower()
    tab.get_by_label("Your full name").fill(APPLICANT)
    tab.get_by_label("Your email address").fill("kasia.novak@parties.example")
    tab.get_by_label("Email", exact=True).check()
    tab.get_by_label("Other party 1: the person's name, or the organisation's").fill(
        "Brown Builders Ltd"
    )
    tab.get_by_label("What is the dispute about?").fill(DISPUTE)
    tab.get_by_label("Not urgent").check()
    tab.get_by_role(
        "group", name="Are there any court, tribunal or other proceedings about this?"
    ).get_by_label("No").check()
    time.sleep(3.2)  # the form refuses anything sent faster than a person could type it
    tab.get_by_role("button", name="Send").click()
    expect(tab.get_by_role("heading", name="Thank you")).to_be_visible()
    public.close()

    enquiry = Enquiry.objects.select_related("case").get(case__participants__full_name=APPLICANT)
    case = enquiry.case
    assert case.kind == "civil"
    assert set(Participant.objects.filter(case=case).values_list("full_name", "role")) == {
        (APPLICANT, "party"),
        ("Brown Builders Ltd", "party"),
    }

    # 3. The coordinator opens the case workspace.
    page.context.clear_cookies()
    sign_in(page, base, service.coordinator.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.get_by_text(f"{case.reference} · Civil")).to_be_visible()
    open_section(page, "People")
    expect(page.locator("#enquiry")).to_contain_text(DISPUTE)
    expect(page.locator("#conflict-check")).to_contain_text(
        "No one on this enquiry appears in another case"
    )
    expect(page.locator("#enquiry")).not_to_contain_text("Children")
    screenshot(page, "civil-enquiry-case")
    # A civil case has no MIAMs, no legal aid or voucher funding, and no parenting plan: not in
    # its preparation section, and not in its outcomes.
    open_section(page, "Preparation")
    expect(page.get_by_role("heading", name="Agreement to Mediate")).to_have_count(1)
    expect(page.get_by_role("heading", name="MIAMs", exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="Funding", exact=True)).to_have_count(0)
    expect(page.get_by_text(re.compile("Legal aid", re.IGNORECASE))).to_have_count(0)
    open_section(page, "Outcomes")
    expect(page.get_by_text(re.compile("parenting plan", re.IGNORECASE))).to_have_count(0)
