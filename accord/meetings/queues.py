"""Work queues from MIAMs: parties with no MIAM, and screenings and suitability decisions due."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.meetings.models import Miam, MiamStatus, Screening, SuitabilityDecision
from accord.organisations.models import Role
from accord.queues.registry import Queue, QueueRow, organisations_where, register

COORDINATORS = frozenset({Role.COORDINATOR})
MEDIATORS = frozenset({Role.MEDIATOR})
MiamAttendee = Miam.attendees.through
#: Stages at which parties are owed a MIAM: after the conflict check, before suitability (later
#: cases have moved on, whatever their records say, and earlier ones are not yet cleared to act).
MIAM_STAGES = ("willingness", "miam")


def mediators_open_cases(user: Any, part: str, action: str = "view_workspace") -> QuerySet[Case]:
    """Open cases where the user is lead or co-mediator, of kinds the part applies to."""
    pk = getattr(user, "pk", None)
    return case_policy.restrict(
        Case.objects.filter(
            Q(lead_mediator_id=pk) | Q(co_mediator_id=pk),
            organisation_id__in=organisations_where(user, MEDIATORS),
            kind__in=kinds.kinds_with(part),
        ).exclude(stage="closed"),
        user,
        action,
    )


def parties_without_miam(user: Any) -> QuerySet[Participant]:
    """Parties with no MIAM booked or held on cases at the MIAM stages, for coordinators."""
    cases = Q(
        organisation_id__in=organisations_where(user, COORDINATORS),
        kind__in=kinds.kinds_with("miam"),
        stage__in=MIAM_STAGES,
    ) & case_policy.case_filter(user, "view_workspace")
    booked_or_held = MiamAttendee.objects.filter(
        participant_id=OuterRef("pk"), miam__status__in=[MiamStatus.BOOKED, MiamStatus.HELD]
    )
    return (
        Participant.objects.filter(case_policy.through("case", cases), role__in=PARTY_ROLES)
        .exclude(Exists(booked_or_held))
        .select_related("case")
        .order_by("case__opened_at", "case_id", "id")
    )


def screenings_to_record(user: Any) -> QuerySet[Any]:
    """Each party at a held MIAM on the mediator's cases whose screening is not recorded."""
    pk = getattr(user, "pk", None)
    cases = (
        (Q(lead_mediator_id=pk) | Q(co_mediator_id=pk))
        & Q(
            organisation_id__in=organisations_where(user, MEDIATORS),
            kind__in=kinds.kinds_with("screening"),
        )
        & ~Q(stage="closed")
        & case_policy.case_filter(user, "view_restricted")
    )
    recorded = Screening.objects.filter(
        miam_id=OuterRef("miam_id"), participant_id=OuterRef("participant_id")
    )
    return (
        MiamAttendee.objects.filter(
            case_policy.through("miam__case", cases),
            miam__status=MiamStatus.HELD,
            participant__role__in=PARTY_ROLES,
        )
        .exclude(Exists(recorded))
        .select_related("miam__case", "participant")
        .order_by("miam__starts_at", "id")
    )


def suitability_to_decide(user: Any) -> QuerySet[Case]:
    """The mediator's cases with a MIAM held and no suitability decision yet."""
    held = Miam.objects.filter(case_id=OuterRef("pk"), status=MiamStatus.HELD)
    decided = SuitabilityDecision.objects.filter(case_id=OuterRef("pk"))
    return (
        mediators_open_cases(user, "suitability")
        .filter(Exists(held))
        .exclude(Exists(decided))
        .order_by("opened_at", "id")
    )


def _party_row(participant: Participant) -> QueueRow:
    return QueueRow(
        label=participant.full_name,
        url=reverse("meetings:book", args=[participant.case_id]),
        case=participant.case,
        detail=f"{participant.get_role_display()}: no MIAM booked or held",
    )


def _screening_row(attendee: Any) -> QueueRow:
    miam = attendee.miam
    return QueueRow(
        label=f"Screen {attendee.participant.full_name}",
        url=reverse("meetings:screening", args=[miam.case_id, miam.pk, attendee.participant_id]),
        case=miam.case,
        detail="MIAM held; no screening recorded",
        when=miam.starts_at,
    )


def _suitability_row(case: Case) -> QueueRow:
    return QueueRow(
        label="Decide whether mediation is suitable",
        url=reverse("meetings:suitability", args=[case.pk]),
        case=case,
        detail=case.get_kind_display(),
        when=case.opened_at,
    )


register(
    Queue(
        code="parties-without-miam",
        title="Parties without a MIAM",
        description="Parties on cases inviting the other party or at the MIAM stage, with no "
        "MIAM booked or held.",
        roles=COORDINATORS,
        sources=lambda user: [parties_without_miam(user)],
        row=_party_row,
        order=30,
        noun=("party", "parties"),
    )
)
register(
    Queue(
        code="screenings-to-record",
        title="Screenings to record",
        description="Parties at MIAMs you held whose screening is not yet recorded.",
        roles=MEDIATORS,
        sources=lambda user: [screenings_to_record(user)],
        row=_screening_row,
        order=60,
        noun=("screening", "screenings"),
    )
)
register(
    Queue(
        code="suitability-to-decide",
        title="Suitability decisions to make",
        description="Your cases with a MIAM held and no decision on whether mediation is suitable.",
        roles=MEDIATORS,
        sources=lambda user: [suitability_to_decide(user)],
        row=_suitability_row,
        order=61,
        noun=("decision", "decisions"),
    )
)
