"""Demo story: money and property on Riverside's all-issues case (Patel / Evans).

The finance work comes after the process it belongs to: the loader carries the case on from its
MIAMs (held and screened in data.py) through the real services, as the other stories do with
accord/testing/journey.py: Jamal Reid's suitability decision (joint), the Agreement to Mediate
signed by both parents, and a first joint session held. Then Nisha Patel and Gareth Evans each
disclose their home, the business, accounts, pensions, income and outgoings, with a bank
statement uploaded and seen; both share, then Gareth corrects his pension's CETV after sharing
(Nisha sees the change marked until he shares again). The mediator builds two scenarios side by
side and shares one with both parties; both rate the shared assets, and the Adjusted Winner
suggestion becomes a scenario with its exact shares.
Called once from `demo_load()`, after the main loader's clock stops: each step runs on its own
story day (`story_clock`), from the decision 24 days ago (the MIAMs were 25 days ago) to the
Adjusted Winner scenario yesterday.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.core.errors import DomainError
from accord.demo.clock import StoryClock, story_clock, story_moment
from accord.finance import ratings, scenarios, services
from accord.finance.models import DisclosureItem

_STATEMENT = b"%PDF-1.4\n% Demo bank statement\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CASE = "Patel / Evans"
A, B = "Nisha Patel", "Gareth Evans"

#: (who, part, description, owner, share of A, pounds, note)
_ITEMS = (
    (A, "property", "The family home, 14 Oak Avenue", "joint", "50", 385000, "Agent's appraisal"),
    (A, "liabilities", "Mortgage on 14 Oak Avenue", "joint", "50", 142000, "14 years left"),
    (A, "accounts", "Santander current account", "a", "100", 3250, ""),
    (A, "pensions", "NHS Pension Scheme", "a", "100", 96000, "CETV dated 2 September"),
    (A, "income", "Salary as a staff nurse", "a", "100", 31200, "Net of tax"),
    (A, "outgoings", "Household bills and food", "a", "100", 1450, ""),
    (
        B,
        "business",
        "Evans & Patel Joinery Ltd (shares)",
        "joint",
        "40",
        60000,
        "Accountant's valuation",
    ),
    (B, "accounts", "Barclays savings account", "b", "0", 18400, ""),
    (B, "other_assets", "Car (2019 Skoda Octavia)", "b", "0", 9500, "Parkers valuation"),
    (B, "pensions", "Aviva workplace pension", "b", "0", 61000, "CETV dated 12 August"),
    (B, "income", "Salary as a joiner", "b", "0", 38400, "Net of tax"),
    (B, "outgoings", "Rent and bills at Mill Lane", "b", "0", 1350, ""),
)


def _to_sessions(case: Case, people: dict[str, Participant], clock: StoryClock) -> None:
    """From MIAMs held to a first joint session, as the service records them."""
    from accord.mediation.services import session_book
    from accord.testing import journey

    mediator = case.lead_mediator
    parties = [people[A], people[B]]
    clock.go(24)
    journey.decide(
        mediator, case, "joint", "Suitable for joint mediation: no concerns from screening."
    )
    clock.go(23)
    agreement = journey.agreement_prepared(mediator, case)
    for days_ago, party in ((22, parties[0]), (21, parties[1])):
        clock.go(days_ago, "19:40", weekday=False)
        journey.sign_online(agreement.packet, party)
    clock.go(20)
    session = session_book(
        actor=mediator,
        case=case,
        format="joint",
        starts_at=story_moment(days_ago=17, at="10:00"),
        mode="video",
        place="https://video.riverside.example/patel-evans",
        attendees=parties,
        mediators=[mediator],
    )
    clock.go(17, "10:00")
    journey.start_session(mediator, session)
    clock.later(90)
    journey.finish_session(mediator, session)


def load_finance_story(give_login: Callable[[Participant, Any], Participant]) -> None:
    """Take Patel / Evans into sessions, then put financial disclosure, scenarios and ratings
    on it."""
    case = Case.objects.filter(title=CASE).first()
    if case is None or case.lead_mediator is None:
        return
    mediator = case.lead_mediator
    people = {}
    with story_clock() as clock:
        clock.go(24, "09:00")  # the day after the MIAMs, both get into the portal
        for name in (A, B):
            party = Participant.objects.get(case=case, full_name=name)
            if party.user_id is None or not party.portal_access:
                party = give_login(party, mediator)
            party.refresh_from_db()
            people[name] = party
        _to_sessions(case, people, clock)
        _disclose_and_propose(case, people, clock)


def _disclose_and_propose(case: Case, people: dict[str, Participant], clock: StoryClock) -> None:
    """Disclosure over the fortnight after the first session, then scenarios and ratings."""
    mediator = case.lead_mediator
    assert mediator is not None
    clock.go(17, "12:30")
    services.disclosure_deadline_set(actor=mediator, case=case)
    valued = timezone.localdate() - dt.timedelta(days=3)
    for who, part, description, owner, share, pounds, note in _ITEMS:
        party = people[who]
        clock.go(15 if who == A else 14, "20:10", weekday=False)
        services.disclosure_item_add(
            actor=party.user,
            case=case,
            participant=party,
            part=part,
            description=description,
            owner=owner,
            share_a_percent=share,
            value_pence=pounds * 100,
            valuation_date=valued,
            note=note,
        )
    nisha, gareth = people[A], people[B]
    account = DisclosureItem.objects.get(
        disclosure__case=case, description="Santander current account"
    )
    clock.go(13, "08:50")
    evidence = services.evidence_upload(
        actor=nisha.user,
        item=account,
        upload=SimpleUploadedFile("santander-statements.pdf", _STATEMENT, "application/pdf"),
    )
    clock.go(12)
    services.evidence_mark_seen(actor=mediator, evidence=evidence)
    clock.go(11, "19:30", weekday=False)
    for part in ("property", "accounts", "pensions", "income", "outgoings"):
        services.disclosure_part_complete(actor=nisha.user, case=case, participant=nisha, part=part)
    services.disclosure_share(actor=nisha.user, case=case, participant=nisha)
    clock.go(10, "21:15", weekday=False)
    services.disclosure_share(actor=gareth.user, case=case, participant=gareth)
    pension = DisclosureItem.objects.get(
        disclosure__case=case, description="Aviva workplace pension"
    )
    clock.go(6, "18:20", weekday=False)
    services.disclosure_item_change(
        actor=gareth.user,
        item=pension,
        part="pensions",
        description="Aviva workplace pension",
        owner="b",
        value_pence=63500 * 100,
        valuation_date=timezone.localdate() - dt.timedelta(days=1),
        note="New CETV statement",
    )
    home = DisclosureItem.objects.get(
        disclosure__case=case, description__startswith="The family home"
    )
    business = DisclosureItem.objects.get(disclosure__case=case, description__startswith="Evans")
    mortgage = DisclosureItem.objects.get(disclosure__case=case, description__startswith="Mortgage")
    clock.go(5)
    keep = scenarios.scenario_create(
        actor=mediator,
        case=case,
        title="Nisha keeps the house, Gareth the business",
        allocations={str(home.pk): "100", str(mortgage.pk): "100", str(business.pk): "0"},
        lump_sum_pence=-40000 * 100,
        pension_share_a_percent="50",
    )
    scenarios.scenario_create(
        actor=mediator,
        case=case,
        title="Sell the house and split the equity",
        sold=[str(home.pk)],
        pension_share_a_percent="50",
    )
    clock.go(4, "15:00")
    scenarios.scenario_share(actor=mediator, scenario=keep, audience="joint")
    keys = [str(row["id"]) for row in ratings.rateable_items(case)]
    weights = {
        A: {"The family home, 14 Oak Avenue": 60, "Evans & Patel Joinery Ltd (shares)": 10},
        B: {"The family home, 14 Oak Avenue": 30, "Evans & Patel Joinery Ltd (shares)": 45},
    }
    described = {str(row["id"]): row["description"] for row in ratings.rateable_items(case)}
    for days_ago, (name, party) in zip((3, 2), people.items(), strict=True):
        clock.go(days_ago, "20:00", weekday=False)
        points = {k: weights[name].get(described[k], 0) for k in keys}
        rest = 100 - sum(points.values())
        spare = [k for k in keys if points[k] == 0]
        for n, k in enumerate(spare):
            points[k] = rest // len(spare) + (1 if n < rest % len(spare) else 0)
        if not spare:
            points[keys[0]] += rest
        ratings.ratings_submit(actor=party.user, case=case, participant=party, points=points)
    # Should the fair-division module be missing, there is no suggestion to turn into one.
    clock.go(1)
    with contextlib.suppress(DomainError):
        ratings.suggestion_to_scenario(actor=mediator, case=case, method="aw")
