"""Demo story for SEND mediation: the Harrison case (Leo, 16, Year 11) in preparation, and a
second family who declined mediation and has the adviser's certificate with its appeal deadline.

Called once from `demo_load()` after the story clock stops, so the clocks run from today.
Everything goes through the services, as the coordinator and the mediator would.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accord.cases.models import Case, Participant


@transaction.atomic
def load_send_story() -> None:
    """Harrison: decision, choice, attendees, the call log and the child's views recorded, the
    young person's permission still to come. Patel: declined, certificate issued."""
    from accord.cases import services as case_services
    from accord.send import services

    harrison = Case.objects.filter(kind="send", title__startswith="Harrison").first()
    if harrison is None:
        return
    coordinator = harrison.created_by if getattr(harrison, "created_by_id", None) else None
    mediator = harrison.lead_mediator
    actor = coordinator or mediator
    today = timezone.localdate()
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
    services.send_choice_record(actor=actor, case=harrison, wants_mediation=True)
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
    if "parent_carer" in people:
        services.send_call_log(
            actor=mediator,
            case=harrison,
            participant=people["parent_carer"],
            called_at=timezone.now() - dt.timedelta(hours=3),
            summary="Joanne wants Leo at Oakfield High with speech and language therapy weekly.",
        )
    services.send_preparation_record(
        actor=mediator,
        case=harrison,
        views_representation="Leo's one-page profile, written with his tutor, read by Joanne.",
        child_joins_part=False,
        parent_speaks_for_young_person=True,
    )

    # A second family: told about mediation, they chose to appeal straight away.
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
    services.send_choice_record(actor=actor, case=patel, wants_mediation=False)
    services.send_certificate_issue(actor=mediator or actor, case=patel)
