"""Mediation sessions in "what is next": book the first or next session, start it, record who came.

Parties are told of their own sessions still to come, in plain words.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    reached,
    register_next_steps,
    register_party_actions,
    when_in_words,
)
from accord.mediation.models import (
    MediationSession,
    MediationState,
    MediationStatus,
    SessionAttendance,
    SessionStatus,
)


def _sessions_may_begin(case: Case) -> bool:
    """Whether sessions are the case's business now: its agreement signed or the stage reached."""
    workflow = case.workflow
    if workflow.has_stage("arranging"):  # SEND: the meeting is arranged from the start
        return reached(case, "arranging")
    if reached(case, "mediation") or reached(case, "preparation"):
        return True
    from accord.agreements.gate import current_agreement_packet, unsigned_required

    return current_agreement_packet(case) is not None and not unsigned_required(case)


def session_steps(case: Case) -> list[NextStep]:
    """What the sessions need next, from the sessions themselves and the mediation's status."""
    status = MediationStatus.objects.filter(case=case).first()
    if status is not None and status.state == MediationState.ENDED:
        return []
    if reached(case, "outcome") or not _sessions_may_begin(case):
        return []
    now = timezone.now()
    sessions = list(MediationSession.objects.filter(case=case).order_by("starts_at", "id"))
    steps: list[NextStep] = []

    def at(session: MediationSession, name: str = "session") -> str:
        return reverse(f"mediation:{name}", kwargs={"case_pk": case.pk, "session_pk": session.pk})

    recorded = set(
        SessionAttendance.objects.filter(session__case=case).values_list("session_id", flat=True)
    )
    for session in sessions:
        when = when_in_words(session.starts_at)
        if session.status == SessionStatus.IN_PROGRESS:
            steps.append(
                NextStep(
                    f"The session of {when} is in progress: record attendance and end it.",
                    "sessions",
                    at(session),
                )
            )
        elif session.status == SessionStatus.BOOKED and session.starts_at <= now:
            steps.append(NextStep(f"Start the session booked for {when}.", "sessions", at(session)))
        elif session.status == SessionStatus.HELD and session.pk not in recorded:
            steps.append(
                NextStep(
                    f"Record who attended the session of {when}.",
                    "sessions",
                    at(session, "attendance"),
                )
            )
    upcoming = [s for s in sessions if s.status == SessionStatus.BOOKED and s.starts_at > now]
    book = reverse("mediation:book", kwargs={"case_pk": case.pk})
    if upcoming:
        first = upcoming[0]
        steps.append(
            NextStep(
                f"Next session: {first.get_format_display().lower()} on "
                f"{when_in_words(first.starts_at)}.",
                "sessions",
                at(first),
            )
        )
    elif not any(s.status in (SessionStatus.HELD, SessionStatus.IN_PROGRESS) for s in sessions):
        steps.append(NextStep("Book the first mediation session.", "sessions", book))
    elif not any(s.status == SessionStatus.IN_PROGRESS for s in sessions):
        steps.append(
            NextStep(
                "Book the next session, or end the mediation if the parties are done.",
                "sessions",
                book,
            )
        )
    return steps


def session_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """The party's own next session, in plain words."""
    upcoming = (
        MediationSession.objects.filter(
            case=case,
            attendees=participant,
            status=SessionStatus.BOOKED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at", "id")
        .first()
    )
    if upcoming is None:
        return []
    return [
        PartyAction(
            f"Your next mediation session is on {when_in_words(upcoming.starts_at)}.",
            "sessions",
            reverse("portal:case", kwargs={"pk": case.pk}) + "#sessions-heading",
        )
    ]


register_next_steps("sessions", session_steps)
register_party_actions("sessions", session_actions)
