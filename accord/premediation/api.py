"""The pre-mediation part of the HTTP API (mounted by ``accord.api.api``).

Staff of the case list and book meetings; the notes are answered only to the case's mediators
and supervisor (null for other staff), and recorded only by the case's mediators. A party lists
their own bookings (when, how, where) and never the notes: the notes endpoint is staff only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.accounts.models import User
from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import policy
from accord.cases.models import Participant
from accord.cases.progress import part_applies
from accord.cases.selectors import case_get_for
from accord.premediation import selectors, services
from accord.premediation.models import PreMediationMeeting

router = Router(tags=["pre-mediation"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PreMediationBookIn(InputSchema):
    """A pre-mediation meeting to book with one party."""

    model_config = ConfigDict(extra="forbid")

    participant_id: ObjectId
    mediator_id: ObjectId = Field(..., description="The case's lead mediator or co-mediator.")
    starts_at: dt.datetime = Field(..., description="With a time zone; in the future.")
    duration_minutes: int = Field(60, description="15 to 240.")
    mode: str = Field(..., description="in_person, video or phone.")
    place: str = Field(..., description="The address or room, the video link, or the number.")
    confirm_warnings: bool = Field(
        False,
        description="True to save despite warnings (a clash, a weekend, a bank holiday, a "
        "closure); without it such a time is refused with the warnings in "
        "errors.confirm_warnings.",
    )
    confirm_reason: str = Field("", max_length=500, description="Needed to book over a clash.")


class PreMediationMoveIn(InputSchema):
    """A new time, length, way of meeting and place for a booked pre-mediation meeting."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2027-01-12T10:00:00+00:00",
                    "duration_minutes": 60,
                    "mode": "video",
                    "place": "https://meet.example/riverside-7",
                    "confirm_warnings": False,
                    "confirm_reason": "",
                }
            ]
        },
    )

    starts_at: dt.datetime = Field(..., description="With a time zone; in the future.")
    duration_minutes: int = Field(60, description="15 to 240.")
    mode: str = Field(..., description="in_person, video or phone.")
    place: str = Field(..., description="The address or room, the video link, or the number.")
    confirm_warnings: bool = Field(
        False, description="True to save despite warnings (clash, weekend, bank holiday)."
    )
    confirm_reason: str = Field("", max_length=500, description="Needed to move over a clash.")


class PreMediationCancelIn(InputSchema):
    """Why a booked meeting is cancelled (kept for the case team; never emailed)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "The party asked to meet after the holidays."}]},
    )

    reason: MultilineText = Field(..., max_length=2000)


class PreMediationDidNotAttendIn(InputSchema):
    """An optional note for the team when the party did not come."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"note": "No answer on the phone at the time booked."}]},
    )

    note: MultilineText = Field("", max_length=2000)


class PreMediationNotesIn(InputSchema):
    """The mediator's private notes of the meeting."""

    model_config = ConfigDict(extra="forbid")

    perspective: MultilineText
    goals: MultilineText = ""
    concerns: MultilineText = ""
    ideas: MultilineText = ""


class PreMediationNotesOut(Schema):
    """The notes: for the case's mediators and supervisor only."""

    perspective: str
    goals: str
    concerns: str
    ideas: str


class PreMediationOut(Schema):
    """A pre-mediation meeting as the caller may see it."""

    id: int
    participant_id: int | None = Field(description="Staff only; a party sees only their own.")
    starts_at: dt.datetime
    duration_minutes: int
    mode: str
    place: str
    held: bool
    status: str = Field(description="booked, held, cancelled or did_not_attend.")
    sequence: int = Field(description="0 when booked; one more each time moved or cancelled.")
    notes: PreMediationNotesOut | None = Field(
        description="The case's mediators and supervisor only; null for everyone else."
    )


def _out(meeting: PreMediationMeeting, *, staff: bool, notes: bool) -> PreMediationOut:
    return PreMediationOut(
        id=meeting.pk,
        participant_id=meeting.participant_id if staff else None,
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        mode=meeting.mode,
        place=meeting.place,
        held=meeting.is_held,
        status=meeting.status,
        sequence=meeting.sequence,
        notes=PreMediationNotesOut(
            perspective=meeting.perspective,
            goals=meeting.goals,
            concerns=meeting.concerns,
            ideas=meeting.ideas,
        )
        if notes and meeting.is_held
        else None,
    )


@router.get(
    "/cases/{case_id}/premediation",
    response=responses(200, list[PreMediationOut], 404, 422),
    summary="List a case's pre-mediation meetings",
)
def premediation_list(request: HttpRequest, case_id: ObjectId) -> list[PreMediationOut]:
    """Staff see every meeting (notes only for mediators and supervisor); a party their own."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    if not part_applies(case, "premediation"):
        return []
    if policy.can(user, "view_workspace", case):
        notes = selectors.notes_visible(user, case)
        return [
            _out(m, staff=True, notes=notes)
            for m in selectors.meetings_for_staff(user=user, case=case)
        ]
    mine = {row["id"] for row in selectors.meetings_for_party(user=user, case=case)}
    return [
        _out(m, staff=False, notes=False)
        for m in PreMediationMeeting.objects.filter(pk__in=mine).order_by("starts_at", "id")
    ]


@router.post(
    "/cases/{case_id}/premediation",
    response=responses(201, PreMediationOut, 404, 409, 422),
    summary="Book a pre-mediation meeting",
)
def premediation_book(request: HttpRequest, case_id: ObjectId, payload: PreMediationBookIn) -> Any:
    """The case's staff book a meeting of one party with the lead or co-mediator."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    meeting = services.premediation_meeting_book(
        actor=user,
        case=case,
        participant=Participant.objects.filter(case=case, pk=payload.participant_id).first(),
        mediator=User.objects.filter(pk=payload.mediator_id).first(),
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        mode=payload.mode,
        place=payload.place,
        confirm_warnings=payload.confirm_warnings,
        confirm_reason=payload.confirm_reason,
    )
    return Status(201, _out(meeting, staff=True, notes=selectors.notes_visible(user, case)))


def _staff_meeting(request: HttpRequest, case_id: int, meeting_id: int) -> tuple[Any, Any, Any]:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    meeting = selectors.meeting_get_for_staff(user=user, case=case, meeting_id=meeting_id)
    return user, case, meeting


@router.post(
    "/cases/{case_id}/premediation/{meeting_id}/move",
    response=responses(200, PreMediationOut, 403, 404, 409, 422),
    summary="Move a booked pre-mediation meeting",
)
def premediation_move(
    request: HttpRequest, case_id: ObjectId, meeting_id: ObjectId, payload: PreMediationMoveIn
) -> PreMediationOut:
    """The case's staff who may change it (parties 404). The party is emailed the new time with
    an updated calendar file; emails about the old time still queued are dropped."""
    user, case, meeting = _staff_meeting(request, case_id, meeting_id)
    meeting = services.premediation_meeting_move(
        actor=user, meeting=meeting, **payload.model_dump()
    )
    return _out(meeting, staff=True, notes=selectors.notes_visible(user, case))


@router.post(
    "/cases/{case_id}/premediation/{meeting_id}/cancel",
    response=responses(200, PreMediationOut, 403, 404, 409, 422),
    summary="Cancel a booked pre-mediation meeting",
)
def premediation_cancel(
    request: HttpRequest, case_id: ObjectId, meeting_id: ObjectId, payload: PreMediationCancelIn
) -> PreMediationOut:
    """The party is told it is cancelled, never why (the reason stays with the team)."""
    user, case, meeting = _staff_meeting(request, case_id, meeting_id)
    meeting = services.premediation_meeting_cancel(
        actor=user, meeting=meeting, reason=payload.reason
    )
    return _out(meeting, staff=True, notes=selectors.notes_visible(user, case))


@router.post(
    "/cases/{case_id}/premediation/{meeting_id}/did-not-attend",
    response=responses(200, PreMediationOut, 403, 404, 409, 422),
    summary="Record that the party did not attend a pre-mediation meeting",
)
def premediation_did_not_attend(
    request: HttpRequest,
    case_id: ObjectId,
    meeting_id: ObjectId,
    payload: PreMediationDidNotAttendIn,
) -> PreMediationOut:
    """Only once the meeting was due to start."""
    user, case, meeting = _staff_meeting(request, case_id, meeting_id)
    meeting = services.premediation_mark_did_not_attend(
        actor=user, meeting=meeting, note=payload.note
    )
    return _out(meeting, staff=True, notes=selectors.notes_visible(user, case))


@router.post(
    "/cases/{case_id}/premediation/{meeting_id}/notes",
    response=responses(200, PreMediationOut, 404, 409, 422),
    summary="Record the notes of a pre-mediation meeting (mediators only)",
)
def premediation_notes(
    request: HttpRequest, case_id: ObjectId, meeting_id: ObjectId, payload: PreMediationNotesIn
) -> PreMediationOut:
    """A case mediator records the party's perspective, goals, concerns and ideas."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    meeting = selectors.meeting_get_for_staff(user=user, case=case, meeting_id=meeting_id)
    meeting = services.premediation_notes_record(
        actor=user, meeting=meeting, **payload.model_dump()
    )
    return _out(meeting, staff=True, notes=selectors.notes_visible(user, case))
