"""The dashboard and the queue pages cost the same number of queries for 3 items as for 30."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.organisations.models import Role
from accord.queues.tests import helpers as h
from accord.safeguarding.models import SafeguardingConcern
from accord.testing.factories import staff_member

DASHBOARD = "/cases/dashboard/"
#: The dashboard counts every queue in one query, so a role's queues add one query in all.
MAX_DASHBOARD = 16
MAX_LIST = 12


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _enquiries(service: Any, n: int) -> None:
    for i in range(n):
        h.enquiry(h.open_case(service, title=f"Enquiry {i}"))


def _appointments(service: Any, n: int) -> None:
    soon = timezone.now() + dt.timedelta(days=2)
    for i in range(n):
        case = h.open_case(service, title=f"Appointments {i}")
        person = h.party(case)
        if i % 2:
            h.miam(case, service.mediator, [person], starts_at=soon)
        else:
            h.session(case, [service.mediator], soon)


def _outcomes(service: Any, n: int) -> None:
    for i in range(n):
        case = h.open_case(service, title=f"Outcome {i}", lead=service.mediator2)
        h.outcome(case, service.mediator2, "awaiting_approval")


def _concerns(service: Any, n: int) -> None:
    for i in range(n):
        SafeguardingConcern.objects.create(
            organisation=service.organisation,
            case=service.case if i % 2 else service.cases["civil"],
            raised_by=service.mediator,
            raised_at=timezone.now(),
            source="other",
            allegation="Alleged.",
            subject_kind="child",
            subject_name="A child",
            alleged_by="A parent",
        )


def _staff(service: Any, n: int) -> None:
    for i in range(n):
        staff_member(service.organisation, Role.COORDINATOR, name=f"Starter {i}", mfa=False)


CASES: list[tuple[str, str, Callable[[Any, int], None]]] = [
    ("coordinator", "enquiries-awaiting-conflict-check", _enquiries),
    ("mediator", "appointments-this-week", _appointments),
    ("supervisor", "outcomes-awaiting-approval", _outcomes),
    ("safeguarding_lead", "open-safeguarding-concerns", _concerns),
    ("admin", "staff-without-two-factor", _staff),
]


@pytest.mark.parametrize(("who", "code", "make"), CASES, ids=[c[1] for c in CASES])
def test_queue_pages_and_dashboard_cost_the_same_for_3_and_30_items(
    client, service, who, code, make
):
    user = getattr(service, who)
    url = reverse("queues:detail", args=[code])
    make(service, 3)
    client.force_login(user)
    assert '<strong class="queue-count">3</strong>' in client.get(DASHBOARD).content.decode()
    few_dashboard, few_list = _queries(client, DASHBOARD), _queries(client, url)
    make(service, 27)
    page = client.get(DASHBOARD).content.decode()
    assert '<strong class="queue-count">30</strong>' in page
    assert client.get(url).content.decode().count("<tr>") == 31
    many_dashboard, many_list = _queries(client, DASHBOARD), _queries(client, url)
    assert few_dashboard == many_dashboard <= MAX_DASHBOARD
    assert few_list == many_list <= MAX_LIST
