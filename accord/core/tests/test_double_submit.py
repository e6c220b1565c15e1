"""Double submits do not duplicate (accord.core.once): the same form sent twice at once, or the
same API write sent twice with one Idempotency-Key, makes one record and sends one email.

The requests really run at the same time: two threads, each with its own client and its own
database connection, released together by a barrier, against committed data (transactional
tests), on whichever database the run uses (SQLite or PostgreSQL).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from accord.accounts.services import api_token_create
from accord.agenda.models import AgendaItem
from accord.cases.models import Case, Participant
from accord.core.models import FormSubmission
from accord.core.once import ALREADY_DONE, FIELD, new_token
from accord.rooms.models import Message, Room, RoomKind
from accord.rooms.services import rooms_ensure
from accord.testing.factories import build_service, ready_for_sessions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def svc() -> Any:
    service = build_service()
    ready_for_sessions(service.case)
    return service


def _at_once(send: Callable[[Client], Any], clients: list[Client]) -> list[Any]:
    """Run `send` with each client in its own thread, all released together."""
    barrier = threading.Barrier(len(clients))
    answers: list[Any] = [None] * len(clients)

    def run(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = send(clients[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _signed_in(user: Any, n: int = 2) -> list[Client]:
    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def _double_post(user: Any, url: str, data: dict[str, Any], **headers: str) -> list[Any]:
    form = {**data, FIELD: new_token()}
    return _at_once(lambda c: c.post(url, form, headers=headers), _signed_in(user))


def _assert_one_done_one_told(answers: list[Any]) -> None:
    assert sorted(a.status_code for a in answers) == [302, 302], [a.status_code for a in answers]
    assert answers[0]["Location"] == answers[1]["Location"]


def test_forms_carry_a_fresh_one_time_token(svc):
    client = _signed_in(svc.coordinator, 1)[0]
    first = client.get(reverse("cases:new")).content.decode()
    second = client.get(reverse("cases:new")).content.decode()
    assert f'name="{FIELD}"' in first
    token = first.split(f'name="{FIELD}" value="')[1].split('"')[0]
    assert token not in second


def test_a_double_clicked_open_case_opens_one_case(svc):
    before = Case.objects.count()
    answers = _double_post(
        svc.coordinator, reverse("cases:new"), {"kind": "civil", "title": "Double / Click"}
    )
    _assert_one_done_one_told(answers)
    assert Case.objects.count() == before + 1
    assert Case.objects.filter(title="Double / Click").count() == 1


def test_a_double_clicked_add_participant_adds_one(svc):
    url = reverse("cases:participant_add", args=[svc.case.pk])
    answers = _double_post(svc.coordinator, url, {"role": "party", "full_name": "Dora Twice"})
    _assert_one_done_one_told(answers)
    assert Participant.objects.filter(case=svc.case, full_name="Dora Twice").count() == 1


def test_a_double_clicked_invite_sends_one_email(svc):
    from accord.cases import services as case_services

    dora = case_services.participant_add(
        actor=svc.coordinator,
        case=svc.case,
        role="party",
        full_name="Dora Once",
        email="dora@example.org",
    )
    mail.outbox.clear()
    url = reverse("cases:participant_invite", args=[svc.case.pk, dora.pk])
    answers = _double_post(svc.coordinator, url, {})
    _assert_one_done_one_told(answers)
    assert _sent_to("dora@example.org") == 1


def _sent_to(address: str) -> int:
    """Emails to `address`, sent at once or written to the outbox for the worker."""
    from accord.deadlines.models import OutboundEmail

    sent = sum(address in message.to for message in mail.outbox)
    return sent + OutboundEmail.objects.filter(to_email=address).count()


def test_a_double_clicked_post_in_a_room_posts_one_message(svc):
    rooms_ensure(case=svc.case)
    room = Room.objects.get(case=svc.case, kind=RoomKind.JOINT)
    url = reverse("rooms:portal_room", args=[svc.case.pk, room.pk])
    answers = _double_post(svc.parties["alice"], url, {"new-body": "Only once, please."})
    _assert_one_done_one_told(answers)
    assert Message.objects.filter(room=room, body="Only once, please.").count() == 1
    # With htmx the duplicate is answered with nothing to swap.
    htmx = _double_post(
        svc.parties["alice"], url, {"new-body": "Once with htmx."}, HX_Request="true"
    )
    assert sorted(a.status_code for a in htmx) == [200, 204]
    assert Message.objects.filter(room=room, body="Once with htmx.").count() == 1


def test_a_double_clicked_agenda_item_adds_one(svc):
    url = reverse("agenda:item_new", args=[svc.case.pk])
    data = {"title": "School holidays", "topic": "child_arrangements", "issue": "Who has summer."}
    answers = _double_post(svc.mediator, url, data)
    _assert_one_done_one_told(answers)
    assert AgendaItem.objects.filter(case=svc.case, title="School holidays").count() == 1


def test_the_duplicate_is_told_it_was_already_done(svc):
    url = reverse("cases:new")
    client = _signed_in(svc.coordinator, 1)[0]
    form = {"kind": "civil", "title": "Told", FIELD: new_token()}
    first = client.post(url, form)
    second = client.post(url, form, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert ALREADY_DONE in second.content.decode()
    assert Case.objects.filter(title="Told").count() == 1


def test_a_refused_form_can_be_sent_again_with_the_same_token(svc):
    url = reverse("cases:new")
    client = _signed_in(svc.coordinator, 1)[0]
    token = new_token()
    refused = client.post(url, {"kind": "civil", "title": "", FIELD: token})
    assert refused.status_code == 422
    assert not FormSubmission.objects.filter(token=token).exists()
    assert (
        client.post(url, {"kind": "civil", "title": "Second go", FIELD: token}).status_code == 302
    )
    assert Case.objects.filter(title="Second go").count() == 1


# --- API -------------------------------------------------------------------------------------


def _api_clients(user: Any, n: int = 2) -> list[Client]:
    from accord.organisations.models import Organisation

    # Parties may make tokens only where their service turned that on.
    party_services = Participant.objects.filter(user=user).values("organisation_id")
    Organisation.objects.filter(pk__in=party_services).update(party_api_tokens=True)
    _, secret = api_token_create(user=user, name="idempotency")
    return [Client(headers={"Authorization": f"Bearer {secret}"}) for _ in range(n)]


def _api_twice(user: Any, path: str, body: dict[str, Any], key: str) -> list[Any]:
    def send(client: Client) -> Any:
        return client.post(
            "/api/v1" + path,
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )

    return _at_once(send, _api_clients(user))


def _one_made(answers: list[Any]) -> None:
    codes = sorted(a.status_code for a in answers)
    # The second either waited for nothing (409: still in progress) or got the first's answer.
    assert codes in ([201, 201], [201, 409]), codes
    made = [a for a in answers if a.status_code == 201]
    if len(made) == 2:
        assert made[0].json() == made[1].json()


def test_the_api_adds_one_participant_for_one_key(svc):
    answers = _api_twice(
        svc.coordinator,
        f"/cases/{svc.case.pk}/participants",
        {"role": "party", "full_name": "Api Twice"},
        "add-api-twice",
    )
    _one_made(answers)
    assert Participant.objects.filter(case=svc.case, full_name="Api Twice").count() == 1


def test_the_api_posts_one_message_and_one_agenda_item_for_one_key(svc):
    rooms_ensure(case=svc.case)
    room = Room.objects.get(case=svc.case, kind=RoomKind.JOINT)
    _one_made(
        _api_twice(
            svc.parties["alice"],
            f"/cases/{svc.case.pk}/rooms/{room.pk}/messages",
            {"body": "Api once"},
            "message-1",
        )
    )
    assert Message.objects.filter(room=room, body="Api once").count() == 1
    _one_made(
        _api_twice(
            svc.mediator,
            f"/cases/{svc.case.pk}/agenda/items",
            {"title": "Api topic", "topic": "child_arrangements", "issue": "Summer."},
            "agenda-1",
        )
    )
    assert AgendaItem.objects.filter(case=svc.case, title="Api topic").count() == 1


def test_a_repeat_is_replayed_and_a_different_body_is_refused(svc):
    client = _api_clients(svc.coordinator, 1)[0]
    path = f"/api/v1/cases/{svc.case.pk}/participants"

    def send(body: dict[str, Any], key: str = "same-key") -> Any:
        return client.post(
            path,
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )

    first = send({"role": "party", "full_name": "Replay Me"})
    again = send({"role": "party", "full_name": "Replay Me"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    other = send({"role": "party", "full_name": "Someone Else"})
    assert other.status_code == 422 and "different request body" in other.json()["detail"]
    assert send({"role": "party", "full_name": "x"}, key="has space").status_code == 422
    assert Participant.objects.filter(case=svc.case, full_name="Replay Me").count() == 1
    assert not Participant.objects.filter(full_name="Someone Else").exists()
    # Another user's identical key is theirs alone.
    mine = _api_clients(svc.admin, 1)[0].post(
        path,
        json.dumps({"role": "party", "full_name": "Replay Me"}),
        content_type="application/json",
        headers={"Idempotency-Key": "same-key"},
    )
    assert mine.status_code == 201 and "Idempotent-Replayed" not in mine


def test_the_api_opens_one_case_for_one_key(svc):
    before = Case.objects.count()
    _one_made(
        _api_twice(
            svc.coordinator, "/cases", {"kind": "civil", "title": "Api / Once"}, "open-case-1"
        )
    )
    assert Case.objects.count() == before + 1
    assert Case.objects.filter(title="Api / Once").count() == 1


def test_the_api_sends_one_invitation_email_for_one_key():
    from accord.deadlines.models import OutboundEmail
    from accord.willingness.models import WillingnessInvitation

    service = build_service()  # as opened: the other party has not yet been asked
    bob = Participant.objects.get(case=service.case, full_name="Bob Jones")
    _one_made(
        _api_twice(
            service.coordinator,
            f"/cases/{service.case.pk}/willingness/invitations",
            {"participant_id": bob.pk},
            "invite-bob-1",
        )
    )
    assert WillingnessInvitation.objects.filter(participant=bob).count() == 1
    assert OutboundEmail.objects.filter(to_email=bob.email).count() == 1


def test_a_malformed_key_is_refused_in_the_api_error_shape(svc):
    client = _api_clients(svc.coordinator, 1)[0]

    response = client.post(
        f"/api/v1/cases/{svc.case.pk}/participants",
        json.dumps({"role": "party", "full_name": "Spaced Key"}),
        content_type="application/json",
        headers={"Idempotency-Key": "has a space"},
    )

    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == {"Idempotency-Key": [body["detail"]]}
    assert not Participant.objects.filter(full_name="Spaced Key").exists()


def test_used_tokens_and_stored_answers_are_forgotten_after_a_day(svc):
    import datetime as dt

    from django.utils import timezone

    from accord.core.management.commands.worker import DEFAULT_EXTRA_JOBS
    from accord.core.models import IdempotentRequest
    from accord.core.once import once_records_forget_due

    client = _api_clients(svc.coordinator, 1)[0]
    path = f"/api/v1/cases/{svc.case.pk}/participants"
    body = json.dumps({"role": "party", "full_name": "Kept A Day"})
    first = client.post(
        path, body, content_type="application/json", headers={"Idempotency-Key": "day-1"}
    )
    form_client = _signed_in(svc.coordinator, 1)[0]
    form_client.post(reverse("cases:new"), {"kind": "civil", "title": "Day", FIELD: new_token()})
    assert first.status_code == 201
    assert IdempotentRequest.objects.count() == FormSubmission.objects.count() == 1

    assert once_records_forget_due(now=timezone.now() + dt.timedelta(hours=23)) == 0
    assert once_records_forget_due(now=timezone.now() + dt.timedelta(hours=25)) == 2

    assert not IdempotentRequest.objects.exists() and not FormSubmission.objects.exists()
    assert "accord.core.once.once_records_forget_due" in DEFAULT_EXTRA_JOBS
