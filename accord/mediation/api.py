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
from accord.mediation.models import (
    FULL_RULES,
    AttendanceStatus,
    EndReason,
    MediationSession,
    NoteKind,
    SessionFormat,
)
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
        "without it such a time is refused with the warnings in errors.confirm_warnings.",
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
    return _mediation_out(user, case)


def _mediation_out(user: Any, case: Any) -> MediationOut:
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


# --- Running a session, and the mediation's status -----------------------------------------

RULE_CODES = ", ".join(name for name, _ in FULL_RULES)


class OpeningAccountIn(InputSchema):
    """One party's opening account at the first session."""

    model_config = ConfigDict(extra="forbid")

    participant_id: ObjectId
    text: MultilineText = Field(..., max_length=20000)


class SessionStartIn(InputSchema):
    """The opening of a session: the ground rules restated and questions invited. At the first
    session, every rule in full and each attending party's opening account."""

    model_config = ConfigDict(extra="forbid")

    ground_rules_restated: bool = Field(..., description="Must be true.")
    questions_invited: bool = Field(..., description="Must be true.")
    full_rules: list[str] = Field(
        [],
        max_length=len(FULL_RULES),
        description=f"Rules gone through in full (all of them at the first session): {RULE_CODES}.",
        examples=[[name for name, _ in FULL_RULES]],
    )
    opening_accounts: list[OpeningAccountIn] = Field(
        [],
        max_length=50,
        description="First session only: one per attending party.",
        examples=[[{"participant_id": 12, "text": "I would like the children to see both of us."}]],
    )


class AttendanceIn(InputSchema):
    """How one booked attendee attended."""

    model_config = ConfigDict(extra="forbid")

    participant_id: ObjectId
    status: AttendanceStatus = Field(..., examples=["attended"])


class SessionAttendanceIn(InputSchema):
    """Attendance for every person booked on the session."""

    model_config = ConfigDict(extra="forbid")

    attendance: list[AttendanceIn] = Field(
        ...,
        max_length=50,
        examples=[[{"participant_id": 12, "status": "attended"}]],
    )


class SessionNoteIn(InputSchema):
    """A note of a started session: private to the mediators and supervisor, or a summary shared
    with the parties."""

    model_config = ConfigDict(extra="forbid")

    kind: NoteKind = Field(..., examples=["shared_summary"])
    text: MultilineText = Field(..., max_length=20000)


class MediationReasonIn(InputSchema):
    """Why the mediation is paused or reopened."""

    model_config = ConfigDict(extra="forbid")

    reason: MultilineText = Field(..., max_length=2000)


class MediationEndIn(InputSchema):
    """Why the mediation ended, and a short note on how."""

    model_config = ConfigDict(extra="forbid")

    reason: EndReason = Field(..., examples=["agreement"])
    note: MultilineText = Field(..., max_length=2000)


def _note_out(note: Any) -> NoteOut:
    return NoteOut(
        id=note.pk,
        session_id=note.session_id,
        kind=note.kind,
        text=note.text,
        created_at=note.created_at,
    )


@router.post(
    "/cases/{case_id}/sessions/{session_id}/start",
    response=responses(200, SessionOut, 403, 404, 422),
    summary="Start a session",
)
def session_start(
    request: HttpRequest, case_id: ObjectId, session_id: ObjectId, payload: SessionStartIn
) -> Any:
    """The session's mediator starts it (from 30 minutes before its time), once everyone
    required has signed the Agreement to Mediate and the case is not paused."""
    user, session = _staff_session(request, case_id, session_id)
    accounts: dict[int, str] = {}
    for account in payload.opening_accounts:
        if account.participant_id in accounts:
            raise ValidationFailed(
                "The session could not be started.",
                field_errors={"opening_accounts": ["Give one opening account per party."]},
            )
        accounts[account.participant_id] = account.text
    started = services.session_start(
        actor=user,
        session=session,
        ground_rules_restated=payload.ground_rules_restated,
        questions_invited=payload.questions_invited,
        full_rules=payload.full_rules,
        opening_accounts=accounts,
    )
    return _session_out(started, staff=True)


@router.post(
    "/cases/{case_id}/sessions/{session_id}/attendance",
    response=responses(200, SessionOut, 403, 404, 422),
    summary="Record who attended a session",
)
def session_attendance(
    request: HttpRequest, case_id: ObjectId, session_id: ObjectId, payload: SessionAttendanceIn
) -> Any:
    """For every person booked: attended, late, left_early or did_not_attend."""
    user, session = _staff_session(request, case_id, session_id)
    attendance: dict[int, str] = {}
    for row in payload.attendance:
        if row.participant_id in attendance:
            raise ValidationFailed(
                "The attendance could not be recorded.",
                field_errors={"attendance": ["Give each person once."]},
            )
        attendance[row.participant_id] = row.status.value
    recorded = services.session_record_attendance(
        actor=user, session=session, attendance=attendance
    )
    return _session_out(recorded, staff=True)


@router.post(
    "/cases/{case_id}/sessions/{session_id}/end",
    response=responses(200, SessionOut, 403, 404, 422),
    summary="End a session in progress",
)
def session_end(request: HttpRequest, case_id: ObjectId, session_id: ObjectId) -> Any:
    """The session is held; attendance must be recorded first."""
    user, session = _staff_session(request, case_id, session_id)
    return _session_out(services.session_end(actor=user, session=session), staff=True)


@router.post(
    "/cases/{case_id}/sessions/{session_id}/notes",
    response=responses(201, NoteOut, 403, 404, 422),
    summary="Add a session note",
)
def session_note_add(
    request: HttpRequest, case_id: ObjectId, session_id: ObjectId, payload: SessionNoteIn
) -> Any:
    """The session's mediator adds a private note (read only by the case's mediators and
    supervisor) or a shared summary (the parties read it too)."""
    user, session = _staff_session(request, case_id, session_id)
    note = services.session_note_add(
        actor=user, session=session, kind=payload.kind.value, text=payload.text
    )
    return Status(201, _note_out(note))


def _mediator_case(request: HttpRequest, case_id: int) -> tuple[Any, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return user, case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")


@router.post(
    "/cases/{case_id}/mediation/pause",
    response=responses(200, MediationOut, 403, 404, 422),
    summary="Pause the mediation",
)
def mediation_pause(request: HttpRequest, case_id: ObjectId, payload: MediationReasonIn) -> Any:
    """The case's mediator pauses an active mediation: no session starts until it reopens."""
    user, case = _mediator_case(request, case_id)
    services.mediation_pause(actor=user, case=case, reason=payload.reason)
    return _mediation_out(user, case)


@router.post(
    "/cases/{case_id}/mediation/end",
    response=responses(200, MediationOut, 403, 404, 422),
    summary="End the mediation",
)
def mediation_end(request: HttpRequest, case_id: ObjectId, payload: MediationEndIn) -> Any:
    """The case's mediator ends the mediation; the case moves to its outcome stage (agreement)
    or closes, and booked sessions are cancelled."""
    user, case = _mediator_case(request, case_id)
    services.mediation_end(actor=user, case=case, reason=payload.reason.value, note=payload.note)
    return _mediation_out(user, case)


@router.post(
    "/cases/{case_id}/mediation/reopen",
    response=responses(200, MediationOut, 403, 404, 422),
    summary="Reopen a paused or ended mediation",
)
def mediation_reopen(request: HttpRequest, case_id: ObjectId, payload: MediationReasonIn) -> Any:
    """The case's mediator reopens it; an ended mediation moves the case back to its sessions."""
    user, case = _mediator_case(request, case_id)
    services.mediation_reopen(actor=user, case=case, reason=payload.reason)
    return _mediation_out(user, case)


class SuitabilityOverrideIn(InputSchema):
    """Why an accredited case mediator overrides the suitability gate (seen by the case team
    and supervisors; it may quote screening, so it stays out of the audit trail)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reason": "Both parties asked to meet together; co-mediated with "
                    "separate waiting rooms."
                }
            ]
        },
    )

    reason: MultilineText = Field(..., max_length=2000)


class SuitabilityOverrideOut(Schema):
    """The override recorded, and what the gate now says for each session format."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "decision_route": "shuttle",
                    "reason": "Both parties asked to meet together; co-mediated with "
                    "separate waiting rooms.",
                    "made_by": "Sam Patel",
                    "made_at": "2026-12-06T10:02:00Z",
                    "session_refusals": {"joint": "", "shuttle": ""},
                }
            ]
        }
    )

    id: int
    decision_route: str = Field(description="The route of the decision overridden.")
    reason: str
    made_by: str
    made_at: dt.datetime
    session_refusals: dict[str, str] = Field(
        description="Per session format offered: why it cannot be booked or started now, or "
        "empty when it can."
    )


@router.post(
    "/cases/{case_id}/mediation/override",
    response=responses(201, SuitabilityOverrideOut, 403, 404, 422),
    summary="Override the suitability gate (accredited case mediator)",
)
def suitability_override(
    request: HttpRequest, case_id: ObjectId, payload: SuitabilityOverrideIn
) -> Any:
    """An accredited mediator who is the case's lead or co-mediator, as the page (other staff
    of the case 403, trainees included; parties and other services 404). Lifts the route and
    MIAM rules of the gate while the decision in force stands; refused (422) with no decision,
    a newer stricter screening awaiting one, or a closed case."""
    from accord.cases import kinds
    from accord.core.errors import NotPermitted
    from accord.mediation import suitability

    user, case = _mediator_case(request, case_id)
    if not suitability.may_override(user, case) or not case_policy.can(user, "change", case):
        raise NotPermitted(
            "Only an accredited mediator of this case can override the suitability gate."
        )
    override = suitability.override_record(actor=user, case=case, reason=payload.reason)
    return Status(
        201,
        SuitabilityOverrideOut(
            id=override.pk,
            decision_route=override.decision_route,
            reason=override.reason,
            made_by=str(user.full_name or user.email),
            made_at=override.made_at,
            session_refusals={
                f: suitability.session_refusal(case, f)
                for f in kinds.kind_spec(case.kind).session_formats
            },
        ),
    )
