"""Private screening: only the restricted audience may ever read or write it, on any channel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.audit.models import AuditEvent
from accord.cases.workspace import section_url
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.meetings import services
from accord.meetings.models import Screening
from accord.meetings.routing import Route
from accord.meetings.tests.helpers import book, hold, party
from accord.safeguarding.models import SafeguardingConcern

pytestmark = pytest.mark.django_db

#: Distinctive words typed only into screening answers: they must never reach anyone else.
SECRET = "Xylophone-bruise-on-Tuesday"
WORKER = "Quentin Socialworker 0113 496 0000"


def _answers(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "physical_abuse": "no",
        "emotional_abuse": "yes",
        "emotional_abuse_notes": SECRET,
        "risk_to_children": "yes",
        "risk_to_children_notes": f"{SECRET} children",
        "childrens_services": "yes",
        "consent_to_contact_social_worker": True,
        "social_worker_details": WORKER,
    }
    data.update(overrides)
    return data


def _screen(service: Any, actor: Any = None, **overrides: Any) -> Screening:
    miam = book(service)
    hold(miam)
    return services.screening_save(
        actor=actor or service.mediator,
        miam=miam,
        participant=party(service),
        answers=_answers(**overrides),
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_mediator_records_a_screening_and_it_suggests_a_route(service):
    screening = _screen(service)
    assert screening.social_worker_details == WORKER
    assert services.screening_suggestion(screening).route is Route.REFER


def test_saving_again_updates_the_one_screening(service):
    screening = _screen(service)
    assert screening.miam is not None
    services.screening_save(
        actor=service.supervisor,
        miam=screening.miam,
        participant=screening.participant,
        answers=_answers(risk_to_children="no", emotional_abuse="no"),
    )
    assert Screening.objects.count() == 1
    screening.refresh_from_db()
    assert screening.risk_to_children == "no"
    assert AuditEvent.objects.filter(action="screening.updated").count() == 1


def test_screening_audit_events_are_restricted_and_carry_no_answers(service):
    _screen(service)
    events = AuditEvent.objects.filter(action__startswith="screening.")
    assert events.exists()
    for event in events:
        assert event.visibility == "restricted"
        text = json.dumps(event.details) + event.target_label
        assert SECRET not in text and WORKER not in text and "Alice" not in text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"physical_abuse": "maybe"}, "physical_abuse"),
        (
            {"consent_to_contact_social_worker": True, "social_worker_details": ""},
            "social_worker_details",
        ),
        ({"childrens_services": "no"}, "consent_to_contact_social_worker"),
        ({"fear_of_other_party_notes": "x" * 5001}, "fear_of_other_party_notes"),
        ({"injunction": "yes"}, "injunction"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(service, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        _screen(service, **overrides)
    assert field in exc.value.field_errors
    assert not Screening.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "admin", "mediator2"])
def test_staff_outside_the_restricted_audience_cannot_write_a_screening(service, who):
    with pytest.raises(NotFoundOrHidden):
        _screen(service, actor=getattr(service, who))
    assert not Screening.objects.exists()


def test_the_safeguarding_lead_may_record_a_screening(service):
    assert _screen(service, actor=service.safeguarding_lead).pk


def test_a_party_who_did_not_attend_the_miam_has_no_screening_there(service):
    miam = book(service)
    with pytest.raises(NotFoundOrHidden):
        services.screening_save(
            actor=service.mediator,
            miam=miam,
            participant=party(service, "Bob Jones"),
            answers=_answers(),
        )


def test_one_step_concern_from_a_screening_with_risk_to_children(service):
    screening = _screen(service)
    concern = services.screening_raise_concern(actor=service.mediator, screening=screening)
    assert concern.source == "screening"
    assert concern.subject_kind == "child"
    assert SECRET in concern.allegation
    screening.refresh_from_db()
    assert screening.concern_id == concern.pk
    with pytest.raises(ValidationFailed):
        services.screening_raise_concern(actor=service.mediator, screening=screening)
    assert SafeguardingConcern.objects.count() == 1


def test_no_one_step_concern_without_a_risk_to_children(service):
    screening = _screen(service, risk_to_children="no")
    with pytest.raises(ValidationFailed):
        services.screening_raise_concern(actor=service.mediator, screening=screening)
    assert not SafeguardingConcern.objects.exists()


def test_the_concern_button_raises_it_through_the_page(service):
    screening = _screen(service)
    url = reverse(
        "meetings:screening_concern",
        args=[service.case.pk, screening.miam_id, screening.participant_id],
    )
    response = _client(service.mediator).post(url)
    assert response.status_code == 302
    assert SafeguardingConcern.objects.filter(case=service.case).count() == 1


def test_the_screening_page_shows_answers_and_route_to_the_restricted_audience(service):
    screening = _screen(service)
    url = reverse(
        "meetings:screening", args=[service.case.pk, screening.miam_id, screening.participant_id]
    )
    for user in (service.mediator, service.supervisor, service.safeguarding_lead):
        response = _client(user).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert SECRET in body and "Refer to specialist support" in body
        assert "no-cache" in response.get("Cache-Control", "") or "max-age=0" in response.get(
            "Cache-Control", ""
        )


def test_the_screening_form_saves_through_the_page(service):
    miam = book(service)
    url = reverse("meetings:screening", args=[service.case.pk, miam.pk, party(service).pk])
    data = {
        name: "no"
        for name in [
            "physical_abuse",
            "emotional_abuse",
            "coercive_control",
            "financial_abuse",
            "fear_of_other_party",
            "risk_to_children",
            "childrens_services",
            "police_or_court",
        ]
    }
    data["fear_of_other_party"] = "yes"
    response = _client(service.mediator).post(url, data)
    assert response.status_code == 302
    assert Screening.objects.get().fear_of_other_party == "yes"
    response = _client(service.mediator).post(url, {**data, "physical_abuse": "maybe"})
    assert response.status_code == 422


def _everything_they_can_reach(client: Client, service: Any) -> list[str]:
    """Every case page and API GET this user can reach for the family case."""
    pk = service.case.pk
    urls = [
        section_url(pk, "preparation"),
        reverse("cases:timeline", args=[pk]),
        reverse("portal:home"),
        reverse("portal:case", args=[pk]),
    ]
    schema = json.loads((Path(__file__).resolve().parents[2] / "api" / "openapi.json").read_text())
    for path, methods in schema["paths"].items():
        if "get" in methods:
            urls.append(path.replace("{case_id}", str(pk)))
    bodies = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            bodies.append(response.content.decode())
    return bodies


@pytest.mark.parametrize("who", ["bob", "alice_other_party_view", "coordinator", "admin", "other"])
def test_no_one_outside_the_audience_reaches_screening_pages_or_text(service, other_service, who):
    screening = _screen(service)
    services.screening_raise_concern(actor=service.mediator, screening=screening)
    user = {
        "bob": service.parties["bob"],
        "alice_other_party_view": service.parties["alice"],
        "coordinator": service.coordinator,
        "admin": service.admin,
        "other": other_service.mediator,
    }[who]
    client = _client(user)
    args = [service.case.pk, screening.miam_id, screening.participant_id]
    assert client.get(reverse("meetings:screening", args=args)).status_code == 404
    assert client.post(reverse("meetings:screening", args=args), {}).status_code == 404
    assert client.post(reverse("meetings:screening_concern", args=args)).status_code == 404
    bodies = _everything_they_can_reach(client, service)
    if who in ("bob", "coordinator", "admin"):
        assert bodies, "the test must reach some pages for this user"
    for body in bodies:
        assert SECRET not in body
        assert WORKER not in body
        assert "private screening" not in body.lower()
        assert "Screening suggests" not in body


def test_the_workspace_shows_the_case_team_the_suggested_route_and_screening_links(service):
    _screen(service)
    body = _client(service.mediator).get(section_url(service.case.pk, "preparation"))
    text = body.content.decode()
    assert "Screening suggests: <strong>Refer to specialist support</strong>" in text
    assert "Update the private screening of Alice Smith" in text
