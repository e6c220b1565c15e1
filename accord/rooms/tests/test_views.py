"""The room pages through the test client: staff and portal, htmx polling, files, and 404s."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accord.cases.workspace import section_url
from accord.rooms import services
from accord.rooms.models import Attachment, Message
from accord.rooms.tests.helpers import joint, private, signed_in

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _url(name, service, *args, area="staff"):
    return reverse(f"rooms:{area}_{name}", args=[service.case.pk, *args])


def _body(response):
    return b"".join(response.streaming_content)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_the_mediator_sees_every_room_in_the_workspace_and_opens_one(service):
    services.message_post(
        actor=service.parties["alice"], room=private(service, "alice"), body="Private words"
    )
    client = signed_in(service.mediator)
    page = client.get(section_url(service.case.pk, "mediation")).content.decode()
    assert "Private room: Alice Smith" in page
    assert "1 unread" in page
    response = client.get(_url("room", service, private(service, "alice").pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Private words" in body
    assert 'aria-live="polite"' in body
    assert 'hx-trigger="every 3s' in body
    assert "Relay" in body
    # Opening the room counts as reading it.
    page = client.get(_url("rooms", service)).content.decode()
    assert "unread" not in page


def test_the_coordinator_learns_that_rooms_exist_but_cannot_open_one(service):
    services.message_post(actor=service.mediator, room=joint(service), body="Hello everyone")
    client = signed_in(service.coordinator)
    page = client.get(section_url(service.case.pk, "mediation")).content.decode()
    assert "Only the case's mediators and the parties can read them." in page
    assert "Hello everyone" not in page
    assert client.get(_url("rooms", service)).status_code == 200
    assert client.get(_url("room", service, joint(service).pk)).status_code == 404
    assert client.get(_url("poll", service, joint(service).pk)).status_code == 404


def test_a_party_uses_the_portal_rooms_and_not_the_staff_ones(service):
    alice = signed_in(service.parties["alice"])
    page = alice.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    assert "Your private room" in page
    assert "Joint room" in page
    assert alice.get(_url("rooms", service, area="portal")).status_code == 200
    room_url = _url("room", service, private(service, "alice").pk, area="portal")
    assert alice.get(room_url).status_code == 200
    assert alice.get(_url("room", service, joint(service).pk)).status_code == 404
    assert signed_in(service.mediator).get(room_url).status_code == 404


def test_a_party_posts_with_a_normal_form_and_with_htmx(service):
    alice = signed_in(service.parties["alice"])
    room_url = _url("room", service, private(service, "alice").pk, area="portal")
    response = alice.post(room_url, {"new-body": "Plain post", "new-not_to_be_passed_on": "on"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.not_to_be_passed_on is True
    response = alice.post(room_url, {"new-body": "Htmx post"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "rooms:posted"
    assert Message.objects.count() == 2


def test_a_bad_post_shows_the_error_and_saves_nothing(service):
    alice = signed_in(service.parties["alice"])
    room_url = _url("room", service, joint(service).pk, area="portal")
    response = alice.post(room_url, {"new-body": "x" * 5001})
    assert response.status_code == 422
    assert "5,000 characters or fewer" in response.content.decode()
    response = alice.post(room_url, {"new-body": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Write a message." in response.content.decode()
    assert not Message.objects.exists()


def test_polling_returns_only_newer_messages_and_the_next_poller(service):
    first = services.message_post(actor=service.mediator, room=joint(service), body="One")
    services.message_post(actor=service.mediator, room=joint(service), body="Two")
    bob = signed_in(service.parties["bob"])
    poll = _url("poll", service, joint(service).pk, area="portal")
    body = bob.get(poll, {"after": first.pk}).content.decode()
    assert "Two" in body and "One" not in body
    assert 'hx-swap-oob="beforeend:#messages"' in body
    last = Message.objects.latest("id").pk
    assert f"after={last}" in body
    body = bob.get(poll, {"after": last}).content.decode()
    assert "hx-swap-oob" not in body
    assert bob.get(poll, {"after": "junk"}).status_code == 200


def test_the_other_party_gets_404_for_a_private_room_its_poll_its_messages_and_files(service):
    message = services.message_post(
        actor=service.parties["alice"],
        room=private(service, "alice"),
        body="Secret",
        attachment=SimpleUploadedFile("scan.png", PNG, content_type="image/png"),
    )
    attachment = Attachment.objects.get()
    room_pk = private(service, "alice").pk
    bob = signed_in(service.parties["bob"])
    for url in (
        _url("room", service, room_pk, area="portal"),
        _url("poll", service, room_pk, area="portal"),
        _url("edit", service, room_pk, message.pk, area="portal"),
        _url("file", service, attachment.pk, area="portal"),
    ):
        response = bob.get(url)
        assert response.status_code == 404, url
        assert b"Secret" not in response.content
    for name in ("withdraw", "mark"):
        assert bob.post(_url(name, service, room_pk, message.pk, area="portal")).status_code == 404
    assert (
        bob.post(_url("room", service, room_pk, area="portal"), {"new-body": "x"}).status_code
        == 404
    )
    message.refresh_from_db()
    assert (message.withdrawn_at, message.not_to_be_passed_on) == (None, False)
    assert Message.objects.count() == 1


def test_a_party_downloads_their_own_file_safely(service):
    uploaded = _docx()  # built once: a zip records the time it was written
    services.message_post(
        actor=service.parties["alice"],
        room=private(service, "alice"),
        body="",
        attachment=SimpleUploadedFile("../../evil name.docx", uploaded, content_type=""),
    )
    attachment = Attachment.objects.get()
    assert attachment.file_name == "evil name.docx"
    assert attachment.content_type.endswith("wordprocessingml.document")
    response = signed_in(service.parties["alice"]).get(
        _url("file", service, attachment.pk, area="portal")
    )
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert _body(response) == uploaded
    staff = signed_in(service.mediator).get(_url("file", service, attachment.pk))
    assert staff.status_code == 200


def test_a_spoofed_or_unknown_or_oversized_file_is_refused_and_nothing_saved(service, room_storage):
    alice = signed_in(service.parties["alice"])
    room_url = _url("room", service, joint(service).pk, area="portal")
    cases = [
        (
            SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary", content_type="application/pdf"),
            "must be a PDF",
        ),
        (SimpleUploadedFile("x.png", b"%PDF-1.7 body", content_type="image/png"), "do not match"),
        (
            SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="text/html"),
            "do not match",
        ),
        (
            SimpleUploadedFile(
                "big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
            ),
            "10 MB or smaller",
        ),
    ]
    for upload, words in cases:
        response = alice.post(room_url, {"new-body": "See attached", "new-attachment": upload})
        assert response.status_code == 422
        assert words in response.content.decode()
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()
    assert not room_storage.exists() or not any(room_storage.rglob("*.*"))


def test_the_author_changes_and_withdraws_through_the_page(service):
    alice = signed_in(service.parties["alice"])
    message = services.message_post(
        actor=service.parties["alice"], room=joint(service), body="Draft"
    )
    room_pk = joint(service).pk
    edit = _url("edit", service, room_pk, message.pk, area="portal")
    assert alice.get(edit).status_code == 200
    assert alice.post(edit, {"body": "Final"}).status_code == 302
    message.refresh_from_db()
    assert message.body == "Final"
    response = alice.post(_url("withdraw", service, room_pk, message.pk, area="portal"))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.withdrawn_at is not None
    page = signed_in(service.parties["bob"]).get(_url("room", service, room_pk, area="portal"))
    assert "This message was withdrawn." in page.content.decode()
    assert "Final" not in page.content.decode()


def test_the_mediator_relays_through_the_page_and_bob_sees_only_the_relayed_text(service):
    original = services.message_post(
        actor=service.parties["alice"], room=private(service, "alice"), body="Original words"
    )
    mediator = signed_in(service.mediator)
    relay = _url("relay", service, private(service, "alice").pk, original.pk)
    assert mediator.get(relay).status_code == 200
    response = mediator.post(
        relay, {"to_room": str(private(service, "bob").pk), "mode": "reworded", "text": ""}
    )
    assert response.status_code == 422
    assert not Message.objects.filter(room=private(service, "bob")).exists()
    response = mediator.post(
        relay,
        {"to_room": str(private(service, "bob").pk), "mode": "reworded", "text": "Kind words"},
    )
    assert response.status_code == 302
    page = (
        signed_in(service.parties["bob"])
        .get(_url("room", service, private(service, "bob").pk, area="portal"))
        .content.decode()
    )
    assert "Kind words" in page
    assert "From the mediator" in page
    assert "Original words" not in page
    assert "Alice" not in page
    # Parties never reach the relay page, even for their own room.
    alice = signed_in(service.parties["alice"])
    portal_relay = _url("relay", service, private(service, "alice").pk, original.pk, area="portal")
    assert alice.get(portal_relay).status_code == 404


def _room_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["mediator", "bob"])
def test_a_room_page_costs_the_same_however_many_messages_it_holds(service, who):
    alice = service.parties["alice"]
    source = services.message_post(actor=alice, room=private(service, "alice"), body="Source")
    for n in range(2):
        services.message_post(actor=alice, room=joint(service), body=f"Note {n}")
    services.message_relay(
        actor=service.mediator, message=source, to_room=joint(service), mode="verbatim"
    )
    user = service.mediator if who == "mediator" else service.parties["bob"]
    area = "staff" if who == "mediator" else "portal"
    client = signed_in(user)
    url = _url("room", service, joint(service).pk, area=area)
    baseline = _room_queries(client, url)
    for n in range(6):
        message = services.message_post(
            actor=alice, room=private(service, "alice"), body=f"More {n}"
        )
        services.message_relay(
            actor=service.mediator,
            message=message,
            to_room=joint(service),
            mode="reworded",
            text=f"Reworded {n}",
        )
        in_joint = services.message_post(
            actor=alice,
            room=joint(service),
            body=f"Joint {n}",
            attachment=SimpleUploadedFile("a.txt", b"text", content_type="text/plain"),
        )
        services.message_edit(actor=alice, message=in_joint, body=f"Changed {n}")
    assert _room_queries(client, url) <= baseline


def test_change_and_withdraw_are_offered_only_within_five_minutes(service, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    alice = signed_in(service.parties["alice"])
    services.message_post(actor=service.parties["alice"], room=joint(service), body="Hello")
    url = _url("room", service, joint(service).pk, area="portal")
    assert "Withdraw" in alice.get(url).content.decode()
    assert "Withdraw" not in signed_in(service.parties["bob"]).get(url).content.decode()
    later = timezone.now() + dt.timedelta(minutes=6)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert "Withdraw" not in alice.get(url).content.decode()


@pytest.mark.parametrize(
    ("route", "says", "not_says"),
    [
        ("joint", "or to everyone in the joint room", "not open for messages"),
        ("shuttle", "The joint room is not open for messages", "or to everyone in the joint room"),
        ("not_suitable", "Messages cannot be sent in this case", "joint room."),
    ],
)
def test_the_portal_says_which_rooms_a_party_may_write_in_as_the_decision_allows(
    service, route, says, not_says
):
    from accord.testing.factories import ready_for_sessions

    ready_for_sessions(service.case, route=route)
    alice = signed_in(service.parties["alice"])
    page = alice.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    assert says in page
    assert not_says not in page
