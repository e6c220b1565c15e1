"""How fast is the service statistics page when a service holds a great many cases?

Run by hand (a benchmark, not a test):

    uv run python bench/service_statistics.py --cases 100000

It reuses bench/case_pages.py to load the bench service's cases (bulk inserts, a valid audit
chain), adds MIAMs, suitability decisions, sessions, ends of mediation, funding and complaints
to a share of them with bulk inserts, then times the statistics page, its CSV and one chart
against a trivial Django view, and prints the ratios. Every figure on the page is an aggregate
query, so the number of queries does not grow with the number of cases.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import sys
import time
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
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accord.cases.models import Case, Participant  # noqa: E402
from accord.complaints.models import Complaint  # noqa: E402
from accord.mediation.models import MediationSession, MediationStatus  # noqa: E402
from accord.meetings.models import Funding, Miam, SuitabilityDecision  # noqa: E402
from accord.organisations.models import Role  # noqa: E402
from accord.organisations.services import membership_grant  # noqa: E402


def add_activity(service: base.BenchService, *, seed: int, batch: int = 5000) -> int:
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
            Miam.objects.bulk_create(miams)
            SuitabilityDecision.objects.bulk_create(decisions)
            MediationSession.objects.bulk_create(sessions)
            MediationStatus.objects.bulk_create(ends)
            Funding.objects.bulk_create(funding, ignore_conflicts=True)
            Complaint.objects.bulk_create(complaints)
        added += len(chunk)
    return added


def main() -> None:
    args = base.parse_args()
    base.call_command("migrate", interactive=False, verbosity=0)
    service = base.bench_service()
    existing = Case.objects.filter(organisation=service.organisation).count()
    if existing < args.cases:
        print(f"Loading {args.cases - existing:,} cases…")
        base.load_cases(service, args.cases - existing, batch_size=args.batch, seed=args.seed)
    started = time.perf_counter()
    added = add_activity(service, seed=args.seed)
    print(f"Activity added to {added:,} cases in {time.perf_counter() - started:.1f} s")
    if base.connection.vendor == "postgresql":
        with base.connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    membership_grant(
        actor=None,
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


if __name__ == "__main__":
    main()
