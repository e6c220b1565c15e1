"""The retention schedule, holds, and the sweep that erases what is due.

A case's records of one kind fall due when the case closed at least the kind's period ago (in
whole years, from the service's schedule). A case is held, and nothing of it erased, while it has
a hold the service placed (a legal hold, a complaint, a safeguarding investigation), an
unanswered complaint or one still inside its FMSB window, or a safeguarding concern not closed.
The sweep is set-based: the due and held cases are found with a few queries, and each kind is
erased with one UPDATE per model per batch of cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accord.audit.services import audit_record
from accord.calendar import add_months, london_date
from accord.cases.models import Case
from accord.core.errors import NotPermitted, ValidationFailed
from accord.organisations.models import Organisation
from accord.organisations.selectors import is_service_admin
from accord.records import erasure
from accord.records.models import (
    HoldReason,
    RecordHold,
    RecordKind,
    RetentionAction,
    RetentionRun,
    RetentionSchedule,
)

BATCH = 500
SCHEDULE_FIELDS = [f"{kind}_years" for kind in RecordKind.values]


def schedule_for(organisation: Organisation) -> RetentionSchedule:
    """The service's schedule (the defaults, 6 years after closure, until it sets its own)."""
    found = RetentionSchedule.objects.filter(organisation=organisation).first()
    return found or RetentionSchedule(organisation=organisation)


def _years_ago(today: dt.date, years: int) -> dt.date:
    return add_months(today, -12 * years)


@transaction.atomic
def retention_schedule_set(
    *, actor: Any, organisation: Organisation, legal_minimum_years: int, **years: int
) -> RetentionSchedule:
    """Set the service's retention periods; none may be below the legal minimum it sets."""
    if actor is not None and not is_service_admin(actor, organisation.pk):
        raise NotPermitted("Only a service admin may change the retention schedule.")
    errors: dict[str, list[str]] = {}
    unknown = set(years) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown kinds of record: {', '.join(sorted(unknown))}.")
    if not isinstance(legal_minimum_years, int) or not 0 <= legal_minimum_years <= 100:
        errors["legal_minimum_years"] = ["Enter the legal minimum as whole years, 0 to 100."]
    labels = dict(RecordKind.choices)
    for name in SCHEDULE_FIELDS:
        value = years.get(name)
        label = labels[name.removesuffix("_years")]
        if value is None:
            errors[name] = [f"Enter how many years to keep {label.lower()}."]
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            errors[name] = [f"Enter the period for {label.lower()} as whole years, 0 to 100."]
        elif "legal_minimum_years" not in errors and value < legal_minimum_years:
            errors[name] = [
                f"{label} must be kept at least {legal_minimum_years} years, the legal minimum "
                f"the service has set; {value} is below it."
            ]
    if errors:
        raise ValidationFailed("The retention schedule was not changed.", field_errors=errors)
    schedule = (
        RetentionSchedule.objects.select_for_update().filter(organisation=organisation).first()
    )
    if schedule is None:
        schedule = RetentionSchedule(organisation=organisation)
    schedule.legal_minimum_years = legal_minimum_years
    for name in SCHEDULE_FIELDS:
        setattr(schedule, name, years[name])
    schedule.save()
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="records.schedule_set",
        target=schedule,
        details={
            "legal_minimum_years": legal_minimum_years,
            **{k: years[k] for k in SCHEDULE_FIELDS},
        },
    )
    return schedule


@transaction.atomic
def record_hold_place(*, actor: Any, case: Case, reason: str, note: str = "") -> RecordHold:
    """Keep a case's records past their retention period (service admins)."""
    if not is_service_admin(actor, case.organisation_id):
        raise NotPermitted("Only a service admin may place a hold on records.")
    errors: dict[str, list[str]] = {}
    if reason not in HoldReason.values:
        errors["reason"] = [
            "Choose why: a complaint, a safeguarding investigation or a legal hold."
        ]
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > 2000:
        errors["note"] = ["Keep the note to 2000 characters or fewer."]
    if errors:
        raise ValidationFailed("The hold was not placed.", field_errors=errors)
    hold = RecordHold.objects.create(
        organisation_id=case.organisation_id, case=case, reason=reason, note=note, placed_by=actor
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="records.hold_placed",
        target=hold,
        case_id=None,
        details={"hold_id": hold.pk, "reason": reason, "case_ref_id": case.pk},
    )
    return hold


@transaction.atomic
def record_hold_release(*, actor: Any, hold: RecordHold) -> RecordHold:
    """Release a hold; the next sweep erases what has fallen due."""
    hold = RecordHold.objects.select_for_update().get(pk=hold.pk)
    if not is_service_admin(actor, hold.organisation_id):
        raise NotPermitted("Only a service admin may release a hold on records.")
    if hold.released_at is not None:
        raise ValidationFailed("The hold has already been released.")
    hold.released_at = timezone.now()
    hold.released_by = actor
    hold.save(update_fields=["released_at", "released_by", "updated_at"])
    audit_record(
        organisation_id=hold.organisation_id,
        actor=actor,
        action="records.hold_released",
        target=hold,
        case_id=None,
        details={"hold_id": hold.pk},
    )
    return hold


def held_cases(organisation: Organisation, today: dt.date) -> dict[int, str]:
    """Cases whose records are held, each with why (a few set queries, no per-case loop)."""
    from accord.complaints.models import Complaint
    from accord.safeguarding.models import ConcernStatus, SafeguardingConcern

    held: dict[int, str] = {}
    for case_id, reason in RecordHold.objects.filter(
        organisation=organisation, released_at__isnull=True
    ).values_list("case_id", "reason"):
        held.setdefault(case_id, f"{HoldReason(reason).label} (hold placed by the service)")
    fmsb_open_since = add_months(today, -3)
    for case_id in Complaint.objects.filter(
        Q(responded_on__isnull=True) | Q(responded_on__gt=fmsb_open_since),
        organisation=organisation,
        case__isnull=False,
        erased_at__isnull=True,
    ).values_list("case_id", flat=True):
        held.setdefault(case_id, "A complaint is open or inside its FMSB window")
    for case_id in (
        SafeguardingConcern.objects.filter(organisation=organisation)
        .exclude(status=ConcernStatus.CLOSED)
        .values_list("case_id", flat=True)
    ):
        held.setdefault(case_id, "A safeguarding concern is not closed")
    return held


def _already_erased(kind: str, case_ids: Iterable[int]) -> set[int]:
    return set(
        RetentionAction.objects.filter(
            kind=kind, done="erased", case_id__in=list(case_ids)
        ).values_list("case_id", flat=True)
    )


@dataclass
class KindReport:
    kind: str
    label: str
    years: int
    due: int = 0
    held: int = 0
    rows: int = 0
    note: str = ""


@dataclass
class SweepReport:
    organisation: str
    today: dt.date
    dry_run: bool
    kinds: list[KindReport] = field(default_factory=list)
    held_reasons: dict[str, int] = field(default_factory=dict)
    run_id: int | None = None

    def lines(self) -> list[str]:
        head = "Dry run: nothing was changed." if self.dry_run else f"Run {self.run_id}."
        out = [f"Retention for {self.organisation} on {self.today:%d %B %Y}. {head}"]
        for k in self.kinds:
            if k.note:
                out.append(f"  {k.label}: kept ({k.note})")
                continue
            verb = "would erase" if self.dry_run else "erased"
            out.append(
                f"  {k.label} ({k.years} years after closure): {k.due} case(s) due, "
                f"{verb} {k.rows} record(s); {k.held} case(s) held"
            )
        for reason, n in sorted(self.held_reasons.items()):
            out.append(f"  Held: {n} case(s): {reason}")
        return out


def retention_sweep(
    *, actor: Any = None, organisation: Organisation, dry_run: bool, today: dt.date | None = None
) -> SweepReport:
    """Erase (or, in a dry run, count) every record that is due and not held; record the run."""
    today = today or london_date(timezone.now())
    schedule = schedule_for(organisation)
    report = SweepReport(organisation.name, today, dry_run)
    with transaction.atomic():
        held = held_cases(organisation, today)
        for reason in held.values():
            report.held_reasons[reason] = report.held_reasons.get(reason, 0) + 1
        run = None
        if not dry_run:
            run = RetentionRun.objects.create(
                organisation=organisation, started_at=timezone.now(), trigger="sweep", actor=actor
            )
            report.run_id = run.pk
        actions: list[RetentionAction] = []
        for kind, label in RecordKind.choices:
            years = schedule.years_for(kind)
            item = KindReport(kind, label, years)
            report.kinds.append(item)
            if kind in erasure.NEVER_ERASED:
                item.note = erasure.NEVER_ERASED[kind]
                continue
            if kind in erasure.WAITING_FOR and not any(t.kind == kind for t in erasure.TARGETS):
                item.note = erasure.WAITING_FOR[kind]
                continue
            cutoff = _years_ago(today, years)
            closed = list(
                Case.objects.filter(
                    organisation=organisation,
                    closed_at__isnull=False,
                    closed_at__date__lte=cutoff,
                ).values_list("pk", flat=True)
            )
            done = _already_erased(kind, closed)
            due = [pk for pk in closed if pk not in done]
            keep = [pk for pk in due if pk in held]
            erase_ids = [pk for pk in due if pk not in held]
            item.due, item.held = len(due), len(keep)
            for start in range(0, len(erase_ids), BATCH):
                chunk = erase_ids[start : start + BATCH]
                if dry_run:
                    item.rows += erasure.count(kind, chunk)
                else:
                    item.rows += erasure.erase(kind, chunk)
            if run is not None:
                actions.extend(
                    RetentionAction(
                        run=run,
                        case_id=pk,
                        kind=kind,
                        done="erased",
                        reason="Retention period over",
                    )
                    for pk in erase_ids
                )
                actions.extend(
                    RetentionAction(
                        run=run, case_id=pk, kind=kind, done="kept", reason=held[pk][:300]
                    )
                    for pk in keep
                )
        if run is not None:
            RetentionAction.objects.bulk_create(actions, batch_size=1000)
            run.summary = {
                k.kind: {"due": k.due, "held": k.held, "rows": k.rows} for k in report.kinds
            }
            run.save(update_fields=["summary"])
            audit_record(
                organisation_id=organisation.pk,
                actor=actor,
                action="records.retention_swept",
                target=run,
                details={"run_id": run.pk, "summary": run.summary},
                actor_label="" if actor else "retention sweep",
            )
    return report


def retention_sweep_due() -> int:
    """The worker's daily job: sweep each service once a day; the number of services swept."""
    today = london_date(timezone.now())
    swept = 0
    for organisation in Organisation.objects.all():
        if RetentionRun.objects.filter(
            organisation=organisation, trigger="sweep", started_at__date=today
        ).exists():
            continue
        retention_sweep(organisation=organisation, dry_run=False, today=today)
        swept += 1
    return swept
