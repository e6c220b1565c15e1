"""The willingness API: staff read and write; parties and other services get 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.api.tests.conftest import session_client, token_client
from accord.audit.models import AuditEvent
from accord.deadlines.models import OutboundEmail
from accord.willingness import services
from accord.willingness.models import ContactAttempt, WillingnessInvitation
from accord.willingness.tests.helpers import enquiry_says_not_safe, invite, party

pytestmark = pytest.mark.django_db

REASONS = "He shouted at me at the last handover, so I will not sit in a room with him."


def _path(service, tail: str = "") -> str:
    return f"/cases/{service.case.pk}/willingness{tail}"


def test_staff_read_the_state_invitations_answer_and_attempts(service):
    invitation = invite(service)
    services.willingness_answer(secret=invitation.secret, answer="not_willing", text=REASONS)
    services.contact_attempt_log(
        actor=service.coordinator,
        case=service.case,
        participant=party(service),
        method="phone",
        at=timezone.now() - dt.timedelta(hours=1),
        outcome="Left a voicemail",
    )
    for user in (service.coordinator, service.mediator, service.supervisor):
        response = token_client(user).get(_path(service))
        assert response.status_code == 200
        body = response.json()
        assert body["state"] == "not_engaging" and body["not_engaging"] is True
        assert body["invitations"][0]["answer"]["text"] == REASONS
        outcomes = [a["outcome"] for a in body["contact_attempts"]]
        assert outcomes == ["Invitation email queued.", "Left a voicemail"]
        assert invitation.secret not in response.content.decode()


def test_the_applicant_and_outsiders_cannot_reach_the_answer(service, other_service):
    invitation = invite(service)
    services.willingness_answer(secret=invitation.secret, answer="not_willing", text=REASONS)
    for user in (
        service.parties["alice"],
        service.parties["bob"],
        service.mediator2,
        other_service.coordinator,
    ):
        for client in (token_client(user), session_client(user)):
            response = client.get(_path(service))
            assert response.status_code == 404
            assert "shouted" not in response.content.decode()
    # Nor through the case detail the applicant may read.
    detail = token_client(service.parties["alice"]).get(f"/cases/{service.case.pk}")
    assert detail.status_code == 200 and "shouted" not in detail.content.decode()


def test_an_email_invitation_through_the_api(service):
    api = token_client(service.coordinator)
    response = api.post(_path(service, "/invitations"), {"participant_id": party(service).pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "email" and body["status"] == "invited" and body["answer"] is None
    assert OutboundEmail.objects.count() == 1


def test_refused_invitations_answer_with_errors_and_change_nothing(service):
    enquiry_says_not_safe(service, party(service))
    api = token_client(service.coordinator)
    supervisor, alice = token_client(service.supervisor), token_client(service.parties["alice"])
    events = AuditEvent.objects.count()  # after the tokens, whose creation is audited
    missing = api.post(_path(service, "/invitations"), {"participant_id": party(service).pk})
    assert missing.status_code == 422
    assert "override_reason" in missing.json()["errors"]
    # A letter (which the API now sends too) needs the same reason to override "not safe".
    letter = api.post(
        _path(service, "/invitations"), {"participant_id": party(service).pk, "channel": "letter"}
    )
    assert letter.status_code == 422
    assert "override_reason" in letter.json()["errors"]
    stranger = api.post(_path(service, "/invitations"), {"participant_id": 999999})
    assert stranger.status_code == 422 and "participant_id" in stranger.json()["errors"]
    looker = supervisor.post(_path(service, "/invitations"), {"participant_id": party(service).pk})
    assert looker.status_code == 403
    party_call = alice.post(_path(service, "/invitations"), {"participant_id": party(service).pk})
    assert party_call.status_code == 404
    assert not WillingnessInvitation.objects.exists()
    assert AuditEvent.objects.count() == events


def test_contact_attempts_through_the_api(service):
    api = token_client(service.coordinator)
    at = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    response = api.post(
        _path(service, "/contact-attempts"),
        {"participant_id": party(service).pk, "method": "text", "at": at, "outcome": "Sent"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["method"] == "text"
    naive = api.post(
        _path(service, "/contact-attempts"),
        {"participant_id": party(service).pk, "method": "text", "at": "2026-01-01T10:00:00"},
    )
    assert naive.status_code == 422
    bad_method = api.post(
        _path(service, "/contact-attempts"),
        {"participant_id": party(service).pk, "method": "pigeon", "at": at},
    )
    assert bad_method.status_code == 422
    assert ContactAttempt.objects.count() == 1
