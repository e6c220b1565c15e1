"""Demo story: the steps of a general mediation (pre-mediation meetings, then proposals).

Riverside's workplace case (Taylor / Singh) holds a pre-mediation meeting with each party, whose
notes stay with the mediators; then the agenda's first item is settled by a proposal, a
counter-proposal and an acceptance, and a second proposal waits for Chris Taylor's answer.
Hillside's community case has a pre-mediation meeting booked with Kasia Novak, shown in her
portal. Each step happens on its story day (the meetings a week ago, the proposals since).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from accord.agenda import proposals
from accord.agenda.services import agenda_item_propose
from accord.cases.models import Case, Participant
from accord.cases.services import case_change_stage
from accord.demo.clock import story_moment
from accord.premediation.models import PreMediationMeeting
from accord.premediation.services import premediation_meeting_book, premediation_notes_record

#: Who the mediator met, when (days ago), and what they heard: one row per meeting.
_MEETINGS = (
    (
        "Chris Taylor",
        6,
        "Feels Anita questions his decisions in front of the team.",
        "Clear deadlines and a team that works together again.",
        "Being seen as a bully by HR.",
        "A weekly catch-up and agreed ways to raise disagreement.",
    ),
    (
        "Anita Singh",
        5,
        "Deadlines change without notice and her work is redone without a word.",
        "To be told early when plans change; credit for her work.",
        "That speaking up will count against her at review.",
        "Written deadlines and a say in how work is shared.",
    ),
)


def _party(case: Case, name: str) -> Participant:
    return Participant.objects.get(case=case, full_name=name)


def _book_meeting(case: Case, name: str, days_ago: int) -> PreMediationMeeting:
    """Booked three days before it is held, as a coordinator would."""
    mediator = case.lead_mediator
    return premediation_meeting_book(
        actor=mediator,
        case=case,
        participant=_party(case, name),
        mediator=mediator,
        starts_at=story_moment(days_ago=days_ago, at="10:00"),
        mode="video",
        place="https://video.example/riverside-premediation",
    )


def workplace_steps(workplace: Case, give_login: Any, on: Callable[..., object]) -> None:
    """Taylor / Singh on its story days: the individual meetings (booked, held, notes), the
    move to the Agreement to Mediate, then the proposals of the last few days. ``on(days_ago,
    at)`` moves the demo's clock; `give_login` links a party to a demo portal login."""
    mediator = workplace.lead_mediator
    meetings = []
    for row in _MEETINGS:
        on(row[1] + 3, "14:00")
        meetings.append((_book_meeting(workplace, row[0], row[1]), row))
    for meeting, (_name, days_ago, perspective, goals, concerns, ideas) in meetings:
        on(days_ago, "11:15")
        premediation_notes_record(
            actor=mediator,
            meeting=meeting,
            perspective=perspective,
            goals=goals,
            concerns=concerns,
            ideas=ideas,
        )
    on(5, "15:00")
    case_change_stage(
        actor=mediator,
        case=workplace,
        to_stage="agreement",
        reason="Individual meetings held: suitable.",
    )
    chris, anita = _party(workplace, "Chris Taylor"), _party(workplace, "Anita Singh")
    on(4, "09:30")
    for person in (chris, anita):
        give_login(person, mediator)
    chris.refresh_from_db()
    anita.refresh_from_db()
    deadlines = agenda_item_propose(
        actor=mediator,
        case=workplace,
        title="How changes to deadlines are shared",
        topic="other",
        issue="Deadlines change and not everyone hears in time.",
    )
    on(3, "12:40")
    first = proposals.agenda_proposal_make(
        actor=chris.user,
        item=deadlines,
        text="I will email the team whenever a deadline changes.",
    )
    on(2, "16:05")
    counter = proposals.agenda_proposal_answer(
        actor=anita.user,
        proposal=first,
        answer="counter",
        counter_text=(
            "Chris emails the team within one working day of any deadline change, and we "
            "review the month's deadlines together every Monday."
        ),
    ).counter
    assert counter is not None
    on(1, "10:20")
    proposals.agenda_proposal_answer(actor=chris.user, proposal=counter, answer="accept")
    credit = agenda_item_propose(
        actor=mediator,
        case=workplace,
        title="Credit for work and changes to it",
        topic="other",
        issue="Work is redone without the author being told.",
    )
    on(1, "13:50")
    proposals.agenda_proposal_make(
        actor=anita.user,
        item=credit,
        text="Anyone who changes a colleague's work tells them first and says why.",
    )


def load_steps_story() -> None:
    """Hillside's pre-mediation meeting with Kasia Novak, booked today for later this week.
    (Riverside's workplace steps run on their own days through `workplace_steps`.)"""
    community = Case.objects.get(title="Novak / Doyle (shared driveway)")
    premediation_meeting_book(
        actor=community.lead_mediator,
        case=community,
        participant=_party(community, "Kasia Novak"),
        mediator=community.lead_mediator,
        starts_at=(timezone.now() + dt.timedelta(days=4)).replace(
            hour=10, minute=0, second=0, microsecond=0
        ),
        mode="in_person",
        place="Hillside Community Centre, Room 2",
    )
