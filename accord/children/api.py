"""The children parts of the HTTP API (mounted by ``accord.api.api``).

Staff of the case list and record the children and the offers. A parent lists the offers as
they may see them (their own answer; the other parent's only once both answered; the feedback
only once shared and only what the child approved) and answers for themself. The meeting's
notes are never in any answer to a parent; for staff only to the consultant and mediators.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, responses
from accord.cases import policy
from accord.cases.progress import part_applies
from accord.cases.selectors import case_get_for
from accord.children import selectors, services
from accord.children.models import CaseChild, ChildOffer
from accord.core.errors import NotFoundOrHidden

router = Router(tags=["children"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ChildIn(InputSchema):
    """A child of a family case."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(..., max_length=200)
    date_of_birth: dt.date


class ChildOut(Schema):
    id: int
    full_name: str
    date_of_birth: dt.date
    age: int
    to_be_offered: bool = Field(description="Aged 10 or over today and not yet offered.")


class ConsentIn(InputSchema):
    """A parent's own answer to the offer to hear their child."""

    model_config = ConfigDict(extra="forbid")

    answer: str = Field(..., description="consent or decline.")


class OfferOut(Schema):
    """An offer to hear a child, as the caller may see it."""

    id: int
    child_name: str
    status: str = Field(description="Staff, or a parent once both answered; else awaiting.")
    my_answer: str = Field(description="A parent's own answer; blank for staff.")
    other_answer: str = Field(description="The other parent's, only once both answered.")
    meeting_at: dt.datetime | None
    feedback: str = Field(description="Only what the child approved, once shared.")
    notes: str | None = Field(
        description="The child consultant and the case's mediators only; else null."
    )


def _child_out(child: CaseChild) -> ChildOut:
    from django.utils import timezone

    today = timezone.localdate()
    return ChildOut(
        id=child.pk,
        full_name=child.full_name,
        date_of_birth=child.date_of_birth,
        age=child.age_on(today),
        to_be_offered=selectors.should_be_offered(child, today),
    )


def _staff_offer(user: Any, offer: ChildOffer) -> OfferOut:
    notes = selectors.notes_visible(user, offer)
    return OfferOut(
        id=offer.pk,
        child_name=offer.child.full_name,
        status=offer.status,
        my_answer="",
        other_answer="",
        meeting_at=offer.starts_at,
        feedback=offer.feedback if notes or offer.feedback_shared_at else "",
        notes=offer.notes if notes else None,
    )


@router.get(
    "/cases/{case_id}/children",
    response=responses(200, list[ChildOut], 404),
    summary="List a family case's children (staff)",
)
def children_list(request: HttpRequest, case_id: ObjectId) -> list[ChildOut]:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    if not part_applies(case, "children"):
        return []
    return [_child_out(c) for c in selectors.children_for_staff(user=user, case=case)]


@router.post(
    "/cases/{case_id}/children",
    response=responses(201, ChildOut, 404, 409, 422),
    summary="Record a child of a family case",
)
def children_add(request: HttpRequest, case_id: ObjectId, payload: ChildIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    child = services.child_add(actor=user, case=case, **payload.model_dump())
    return Status(201, _child_out(child))


@router.post(
    "/cases/{case_id}/children/{child_id}/offer",
    response=responses(201, OfferOut, 404, 409, 422),
    summary="Record the offer to hear a child",
)
def offer_make(request: HttpRequest, case_id: ObjectId, child_id: ObjectId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    child = selectors.child_get_for_staff(user=user, case=case, child_id=child_id)
    offer = services.child_offer_make(actor=user, child=child)
    return Status(201, _staff_offer(user, offer))


@router.get(
    "/cases/{case_id}/children/offers",
    response=responses(200, list[OfferOut], 404),
    summary="List the offers to hear the children",
)
def offers_list(request: HttpRequest, case_id: ObjectId) -> list[OfferOut]:
    """Staff see every offer (notes only for the consultant and mediators); a parent their view."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    if not part_applies(case, "child_inclusive"):
        return []
    if policy.can(user, "view_workspace", case):
        return [_staff_offer(user, o) for o in selectors.offers_for_staff(user=user, case=case)]
    return [
        OfferOut(
            id=o.id,
            child_name=o.child_name,
            status=_status_code(o.id) if o.both_answered else "awaiting_consent",
            my_answer=o.my_answer,
            other_answer=o.other_answer,
            meeting_at=o.meeting_at,
            feedback=o.feedback,
            notes=None,
        )
        for o in selectors.offers_for_party(user=user, case=case)
    ]


def _status_code(offer_id: int) -> str:
    return str(ChildOffer.objects.values_list("status", flat=True).get(pk=offer_id))


@router.post(
    "/cases/{case_id}/children/offers/{offer_id}/answer",
    response=responses(200, OfferOut, 404, 409, 422),
    summary="A parent answers the offer to hear their child (their own answer only)",
)
def offer_answer(
    request: HttpRequest, case_id: ObjectId, offer_id: ObjectId, payload: ConsentIn
) -> OfferOut:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    offer = selectors.offer_get_for_party(user=user, case=case, offer_id=offer_id)
    services.consent_answer(actor=user, offer=offer, answer=payload.answer)
    mine = [o for o in selectors.offers_for_party(user=user, case=case) if o.id == offer.pk]
    if not mine:
        raise NotFoundOrHidden("No such offer.")
    o = mine[0]
    return OfferOut(
        id=o.id,
        child_name=o.child_name,
        status=_status_code(o.id) if o.both_answered else "awaiting_consent",
        my_answer=o.my_answer,
        other_answer=o.other_answer,
        meeting_at=o.meeting_at,
        feedback=o.feedback,
        notes=None,
    )


# Schedules and estimates -------------------------------------------------------------------------


class HolidayIn(InputSchema):
    """A holiday that overrides the rotation each year."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., max_length=60)
    start: str = Field(..., description="MM-DD", max_length=5)
    end: str = Field(..., description="MM-DD (inclusive)", max_length=5)
    rule: str = Field(..., description="alternate or fixed")
    even_years: str = Field(..., description="A or B: who has it in even years (or always).")


class HandoverIn(InputSchema):
    """A weekday whose exchanges happen at their own time."""

    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(..., description="0 Monday to 6 Sunday.")
    time: dt.time


class ExceptionIn(InputSchema):
    """A single date whose night goes to one parent, whatever the rotation and holidays say."""

    model_config = ConfigDict(extra="forbid")

    on: dt.date = Field(..., description="Within the schedule: from its anchor date.")
    carer: str = Field(..., description="A or B.", max_length=1)
    note: str = Field("", max_length=120)


class ScheduleIn(InputSchema):
    """A proposed schedule: a named pattern, or a custom rotation of A and B nights."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., max_length=120)
    pattern: str = Field("", description="A named pattern, or blank for a custom rotation.")
    rotation: str = Field("", max_length=120, description="A/B letters, one a night.")
    anchor: dt.date
    handover_time: dt.time = dt.time(18, 0)
    holidays: list[HolidayIn] = Field(default_factory=list, max_length=20)
    handovers: list[HandoverIn] = Field(
        default_factory=list, max_length=14, description="One time per weekday."
    )
    exceptions: list[ExceptionIn] = Field(default_factory=list, max_length=60)
    exclude_school_hours: bool = Field(
        False, description="Leave school hours (the service's school terms) out of the hours."
    )


class ParentNights(Schema):
    parent: str
    participant_id: int
    nights: int
    percent: str
    hours: str = Field(description="Hours with this parent (school hours left out if chosen).")


class ScheduleOut(Schema):
    id: int
    name: str
    pattern: str
    rotation: str
    anchor: dt.date
    handover_time: dt.time
    handovers: list[dict[str, Any]]
    exceptions: list[dict[str, str]]
    exclude_school_hours: bool
    school_hours: str = Field(description="Hours at school over the next 12 months.")
    agreed: bool
    own_proposal: bool = Field(description="Proposed by a parent (not the mediator).")
    next_12_months: list[ParentNights]


def _schedule_out(schedule: Any) -> ScheduleOut:
    from accord.children import schedules

    year = schedules.next_twelve_months(schedule)
    return ScheduleOut(
        id=schedule.pk,
        name=schedule.name,
        pattern=schedule.pattern,
        rotation="".join(schedule.rotation),
        anchor=schedule.anchor,
        handover_time=schedule.handover_time,
        handovers=list(schedule.handovers),
        exceptions=list(schedule.exceptions),
        exclude_school_hours=schedule.exclude_school_hours,
        school_hours=str(year.school_hours),
        agreed=schedule.agreed_at is not None,
        own_proposal=schedule.proposed_by_id is not None,
        next_12_months=[
            ParentNights(
                parent=p.full_name,
                participant_id=p.pk,
                nights=year.nights.get(code, 0),
                percent=str(year.percent(code)),
                hours=str((year.hours or {}).get(code, "")),
            )
            for p, code in ((schedule.parent_a, "A"), (schedule.parent_b, "B"))
        ],
    )


@router.get(
    "/cases/{case_id}/schedules",
    response=responses(200, list[ScheduleOut], 404),
    summary="List the case's time-share schedules",
)
def schedules_list(request: HttpRequest, case_id: ObjectId) -> list[ScheduleOut]:
    """Staff see every schedule; a parent the mediator's and their own proposals."""
    from accord.children import schedules

    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    if not part_applies(case, "schedules"):
        return []
    return [_schedule_out(s) for s in schedules.schedules_for(user=user, case=case)]


@router.post(
    "/cases/{case_id}/schedules",
    response=responses(201, ScheduleOut, 404, 409, 422),
    summary="Save a proposed schedule (the mediator's, or a parent's own)",
)
def schedules_create(request: HttpRequest, case_id: ObjectId, payload: ScheduleIn) -> Any:
    from accord.children import schedules

    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    data = payload.model_dump()
    schedule = schedules.schedule_save(actor=user, case=case, **data)
    return Status(201, _schedule_out(schedule))


@router.post(
    "/cases/{case_id}/schedules/{schedule_id}/agree",
    response=responses(200, ScheduleOut, 404, 409, 422),
    summary="Record the agreed schedule (case team)",
)
def schedules_agree(request: HttpRequest, case_id: ObjectId, schedule_id: ObjectId) -> Any:
    from accord.children import schedules

    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    schedule = schedules.schedule_get(user=user, case=case, schedule_id=schedule_id)
    return _schedule_out(schedules.schedule_agree(actor=user, schedule=schedule))


class EstimateIn(InputSchema):
    """A child maintenance estimate; the nights come from the agreed schedule."""

    model_config = ConfigDict(extra="forbid")

    paying_parent_id: ObjectId
    gross_weekly_income: str = Field(
        "", description="Pounds, at most two decimals; blank to use the disclosure's figure."
    )
    qualifying_children: int = Field(..., ge=1, le=20)
    other_children: int = Field(0, ge=0, le=20)


class EstimateOut(Schema):
    id: int
    paying_parent_id: int
    income_source: str = Field(
        description="disclosure, override (typed in place of the disclosure's) or typed."
    )
    income_sources: list[dict[str, str]] = Field(
        description="The disclosure items behind the income: description, gross_yearly, "
        "valuation_date."
    )
    disclosure_weekly: str = Field(description="The disclosure's figure, blank if none.")
    gross_weekly_income: str
    weekly: str
    monthly: str
    yearly: str
    nights: list[int]
    collect_and_pay: dict[str, str]
    steps: list[str]
    rules: list[str]
    agreed: bool
    estimate_only: bool = Field(True, description="Always true: not the CMS's decision.")


def _estimate_out(e: Any) -> EstimateOut:
    return EstimateOut(
        id=e.pk,
        paying_parent_id=e.paying_parent_id,
        income_source=e.income_source,
        income_sources=[
            {str(k): str(v) for k, v in row.items()}
            for row in e.explanation.get("income_sources", [])
        ],
        disclosure_weekly=str(e.explanation.get("disclosure_weekly", "")),
        gross_weekly_income=str(e.gross_weekly_income),
        weekly=str(e.weekly),
        monthly=str(e.explanation.get("monthly", "")),
        yearly=str(e.explanation.get("yearly", "")),
        nights=list(e.nights),
        collect_and_pay={str(k): str(v) for k, v in e.collect_and_pay.items()},
        steps=[str(s) for s in e.explanation.get("steps", [])],
        rules=[str(r) for r in e.explanation.get("rules", [])],
        agreed=e.agreed_at is not None,
        estimate_only=True,
    )


@router.get(
    "/cases/{case_id}/maintenance",
    response=responses(200, list[EstimateOut], 404),
    summary="List the case's child maintenance estimates (case team)",
)
def estimates_list(request: HttpRequest, case_id: ObjectId) -> list[EstimateOut]:
    from accord.children.models import MaintenanceEstimate

    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    return [_estimate_out(e) for e in MaintenanceEstimate.objects.filter(case=case)]


@router.post(
    "/cases/{case_id}/maintenance",
    response=responses(201, EstimateOut, 404, 409, 422),
    summary="Make a child maintenance estimate (case team)",
)
def estimates_create(request: HttpRequest, case_id: ObjectId, payload: EstimateIn) -> Any:
    from accord.cases.models import Participant
    from accord.children import estimates

    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    estimate = estimates.estimate_make(
        actor=user,
        case=case,
        paying_parent=Participant.objects.filter(case=case, pk=payload.paying_parent_id).first(),
        gross_weekly_income=payload.gross_weekly_income,
        qualifying_children=payload.qualifying_children,
        other_children=payload.other_children,
    )
    return Status(201, _estimate_out(estimate))


class TermIn(InputSchema):
    """A school term of the service (its administrators)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "Spring term", "start": "2027-01-05", "end": "2027-02-12"}]
        },
    )

    name: str = Field(..., max_length=80)
    start: dt.date
    end: dt.date


class TermOut(Schema):
    """A school term the service's schedules leave school hours out of."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": 3, "name": "Spring term", "start": "2027-01-05", "end": "2027-02-12"}
            ]
        }
    )

    id: int
    name: str
    start: dt.date
    end: dt.date


@router.get(
    "/school-terms",
    response=responses(200, list[TermOut], 404),
    summary="List the service's school terms (its staff)",
)
def terms_list(request: HttpRequest) -> list[TermOut]:
    from accord.children import schedules
    from accord.organisations.selectors import staff_organisation_for

    user = request.auth  # type: ignore[attr-defined]
    organisation = staff_organisation_for(user)
    if organisation is None:
        raise NotFoundOrHidden("No such service.")
    return [
        TermOut(id=t.pk, name=t.name, start=t.start, end=t.end)
        for t in schedules.terms_for(user=user, organisation_id=organisation.pk)
    ]


@router.post(
    "/school-terms",
    response=responses(201, TermOut, 404, 422),
    summary="Add a school term of the service (its administrators)",
)
def terms_add(request: HttpRequest, payload: TermIn) -> Any:
    from accord.children import schedules
    from accord.organisations.selectors import staff_organisation_for

    user = request.auth  # type: ignore[attr-defined]
    organisation = staff_organisation_for(user)
    if organisation is None:
        raise NotFoundOrHidden("No such service.")
    term = schedules.term_add(actor=user, organisation_id=organisation.pk, **payload.model_dump())
    return Status(201, TermOut(id=term.pk, name=term.name, start=term.start, end=term.end))
