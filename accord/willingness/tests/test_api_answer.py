"""The invited person answers through the API with the code in the body, without signing in:
the same service as the public page, its own rate limit, and an unknown code is the API's plain
404, indistinguishable from any other."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accord.api.tests.conftest import ApiClient, snapshot
from accord.audit.models import AuditEvent
from accord.willingness import codes, ratelimit
from accord.willingness.models import WillingnessAnswer, WillingnessInvitation
from accord.willingness.tests.helpers import invite, overdue

pytestmark = pytest.mark.django_db

QUESTIONS = "Can the MIAM be held online, in the evening?"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def anonymous() -> ApiClient:
    """Nobody signed in: the invited person has only their code."""
    return ApiClient(Client())


def test_the_invited_person_reads_and_answers_without_signing_in(service, anonymous):
    invitation = invite(service)
    code = codes.grouped(invitation.secret).lower()  # as typed from a letter

    read = anonymous.post("/willingness/invitation", {"code": code})

    assert read.status_code == 200, read.json()
    assert read.json()["service"] == service.organisation.name
    assert read.json()["can_answer"] is True and read.json()["closed_reason"] == ""
    assert (
        "Bob" not in read.content.decode() and service.case.reference not in read.content.decode()
    )

    answered = anonymous.post(
        "/willingness/answer", {"code": code, "answer": "info_requested", "text": QUESTIONS}
    )

    assert answered.status_code == 201, answered.json()
    assert answered.json()["answer"] == "info_requested"
    saved = WillingnessAnswer.objects.get(invitation=invitation)
    assert saved.text == QUESTIONS
    assert WillingnessInvitation.objects.get(pk=invitation.pk).status == "info_requested"
    event = AuditEvent.objects.get(action="willingness.answered")
    assert event.actor_id is None and QUESTIONS not in str(event.details)
    assert invitation.secret not in answered.content.decode()


def test_a_second_answer_is_409_and_an_expired_link_410_with_nothing_saved(service, anonymous):
    first = invite(service)
    assert (
        anonymous.post(
            "/willingness/answer", {"code": first.secret, "answer": "willing"}
        ).status_code
        == 201
    )

    again = anonymous.post("/willingness/answer", {"code": first.secret, "answer": "willing"})

    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    assert WillingnessAnswer.objects.count() == 1
    read = anonymous.post("/willingness/invitation", {"code": first.secret}).json()
    assert read["can_answer"] is False and read["closed_reason"] == "answered"

    late = invite(service)
    overdue(late)
    before = snapshot()
    expired = anonymous.post("/willingness/answer", {"code": late.secret, "answer": "willing"})
    assert expired.status_code == 410
    assert snapshot() == before and WillingnessAnswer.objects.count() == 1


def test_an_unknown_code_is_the_plain_404_of_any_unknown_thing(service, anonymous):
    invite(service)
    before = snapshot()

    for code in ["ABCD-EFGH-JKMN-PQRS-TVWX", "short", "x" * 40]:
        for path in ("/willingness/invitation", "/willingness/answer"):
            response = (
                anonymous.post(path, {"code": code, "answer": "willing"})
                if path.endswith("answer")
                else anonymous.post(path, {"code": code})
            )
            assert response.status_code == 404
            assert response.json() == {"detail": "Not found.", "errors": {}}
    assert snapshot() == before


def test_a_refused_answer_needs_reasons_and_saves_nothing(service, anonymous):
    invitation = invite(service)
    before = snapshot()

    response = anonymous.post(
        "/willingness/answer", {"code": invitation.secret, "answer": "not_willing"}
    )

    assert response.status_code == 422
    assert "text" in response.json()["errors"]
    assert snapshot() == before and not WillingnessAnswer.objects.exists()


def test_the_code_is_never_taken_from_the_url(service, anonymous):
    invitation = invite(service)

    response = anonymous.client.post(
        f"/api/v1/willingness/answer?code={invitation.secret}",
        '{"answer": "willing"}',
        content_type="application/json",
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"code"}  # unknown query parameter
    assert not WillingnessAnswer.objects.exists()


def test_the_api_has_its_own_rate_limit_apart_from_the_page(service, anonymous, monkeypatch):
    monkeypatch.setattr(ratelimit, "RATE_LIMIT", 3)
    invitation = invite(service)
    wrong = {"code": "ABCD-EFGH-JKMN-PQRS-TVWX"}
    statuses = [anonymous.post("/willingness/invitation", wrong).status_code for _ in range(4)]

    assert statuses == [404, 404, 404, 429]
    # Even the right code is refused from this address now; nothing is recorded.
    refused = anonymous.post(
        "/willingness/answer", {"code": invitation.secret, "answer": "willing"}
    )
    assert refused.status_code == 429 and not WillingnessAnswer.objects.exists()
    # The page counts apart: the same address still reaches the answer form.
    page = Client().post(
        reverse("willingness:respond", args=[invitation.secret]), {"answer": "willing"}
    )
    assert page.status_code == 302
    assert WillingnessAnswer.objects.count() == 1


def test_signed_in_parties_and_staff_use_the_same_code_rule(service):
    from accord.api.tests.conftest import token_client

    invitation = invite(service)
    staff: ApiClient = token_client(service.coordinator)

    assert staff.post("/willingness/invitation", {"code": "nope"}).status_code == 404
    assert staff.post("/willingness/invitation", {"code": invitation.secret}).status_code == 200
