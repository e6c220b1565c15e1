"""The statistics' aggregate queries against a straightforward reference computation.

The figures are worked out in the database in as few, index-backed queries as possible (see
`records.statistics`), which makes them hard to read. Here a small service gets MIAMs, sessions,
ends of mediation, funding and invoices at random moments in and around a period, and each
figure is checked against the same figure worked out in Python from every row.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accord.calendar import london_wall_time
from accord.cases.models import Case, Participant, ParticipantRole
from accord.fees import income
from accord.fees.models import Invoice
from accord.mediation.models import MediationSession, MediationStatus
from accord.meetings.models import Funding, FundingKind, Miam
from accord.records import statistics

pytestmark = pytest.mark.django_db


def _fill(service: Any, rng: random.Random, today: dt.date) -> None:
    org = service.organisation
    now = timezone.now()
    number = 9000
    for index in range(24):
        opened_at = now - dt.timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        case = Case.objects.create(
            organisation=org,
            reference=f"REF-{index:04d}",
            kind="family_children",
            stage="enquiry",
            title="Smith / Jones",
            opened_at=opened_at,
            stage_changed_at=opened_at,
            created_by=service.coordinator,
        )
        common = {"organisation": org, "case": case}
        for _ in range(rng.randint(0, 2)):
            Miam.objects.create(
                **common,
                mediator=service.mediator,
                starts_at=opened_at + dt.timedelta(days=rng.randint(0, 30)),
                mode="video",
                place="https://video.example/room",
                status=rng.choice(["held", "held", "cancelled", "booked"]),
            )
        for _ in range(rng.choice([0, 0, 1, 2, 3, 4, 5])):
            MediationSession.objects.create(
                **common,
                format="joint",
                starts_at=opened_at
                + dt.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 9)),
                mode="in_person",
                place="Room 1",
                status=rng.choice(["held", "held", "held", "cancelled"]),
            )
        if rng.random() < 0.7:
            MediationStatus.objects.create(
                **common,
                state="ended",
                end_reason=rng.choice(["agreement", "partial", "withdrew"]),
                ended_at=opened_at
                + dt.timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 23)),
            )
        for name in ("Ann Smith", "Ben Jones"):
            party = Participant(
                organisation=org, case=case, role=ParticipantRole.PARTY, full_name=name
            )
            party.set_keys()
            party.save()
            if rng.random() < 0.8:
                Funding.objects.create(
                    **common, participant=party, kind=rng.choice(FundingKind.values)
                )
            if rng.random() < 0.5:
                number += 1
                issued_at = opened_at + dt.timedelta(days=rng.randint(0, 40))
                total = Decimal(rng.choice(["120.00", "33.33", "0.10", "144.01"]))
                Invoice.objects.create(
                    **common,
                    participant=party,
                    status="issued",
                    number=number,
                    net=total,
                    total=total,
                    issued_at=issued_at,
                    due_on=issued_at.date() + dt.timedelta(days=30),
                )


def _reference(org: Any, start: dt.date, end: dt.date) -> dict[str, list[tuple[str, Any]]]:
    lo = london_wall_time(start, dt.time(0, 0))
    hi = london_wall_time(end + dt.timedelta(days=1), dt.time(0, 0))

    def within(moment: dt.datetime | None) -> bool:
        return moment is not None and lo <= moment < hi

    held_miam = {
        m.case_id
        for m in Miam.objects.filter(organisation=org)
        if m.status == "held" and within(m.starts_at)
    }
    with_session = {s.case_id for s in MediationSession.objects.filter(organisation=org)}
    converted = held_miam & with_session
    per_case = Counter(
        s.case_id
        for s in MediationSession.objects.filter(organisation=org)
        if s.status == "held" and within(s.starts_at)
    )
    spread = Counter(min(n, 4) for n in per_case.values())
    agreed = []
    for m in MediationStatus.objects.filter(organisation=org).select_related("case"):
        ended_at = m.ended_at
        agreement = m.state == "ended" and m.end_reason in ("agreement", "partial")
        if agreement and ended_at is not None and within(ended_at):
            agreed.append((ended_at - m.case.opened_at).total_seconds())
    funding = Counter(
        f.kind
        for f in Funding.objects.filter(organisation=org).select_related("case")
        if within(f.case.opened_at)
    )
    invoiced: dict[str, int] = {}
    for invoice in Invoice.objects.filter(organisation=org, status="issued"):
        if within(invoice.issued_at):
            kind = (
                Funding.objects.filter(participant_id=invoice.participant_id)
                .values_list("kind", flat=True)
                .first()
            )
            label = income.INVOICED.get(kind, income.INVOICED[None])
            invoiced[label] = invoiced.get(label, 0) + int(invoice.total * 100)
    return {
        "Conversion from MIAM to mediation": [
            ("Cases with a MIAM held", len(held_miam)),
            ("Of those, went on to a mediation session", len(converted)),
            ("Conversion (%)", round(100 * len(converted) / len(held_miam)) if held_miam else 0),
        ],
        "Sessions per case": [
            ("1 session", spread[1]),
            ("2 sessions", spread[2]),
            ("3 sessions", spread[3]),
            ("4 or more", spread[4]),
        ],
        "Time from first contact to agreement": [
            (
                "Average days",
                round(sum(agreed) / len(agreed) / 86400) if agreed else "No agreements",
            )
        ],
        "Parties by funding": [(label, funding[code]) for code, label in FundingKind.choices],
        "Income by funding": invoiced,  # type: ignore[dict-item]
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_match_a_reference_computation(
    service: Any, other_service: Any, seed: int
) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    _fill(service, rng, today)
    _fill(other_service, rng, today)  # another service's rows never count
    for start, end in [
        (today - dt.timedelta(days=60), today - dt.timedelta(days=10)),
        (today - dt.timedelta(days=400), today),
        (today - dt.timedelta(days=3), today - dt.timedelta(days=3)),
    ]:
        expected = _reference(service.organisation, start, end)
        tables = {
            t.title: t for t in statistics.service_statistics(service.organisation, start, end)
        }
        for title, rows in expected.items():
            if title == "Income by funding":
                got = income.income_by_funding(service.organisation, start, end)
                got = {k: v for k, v in got.items() if k in income.INVOICED.values()}
                assert got == rows, (title, start, end)
            else:
                assert tables[title].rows == rows, (title, start, end)
