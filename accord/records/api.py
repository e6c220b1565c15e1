"""The records part of the HTTP API (mounted by ``accord.api.api``): the retention schedule,
the sweep's dry-run report, record holds and erasure requests.

As on the records pages, all of it is for the service's admins; anyone else, supervisors
included, gets 404, exactly as for the pages. A party may ask for their own data to be erased
and list their own requests. Every operation calls the service the page calls. The retention
page only shows what a sweep would do (the sweep itself runs daily in the worker), so the API
offers the dry-run report and no way to run it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases.models import Case, Participant
from accord.complaints import policy as complaints_policy
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.organisations.models import Organisation
from accord.records import retention, selectors, services
from accord.records.models import (
    ErasureRequest,
    RecordHold,
    RetentionRun,
    RetentionSchedule,
)

router = Router(tags=["records"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _admin_organisation(user: Any) -> Organisation:
    """The service the caller administers, as the records pages find it; else 404."""
    orgs = complaints_policy.admin_organisations(user)
    if not orgs:
        raise NotFoundOrHidden("No such resource.")
    return Organisation.objects.get(pk=orgs[0])


# The retention schedule ----------------------------------------------------------------------

_SCHEDULE_EXAMPLE: dict[str, Any] = {
    "legal_minimum_years": 2,
    "case_file_years": 6,
    "financial_years": 7,
    "safeguarding_years": 25,
    "complaints_years": 6,
    "invoices_years": 7,
    "audit_years": 10,
}


class RetentionScheduleIn(InputSchema):
    """The service's retention periods, in whole years after a case closes (0 to 100); none may
    be below the legal minimum the service sets."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_SCHEDULE_EXAMPLE]})

    legal_minimum_years: int
    case_file_years: int
    financial_years: int
    safeguarding_years: int
    complaints_years: int
    invoices_years: int
    audit_years: int


class RetentionScheduleOut(Schema):
    """The service's retention schedule (`saved` false: the defaults, nothing set yet)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_SCHEDULE_EXAMPLE, "saved": True}]}
    )

    legal_minimum_years: int
    case_file_years: int
    financial_years: int
    safeguarding_years: int
    complaints_years: int
    invoices_years: int
    audit_years: int
    saved: bool


def _schedule(schedule: RetentionSchedule) -> RetentionScheduleOut:
    return RetentionScheduleOut(
        legal_minimum_years=schedule.legal_minimum_years,
        **{name: getattr(schedule, name) for name in retention.SCHEDULE_FIELDS},
        saved=schedule.pk is not None,
    )


@router.get(
    "/records/retention-schedule",
    response=responses(200, RetentionScheduleOut, 404),
    summary="The service's retention schedule (service admins)",
)
def schedule_get(request: HttpRequest) -> RetentionScheduleOut:
    organisation = _admin_organisation(request.auth)  # type: ignore[attr-defined]
    return _schedule(retention.schedule_for(organisation))


@router.put(
    "/records/retention-schedule",
    response=responses(200, RetentionScheduleOut, 404, 422),
    summary="Set the service's retention schedule (service admins)",
)
def schedule_set(request: HttpRequest, payload: RetentionScheduleIn) -> RetentionScheduleOut:
    """A period below the legal minimum, or outside 0 to 100, is a 422 naming it."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_organisation(user)
    schedule = retention.retention_schedule_set(
        actor=user, organisation=organisation, **payload.model_dump()
    )
    return _schedule(schedule)


# What a sweep would do now (the dry run the retention page shows) -----------------------------


class SweepKindOut(Schema):
    kind: str
    label: str
    years: int = Field(description="Years after closure, from the schedule.")
    cases_due: int
    cases_held: int
    records: int = Field(description="Records a sweep would erase now.")
    kept_because: str = Field(description="Set when this kind is never erased by a sweep.")


class SweepHeldOut(Schema):
    reason: str
    cases: int


class RetentionRunOut(Schema):
    id: int
    started_at: dt.datetime
    trigger: str = Field(description="sweep or erasure_request.")
    summary: dict[str, Any]


class RetentionReportOut(Schema):
    """What a retention sweep would erase today and what it would keep (a dry run: nothing is
    changed), with the service's last ten runs."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "today": "2026-12-06",
                    "dry_run": True,
                    "kinds": [
                        {
                            "kind": "case_file",
                            "label": "Case file",
                            "years": 6,
                            "cases_due": 2,
                            "cases_held": 1,
                            "records": 41,
                            "kept_because": "",
                        },
                        {
                            "kind": "audit",
                            "label": "Audit trail",
                            "years": 6,
                            "cases_due": 0,
                            "cases_held": 0,
                            "records": 0,
                            "kept_because": "Audit events hold ids and codes, not what anyone "
                            "said; they are kept so that the chain still verifies.",
                        },
                    ],
                    "held": [{"reason": "A legal hold (hold placed by the service)", "cases": 1}],
                    "lines": [
                        "Retention for Riverside Family Mediation on 06 December 2026. "
                        "Dry run: nothing was changed."
                    ],
                    "recent_runs": [
                        {
                            "id": 7,
                            "started_at": "2026-12-06T02:00:00Z",
                            "trigger": "sweep",
                            "summary": {"case_file": {"due": 1, "held": 0, "rows": 18}},
                        }
                    ],
                }
            ]
        }
    )

    today: dt.date
    dry_run: bool
    kinds: list[SweepKindOut]
    held: list[SweepHeldOut]
    lines: list[str] = Field(description="The report as the retention page words it.")
    recent_runs: list[RetentionRunOut]


@router.get(
    "/records/retention-report",
    response=responses(200, RetentionReportOut, 404),
    summary="What a retention sweep would erase and keep today (a dry run; service admins)",
)
def retention_report(request: HttpRequest) -> RetentionReportOut:
    """Nothing is changed and nothing is audited, exactly as when the retention page is shown.
    The sweep itself runs once a day in the worker; neither the page nor the API runs it."""
    organisation = _admin_organisation(request.auth)  # type: ignore[attr-defined]
    report = retention.retention_sweep(organisation=organisation, dry_run=True)
    runs = RetentionRun.objects.filter(organisation=organisation)[:10]
    return RetentionReportOut(
        today=report.today,
        dry_run=report.dry_run,
        kinds=[
            SweepKindOut(
                kind=k.kind,
                label=k.label,
                years=k.years,
                cases_due=k.due,
                cases_held=k.held,
                records=k.rows,
                kept_because=k.note,
            )
            for k in report.kinds
        ],
        held=[
            SweepHeldOut(reason=reason, cases=n)
            for reason, n in sorted(report.held_reasons.items())
        ],
        lines=report.lines(),
        recent_runs=[
            RetentionRunOut(
                id=run.pk, started_at=run.started_at, trigger=run.trigger, summary=run.summary
            )
            for run in runs
        ],
    )


# Record holds --------------------------------------------------------------------------------


class RecordHoldIn(InputSchema):
    """A hold on a case's records: nothing of the case is erased until it is released."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"case_id": 5, "reason": "legal", "note": "Solicitor's letter of 2 December."}
            ]
        },
    )

    case_id: ObjectId = Field(description="A case of the service.")
    reason: str = Field(description="complaint, safeguarding or legal.")
    note: MultilineText = Field("", max_length=2000)


class RecordHoldOut(Schema):
    """A hold on a case's records (`released_at` set once released)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "case_id": 5,
                    "case_reference": "ACC-2026-0005",
                    "reason": "legal",
                    "note": "Solicitor's letter of 2 December.",
                    "placed_at": "2026-12-06T10:00:00Z",
                    "released_at": None,
                }
            ]
        }
    )

    id: int
    case_id: int
    case_reference: str
    reason: str
    note: str
    placed_at: dt.datetime
    released_at: dt.datetime | None


def _hold(hold: RecordHold) -> RecordHoldOut:
    return RecordHoldOut(
        id=hold.pk,
        case_id=hold.case_id,
        case_reference=hold.case.reference,
        reason=hold.reason,
        note=hold.note,
        placed_at=hold.created_at,
        released_at=hold.released_at,
    )


@router.get(
    "/records/holds",
    response=responses(200, list[RecordHoldOut], 404),
    summary="The holds in force on the service's records (service admins)",
)
def holds_list(request: HttpRequest) -> list[RecordHoldOut]:
    """Newest first, as on the retention page (at most 200)."""
    organisation = _admin_organisation(request.auth)  # type: ignore[attr-defined]
    return [_hold(hold) for hold in selectors.holds_in_force(organisation)]


@router.post(
    "/records/holds",
    response=responses(201, RecordHoldOut, 404, 422),
    summary="Place a hold on a case's records (service admins)",
)
def hold_place(request: HttpRequest, payload: RecordHoldIn) -> Any:
    """A case of another service, or none, is a 422 naming `case_id`."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_organisation(user)
    case = Case.objects.filter(organisation=organisation, pk=payload.case_id).first()
    if case is None:
        raise ValidationFailed(
            "The hold was not placed.",
            field_errors={"case_id": ["Choose a case of this service."]},
        )
    hold = retention.record_hold_place(
        actor=user, case=case, reason=payload.reason, note=payload.note
    )
    return Status(201, _hold(hold))


@router.post(
    "/records/holds/{hold_id}/release",
    response=responses(200, RecordHoldOut, 404, 422),
    summary="Release a hold; the next sweep erases what has fallen due (service admins)",
)
def hold_release(request: HttpRequest, hold_id: ObjectId) -> RecordHoldOut:
    """A hold already released is a 422."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_organisation(user)
    hold = selectors.hold_get(organisation, hold_id)
    if hold is None:
        raise NotFoundOrHidden("No such hold.")
    released = retention.record_hold_release(actor=user, hold=hold)
    return _hold(RecordHold.objects.select_related("case").get(pk=released.pk))


# Erasure requests ----------------------------------------------------------------------------

_ERASURE_EXAMPLE: dict[str, Any] = {
    "id": 3,
    "participant_id": 12,
    "participant_name": "Bob Jones",
    "case_reference": "ACC-2026-0005",
    "received_on": "2026-12-01",
    "via_portal": False,
    "status": "open",
    "decided_at": None,
    "decision_note": "",
    "run_id": None,
}


class ErasureRequestOut(Schema):
    """A request to erase a person's data and where it stands (open, done or refused)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ERASURE_EXAMPLE]})

    id: int
    participant_id: int
    participant_name: str = Field(description='"Erased person" once carried out.')
    case_reference: str
    received_on: dt.date
    via_portal: bool
    status: str
    decided_at: dt.datetime | None
    decision_note: str
    run_id: int | None = Field(description="The retention run that carried it out.")


class ErasureRequestIn(InputSchema):
    """A request to erase a participant's data, received by letter, email or phone."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"participant_id": 12, "received_on": "2026-12-01"}]},
    )

    participant_id: ObjectId = Field(description="A participant of one of the service's cases.")
    received_on: dt.date


class ErasureWouldEraseOut(Schema):
    what: str
    records: int


class ErasureKeptOut(Schema):
    what: str
    why: str


class ErasureReviewOut(Schema):
    """A request with what carrying it out would erase now, what it keeps and why, and the
    cases it cannot touch yet (open, or held)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request": _ERASURE_EXAMPLE,
                    "would_erase": [
                        {"what": "Case file", "records": 14},
                        {"what": "Complaints", "records": 0},
                    ],
                    "kept": [
                        {
                            "what": "Financial documents",
                            "why": "Financial records are kept for the service's legal "
                            "minimum (accounting law).",
                        }
                    ],
                    "not_yet": ["Case ACC-2026-0009: the case is still open"],
                    "can_carry_out": True,
                }
            ]
        }
    )

    request: ErasureRequestOut
    would_erase: list[ErasureWouldEraseOut]
    kept: list[ErasureKeptOut]
    not_yet: list[str] = Field(description="Cases of the person that are open or held.")
    can_carry_out: bool = Field(description="Open, and at least one case can be erased.")


class ErasureDecisionIn(InputSchema):
    """The decision's note: optional when carrying out, the reason when refusing."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "Asked by letter of 1 December."}]}
    )

    note: MultilineText = Field("", max_length=2000)


class ErasureCarriedOutOut(Schema):
    """The request, now done, and how many records each kind had erased."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request": {
                        **_ERASURE_EXAMPLE,
                        "participant_name": "Erased person",
                        "status": "done",
                        "decided_at": "2026-12-06T10:00:00Z",
                        "decision_note": "Asked by letter of 1 December.",
                        "run_id": 8,
                    },
                    "erased": {"case_file": 14, "complaints": 0},
                }
            ]
        }
    )

    request: ErasureRequestOut
    erased: dict[str, int]


def _erasure(item: ErasureRequest) -> ErasureRequestOut:
    participant = item.participant
    return ErasureRequestOut(
        id=item.pk,
        participant_id=item.participant_id,
        participant_name=participant.full_name,
        case_reference=participant.case.reference,
        received_on=item.received_on,
        via_portal=item.via_portal,
        status=item.status,
        decided_at=item.decided_at,
        decision_note=item.decision_note,
        run_id=item.run_id,
    )


def _reload(pk: int) -> ErasureRequest:
    return ErasureRequest.objects.select_related("participant", "participant__case").get(pk=pk)


def _admin_erasure(user: Any, request_id: int) -> ErasureRequest:
    organisation = _admin_organisation(user)
    found = selectors.erasure_request_get(organisation, request_id)
    if found is None:
        raise NotFoundOrHidden("No such request.")
    return found


@router.get(
    "/erasure-requests",
    response=responses(200, list[ErasureRequestOut]),
    summary="List erasure requests (service admins), or your own",
)
def erasure_list(request: HttpRequest) -> list[ErasureRequestOut]:
    """A service admin: the service's requests, newest first (at most 500). Anyone else: the
    requests made for their own portal participations."""
    user = request.auth  # type: ignore[attr-defined]
    orgs = complaints_policy.admin_organisations(user)
    if orgs:
        rows = selectors.erasure_requests_for_service(orgs[0])
    else:
        rows = ErasureRequest.objects.select_related("participant", "participant__case").filter(
            participant__user_id=user.pk, participant__portal_access=True
        )
    return [_erasure(row) for row in rows]


@router.post(
    "/erasure-requests",
    response=responses(201, ErasureRequestOut, 404, 422),
    summary="Record a request to erase a person's data (service admins)",
)
def erasure_record(request: HttpRequest, payload: ErasureRequestIn) -> Any:
    """Someone who is not a participant of the service's cases is a 422 naming
    `participant_id`; a second open request for the same person is a 422."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_organisation(user)
    person = (
        Participant.objects.filter(organisation=organisation, pk=payload.participant_id)
        .select_related("organisation")
        .first()
    )
    if person is None:
        raise ValidationFailed(
            "The request could not be recorded.",
            field_errors={"participant_id": ["Choose a participant of this service's cases."]},
        )
    made = services.erasure_request_make(
        actor=user, participant=person, received_on=payload.received_on
    )
    return Status(201, _erasure(_reload(made.pk)))


@router.post(
    "/cases/{case_id}/erasure-requests",
    response=responses(201, ErasureRequestOut, 404, 422),
    summary="Ask for your data to be erased (parties)",
)
def erasure_ask(request: HttpRequest, case_id: ObjectId) -> Any:
    """As "Your data" in the portal; the service reviews it before anything is erased."""
    user = request.auth  # type: ignore[attr-defined]
    me = (
        Participant.objects.filter(case_id=case_id, user_id=user.pk, portal_access=True)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    if me is None:
        raise NotFoundOrHidden("No such case.")
    made = services.erasure_request_make(actor=user, participant=me)
    return Status(201, _erasure(_reload(made.pk)))


@router.get(
    "/erasure-requests/{request_id}",
    response=responses(200, ErasureReviewOut, 404),
    summary="Review an erasure request: what would be erased, what is kept and why (admins)",
)
def erasure_get(request: HttpRequest, request_id: ObjectId) -> ErasureReviewOut:
    found = _admin_erasure(request.auth, request_id)  # type: ignore[attr-defined]
    review = services.erasure_review(found)
    return ErasureReviewOut(
        request=_erasure(found),
        would_erase=[ErasureWouldEraseOut(what=what, records=n) for what, n in review.erase],
        kept=[ErasureKeptOut(what=what, why=why) for what, why in review.keep],
        not_yet=review.held,
        can_carry_out=found.status == "open" and bool(review.case_ids),
    )


@router.post(
    "/erasure-requests/{request_id}/carry-out",
    response=responses(200, ErasureCarriedOutOut, 404, 422),
    summary="Carry out an erasure request (service admins)",
)
def erasure_carry_out(
    request: HttpRequest, request_id: ObjectId, payload: ErasureDecisionIn
) -> ErasureCarriedOutOut:
    """Erases the person's own records in their closed, unheld cases, as the review shows. A
    request already decided, or one with nothing that can be erased yet, is a 422."""
    user = request.auth  # type: ignore[attr-defined]
    found = _admin_erasure(user, request_id)
    run = services.erasure_request_carry_out(actor=user, request=found, note=payload.note)
    return ErasureCarriedOutOut(
        request=_erasure(_reload(found.pk)),
        erased={str(k): int(v) for k, v in run.summary.items()},
    )


@router.post(
    "/erasure-requests/{request_id}/refuse",
    response=responses(200, ErasureRequestOut, 404, 422),
    summary="Refuse an erasure request, with the reason (service admins)",
)
def erasure_refuse(
    request: HttpRequest, request_id: ObjectId, payload: ErasureDecisionIn
) -> ErasureRequestOut:
    """The reason (`note`) is required."""
    user = request.auth  # type: ignore[attr-defined]
    found = _admin_erasure(user, request_id)
    services.erasure_request_refuse(actor=user, request=found, note=payload.note)
    return _erasure(_reload(found.pk))
