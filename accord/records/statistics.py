"""Service statistics for a period: aggregate queries only, so they stay fast at 100,000 cases.

Every figure is one (or a few) GROUP BY / COUNT queries in the database, read from indexes made
for them (`(organisation, status, starts_at, case)` on MIAMs and sessions, and so on); nothing
loops over cases in Python. Invoiced income comes from `INCOME_SOURCES`, a hook the fees app
registers into.

The page, its CSV and its charts share one computation (`statistics_for`), kept in the cache with
the service's audit head (the sequence and hash of its latest audit event) and the time it was
worked out: it is used as it is while nothing has been recorded in the service since, or for up
to `MAX_AGE` after it was worked out if something has; after that it is still served while a
background task works it out again (stale-while-revalidate), so only the very first view of a
period waits for the computation. The page says what time its figures are from and offers to
work them out again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Func, Q
from django.utils import timezone

from accord.calendar import london_wall_time
from accord.organisations.models import Organisation

#: Invoiced income by funding, in pence: fn(organisation, start, end) -> {funding label: pence}.
#: The fees app registers one (`accord.fees.income.income_by_funding`, in its app config).
IncomeSource = Callable[[Organisation, dt.date, dt.date], dict[str, int]]
INCOME_SOURCES: list[IncomeSource] = []


@dataclass
class Table:
    title: str
    rows: list[tuple[str, Any]] = field(default_factory=list)
    unit: str = ""
    chart: bool = True
    note: str = ""
    #: Values are pounds (Decimal): shown as money, charted and exported as plain numbers.
    money: bool = False

    @property
    def shown(self) -> list[tuple[str, Any]]:
        """The rows as people read them (money as "£1,234.56")."""
        if not self.money:
            return self.rows
        return [(label, pounds(int(value * 100))) for label, value in self.rows]

    @property
    def slug(self) -> str:
        return self.title.lower().replace(" ", "-").replace(",", "").replace("→", "to")


def pounds(pence: int) -> str:
    """Integer pence as pounds for people, e.g. 123456 -> "£1,234.56" (no floats)."""
    whole, rest = divmod(int(pence), 100)
    return f"£{whole:,}.{rest:02d}"


class DaysBetween(Func):
    """`later - earlier` in days (a float), worked out by the database itself.

    Django's own datetime subtraction calls a Python function per row on SQLite; `julianday`
    is SQLite's, and PostgreSQL takes the interval's epoch seconds.
    """

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        extra.setdefault("template", "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)")
        extra.setdefault("arg_joiner", " - ")
        return super().as_sql(compiler, connection, **extra)


def _window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end] in whole London days, as aware moments."""
    return london_wall_time(start, dt.time(0, 0)), london_wall_time(
        end + dt.timedelta(days=1), dt.time(0, 0)
    )


#: Figures worked out less than this long ago are shown as they are, with their time, even if
#: something was recorded since: in a busy service something is recorded every few seconds.
#: Older ones are shown too while the worker works them out again. "Work them out again" skips
#: both.
MAX_AGE = dt.timedelta(minutes=10)
#: How long the figures stay in the cache at all.
CACHE_SECONDS = 24 * 60 * 60


@dataclass
class Figures:
    tables: list[Table]
    #: When they were worked out, and the service's audit head then.
    at: dt.datetime
    head: tuple[int, str]
    key: str


def _head(organisation: Organisation) -> tuple[int, str]:
    from accord.audit.models import AuditChainHead

    head = AuditChainHead.objects.filter(organisation_id=organisation.pk).values_list(
        "last_sequence", "last_hash"
    )
    return head.first() or (0, "")


def _key(organisation: Organisation, start: dt.date, end: dt.date) -> str:
    created = organisation.created_at.timestamp() if organisation.created_at else 0
    return f"records:statistics:v2:{organisation.pk}:{created}:{start}:{end}"


def statistics_for(
    organisation: Organisation, start: dt.date, end: dt.date, *, fresh: bool = False
) -> Figures:
    """Every figure for the service and period, shared by the page, its CSV and its charts.

    Worked out here and now when asked (`fresh`) or when none are cached. Cached figures are
    used as they are while nothing was recorded in the service since (its audit head has not
    moved: every write appends an audit event in the same transaction) or while they are
    younger than `MAX_AGE`. Older ones with something recorded since are still served, with
    the time they are from, while a background task (`records.tasks.statistics_refresh`, run
    by `accord worker`) works them out again for the next view: nobody waits for them.
    """
    key = _key(organisation, start, end)
    head = _head(organisation)
    now = timezone.now()
    cached: Figures | None = None if fresh else cache.get(key)
    if cached is not None:
        if cached.head != head and now - cached.at >= MAX_AGE:
            _refresh_later(organisation, start, end, key)
        return cached
    figures = Figures(
        tables=service_statistics(organisation, start, end), at=now, head=head, key=key
    )
    cache.set(key, figures, CACHE_SECONDS)
    return figures


def _refresh_later(organisation: Organisation, start: dt.date, end: dt.date, key: str) -> None:
    """Enqueue one background computation of stale figures (not one per view meanwhile)."""
    from accord.deadlines.tasks import enqueue_after_commit
    from accord.records.tasks import statistics_refresh

    if cache.add(f"{key}:refreshing", True, int(MAX_AGE.total_seconds())):
        enqueue_after_commit(
            statistics_refresh, organisation.pk, start.isoformat(), end.isoformat()
        )


def statistics_refresh_now(*, organisation_id: int, start: str, end: str) -> bool:
    """Work a service's figures for a period out again and cache them (the background task's
    work); False if the service no longer exists."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return False
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    figures = statistics_for(organisation, first, last, fresh=True)
    cache.delete(f"{figures.key}:refreshing")
    return True


def _labelled(counts: dict[str, int], choices: list[tuple[str, str]]) -> list[tuple[str, Any]]:
    return [(label, counts.get(code, 0)) for code, label in choices]


def service_statistics(
    organisation: Organisation, start: dt.date, end: dt.date, *, only: str | None = None
) -> list[Table]:
    """Every figure of the statistics page for one service and period, as tables; `only` (a
    table's slug) works out that one table alone, for its chart."""
    from accord.cases.models import Case
    from accord.complaints.models import Complaint, ComplaintOutcome
    from accord.intake.models import Enquiry
    from accord.mediation.models import (
        EndReason,
        MediationSession,
        MediationStatus,
        SessionStatus,
    )
    from accord.meetings.models import (
        Funding,
        FundingKind,
        Miam,
        MiamStatus,
        SuitabilityDecision,
        SuitabilityRoute,
    )
    from accord.safeguarding.models import ConcernStatus, SafeguardingConcern

    lo, hi = _window(start, end)
    org = organisation.pk
    tables: list[Table] = []

    # Querysets more than one figure uses (lazy: no query until a figure needs it).
    opened = Case.objects.filter(organisation_id=org, opened_at__gte=lo, opened_at__lt=hi)
    ended = MediationStatus.objects.filter(
        organisation_id=org, ended_at__gte=lo, ended_at__lt=hi, state="ended"
    )

    def want(title: str) -> bool:
        return only is None or Table(title).slug == only

    if want("Enquiries and cases"):
        enquiries = Enquiry.objects.filter(
            organisation_id=org, submitted_at__gte=lo, submitted_at__lt=hi
        )
        tables.append(
            Table(
                "Enquiries and cases",
                [("Enquiries received", enquiries.count()), ("Cases opened", opened.count())],
            )
        )

    if want("MIAMs"):
        miams = dict(
            Miam.objects.filter(organisation_id=org, starts_at__gte=lo, starts_at__lt=hi)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        tables.append(Table("MIAMs", _labelled(miams, MiamStatus.choices)))

    if want("Conversion from MIAM to mediation"):
        # One pass over the MIAM index: distinct cases with a MIAM held, and those of them
        # among the service's cases with a session (a set worked out once, not per case).
        with_session = MediationSession.objects.filter(organisation_id=org).values("case_id")
        conversion = Miam.objects.filter(
            organisation_id=org, status=MiamStatus.HELD, starts_at__gte=lo, starts_at__lt=hi
        ).aggregate(
            held=Count("case_id", distinct=True),
            converted=Count("case_id", distinct=True, filter=Q(case_id__in=with_session)),
        )
        n_miam, n_conv = conversion["held"], conversion["converted"]
        rate = round(100 * n_conv / n_miam) if n_miam else 0
        tables.append(
            Table(
                "Conversion from MIAM to mediation",
                [
                    ("Cases with a MIAM held", n_miam),
                    ("Of those, went on to a mediation session", n_conv),
                    ("Conversion (%)", rate),
                ],
                chart=False,
            )
        )

    if want("Suitability outcomes"):
        routes = dict(
            SuitabilityDecision.objects.filter(
                organisation_id=org, decided_at__gte=lo, decided_at__lt=hi
            )
            .values_list("route")
            .annotate(n=Count("id"))
            .values_list("route", "n")
        )
        tables.append(Table("Suitability outcomes", _labelled(routes, SuitabilityRoute.choices)))

    if want("Sessions per case"):
        held_sessions = MediationSession.objects.filter(
            organisation_id=org, status=SessionStatus.HELD, starts_at__gte=lo, starts_at__lt=hi
        )
        # Sessions per case: count per case, then cases per count, in one grouped query.
        per_case_sql, params = (
            held_sessions.order_by().values("case_id").annotate(n=Count("id")).values("n").query
        ).sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                # The inner SQL is Django's own compiled query; values stay parameters.
                f"SELECT per_case.n, COUNT(*) FROM ({per_case_sql}) per_case GROUP BY per_case.n",  # noqa: S608
                params,
            )
            spread = dict(cursor.fetchall())
        buckets = [("1 session", 0), ("2 sessions", 0), ("3 sessions", 0), ("4 or more", 0)]
        values = {1: 0, 2: 0, 3: 0, 4: 0}
        for n, cases in spread.items():  # at most a handful of distinct session counts
            values[min(int(n or 0), 4)] = values.get(min(int(n or 0), 4), 0) + cases
        buckets = [(label, values[i + 1]) for i, (label, _) in enumerate(buckets)]
        tables.append(Table("Sessions per case", buckets, unit="cases"))

    if want("Agreements"):
        reasons = dict(
            ended.values_list("end_reason").annotate(n=Count("id")).values_list("end_reason", "n")
        )
        full = reasons.get(EndReason.AGREEMENT, 0)
        part = reasons.get(EndReason.PARTIAL, 0)
        none = sum(reasons.values()) - full - part
        tables.append(
            Table("Agreements", [("In full", full), ("In part", part), ("No agreement", none)])
        )

    if want("Time from first contact to agreement"):
        # Days between the case's opening and the end, averaged in the database (SQLite's
        # julianday, PostgreSQL's epoch seconds): no per-row Python function.
        took = ended.filter(end_reason__in=[EndReason.AGREEMENT, EndReason.PARTIAL]).aggregate(
            avg=Avg(DaysBetween(F("ended_at"), F("case__opened_at")))
        )["avg"]
        days = round(took) if took is not None else None
        tables.append(
            Table(
                "Time from first contact to agreement",
                [("Average days", days if days is not None else "No agreements")],
                chart=False,
            )
        )

    if want("Safeguarding concerns"):
        concerns = dict(
            SafeguardingConcern.objects.filter(
                organisation_id=org, created_at__gte=lo, created_at__lt=hi
            )
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        tables.append(
            Table(
                "Safeguarding concerns",
                _labelled(concerns, ConcernStatus.choices),
                note="Counts only.",
            )
        )

    if want("Complaints"):
        complaints = Complaint.objects.filter(
            organisation_id=org, received_on__gte=start, received_on__lte=end
        )
        outcome_counts = dict(
            complaints.values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n")
        )
        tables.append(
            Table(
                "Complaints",
                [
                    ("Received", complaints.count()),
                    ("Still open", outcome_counts.get("", 0)),
                    *_labelled(outcome_counts, ComplaintOutcome.choices),
                ],
            )
        )

    if want("Parties by funding"):
        funding = dict(
            # The cases opened in the period as a set from the cases' (organisation, opened)
            # index, then their funding from funding's (organisation, case, kind) index: no
            # row of either table is read.
            Funding.objects.filter(
                organisation_id=org,
                case_id__in=opened.order_by().values("id"),
            )
            .order_by()
            .values_list("kind")
            .annotate(n=Count("id"))
            .values_list("kind", "n")
        )
        tables.append(
            Table(
                "Parties by funding",
                _labelled(funding, FundingKind.choices),
                unit="parties",
                note="Parties of the cases opened in the period.",
            )
        )

    if want("Income by funding"):
        income: dict[str, int] = {}  # pence
        for source in INCOME_SOURCES:
            for label, pence in source(organisation, start, end).items():
                income[label] = income.get(label, 0) + int(pence)
        tables.append(
            Table(
                "Income by funding",
                [
                    (label, (Decimal(pence) / 100).quantize(Decimal("0.01")))
                    for label, pence in income.items()
                ],
                unit="£",
                money=True,
                note="Invoices and credit notes issued in the period by the funding of the party "
                "invoiced, the voucher's part of them, and payments received. Legal aid work is "
                "claimed from the Legal Aid Agency at its own rates (the monthly claim)."
                if income
                else "No invoices were issued and no payments received in the period.",
            )
        )
    return tables
