"""Planning a session from the agenda: items, order, goals, minutes against the session length."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.agenda.models import SessionPlanItem
from accord.agenda.session_plan import PlanRow, session_plan_for, session_plan_set
from accord.agenda.tests.helpers import propose
from accord.core.errors import NotPermitted, ValidationFailed
from accord.mediation.models import MediationSession

pytestmark = pytest.mark.django_db


def _session(service):
    session = MediationSession.objects.create(
        organisation_id=service.case.organisation_id,
        case=service.case,
        starts_at=timezone.now() + dt.timedelta(days=3),
        duration_minutes=90,
        format="joint",
        mode="video",
        place="https://video.example/s",
    )
    return session


def test_the_mediator_plans_a_session_and_parties_never_see_goals(service):
    session = _session(service)
    first, second = propose(service), propose(service, title="Holidays")
    session_plan_set(
        actor=service.mediator,
        session=session,
        rows=[PlanRow(second.pk, 1, 60, "GOAL-PRIVATE"), PlanRow(first.pk, 2, 45)],
    )
    plan = session_plan_for(user=service.mediator, session=session)
    assert [r.item_id for r in plan.rows] == [second.pk, first.pk]
    assert plan.total_minutes == 105 and plan.over_by == 15 and plan.show_goals
    assert not session_plan_for(user=service.parties["alice"], session=session).show_goals
    client = Client()
    client.force_login(service.mediator)
    page = client.get(reverse("mediation:session", args=[service.case.pk, session.pk]))
    assert "GOAL-PRIVATE" in page.content.decode() and "15 minutes over" in page.content.decode()


def test_bad_plans_are_refused_and_the_old_plan_is_kept(service):
    session = _session(service)
    item = propose(service)
    session_plan_set(actor=service.mediator, session=session, rows=[PlanRow(item.pk, 1, 30)])
    with pytest.raises(ValidationFailed) as bad:
        session_plan_set(actor=service.mediator, session=session, rows=[PlanRow(item.pk, 1, 0)])
    assert bad.value.field_errors[f"minutes_{item.pk}"] == [
        "Give each item between 1 and 480 minutes."
    ]
    with pytest.raises(ValidationFailed, match="only once"):
        session_plan_set(
            actor=service.mediator,
            session=session,
            rows=[PlanRow(item.pk, 1, 10), PlanRow(item.pk, 2, 10)],
        )
    with pytest.raises(NotPermitted):
        session_plan_set(actor=service.coordinator, session=session, rows=[])
    assert list(SessionPlanItem.objects.values_list("minutes", flat=True)) == [30]
    client = Client()
    client.force_login(service.mediator)
    url = reverse("agenda:session_plan", args=[service.case.pk, session.pk])
    response = client.post(url, {f"include_{item.pk}": "on", f"minutes_{item.pk}": "999"})
    assert response.status_code == 422
    assert list(SessionPlanItem.objects.values_list("minutes", flat=True)) == [30]
    ok = client.post(
        url, {f"include_{item.pk}": "on", f"order_{item.pk}": "1", f"minutes_{item.pk}": "50"}
    )
    assert ok.status_code == 302
    assert list(SessionPlanItem.objects.values_list("minutes", flat=True)) == [50]


@pytest.mark.parametrize("goal", ["Agree\x00dates", "Agree \u202edates", "Ring\x07"])
def test_a_goal_with_a_control_or_direction_character_is_refused_on_the_page(service, goal):
    """The goals are read from the POST directly, not through a form: NUL used to answer 500."""
    session = _session(service)
    item = propose(service)
    client = Client()
    client.force_login(service.mediator)
    url = reverse("agenda:session_plan", args=[service.case.pk, session.pk])

    response = client.post(
        url,
        {
            f"include_{item.pk}": "on",
            f"order_{item.pk}": "1",
            f"minutes_{item.pk}": "30",
            f"goal_{item.pk}": goal,
        },
    )

    assert response.status_code == 422
    assert "Remove the invisible" in response.content.decode()
    assert not SessionPlanItem.objects.exists()
