"""Demo story: money and property on Riverside's finances case (Okafor / Okafor).

Grace and Emmanuel Okafor each disclose their home, accounts, pensions, income and outgoings,
with a bank statement uploaded and seen; both share, then Emmanuel corrects his pension's CETV
after sharing (Grace sees the change marked until he shares again). The mediator builds two
scenarios side by side and shares one with both parties; both rate the shared assets, and, where
the fair-division module is installed, the Adjusted Winner suggestion becomes a scenario.
Called once from `demo_load()`, after the story clock stops.
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
from accord.finance import ratings, scenarios, services
from accord.finance.models import DisclosureItem

_STATEMENT = b"%PDF-1.4\n% Demo bank statement\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

#: (who, part, description, owner, share of A, pounds, note)
_ITEMS = (
    (
        "Grace Okafor",
        "property",
        "The family home, 9 Beech Grove",
        "joint",
        "50",
        385000,
        "Estate agent's appraisal",
    ),
    (
        "Grace Okafor",
        "liabilities",
        "Mortgage on 9 Beech Grove",
        "joint",
        "50",
        142000,
        "Nationwide, 14 years left",
    ),
    ("Grace Okafor", "accounts", "Santander current account", "a", "100", 3250, ""),
    ("Grace Okafor", "pensions", "NHS Pension Scheme", "a", "100", 96000, "CETV dated 2 September"),
    ("Grace Okafor", "income", "Salary as a staff nurse", "a", "100", 31200, "Net of tax"),
    ("Grace Okafor", "outgoings", "Household bills and food", "a", "100", 1450, ""),
    ("Emmanuel Okafor", "accounts", "Barclays savings account", "b", "0", 18400, ""),
    (
        "Emmanuel Okafor",
        "other_assets",
        "Car (2019 Skoda Octavia)",
        "b",
        "0",
        9500,
        "Parkers valuation",
    ),
    (
        "Emmanuel Okafor",
        "pensions",
        "Aviva workplace pension",
        "b",
        "0",
        61000,
        "CETV dated 12 August",
    ),
    ("Emmanuel Okafor", "income", "Salary as an engineer", "b", "0", 38400, "Net of tax"),
    ("Emmanuel Okafor", "outgoings", "Rent and bills at Mill Lane", "b", "0", 1350, ""),
)


def load_finance_story(give_login: Callable[[Participant, Any], Participant]) -> None:
    """Put financial disclosure, scenarios and ratings on the Okafor case."""
    case = Case.objects.filter(title="Okafor / Okafor").first()
    if case is None or case.lead_mediator is None:
        return
    mediator = case.lead_mediator
    people = {}
    for name in ("Grace Okafor", "Emmanuel Okafor"):
        party = Participant.objects.get(case=case, full_name=name)
        if party.user_id is None or not party.portal_access:
            party = give_login(party, mediator)
        party.refresh_from_db()
        people[name] = party
    valued = timezone.localdate() - dt.timedelta(days=20)
    for who, part, description, owner, share, pounds, note in _ITEMS:
        party = people[who]
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
    grace, emmanuel = people["Grace Okafor"], people["Emmanuel Okafor"]
    account = DisclosureItem.objects.get(
        disclosure__case=case, description="Santander current account"
    )
    evidence = services.evidence_upload(
        actor=grace.user,
        item=account,
        upload=SimpleUploadedFile("santander-statements.pdf", _STATEMENT, "application/pdf"),
    )
    services.evidence_mark_seen(actor=mediator, evidence=evidence)
    for part in ("property", "accounts", "pensions", "income", "outgoings"):
        services.disclosure_part_complete(actor=grace.user, case=case, participant=grace, part=part)
    services.disclosure_share(actor=grace.user, case=case, participant=grace)
    services.disclosure_share(actor=emmanuel.user, case=case, participant=emmanuel)
    pension = DisclosureItem.objects.get(
        disclosure__case=case, description="Aviva workplace pension"
    )
    services.disclosure_item_change(
        actor=emmanuel.user,
        item=pension,
        part="pensions",
        description="Aviva workplace pension",
        owner="b",
        value_pence=63500 * 100,
        valuation_date=timezone.localdate() - dt.timedelta(days=2),
        note="New CETV statement",
    )
    home = DisclosureItem.objects.get(
        disclosure__case=case, description__startswith="The family home"
    )
    mortgage = DisclosureItem.objects.get(disclosure__case=case, description__startswith="Mortgage")
    keep = scenarios.scenario_create(
        actor=mediator,
        case=case,
        title="Grace keeps the house",
        allocations={str(home.pk): "100", str(mortgage.pk): "100"},
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
    scenarios.scenario_share(actor=mediator, scenario=keep, audience="joint")
    keys = [str(row["id"]) for row in ratings.rateable_items(case)]
    weights = {
        "Grace Okafor": {"The family home, 9 Beech Grove": 70, "Santander current account": 5},
        "Emmanuel Okafor": {"The family home, 9 Beech Grove": 35, "Barclays savings account": 25},
    }
    described = {str(row["id"]): row["description"] for row in ratings.rateable_items(case)}
    for name, party in people.items():
        points = {k: weights[name].get(described[k], 0) for k in keys}
        rest = 100 - sum(points.values())
        spare = [k for k in keys if points[k] == 0]
        for n, k in enumerate(spare):
            points[k] = rest // len(spare) + (1 if n < rest % len(spare) else 0)
        if not spare:
            points[keys[0]] += rest
        ratings.ratings_submit(actor=party.user, case=case, participant=party, points=points)
    # Until the fair-division module is installed, there is no suggestion to turn into one.
    with contextlib.suppress(DomainError):
        ratings.suggestion_to_scenario(actor=mediator, case=case, method="aw")
