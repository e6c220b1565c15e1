"""Reads of pre-mediation meetings for a user, through the case policy.

The case's staff see the bookings; only the case's mediators and supervisor read the notes
(`notes_visible`). A party sees their own bookings (when, how, where), never the notes and never
another party's meeting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden
from accord.premediation.models import PreMediationMeeting, PreMediationStatus


def notes_visible(user: Any, case: Case) -> bool:
    """Whether the user may read the mediators' notes of the case's pre-mediation meetings."""
    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id, case.supervisor_id)
        and case_policy.can(user, "view_workspace", case)
    )


def meetings_for_staff(*, user: Any, case: Case) -> list[PreMediationMeeting]:
    """The case's pre-mediation meetings for its staff (read the notes only if `notes_visible`)."""
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    return list(
        PreMediationMeeting.objects.filter(case=case)
        .select_related("participant", "mediator")
        .order_by("starts_at", "id")
    )


def meeting_get_for_staff(*, user: Any, case: Case, meeting_id: Any) -> PreMediationMeeting:
    """One meeting of the case for its staff; NotFoundOrHidden otherwise."""
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such meeting.")
    try:
        return PreMediationMeeting.objects.select_related("participant", "case").get(
            case=case, pk=int(meeting_id)
        )
    except (PreMediationMeeting.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such meeting.") from None


def meeting_for_calendar(*, user: Any, case: Case, meeting_id: Any) -> PreMediationMeeting:
    """A meeting whose calendar file the user may have: the case's staff, or the party it is with.

    NotFoundOrHidden for anyone else (another party never learns the meeting exists).
    """
    if case_policy.can(user, "view_workspace", case):
        return meeting_get_for_staff(user=user, case=case, meeting_id=meeting_id)
    pk = getattr(user, "pk", None)
    if pk is None:
        raise NotFoundOrHidden("No such meeting.")
    try:
        return PreMediationMeeting.objects.select_related("organisation").get(
            case=case,
            pk=int(meeting_id),
            participant__user_id=pk,
            participant__portal_access=True,
        )
    except (PreMediationMeeting.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such meeting.") from None


def meetings_for_party(*, user: Any, case: Case) -> list[dict[str, Any]]:
    """The user's own pre-mediation bookings on the case: when, how long, how and where only."""
    if getattr(user, "pk", None) is None:
        return []
    mine = Participant.objects.filter(case=case, user_id=user.pk, portal_access=True)
    rows = PreMediationMeeting.objects.filter(case=case, participant__in=mine).order_by(
        "starts_at", "id"
    )
    return [
        {
            "id": m.pk,
            "starts_at": m.starts_at,
            "duration_minutes": m.duration_minutes,
            "mode": m.mode,
            "mode_label": m.get_mode_display(),
            "place": m.place,
            "held": m.is_held,
            "status": m.status,
            "status_label": m.get_status_display(),
            "moved": m.is_booked and m.sequence > 0,
        }
        for m in rows
    ]


def meetings_between(
    *, organisation_id: int, start: dt.datetime, end: dt.datetime
) -> QuerySet[PreMediationMeeting]:
    """The service's booked and held pre-mediation meetings starting in [start, end), for a diary
    and the clash check (cancelled and missed ones take no time).

    No notes are needed by a diary: callers should show the time, party, mediator and place.
    """
    return (
        PreMediationMeeting.objects.filter(
            organisation_id=organisation_id,
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=(PreMediationStatus.BOOKED, PreMediationStatus.HELD),
        )
        .select_related("case", "participant", "mediator")
        .order_by("starts_at", "id")
    )
