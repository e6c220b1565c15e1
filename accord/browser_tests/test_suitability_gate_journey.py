"""With suitability *shuttle*, a joint session and a party's joint-room message are refused,
through the pages in a real browser and through the API (issue test (b))."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accord.browser_tests.helpers import screenshot, sign_in
from accord.testing.journey import future

pytestmark = pytest.mark.browser


def test_shuttle_refuses_a_joint_session_and_the_joint_room(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.mediation.models import MediationSession
    from accord.rooms.models import Message, Room
    from accord.rooms.services import rooms_ensure
    from accord.testing.factories import ready_for_sessions

    service = live_service
    case = service.case
    base = live_server.url
    ready_for_sessions(case, route="shuttle")
    rooms_ensure(case=case)
    joint_room = Room.objects.get(case=case, kind="joint")

    # The mediator tries to book a joint session through the page.
    sign_in(page, base, service.mediator.email, with_code=True)
    page.goto(f"{base}/cases/{case.pk}/sessions/new/")
    page.locator('input[name="format"][value="joint"]').check()
    when = timezone.localtime(timezone.now() + dt.timedelta(days=4))
    page.locator('input[name="starts_at"]').fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator('input[name="mode"][value="video"]').check()
    page.locator('[name="place"]').fill("https://video.example/room-1")
    for box in page.locator('input[name="attendees"]').all():
        box.check()
    page.get_by_role("button", name="Book the session").click()
    # Refused: the form comes back with the reason as an error, and nothing was booked.
    expect(page).to_have_title(re.compile("^Error"))
    expect(page.locator(".error-summary")).to_contain_text("not a joint session")
    screenshot(page, "suitability-gate-joint-refused")
    # And through the API, with the same signed-in session.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        f"{base}/api/v1/cases/{case.pk}/sessions",
        data={
            "format": "joint",
            "starts_at": future(4).isoformat(),
            "duration_minutes": 120,
            "mode": "video",
            "place": "https://video.example/room-1",
            "attendee_ids": list(case.participants.values_list("pk", flat=True)),
            "mediator_ids": [service.mediator.pk],
        },
        headers={"X-CSRFToken": csrf, "Referer": base + "/"},
    )
    assert answer.status in (400, 409, 422), answer.text()
    assert "joint session" in answer.text()
    assert not MediationSession.objects.filter(case=case).exists()

    # Alice cannot write in the joint room: the page shows why instead of the form.
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    sign_in(tab, base, service.parties["alice"].email)
    tab.wait_for_url(re.compile(r"/portal/$"))
    tab.goto(f"{base}/portal/cases/{case.pk}/rooms/{joint_room.pk}/")
    expect(tab.locator("#room-closed")).to_contain_text("joint room is not open")
    assert tab.get_by_role("button", name="Send").count() == 0
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    answer = tab.request.post(
        f"{base}/api/v1/cases/{case.pk}/rooms/{joint_room.pk}/messages",
        data={"body": "Can we talk together?"},
        headers={"X-CSRFToken": csrf, "Referer": base + "/"},
    )
    assert answer.status == 422, answer.text()
    assert not Message.objects.filter(room=joint_room).exists()
    context.close()
