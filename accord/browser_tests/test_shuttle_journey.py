"""A shuttle session in three browsers: the mediator and two parties, each in their own room.

Each party writes in their private room; the mediator relays a reworded proposal from one to
the other; the receiver sees only the reworded text, arriving without a reload; the item is
agreed with that wording, and the Memorandum of Understanding PDF carries it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, PHONE, open_section, screenshot, sign_in

pytestmark = pytest.mark.browser

ALICE_PRIVATE = "I could manage alternate weekends if he does the Monday school run"
BOB_PRIVATE = "Honestly I just want more time with them in the holidays"
REWORDED = (
    "Proposal: the children spend alternate weekends with each parent, Friday after school "
    "to Monday morning, with the other parent doing the Monday school run."
)


def _party_tab(browser: Any, base: str, email: str, case_pk: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    sign_in(tab, base, email)
    tab.wait_for_url(re.compile(r"/portal/$"))
    tab.goto(f"{base}/portal/cases/{case_pk}/rooms/")
    return context, tab


def _open_private_room(tab: Any) -> None:
    tab.get_by_role("navigation", name="Rooms").get_by_role(
        "link", name=re.compile("private", re.I)
    ).click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text(re.compile("private", re.I))


def _write(tab: Any, text: str) -> None:
    tab.get_by_label("Your message").fill(text)
    tab.get_by_role("button", name="Send").click()
    expect(tab.locator("#messages")).to_contain_text(text)


def test_a_reworded_proposal_is_relayed_agreed_and_lands_in_the_memorandum(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.agenda import services as agenda
    from accord.agenda.models import AgendaItem
    from accord.documents.tests.pdftext import pdf_text
    from accord.rooms.models import Room

    service = live_service
    case = service.case
    base = live_server.url
    alice, bob = service.parties["alice"], service.parties["bob"]
    item = agenda.agenda_item_propose(
        actor=service.mediator,
        case=case,
        title="Weekends and the school run",
        topic="child_arrangements",
        issue="When the children are with each parent at weekends",
        touches_children=True,
    )
    for status in ("exploring", "options", "proposal"):
        agenda.agenda_item_change_status(actor=service.mediator, item=item, to_status=status)

    alice_context, alice_tab = _party_tab(browser, base, alice.email, case.pk)
    bob_context, bob_tab = _party_tab(browser, base, bob.email, case.pk)

    # Each party writes in their own private room.
    _open_private_room(alice_tab)
    _write(alice_tab, ALICE_PRIVATE)
    _open_private_room(bob_tab)
    _write(bob_tab, BOB_PRIVATE)

    # The mediator reads Alice's room and relays a reworded proposal to Bob's.
    sign_in(page, base, service.mediator.email, with_code=True)
    page.wait_for_url(re.compile(r"/cases/dashboard/$"))
    alice_room = Room.objects.get(case=case, kind="private", party__user=alice)
    bob_room = Room.objects.get(case=case, kind="private", party__user=bob)
    page.goto(f"{base}/cases/{case.pk}/rooms/{alice_room.pk}/")
    message = page.locator("#messages li", has_text=ALICE_PRIVATE)
    message.get_by_role("link", name=re.compile("Relay")).click()
    page.get_by_role("group", name="Pass it on to").get_by_label(re.compile("Bob Jones")).check()
    page.get_by_label("Reworded", exact=True).check()
    page.get_by_label("Reworded message").fill(REWORDED)
    page.get_by_role("button", name="Relay").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/rooms/"))

    # Bob's open page shows the reworded proposal without a reload, and never Alice's words.
    bob_messages = bob_tab.locator("#messages")
    expect(bob_messages).to_contain_text(REWORDED, timeout=15_000)
    expect(bob_messages.locator("li", has_text=REWORDED)).to_contain_text("From the mediator")
    expect(bob_tab.get_by_text("No messages yet.")).to_have_count(0)
    # Bob can still withdraw his own message, and the button is readable (not white on white).
    withdraw = bob_tab.get_by_role("button", name="Withdraw your message")
    expect(withdraw).to_be_visible()
    assert withdraw.evaluate("b => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    bob_html = bob_tab.content()
    assert ALICE_PRIVATE not in bob_html
    assert "Monday school run" not in bob_html.replace(REWORDED, "")
    bob_tab.set_viewport_size(PHONE)
    screenshot(bob_tab, "shuttle-bob-private-room-phone")
    # Alice's room holds her own words, and nothing of Bob's.
    alice_tab.reload()
    assert ALICE_PRIVATE in alice_tab.content()
    assert BOB_PRIVATE not in alice_tab.content()
    for tab, other_room in ((bob_tab, alice_room), (alice_tab, bob_room)):
        response = tab.goto(f"{base}/portal/cases/{case.pk}/rooms/{other_room.pk}/")
        assert response is not None and response.status == 404
        api = tab.request.get(f"{base}/api/v1/cases/{case.pk}/rooms/{other_room.pk}/messages")
        assert api.status == 404
        assert ALICE_PRIVATE not in api.text() and BOB_PRIVATE not in api.text()

    # Bob accepts; the mediator records the item as agreed in the reworded words.
    bob_tab.goto(f"{base}/portal/cases/{case.pk}/rooms/{bob_room.pk}/")
    _write(bob_tab, "Yes, I agree to that.")
    page.goto(f"{base}/cases/{case.pk}/agenda/")
    page.get_by_role("link", name="Change the status of Weekends and the school run").click()
    page.get_by_label("Agreed", exact=True).check()
    page.get_by_label("Agreed wording").fill(REWORDED)
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/agenda/"))
    item.refresh_from_db()
    assert item.status == "agreed" and item.agreed_wording == REWORDED
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Agreed")

    # The mediator drafts and issues the Memorandum of Understanding from the agreed items.
    page.goto(f"{base}/cases/{case.pk}/")
    open_section(page, "Outcomes")
    page.get_by_role("button", name=re.compile("Start a Memorandum")).click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/outcomes/\d+/$"))
    expect(page.locator("main")).to_contain_text(REWORDED[:60])
    page.get_by_role("button", name="Issue", exact=True).click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/outcomes/\d+/issue/"))
    expect(page.locator("main")).to_contain_text("only corrected by a new version")
    page.get_by_role("button", name="Issue the Memorandum of Understanding").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/outcomes/\d+/$"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="download the PDF").click()
    with open(download_info.value.path(), "rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert REWORDED in text
    assert "Memorandum of Understanding" in text
    assert ALICE_PRIVATE not in text and BOB_PRIVATE not in text
    screenshot(page, "shuttle-outcome")
    assert AgendaItem.objects.get(pk=item.pk).status == "agreed"

    alice_context.close()
    bob_context.close()
