"""The SEND part of the HTTP API (mounted by ``accord.api.api``), under the same policy as the
pages: the case's staff read and write the SEND record, attendees and agreed actions; the call
log is answered to the case's mediators and supervisor only; a participant of the case reads the
family's view (actions with status and due date, the appeal deadline) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import policy
from accord.cases.models import Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden
from accord.send import selectors, services
from accord.send.clocks import FAMILY_ROLES
from accord.send.models import SendAction, SendRecord

router = Router(tags=["SEND mediation"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class SendPreliminaryIn(InputSchema):
    """The LA decision, the child or young person, capacity and the issues."""

    model_config = ConfigDict(extra="forbid")

    la_decision: str = Field(..., description="One of the SendDecision codes, or school_only.")
    decision_notice_date: dt.date = Field(..., description="Not in the future.")
    commissioning_la: str
    child_name: str
    child_date_of_birth: dt.date
    issues: list[str] = Field(..., description="education, health and/or social_care.")
    lacks_capacity: bool = False
    capacity_note: MultilineText = ""


class SendChoiceIn(InputSchema):
    """The family's choice after mediation advice."""

    model_config = ConfigDict(extra="forbid")

    wants_mediation: bool


class SendActionIn(InputSchema):
    """An agreed action."""

    model_config = ConfigDict(extra="forbid")

    description: MultilineText
    owner: str = Field(..., description="la, health, school, family or other.")
    owner_name: str = ""
    timescale: str = Field("", description="A reg 44 rule code, 'agreed', or empty.")
    agreed_due: dt.date | None = Field(None, description="With timescale 'agreed'.")


class SendDoneIn(InputSchema):
    """Recording an action as done."""

    model_config = ConfigDict(extra="forbid")

    note: MultilineText = ""


class SendActionOut(Schema):
    """An agreed action, with who does it and by when."""

    id: int
    description: str
    owner: str
    owner_name: str
    timescale: str
    due_at: dt.datetime | None
    done_at: dt.datetime | None


class SendCertificateOut(Schema):
    """A mediation certificate and the appeal deadline it states."""

    kind: str
    issued_at: dt.datetime
    appeal_deadline: dt.date


class SendRecordOut(Schema):
    """The SEND record. Staff see every field; a participant sees the family's view (the
    staff-only fields are null)."""

    la_decision: str
    decision_notice_date: dt.date
    issues: list[str]
    family_choice: str
    commissioning_la: str | None = Field(description="Staff only.")
    rights_holder: str | None = Field(description="Staff only.")
    lacks_capacity: bool | None = Field(description="Staff only.")
    meeting_ended_at: dt.datetime | None
    outcome_issued_at: dt.datetime | None
    agreement: str
    actions: list[SendActionOut]
    certificates: list[SendCertificateOut]


class SendCallOut(Schema):
    """A preparation call: the case's mediators and supervisor only."""

    id: int
    participant_id: int
    called_at: dt.datetime
    summary: str


def _action(a: SendAction) -> SendActionOut:
    return SendActionOut(
        id=a.pk,
        description=a.description,
        owner=a.owner,
        owner_name=a.owner_name,
        timescale=a.timescale,
        due_at=a.due_at,
        done_at=a.done_at,
    )


def _record_out(record: SendRecord, *, staff: bool, family: bool = True) -> SendRecordOut:
    """`family`: the caller is staff, the parent or the young person; anyone else with a portal
    (the LA officer) does not get the family's choice or the certificates (their appeal
    deadline), as in the portal."""
    certificates = list(record.case.send_certificates.order_by("issued_at")) if family else []
    return SendRecordOut(
        la_decision=record.la_decision,
        decision_notice_date=record.decision_notice_date,
        issues=list(record.issues),
        family_choice=record.family_choice if family else "",
        commissioning_la=record.commissioning_la if staff else None,
        rights_holder=record.rights_holder if staff else None,
        lacks_capacity=record.lacks_capacity if staff else None,
        meeting_ended_at=record.meeting_ended_at,
        outcome_issued_at=record.outcome_issued_at,
        agreement=record.agreement,
        actions=[_action(a) for a in record.case.send_actions.order_by("id")],
        certificates=[
            SendCertificateOut(
                kind=c.kind, issued_at=c.issued_at, appeal_deadline=c.appeal_deadline
            )
            for c in certificates
        ],
    )


def _readable(user: Any, case_id: int) -> tuple[Any, bool]:
    """The case and whether the caller is its staff; 404 unless staff or a portal participant."""
    case = case_get_for(user=user, case_id=case_id)
    if case.kind != "send":
        raise NotFoundOrHidden("No SEND record on this case.")
    staff = policy.can(user, "view_workspace", case)
    if (
        not staff
        and not Participant.objects.filter(case=case, user_id=user.pk, portal_access=True).exists()
    ):
        raise NotFoundOrHidden("No such case.")
    return case, staff


@router.get(
    "/cases/{case_id}/send",
    response=responses(200, SendRecordOut, 404, 422),
    summary="Read a SEND case's record, actions and certificates",
)
def send_record_get(request: HttpRequest, case_id: ObjectId) -> SendRecordOut:
    """Staff read everything; a participant reads the family's view."""
    user = request.auth  # type: ignore[attr-defined]
    case, staff = _readable(user, case_id)
    record = SendRecord.objects.filter(case=case).select_related("case").first()
    if record is None:
        raise NotFoundOrHidden("The SEND details are not recorded yet.")
    family = (
        staff
        or Participant.objects.filter(
            case=case, user_id=user.pk, portal_access=True, role__in=FAMILY_ROLES
        ).exists()
    )
    return _record_out(record, staff=staff, family=family)


@router.post(
    "/cases/{case_id}/send",
    response=responses(200, SendRecordOut, 403, 404, 409, 422),
    summary="Record the LA decision, the child or young person and the issues",
)
def send_record_put(
    request: HttpRequest, case_id: ObjectId, payload: SendPreliminaryIn
) -> SendRecordOut:
    """The case's staff record the preliminary details; the first time starts the reg 33 clock."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    record = services.send_record_preliminary(actor=user, case=case, **payload.model_dump())
    return _record_out(record, staff=True)


@router.post(
    "/cases/{case_id}/send/choice",
    response=responses(200, SendRecordOut, 403, 404, 409, 422),
    summary="Record the family's choice after mediation advice",
)
def send_choice(request: HttpRequest, case_id: ObjectId, payload: SendChoiceIn) -> SendRecordOut:
    """Starts the arranging clock, or the adviser's certificate clock."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    record = services.send_choice_record(
        actor=user, case=case, wants_mediation=payload.wants_mediation
    )
    return _record_out(record, staff=True)


@router.get(
    "/cases/{case_id}/send/actions",
    response=responses(200, list[SendActionOut], 404, 422),
    summary="List the actions agreed at a SEND mediation",
)
def send_actions_list(request: HttpRequest, case_id: ObjectId) -> list[SendActionOut]:
    """Staff and the case's portal participants see the actions, their owner and due date."""
    user = request.auth  # type: ignore[attr-defined]
    case, _ = _readable(user, case_id)
    return [_action(a) for a in SendAction.objects.filter(case=case).order_by("id")]


@router.post(
    "/cases/{case_id}/send/actions",
    response=responses(201, SendActionOut, 403, 404, 409, 422),
    summary="Record an agreed action",
)
def send_action_create(request: HttpRequest, case_id: ObjectId, payload: SendActionIn) -> Any:
    """LA and health actions are due by their reg 44 rule or a date agreed in writing."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    action = services.send_action_add(actor=user, case=case, **payload.model_dump())
    return Status(201, _action(action))


@router.post(
    "/cases/{case_id}/send/actions/{action_id}/done",
    response=responses(200, SendActionOut, 403, 404, 409, 422),
    summary="Record an agreed action as done",
)
def send_action_mark_done(
    request: HttpRequest, case_id: ObjectId, action_id: ObjectId, payload: SendDoneIn
) -> SendActionOut:
    """Meets the action's clock."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    action = selectors.action_get_for_staff(user=user, case=case, action_id=action_id)
    return _action(services.send_action_done(actor=user, action=action, note=payload.note))


@router.post(
    "/cases/{case_id}/send/certificate",
    response=responses(201, SendCertificateOut, 403, 404, 409, 422),
    summary="Issue the mediation certificate with the appeal deadline",
)
def send_certificate(request: HttpRequest, case_id: ObjectId) -> Any:
    """The adviser's or the mediator's certificate, whichever the case needs now."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    c = services.send_certificate_issue(actor=user, case=case)
    return Status(
        201,
        SendCertificateOut(kind=c.kind, issued_at=c.issued_at, appeal_deadline=c.appeal_deadline),
    )


@router.get(
    "/cases/{case_id}/send/calls",
    response=responses(200, list[SendCallOut], 404, 422),
    summary="List the preparation calls (the case's mediators and supervisor only)",
)
def send_calls(request: HttpRequest, case_id: ObjectId) -> list[SendCallOut]:
    """404 for anyone but the case's mediators and supervisor."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    view = selectors.staff_view(user=user, case=case)
    if not view.calls_visible:
        raise NotFoundOrHidden("No such case.")
    return [
        SendCallOut(
            id=c.pk, participant_id=c.participant_id, called_at=c.called_at, summary=c.summary
        )
        for c in view.calls
    ]
