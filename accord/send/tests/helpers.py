"""Helpers for the SEND tests: a SEND case with its people, and the steps walked through."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from accord.accounts.models import User
from accord.cases import services as case_services
from accord.cases.models import Case, Participant
from accord.testing import journey
from accord.testing.factories import UserFactory

SECRET_CALL = "CALL-SECRET: the parent worries the school will not cope."


@dataclass
class SendStory:
    case: Case
    parent: Participant
    parent_user: User
    officer: Participant
    officer_user: User
    school: Participant
    young: Participant
    young_user: User


def _with_login(case: Case, actor: Any, role: str, name: str, email: str, **extra: Any) -> Any:
    person = case_services.participant_add(
        actor=actor, case=case, role=role, full_name=name, email=email, **extra
    )
    user = cast(User, UserFactory(email=email, full_name=name))
    Participant.objects.filter(pk=person.pk).update(user=user, portal_access=True)
    person.refresh_from_db()
    return person, user


def send_case(service: Any) -> SendStory:
    """A SEND case: a parent, the LA officer, the school's SENCo and the 16-year-old."""
    case = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="send",
        title="Harrison / Leeds City Council",
        lead_mediator=service.mediator,
    )
    parent, parent_user = _with_login(
        case, service.coordinator, "parent_carer", "Joanne Harrison", "joanne@send.example"
    )
    officer, officer_user = _with_login(
        case,
        service.coordinator,
        "la_officer",
        "Mark Bennett",
        "mark@la.example",
        organisation_name="Leeds City Council",
    )
    school = case_services.participant_add(
        actor=service.coordinator,
        case=case,
        role="school_rep",
        full_name="Anne Fisher",
        email="senco@school.example",
    )
    young, young_user = _with_login(
        case, service.coordinator, "young_person", "Leo Harrison", "leo@send.example"
    )
    return SendStory(case, parent, parent_user, officer, officer_user, school, young, young_user)


def sixteen_year_old_dob() -> dt.date:
    """A date of birth 16 years and a month ago (before the end of compulsory school age)."""
    today = timezone.localdate()
    return today.replace(year=today.year - 16) - dt.timedelta(days=30)


def preliminary(service: Any, story: SendStory, **over: Any) -> Any:
    from accord.send.services import send_record_preliminary

    data: dict[str, Any] = {
        "actor": service.coordinator,
        "case": story.case,
        "la_decision": "plan_contents",
        "decision_notice_date": timezone.localdate() - dt.timedelta(days=10),
        "commissioning_la": "Leeds City Council",
        "child_name": "Leo Harrison",
        "child_date_of_birth": sixteen_year_old_dob(),
        "issues": ["education", "health"],
    }
    data.update(over)
    return send_record_preliminary(**data)


def signed_agreement(service: Any, story: SendStory) -> None:
    packet = journey.agreement_prepared(service.mediator, story.case).packet
    for person in (story.parent, story.officer, story.young):
        journey.sign_online(packet, person)


def prepared(service: Any) -> SendStory:
    """A SEND case with mediation chosen, three attendees, a call logged (`SECRET_CALL`) and a
    parent to speak for the 16-year-old, whose written permission is still needed."""
    story = send_case(service)
    preliminary(service, story)
    case = story.case
    from accord.send import services

    services.send_choice_record(actor=service.coordinator, case=case, wants_mediation=True)
    for person, role, authority in (
        (story.parent, "parent", False),
        (story.school, "school", False),
        (story.officer, "la", True),
    ):
        services.send_attendee_add(
            actor=service.coordinator,
            case=case,
            participant=person,
            attends_as=role,
            authority_confirmed=authority,
        )
    services.send_call_log(
        actor=service.mediator,
        case=case,
        participant=story.parent,
        called_at=timezone.now(),
        summary=SECRET_CALL,
    )
    services.send_preparation_record(
        actor=service.mediator,
        case=case,
        views_representation="Leo's one-page profile.",
        child_joins_part=False,
        parent_speaks_for_young_person=True,
    )
    return story
