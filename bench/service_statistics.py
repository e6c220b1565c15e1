"""How fast is the service statistics page when a service holds a great many cases?

Run by hand (a benchmark, not a test):

    uv run python bench/service_statistics.py --cases 100000

It loads the bench service's cases with two parties each in large bulk inserts (10,000 cases a
transaction; no timelines, which the statistics never read), adds MIAMs, suitability decisions,
sessions, ends of mediation, funding, complaints, and issued invoices with voucher lines and
payments to a share of them with bulk inserts, then times the statistics page, its CSV and two
charts against a trivial Django view, and prints the figures and the ratios. Every figure on the
page is an aggregate query, so the number of queries does not grow with the number of cases.
It reuses bench/case_pages.py for the bench service, the in-process server and the timer.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

# This file is named like the standard library's `statistics`: keep its folder off the path so
# that `import statistics` anywhere still finds the standard library.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
# Loading the case-pages bench sets Django up (and gives its loader and timer).
base: Any = importlib.import_module("bench.case_pages")

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accord.cases.models import (  # noqa: E402
    Case,
    CaseKind,
    CaseReferenceCounter,
    Participant,
    ParticipantRole,
)
from accord.complaints.models import Complaint  # noqa: E402
from accord.fees.models import Invoice, InvoiceCounter, InvoiceLine, Payment  # noqa: E402
from accord.mediation.models import MediationSession, MediationStatus  # noqa: E402
from accord.meetings.models import Funding, Miam, SuitabilityDecision  # noqa: E402
from accord.organisations.models import Role  # noqa: E402
from accord.organisations.selectors import staff_in  # noqa: E402
from accord.organisations.services import membership_grant  # noqa: E402
from accord.records.statistics import service_statistics  # noqa: E402


def load_cases_lean(service: base.BenchService, count: int, *, batch: int, seed: int) -> int:
    """Cases with two parties each, bulk-inserted `batch` at a time (one transaction each).

    The statistics read no audit events, so unlike bench/case_pages.py (which writes each
    case's timeline as a valid hash chain, about 6 events a case) nothing else is written; that
    makes 100,000 cases a matter of minutes rather than half an hour on a loaded machine.
    """
    rng = random.Random(seed + Case.objects.filter(organisation=service.organisation).count())
    org = service.organisation
    kinds = [k for k in CaseKind.values]
    now = timezone.now()
    span = dt.timedelta(days=3 * 365)
    counters = {c.year: c for c in CaseReferenceCounter.objects.filter(organisation=org)}
    started = time.perf_counter()
    done = 0
    while done < count:
        size = min(batch, count - done)
        with transaction.atomic():
            cases = []
            for index in range(size):
                opened_at = now - span + span * ((done + index) / max(count, 1))
                year = timezone.localtime(opened_at).year
                counter = counters.get(year)
                if counter is None:
                    counter = counters[year] = CaseReferenceCounter.objects.create(
                        organisation=org, year=year
                    )
                counter.last_number += 1
                closed = rng.random() < 0.15
                names = rng.sample(base.SURNAMES, 2)
                cases.append(
                    Case(
                        organisation=org,
                        reference=f"BEN-{year}-{counter.last_number:06d}",
                        kind=rng.choice(kinds),
                        stage="closed" if closed else "enquiry",
                        title=f"{names[0]} / {names[1]}",
                        lead_mediator=rng.choice(service.mediators),
                        opened_at=opened_at,
                        stage_changed_at=opened_at,
                        closed_at=opened_at + dt.timedelta(days=60) if closed else None,
                        created_by=service.coordinator,
                    )
                )
            Case.objects.bulk_create(cases, batch_size=5000)
            people = []
            for case in cases:
                for surname in case.title.split(" / "):
                    person = Participant(
                        organisation=org,
                        case=case,
                        role=ParticipantRole.PARTY,
                        full_name=f"{rng.choice(base.FIRST_NAMES)} {surname}",
                    )
                    person.set_keys()
                    people.append(person)
            Participant.objects.bulk_create(people, batch_size=5000)
            for counter in counters.values():
                counter.save(update_fields=["last_number"])
        done += size
        rate = done / (time.perf_counter() - started)
        print(f"  {done:>9,} cases loaded ({rate:,.0f} cases/s)", flush=True)
    return done


def add_activity(service: base.BenchService, *, seed: int, batch: int = 20000) -> int:
    """MIAMs, decisions, sessions, ends, funding and complaints on cases that have none yet."""
    rng = random.Random(seed)
    org = service.organisation
    done_cases = set(Miam.objects.filter(organisation=org).values_list("case_id", flat=True))
    case_rows = list(
        Case.objects.filter(organisation=org).values_list("pk", "opened_at", "lead_mediator_id")
    )
    mediator_id = service.mediators[0].pk
    added = 0
    for start in range(0, len(case_rows), batch):
        miams, decisions, sessions, ends, funding, complaints = [], [], [], [], [], []
        chunk = [row for row in case_rows[start : start + batch] if row[0] not in done_cases]
        parties = {}
        for case_id, participant_id in Participant.objects.filter(
            case_id__in=[row[0] for row in chunk]
        ).values_list("case_id", "pk"):
            parties.setdefault(case_id, []).append(participant_id)
        for case_id, opened_at, lead in chunk:
            when = opened_at + dt.timedelta(days=rng.randint(5, 20))
            common = {"organisation_id": org.pk, "case_id": case_id}
            miams.append(
                Miam(
                    **common,
                    mediator_id=lead or mediator_id,
                    starts_at=when,
                    mode="video",
                    place="https://video.example/room",
                    status=rng.choice(["held", "held", "held", "cancelled", "booked"]),
                )
            )
            if rng.random() < 0.7:
                decisions.append(
                    SuitabilityDecision(
                        **common,
                        route=rng.choice(["joint", "joint", "shuttle", "not_suitable"]),
                        reasons="Bench.",
                        decided_by_id=lead or mediator_id,
                        decided_at=when + dt.timedelta(days=2),
                    )
                )
                for n in range(rng.randint(0, 4)):
                    sessions.append(
                        MediationSession(
                            **common,
                            format="joint",
                            starts_at=when + dt.timedelta(days=14 * (n + 1)),
                            mode="in_person",
                            place="Room 1",
                            status="held",
                        )
                    )
                if rng.random() < 0.5:
                    ended = when + dt.timedelta(days=rng.randint(40, 120))
                    ends.append(
                        MediationStatus(
                            **common,
                            state="ended",
                            end_reason=rng.choice(["agreement", "partial", "withdrew"]),
                            ended_at=ended,
                        )
                    )
            for participant_id in parties.get(case_id, [])[:2]:
                funding.append(
                    Funding(
                        **common,
                        participant_id=participant_id,
                        kind=rng.choice(["legal_aid", "voucher", "private", "private"]),
                    )
                )
            if rng.random() < 0.01:
                received = when.date()
                complaints.append(
                    Complaint(
                        **common,
                        complainant_kind="party",
                        complainant_name="Bench complainant",
                        about="Bench.",
                        received_on=received,
                        acknowledge_due=when + dt.timedelta(days=14),
                        respond_due=when + dt.timedelta(days=42),
                    )
                )
        with transaction.atomic():
            Miam.objects.bulk_create(miams, batch_size=2000)
            SuitabilityDecision.objects.bulk_create(decisions, batch_size=2000)
            MediationSession.objects.bulk_create(sessions, batch_size=2000)
            MediationStatus.objects.bulk_create(ends, batch_size=2000)
            Funding.objects.bulk_create(funding, ignore_conflicts=True, batch_size=2000)
            Complaint.objects.bulk_create(complaints, batch_size=2000)
        added += len(chunk)
    return added


def add_invoices(service: base.BenchService, *, seed: int, batch: int = 20000) -> int:
    """Issued invoices (with a line, and a voucher line for voucher parties) and payments for
    about a third of the cases' funded parties that have none yet, numbered in sequence."""
    rng = random.Random(seed + 1)
    org = service.organisation
    # The parties are taken in case order and each has one draw, so the cases up to the last
    # one invoiced were all decided by an earlier run: running the bench again adds invoices
    # only for cases loaded since (it once drew again for every party left without one).
    decided = Invoice.objects.filter(organisation=org).aggregate(last=Max("case_id"))["last"] or 0
    counter, _ = InvoiceCounter.objects.get_or_create(organisation=org)
    rows = [
        row
        for row in Funding.objects.filter(organisation=org)
        .exclude(kind="legal_aid")
        .values_list("participant_id", "case_id", "kind", "case__opened_at")
        .order_by("case_id", "participant_id")
        if row[1] > decided
    ]
    added = 0
    for start in range(0, len(rows), batch):
        invoices, plans = [], []
        for participant_id, case_id, kind, opened_at in rows[start : start + batch]:
            if rng.random() > 0.35:
                continue
            counter.last_number += 1
            net = Decimal(rng.choice([120, 180, 240, 360]))
            voucher = min(net, Decimal(100)) if kind == "voucher" else Decimal(0)
            issued_at = opened_at + dt.timedelta(days=rng.randint(20, 90))
            invoices.append(
                Invoice(
                    organisation=org,
                    case_id=case_id,
                    participant_id=participant_id,
                    status="issued",
                    number=counter.last_number,
                    net=net - voucher,
                    total=net - voucher,
                    issued_at=issued_at,
                    due_on=issued_at.date() + dt.timedelta(days=30),
                )
            )
            plans.append((net, voucher, rng.random() < 0.7))
        with transaction.atomic():
            Invoice.objects.bulk_create(invoices, batch_size=2000)
            lines, payments = [], []
            for invoice, (net, voucher, paid) in zip(invoices, plans, strict=True):
                lines.append(
                    InvoiceLine(
                        invoice=invoice,
                        ref=f"session:{invoice.pk}",
                        kind="session",
                        label="Session",
                        net=net,
                        vat=Decimal(0),
                        gross=net,
                    )
                )
                if voucher:
                    lines.append(
                        InvoiceLine(
                            invoice=invoice,
                            ref=f"session:{invoice.pk}:voucher",
                            kind="voucher",
                            label="Family Mediation Voucher",
                            net=-voucher,
                            vat=Decimal(0),
                            gross=-voucher,
                        )
                    )
                if paid and invoice.total > 0:
                    payments.append(
                        Payment(
                            organisation=org,
                            invoice=invoice,
                            paid_on=invoice.issued_at.date() + dt.timedelta(days=10),
                            amount=invoice.total,
                            method="bank_transfer",
                        )
                    )
            InvoiceLine.objects.bulk_create(lines, batch_size=2000)
            Payment.objects.bulk_create(payments, batch_size=2000)
            counter.save(update_fields=["last_number"])
        added += len(invoices)
    return added


def main() -> None:
    args = base.parse_args()
    base.call_command("migrate", interactive=False, verbosity=0)
    service = base.bench_service()
    existing = Case.objects.filter(organisation=service.organisation).count()
    if existing < args.cases:
        print(f"Loading {args.cases - existing:,} cases…")
        started = time.perf_counter()
        # Large batches: 10,000 cases a transaction unless --batch says otherwise.
        batch = args.batch if "--batch" in sys.argv else 10_000
        load_cases_lean(service, args.cases - existing, batch=batch, seed=args.seed)
        print(f"Cases loaded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    added = add_activity(service, seed=args.seed)
    print(f"Activity added to {added:,} cases in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    invoices = add_invoices(service, seed=args.seed)
    print(f"{invoices:,} invoices (and payments) added in {time.perf_counter() - started:.1f} s")
    if base.connection.vendor == "postgresql":
        with base.connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    membership_grant(
        actor=staff_in(service.organisation, Role.SERVICE_ADMIN).first(),
        organisation=service.organisation,
        user=service.coordinator,
        role=Role.SERVICE_ADMIN,
    )
    client = Client()
    client.force_login(service.coordinator)
    server = base.Server(client.cookies[settings.SESSION_COOKIE_NAME].value)
    today = timezone.localdate()
    period = f"start={today - dt.timedelta(days=3 * 365):%Y-%m-%d}&end={today:%Y-%m-%d}"
    pages = [
        ("Trivial Django view (baseline)", "/bench/trivial/"),
        ("Statistics page, three years", f"/records/statistics/?{period}"),
        ("Statistics CSV, three years", f"/records/statistics/statistics.csv?{period}"),
        ("Chart: agreements", f"/records/statistics/agreements.svg?{period}"),
        ("Chart: income by funding", f"/records/statistics/income-by-funding.svg?{period}"),
    ]
    with override_settings(ROOT_URLCONF=base.bench_urls):
        timings = [
            server.measure(label, url, requests=args.requests, warmup=args.warmup)
            for label, url in pages
        ]
    cases = Case.objects.filter(organisation=service.organisation).count()
    print(f"\nDatabase: {base.describe_database()}; {cases:,} cases")
    baseline = timings[0].median_ms
    width = max(len(t.label) for t in timings) + 2
    print(f"{'Page':<{width}}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'x trivial':>11}")
    for t in timings:
        ratio = t.median_ms / baseline if baseline else 0
        print(
            f"{t.label:<{width}}{t.median_ms:>10.1f}{t.p95_ms:>10.1f}{t.queries:>9}{ratio:>11.1f}"
        )
    # The pages above share one cached computation (records.statistics.statistics_for), so
    # after the first view they cost a cache read. The first view after anything is recorded
    # pays for the whole computation: time it on its own, and each figure alone.
    first = today - dt.timedelta(days=3 * 365)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        tables = service_statistics(service.organisation, first, today)
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    cold = runs[1]
    print(
        f"\nThe whole computation without the cache (the first view after a change): median "
        f"{cold:.0f} ms of 3 ({cold / baseline if baseline else 0:.1f} x trivial); each figure:"
    )
    for table in tables:
        started = time.perf_counter()
        service_statistics(service.organisation, first, today, only=table.slug)
        print(f"  {table.title:<45}{(time.perf_counter() - started) * 1000:>9.0f} ms")
    print(f"\nThe figures, {today - dt.timedelta(days=3 * 365):%d %B %Y} to {today:%d %B %Y}:")
    for table in service_statistics(
        service.organisation, today - dt.timedelta(days=3 * 365), today
    ):
        print(f"  {table.title}")
        for label, value in table.shown:
            print(f"    {label:<60}{value!s:>16}")


if __name__ == "__main__":
    main()
