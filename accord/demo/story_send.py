"""Demo story for SEND mediation: the Harrison case (Leo, 16, Year 11) in preparation, and a
second family who declined mediation and has the adviser's certificate with its appeal deadline.

Called once from `demo_load()` after the main story clock stops. Each step runs on its own
story day (`accord.demo.clock`), after the Harrison case's opening sixteen days ago and in the
order a service would have lived it: the decision and the choice recorded as the case opens,
the people around the table while it is arranged, the call and the preparation in the last week.
Everything goes through the services, as the coordinator and the mediator would.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accord.accounts.models import User
from accord.cases.models import Case, Participant
from accord.demo.clock import StoryClock, story_clock


@transaction.atomic
def load_send_story() -> None:
    """Harrison: decision, choice, attendees, the call log and the child's views recorded, the
    young person's permission still to come. Patel: declined, certificate issued."""
    harrison = Case.objects.filter(kind="send", title__startswith="Harrison").first()
    if harrison is None:
        return
    coordinator = harrison.created_by if getattr(harrison, "created_by_id", None) else None
    mediator = harrison.lead_mediator
    actor = coordinator or mediator
    if actor is None:
        return
    today = timezone.localdate()  # the real today: the notice dates count back from it
    with story_clock() as clock:
        _harrison_and_patel(clock, harrison, actor, mediator, today)


def _harrison_and_patel(
    clock: StoryClock, harrison: Case, actor: User, mediator: User | None, today: dt.date
) -> None:
    from accord.cases import services as case_services
    from accord.send import services

    # The decision letter, recorded as the case opens (sixteen days ago).
    clock.go(16, "11:00")
    services.send_record_preliminary(
        actor=actor,
        case=harrison,
        la_decision="plan_contents",
        decision_notice_date=today - dt.timedelta(days=24),
        commissioning_la="Leeds City Council",
        child_name="Leo Harrison",
        child_date_of_birth=today.replace(year=today.year - 16) - dt.timedelta(days=40),
        issues=["education", "health"],
    )
    # Mediation advice given two days later: Joanne wants to mediate (the case moves on to
    # arranging by itself).
    clock.go(14)
    services.send_choice_record(actor=actor, case=harrison, wants_mediation=True)
    # Leo's plan has health provision: the health commissioning body is told the next day.
    clock.go(13, "09:30")
    services.send_health_notified(actor=actor, case=harrison)
    # Who comes to the meeting, agreed while it is being arranged.
    clock.go(13, "11:00")
    people = {p.role: p for p in Participant.objects.filter(case=harrison).order_by("-id")}
    roles = (("parent_carer", "parent", False), ("school_rep", "school", False))
    for role, attends_as, _ in roles:
        if role in people:
            services.send_attendee_add(
                actor=actor, case=harrison, participant=people[role], attends_as=attends_as
            )
    if "la_officer" in people:
        services.send_attendee_add(
            actor=actor,
            case=harrison,
            participant=people["la_officer"],
            attends_as="la",
            authority_confirmed=True,
        )
    clock.go(6)
    harrison.refresh_from_db()
    case_services.case_change_stage(
        actor=actor,
        case=harrison,
        to_stage="preparation",
        reason="Meeting booked for the earliest date all parties can attend.",
    )
    # The mediator's call with Joanne, then the preparation (the last week).
    clock.go(5, "14:00")
    if "parent_carer" in people and mediator is not None:
        services.send_call_log(
            actor=mediator,
            case=harrison,
            participant=people["parent_carer"],
            called_at=timezone.now() - dt.timedelta(hours=3),
            summary="Joanne wants Leo at Oakfield High with speech and language therapy weekly.",
        )
    clock.go(4, "09:30")
    services.send_preparation_record(
        actor=mediator or actor,
        case=harrison,
        views_representation="Leo's one-page profile, written with his tutor, read by Joanne.",
        child_joins_part=False,
        parent_speaks_for_young_person=True,
    )

    # A second family: told about mediation ten days ago, they chose to appeal straight away.
    clock.go(10, "15:00")
    patel = case_services.case_open(
        actor=actor,
        organisation=harrison.organisation,
        kind="send",
        title="Patel - refusal to assess",
        summary="The local authority refused an EHC needs assessment for Amira.",
        lead_mediator=mediator,
    )
    case_services.participant_add(
        actor=actor,
        case=patel,
        role="parent_carer",
        full_name="Ravi Patel",
        email="ravi.patel@parties.example",
    )
    services.send_record_preliminary(
        actor=actor,
        case=patel,
        la_decision="refuse_assessment",
        decision_notice_date=today - dt.timedelta(days=12),
        commissioning_la="Leeds City Council",
        child_name="Amira Patel",
        child_date_of_birth=dt.date(today.year - 9, 3, 14),
        issues=["education"],
    )
    clock.go(9, "11:30")
    services.send_choice_record(actor=actor, case=patel, wants_mediation=False)
    clock.later(20)
    services.send_certificate_issue(actor=mediator or actor, case=patel)
