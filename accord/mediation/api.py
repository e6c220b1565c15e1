"""The mediation part of the HTTP API (mounted by ``accord.api.api``).

Endpoints only parse input, call a selector or service and shape the answer, so the API shows
no more than the pages do: a party gets the sessions they attend (date, format, place) and the
case's shared summaries; never a private note, an opening account or the mediation's status.
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
from accord.cases.models import Participant
from accord.core.errors import ValidationFailed
from accord.mediation import selectors, services
from accord.mediation.models import MediationSession, SessionFormat
from accord.meetings.models import MeetingMode
from accord.organisations.models import Role
from accord.organisations.selectors import staff_in

router = Router(tags=["mediation"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class SessionIn(InputSchema):
    """A session to book."""

    model_config = ConfigDict(extra="forbid")

    format: SessionFormat
    starts_at: AwareDatetime = Field(description="With a time zone offset.")
    duration_minutes: int = Field(120, description="30 to 600 minutes.")
    mode: MeetingMode
    place: str = Field(..., max_length=500, description="Address or room, video link or number.")
    attendee_ids: list[ObjectId] = Field(..., description="Participants of this case.")
    mediator_ids: list[ObjectId] = Field(..., description="Mediators of the service.")
    confirm_warnings: bool = Field(
        False,
        description="True to save despite warnings (clash, weekend, bank holiday, closure); "
        "without it such a time is refused with the warnings in field_errors.confirm_warnings.",
    )
    confirm_reason: str = Field("", max_length=500, description="Needed to book over a clash.")


class SessionMoveIn(InputSchema):
    """A new time, length, way of meeting and place for a booked session."""

    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime = Field(description="With a time zone offset; in the future.")
    duration_minutes: int = Field(120, description="30 to 600 minutes.")
    mode: MeetingMode
    place: str = Field(..., max_length=500, description="Address or room, video link or number.")
    confirm_warnings: bool = Field(
        False,
        description="True to save despite warnings (clash, weekend, bank holiday, closure).",
    )
    confirm_reason: str = Field("", max_length=500, description="Needed to book over a clash.")


class SessionCancelIn(InputSchema):
    """Why a booked session is not going ahead (kept for the team; never emailed)."""

    model_config = ConfigDict(extra="forbid")

    reason: MultilineText = Field(..., max_length=2000)
    did_not_attend: bool = Field(
        False, description="True: it did not go ahead as a party did not come."
    )


class NoteOut(Schema):
    """A session note the caller may read."""

    id: int
    session_id: int
    kind: str
    text: str
    created_at: dt.datetime


class SessionOut(Schema):
    """A session as the caller may see it."""

    id: int
    number: int | None
    format: str
    status: str
    starts_at: dt.datetime
    duration_minutes: int
    mode: str
    place: str
    attendee_ids: list[int] = Field(description="Staff only; empty for parties.")


class SessionsOut(Schema):
    """The sessions and the notes the caller may see on a case."""

    sessions: list[SessionOut]
    notes: list[NoteOut]


class MetricsOut(Schema):
    """Sessions held and the time from first contact to agreement."""

    sessions_held: int
    first_contact: dt.date
    agreement: dt.date | None
    calendar_days: int | None
    working_days: int | None


class MediationOut(Schema):
    """The mediation's status and figures (case staff only)."""

    state: str
    end_reason: str
    ended_at: dt.datetime | None
    metrics: MetricsOut


def _session_out(session: MediationSession, *, staff: bool) -> SessionOut:
    return SessionOut(
        id=session.pk,
        number=session.number,
        format=session.format,
        status=session.status,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        mode=session.mode,
        place=session.place,
        attendee_ids=sorted(p.pk for p in session.attendees.all()) if staff else [],
    )


def _sessions_out(user: Any, case: Any) -> SessionsOut:
    staff = case_policy.can(user, "view_workspace", case)
    return SessionsOut(
        sessions=[
            _session_out(s, staff=staff) for s in selectors.session_list_for(user=user, case=case)
        ],
        notes=[
            NoteOut(
                id=n.pk,
                session_id=n.session_id,
                kind=n.kind,
                text=n.text,
                created_at=n.created_at,
            )
            for n in selectors.notes_for(user=user, case=case)
        ],
    )


@router.get(
    "/cases/{case_id}/sessions",
    response=responses(200, SessionsOut, 404, 422),
    summary="List sessions and notes",
)
def session_list(request: HttpRequest, case_id: ObjectId) -> SessionsOut:
    """Staff: every session and the notes they may read. Parties: the sessions they attend and
    the shared summaries."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id)
    return _sessions_out(user, case)


@router.post(
    "/cases/{case_id}/sessions",
    response=responses(201, SessionOut, 400, 404, 409, 422),
    summary="Book a session",
)
def session_book(request: HttpRequest, case_id: ObjectId, payload: SessionIn) -> Any:
    """Book a joint or shuttle session; attendees get a confirmation email where safe."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    people = list(Participant.objects.filter(case=case, pk__in=payload.attendee_ids))
    team = list(staff_in(case.organisation, Role.MEDIATOR).filter(pk__in=payload.mediator_ids))
    errors: dict[str, list[str]] = {}
    if len(people) != len(set(payload.attendee_ids)):
        errors["attendee_ids"] = ["Choose participants of this case only."]
    if len(team) != len(set(payload.mediator_ids)):
        errors["mediator_ids"] = ["Choose mediators of this service only."]
    if errors:
        raise ValidationFailed("The session could not be booked.", field_errors=errors)
    session = services.session_book(
        actor=user,
        case=case,
        format=payload.format.value,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        mode=payload.mode.value,
        place=payload.place,
        attendees=people,
        mediators=team,
        confirm_warnings=payload.confirm_warnings,
        confirm_reason=payload.confirm_reason,
    )
    return Status(201, _session_out(session, staff=True))


@router.get(
    "/cases/{case_id}/mediation",
    response=responses(200, MediationOut, 404, 422),
    summary="Mediation status and figures",
)
def mediation_detail(request: HttpRequest, case_id: ObjectId) -> MediationOut:
    """Whether the mediation is active, paused or ended, sessions held and days to agreement."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    status = selectors.status_for(user=user, case=case)
    metrics = selectors.metrics_for(user=user, case=case)
    return MediationOut(
        state=status.state if status else "active",
        end_reason=status.end_reason if status else "",
        ended_at=status.ended_at if status else None,
        metrics=MetricsOut(**metrics.__dict__),
    )


def _staff_session(request: HttpRequest, case_id: int, session_id: int) -> tuple[Any, Any]:
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    return user, selectors.session_get_for(user=user, case=case, session_id=session_id)


@router.post(
    "/cases/{case_id}/sessions/{session_id}/move",
    response=responses(200, SessionOut, 403, 404, 422),
    summary="Move a booked session",
)
def session_move(
    request: HttpRequest, case_id: ObjectId, session_id: ObjectId, payload: SessionMoveIn
) -> Any:
    """Case team only (parties 404). Attendees are emailed the new time with a calendar file."""
    user, session = _staff_session(request, case_id, session_id)
    moved = services.session_move(
        actor=user,
        session=session,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        mode=payload.mode.value,
        place=payload.place,
        confirm_warnings=payload.confirm_warnings,
        confirm_reason=payload.confirm_reason,
    )
    return _session_out(moved, staff=True)


@router.post(
    "/cases/{case_id}/sessions/{session_id}/cancel",
    response=responses(200, SessionOut, 403, 404, 422),
    summary="Cancel a booked session, or record that it did not go ahead",
)
def session_cancel(
    request: HttpRequest, case_id: ObjectId, session_id: ObjectId, payload: SessionCancelIn
) -> Any:
    """Case team only (parties 404). Attendees of a cancelled session are told, never why."""
    user, session = _staff_session(request, case_id, session_id)
    cancelled = services.session_cancel(
        actor=user, session=session, reason=payload.reason, did_not_attend=payload.did_not_attend
    )
    return _session_out(cancelled, staff=True)
