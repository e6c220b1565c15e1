"""How fast are the staff case pages when a service holds a great many cases?

Run by hand (this is a benchmark, not a test; pytest never collects it):

    uv run python bench/case_pages.py --cases 100000

It loads a dedicated bench service into the CONFIGURED database (DATABASE_URL, or the SQLite
file in ACCORD_DATA_DIR), quickly, with bulk inserts, while keeping the audit trail a valid
hash chain, then times the pages in-process through Django's WSGI handler (the same path a
real server takes, minus the socket) and prints a table. See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import itertools
import math
import os
import random
import secrets
import statistics
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")

import django

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.utils import encrypt  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, models, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from accord.accounts.models import User  # noqa: E402
from accord.audit.chain import GENESIS_HASH, compute_hash, normalise_details  # noqa: E402
from accord.audit.models import AuditChainHead, AuditEvent  # noqa: E402
from accord.audit.verification import chain_verify  # noqa: E402
from accord.cases.models import (  # noqa: E402
    Case,
    CaseKind,
    CaseReferenceCounter,
    Participant,
    ParticipantRole,
)
from accord.cases.selectors import CaseFilters, case_list  # noqa: E402
from accord.cases.workflows import CLOSED, workflow_for  # noqa: E402
from accord.config.process import settle_after_start  # noqa: E402
from accord.organisations import services as org_services  # noqa: E402
from accord.organisations.models import Accreditation, Organisation, Role  # noqa: E402
from accord.organisations.selectors import staff_in  # noqa: E402

BENCH_SLUG = "bench"
BENCH_EMAIL_DOMAIN = "bench.example"
MEDIATORS = 12
SEARCH_SURNAME = "Okafor"
SEARCH_STAGE = "mediation"

FIRST_NAMES = (  # noqa: SIM905  (names read more easily as prose)
    "Aisha Alan Amelia Anita Ben Bernadette Chloe Chris Daniel Efua Ella Emmanuel Farah Gareth "
    "Grace Hannah Harry Imran Isla Jack Jamal Joanne Kasia Laura Leo Liam Maya Mark Megan Mohammed "
    "Nisha Noah Olivia Owen Priya Rachel Rebecca Ruth Sam Sarah Sophie Tom Wei Yusuf Zara"
).split()
SURNAMES = (  # noqa: SIM905
    "Ahmed Bennett Brooks Carter Chen Clarke Davies Doyle Edwards Ellis Evans Fisher Grant Green "
    "Hall Harrison Hughes Hussain Jackson James Jones Khan Kowalski Lee Lewis Lowe Marsh Mensah "
    "Morgan Murphy Nowak Novak Okafor Owen Patel Price Reid Roberts Robinson Shah Singh Smith "
    "Taylor Thomas Walker Ward Watson White Williams Wilson Wright Young"
).split()


# --- Loading --------------------------------------------------------------------------------


@dataclass
class BenchService:
    organisation: Organisation
    coordinator: User
    mediators: list[User]


def foreign_data() -> list[str]:
    """What the database holds besides the bench service (the bench refuses to mix in)."""
    found = []
    others = Organisation.objects.exclude(slug=BENCH_SLUG).count()
    if others:
        found.append(f"{others} other service{'s' if others != 1 else ''}")
    people = User.objects.exclude(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count()
    if people:
        found.append(f"{people} other user{'s' if people != 1 else ''}")
    return found


def _bench_user(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, full_name=name)
    return user


@transaction.atomic
def bench_service() -> BenchService:
    """The bench service and its staff, created through the services on the first run."""
    organisation = Organisation.objects.filter(slug=BENCH_SLUG).first()
    if organisation is None:
        organisation = org_services.organisation_create(
            actor=None, name="Bench Mediation Service", slug=BENCH_SLUG, reference_prefix="BEN"
        )
    # The platform operator makes the first admin (from a shell: no actor); the admin grants
    # the rest and records the mediators' profiles, as the staff services require.
    admin = _bench_user(f"admin@{BENCH_EMAIL_DOMAIN}", "Bench Admin")
    if not staff_in(organisation, Role.SERVICE_ADMIN).exists():
        org_services.organisation_first_admin_grant(
            actor=None, organisation=organisation, user=admin
        )
    coordinator = _bench_user(f"coordinator@{BENCH_EMAIL_DOMAIN}", "Bench Coordinator")
    org_services.membership_grant(
        actor=admin, organisation=organisation, user=coordinator, role=Role.COORDINATOR
    )
    # The staff two-factor middleware only asks that an authenticator exists.
    if not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists():
        secret = base64.b32encode(secrets.token_bytes(20)).decode()
        Authenticator.objects.create(
            user=coordinator, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
        )
    mediators = []
    for number in range(1, MEDIATORS + 1):
        mediator = _bench_user(
            f"mediator{number}@{BENCH_EMAIL_DOMAIN}",
            f"{FIRST_NAMES[number]} {SURNAMES[-number]}",
        )
        org_services.membership_grant(
            actor=admin, organisation=organisation, user=mediator, role=Role.MEDIATOR
        )
        mediators.append(mediator)
    if not organisation.mediator_profiles.exists():
        for mediator in mediators:
            org_services.mediator_profile_set(
                actor=admin,
                organisation=organisation,
                user=mediator,
                fmc_urn=f"FMC{mediator.pk:05d}",
                accreditation=Accreditation.ACCREDITED,
            )
    return BenchService(organisation, coordinator, mediators)


def _main_path(kind: str) -> list[str]:
    """The open stages of a kind's workflow in order (its usual path)."""
    return [stage.code for stage in workflow_for(kind).stages if stage.code != CLOSED.code]


class ChainWriter:
    """Builds audit events in sequence, each hashed over the one before, as audit_record does."""

    def __init__(self, organisation_id: int) -> None:
        head = AuditChainHead.objects.get(organisation_id=organisation_id)
        self.organisation_id = organisation_id
        self.sequence = head.last_sequence
        self.last_hash = head.last_hash or GENESIS_HASH
        self.pending: list[AuditEvent] = []

    def add(
        self,
        *,
        at: dt.datetime,
        actor: User,
        action: str,
        target: Any,
        case_id: int,
        details: dict[str, Any],
    ) -> None:
        self.sequence += 1
        fields: dict[str, Any] = {
            "organisation_id": self.organisation_id,
            "sequence": self.sequence,
            "occurred_at": at,
            "actor_id": actor.pk,
            "actor_label": str(actor)[:200],
            "action": action,
            "target_type": target._meta.label_lower,
            "target_id": str(target.pk),
            "target_label": str(target)[:200],
            "case_id": case_id,
            "visibility": "case",
            "details": normalise_details(details),
            "request_id": "",
        }
        event_hash = compute_hash(fields, self.last_hash)
        self.pending.append(AuditEvent(**fields, previous_hash=self.last_hash, hash=event_hash))
        self.last_hash = event_hash

    def flush(self) -> int:
        """Insert the pending events and move the chain head to the last of them."""
        written = len(self.pending)
        # AuditEvent.objects refuses bulk inserts so that app code can only use audit_record().
        # The bench builds exactly what audit_record would, in sequence, and verifies the chain
        # afterwards; a plain queryset lets it insert thousands of rows per statement.
        models.QuerySet(AuditEvent).bulk_create(self.pending, batch_size=2000)
        self.pending = []
        # The head may only move forward (a database trigger checks), which it does here.
        AuditChainHead.objects.filter(organisation_id=self.organisation_id).update(
            last_sequence=self.sequence, last_hash=self.last_hash
        )
        return written


def load_cases(service: BenchService, count: int, *, batch_size: int, seed: int) -> dict[str, int]:
    """Add `count` cases with 2-3 participants and a timeline each, in committed batches."""
    rng = random.Random(seed + Case.objects.filter(organisation=service.organisation).count())
    organisation = service.organisation
    coordinator = service.coordinator
    kinds = list(CaseKind.values)
    now = timezone.now()
    span = dt.timedelta(days=3 * 365)
    counters = {
        counter.year: counter
        for counter in CaseReferenceCounter.objects.filter(organisation=organisation)
    }
    totals = {"cases": 0, "participants": 0, "events": 0}
    started = time.perf_counter()
    for first in range(0, count, batch_size):
        size = min(batch_size, count - first)
        with transaction.atomic():
            # Lock the head: nothing else may append to this chain while the batch is built.
            AuditChainHead.objects.select_for_update().get(organisation=organisation)
            chain = ChainWriter(organisation.pk)
            cases: list[Case] = []
            plans: list[tuple[list[str], bool]] = []
            for index in range(size):
                kind = rng.choice(kinds)
                path_codes = _main_path(kind)
                moves = rng.randint(0, len(path_codes) - 1)
                closed = rng.random() < 0.15
                opened_at = now - span + span * ((first + index) / max(count, 1))
                year = timezone.localtime(opened_at).year
                counter = counters.get(year)
                if counter is None:
                    counter = CaseReferenceCounter.objects.create(
                        organisation=organisation, year=year
                    )
                    counters[year] = counter
                counter.last_number += 1
                names = rng.sample(SURNAMES, 2)
                stage = CLOSED.code if closed else path_codes[moves]
                changed_at = opened_at + dt.timedelta(days=3 * (moves + closed))
                cases.append(
                    Case(
                        organisation=organisation,
                        reference=f"BEN-{year}-{counter.last_number:06d}",
                        kind=kind,
                        stage=stage,
                        title=f"{names[0]} / {names[1]}",
                        lead_mediator=rng.choice(service.mediators),
                        opened_at=opened_at,
                        stage_changed_at=changed_at,
                        closed_at=changed_at if closed else None,
                        created_by=coordinator,
                    )
                )
                plans.append((path_codes[: moves + 1], closed))
            Case.objects.bulk_create(cases)
            if cases[0].pk is None:
                raise SystemExit("This database does not return ids from bulk inserts.")

            participants: list[Participant] = []
            owners: list[Case] = []
            for case in cases:
                surnames = case.title.split(" / ")
                for number in range(rng.choice((2, 2, 3))):
                    is_party = number < 2
                    surname = surnames[number] if is_party else rng.choice(SURNAMES)
                    first_name = rng.choice(FIRST_NAMES)
                    participants.append(
                        Participant(
                            organisation=organisation,
                            case=case,
                            role=ParticipantRole.PARTY if is_party else ParticipantRole.SOLICITOR,
                            full_name=f"{first_name} {surname}",
                            email=f"{first_name}.{surname}@people.example".lower(),
                            phone=f"07700 9{rng.randint(0, 99999):05d}",
                            safe_contact_methods=["email", "phone"],
                        )
                    )
                    owners.append(case)
            for participant in participants:
                participant.set_keys()  # as participant_add does
            Participant.objects.bulk_create(participants)

            by_case: dict[int, list[Participant]] = {}
            for participant, case in zip(participants, owners, strict=True):
                by_case.setdefault(case.pk, []).append(participant)
            for case, (visited, closed) in zip(cases, plans, strict=True):
                at = case.opened_at
                chain.add(
                    at=at,
                    actor=coordinator,
                    action="case.opened",
                    target=case,
                    case_id=case.pk,
                    details={"kind": case.kind, "stage": visited[0], "reference": case.reference},
                )
                for participant in by_case[case.pk]:
                    at += dt.timedelta(minutes=5)
                    chain.add(
                        at=at,
                        actor=coordinator,
                        action="participant.added",
                        target=participant,
                        case_id=case.pk,
                        details={"role": participant.role},
                    )
                steps = list(itertools.pairwise(visited))
                if closed:
                    steps.append((visited[-1], CLOSED.code))
                workflow = workflow_for(case.kind)
                for from_stage, to_stage in steps:
                    if not workflow.allows(from_stage, to_stage):
                        raise SystemExit(f"Bench bug: {from_stage} -> {to_stage} is not allowed.")
                    at += dt.timedelta(days=3)
                    chain.add(
                        at=at,
                        actor=case.lead_mediator or coordinator,
                        action="case.stage_changed",
                        target=case,
                        case_id=case.pk,
                        details={"from": from_stage, "to": to_stage, "reason": "Bench move."},
                    )
            totals["events"] += chain.flush()
            for counter in counters.values():
                counter.save(update_fields=["last_number"])
        totals["cases"] += len(cases)
        totals["participants"] += len(participants)
        done = first + size
        if done % 10000 < batch_size or done == count:
            rate = done / (time.perf_counter() - started)
            print(f"  {done:>9,} cases loaded ({rate:,.0f} cases/s)", flush=True)
    return totals


def bench_enquiry(service: BenchService) -> Case:
    """A case opened by a public enquiry whose applicant matches people in other cases."""
    from accord.intake import services as intake_services
    from accord.intake.models import Enquiry

    found = Enquiry.objects.filter(organisation=service.organisation).select_related("case")
    if found.exists():
        return found.first().case  # type: ignore[union-attr]
    other = Participant.objects.filter(organisation=service.organisation).order_by("pk").first()
    assert other is not None
    enquiry = intake_services.enquiry_submit(
        actor=None,
        organisation=service.organisation,
        source="public",
        applicant={
            "full_name": other.full_name,
            "email": other.email,
            "phone": other.phone,
            "safe_contact_methods": ["email"],
        },
        other_parties=[],
        children=[],
        issues=["child_arrangements"],
        urgency="routine",
    )
    return enquiry.case


def bench_deadlines(service: BenchService, count: int) -> int:
    """`count` open deadlines due this month on cases of the service (bulk, no reminders)."""
    from accord.deadlines.models import Deadline

    today = timezone.localdate()
    first = today.replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time(9, 0)))
    existing = Deadline.objects.filter(
        organisation=service.organisation, due_at__gte=start, due_at__lt=start + dt.timedelta(28)
    ).count()
    if existing >= count:
        return existing
    cases = list(
        Case.objects.filter(organisation=service.organisation)
        .order_by("-pk")
        .values_list("pk", flat=True)[: count - existing]
    )
    Deadline.objects.bulk_create(
        Deadline(
            organisation=service.organisation,
            case_id=case_id,
            rule_code="bench",
            title="Bench deadline",
            due_at=start + dt.timedelta(days=number % 28, minutes=number % 480),
            owner=service.mediators[number % len(service.mediators)],
        )
        for number, case_id in enumerate(cases)
    )
    return existing + len(cases)


# --- Measuring ------------------------------------------------------------------------------


def trivial_view(request: HttpRequest) -> HttpResponse:
    """The cheapest possible page: shows what the middleware alone costs."""
    return HttpResponse("ok", content_type="text/plain")


#: The app's URLs plus the trivial view, without touching the app's own URLconf.
bench_urls = types.ModuleType("bench_urls")
bench_urls.urlpatterns = [  # type: ignore[attr-defined]
    path("bench/trivial/", trivial_view),
    path("", include("accord.config.urls")),
]


@dataclass
class Timing:
    label: str
    median_ms: float
    p95_ms: float
    queries: int


class Server:
    """Calls Django's WSGI handler directly, as a WSGI server would, with a session cookie."""

    def __init__(self, session_cookie: str) -> None:
        self.handler = WSGIHandler()
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie}"

    def get(self, url: str) -> tuple[int, bytes]:
        path_info, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": self.cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        status: list[str] = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(line)
            return lambda data: None

        response = self.handler(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()  # type: ignore[attr-defined]
        return int(status[0].split()[0]), body

    def measure(self, label: str, url: str, *, requests: int, warmup: int) -> Timing:
        for _ in range(warmup):
            self._get_ok(url)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            self._get_ok(url)
            samples.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            self._get_ok(url)
        samples.sort()
        p95 = samples[max(0, math.ceil(0.95 * len(samples)) - 1)]
        return Timing(label, statistics.median(samples), p95, len(queries.captured_queries))

    def _get_ok(self, url: str) -> bytes:
        status, body = self.get(url)
        if status != 200:
            raise SystemExit(f"GET {url} answered {status}, not 200: is the bench user set up?")
        return body


# --- Main -----------------------------------------------------------------------------------


def describe_database() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} ({db['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} ({db['NAME']} on {db.get('HOST') or 'localhost'})"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="Cases to have (100,000).")
    parser.add_argument("--requests", type=int, default=50, help="Timed requests per page (50).")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first (5).")
    parser.add_argument("--batch", type=int, default=2000, help="Cases per transaction (2,000).")
    parser.add_argument("--seed", type=int, default=2026, help="Random seed for the made-up data.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Run even though the database holds data other than the bench service.",
    )
    parser.add_argument(
        "--no-verify", action="store_true", help="Skip re-checking the audit chain after loading."
    )
    parser.add_argument(
        "--deadlines", type=int, default=2000, help="Open deadlines due this month (2,000)."
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="Time only the pages whose label starts with this (repeatable), plus the baseline.",
    )
    args = parser.parse_args(argv)
    for name in ("cases", "requests", "batch"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1.")
    if args.warmup < 0:
        parser.error("--warmup must be 0 or more.")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if settings.DEBUG:
        print("Warning: DEBUG is on; timings will include Django's debug bookkeeping.")
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        raise SystemExit(
            f"Cannot connect to the database: {exc}".strip()
            + "\nFor PostgreSQL, create it first, e.g. createdb -h 127.0.0.1 -U root accord_bench"
        ) from None
    print(f"Database: {describe_database()}")
    # Look before migrating: someone else's database is left exactly as it was.
    if Organisation._meta.db_table in connection.introspection.table_names() and not args.reuse:
        foreign = foreign_data()
        if foreign:
            raise SystemExit(
                f"This database already holds {' and '.join(foreign)}. The bench adds a great "
                "many made-up cases, so it runs on a database of its own: point DATABASE_URL or "
                "ACCORD_DATA_DIR elsewhere, or pass --reuse to add the bench service anyway."
            )
    call_command("migrate", interactive=False, verbosity=0)

    service = bench_service()
    existing = Case.objects.filter(organisation=service.organisation).count()
    missing = max(0, args.cases - existing)
    load_seconds = 0.0
    if missing:
        print(f"Loading {missing:,} cases (the bench service has {existing:,})…")
        started = time.perf_counter()
        load_cases(service, missing, batch_size=args.batch, seed=args.seed)
        load_seconds = time.perf_counter() - started
    else:
        print(f"The bench service already has {existing:,} cases: nothing to load.")

    if connection.vendor == "postgresql":
        # The database as autovacuum keeps it on a live service: fresh planner statistics
        # (without them PostgreSQL plans for the tables as they were before the bulk load), the
        # visibility map set (index-only scans), and the GIN indexes' pending lists merged (a
        # trigram search otherwise reads up to 4 MB of unmerged entries on every query). This
        # machine's server runs with autovacuum off, so the bench does it itself: without it a
        # partial reference search took 26 ms in the database instead of 7 (bench/README.md).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    organisation = service.organisation
    case_total = Case.objects.filter(organisation=organisation).count()
    participant_total = Participant.objects.filter(organisation=organisation).count()
    event_total = AuditEvent.objects.filter(organisation=organisation).count()
    chain_note = "not verified"
    if not args.no_verify:
        started = time.perf_counter()
        report = chain_verify(organisation_id=organisation.pk)
        took = time.perf_counter() - started
        if report.problem is not None:
            raise SystemExit(f"The bench audit chain is broken: {report.problem.message}")
        chain_note = f"hash chain intact, verified in {took:.1f} s"

    client = Client()
    client.force_login(service.coordinator)
    server = Server(client.cookies[settings.SESSION_COOKIE_NAME].value)
    # A busy case from the middle of the data: the workspace shows its latest 20 events.
    middle = Case.objects.filter(organisation=organisation).order_by("pk")
    window = middle[max(0, case_total // 2 - 100) : case_total // 2 + 100].values("pk")
    workspace_case = (
        Case.objects.filter(pk__in=window)
        .annotate(events=Count("audit_events"))
        .order_by("-events", "pk")
        .first()
    )
    assert workspace_case is not None
    workspace_events = AuditEvent.objects.filter(case_id=workspace_case.pk).count()
    matches = case_list(
        user=service.coordinator, filters=CaseFilters(q=SEARCH_SURNAME, stage=SEARCH_STAGE)
    ).count()
    enquiry_case = bench_enquiry(service)
    deadlines = bench_deadlines(service, args.deadlines)
    sample = Participant.objects.filter(case=workspace_case).order_by("pk").first()
    assert sample is not None
    reference = workspace_case.reference
    pages = [
        ("Trivial Django view (baseline)", "/bench/trivial/"),
        ("Case list, first page of 25", "/cases/"),
        ("Case list, last page (keyset)", "/cases/?last=1"),
        (
            f"Search q={SEARCH_SURNAME} stage={SEARCH_STAGE} ({matches:,} found)",
            f"/cases/?q={SEARCH_SURNAME}&stage={SEARCH_STAGE}",
        ),
        (f"Search surname q={SEARCH_SURNAME}", f"/cases/?q={SEARCH_SURNAME}"),
        ("Search exact reference", f"/cases/?q={reference}"),
        ("Search partial reference", f"/cases/?q={reference.split('-', 1)[1]}"),
        ("Search email", f"/cases/?q={sample.email}"),
        ("Search phone", f"/cases/?q={sample.phone.replace(' ', '')}"),
        (
            f"Case workspace ({workspace_case.participants.count()} participants, "
            f"{workspace_events} events)",
            f"/cases/{workspace_case.pk}/",
        ),
        ("Enquiry case workspace, people (conflict)", f"/cases/{enquiry_case.pk}/?section=people"),
        ("Coordinator dashboard", "/cases/dashboard/"),
        (f"Deadline calendar ({deadlines:,} this month)", "/deadlines/calendar/"),
    ]
    if args.only:
        pages = [page for page in pages if page[0].startswith(("Trivial", *args.only))]
    # As the WSGI entry point does once started (accord/config/process.py): this process also
    # still holds what loading the data left behind, which a server would never have held.
    settle_after_start()
    with override_settings(ROOT_URLCONF=bench_urls):
        timings = [
            server.measure(label, url, requests=args.requests, warmup=args.warmup)
            for label, url in pages
        ]

    print()
    max_age = settings.DATABASES["default"]["CONN_MAX_AGE"]
    print(f"Database:  {describe_database()}, CONN_MAX_AGE={max_age}")
    print(
        f"Data:      {case_total:,} cases, {participant_total:,} participants, "
        f"{event_total:,} audit events ({chain_note})"
    )
    if load_seconds:
        rate = missing / load_seconds
        print(f"Load time: {missing:,} cases in {load_seconds:.1f} s ({rate:,.0f} cases/s)")
    else:
        print("Load time: nothing loaded this run")
    print(
        f"Requests:  {args.requests} timed per page after {args.warmup} warm-up, "
        f"Python {sys.version.split()[0]}, Django {django.get_version()}"
    )
    print()
    width = max(len(t.label) for t in timings) + 2
    base = timings[0].median_ms
    print(f"{'Page':<{width}}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'x trivial':>11}")
    for t in timings:
        ratio = t.median_ms / base if base else 0
        print(
            f"{t.label:<{width}}{t.median_ms:>10.1f}{t.p95_ms:>10.1f}{t.queries:>9}{ratio:>11.1f}"
        )


if __name__ == "__main__":
    main()
