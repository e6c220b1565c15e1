"""The children parts of the HTTP API (mounted by ``accord.api.api``).

Everything the children pages do, under the same policy and through the same services:

- Staff of the case (and the child consultant of one of its offers, as on the page) list the
  children and the offers; staff who may change the case record children (typed or from the
  enquiry), make the offer, assign the consultant and book the meeting.
- The consultant or a case mediator records the meeting (private notes, the feedback the child
  approved), shares the approved feedback and raises a safeguarding concern from the meeting.
- A parent lists the offers as they may see them (their own answer; the other parent's only
  once both answered; where the meeting is only if they bring the child; the feedback only once
  shared and only what the child approved) and answers for themself.

The meeting's notes are never in any answer to a parent, nor to staff other than the consultant
and the case's mediators (the supervisor once a concern was raised from the meeting): the same
rule as the page (`selectors.notes_visible`), which also governs the feedback's words for staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime, ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import kinds, policy
from accord.cases.models import Case
from accord.cases.progress import part_applies
from accord.cases.selectors import case_get_for
from accord.children import selectors, services
from accord.children.models import CaseChild, ChildOffer
from accord.core.errors import NotFoundOrHidden, ValidationFailed

router = Router(tags=["children"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


@contextmanager
def _fields_as_sent(**names: str) -> Iterator[None]:
    """Name the request's own fields in a service's refusal (``brought_by`` → ``brought_by_id``)."""
    try:
        yield
    except ValidationFailed as exc:
        exc.field_errors = {names.get(k, k): v for k, v in exc.field_errors.items()}
        raise


def _staff_case(user: Any, case_id: int) -> Case:
    """The case for its staff, or for the child consultant of one of its offers (as the page)."""
    try:
        return case_get_for(user=user, case_id=case_id, action="view_workspace")
    except NotFoundOrHidden:
        return selectors.consultant_case(user=user, case_id=case_id)


def _children_case(user: Any, case_id: int) -> Case:
    """`_staff_case`, and 404 where the case is not a family case about children (the page's)."""
    case = _staff_case(user, case_id)
    if not kinds.applies(case.kind, "children"):
        raise NotFoundOrHidden("No such case.")
    return case


def _recorder_offer(user: Any, case: Case, offer_id: int) -> ChildOffer:
    """An offer whose meeting the caller may record: its consultant or a case mediator."""
    offer = selectors.offer_get_for_staff(user=user, case=case, offer_id=offer_id)
    if not services.may_record(user, offer):
        raise NotFoundOrHidden("No such meeting.")
    return offer


class ChildIn(InputSchema):
    """A child of a family case."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"full_name": "Maya Smith", "date_of_birth": "2014-03-14"}]
        },
    )

    full_name: str = Field(..., max_length=200)
    date_of_birth: dt.date


class CaseChildOut(Schema):
    """A child recorded on the case (not the enquiry's ``ChildOut``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "full_name": "Maya Smith",
                    "date_of_birth": "2014-03-14",
                    "age": 12,
                    "to_be_offered": True,
                }
            ]
        }
    )

    id: int
    full_name: str
    date_of_birth: dt.date
    age: int
    to_be_offered: bool = Field(description="Aged 10 or over today and not yet offered.")


class ConsentIn(InputSchema):
    """A parent's own answer to the offer to hear their child."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"answer": "consent"}]}
    )

    answer: str = Field(..., description="consent or decline.")


class ParentAnswerOut(Schema):
    """One parent's answer, as the case's staff see it on the children page."""

    participant_id: int
    name: str
    answer: str = Field(description="consent or decline.")


_OFFER_EXAMPLE: dict[str, Any] = {
    "id": 4,
    "child_id": 7,
    "child_name": "Maya Smith",
    "child_age": 12,
    "offered_on": "2026-11-02",
    "status": "consented",
    "my_answer": "",
    "other_answer": "",
    "answers": [
        {"participant_id": 21, "name": "Alice Smith", "answer": "consent"},
        {"participant_id": 22, "name": "Bob Jones", "answer": "consent"},
    ],
    "consultant_id": 9,
    "consultant_name": "Priya Shah",
    "meeting_at": "2026-12-18T15:00:00Z",
    "duration_minutes": 45,
    "meeting_mode": "in_person",
    "meeting_place": "Room 2, 5 High Street",
    "brought_by_id": 21,
    "bringing": False,
    "held_at": None,
    "feedback_approved": False,
    "feedback_shared_at": None,
    "feedback": "",
    "notes": None,
    "concern_raised": False,
}


class OfferOut(Schema):
    """An offer to hear a child, as the caller may see it.

    Fields marked "staff only" are null for a parent. A parent sees where the meeting is only if
    they bring the child, the other parent's answer only once both answered, and the feedback
    only once shared (only what the child approved)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_OFFER_EXAMPLE]})

    id: int
    child_id: int | None = Field(description="Staff only.")
    child_name: str
    child_age: int = Field(description="The child's age on the day of the offer.")
    offered_on: dt.date
    status: str = Field(
        description="awaiting_consent, declined, consented, met or fed_back (a parent sees "
        "awaiting_consent until both answered)."
    )
    my_answer: str = Field(description="A parent's own answer; blank for staff.")
    other_answer: str = Field(description="The other parent's, only once both answered.")
    answers: list[ParentAnswerOut] = Field(
        description="Each parent's answer: staff only ([] else)."
    )
    consultant_id: int | None = Field(description="Staff only.")
    consultant_name: str | None = Field(description="Staff only.")
    meeting_at: dt.datetime | None
    duration_minutes: int | None = Field(description="Staff only; null until booked.")
    meeting_mode: str = Field(description="in_person, video or phone; blank until booked.")
    meeting_place: str = Field(description="Staff, and the parent who brings the child.")
    brought_by_id: int | None = Field(description="Staff only: the participant bringing.")
    bringing: bool = Field(description="A parent: whether they bring the child.")
    held_at: dt.datetime | None = Field(description="Staff only: when the meeting was recorded.")
    feedback_approved: bool | None = Field(description="Staff only.")
    feedback_shared_at: dt.datetime | None = Field(description="Staff only.")
    feedback: str = Field(
        description="Its words: the consultant and the case's mediators; a parent only what "
        "the child approved, once shared."
    )
    notes: str | None = Field(
        description="The child consultant and the case's mediators only; else null."
    )
    concern_raised: bool | None = Field(
        description="Staff only: a safeguarding concern was raised from the meeting."
    )


def _child_out(child: CaseChild) -> CaseChildOut:
    from django.utils import timezone

    today = timezone.localdate()
    return CaseChildOut(
        id=child.pk,
        full_name=child.full_name,
        date_of_birth=child.date_of_birth,
        age=child.age_on(today),
        to_be_offered=selectors.should_be_offered(child, today),
    )


def _staff_offer(user: Any, offer: ChildOffer) -> OfferOut:
    """The offer as the children page shows it to this member of staff."""
    notes = selectors.notes_visible(user, offer)
    booked = offer.starts_at is not None
    return OfferOut(
        id=offer.pk,
        child_id=offer.child_id,
        child_name=offer.child.full_name,
        child_age=offer.child.age_on(offer.offered_on),
        offered_on=offer.offered_on,
        status=offer.status,
        my_answer="",
        other_answer="",
        answers=[
            ParentAnswerOut(
                participant_id=a.participant_id, name=a.participant.full_name, answer=a.answer
            )
            for a in sorted(offer.answers.all(), key=lambda a: a.participant_id)
        ],
        consultant_id=offer.consultant_id,
        consultant_name=offer.consultant.full_name if offer.consultant else "",
        meeting_at=offer.starts_at,
        duration_minutes=offer.duration_minutes if booked else None,
        meeting_mode=offer.mode if booked else "",
        meeting_place=offer.place if booked else "",
        brought_by_id=offer.brought_by_id if booked else None,
        bringing=False,
        held_at=offer.held_at,
        feedback_approved=offer.feedback_approved_at is not None,
        feedback_shared_at=offer.feedback_shared_at,
        feedback=offer.feedback if notes else "",
        notes=offer.notes if notes else None,
        concern_raised=offer.concern_id is not None,
    )


def _party_offers(user: Any, case: Case) -> list[OfferOut]:
    """The offers as the portal page shows them to this parent."""
    seen = selectors.offers_for_party(user=user, case=case)
    rows = {
        pk: (mode, status, offered_on)
        for pk, mode, status, offered_on in ChildOffer.objects.filter(
            case=case, pk__in=[o.id for o in seen]
        ).values_list("pk", "mode", "status", "offered_on")
    }
    return [
        OfferOut(
            id=o.id,
            child_id=None,
            child_name=o.child_name,
            child_age=o.child_age,
            offered_on=rows[o.id][2],
            status=str(rows[o.id][1]) if o.both_answered else "awaiting_consent",
            my_answer=o.my_answer,
            other_answer=o.other_answer,
            answers=[],
            consultant_id=None,
            consultant_name=None,
            meeting_at=o.meeting_at,
            duration_minutes=None,
            meeting_mode=str(rows[o.id][0]) if o.meeting_at else "",
            meeting_place=o.meeting_place,
            brought_by_id=None,
            bringing=o.bringing,
            held_at=None,
            feedback_approved=None,
            feedback_shared_at=None,
            feedback=o.feedback,
            notes=None,
            concern_raised=None,
        )
        for o in seen
    ]


@router.get(
    "/cases/{case_id}/children",
    response=responses(200, list[CaseChildOut], 404),
    summary="List a family case's children (staff)",
)
def children_list(request: HttpRequest, case_id: ObjectId) -> list[CaseChildOut]:
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    if not part_applies(case, "children"):
        return []
    return [_child_out(c) for c in selectors.children_for_staff(user=user, case=case)]


@router.post(
    "/cases/{case_id}/children",
    response=responses(201, CaseChildOut, 404, 409, 422),
    summary="Record a child of a family case",
)
def children_add(request: HttpRequest, case_id: ObjectId, payload: ChildIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    child = services.child_add(actor=user, case=case, **payload.model_dump())
    return Status(201, _child_out(child))


@router.post(
    "/cases/{case_id}/children/import",
    response=responses(201, list[CaseChildOut], 404, 409, 422),
    summary="Record the children named on the enquiry (those with a date of birth, once)",
)
def children_import(request: HttpRequest, case_id: ObjectId) -> Any:
    """Answers the children recorded now: `[]` when the enquiry names none not yet recorded."""
    user = request.auth  # type: ignore[attr-defined]
    case = _children_case(user, case_id)
    made = services.children_import_from_enquiry(actor=user, case=case)
    return Status(201, [_child_out(c) for c in made])


@router.post(
    "/cases/{case_id}/children/{child_id}/offer",
    response=responses(201, OfferOut, 404, 409, 422),
    summary="Record the offer to hear a child",
)
def offer_make(request: HttpRequest, case_id: ObjectId, child_id: ObjectId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
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
    try:
        case = case_get_for(user=user, case_id=case_id)
    except NotFoundOrHidden:
        case = selectors.consultant_case(user=user, case_id=case_id)
    if not part_applies(case, "child_inclusive"):
        return []
    if policy.can(user, "view_workspace", case) or _consults(user, case):
        return [_staff_offer(user, o) for o in selectors.offers_for_staff(user=user, case=case)]
    return _party_offers(user, case)


def _consults(user: Any, case: Case) -> bool:
    try:
        selectors.consultant_case(user=user, case_id=case.pk)
    except NotFoundOrHidden:
        return False
    return True


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
    mine = [o for o in _party_offers(user, case) if o.id == offer.pk]
    if not mine:
        raise NotFoundOrHidden("No such offer.")
    return mine[0]


class ConsultantIn(InputSchema):
    """The mediator trained for child-inclusive work who will meet the child."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"consultant_id": 9}]}
    )

    consultant_id: ObjectId = Field(
        ..., description="An active mediator of the service whose profile records the training."
    )


@router.post(
    "/cases/{case_id}/children/offers/{offer_id}/consultant",
    response=responses(200, OfferOut, 404, 409, 422),
    summary="Assign (or change) the child consultant of a consented offer",
)
def offer_consultant(
    request: HttpRequest, case_id: ObjectId, offer_id: ObjectId, payload: ConsultantIn
) -> OfferOut:
    from accord.accounts.models import User

    user = request.auth  # type: ignore[attr-defined]
    case = _children_case(user, case_id)
    offer = selectors.offer_get_for_staff(user=user, case=case, offer_id=offer_id)
    # The page's choices: the service's active mediators trained for child-inclusive work.
    consultant = User.objects.filter(
        pk=payload.consultant_id,
        mediator_profiles__organisation_id=case.organisation_id,
        mediator_profiles__child_consultant__trained=True,
        is_active=True,
    ).first()
    with _fields_as_sent(consultant="consultant_id"):
        offer = services.consultant_assign(actor=user, offer=offer, consultant=consultant)
    return _staff_offer(user, offer)


class ChildMeetingIn(InputSchema):
    """The child's meeting with the consultant, and who brings the child."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2026-12-18T15:00:00+00:00",
                    "duration_minutes": 45,
                    "mode": "in_person",
                    "place": "Room 2, 5 High Street",
                    "brought_by_id": 21,
                    "confirm_warnings": False,
                    "confirm_reason": "",
                }
            ]
        },
    )

    starts_at: AwareDatetime = Field(..., description="With a time zone offset; in the future.")
    duration_minutes: int = Field(45, description="15 to 180 minutes.")
    mode: str = Field(..., description="in_person, video or phone.")
    place: str = Field(..., max_length=500, description="Address or room, video link or number.")
    brought_by_id: ObjectId = Field(..., description="The parent or carer who brings the child.")
    confirm_warnings: bool = Field(
        False,
        description="True to save despite warnings (clash, weekend, bank holiday, closure); "
        "without it such a time is refused with the warnings in errors.confirm_warnings.",
    )
    confirm_reason: str = Field("", max_length=500, description="Needed to book over a clash.")


@router.post(
    "/cases/{case_id}/children/offers/{offer_id}/meeting",
    response=responses(200, OfferOut, 404, 409, 422),
    summary="Book (or rebook) the child's meeting with the consultant",
)
def offer_meeting(
    request: HttpRequest, case_id: ObjectId, offer_id: ObjectId, payload: ChildMeetingIn
) -> OfferOut:
    from accord.cases.models import Participant

    user = request.auth  # type: ignore[attr-defined]
    case = _children_case(user, case_id)
    offer = selectors.offer_get_for_staff(user=user, case=case, offer_id=offer_id)
    data = payload.model_dump()
    brought_by = Participant.objects.filter(case=case, pk=data.pop("brought_by_id")).first()
    with _fields_as_sent(brought_by="brought_by_id"):
        offer = services.child_meeting_book(actor=user, offer=offer, brought_by=brought_by, **data)
    return _staff_offer(user, offer)


class ChildMeetingRecordIn(InputSchema):
    """What the child said (private) and what the child agreed may be told to the parents."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "notes": "Worried about moving schools; likes the weekends at Dad's.",
                    "feedback": "Maya would like to keep her Saturday swimming.",
                    "child_approved": True,
                }
            ]
        },
    )

    notes: MultilineText = Field(
        ..., max_length=10_000, description="Private: never shown to the parents."
    )
    feedback: MultilineText = Field(
        "", max_length=10_000, description="Only what the child agreed may be told, in their words."
    )
    child_approved: bool = Field(False, description="The child approved this feedback.")


@router.post(
    "/cases/{case_id}/children/offers/{offer_id}/record",
    response=responses(200, OfferOut, 404, 409, 422),
    summary="Record the child's meeting (the consultant or a case mediator)",
)
def offer_record(
    request: HttpRequest, case_id: ObjectId, offer_id: ObjectId, payload: ChildMeetingRecordIn
) -> OfferOut:
    user = request.auth  # type: ignore[attr-defined]
    case = _children_case(user, case_id)
    offer = _recorder_offer(user, case, offer_id)
    offer = services.child_meeting_record(actor=user, offer=offer, **payload.model_dump())
    return _staff_offer(user, offer)


@router.post(
    "/cases/{case_id}/children/offers/{offer_id}/share",
    response=responses(200, OfferOut, 404, 409, 422),
    summary="Share the feedback the child approved with the parents",
)
def offer_share(request: HttpRequest, case_id: ObjectId, offer_id: ObjectId) -> OfferOut:
    """The consultant or a case mediator; only feedback the child approved, and only once."""
    user = request.auth  # type: ignore[attr-defined]
    case = _children_case(user, case_id)
    offer = _recorder_offer(user, case, offer_id)
    return _staff_offer(user, services.feedback_share(actor=user, offer=offer))


class ChildConcernIn(InputSchema):
    """A safeguarding concern about the child, from what the child said or what was seen."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "allegation": "Said she is scared to go home at weekends.",
                    "alleged_against": "",
                    "immediate_danger": False,
                    "action_taken": "",
                }
            ]
        },
    )

    allegation: MultilineText = Field(..., max_length=10_000)
    alleged_against: str = Field("", max_length=200, description="About whom (optional).")
    immediate_danger: bool = Field(
        False, description="True needs `action_taken` (what was done there and then)."
    )
    action_taken: MultilineText = Field("", max_length=10_000)


class ChildConcernOut(Schema):
    """The concern raised from the meeting (read it under /safeguarding) and the offer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "concern_id": 15,
                    "message": "The safeguarding concern is recorded and the lead is told.",
                    "offer": {**_OFFER_EXAMPLE, "concern_raised": True},
                }
            ]
        }
    )

    concern_id: int
    message: str
    offer: OfferOut


@router.post(
    "/cases/{case_id}/children/offers/{offer_id}/concern",
    response=responses(201, ChildConcernOut, 404, 409, 422),
    summary="Raise a safeguarding concern from the child's meeting",
)
def offer_concern(
    request: HttpRequest, case_id: ObjectId, offer_id: ObjectId, payload: ChildConcernIn
) -> Any:
    """The consultant or a case mediator. A consultant outside the case team is told (422) to
    have the case's mediator raise it: the safeguarding record is the case team's."""
    user = request.auth  # type: ignore[attr-defined]
    case = _children_case(user, case_id)
    offer = _recorder_offer(user, case, offer_id)
    concern = services.child_meeting_concern_raise(actor=user, offer=offer, **payload.model_dump())
    offer = selectors.offer_get_for_staff(user=user, case=case, offer_id=offer.pk)
    return Status(
        201,
        ChildConcernOut(
            concern_id=concern.pk,
            message="The safeguarding concern is recorded and the lead is told.",
            offer=_staff_offer(user, offer),
        ),
    )


class ConsultantTrainingIn(InputSchema):
    """A mediator's training for child-inclusive work (the service's administrators)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"trained": True, "dbs_checked_on": "2025-03-01"}]},
    )

    trained: bool
    dbs_checked_on: dt.date | None = Field(
        None, description="The last DBS check (optional: the FMC no longer requires it)."
    )


class ConsultantTrainingOut(Schema):
    """A mediator of the service and their child-inclusive training."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "profile_id": 5,
                    "user_id": 9,
                    "full_name": "Priya Shah",
                    "trained": True,
                    "dbs_checked_on": "2025-03-01",
                }
            ]
        }
    )

    profile_id: int
    user_id: int
    full_name: str
    trained: bool
    dbs_checked_on: dt.date | None


def _admin_organisation(user: Any) -> Any:
    from accord.organisations.selectors import is_service_admin, staff_organisation_for

    organisation = staff_organisation_for(user)
    if organisation is None or not is_service_admin(user, organisation.pk):
        raise NotFoundOrHidden("No such service.")
    return organisation


def _training_out(profile: Any) -> ConsultantTrainingOut:
    from accord.children.models import ChildConsultant

    record = ChildConsultant.objects.filter(profile=profile).first()
    return ConsultantTrainingOut(
        profile_id=profile.pk,
        user_id=profile.user_id,
        full_name=profile.user.full_name,
        trained=bool(record and record.trained),
        dbs_checked_on=record.dbs_checked_on if record else None,
    )


@router.get(
    "/child-consultants",
    response=responses(200, list[ConsultantTrainingOut], 404),
    summary="List the service's mediators and their child-inclusive training (its admins)",
)
def consultants_list(request: HttpRequest) -> list[ConsultantTrainingOut]:
    from accord.organisations.models import MediatorProfile

    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_organisation(user)
    profiles = MediatorProfile.objects.filter(organisation=organisation).select_related("user")
    return [_training_out(p) for p in profiles.order_by("user__full_name", "id")]


@router.put(
    "/child-consultants/{profile_id}",
    response=responses(200, ConsultantTrainingOut, 404, 409, 422),
    summary="Record a mediator's child-inclusive training (the service's admins)",
)
def consultant_training_set(
    request: HttpRequest, profile_id: ObjectId, payload: ConsultantTrainingIn
) -> ConsultantTrainingOut:
    from accord.organisations.models import MediatorProfile

    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_organisation(user)
    profile = (
        MediatorProfile.objects.filter(organisation=organisation, pk=profile_id)
        .select_related("user")
        .first()
    )
    if profile is None:
        raise NotFoundOrHidden("No such mediator.")
    services.consultant_set(actor=user, profile=profile, **payload.model_dump())
    return _training_out(profile)


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


_SCHEDULE_EXAMPLE: dict[str, Any] = {
    "id": 3,
    "name": "Alternate weeks",
    "pattern": "alternating_weeks",
    "rotation": "AAAAAAABBBBBBB",
    "anchor": "2027-01-04",
    "handover_time": "18:00:00",
    "handovers": [{"weekday": 4, "time": "15:30"}],
    "exceptions": [{"on": "2027-05-02", "carer": "B", "note": "Grandma's 80th"}],
    "exclude_school_hours": False,
    "school_hours": "",
    "agreed": False,
    "own_proposal": False,
    "next_12_months": [
        {
            "parent": "Alice Smith",
            "participant_id": 21,
            "nights": 183,
            "percent": "50.1",
            "hours": "",
        },
        {
            "parent": "Bob Jones",
            "participant_id": 22,
            "nights": 182,
            "percent": "49.9",
            "hours": "",
        },
    ],
}


class ScheduleOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_SCHEDULE_EXAMPLE]})

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


class DayOut(Schema):
    on: dt.date
    carer: str = Field(description="A or B: who has the child that night; blank before the anchor.")


class ScheduleDetailOut(ScheduleOut):
    """A schedule with one month's calendar (the page's month view)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_SCHEDULE_EXAMPLE,
                    "month": "2027-01",
                    "parent_a": "Alice Smith",
                    "parent_b": "Bob Jones",
                    "days": [
                        {"on": "2027-01-04", "carer": "A"},
                        {"on": "2027-01-05", "carer": "A"},
                    ],
                }
            ]
        }
    )

    month: str = Field(description="YYYY-MM")
    parent_a: str
    parent_b: str
    days: list[DayOut] = Field(description="Each day of the month from the anchor date.")


class CompareDayOut(Schema):
    on: dt.date
    first: str = Field(description="A or B under the first schedule.")
    second: str = Field(description="A or B under the second schedule.")
    differs: bool


class CompareOut(Schema):
    """Two proposals side by side for a month, and each one's next 12 months."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "first": _SCHEDULE_EXAMPLE,
                    "second": {**_SCHEDULE_EXAMPLE, "id": 4, "name": "2-2-3"},
                    "month": "2027-01",
                    "days": [{"on": "2027-01-04", "first": "A", "second": "A", "differs": False}],
                    "differing": 9,
                }
            ]
        }
    )

    first: ScheduleOut
    second: ScheduleOut
    month: str = Field(description="YYYY-MM")
    days: list[CompareDayOut]
    differing: int = Field(description="Days of the month the two give to different parents.")


def _month_of(text: str, default: dt.date) -> tuple[int, int]:
    """``YYYY-MM`` (2000 to 2100), the default's month when blank; else a 422 naming `month`."""
    if not text:
        return default.year, default.month
    try:
        year, month = (int(x) for x in text.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationFailed(
            "Check the month.",
            field_errors={"month": ["Enter a month from 2000 to 2100 as YYYY-MM, e.g. 2027-01."]},
        )
    return year, month


def _month_days(schedule: Any, year: int, month: int) -> list[tuple[dt.date, str]]:
    from accord.children import schedules

    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if last < schedule.anchor:
        return []
    split = schedules.split_of(schedule, first, last)
    return [(day, split.days.get(day, "")) for day in sorted(split.days) if first <= day <= last]


def _schedules_case(user: Any, case_id: int) -> Case:
    """The case for its staff or one of its parents, where schedules apply (the page's rule)."""
    from accord.cases.selectors import is_portal_party

    case = case_get_for(user=user, case_id=case_id)
    if not kinds.applies(case.kind, "schedules"):
        raise NotFoundOrHidden("No such case.")
    if not (policy.can(user, "view_workspace", case) or is_portal_party(user, case)):
        raise NotFoundOrHidden("No such case.")
    return case


#: Query text held to a pattern of safe characters (no control or direction characters can pass).
MonthParam = Annotated[
    str, Field(pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM", examples=["2027-01"])
]
ParentParam = Annotated[str, Field(pattern=r"^[ABab]?$", description="A or B", examples=["A"])]


@router.get(
    "/cases/{case_id}/schedules/compare",
    response=responses(200, CompareOut, 404, 422),
    summary="Compare two schedules for a month (the first two when none are chosen)",
)
def schedules_compare(
    request: HttpRequest,
    case_id: ObjectId,
    a: ObjectId | None = None,
    b: ObjectId | None = None,
    month: MonthParam = "",
) -> CompareOut:
    """Staff, or a parent among the schedules they may see (the mediator's and their own)."""
    from django.utils import timezone

    from accord.children import schedules

    user = request.auth  # type: ignore[attr-defined]
    case = _schedules_case(user, case_id)
    visible = schedules.schedules_for(user=user, case=case)
    if a is None and b is None:
        if len(visible) < 2:
            raise NotFoundOrHidden("There are not two schedules to compare.")
        first, second = visible[0], visible[1]
    else:
        by_id = {s.pk: s for s in visible}
        if a not in by_id or b not in by_id:
            raise NotFoundOrHidden("No such schedule.")
        first, second = by_id[a], by_id[b]
    year, mon = _month_of(month, max(timezone.localdate(), first.anchor, second.anchor))
    one, two = dict(_month_days(first, year, mon)), dict(_month_days(second, year, mon))
    days = [
        CompareDayOut(on=day, first=one[day], second=two[day], differs=one[day] != two[day])
        for day in sorted(set(one) & set(two))
    ]
    return CompareOut(
        first=_schedule_out(first),
        second=_schedule_out(second),
        month=f"{year:04d}-{mon:02d}",
        days=days,
        differing=sum(1 for d in days if d.differs),
    )


@router.get(
    "/cases/{case_id}/schedules/{schedule_id}",
    response=responses(200, ScheduleDetailOut, 404, 422),
    summary="One schedule, with a month's calendar",
)
def schedule_detail(
    request: HttpRequest, case_id: ObjectId, schedule_id: ObjectId, month: MonthParam = ""
) -> ScheduleDetailOut:
    """Staff see every schedule; a parent the mediator's and their own proposals."""
    from django.utils import timezone

    from accord.children import schedules

    user = request.auth  # type: ignore[attr-defined]
    case = _schedules_case(user, case_id)
    schedule = schedules.schedule_get(user=user, case=case, schedule_id=schedule_id)
    year, mon = _month_of(month, max(timezone.localdate(), schedule.anchor))
    return ScheduleDetailOut(
        **_schedule_out(schedule).model_dump(),
        month=f"{year:04d}-{mon:02d}",
        parent_a=schedule.parent_a.full_name,
        parent_b=schedule.parent_b.full_name,
        days=[DayOut(on=d, carer=c) for d, c in _month_days(schedule, year, mon)],
    )


class TimeBlockOut(Schema):
    start: dt.datetime = Field(description="The handover that starts the parent's time.")
    end: dt.datetime = Field(description="The handover that ends it.")


class ParentTimeOut(Schema):
    """One parent's time with the children over the next 12 months (the page's calendar file)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "schedule_id": 3,
                    "parent": "A",
                    "name": "Alice Smith",
                    "blocks": [
                        {"start": "2027-01-04T18:00:00Z", "end": "2027-01-06T18:00:00Z"},
                        {"start": "2027-01-08T18:00:00Z", "end": "2027-01-13T18:00:00Z"},
                    ],
                }
            ]
        }
    )

    schedule_id: int
    parent: str = Field(description="A or B.")
    name: str
    blocks: list[TimeBlockOut]


@router.get(
    "/cases/{case_id}/schedules/{schedule_id}/time",
    response=responses(200, ParentTimeOut, 404, 422),
    summary="A parent's time with the children, next 12 months, handover to handover",
)
def schedule_time(
    request: HttpRequest, case_id: ObjectId, schedule_id: ObjectId, parent: ParentParam = ""
) -> ParentTimeOut:
    """Staff choose the parent (`parent=A` or `B`, A when omitted); a parent gets their own
    time (asking for the other parent's is 404). The same blocks as the page's calendar file."""
    from django.utils import timezone

    from accord.children import calc, schedules

    user = request.auth  # type: ignore[attr-defined]
    case = _schedules_case(user, case_id)
    schedule = schedules.schedule_get(user=user, case=case, schedule_id=schedule_id)
    if parent and parent not in calc.CARERS:
        raise ValidationFailed("Check the parent.", field_errors={"parent": ["Choose A or B."]})
    if policy.can(user, "view_workspace", case):
        code = parent or "A"
    elif schedule.parent_a.user_id == user.pk:
        code = "A"
    elif schedule.parent_b.user_id == user.pk:
        code = "B"
    else:
        raise NotFoundOrHidden("No such schedule.")
    if parent and parent != code:
        raise NotFoundOrHidden("No such parent.")
    year = schedules.next_twelve_months(schedule)
    spans: list[tuple[dt.date, dt.date]] = []
    for day, carer in sorted(year.days.items()):
        if carer != code:
            continue
        if spans and spans[-1][1] + dt.timedelta(days=1) == day:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    handover = schedule.handover_time

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, handover))

    person = schedule.parent_a if code == "A" else schedule.parent_b
    return ParentTimeOut(
        schedule_id=schedule.pk,
        parent=code,
        name=person.full_name,
        blocks=[
            TimeBlockOut(start=at(first), end=at(last + dt.timedelta(days=1)))
            for first, last in spans
        ],
    )


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

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "paying_parent_id": 22,
                    "gross_weekly_income": "650.00",
                    "qualifying_children": 1,
                    "other_children": 0,
                }
            ]
        },
    )

    paying_parent_id: ObjectId
    gross_weekly_income: str = Field(
        "", description="Pounds, at most two decimals; blank to use the disclosure's figure."
    )
    qualifying_children: int = Field(..., ge=1, le=20)
    other_children: int = Field(0, ge=0, le=20)


_ESTIMATE_EXAMPLE: dict[str, Any] = {
    "id": 2,
    "paying_parent_id": 22,
    "income_source": "typed",
    "income_sources": [],
    "disclosure_weekly": "",
    "gross_weekly_income": "650.00",
    "weekly": "78.00",
    "monthly": "338.00",
    "yearly": "4056.00",
    "nights": [0],
    "collect_and_pay": {
        "paying parent pays a week (with the 20% fee)": "£93.60",
        "receiving parent gets a week (after the 4% fee)": "£74.88",
    },
    "steps": ["Basic rate: 12% of £650.00 = £78.00 a week."],
    "rules": ["Child Support Maintenance Calculation Regulations 2012, Sch. 1"],
    "agreed": False,
    "estimate_only": True,
}


class EstimateOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_ESTIMATE_EXAMPLE]})

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
    with _fields_as_sent(paying_parent="paying_parent_id"):
        estimate = estimates.estimate_make(
            actor=user,
            case=case,
            paying_parent=Participant.objects.filter(
                case=case, pk=payload.paying_parent_id
            ).first(),
            gross_weekly_income=payload.gross_weekly_income,
            qualifying_children=payload.qualifying_children,
            other_children=payload.other_children,
        )
    return Status(201, _estimate_out(estimate))


class IncomeOut(Schema):
    """A parent's gross weekly income from their financial disclosure, if it gives one."""

    participant_id: int
    name: str
    disclosure_weekly: str = Field(description="Pounds; blank when the disclosure gives none.")
    income_sources: list[dict[str, str]] = Field(
        description="The disclosure items behind it: item_id, description, gross_yearly, "
        "valuation_date."
    )
    missing: list[str] = Field(description="Income items with no figure before tax.")


class EstimateInputsOut(Schema):
    """What a new estimate would start from (the page's form): the agreed schedule, incomes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "agreed_schedule_id": 3,
                    "parents": [
                        {
                            "participant_id": 22,
                            "name": "Bob Jones",
                            "disclosure_weekly": "650.00",
                            "income_sources": [
                                {
                                    "item_id": "40",
                                    "description": "Salary, Acme Ltd",
                                    "gross_yearly": "33800.00",
                                    "valuation_date": "2026-10-01",
                                }
                            ],
                            "missing": [],
                        }
                    ],
                }
            ]
        }
    )

    agreed_schedule_id: int | None = Field(description="Its nights feed the estimate.")
    parents: list[IncomeOut]


def _estimate_get(user: Any, case_id: int, estimate_id: int) -> Any:
    from accord.children.models import MaintenanceEstimate

    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    estimate = MaintenanceEstimate.objects.filter(case=case, pk=estimate_id).first()
    if estimate is None:
        raise NotFoundOrHidden("No such estimate.")
    return estimate


@router.get(
    "/cases/{case_id}/maintenance/inputs",
    response=responses(200, EstimateInputsOut, 404),
    summary="What a new child maintenance estimate starts from (case team)",
)
def estimate_inputs(request: HttpRequest, case_id: ObjectId) -> EstimateInputsOut:
    """The agreed schedule and each parent's income from their disclosure, as the page shows."""
    from accord.cases.models import PARTY_ROLES, Participant
    from accord.children import estimates, schedules

    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    if not kinds.applies(case.kind, "maintenance"):
        raise NotFoundOrHidden("No such case.")
    agreed = schedules.agreed_schedule(case)
    parents = []
    for party in Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"):
        found = estimates.disclosure_income(actor=user, case=case, participant=party)
        parents.append(
            IncomeOut(
                participant_id=party.pk,
                name=party.full_name,
                disclosure_weekly=str(found.weekly) if found else "",
                income_sources=estimates.income_sources(found) if found else [],
                missing=list(found.missing) if found else [],
            )
        )
    return EstimateInputsOut(agreed_schedule_id=agreed.pk if agreed else None, parents=parents)


class AgreedFigureOut(Schema):
    """The agreed child maintenance figure, as the schedules page shows it to the parents."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"agreed": True, "weekly": "78.00", "estimate_only": True}]}
    )

    agreed: bool = Field(description="False while no figure is agreed.")
    weekly: str = Field(description="Pounds a week; blank while none is agreed.")
    estimate_only: bool = Field(True, description="Always true: not the CMS's decision.")


@router.get(
    "/cases/{case_id}/maintenance/agreed",
    response=responses(200, AgreedFigureOut, 404),
    summary="The agreed child maintenance figure (the case team and the parents)",
)
def estimate_agreed(request: HttpRequest, case_id: ObjectId) -> AgreedFigureOut:
    """A parent sees only the weekly figure, as on their schedules page: never the income."""
    from accord.children import estimates

    user = request.auth  # type: ignore[attr-defined]
    case = _schedules_case(user, case_id)
    agreed = estimates.agreed_estimate(case)
    return AgreedFigureOut(
        agreed=agreed is not None, weekly=str(agreed.weekly) if agreed else "", estimate_only=True
    )


@router.get(
    "/cases/{case_id}/maintenance/{estimate_id}",
    response=responses(200, EstimateOut, 404),
    summary="One child maintenance estimate (case team)",
)
def estimate_detail(request: HttpRequest, case_id: ObjectId, estimate_id: ObjectId) -> EstimateOut:
    user = request.auth  # type: ignore[attr-defined]
    return _estimate_out(_estimate_get(user, case_id, estimate_id))


@router.post(
    "/cases/{case_id}/maintenance/{estimate_id}/agree",
    response=responses(200, EstimateOut, 404, 409, 422),
    summary="Record the agreed child maintenance figure (case team)",
)
def estimate_agree(request: HttpRequest, case_id: ObjectId, estimate_id: ObjectId) -> EstimateOut:
    """It goes into the parenting plan's Money heading and the MoU; any earlier one is unagreed."""
    from accord.children import estimates

    user = request.auth  # type: ignore[attr-defined]
    estimate = _estimate_get(user, case_id, estimate_id)
    return _estimate_out(estimates.estimate_agree(actor=user, estimate=estimate))


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


@router.delete(
    "/school-terms/{term_id}",
    response=responses(200, list[TermOut], 404, 409),
    summary="Remove a school term of the service (its administrators); answers those left",
)
def terms_remove(request: HttpRequest, term_id: ObjectId) -> list[TermOut]:
    from accord.children import schedules
    from accord.children.models import SchoolTerm

    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_organisation(user)
    term = SchoolTerm.objects.filter(organisation=organisation, pk=term_id).first()
    if term is None:
        raise NotFoundOrHidden("No such term.")
    schedules.term_remove(actor=user, term=term)
    return [
        TermOut(id=t.pk, name=t.name, start=t.start, end=t.end)
        for t in schedules.terms_for(user=user, organisation_id=organisation.pk)
    ]
