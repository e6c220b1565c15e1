"""A case's story told through the real services, one helper per step.

Used by the demo (so that its cases agree with their own records), by the tests of "what is
next", and by the browser journey. Imports no test-only package. Each helper records what a
person would through the pages; the only shortcut is `_backdate`, which moves a booked meeting's
start into the past so that it may be recorded as held (the services book only future times).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from accord.cases.models import Case, Participant

#: A sentence long enough for every "reasons" and "note" field.
REASON = "Recorded for the demonstration of the case's journey."


def future(days: int, hour: int = 10) -> dt.datetime:
    """A working day `days` from now at `hour`:00 local time (the service books on working days,
    so no weekend or bank-holiday warning stands in the way)."""
    from accord.calendar import default_calendar

    calendar = default_calendar()
    day = timezone.localtime(timezone.now()) + dt.timedelta(days=days)
    while not calendar.is_working_day(day.date()):
        day += dt.timedelta(days=1)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _backdate(model: Any, pk: int, when: dt.datetime) -> None:
    """Move a booked meeting's start to `when` (in the story's past) so it may be held."""
    model.objects.filter(pk=pk).update(starts_at=when)


def invite(actor: Any, case: Case, participant: Participant, channel: str = "email") -> Any:
    """Invite the other party; the invitation carries its one-time code as `.secret`."""
    from accord.willingness.services import willingness_invite

    return willingness_invite(actor=actor, case=case, participant=participant, channel=channel)


def answer_willing(invitation: Any) -> Any:
    """The invited person answers through their link that they will attend a MIAM."""
    from accord.willingness.services import willingness_answer

    return willingness_answer(secret=invitation.secret, answer="willing", text="")


def book_miam(
    actor: Any, case: Case, party: Participant, mediator: Any, *, days: int = 7, hour: int = 10
) -> Any:
    """Book a separate video MIAM for one party."""
    from accord.meetings.services.miams import miam_book

    return miam_book(
        actor=actor,
        case=case,
        attendees=[party],
        mediator=mediator,
        starts_at=future(days, hour),
        mode="video",
        place="https://video.example/miam",
    )


def hold_miam(actor: Any, miam: Any, *, days_ago: int = 0) -> Any:
    """Record a MIAM as held, every checklist item covered (its start moved into the past)."""
    from accord.meetings.models import CHECKLIST, Miam
    from accord.meetings.services.miams import miam_record_held

    _backdate(Miam, miam.pk, timezone.now() - dt.timedelta(days=days_ago, hours=1))
    return miam_record_held(actor=actor, miam=miam, covered=[name for name, _ in CHECKLIST])


def screen(actor: Any, miam: Any, participant: Participant) -> Any:
    """Record a party's screening at their MIAM, with nothing of concern."""
    from accord.meetings.services.screening import screening_save

    return screening_save(actor=actor, miam=miam, participant=participant, answers={})


def miams_held_and_screened(
    actor: Any, case: Case, mediator: Any, parties: Sequence[Participant]
) -> list[Any]:
    """Book, hold and screen a separate MIAM for each party, as the mediator does."""
    miams = []
    for index, party in enumerate(parties):
        miam = book_miam(actor, case, party, mediator, days=1 + index)
        hold_miam(mediator, miam, days_ago=len(parties) - index)
        screen(mediator, miam, party)
        miams.append(miam)
    return miams


def decide(mediator: Any, case: Case, route: str = "shuttle", reasons: str = REASON) -> Any:
    """The mediator's suitability decision: joint, shuttle or not suitable (then signposted)."""
    from accord.meetings.services.screening import suitability_decide

    signposting = (
        "Signposted to the court and to support services." if route == "not_suitable" else ""
    )
    return suitability_decide(
        actor=mediator, case=case, route=route, reasons=reasons, signposting=signposting
    )


def agreement_prepared(mediator: Any, case: Case) -> Any:
    """Prepare the Agreement to Mediate for the parties to sign."""
    from accord.agreements.services import agreement_create

    return agreement_create(actor=mediator, case=case)


def sign_online(packet: Any, participant: Participant) -> Any:
    """A party signs a document in the portal, typing their name."""
    from accord.agreements.models import SigningPacket
    from accord.agreements.services import signature_sign_online

    if not isinstance(packet, SigningPacket):
        # An Agreement's own id is not its packet's: pass `agreement.packet`.
        raise TypeError(f"sign_online needs a SigningPacket, not {type(packet).__name__}")

    return signature_sign_online(
        user=participant.user,
        packet=packet,
        typed_name=participant.full_name,
        confirm=True,
        ip="192.0.2.10",
        user_agent="Accord journey",
    )


def book_session(
    mediator: Any,
    case: Case,
    attendees: Sequence[Participant],
    *,
    format: str = "shuttle",
    days: int = 6,
    hour: int = 14,
) -> Any:
    """Book a mediation session by video."""
    from accord.mediation.services import session_book

    return session_book(
        actor=mediator,
        case=case,
        format=format,
        starts_at=future(days, hour),
        mode="video",
        place="https://video.example/session",
        attendees=list(attendees),
        mediators=[mediator],
    )


def start_session(mediator: Any, session: Any) -> Any:
    """Start a session now: ground rules in full and opening accounts at the first one."""
    from accord.mediation.models import FULL_RULES, MediationSession
    from accord.mediation.services import session_start

    _backdate(MediationSession, session.pk, timezone.now())
    first = not session.case.mediation_sessions.filter(number__isnull=False).exists()
    parties = [p for p in session.attendees.all() if p.is_party]
    return session_start(
        actor=mediator,
        session=session,
        ground_rules_restated=True,
        questions_invited=True,
        full_rules=[name for name, _ in FULL_RULES],
        opening_accounts=(
            {p.pk: f"{p.full_name} wants a settled routine." for p in parties} if first else None
        ),
    )


def finish_session(mediator: Any, session: Any) -> Any:
    """Record that everyone attended and end the session."""
    from accord.mediation.services import session_end, session_record_attendance

    session_record_attendance(
        actor=mediator,
        session=session,
        attendance={p.pk: "attended" for p in session.attendees.all()},
    )
    return session_end(actor=mediator, session=session)


def agree_item(
    mediator: Any, case: Case, title: str, wording: str, *, children: bool = True
) -> Any:
    """Put a topic on the agenda and take it through to agreed, in the mediator's words."""
    from accord.agenda.services import agenda_item_change_status, agenda_item_propose

    item = agenda_item_propose(
        actor=mediator,
        case=case,
        title=title,
        topic="child_arrangements" if children else "other",
        issue=title,
        touches_children=children,
    )
    for status in ("exploring", "options", "proposal"):
        agenda_item_change_status(actor=mediator, item=item, to_status=status)
    agenda_item_change_status(actor=mediator, item=item, to_status="agreed", agreed_wording=wording)
    return item


def issue_outcome(mediator: Any, case: Case, kind: str = "mou") -> Any:
    """Draft the written outcome from the agreed items and issue it (an accredited mediator)."""
    from accord.outcomes.services import outcome_draft_create, outcome_issue

    draft = outcome_draft_create(actor=mediator, case=case, kind=kind)
    return outcome_issue(actor=mediator, draft=draft, confirm=True)


def share_outcome(mediator: Any, draft: Any, participants: Sequence[Participant]) -> Any:
    """Share the issued outcome with the parties."""
    from accord.outcomes.services import outcome_share

    return outcome_share(actor=mediator, draft=draft, participants=list(participants))
