"""The willingness pages through the test client: staff forms, the workspace panel, the public
answer page, and what parties can never reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.cases.workspace import section_url
from accord.deadlines.models import OutboundEmail
from accord.willingness import codes, services
from accord.willingness import views as willingness_views
from accord.willingness.models import ContactAttempt, WillingnessAnswer, WillingnessInvitation
from accord.willingness.tests.helpers import invite, overdue, party

pytestmark = pytest.mark.django_db

REASONS = "He shouted at me at the last handover, so I will not sit in a room with him."


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _workspace(user: Any, service: Any) -> Any:
    return _client(user).get(section_url(service.case.pk, "people"))


def _respond_url(secret: str) -> str:
    return reverse("willingness:respond", args=[secret])


def test_the_coordinator_invites_by_email_from_the_workspace(service):
    client = _client(service.coordinator)
    url = reverse("willingness:invite", args=[service.case.pk])
    assert client.get(url + "?channel=email").status_code == 200
    response = client.post(url, {"participant": party(service).pk, "channel": "email"})
    assert response.status_code == 302
    assert OutboundEmail.objects.count() == 1
    page = client.get(section_url(service.case.pk, "people")).content.decode()
    assert "Waiting for an answer" in page and "Withdraw this invitation" in page
    # "Queued" until the outbox hands the email to the mail server, then "Sent".
    assert "Queued: it goes out shortly" in page and "Sent <time" not in page
    from django.test import override_settings

    from accord.deadlines.delivery import outbox_deliver_due

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        outbox_deliver_due()
    page = client.get(section_url(service.case.pk, "people")).content.decode()
    assert "Queued: it goes out shortly" not in page and "Sent <time" in page


def test_a_bad_invitation_shows_field_errors_with_422_and_saves_nothing(service):
    client = _client(service.coordinator)
    url = reverse("willingness:invite", args=[service.case.pk])
    response = client.post(url, {"participant": "", "channel": "pigeon"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Choose who you are inviting." in body
    assert not WillingnessInvitation.objects.exists()


def test_staff_who_may_only_look_get_403_and_others_404(service, other_service):
    url = reverse("willingness:invite", args=[service.case.pk])
    data = {"participant": party(service).pk, "channel": "email"}
    assert _client(service.supervisor).post(url, data).status_code == 403
    assert _client(service.mediator2).post(url, data).status_code == 404
    assert _client(other_service.coordinator).post(url, data).status_code == 404
    assert _client(service.parties["alice"]).post(url, data).status_code == 404
    assert not WillingnessInvitation.objects.exists()


def test_a_letter_is_made_and_linked_from_the_panel(service):
    client = _client(service.coordinator)
    url = reverse("willingness:invite", args=[service.case.pk])
    response = client.post(url, {"participant": party(service).pk, "channel": "letter"})
    assert response.status_code == 302
    invitation = WillingnessInvitation.objects.get()
    assert invitation.letter_id is not None
    page = _workspace(service.coordinator, service).content.decode()
    assert reverse("documents:download", args=[invitation.letter_id]) in page


def test_the_public_page_shows_the_service_and_never_the_applicant(service):
    invitation = invite(service)
    response = Client().get(_respond_url(invitation.secret))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    assert "Riverside Family Mediation" in body
    assert "What is a MIAM?" in body
    for private in ("Alice", "Smith", "Hidden Lane", "Jones", "Open Road"):
        assert private not in body
    assert service.case.reference not in body


def test_bad_answers_show_field_errors_and_save_nothing(service):
    invitation = invite(service)
    client = Client()
    response = client.post(_respond_url(invitation.secret), {"answer": "not_willing", "text": ""})
    assert response.status_code == 422
    assert "Tell the service your reasons for not taking part." in response.content.decode()
    response = client.post(_respond_url(invitation.secret), {"answer": ""})
    assert response.status_code == 422
    assert "Choose one answer." in response.content.decode()
    assert not WillingnessAnswer.objects.exists()
    assert WillingnessInvitation.objects.get().status == "invited"


def test_answering_once_thanks_the_person_and_a_second_answer_is_refused_kindly(service):
    invitation = invite(service)
    client = Client()
    url = _respond_url(invitation.secret)
    response = client.post(url, {"answer": "not_willing", "text": REASONS})
    assert response.status_code == 302
    thanks = client.get(url)
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()
    assert thanks["Referrer-Policy"] == "same-origin"
    again = client.post(url, {"answer": "willing", "text": ""})
    assert again.status_code == 200 and "has your answer" in again.content.decode()
    assert WillingnessAnswer.objects.get().answer == "not_willing"


def test_unknown_superseded_and_expired_links_get_kind_pages(service):
    assert Client().get(_respond_url(codes.new_code())).status_code == 404
    first = invite(service)
    second = invite(service)
    response = Client().get(_respond_url(first.secret))
    assert response.status_code == 410
    assert "can no longer be used" in response.content.decode()
    overdue(second)
    assert Client().get(_respond_url(second.secret)).status_code == 410


def test_a_code_typed_from_a_letter_leads_to_the_answer_page(service):
    invitation = invite(service, channel="letter")
    start = reverse("willingness:respond_start")
    response = Client().post(start, {"code": codes.grouped(invitation.secret).lower()})
    assert response.status_code == 302
    assert response["Location"] == _respond_url(invitation.secret)
    wrong = Client().post(start, {"code": "ABCD-EFGH"})
    assert wrong.status_code == 422
    assert "We do not recognise that code." in wrong.content.decode()


def test_answers_from_one_address_are_rate_limited(service, monkeypatch):
    monkeypatch.setattr(willingness_views, "RATE_LIMIT", 2)
    invitation = invite(service)
    client = Client()
    url = _respond_url(invitation.secret)
    assert client.post(url, {"answer": ""}).status_code == 422
    assert client.post(url, {"answer": ""}).status_code == 422
    limited = client.post(url, {"answer": "willing"})
    assert limited.status_code == 429
    assert not WillingnessAnswer.objects.exists()


def test_the_case_team_sees_the_answer_and_the_not_engaging_state(service):
    invitation = invite(service)
    services.willingness_answer(secret=invitation.secret, answer="not_willing", text=REASONS)
    for user in (service.coordinator, service.mediator, service.supervisor):
        page = _workspace(user, service).content.decode()
        assert "shouted at me" in page
        assert "Not engaging" in page and "route continues" in page


def test_the_applicant_cannot_reach_the_other_partys_answer_by_any_page(service):
    invitation = invite(service)
    services.willingness_answer(secret=invitation.secret, answer="not_willing", text=REASONS)
    alice = _client(service.parties["alice"])
    portal = alice.get(reverse("portal:case", args=[service.case.pk]))
    assert portal.status_code == 200
    assert "shouted at me" not in portal.content.decode()
    assert alice.get(section_url(service.case.pk, "people")).status_code == 404
    withdraw = reverse("willingness:withdraw", args=[service.case.pk, invitation.pk])
    assert alice.get(withdraw).status_code == 404
    # Even holding the link, the answer page shows nothing of what was answered.
    assert alice.get(_respond_url(invitation.secret)).status_code == 200
    assert "shouted at me" not in alice.get(_respond_url(invitation.secret)).content.decode()


def test_contact_attempts_are_logged_from_a_page_and_listed(service):
    client = _client(service.coordinator)
    url = reverse("willingness:contact_attempt", args=[service.case.pk])
    at = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(url, {"participant": party(service).pk, "method": "phone", "at": "soon"})
    assert bad.status_code == 422 and not ContactAttempt.objects.exists()
    response = client.post(
        url,
        {"participant": party(service).pk, "method": "phone", "at": at, "outcome": "Voicemail"},
    )
    assert response.status_code == 302
    page = _workspace(service.coordinator, service).content.decode()
    assert "Phone call to Bob Jones" in page and "Voicemail" in page


def test_withdrawing_from_the_page_needs_a_reason(service):
    invitation = invite(service)
    client = _client(service.coordinator)
    url = reverse("willingness:withdraw", args=[service.case.pk, invitation.pk])
    assert client.post(url, {"reason": ""}).status_code == 422
    assert WillingnessInvitation.objects.get().status == "invited"
    assert client.post(url, {"reason": "Wrong address"}).status_code == 302
    assert WillingnessInvitation.objects.get().status == "withdrawn"


def _panel_queries(service: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(service.coordinator)
    url = section_url(service.case.pk, "people")
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_panel_costs_the_same_queries_however_many_invitations(service):
    first = invite(service, channel="letter")
    services.willingness_answer(secret=first.secret, answer="info_requested", text="Cost?")
    invite(service)  # one emailed invitation too: its delivery state costs one query for all
    baseline = _panel_queries(service)
    for _ in range(4):
        invite(service)
        services.contact_attempt_log(
            actor=service.coordinator,
            case=service.case,
            participant=party(service),
            method="phone",
            at=timezone.now() - dt.timedelta(hours=1),
        )
    assert _panel_queries(service) == baseline


def test_a_service_sets_its_response_period_on_the_deadline_settings_page(service):
    client = _client(service.admin)
    settings_url = reverse("deadlines:settings")
    assert "willingness.response" in client.get(settings_url).content.decode()
    response = client.post(
        settings_url,
        {
            "form": "rule",
            "rule-code": "willingness.response",
            "rule-period": "21",
            "rule-unit": "calendar_days",
            "rule-effective_from": "2020-01-01",
            "rule-source": "Our policy, agreed November 2026",
        },
    )
    assert response.status_code == 302
    invitation = invite(service)
    assert invitation.respond_by == timezone.localdate() + dt.timedelta(days=21)


def test_the_page_asks_for_a_reason_when_contact_was_said_not_to_be_safe(service):
    from accord.willingness.tests.helpers import enquiry_says_not_safe

    enquiry_says_not_safe(service, party(service))
    client = _client(service.coordinator)
    url = reverse("willingness:invite", args=[service.case.pk])
    form = client.get(url).content.decode()
    assert "said it is not safe to contact Bob Jones" in form
    data = {"participant": party(service).pk, "channel": "letter"}
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "said it is not safe to contact this person" in refused.content.decode()
    assert not WillingnessInvitation.objects.exists()
    done = client.post(url, {**data, "override_reason": "Court ordered the MIAM."})
    assert done.status_code == 302
    page = _workspace(service.coordinator, service).content.decode()
    assert "Court ordered the MIAM." in page
