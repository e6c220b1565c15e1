"""Work queues of mediation: a mediator's MIAMs and sessions today and this week, and the
suitability overrides a supervisor's supervisees made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accord.cases import policy as case_policy
from accord.cases.workspace import section_url
from accord.mediation.models import MediationSession, SessionStatus, SuitabilityOverride
from accord.meetings.models import Miam, MiamStatus
from accord.organisations.models import MediatorProfile, Role
from accord.queues.registry import Queue, QueueRow, organisations_where, register

MEDIATORS = frozenset({Role.MEDIATOR})


def _window(days: int) -> tuple[dt.datetime, dt.datetime]:
    """From the start of today (Europe/London) to the start of the day `days` later."""
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(today + dt.timedelta(days=days), dt.time.min, tzinfo=tz)
    return start, end


def _visible_cases(user: Any) -> Q:
    """A join condition (on `case`) for the cases the user may open as a mediator."""
    cases = Q(organisation_id__in=organisations_where(user, MEDIATORS)) & case_policy.case_filter(
        user, "view_workspace"
    )
    return case_policy.through("case", cases)


def appointments(user: Any, days: int) -> list[QuerySet[Any]]:
    """The mediator's booked MIAMs and their sessions starting within `days` days from today."""
    start, end = _window(days)
    pk = int(user.pk)
    cases = _visible_cases(user)
    miams = (
        Miam.objects.filter(
            cases,
            mediator_id=pk,
            status=MiamStatus.BOOKED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("case")
        .order_by("starts_at", "id")
    )
    mediating = MediationSession.mediators.through.objects.filter(
        mediationsession_id=OuterRef("pk"), user_id=pk
    )
    sessions = (
        MediationSession.objects.filter(
            cases,
            Exists(mediating),
            status__in=[SessionStatus.BOOKED, SessionStatus.IN_PROGRESS],
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("case")
        .order_by("starts_at", "id")
    )
    return [miams, sessions]


def _appointment_row(item: Any) -> QueueRow:
    if isinstance(item, Miam):
        return QueueRow(
            label="MIAM",
            url=reverse("cases:detail", args=[item.case_id]) + f"#miam-{item.pk}",
            case=item.case,
            detail=f"{item.get_mode_display()}, {item.duration_minutes} minutes",
            when=item.starts_at,
        )
    return QueueRow(
        label=f"{item.get_format_display()}",
        url=reverse("mediation:session", args=[item.case_id, item.pk]),
        case=item.case,
        detail=f"{item.get_mode_display()}, {item.duration_minutes} minutes",
        when=item.starts_at,
        flag="In progress" if item.status == SessionStatus.IN_PROGRESS else "",
    )


def _by_time(row: QueueRow) -> Any:
    return row.when


register(
    Queue(
        code="appointments-today",
        title="Your appointments today",
        description="MIAMs and mediation sessions you hold today.",
        roles=MEDIATORS,
        sources=lambda user: appointments(user, 1),
        row=_appointment_row,
        sort_key=_by_time,
        order=50,
        noun=("appointment", "appointments"),
    )
)
register(
    Queue(
        code="appointments-this-week",
        title="Your appointments this week",
        description="MIAMs and mediation sessions you hold today and in the next six days.",
        roles=MEDIATORS,
        sources=lambda user: appointments(user, 7),
        row=_appointment_row,
        sort_key=_by_time,
        order=51,
        noun=("appointment", "appointments"),
    )
)


# Suitability overrides: the supervisor sees those made by their supervisees ----------------

SUPERVISORS = frozenset({Role.SUPERVISOR})


def supervisee_overrides(user: Any) -> QuerySet[SuitabilityOverride]:
    """Overrides on cases the user supervises or made by mediators they supervise (PPC), on
    open cases the user may open; newest first. The reason stays on the case (it may quote
    screening): the list names the case, who overrode and the route overridden."""
    pk = getattr(user, "pk", None)
    cases = (
        Q(organisation_id__in=organisations_where(user, SUPERVISORS))
        & ~Q(stage="closed")
        & case_policy.case_filter(user, "view_workspace")
    )
    supervises_maker = MediatorProfile.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        user_id=OuterRef("made_by_id"),
        supervisor_id=pk,
    )
    return (
        SuitabilityOverride.objects.filter(
            Q(case__supervisor_id=pk) | Exists(supervises_maker),
            case_policy.through("case", cases),
        )
        .exclude(made_by_id=pk)
        .select_related("case", "made_by")
        .order_by("-made_at", "-id")
    )


def _override_row(override: SuitabilityOverride) -> QueueRow:
    return QueueRow(
        label=f"Override of a {override.decision_route.replace('_', ' ')} decision",
        url=section_url(override.case, "preparation"),
        case=override.case,
        detail=f"By {override.made_by.full_name}",
        when=override.made_at,
    )


register(
    Queue(
        code="supervisee-overrides",
        title="Suitability overrides by your supervisees",
        description="Sessions allowed against a suitability decision, with a recorded reason.",
        roles=SUPERVISORS,
        sources=lambda user: [supervisee_overrides(user)],
        row=_override_row,
        order=72,
        noun=("override", "overrides"),
    )
)
