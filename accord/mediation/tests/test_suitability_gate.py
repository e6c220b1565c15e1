"""The suitability gate through the real services: sessions, rooms, override, repeat screening."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.core.errors import NotPermitted, ValidationFailed
from accord.deadlines.models import OutboundEmail
from accord.mediation import suitability
from accord.mediation.models import MediationSession, SessionStatus, SuitabilityOverride
from accord.mediation.tests.helpers import book, party, start
from accord.meetings import services as meeting_services
from accord.meetings.models import (
    Miam,
    MiamStatus,
    ScreeningAlert,
    SuitabilityDecision,
)
from accord.rooms import services as room_services
from accord.rooms.models import Message
from accord.testing.factories import party_with_login, ready_for_sessions

pytestmark = [pytest.mark.django_db, pytest.mark.no_suitability]


def decide(service: Any, route: str, case: Any = None) -> SuitabilityDecision:
    case = case or service.case
    return meeting_services.suitability_decide(
        actor=case.lead_mediator,
        case=case,
        route=route,
        reasons="Reasons for the decision.",
        signposting="The National Domestic Abuse Helpline and the family court."
        if route == "not_suitable"
        else "",
    )


def hold_miams(service: Any, *names: str) -> None:
    miam = Miam.objects.create(
        organisation=service.organisation,
        case=service.case,
        mediator=service.mediator,
        starts_at=timezone.now(),
        mode="video",
        place="https://video.example/miam",
        status=MiamStatus.HELD,
    )
    miam.attendees.set([party(service, n) for n in names])


def rooms(case: Any) -> dict[Any, Any]:
    return {r.party_id: r for r in room_services.rooms_ensure(case=case)}


def refused(call: Any, *words: str) -> str:
    with pytest.raises(ValidationFailed) as exc:
        call()
    text = exc.value.message + " ".join(
        " ".join(v) for v in (exc.value.field_errors or {}).values()
    )
    for word in words:
        assert word in text
    return text


# Sessions


def test_no_session_without_a_decision(service: Any) -> None:
    hold_miams(service, "Alice Smith", "Bob Jones")
    refused(lambda: book(service, format="shuttle"), "Record the suitability decision")
    assert not MediationSession.objects.exists()


def test_family_sessions_wait_for_every_partys_miam(service: Any) -> None:
    decide(service, "joint")
    hold_miams(service, "Alice Smith")
    refused(lambda: book(service), "MIAM", "Bob Jones")
    hold_miams(service, "Bob Jones")
    assert book(service).format == "joint"


def test_not_suitable_refuses_every_session_and_records_signposting(service: Any) -> None:
    hold_miams(service, "Alice Smith", "Bob Jones")
    decision = decide(service, "not_suitable")
    assert "Helpline" in decision.signposting
    for fmt in ("joint", "shuttle"):
        refused(lambda fmt=fmt: book(service, format=fmt), "not suitable")
    assert not MediationSession.objects.exists()


def test_shuttle_refuses_joint_booking_and_start(service: Any) -> None:
    hold_miams(service, "Alice Smith", "Bob Jones")
    decide(service, "joint")
    joint = book(service)
    decide(service, "shuttle")
    refused(lambda: book(service, format="joint"), "shuttle mediation", "joint session")
    refused(lambda: start(service, joint), "joint session")
    joint.refresh_from_db()
    assert joint.status == SessionStatus.BOOKED and joint.started_at is None
    shuttle = book(service, format="shuttle")
    assert start(service, shuttle).status == SessionStatus.IN_PROGRESS


def test_general_kinds_need_a_decision_but_no_miam(service: Any) -> None:
    civil = service.cases["civil"]
    carol = civil.participants.get()
    data = {
        "actor": service.coordinator,
        "case": civil,
        "format": "joint",
        "starts_at": timezone.now() + dt.timedelta(days=3),
        "mode": "video",
        "place": "https://video.example/civil",
        "attendees": [carol],
        "mediators": [service.mediator2],
    }
    refused(lambda: book(service, **data), "suitability decision")
    decide(service, "joint", civil)
    assert book(service, **data).case_id == civil.pk


def test_send_is_not_gated_by_suitability_and_refuses_what_does_not_apply(service: Any) -> None:
    send = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="send",
        title="SEND appeal",
        lead_mediator=service.mediator,
    )
    parent, _ = party_with_login(
        send, actor=service.coordinator, name="Dana Parent", email="dana@send.example"
    )
    data = {
        "case": send,
        "attendees": [parent],
        "place": "https://video.example/send",
    }
    assert book(service, **data).format == "joint"
    refused(lambda: book(service, format="shuttle", **data), "not offered")
    refused(lambda: decide(service, "joint", send), "Suitability decisions apply only")


# Rooms


def test_shuttle_closes_the_joint_room_to_parties_only(service: Any) -> None:
    ready_for_sessions(service.case, route="shuttle")
    found = rooms(service.case)
    alice = service.parties["alice"]
    refused(
        lambda: room_services.message_post(actor=alice, room=found[None], body="Hello Bob"),
        "joint room is not open",
    )
    assert not Message.objects.filter(body="Hello Bob").exists()
    own = found[party(service).pk]
    assert room_services.message_post(actor=alice, room=own, body="Just to you").pk
    assert room_services.message_post(actor=service.mediator, room=found[None], body="Staff").pk


def test_not_suitable_closes_every_room_to_parties(service: Any) -> None:
    ready_for_sessions(service.case, route="not_suitable")
    found = rooms(service.case)
    alice = service.parties["alice"]
    for room in (found[None], found[party(service).pk]):
        text = refused(
            lambda room=room: room_services.message_post(actor=alice, room=room, body="Hi"),
            "cannot be sent",
        )
        assert "suitab" not in text.lower() and "screen" not in text.lower()
    assert not Message.objects.exists()


def test_joint_decision_opens_the_joint_room(service: Any) -> None:
    ready_for_sessions(service.case)
    found = rooms(service.case)
    assert room_services.message_post(actor=service.parties["bob"], room=found[None], body="Hi").pk


# Override


def test_trainee_cannot_override(service: Any) -> None:
    ready_for_sessions(service.case, route="shuttle")
    case_services.case_assign_team(
        actor=service.coordinator,
        case=service.case,
        lead_mediator=service.mediator,
        co_mediator=service.mediator2,
        supervisor=service.supervisor,
    )
    with pytest.raises(NotPermitted):
        suitability.override_record(actor=service.mediator2, case=service.case, reason="Because")
    assert not SuitabilityOverride.objects.exists()


def test_accredited_override_lifts_the_gate_while_its_decision_is_current(service: Any) -> None:
    ready_for_sessions(service.case, route="shuttle")
    refused(
        lambda: suitability.override_record(actor=service.mediator, case=service.case, reason=" "),
        "Give the reason",
    )
    override = suitability.override_record(
        actor=service.mediator, case=service.case, reason="Both parties asked; co-working."
    )
    event = AuditEvent.objects.get(action="suitability.overridden")
    assert event.details["override_id"] == override.pk
    assert "co-working" not in str(event.details)
    assert book(service).format == "joint"
    assert list(suitability.overrides_for_supervisor(service.supervisor)) == [override]
    assert not suitability.overrides_for_supervisor(service.mediator2).exists()
    # A revised decision ends the override.
    decide(service, "shuttle")
    refused(lambda: book(service), "joint session")


def test_override_needs_a_decision(service: Any) -> None:
    refused(
        lambda: suitability.override_record(actor=service.mediator, case=service.case, reason="x"),
        "no suitability decision",
    )


# Repeat screening


SERIOUS = {"physical_abuse": "yes"}


def test_repeat_screening_alerts_and_blocks_until_a_new_decision(service: Any) -> None:
    ready_for_sessions(service.case)
    alice = party(service)
    calm = meeting_services.screening_repeat(
        actor=service.mediator, case=service.case, participant=alice, answers={}
    )
    assert calm.miam_id is None and not ScreeningAlert.objects.exists()
    second = meeting_services.screening_repeat(
        actor=service.mediator, case=service.case, participant=alice, answers=SERIOUS
    )
    assert alice.screenings.count() == 2
    alert = ScreeningAlert.objects.get()
    assert alert.screening == second and alert.suggested_route == "not_suitable"
    email = OutboundEmail.objects.get(to_email=service.mediator.email)
    assert service.case.reference in email.subject + email.body
    assert "physical" not in (email.subject + email.body).lower()
    assert "Alice" not in email.subject + email.body
    refused(lambda: book(service, format="shuttle"), "newer screening")
    decide(service, "shuttle")
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert book(service, format="shuttle").format == "shuttle"


def test_screening_no_stricter_than_decision_raises_no_alert(service: Any) -> None:
    ready_for_sessions(service.case, route="not_suitable")
    meeting_services.screening_repeat(
        actor=service.mediator, case=service.case, participant=party(service), answers=SERIOUS
    )
    assert not ScreeningAlert.objects.exists()


def test_repeat_screening_is_restricted(service: Any) -> None:
    from accord.core.errors import NotFoundOrHidden

    with pytest.raises(NotFoundOrHidden):
        meeting_services.screening_repeat(
            actor=service.coordinator,
            case=service.case,
            participant=party(service),
            answers={},
        )
