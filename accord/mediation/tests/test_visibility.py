"""Who sees what: private notes and shuttle opening accounts never reach a party, by page or
API; parties see the sessions they attend and the shared summaries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.api.tests.conftest import session_client
from accord.cases import services as case_services
from accord.mediation import selectors, services
from accord.mediation.models import MediationSession
from accord.mediation.tests.helpers import book, party, start

pytestmark = pytest.mark.django_db

PRIVATE = "Bob seemed frightened of Alice."
SHARED = "Everyone agreed the school holiday rota."
ALICE_ACCOUNT = "Alice in her own room: I am worried about the money."
BOB_ACCOUNT = "Bob in his own room: I want more time with the children."


def _shuttle_with_notes(service: Any) -> MediationSession:
    alice, bob = party(service), party(service, "Bob Jones")
    session = start(
        service,
        book(service, format="shuttle"),
        opening_accounts={alice.pk: ALICE_ACCOUNT, bob.pk: BOB_ACCOUNT},
    )
    services.session_note_add(actor=service.mediator, session=session, kind="private", text=PRIVATE)
    services.session_note_add(
        actor=service.mediator, session=session, kind="shared_summary", text=SHARED
    )
    return session


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_team_reads_private_notes_and_shuttle_accounts(service):
    session = _shuttle_with_notes(service)
    for user in (service.mediator, service.supervisor):
        assert {n.text for n in selectors.notes_for(user=user, case=service.case)} == {
            PRIVATE,
            SHARED,
        }
        accounts = selectors.opening_accounts_for(user=user, session=session)
        assert {a.text for a in accounts} == {ALICE_ACCOUNT, BOB_ACCOUNT}


def test_other_staff_read_shared_summaries_but_not_private_notes_or_shuttle_accounts(service):
    session = _shuttle_with_notes(service)
    for user in (service.coordinator, service.admin, service.safeguarding_lead):
        assert [n.text for n in selectors.notes_for(user=user, case=service.case)] == [SHARED]
        assert selectors.opening_accounts_for(user=user, session=session) == []
    assert list(selectors.notes_for(user=service.mediator2, case=service.case)) == []


def test_joint_opening_accounts_are_for_the_case_staff_only(service):
    session = start(service, book(service))
    assert len(selectors.opening_accounts_for(user=service.coordinator, session=session)) == 2
    assert selectors.opening_accounts_for(user=service.parties["alice"], session=session) == []


def test_a_party_reads_shared_summaries_and_only_the_sessions_they_attend(service):
    _shuttle_with_notes(service)
    alice_only = book(service, attendees=[party(service)])
    bob = service.parties["bob"]
    assert [n.text for n in selectors.notes_for(user=bob, case=service.case)] == [SHARED]
    assert alice_only not in selectors.session_list_for(user=bob, case=service.case)
    assert alice_only in selectors.session_list_for(
        user=service.parties["alice"], case=service.case
    )


def test_a_supporter_with_portal_access_does_not_read_summaries(service):
    _shuttle_with_notes(service)
    helper = case_services.participant_add(
        actor=service.coordinator,
        case=service.case,
        role="supporter",
        full_name="Sue Friend",
        email="sue@example.org",
    )
    from accord.testing.factories import UserFactory

    user = UserFactory(email="sue@example.org")
    type(helper).objects.filter(pk=helper.pk).update(user=user, portal_access=True)
    assert list(selectors.notes_for(user=user, case=service.case)) == []


def test_the_portal_page_shows_a_party_their_sessions_and_summaries_but_nothing_private(service):
    _shuttle_with_notes(service)
    book(service)
    page = _client(service.parties["bob"]).get(reverse("portal:case", args=[service.case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your mediation sessions" in html
    assert "https://video.example/room-7" in html
    assert SHARED in html
    for secret in (PRIVATE, ALICE_ACCOUNT, BOB_ACCOUNT):
        assert secret not in html


def test_staff_session_pages_are_hidden_from_parties(service):
    session = _shuttle_with_notes(service)
    for name in ("session", "start", "attendance", "note_add", "end", "cancel"):
        url = reverse(f"mediation:{name}", args=[service.case.pk, session.pk])
        assert _client(service.parties["bob"]).get(url).status_code == 404, name


def test_the_session_page_shows_shuttle_accounts_to_the_team_only(service):
    session = _shuttle_with_notes(service)
    url = reverse("mediation:session", args=[service.case.pk, session.pk])
    team = _client(service.supervisor).get(url).content.decode()
    assert ALICE_ACCOUNT in team and PRIVATE in team
    coordinator = _client(service.coordinator).get(url)
    assert coordinator.status_code == 200
    html = coordinator.content.decode()
    assert ALICE_ACCOUNT not in html and PRIVATE not in html and SHARED in html
    assert _client(service.mediator2).get(url).status_code == 404


def test_the_api_gives_a_party_their_sessions_and_summaries_only(service):
    _shuttle_with_notes(service)
    alice_only = book(service, attendees=[party(service)])
    response = session_client(service.parties["bob"]).get(f"/cases/{service.case.pk}/sessions")
    assert response.status_code == 200
    body = response.json()
    raw = json.dumps(body)
    assert [n["text"] for n in body["notes"]] == [SHARED]
    assert alice_only.pk not in [s["id"] for s in body["sessions"]]
    assert all(s["attendee_ids"] == [] for s in body["sessions"])
    for secret in (PRIVATE, ALICE_ACCOUNT, BOB_ACCOUNT):
        assert secret not in raw


def test_the_api_hides_the_mediation_status_from_parties_and_other_services(service, other_service):
    path = f"/cases/{service.case.pk}/mediation"
    assert session_client(service.parties["bob"]).get(path).status_code == 404
    assert session_client(other_service.coordinator).get(path).status_code == 404
    assert (
        session_client(other_service.coordinator)
        .get(f"/cases/{service.case.pk}/sessions")
        .status_code
        == 404
    )
    response = session_client(service.coordinator).get(path)
    assert response.status_code == 200
    assert response.json()["state"] == "active"
    assert response.json()["metrics"]["sessions_held"] == 0


def test_the_team_reads_private_notes_through_the_api(service):
    _shuttle_with_notes(service)
    body = session_client(service.supervisor).get(f"/cases/{service.case.pk}/sessions").json()
    assert {n["text"] for n in body["notes"]} == {PRIVATE, SHARED}
    body = session_client(service.coordinator).get(f"/cases/{service.case.pk}/sessions").json()
    assert [n["text"] for n in body["notes"]] == [SHARED]
