"""A workplace case in the browser: pre-mediation meetings with both parties, then a proposal
countered once and accepted, which becomes the item's agreed wording."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, sign_in
from accord.testing.journey import future

pytestmark = pytest.mark.browser

PERSPECTIVE = "Feels her work is redone without a word"


def _party_tab(browser: Any, base: str, email: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    sign_in(tab, base, email)
    tab.wait_for_url(re.compile(r"/portal/$"))
    return context, tab


def test_premediation_meetings_then_a_countered_proposal_is_agreed(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.agenda.models import AgendaItem
    from accord.agenda.services import agenda_item_propose
    from accord.cases import services as case_services
    from accord.cases.models import Participant
    from accord.premediation.models import PreMediationMeeting
    from accord.testing.factories import party_with_login

    service = live_service
    base = live_server.url
    case = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="workplace",
        title="Patel / Hale",
        lead_mediator=service.mediator,
    )
    party_with_login(case, actor=service.coordinator, name="Priya Patel", email="priya@w.example")
    party_with_login(case, actor=service.coordinator, name="Tom Hale", email="tom@w.example")

    sign_in(page, base, service.mediator.email, with_code=True)
    # One after the other on a working day: the same mediator at the same time would be a clash.
    for name, hour in (("Priya Patel", 10), ("Tom Hale", 14)):
        when = future(2, hour).strftime("%Y-%m-%dT%H:%M")
        page.goto(f"{base}/cases/{case.pk}/premediation/book/")
        page.get_by_label(name).check()
        page.get_by_label("Date and time").fill(when)
        page.get_by_label("Video call").check()
        page.get_by_label(re.compile("video link", re.I)).fill("https://video.example/pre")
        page.get_by_role("button", name="Book the meeting").click()
        expect(page.locator("body")).to_contain_text("has been booked")
    assert PreMediationMeeting.objects.filter(case=case).count() == 2
    # The meetings are now in the past, as if held.
    PreMediationMeeting.objects.filter(case=case).update(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    for name in ("Priya Patel", "Tom Hale"):
        page.goto(f"{base}/cases/{case.pk}/premediation/")
        page.get_by_role("link", name=re.compile(f"Record the notes.*{name}")).click()
        page.get_by_label("Their perspective").fill(f"{PERSPECTIVE} ({name})")
        page.get_by_role("button", name="Save the notes").click()
        expect(page.locator("body")).to_contain_text(f"{PERSPECTIVE} ({name})")
    assert PreMediationMeeting.objects.filter(case=case, held_at__isnull=False).count() == 2

    item = agenda_item_propose(
        actor=service.mediator, case=case, title="Sharing deadlines", topic="other", issue="x"
    )
    priya_ctx, priya = _party_tab(browser, base, "priya@w.example")
    tom_ctx, tom = _party_tab(browser, base, "tom@w.example")
    try:
        priya.goto(f"{base}/portal/cases/{case.pk}/")
        expect(priya.locator("body")).not_to_contain_text(PERSPECTIVE)
        priya.goto(f"{base}/portal/cases/{case.pk}/agenda/")
        priya.get_by_role("link", name=re.compile("Make a proposal")).click()
        priya.get_by_label("Your proposal").fill("Deadlines are emailed to the team.")
        priya.get_by_role("button", name="Make the proposal").click()
        tom.goto(f"{base}/portal/cases/{case.pk}/agenda/")
        tom.get_by_role("link", name=re.compile("Respond to this proposal")).click()
        tom.get_by_label("Make a counter-proposal").check()
        tom.get_by_label("Your counter-proposal").fill("Deadlines are emailed within one day.")
        tom.get_by_role("button", name="Send your answer").click()
        priya.goto(f"{base}/portal/cases/{case.pk}/agenda/")
        priya.get_by_role("link", name=re.compile("Respond to this proposal")).click()
        priya.get_by_label("Accept it").check()
        priya.get_by_role("button", name="Send your answer").click()
        expect(priya.locator(f"#item-{item.pk}")).to_contain_text("Agreed")
        item = AgendaItem.objects.get(pk=item.pk)
        assert item.status == "agreed"
        assert item.agreed_wording == "Deadlines are emailed within one day."
        page.goto(f"{base}/cases/{case.pk}/agenda/")
        expect(page.locator(f"#item-{item.pk}")).to_contain_text(
            "Deadlines are emailed within one day."
        )
        assert Participant.objects.filter(case=case).count() == 2
    finally:
        priya_ctx.close()
        tom_ctx.close()
