"""Demo story: the children of a family case (accord/children).

Riverside's Hughes / Brennan case: Ella (11) and Sam (7) recorded; Ella offered a chance to be
heard, both parents consented privately, Jamal Reid (trained for child-inclusive work, DBS
checked) assigned and her meeting booked with her mother bringing her; the mediator built a
2-2-5-5 schedule with alternating Christmas and an every-other-weekend proposal to compare,
and the parents agreed the 2-2-5-5; a maintenance estimate (once the calculator is installed);
and the parenting plan issued with the headings the mediator chose. Called once from
`demo_load()` after the main story clock stops; each step runs on its own story day (opened five
weeks ago, the plan issued last week, Ella's meeting booked today for next week).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.cases import services as case_services
from accord.cases.models import Case, Participant
from accord.demo.clock import StoryClock, story_clock
from accord.organisations.models import MediatorProfile, Organisation

_SLUG = "riverside-demo"

#: The two parents who sign in to the portal: email, name.
PARENTS = (
    ("claire.hughes@parties.example", "Claire Hughes"),
    ("liam.brennan@parties.example", "Liam Brennan"),
)


def _years_ago(years: int, days: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


def _working_day(days: int, hour: int) -> dt.datetime:
    from accord.calendar import default_calendar

    calendar = default_calendar()
    day = timezone.localdate() + dt.timedelta(days=days)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def load_children_story(give_login: Callable[[Participant, Any], Any]) -> Case | None:
    from accord.accounts.models import User

    org = Organisation.objects.filter(slug=_SLUG).first()
    if org is None:
        return None
    coordinator = User.objects.get(email="coordinator@riverside.example")
    mediator = User.objects.get(email="mediator@riverside.example")
    trainee = User.objects.get(email="trainee@riverside.example")
    admin = User.objects.get(email="admin@riverside.example")
    with story_clock() as clock:
        return _hughes_brennan(clock, give_login, org, coordinator, mediator, trainee, admin)


def _hughes_brennan(
    clock: StoryClock,
    give_login: Callable[[Participant, Any], Any],
    org: Organisation,
    coordinator: Any,
    mediator: Any,
    trainee: Any,
    admin: Any,
) -> Case:
    from accord.children import estimates, schedules, services
    from accord.core.errors import ValidationFailed
    from accord.outcomes import content
    from accord.outcomes import services as outcomes
    from accord.testing import journey

    # Five weeks ago: the enquiry becomes a case and both parents get their portal logins.
    clock.go(35)
    case = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="family_children",
        title="Hughes / Brennan",
        summary="Arrangements for Ella (11) and Sam (7): term-time routine, Christmas, and "
        "child maintenance. Ella wants a say.",
        lead_mediator=mediator,
    )
    parents = []
    for email, name in PARENTS:
        person = case_services.participant_add(
            actor=coordinator, case=case, role="party", full_name=name, email=email
        )
        parents.append(give_login(person, coordinator))
    claire, liam = (Participant.objects.get(pk=p.pk) for p in parents)
    clock.go(30)
    journey.miams_held_and_screened(coordinator, case, mediator, [claire, liam])
    clock.go(28, "15:00")
    journey.decide(mediator, case, "joint", "Suitable for joint mediation.")

    # The children, and Ella's chance to be heard: both parents consent in their portals.
    clock.go(27)

    ella = services.child_add(
        actor=coordinator, case=case, full_name="Ella Hughes", date_of_birth=_years_ago(11, 40)
    )
    services.child_add(
        actor=coordinator, case=case, full_name="Sam Hughes", date_of_birth=_years_ago(7, 90)
    )
    offer = services.child_offer_make(actor=mediator, child=ella)
    assert claire.user is not None and liam.user is not None
    clock.go(26, "19:40")
    services.consent_answer(actor=claire.user, offer=offer, answer="consent")
    clock.go(25, "08:15")
    services.consent_answer(actor=liam.user, offer=offer, answer="consent")
    clock.go(24)
    profile, _ = MediatorProfile.objects.get_or_create(organisation=org, user=trainee)
    services.consultant_set(
        actor=admin,
        profile=profile,
        trained=True,
        dbs_checked_on=timezone.localdate() - dt.timedelta(days=200),
    )
    services.consultant_assign(actor=coordinator, offer=offer, consultant=trainee)

    # Sessions: the schedules compared, the 2-2-5-5 agreed, the maintenance estimate.
    clock.go(14)
    anchor = timezone.localdate()
    agreed = schedules.schedule_save(
        actor=mediator,
        case=case,
        name="2-2-5-5 with alternating Christmas",
        pattern="2-2-5-5",
        anchor=anchor,
        handover_time=dt.time(18, 0),
        holidays=[
            {
                "name": "Christmas",
                "start": "12-24",
                "end": "12-26",
                "rule": "alternate",
                "even_years": "A",
            }
        ],
    )
    schedules.schedule_save(
        actor=mediator,
        case=case,
        name="Every other weekend, Friday to Monday",
        pattern="every_other_weekend_fri_mon",
        anchor=anchor,
    )
    clock.go(12, "11:30")
    schedules.schedule_agree(actor=mediator, schedule=agreed)
    try:
        estimate = estimates.estimate_make(
            actor=mediator,
            case=case,
            paying_parent=liam,
            gross_weekly_income="640.00",
            qualifying_children=2,
        )
        estimates.estimate_agree(actor=mediator, estimate=estimate)
    except ValidationFailed:
        pass  # the maintenance calculator is not installed yet

    # The last session a week ago: the plan's items agreed, then the plan written and issued.
    clock.go(7, "14:00")
    for title, wording in (
        ("School-week routine", "Ella and Sam follow the agreed 2-2-5-5 schedule in term time."),
        ("Handovers at school", "Handovers happen at the school gate or at 18:00 at home."),
        ("Christmas", "Christmas Eve to Boxing Day alternates: Claire in even years."),
        ("Phones and messages", "Ella and Sam may phone the other parent each evening."),
    ):
        journey.agree_item(mediator, case, title, wording)
    clock.go(5)
    draft = outcomes.outcome_draft_create(actor=mediator, case=case, kind="parenting_plan")
    fields = content.as_fields("parenting_plan", draft.sections)
    # The mediator files the school-week routine under living arrangements (the old guess put
    # it under Education because of the word "school"), and leaves empty headings out.
    for n in range(1, 5):
        if fields.get(f"item_{n}_title") == "School-week routine":
            fields[f"item_{n}_heading"] = "living_arrangements"
    fields["empty_headings"] = content.TO_DISCUSS
    fields["review_date"] = timezone.localdate() + dt.timedelta(days=180)
    draft = outcomes.outcome_draft_update(actor=mediator, draft=draft, fields=fields)
    clock.go(4, "16:00")
    draft = outcomes.outcome_issue(actor=mediator, draft=draft, confirm=True)
    outcomes.outcome_share(actor=mediator, draft=draft, participants=[claire, liam])

    # Today: Ella's meeting is booked for a working day next week, her mother bringing her.
    clock.go(0)
    services.child_meeting_book(
        actor=coordinator,
        offer=offer,
        starts_at=_working_day(8, 16),
        mode="in_person",
        place="Riverside Family Mediation, 5 Riverside Walk, Leeds: the family room",
        brought_by=claire,
        duration_minutes=45,
    )
    return case
