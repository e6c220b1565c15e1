"""The deadlines part of the HTTP API (mounted by ``accord.api.api``).

Staff see the deadlines their policy allows (restricted ones only for the restricted audience)
and resolve those they may resolve; a party sees only the deadlines shared with them, with no
owner, note or reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime, ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.deadlines import policy, selectors, services
from accord.deadlines.models import CalendarOverride, Deadline, DeadlineRule

router = Router(tags=["deadlines"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class DeadlineMeetIn(InputSchema):
    """That what a deadline asked for was done, with an optional note."""

    model_config = ConfigDict(extra="forbid")

    note: MultilineText = Field("", max_length=2000)


class DeadlineReasonIn(InputSchema):
    """Why a deadline is waived or escalated now."""

    model_config = ConfigDict(extra="forbid")

    reason: MultilineText = Field(..., min_length=1, max_length=2000)


class DeadlineOut(Schema):
    """A deadline. For a party: only title, due time and status (staff fields are null)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 88,
                    "case_id": 5,
                    "title": "Send the draft MoU",
                    "due_at": "2027-01-15T17:00:00Z",
                    "status": "open",
                    "status_label": "Open",
                    "rule_code": "custom",
                    "owner": "Morgan Mediator",
                    "resolved_at": None,
                    "resolution_note": None,
                    "waived_reason": None,
                    "shared_with_parties": False,
                    "can_resolve": True,
                }
            ]
        }
    )

    id: int
    case_id: int
    title: str
    due_at: dt.datetime
    status: str
    status_label: str
    rule_code: str | None = Field(None, description="Staff only.")
    owner: str | None = Field(None, description="Staff only.")
    resolved_at: dt.datetime | None = Field(None, description="Staff only.")
    resolution_note: str | None = Field(None, description="Staff only.")
    waived_reason: str | None = Field(None, description="Staff only.")
    shared_with_parties: bool | None = Field(None, description="Staff only.")
    can_resolve: bool = Field(False, description="Whether the caller may meet, waive or escalate.")


def _staff_out(deadline: Deadline, can_resolve: bool) -> DeadlineOut:
    owner = deadline.owner
    return DeadlineOut(
        id=deadline.pk,
        case_id=deadline.case_id,
        title=deadline.title,
        due_at=deadline.due_at,
        status=deadline.status,
        status_label=deadline.get_status_display(),
        rule_code=deadline.rule_code,
        owner=str(owner.full_name or owner.email) if owner else None,
        resolved_at=deadline.resolved_at,
        resolution_note=deadline.resolution_note,
        waived_reason=deadline.waived_reason,
        shared_with_parties=deadline.visible_to_participants,
        can_resolve=can_resolve,
    )


def _party_out(deadline: Deadline) -> DeadlineOut:
    return DeadlineOut(
        id=deadline.pk,
        case_id=deadline.case_id,
        title=deadline.title,
        due_at=deadline.due_at,
        status=deadline.status,
        status_label=deadline.get_status_display(),
        rule_code=None,
        owner=None,
        resolved_at=None,
        resolution_note=None,
        waived_reason=None,
        shared_with_parties=None,
        can_resolve=False,
    )


@router.get(
    "/cases/{case_id}/deadlines",
    response=responses(200, list[DeadlineOut], 404, 422),
    summary="List a case's deadlines",
)
def deadline_list(request: HttpRequest, case_id: ObjectId) -> list[DeadlineOut]:
    """Staff: every deadline on the case their policy allows, open first. A party: only those
    shared with them."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id)
    if case_policy.can(user, "view_workspace", case):
        return [
            _staff_out(r.deadline, r.can_resolve) for r in selectors.deadlines_for_case(user, case)
        ]
    return [_party_out(d) for d in selectors.deadlines_for_participant(user, case)]


def _resolved(user: Any, deadline: Deadline) -> DeadlineOut:
    fresh = selectors.deadline_get_for(user=user, deadline_id=deadline.pk)
    return _staff_out(fresh, fresh.is_open and policy.can_resolve(user, fresh))


@router.post(
    "/deadlines/{deadline_id}/met",
    response=responses(200, DeadlineOut, 403, 404, 422),
    summary="Record that a deadline was met",
)
def deadline_meet(request: HttpRequest, deadline_id: ObjectId, payload: DeadlineMeetIn) -> Any:
    """Staff who may resolve the deadline (its owner, the case team, coordinators)."""
    user = request.auth  # type: ignore[attr-defined]
    deadline = selectors.deadline_get_for(user=user, deadline_id=deadline_id)
    return _resolved(user, services.deadline_meet(actor=user, deadline=deadline, note=payload.note))


@router.post(
    "/deadlines/{deadline_id}/waive",
    response=responses(200, DeadlineOut, 403, 404, 422),
    summary="Waive a deadline, with the reason",
)
def deadline_waive(request: HttpRequest, deadline_id: ObjectId, payload: DeadlineReasonIn) -> Any:
    """Staff who may resolve the deadline; the reason is kept for the staff."""
    user = request.auth  # type: ignore[attr-defined]
    deadline = selectors.deadline_get_for(user=user, deadline_id=deadline_id)
    return _resolved(
        user, services.deadline_waive(actor=user, deadline=deadline, reason=payload.reason)
    )


@router.post(
    "/deadlines/{deadline_id}/escalate",
    response=responses(200, DeadlineOut, 403, 404, 422),
    summary="Escalate a deadline now, with the reason",
)
def deadline_escalate(
    request: HttpRequest, deadline_id: ObjectId, payload: DeadlineReasonIn
) -> Any:
    """Staff who may resolve the deadline; the escalation recipients are told at once."""
    user = request.auth  # type: ignore[attr-defined]
    deadline = selectors.deadline_get_for(user=user, deadline_id=deadline_id)
    return _resolved(
        user, services.deadline_escalate_now(actor=user, deadline=deadline, reason=payload.reason)
    )


class DeadlineAddIn(InputSchema):
    """A deadline to set on a case: from a rule (the clock starts on `start`), or `custom` at a
    chosen moment (`due_at`)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"rule_code": "send.arrange_mediation", "start": "2026-12-01", "owner_id": 7},
                {
                    "rule_code": "custom",
                    "due_at": "2026-12-18T17:00:00+00:00",
                    "title": "Send the draft MoU to both solicitors",
                    "owner_id": 7,
                    "concerns_participant_id": 12,
                    "visible_to_participants": True,
                },
            ]
        },
    )

    rule_code: str = Field(..., max_length=60, description="A rule's code, or custom.")
    start: dt.date | None = Field(None, description="Rules: the day the clock starts.")
    due_at: AwareDatetime | None = Field(None, description="custom: when it is due.")
    title: str = Field("", max_length=200, description="Empty: the rule's name.")
    owner_id: ObjectId = Field(..., description="A member of the service's staff.")
    concerns_participant_id: ObjectId | None = None
    visible_to_participants: bool = Field(
        False, description="Show it to the participant it concerns, and nobody else."
    )


@router.post(
    "/cases/{case_id}/deadlines",
    response=responses(201, DeadlineOut, 403, 404, 422),
    summary="Set a deadline on a case",
)
def deadline_add(request: HttpRequest, case_id: ObjectId, payload: DeadlineAddIn) -> Any:
    """Those who may manage the case's deadlines, through the services the page uses."""
    from accord.calendar import london_wall_time
    from accord.organisations.selectors import staff_in

    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    errors: dict[str, list[str]] = {}
    owner = staff_in(case.organisation).filter(pk=payload.owner_id).first()
    if owner is None:
        errors["owner_id"] = ["Choose a member of this service's staff."]
    participant = None
    if payload.concerns_participant_id is not None:
        participant = case.participants.filter(pk=payload.concerns_participant_id).first()
        if participant is None:
            errors["concerns_participant_id"] = ["Choose a participant of this case."]
    custom = payload.rule_code == "custom"
    if custom and payload.due_at is None:
        errors["due_at"] = ["Give the due date and time of a custom deadline."]
    if not custom and payload.start is None:
        errors["start"] = ["Give the day the rule's clock starts."]
    if errors:
        raise ValidationFailed("The deadline could not be set.", field_errors=errors)
    common = {
        "actor": user,
        "case": case,
        "owner": owner,
        "concerns_participant": participant,
        "visible_to_participants": payload.visible_to_participants,
    }
    if custom:
        assert payload.due_at is not None  # checked above
        deadline = services.deadline_create_due(
            rule_code="custom", due_at=payload.due_at, title=payload.title, **common
        )
    else:
        assert payload.start is not None
        deadline = services.deadline_create(
            rule_code=payload.rule_code,
            # Only the date counts for every rule, so noon keeps it clear of any clock change.
            start=london_wall_time(payload.start, dt.time(12, 0)),
            title=payload.title or None,
            **common,
        )
    fresh = selectors.deadline_get_for(user=user, deadline_id=deadline.pk)
    return Status(201, _staff_out(fresh, fresh.is_open and policy.can_resolve(user, fresh)))


# The service's deadline settings: its calendar days and its own rule rows ---------------------


def _configurable_service(user: Any) -> Any:
    """The caller's service, for its admins, as the settings page finds it; else 404."""
    from accord.organisations.selectors import staff_organisation_for

    organisation = staff_organisation_for(user)
    if organisation is None or not policy.can_configure(user, organisation.pk):
        raise NotFoundOrHidden("No such resource.")
    return organisation


class CalendarDayIn(InputSchema):
    """A day the service is shut, or its correction to the bank holidays."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"date": "2026-12-24", "name": "Christmas closure", "kind": "closure"}]
        },
    )

    date: dt.date
    name: str = Field(..., max_length=200, description="What the day is.")
    kind: str = Field(
        "closure",
        description="closure, bank_holiday (a bank holiday the national list lacks) or "
        "working_day (a listed bank holiday the service works).",
    )


class CalendarDayOut(Schema):
    """One of the service's own calendar days."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 21,
                    "date": "2026-12-24",
                    "name": "Christmas closure",
                    "kind": "closure",
                    "kind_label": "Service closure",
                }
            ]
        }
    )

    id: int
    date: dt.date
    name: str
    kind: str
    kind_label: str


def _day(day: CalendarOverride) -> CalendarDayOut:
    return CalendarDayOut(
        id=day.pk, date=day.date, name=day.name, kind=day.kind, kind_label=day.get_kind_display()
    )


def _days(organisation: Any) -> list[CalendarDayOut]:
    return [_day(d) for d in selectors.closures_for_service(organisation=organisation)]


@router.get(
    "/deadlines/settings/closures",
    response=responses(200, list[CalendarDayOut], 404),
    summary="The service's own calendar days: closures and bank-holiday corrections (admins)",
)
def closures_list(request: HttpRequest) -> list[CalendarDayOut]:
    """Soonest first. Deadlines counted in working days skip the closures."""
    return _days(_configurable_service(request.auth))  # type: ignore[attr-defined]


@router.post(
    "/deadlines/settings/closures",
    response=responses(201, CalendarDayOut, 404, 422),
    summary="Add a day to the service's calendar (admins)",
)
def closure_add(request: HttpRequest, payload: CalendarDayIn) -> Any:
    """A day already in the calendar, or a weekend as a working day, is a 422 on `date`."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _configurable_service(user)
    day = services.calendar_closure_add(
        actor=user,
        organisation=organisation,
        date=payload.date,
        name=payload.name,
        kind=payload.kind,
    )
    return Status(201, _day(day))


@router.delete(
    "/deadlines/settings/closures/{day_id}",
    response=responses(200, list[CalendarDayOut], 404),
    summary="Remove one of the service's own calendar days (admins); answers those left",
)
def closure_remove(request: HttpRequest, day_id: ObjectId) -> list[CalendarDayOut]:
    """National rows (the imported bank holidays) and other services' days are 404."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _configurable_service(user)
    day = CalendarOverride.objects.filter(organisation=organisation, pk=day_id).first()
    if day is None:
        raise NotFoundOrHidden("No such day in your service's calendar.")
    services.calendar_override_remove(actor=user, override=day)
    return _days(organisation)


class ServiceRuleIn(InputSchema):
    """The service's own row for a national deadline rule, for its cases opened on or after
    `effective_from`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "miam.within_15_business_days",
                    "period": 10,
                    "unit": "working_days",
                    "at_time": None,
                    "effective_from": "2027-01-01",
                    "source": "Service policy agreed December 2026",
                    "description": "We offer the MIAM within two working weeks.",
                }
            ]
        },
    )

    code: str = Field(..., max_length=80, description="The code of a national rule.")
    period: int = Field(..., description="How many units; negative counts back.")
    unit: str = Field(
        ...,
        description="calendar_days, working_days, weeks, months, next_working_day_at or hours.",
    )
    at_time: dt.time | None = Field(
        None,
        description="next_working_day_at: needed. hours: leave empty. Otherwise empty: 17:00.",
    )
    effective_from: dt.date
    source: str = Field(..., max_length=300, description="Where the rule comes from.")
    description: MultilineText = Field("", max_length=2000)


class ServiceRuleOut(Schema):
    """A rule row the service may be governed by: national (`own` false) or its own."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 40,
                    "code": "miam.within_15_business_days",
                    "label": "MIAM within 15 business days of first contact",
                    "period": 10,
                    "unit": "working_days",
                    "at_time": None,
                    "effective_from": "2027-01-01",
                    "source": "Service policy agreed December 2026",
                    "description": "We offer the MIAM within two working weeks.",
                    "own": True,
                }
            ]
        }
    )

    id: int
    code: str
    label: str
    period: int
    unit: str
    at_time: dt.time | None
    effective_from: dt.date
    source: str
    description: str
    own: bool = Field(description="The service's own row (false: the national rule).")


def _rule(rule: DeadlineRule) -> ServiceRuleOut:
    return ServiceRuleOut(
        id=rule.pk,
        code=rule.code,
        label=rule.label,
        period=rule.period,
        unit=rule.unit,
        at_time=rule.at_time,
        effective_from=rule.effective_from,
        source=rule.source,
        description=rule.description,
        own=rule.organisation_id is not None,
    )


@router.get(
    "/deadlines/settings/rules",
    response=responses(200, list[ServiceRuleOut], 404),
    summary="The deadline rules the service's cases follow: national rows and its own (admins)",
)
def rules_list(request: HttpRequest) -> list[ServiceRuleOut]:
    """By code; for each, the service's own rows before the national ones, newest first."""
    organisation = _configurable_service(request.auth)  # type: ignore[attr-defined]
    return [_rule(r) for r in selectors.rules_for_service(organisation=organisation)]


@router.post(
    "/deadlines/settings/rules",
    response=responses(201, ServiceRuleOut, 404, 422),
    summary="Add the service's own row for a deadline rule from a date (admins)",
)
def rule_add(request: HttpRequest, payload: ServiceRuleIn) -> Any:
    """An unknown code, a period of 0, a missing or needless time of day, or a second row of
    the same rule from the same date is a 422 naming the field."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _configurable_service(user)
    rule = services.deadline_rule_add_for_service(
        actor=user, organisation=organisation, **payload.model_dump()
    )
    return Status(201, _rule(rule))
