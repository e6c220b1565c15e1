"""Helpers for the safeguarding tests: a settable clock and a worked safeguarding record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accord.cases.models import Participant
from accord.safeguarding import services
from accord.safeguarding.models import Referral, SafeguardingConcern, ThresholdDecision

LONDON = ZoneInfo("Europe/London")

#: Words that must never reach a party: they are only ever typed into the safeguarding record.
ALLEGATION = "Zebedee-alleged-bruising-on-arm"
SUBJECT = "Pollyanna Smith-Jones"
AGENCY = "Quillshire Childrens Social Work Service"
AREA = "Quillshire County Council"
REFERENCE = "QREF-778812"
SHARED = "Shared-the-Zebedee-disclosure-in-full"
INVESTIGATION_REF = "S47-INV-4411"


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    """An aware Europe/London moment."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


class Clock:
    """Stands in for `django.utils.timezone.now` so tests can put "now" on a chosen day."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment


def parent(service: Any, name: str = "Alice Smith") -> Participant:
    """One of the family case's parents."""
    return Participant.objects.get(case=service.case, full_name=name)


def raise_concern(service: Any, actor: Any = None, **overrides: Any) -> SafeguardingConcern:
    """Raise a concern on the family case with distinctive, searchable text."""
    data: dict[str, Any] = {
        "source": "screening",
        "allegation": ALLEGATION,
        "subject_kind": "child",
        "subject_name": SUBJECT,
        "alleged_by": "Alice Smith, at her MIAM",
        "alleged_against": "Bob Jones",
        "immediate_danger": False,
        "action_taken": "",
    }
    data.update(overrides)
    return services.concern_raise(actor=actor or service.mediator, case=service.case, **data)


def decide(
    service: Any, concern: SafeguardingConcern, *, met: bool = True, **overrides: Any
) -> ThresholdDecision:
    """The family case's mediator decides, having consulted the supervisor."""
    data: dict[str, Any] = {
        "consulted": service.supervisor,
        "threshold_met": met,
        "referral_needed": met,
        "reasons": "Consistent account of injury; likely significant harm.",
    }
    data.update(overrides)
    return services.threshold_decide(actor=service.mediator, concern=concern, **data)


def offer(service: Any, concern: SafeguardingConcern) -> Referral:
    """Offer Alice the self-referral."""
    return services.self_referral_offer(
        actor=service.mediator, concern=concern, parent=parent(service)
    )


def record_referral(service: Any, concern: SafeguardingConcern, actor: Any = None) -> Referral:
    """The service's own referral, with distinctive text."""
    return services.referral_record(
        actor=actor or service.mediator,
        concern=concern,
        agency=AGENCY,
        area=AREA,
        referred_at=timezone.now(),
        reference=REFERENCE,
        referred_by_name="ACC Mediator",
        contact_name="Duty team",
        information_shared=SHARED,
    )


@dataclass
class Worked:
    """A full safeguarding record on the family case."""

    concern: SafeguardingConcern
    decision: ThresholdDecision
    self_referral: Referral
    referral: Referral


def full_workflow(service: Any, clock: Clock) -> Worked:
    """Raise, decide, offer, let the offer lapse, refer, pause: everything a party must not see."""
    clock.set(london(2026, 12, 18, 14, 0))
    concern = raise_concern(service, immediate_danger=True, action_taken="999 called at 14:05")
    clock.set(london(2026, 12, 18, 15, 0))
    decision = decide(service, concern)
    self_referral = offer(service, concern)
    clock.set(london(2026, 12, 21, 10, 1))
    services.self_referrals_lapse_due()
    self_referral.refresh_from_db()
    referral = record_referral(service, concern)
    services.disclosure_record(
        actor=service.safeguarding_lead,
        case=service.case,
        concern=concern,
        legal_basis="adult_at_risk",
        information_shared=SHARED,
        recipient_name="PC Plum",
        recipient_organisation="Quillshire Police",
        disclosed_at=timezone.now(),
    )
    services.investigation_open(
        actor=service.mediator,
        concern=concern,
        investigating_agency=AGENCY,
        investigation_reference=INVESTIGATION_REF,
        reasons=f"Section 47 enquiry about {SUBJECT}",
    )
    return Worked(concern, decision, self_referral, referral)
