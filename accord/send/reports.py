"""The commissioner report: per commissioning local authority and period, the figures a
commissioner asks for (referrals, mediations held, agreements, certificates, median days from
referral to meeting, LA actions done on time). Aggregates only: no names, no case details.

Service admins, coordinators and supervisors of the service may read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from accord.calendar import london_wall_time
from accord.core.charts import bar_chart, svg_response
from accord.core.errors import NotFoundOrHidden
from accord.organisations.models import Role
from accord.organisations.selectors import roles_in, staff_organisation_for
from accord.send import rules
from accord.send.models import AgreementReached, SendAction, SendCertificate, SendRecord

READERS = frozenset({Role.SERVICE_ADMIN, Role.COORDINATOR, Role.SUPERVISOR})
CSV_HEADER = (
    "Local authority",
    "Referred",
    "Mediations held",
    "Agreement in full",
    "Agreement in part",
    "No agreement",
    "Certificates issued",
    "Median days referral to meeting",
    "LA actions due",
    "LA actions done on time",
)


@dataclass(frozen=True)
class ReportRow:
    """One commissioning local authority's figures for the period."""

    authority: str
    referred: int
    held: int
    full: int
    part: int
    none: int
    certificates: int
    median_days: float | None
    actions_due: int
    actions_on_time: int

    def as_csv(self) -> list[Any]:
        return [
            self.authority,
            self.referred,
            self.held,
            self.full,
            self.part,
            self.none,
            self.certificates,
            "" if self.median_days is None else self.median_days,
            self.actions_due,
            self.actions_on_time,
        ]


def _organisation(user: Any) -> Any:
    organisation = staff_organisation_for(user)
    if organisation is None or not (roles_in(user, organisation.pk) & READERS):
        raise NotFoundOrHidden("No such report.")
    return organisation


def authorities(*, user: Any) -> list[str]:
    """The commissioning local authorities of the service's SEND cases."""
    try:
        organisation = _organisation(user)
    except NotFoundOrHidden:
        return []
    return sorted(
        set(
            SendRecord.objects.filter(organisation=organisation).values_list(
                "commissioning_la", flat=True
            )
        )
    )


def report_params(
    *, local_authority: str = "", start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    """The report's filters: this year so far unless given; a period given backwards is turned
    round. Shared by the page's form and the API."""
    today = timezone.localdate()
    start = start or today.replace(month=1, day=1)
    end = end or today
    if end < start:
        start, end = end, start
    return {"local_authority": (local_authority or "").strip(), "start": start, "end": end}


def params_from(form: Any) -> dict[str, Any]:
    """The report's filters from its (GET) form; a bad date is ignored with the form's error."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return report_params(
        local_authority=data.get("local_authority") or "",
        start=data.get("start"),
        end=data.get("end"),
    )


def commissioner_report(
    *, user: Any, local_authority: str = "", start: dt.date, end: dt.date
) -> list[ReportRow]:
    """The figures per commissioning LA for cases referred in [start, end]."""
    organisation = _organisation(user)
    since = london_wall_time(start, dt.time(0, 0))
    until = london_wall_time(end + dt.timedelta(days=1), dt.time(0, 0))
    records = SendRecord.objects.filter(
        organisation=organisation, case__opened_at__gte=since, case__opened_at__lt=until
    ).select_related("case")
    if local_authority:
        records = records.filter(commissioning_la__iexact=local_authority)
    by_la: dict[str, list[SendRecord]] = {}
    for record in records:
        by_la.setdefault(record.commissioning_la, []).append(record)
    case_ids = [r.case_id for rs in by_la.values() for r in rs]
    certificates: dict[int, int] = {}
    for case_id in SendCertificate.objects.filter(case_id__in=case_ids).values_list(
        "case_id", flat=True
    ):
        certificates[case_id] = certificates.get(case_id, 0) + 1
    actions = list(
        SendAction.objects.filter(
            case_id__in=case_ids, owner="la", due_at__isnull=False, due_at__lt=timezone.now()
        )
    ) + list(
        SendAction.objects.filter(
            case_id__in=case_ids,
            owner="la",
            due_at__isnull=False,
            done_at__isnull=False,
            due_at__gte=timezone.now(),
        )
    )
    rows: list[ReportRow] = []
    for authority in sorted(by_la):
        group = by_la[authority]
        ids = {r.case_id for r in group}
        held = [r for r in group if r.meeting_ended_at is not None]
        mine = [a for a in actions if a.case_id in ids]
        rows.append(
            ReportRow(
                authority=authority,
                referred=len(group),
                held=len(held),
                full=sum(1 for r in held if r.agreement == AgreementReached.FULL),
                part=sum(1 for r in held if r.agreement == AgreementReached.PART),
                none=sum(1 for r in held if r.agreement == AgreementReached.NONE),
                certificates=sum(certificates.get(i, 0) for i in ids),
                median_days=rules.median_days(
                    [
                        (
                            timezone.localdate(r.meeting_ended_at)
                            - timezone.localdate(r.case.opened_at)
                        ).days
                        for r in held
                        if r.meeting_ended_at is not None
                    ]
                ),
                actions_due=len(mine),
                actions_on_time=sum(1 for a in mine if a.done_on_time),
            )
        )
    return rows


def chart_response(rows: list[ReportRow]) -> HttpResponse:
    """The report's chart: referrals, mediations held and agreements, per local authority."""
    categories = [row.authority for row in rows] or ["No SEND cases"]
    series = {
        "Referred": [row.referred for row in rows] or [0],
        "Mediations held": [row.held for row in rows] or [0],
        "Agreement (full or part)": [row.full + row.part for row in rows] or [0],
        "Certificates": [row.certificates for row in rows] or [0],
    }
    return svg_response(
        bar_chart(
            title="SEND mediation by commissioning authority",
            categories=categories,
            series=series,
            unit="Cases",
        )
    )
