"""A coordinator is warned of a clash and a bank holiday before booking, then moves a MIAM: the
party's portal and calendar file follow, and the stale booking email and reminder are dropped."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from accord.browser_tests.helpers import open_section, screenshot, sign_in
from accord.testing.journey import future

pytestmark = pytest.mark.browser


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_warned_booking_then_a_moved_miam_follows_into_portal_and_calendar(
    browser, live_server, live_service
):
    from accord.deadlines.delivery import outbox_deliver_due
    from accord.deadlines.models import OutboundEmail, OutboundStatus
    from accord.meetings.models import Miam
    from accord.meetings.services import miam_book, miam_reminders_send_due

    service = live_service
    family = service.cases["family"]
    alice = family.participants.get(full_name="Alice Smith")
    soon = timezone.now() + dt.timedelta(hours=30)
    miam = miam_book(
        actor=service.coordinator,
        case=family,
        attendees=[alice],
        mediator=service.mediator,
        starts_at=soon,
        mode="video",
        place="https://video.example/alice",
    )
    miam_reminders_send_due()
    stale = list(OutboundEmail.objects.filter(message_id__contains=f"miam.{miam.pk}."))
    assert len(stale) == 2  # the booking email and the 48-hour reminder, not yet delivered

    staff = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = staff.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    sign_in(page, base, service.coordinator.email, with_code=True)

    # Booking Bob at the same time as Alice with the same mediator: a clash, warned first.
    page.goto(f"{base}/cases/{family.pk}/miams/new/")
    page.get_by_label("Bob Jones").check()
    page.get_by_label("Mediator").select_option(str(service.mediator.pk))
    page.get_by_label("Date and time").fill(_local(soon))
    page.get_by_label("Video call").check()
    page.get_by_label("Place, video link or number to call").fill("https://video.example/bob")
    page.get_by_role("button", name="Book the MIAM").click()
    main = page.locator("main")
    assert "Clash: the mediator is already booked" in main.inner_text()
    # A bank holiday is warned too.
    christmas = dt.datetime(timezone.localdate().year + 1, 12, 25, 10)
    page.get_by_label("Date and time").fill(christmas.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Book the MIAM").click()
    assert "is a bank holiday: Christmas Day" in main.inner_text()
    screenshot(page, "miam-booking-warned")
    assert Miam.objects.count() == 1
    # Confirming a clash needs a reason; with one it books.
    page.get_by_label("Date and time").fill(_local(soon))
    page.get_by_label("Book anyway: I have read the warnings").check()
    page.get_by_role("button", name="Book the MIAM").click()
    assert "Say why you are booking over a clash." in main.inner_text()
    page.get_by_label("Book anyway: I have read the warnings").check()
    page.get_by_label("Reason for booking over a clash").fill("Co-mediator covers Alice's room.")
    page.get_by_role("button", name="Book the MIAM").click()
    page.wait_for_url(re.compile(rf"/cases/{family.pk}/"))
    assert Miam.objects.count() == 2

    # Move Alice's MIAM.
    open_section(page, "Preparation")
    page.locator(f"#miam-{miam.pk}").get_by_role("link", name=re.compile("^Move")).click()
    new_time = future(6, 14)
    page.get_by_label("New date and time").fill(_local(new_time))
    page.get_by_role("button", name="Move the MIAM").click()
    page.wait_for_url(re.compile(rf"/cases/{family.pk}/"))
    staff.close()

    outbox_deliver_due()
    for email in stale:
        email.refresh_from_db()
        assert email.status == OutboundStatus.DROPPED, email.message_id
        assert email.last_error == "The MIAM was moved after this email was written."
    moved = OutboundEmail.objects.get(message_id__contains=f"miam.{miam.pk}.moved.")
    assert moved.status == OutboundStatus.DELIVERED

    party = browser.new_context(locale="en-GB", timezone_id="Europe/London", accept_downloads=True)
    tab = party.new_page()
    tab.set_default_timeout(10_000)
    sign_in(tab, base, alice.email)
    tab.wait_for_url(re.compile(r"/portal/$"))
    tab.goto(f"{base}/portal/cases/{family.pk}/")
    text = tab.locator("main").inner_text()
    assert "Moved: the time below is the new time." in text
    assert timezone.localtime(new_time).strftime("%-d %B %Y, %H:%M") in text
    with tab.expect_download() as download_info:
        tab.get_by_role("link", name=re.compile("Add to your calendar")).click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        event = next(iter(Calendar.from_ical(handle.read()).walk("VEVENT")))
    assert int(str(event["SEQUENCE"])) == 1
    assert event.decoded("DTSTART") == new_time
    screenshot(tab, "portal-miam-moved")
    party.close()
