"""Court orders to attend a MIAM or mediation, and the applicant's "other party has answered"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.calendar.arithmetic import london_date
from accord.cases.workspace import section_url
from accord.core.errors import NotPermitted, ValidationFailed
from accord.deadlines.models import Deadline, OutboundEmail
from accord.willingness import services
from accord.willingness.models import CourtOrder
from accord.willingness.tests.helpers import invite

pytestmark = pytest.mark.django_db

REASONS = "He shouted at me at the last handover, so I will not sit in a room with him."


def _today() -> dt.date:
    return london_date(timezone.now())


def _record(service: Any, **overrides: Any) -> CourtOrder:
    data: dict[str, Any] = {
        "actor": service.coordinator,
        "case": service.case,
        "court": "Family Court at Leeds",
        "ordered_on": _today() - dt.timedelta(days=3),
        "orders": "miam",
        "court_case_number": "LS26P01234",
        "details": "Order under FPR 3.10, secret detail for the team",
        "comply_by": _today() + dt.timedelta(days=28),
    }
    data.update(overrides)
    return services.court_order_record(**data)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_court_order_is_recorded_with_a_deadline_and_audited(service):
    order = _record(service)
    assert order.deadline is not None
    deadline = Deadline.objects.get(pk=order.deadline.pk)
    assert london_date(deadline.due_at) == _today() + dt.timedelta(days=28)
    assert deadline.owner == service.mediator
    assert AuditEvent.objects.filter(action="willingness.court_order_recorded").count() == 1


def test_without_a_date_to_comply_by_there_is_no_deadline(service):
    order = _record(service, comply_by=None)
    assert order.deadline is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"court": " "}, "court"),
        ({"ordered_on": None}, "ordered_on"),
        ({"ordered_on": dt.date(2999, 1, 1)}, "ordered_on"),
        ({"orders": "prison"}, "orders"),
        ({"comply_by": dt.date(2000, 1, 1)}, "comply_by"),
        ({"court_case_number": "X" * 41}, "court_case_number"),
    ],
)
def test_bad_court_orders_are_refused_and_nothing_is_saved(service, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        _record(service, **overrides)
    assert field in exc.value.field_errors
    assert not CourtOrder.objects.exists()
    assert not Deadline.objects.filter(rule_code=services.COURT_ORDER_RULE).exists()


def test_a_party_or_another_service_cannot_record_one(service, other_service):
    from accord.core.errors import NotFoundOrHidden

    with pytest.raises((NotFoundOrHidden, NotPermitted)):
        _record(service, actor=other_service.admin)
    with pytest.raises((NotFoundOrHidden, NotPermitted)):
        _record(service, actor=service.parties["alice"])
    assert not CourtOrder.objects.exists()


def test_the_invitation_email_and_page_say_a_court_ordered_attendance_without_the_details(
    service,
):
    _record(service)
    invitation = invite(service)
    body = OutboundEmail.objects.get(to_email=invitation.participant.email).body
    assert "A court has ordered that the people involved attend a Mediation Information" in body
    assert "LS26P01234" not in body and "secret detail" not in body
    page = Client().get(f"/respond/{invitation.secret}/").content.decode()
    assert "A court has ordered" in page and "LS26P01234" not in page


def test_without_a_court_order_the_invitation_does_not_mention_one(service):
    invitation = invite(service)
    body = OutboundEmail.objects.get(to_email=invitation.participant.email).body
    assert "court" not in body.lower()


def test_the_team_sees_the_order_on_the_workspace_and_records_it_through_the_form(service):
    client = _client(service.coordinator)
    url = reverse("willingness:court_order", args=[service.case.pk])
    bad = client.post(url, {"court": "", "orders": "miam", "ordered_on": "not a date"})
    assert bad.status_code == 422
    assert "Enter the date of the order as a real date" in bad.content.decode()
    response = client.post(
        url,
        {
            "court": "Family Court at Leeds",
            "ordered_on": (_today() - dt.timedelta(days=1)).isoformat(),
            "orders": "mediation",
            "court_case_number": "LS1",
        },
    )
    assert response.status_code == 302
    html = client.get(section_url(service.case.pk, "people")).content.decode()
    assert "Court order: attend mediation" in html and "Family Court at Leeds" in html


def test_the_applicant_sees_whether_the_other_party_answered_but_never_the_answer(service):
    alice = _client(service.parties["alice"])
    url = reverse("portal:case", args=[service.case.pk])
    assert "other-party-answer" not in alice.get(url).content.decode()
    invitation = invite(service)
    html = alice.get(url).content.decode()
    assert "they have not answered yet" in html
    services.willingness_answer(secret=invitation.secret, answer="not_willing", text=REASONS)
    html = alice.get(url).content.decode()
    assert "The other person has answered the service" in html
    assert REASONS not in html and "not willing" not in html.lower()
    # The invited person does not get the applicant's line about themselves.
    bob_html = _client(service.parties["bob"]).get(url).content.decode()
    assert "other-party-answer" not in bob_html


def test_the_api_records_and_lists_court_orders_for_the_case_team_only(service, other_service):
    from accord.api.tests.conftest import token_client

    path = f"/cases/{service.case.pk}/court-orders"
    payload = {
        "court": "Family Court at Leeds",
        "ordered_on": (_today() - dt.timedelta(days=2)).isoformat(),
        "orders": "mediation",
        "comply_by": (_today() + dt.timedelta(days=30)).isoformat(),
    }
    created = token_client(service.coordinator).post(path, payload)
    assert created.status_code == 201 and created.json()["deadline_id"] is not None
    listed = token_client(service.mediator).get(path).json()
    assert [o["orders"] for o in listed] == ["mediation"]
    bad = token_client(service.coordinator).post(path, {**payload, "comply_by": "2000-01-01"})
    assert bad.status_code == 422 and "comply_by" in bad.json()["errors"]
    for user in (service.parties["alice"], other_service.admin):
        assert token_client(user).get(path).status_code == 404
        assert token_client(user).post(path, payload).status_code == 404
    assert CourtOrder.objects.count() == 1
