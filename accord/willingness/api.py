"""The willingness part of the HTTP API (mounted by ``accord.api.api``).

For the case's staff only (`view_workspace`; anyone else gets 404, as for the workspace page),
except the two endpoints at the end: the invited person reads and answers their invitation with
the answer code in the request body, without signing in, through the service the public page
uses. No response ever holds an answer code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime, ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import selectors as case_selectors
from accord.cases.models import Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import DomainError, NotFoundOrHidden, ValidationFailed
from accord.willingness import ratelimit, selectors, services
from accord.willingness.models import (
    AnswerChoice,
    ContactAttempt,
    ContactMethodUsed,
    CourtOrder,
    CourtOrderKind,
    InvitationChannel,
    WillingnessInvitation,
)

router = Router(tags=["willingness"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- Input ---------------------------------------------------------------------------------


class InvitationIn(InputSchema):
    """An invitation to the other party: an email, or a printable letter to post."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"participant_id": 13, "channel": "email"},
                {
                    "participant_id": 13,
                    "channel": "letter",
                    "override_reason": "Court ordered attendance; the letter goes to the "
                    "solicitor's address.",
                },
            ]
        },
    )

    participant_id: ObjectId = Field(..., description="The party to invite.")
    channel: InvitationChannel = Field(
        InvitationChannel.EMAIL,
        description=(
            "email: the link goes out through the outbox. letter: a PDF with the answer code is "
            "made (the invitation's letter_version_id; download it from "
            "/documents/versions/{id}/content) for the team to print and post. Each needs that "
            "way of contact to be safe for the person (email, or post for a letter)."
        ),
    )
    override_reason: MultilineText = Field(
        "",
        max_length=2000,
        description="Required when the enquirer said it is not safe to contact this person.",
    )


class ContactAttemptIn(InputSchema):
    """A logged attempt to reach the other party."""

    model_config = ConfigDict(extra="forbid")

    participant_id: ObjectId
    method: ContactMethodUsed
    at: AwareDatetime = Field(..., description="When the attempt was made, with an offset.")
    outcome: MultilineText = Field("", max_length=2000, description="What came of it.")


# --- Output --------------------------------------------------------------------------------


class AnswerOut(Schema):
    """The other party's answer, in their own words (case staff only)."""

    answer: str
    text: str
    answered_at: dt.datetime


class InvitationOut(Schema):
    """An invitation to the other party; the answer code is never shown (a letter's PDF holds it,
    for the case team to post)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 9,
                    "participant_id": 13,
                    "participant_name": "Bob Jones",
                    "channel": "email",
                    "status": "withdrawn",
                    "status_label": "Withdrawn",
                    "sent_at": "2026-12-01T10:00:00Z",
                    "respond_by": "2026-12-15",
                    "answered_at": None,
                    "answer": None,
                    "letter_version_id": None,
                    "superseded_by_id": None,
                }
            ]
        }
    )

    id: int
    participant_id: int
    participant_name: str
    channel: str
    status: str
    status_label: str
    sent_at: dt.datetime
    respond_by: dt.date
    answered_at: dt.datetime | None
    answer: AnswerOut | None
    letter_version_id: int | None
    superseded_by_id: int | None


class ContactAttemptOut(Schema):
    """A logged contact attempt."""

    id: int
    participant_id: int
    participant_name: str
    method: str
    at: dt.datetime
    outcome: str
    by: str | None


class WillingnessOut(Schema):
    """Where the willingness step stands on a case."""

    state: str = Field(
        description="not_invited, awaiting_answer, willing, info_requested, withdrawn or "
        "not_engaging (the latest invitation was refused or lapsed)."
    )
    state_label: str
    not_engaging: bool
    invitations: list[InvitationOut]
    contact_attempts: list[ContactAttemptOut]


def invitation_out(invitation: WillingnessInvitation) -> InvitationOut:
    """An invitation as the case's staff see it."""
    answer = getattr(invitation, "answer", None)
    return InvitationOut(
        id=invitation.pk,
        participant_id=invitation.participant_id,
        participant_name=invitation.participant.full_name,
        channel=invitation.channel,
        status=invitation.status,
        status_label=invitation.get_status_display(),
        sent_at=invitation.sent_at,
        respond_by=invitation.respond_by,
        answered_at=invitation.answered_at,
        answer=AnswerOut(answer=answer.answer, text=answer.text, answered_at=answer.answered_at)
        if answer is not None
        else None,
        letter_version_id=invitation.letter_id,
        superseded_by_id=invitation.superseded_by_id,
    )


def attempt_out(attempt: ContactAttempt) -> ContactAttemptOut:
    """A contact attempt as the case's staff see it."""
    by = attempt.by
    return ContactAttemptOut(
        id=attempt.pk,
        participant_id=attempt.participant_id,
        participant_name=attempt.participant.full_name,
        method=attempt.method,
        at=attempt.at,
        outcome=attempt.outcome,
        by=(by.full_name or by.email) if by is not None else None,
    )


def _participant(case: Any, participant_id: int) -> Participant:
    participant = Participant.objects.filter(pk=participant_id, case=case).first()
    if participant is None:
        raise ValidationFailed(
            "Choose a participant of this case.",
            field_errors={"participant_id": ["Choose a participant of this case."]},
        )
    return participant


# --- Endpoints -----------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/willingness",
    response=responses(200, WillingnessOut, 404, 422),
    summary="The other party's willingness: state, invitations, contact attempts",
)
def willingness_detail(request: HttpRequest, case_id: ObjectId) -> WillingnessOut:
    """The case's willingness step, for staff who may open its workspace.

    Refused (422, the refusal in `detail`) on a SEND case, which invites no other party.
    """
    user: Any = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    ensure_part_applies(case, "willingness")
    invitations = list(selectors.invitations_for(user=user, case=case))
    latest = invitations[0] if invitations else None
    state = selectors.WillingnessState(code=selectors.state_code(latest), latest=latest)
    return WillingnessOut(
        state=state.code,
        state_label=state.label,
        not_engaging=state.not_engaging,
        invitations=[invitation_out(i) for i in invitations],
        contact_attempts=[
            attempt_out(a) for a in selectors.contact_attempts_for(user=user, case=case)
        ],
    )


@router.post(
    "/cases/{case_id}/willingness/invitations",
    response=responses(201, InvitationOut, 403, 404, 422),
    summary="Invite the other party by email or letter",
)
def willingness_invite(request: HttpRequest, case_id: ObjectId, payload: InvitationIn) -> Any:
    """Email the other party a single-use link, or make the printable letter with their answer
    code, as the workspace page does (`willingness_invite`); either replaces their unanswered
    invitation. A letter answers with its `letter_version_id`; its PDF is downloaded like any
    case document. Those who may look at the case but not act on it get 403.

    Refused (422, the refusal in `detail`) on a SEND case, which invites no other party.
    """
    user: Any = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    ensure_part_applies(case, "willingness")
    try:
        invitation = services.willingness_invite(
            actor=user,
            case=case,
            participant=_participant(case, payload.participant_id),
            channel=payload.channel.value,
            override_reason=payload.override_reason,
        )
    except ValidationFailed as exc:
        # The service speaks of the page's `participant` field; the API's is `participant_id`.
        errors = {
            ("participant_id" if name == "participant" else name): messages
            for name, messages in exc.field_errors.items()
        }
        raise ValidationFailed(exc.message, field_errors=errors) from None
    fresh = selectors.invitation_get_for(user=user, case=case, invitation_id=invitation.pk)
    return Status(201, invitation_out(fresh))


@router.post(
    "/cases/{case_id}/willingness/contact-attempts",
    response=responses(201, ContactAttemptOut, 404, 422),
    summary="Log an attempt to contact the other party",
)
def contact_attempt_log(request: HttpRequest, case_id: ObjectId, payload: ContactAttemptIn) -> Any:
    """Record a call, text, letter, email or visit, and what came of it.

    Refused (422, the refusal in `detail`) on a SEND case, which invites no other party.
    """
    user: Any = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    ensure_part_applies(case, "willingness")
    attempt = services.contact_attempt_log(
        actor=user,
        case=case,
        participant=_participant(case, payload.participant_id),
        method=payload.method,
        at=payload.at,
        outcome=payload.outcome,
    )
    return Status(201, attempt_out(attempt))


class CourtOrderIn(InputSchema):
    """A court's order to attend a MIAM or mediation, as written on the order."""

    model_config = ConfigDict(extra="forbid")

    court: str = Field(..., max_length=200)
    ordered_on: dt.date = Field(..., description="The date of the order (not in the future).")
    orders: CourtOrderKind = Field(..., description="miam or mediation.")
    court_case_number: str = Field("", max_length=40)
    details: MultilineText = Field("", max_length=2000, description="For the case team only.")
    comply_by: dt.date | None = Field(
        None, description="If the order gives one: becomes a deadline on the case."
    )


class CourtOrderOut(Schema):
    """A court order recorded on the case."""

    id: int
    court: str
    ordered_on: dt.date
    orders: str
    orders_label: str
    court_case_number: str
    details: str
    comply_by: dt.date | None
    deadline_id: int | None


def court_order_out(order: CourtOrder) -> CourtOrderOut:
    """A court order as the case's staff see it."""
    return CourtOrderOut(
        id=order.pk,
        court=order.court,
        ordered_on=order.ordered_on,
        orders=order.orders,
        orders_label=order.get_orders_display(),
        court_case_number=order.court_case_number,
        details=order.details,
        comply_by=order.comply_by,
        deadline_id=order.deadline_id,
    )


@router.get(
    "/cases/{case_id}/court-orders",
    response=responses(200, list[CourtOrderOut], 404),
    summary="Court orders recorded on a case",
)
def court_orders_list(request: HttpRequest, case_id: ObjectId) -> Any:
    """The case's court orders, for staff who may open its workspace."""
    user: Any = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    return [court_order_out(o) for o in selectors.court_orders_for(user=user, case=case)]


@router.post(
    "/cases/{case_id}/court-orders",
    response=responses(201, CourtOrderOut, 404, 422),
    summary="Record a court order to attend a MIAM or mediation",
)
def court_order_record(request: HttpRequest, case_id: ObjectId, payload: CourtOrderIn) -> Any:
    """Record the order; invitations to the other party then mention it in neutral words."""
    user: Any = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    order = services.court_order_record(
        actor=user,
        case=case,
        court=payload.court,
        ordered_on=payload.ordered_on,
        orders=payload.orders,
        court_case_number=payload.court_case_number,
        details=payload.details,
        comply_by=payload.comply_by,
    )
    return Status(201, court_order_out(order))


# --- The invited party's answer, by answer code --------------------------------------------
#
# The invited person has no account: the code from their email or letter is the only
# credential, as on the public page. It travels in the request body, never in the URL (so it
# stays out of server logs, proxies and browser history), each address may try
# `ratelimit.RATE_LIMIT` codes an hour on the API (counted apart from the page), and a code that
# opens nothing gets the same 404 as any unknown path, so the API tells a guesser nothing the
# page would not.


class TooManyAttempts(DomainError):
    """The address has tried too many answer codes this hour."""

    status_code = 429


class LinkAnswered(DomainError):
    """The invitation was answered already."""

    status_code = 409


class LinkExpired(DomainError):
    """The invitation was withdrawn, replaced or is past its answer-by date."""

    status_code = 410


CODE_EXAMPLE = "ABCD-EFGH-JKMN-PQRS-TVWX"


class AnswerCodeIn(InputSchema):
    """The answer code from the invitation, as printed (dashes and spaces are ignored)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"code": CODE_EXAMPLE}]}
    )

    code: str = Field(
        ..., min_length=1, max_length=40, description="The code from the email or letter."
    )


class AnswerByCodeIn(AnswerCodeIn):
    """The invited person's answer: willing, not willing (with reasons), or questions first."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"code": CODE_EXAMPLE, "answer": "willing", "text": ""},
                {
                    "code": CODE_EXAMPLE,
                    "answer": "info_requested",
                    "text": "Can the MIAM be held online, in the evening?",
                },
            ]
        },
    )

    answer: AnswerChoice = Field(..., description="willing, not_willing or info_requested.")
    text: MultilineText = Field(
        "",
        max_length=5000,
        description=(
            "Required unless willing: the reasons for not taking part, or the questions. The "
            "service reads it; the other person never does."
        ),
    )


class InvitationByCodeOut(Schema):
    """What the invited person may know of their invitation: the service, not the case."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service": "Riverside Family Mediation",
                    "respond_by": "2026-12-20",
                    "can_answer": True,
                    "closed_reason": "",
                    "court_order": "",
                }
            ]
        }
    )

    service: str
    respond_by: dt.date
    can_answer: bool
    closed_reason: str = Field(description='"answered", "expired" or "" while it can be answered.')
    court_order: str = Field(description="A court order to attend, in neutral words, if any.")


class AnswerReceivedOut(Schema):
    """The answer, as recorded."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service": "Riverside Family Mediation",
                    "answer": "willing",
                    "answered_at": "2026-12-06T10:15:00Z",
                }
            ]
        }
    )

    service: str
    answer: str
    answered_at: dt.datetime


def _counted(request: HttpRequest) -> None:
    if ratelimit.attempt_refused(request.META.get("REMOTE_ADDR", ""), channel="api"):
        raise TooManyAttempts("Too many answer codes from this address. Try again in an hour.")


def _by_code(code: str) -> WillingnessInvitation:
    """The invitation a code opens, or the API's generic 404 (nothing about why)."""
    invitation = selectors.invitation_for_code(code)
    if invitation is None:
        raise Http404
    return invitation


@router.post(
    "/willingness/invitation",
    auth=None,
    response=responses(200, InvitationByCodeOut, 404, 422, 429),
    summary="Read an invitation by its answer code (no sign-in)",
)
def invitation_by_code(request: HttpRequest, payload: AnswerCodeIn) -> InvitationByCodeOut:
    """What the public answer page shows before the answer: the service, the date to answer
    by, and whether the code can still be used. No sign-in: the code, in the body, is the
    credential. An unknown code is a plain 404."""
    _counted(request)
    invitation = _by_code(payload.code)
    return InvitationByCodeOut(
        service=invitation.case.organisation.name,
        respond_by=invitation.respond_by,
        can_answer=not services.link_problem(invitation),
        closed_reason=services.link_problem(invitation),
        court_order=services.court_order_words(invitation.case),
    )


@router.post(
    "/willingness/answer",
    auth=None,
    response=responses(201, AnswerReceivedOut, 404, 409, 410, 422, 429),
    summary="Answer an invitation by its answer code (no sign-in)",
)
def answer_by_code(request: HttpRequest, payload: AnswerByCodeIn) -> Any:
    """Record the invited person's answer through the service the public page uses: once only,
    before the answer-by date. 409 if already answered, 410 if withdrawn or expired, 404 for a
    code that opens nothing."""
    _counted(request)
    try:
        invitation = services.willingness_answer(
            secret=payload.code,
            answer=payload.answer,
            text=payload.text,
            ip=request.META.get("REMOTE_ADDR", ""),
        )
    except NotFoundOrHidden:
        raise Http404 from None
    except services.LinkClosed as exc:
        closed = LinkAnswered if exc.reason == "answered" else LinkExpired
        raise closed(exc.message) from None
    assert invitation.answered_at is not None  # just recorded
    return Status(
        201,
        AnswerReceivedOut(
            service=invitation.case.organisation.name,
            answer=invitation.status,
            answered_at=invitation.answered_at,
        ),
    )


class WithdrawIn(InputSchema):
    """Why an unanswered invitation is withdrawn (kept in the audit trail)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "Sent to an old email address."}]},
    )

    reason: MultilineText = Field(..., min_length=1, max_length=2000)


@router.post(
    "/cases/{case_id}/willingness/invitations/{invitation_id}/withdraw",
    response=responses(200, InvitationOut, 404, 422),
    summary="Withdraw an unanswered invitation",
)
def willingness_withdraw(
    request: HttpRequest, case_id: ObjectId, invitation_id: ObjectId, payload: WithdrawIn
) -> Any:
    """The case team withdraws an invitation not yet answered; its code stops working."""
    user: Any = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    invitation = selectors.invitation_get_for(user=user, case=case, invitation_id=invitation_id)
    services.willingness_withdraw(actor=user, invitation=invitation, reason=payload.reason)
    fresh = selectors.invitation_get_for(user=user, case=case, invitation_id=invitation_id)
    return invitation_out(fresh)
