"""Reads of sessions, notes and the mediation's status for a user, through the case policy.

Who sees what (DOMAIN.md section 3):
- the case's staff (`view_workspace`) see every session, its attendance and shared summaries;
- private notes, and the opening accounts of a shuttle session (said in a party's own room),
  only the case's mediators and supervisor;
- a party (portal participant) sees the sessions they attend and the case's shared summaries,
  never a private note or an opening account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accord.calendar.arithmetic import london_date
from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden
from accord.mediation.metrics import MediationMetrics, compute_metrics
from accord.mediation.models import (
    AGREED,
    MediationSession,
    MediationState,
    MediationStatus,
    MediationStatusEvent,
    NoteKind,
    OpeningAccount,
    SessionFormat,
    SessionNote,
    SessionStatus,
)


def can_read_private(user: Any, case: Case) -> bool:
    """The case's mediators and supervisor: private notes and shuttle opening accounts."""
    uid = getattr(user, "pk", None)
    return (
        uid is not None and uid in case.team_ids and case_policy.can(user, "view_workspace", case)
    )


def portal_participants(user: Any, case: Case) -> list[Participant]:
    """The user's own portal participations in the case (none for staff or strangers)."""
    if getattr(user, "pk", None) is None:
        return []
    return list(case.participants.filter(user_id=user.pk, portal_access=True))


def session_list_for(*, user: Any, case: Case) -> QuerySet[MediationSession]:
    """Staff: every session of the case. A party: the sessions they attend. Others: none."""
    base = (
        MediationSession.objects.filter(case=case)
        .prefetch_related("attendees", "mediators")
        .order_by("starts_at", "id")
    )
    if case_policy.can(user, "view_workspace", case):
        return base
    mine = portal_participants(user, case)
    if mine:
        return base.filter(attendees__in=mine).distinct()
    return MediationSession.objects.none()


def session_get_for(*, user: Any, case: Case, session_id: Any) -> MediationSession:
    """One session of the case the user may see; NotFoundOrHidden otherwise."""
    try:
        return session_list_for(user=user, case=case).get(pk=int(session_id))
    except (MediationSession.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such session.") from None


def upcoming_for_party(
    *, user: Any, case: Case, mine: list[Participant] | None = None
) -> list[MediationSession]:
    """A portal participant's booked sessions still to come, soonest first.

    `mine` (the user's own participations, from `portal_participants`) saves a query.
    """
    mine = portal_participants(user, case) if mine is None else mine
    if not mine:
        return []
    return list(
        MediationSession.objects.filter(
            case=case,
            attendees__in=mine,
            status=SessionStatus.BOOKED,
            starts_at__gte=timezone.now(),
        )
        .distinct()
        .order_by("starts_at", "id")
    )


def notes_for(
    *, user: Any, case: Case, mine: list[Participant] | None = None
) -> QuerySet[SessionNote]:
    """Notes the user may read: private ones for the case team, shared summaries for staff and
    the case's parties (not other portal participants); nothing for anyone else."""
    notes = SessionNote.objects.filter(case=case).select_related("session", "author")
    if can_read_private(user, case):
        return notes
    if case_policy.can(user, "view_workspace", case):
        return notes.filter(kind=NoteKind.SHARED_SUMMARY)
    mine = portal_participants(user, case) if mine is None else mine
    if any(p.is_party for p in mine):
        return notes.filter(kind=NoteKind.SHARED_SUMMARY)
    return SessionNote.objects.none()


def opening_accounts_for(*, user: Any, session: MediationSession) -> list[OpeningAccount]:
    """Opening accounts: joint ones for the case's staff; shuttle ones (said in a party's own
    room) for the case's mediators and supervisor only; never for parties."""
    case = session.case
    if session.format == SessionFormat.SHUTTLE:
        allowed = can_read_private(user, case)
    else:
        allowed = case_policy.can(user, "view_workspace", case)
    if not allowed:
        return []
    return list(session.opening_accounts.select_related("participant"))


def status_for(*, user: Any, case: Case) -> MediationStatus | None:
    """The mediation's status for the case's staff (None until anything happened, or hidden)."""
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    return MediationStatus.objects.filter(case=case).first()


def status_history_for(*, user: Any, case: Case) -> list[MediationStatusEvent]:
    """Every pause, end and reopening, oldest first, for the case's staff."""
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    return list(MediationStatusEvent.objects.filter(case=case).select_related("actor"))


def metrics_for(
    *, user: Any, case: Case, sessions: list[MediationSession] | None = None
) -> MediationMetrics:
    """Sessions held and days from first contact to agreement, for the case's staff.

    First contact is the day the intake enquiry arrived if the case came through intake,
    otherwise the day the case was opened; agreement is when the mediation last ended in
    agreement or partial agreement. Days are counted in London, first contact not counted.
    `sessions` (the case's sessions, already fetched by the caller) saves a query.
    """
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    status = MediationStatus.objects.filter(case=case).first()
    if sessions is None:
        held = MediationSession.objects.filter(case=case, status=SessionStatus.HELD).count()
    else:
        held = sum(1 for s in sessions if s.status == SessionStatus.HELD)
    return metrics_from(case=case, sessions_held=held, status=status)


def metrics_from(
    *, case: Case, sessions_held: int, status: MediationStatus | None
) -> MediationMetrics:
    """The figures from what the caller has already read (no policy check: callers check)."""
    from accord.deadlines.selectors import calendar_for
    from accord.intake.models import Enquiry

    enquiry = Enquiry.objects.filter(case=case).only("submitted_at").first()
    first = london_date(enquiry.submitted_at if enquiry else case.opened_at)
    agreed = None
    if (
        status is not None
        and status.state == MediationState.ENDED
        and status.end_reason in AGREED
        and status.ended_at is not None
    ):
        agreed = london_date(status.ended_at)
    calendar = calendar_for(case.organisation)
    return compute_metrics(
        sessions_held=sessions_held,
        first_contact=first,
        agreement=agreed,
        working_days_between=calendar.working_days_between,
    )
