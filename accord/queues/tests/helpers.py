"""Rows that put items into each queue, made directly so that tests can make many cheaply."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from accord.cases import services as case_services
from accord.cases.models import Case, Participant
from accord.deadlines.models import Deadline
from accord.intake.models import Enquiry
from accord.mediation.models import MediationSession
from accord.meetings.models import Miam, Screening, SuitabilityDecision
from accord.outcomes.models import OutcomeDraft
from accord.willingness.models import WillingnessInvitation


def open_case(service: Any, *, kind: str = "family_children", lead: Any = None, **kw: Any) -> Case:
    """A new open case in the service, led by the given mediator (the first one by default)."""
    return case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind=kind,
        title=kw.pop("title", "Green / White"),
        lead_mediator=lead or service.mediator,
        **kw,
    )


def party(case: Case, name: str = "Pat Party") -> Participant:
    """A party on the case (no portal login)."""
    return Participant.objects.create(
        organisation_id=case.organisation_id, case=case, role="party", full_name=name
    )


def enquiry(case: Case, **kw: Any) -> Enquiry:
    """An enquiry for the case, with no conflict decision unless given one."""
    data: dict[str, Any] = {
        "organisation_id": case.organisation_id,
        "case": case,
        "source": "public",
        "urgency": "routine",
        "submitted_at": timezone.now(),
    }
    data.update(kw)
    return Enquiry.objects.create(**data)


def invitation(case: Case, participant: Participant, status: str = "invited") -> Any:
    """An invitation to the participant in this status."""
    return WillingnessInvitation.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        participant=participant,
        channel="email",
        secret_hash=secrets.token_hex(32),
        sent_at=timezone.now(),
        respond_by=timezone.localdate() + dt.timedelta(days=14),
        status=status,
    )


def miam(
    case: Case, mediator: Any, attendees: list[Participant], *, status: str = "booked", **kw: Any
) -> Miam:
    """A MIAM of the case with these attendees."""
    row = Miam.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        mediator=mediator,
        starts_at=kw.pop("starts_at", timezone.now() + dt.timedelta(hours=1)),
        mode="video",
        place="https://video.example/room",
        status=status,
        **kw,
    )
    row.attendees.set(attendees)
    return row


def screening(held: Miam, participant: Participant, by: Any) -> Screening:
    """A recorded screening for the participant at the MIAM."""
    return Screening.objects.create(
        organisation_id=held.organisation_id,
        case_id=held.case_id,
        miam=held,
        participant=participant,
        recorded_by=by,
    )


def suitability(case: Case, by: Any) -> SuitabilityDecision:
    """A suitability decision on the case."""
    return SuitabilityDecision.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        route="joint",
        reasons="Both able to take part.",
        decided_by=by,
        decided_at=timezone.now(),
    )


def session(case: Case, mediators: list[Any], starts_at: dt.datetime, **kw: Any) -> Any:
    """A booked joint session of the case with these mediators."""
    row = MediationSession.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        format="joint",
        starts_at=starts_at,
        mode="video",
        place="https://video.example/session",
        **kw,
    )
    row.mediators.set(mediators)
    return row


def outcome(case: Case, drafted_by: Any, status: str = "draft", kind: str = "mou") -> OutcomeDraft:
    """A written outcome of the case in this status."""
    return OutcomeDraft.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        status=status,
        drafted_by=drafted_by,
    )


def deadline(case: Case, owner: Any, *, visibility: str = "case", **kw: Any) -> Deadline:
    """An open deadline on the case."""
    return Deadline.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        rule_code="test.rule",
        title=kw.pop("title", "Send the summary"),
        due_at=kw.pop("due_at", timezone.now() + dt.timedelta(days=2)),
        owner=owner,
        visibility=visibility,
        **kw,
    )
