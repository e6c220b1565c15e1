"""The complaint and subject-access half of the issue-14 journey: Bob complains from the portal
and asks for his data; the admin produces his export, which holds his own words and not Alice's
private room; the mediator complained about never sees the complaint."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from accord.browser_tests.helpers import PHONE, screenshot, sign_in

pytestmark = pytest.mark.browser

BOB_OWN = "I can do the school run on Tuesdays and Thursdays."
ALICE_PRIVATE = "Only for the mediator: I may move to Leeds next spring."


def _talk(service):
    from accord.cases.models import Participant
    from accord.rooms.models import Room
    from accord.rooms.services import message_post, rooms_ensure
    from accord.testing.factories import ready_for_sessions

    case = ready_for_sessions(service.cases["family"])
    rooms_ensure(case=case)
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    message_post(
        actor=service.parties["alice"],
        room=Room.objects.get(case=case, kind="private", party=alice),
        body=ALICE_PRIVATE,
    )
    message_post(
        actor=service.parties["bob"],
        room=Room.objects.get(case=case, kind="private", party=bob),
        body=BOB_OWN,
    )


def test_bob_complains_and_the_admin_exports_his_data(page, live_server, live_service):
    base = live_server.url
    family = live_service.cases["family"]
    _talk(live_service)

    sign_in(page, base, live_service.parties["bob"].email)
    page.wait_for_url(re.compile(r"/portal/$"))
    page.goto(f"{base}/portal/cases/{family.pk}/")
    page.get_by_role("link", name="Make a complaint").click()
    page.get_by_role("button", name="Send my complaint").click()
    assert page.get_by_text("Tell us what your complaint is about.").first.is_visible()
    page.get_by_label("What is your complaint about?").fill("The mediator cut me short twice.")
    page.get_by_label("My complaint is about my mediator").check()
    page.get_by_role("button", name="Send my complaint").click()
    page.wait_for_url(re.compile(r"/portal/complaints/$"))
    assert "The mediator cut me short twice." in page.locator("main").inner_text()
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "portal-complaints-phone")
    page.goto(f"{base}/portal/cases/{family.pk}/my-data/")
    page.get_by_role("button", name="Ask for a copy of my data").click()
    assert "due by" in page.locator("main").inner_text()
    page.context.clear_cookies()

    sign_in(page, base, live_service.mediator.email, with_code=True)
    response = page.goto(f"{base}/complaints/")
    assert response is not None
    assert "Bob Jones" not in page.locator("main").inner_text()
    page.context.clear_cookies()

    sign_in(page, base, live_service.admin.email, with_code=True)
    page.goto(f"{base}/records/")
    page.get_by_role("link", name="Complaints").click()
    assert "Bob Jones" in page.locator("main").inner_text()
    page.goto(f"{base}/records/subject-access/")
    page.get_by_role("link", name="Bob Jones").click()
    assert "private rooms" in page.locator("main").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Produce the export (ZIP)").click()
    with open(download_info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    data = json.loads(archive.read("data.json"))
    text = json.dumps(data)
    assert BOB_OWN in text
    assert ALICE_PRIVATE not in text
    assert "The mediator cut me short twice." in text
    assert archive.read("summary.pdf").startswith(b"%PDF")
