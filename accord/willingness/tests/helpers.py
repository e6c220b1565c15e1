"""Helpers for the willingness tests: the family case's parties and a sent invitation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.cases.models import Participant
from accord.intake.models import Enquiry, EnquirySource, Urgency
from accord.willingness import services
from accord.willingness.models import WillingnessInvitation


def party(service: Any, name: str = "Bob Jones") -> Participant:
    """One of the family case's parties (Bob is the other party; Alice enquired)."""
    return Participant.objects.get(case=service.case, full_name=name)


def invite(service: Any, channel: str = "email", **overrides: Any) -> WillingnessInvitation:
    """Invite Bob on the family case as the coordinator; the result carries `.secret`."""
    data: dict[str, Any] = {
        "actor": service.coordinator,
        "case": service.case,
        "participant": party(service),
        "channel": channel,
    }
    data.update(overrides)
    return services.willingness_invite(**data)


def enquiry_says_not_safe(service: Any, participant: Participant) -> Enquiry:
    """Give the family case the enquiry that opened it, saying the person is not safe to contact."""
    return Enquiry.objects.create(
        organisation=service.organisation,
        case=service.case,
        source=EnquirySource.STAFF,
        issues=["child_arrangements"],
        urgency=Urgency.ROUTINE,
        other_parties_safe={str(participant.pk): "no"},
        submitted_at=timezone.now(),
    )


def overdue(invitation: WillingnessInvitation, days: int = 1) -> None:
    """Move an invitation's respond-by date into the past, as if the time had gone by."""
    WillingnessInvitation.objects.filter(pk=invitation.pk).update(
        respond_by=timezone.localdate() - dt.timedelta(days=days)
    )
