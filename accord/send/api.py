"""The SEND part of the HTTP API (mounted by ``accord.api.api``), under the same policy as the
pages and through the same services: the case's staff read and write the SEND record, the
attendees, the preparation, the meeting's stop, the outcome, the agreed actions and the
certificates; the call log is read by the case's mediators and supervisor and written by its
mediators only; a participant of the case reads the family's view (actions with status and due
date, the appeal deadline, their own clocks) and writes nothing. The meeting itself is booked,
moved, started and ended through the sessions operations of mediation, which apply the SEND
rules (5 working days' notice, the Terms of Engagement, the young person's permission).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import AwareDatetime, ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import kinds, policy
from accord.cases.models import Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.deadlines.api import DeadlineOut
from accord.deadlines.api import _party_out as _deadline_party_out
from accord.deadlines.api import _staff_out as _deadline_staff_out
from accord.send import reports, selectors, services
from accord.send.clocks import FAMILY_ROLES
from accord.send.models import SendAction, SendAttendee, SendCall, SendRecord

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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 31,
                    "description": "Amend section F to add speech and language therapy.",
                    "owner": "la",
                    "owner_name": "SEND team",
                    "timescale": "send.la_action_amend_plan",
                    "due_at": "2027-01-14T17:00:00Z",
                    "done_at": None,
                }
            ]
        }
    )

    id: int
    description: str
    owner: str
    owner_name: str
    timescale: str
    due_at: dt.datetime | None
    done_at: dt.datetime | None


class SendCertificateOut(Schema):
    """A mediation certificate and the appeal deadline it states."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "after_mediation",
                    "issued_at": "2026-12-11T09:00:00Z",
                    "appeal_deadline": "2027-01-11",
                }
            ]
        }
    )

    kind: str
    issued_at: dt.datetime
    appeal_deadline: dt.date


class SendRecordOut(Schema):
    """The SEND record. Staff see every field; a participant sees the family's view (the
    staff-only fields are null)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "la_decision": "plan_contents",
                    "decision_notice_date": "2026-11-20",
                    "issues": ["education", "health"],
                    "family_choice": "mediation",
                    "commissioning_la": "Leeds City Council",
                    "rights_holder": "parent",
                    "lacks_capacity": False,
                    "child_name": "Leo Harrison",
                    "child_date_of_birth": "2010-10-01",
                    "capacity_note": "",
                    "certificate_needed": True,
                    "not_arranged_at": None,
                    "short_notice_consent": True,
                    "short_notice_consent_note": "Joanne Harrison agreed by email on 3 December.",
                    "views_representation": "Leo's one-page profile, read out by his mother.",
                    "child_joins_part": False,
                    "parent_speaks_for_young_person": True,
                    "permission_received_at": "2026-12-04T10:15:00Z",
                    "permission_signed_online": False,
                    "permission_needed": False,
                    "stopped_at": None,
                    "stopped_term": "",
                    "meeting_ended_at": "2026-12-10T12:30:00Z",
                    "outcome_issued_at": "2026-12-10T16:00:00Z",
                    "agreement": "part",
                    "ehc_wording_note": "The SEND team words section F; Joanne sees it first.",
                    "actions": [
                        {
                            "id": 31,
                            "description": "Amend section F to add speech and language therapy.",
                            "owner": "la",
                            "owner_name": "SEND team",
                            "timescale": "send.la_action_amend_plan",
                            "due_at": "2027-01-14T17:00:00Z",
                            "done_at": None,
                        }
                    ],
                    "certificates": [
                        {
                            "kind": "after_mediation",
                            "issued_at": "2026-12-11T09:00:00Z",
                            "appeal_deadline": "2027-01-11",
                        }
                    ],
                }
            ]
        }
    )

    la_decision: str
    decision_notice_date: dt.date
    issues: list[str]
    family_choice: str
    commissioning_la: str | None = Field(description="Staff only.")
    rights_holder: str | None = Field(description="Staff only.")
    lacks_capacity: bool | None = Field(description="Staff only.")
    child_name: str | None = Field(None, description="Staff only.")
    child_date_of_birth: dt.date | None = Field(None, description="Staff only.")
    capacity_note: str | None = Field(None, description="Staff only.")
    certificate_needed: bool = Field(
        True, description="False when the appeal is only about the school named."
    )
    not_arranged_at: dt.datetime | None = Field(
        None, description="Staff only: when it was recorded that mediation could not be arranged."
    )
    short_notice_consent: bool | None = Field(
        None, description="Staff only: the family agreed to less than 5 working days' notice."
    )
    short_notice_consent_note: str | None = Field(None, description="Staff only.")
    views_representation: str | None = Field(None, description="Staff only.")
    child_joins_part: bool | None = Field(None, description="Staff only.")
    parent_speaks_for_young_person: bool | None = Field(None, description="Staff only.")
    permission_received_at: dt.datetime | None = Field(
        None, description="Staff only: when the young person's signed permission was uploaded."
    )
    permission_signed_online: bool | None = Field(None, description="Staff only.")
    permission_needed: bool | None = Field(
        None,
        description="Staff only: a parent speaks for a young person of 16 or over and their "
        "written permission is still needed before the meeting.",
    )
    stopped_at: dt.datetime | None = Field(None, description="Staff only.")
    stopped_term: str | None = Field(None, description="Staff only: the term that was broken.")
    meeting_ended_at: dt.datetime | None
    outcome_issued_at: dt.datetime | None
    agreement: str
    ehc_wording_note: str = ""
    actions: list[SendActionOut]
    certificates: list[SendCertificateOut]


class SendCallOut(Schema):
    """A preparation call: the case's mediators and supervisor only."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "participant_id": 12,
                    "called_at": "2026-12-02T15:00:00Z",
                    "summary": "Joanne wants speech and language therapy named in section F.",
                }
            ]
        }
    )

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

    def only_staff(value: Any) -> Any:
        return value if staff else None

    return SendRecordOut(
        la_decision=record.la_decision,
        decision_notice_date=record.decision_notice_date,
        issues=list(record.issues),
        family_choice=record.family_choice if family else "",
        commissioning_la=only_staff(record.commissioning_la),
        rights_holder=only_staff(record.rights_holder),
        lacks_capacity=only_staff(record.lacks_capacity),
        child_name=only_staff(record.child_name),
        child_date_of_birth=only_staff(record.child_date_of_birth),
        capacity_note=only_staff(record.capacity_note),
        certificate_needed=record.certificate_needed,
        not_arranged_at=only_staff(record.not_arranged_at),
        short_notice_consent=only_staff(record.short_notice_consent),
        short_notice_consent_note=only_staff(record.short_notice_consent_note),
        views_representation=only_staff(record.views_representation),
        child_joins_part=only_staff(record.child_joins_part),
        parent_speaks_for_young_person=only_staff(record.parent_speaks_for_young_person),
        permission_received_at=only_staff(record.permission_received_at),
        permission_signed_online=(
            services.permission_signed_online(record.case) if staff else None
        ),
        permission_needed=services.permission_needed(record) if staff else None,
        stopped_at=only_staff(record.stopped_at),
        stopped_term=only_staff(record.stopped_term),
        meeting_ended_at=record.meeting_ended_at,
        outcome_issued_at=record.outcome_issued_at,
        agreement=record.agreement,
        ehc_wording_note=record.ehc_wording_note,
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


# The steps the pages offer that the API did not: each calls the page's service, under the
# page's checks. Field errors name the API's fields (``participant_id``, not ``participant``).


def _staff_case(user: Any, case_id: int) -> Case:
    """The SEND case for its staff, as the pages find it: 404 for anyone else, and for a case
    of another kind."""
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    if not kinds.applies(case.kind, "send"):
        raise NotFoundOrHidden("SEND mediation steps are part of SEND cases only.")
    return case


@contextmanager
def _api_field_names(**names: str) -> Iterator[None]:
    """Re-raise a service's refusal with its field errors named as the API's fields."""
    try:
        yield
    except ValidationFailed as exc:
        if not set(names) & set(exc.field_errors):
            raise
        renamed = {names.get(field, field): msgs for field, msgs in exc.field_errors.items()}
        raise type(exc)(exc.message, field_errors=renamed) from None


def _participant(case: Case, participant_id: int | None) -> Participant | None:
    """A participant of this case, or None (the service then refuses the field)."""
    if participant_id is None:
        return None
    return Participant.objects.filter(case=case, pk=participant_id).first()


def _fresh_record_out(case: Case) -> SendRecordOut:
    record = SendRecord.objects.select_related("case").get(case=case)
    return _record_out(record, staff=True)


class SendAttendeeIn(InputSchema):
    """Someone attending the meeting, and how they take part."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"participant_id": 14, "attends_as": "la", "authority_confirmed": True},
                {"participant_id": 12, "attends_as": "parent"},
            ]
        },
    )

    participant_id: ObjectId = Field(..., description="A participant of this case.")
    attends_as: str = Field(
        ...,
        description="parent, young_person, advocate, school, la, health, social_care or other.",
    )
    authority_confirmed: bool = Field(
        False,
        description="Required true for la and health: they have authority to resolve the issues.",
    )


class SendAttendeeOut(Schema):
    """An attendee of the SEND meeting (the case's staff only)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "participant_id": 14,
                    "full_name": "Mark Bennett",
                    "attends_as": "la",
                    "authority_confirmed": True,
                    "terms_confirmed_at": None,
                }
            ]
        }
    )

    id: int
    participant_id: int
    full_name: str
    attends_as: str
    authority_confirmed: bool
    terms_confirmed_at: dt.datetime | None = Field(
        description="When they accepted the Terms of Engagement; null until then."
    )


def _attendee(a: SendAttendee) -> SendAttendeeOut:
    return SendAttendeeOut(
        id=a.pk,
        participant_id=a.participant_id,
        full_name=a.participant.full_name,
        attends_as=a.attends_as,
        authority_confirmed=a.authority_confirmed,
        terms_confirmed_at=a.terms_confirmed_at,
    )


class SendConsentIn(InputSchema):
    """The family's consent to less than 5 working days' notice of the meeting."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"note": "Joanne Harrison agreed by email on 3 March to a meeting on 6 March."}
            ]
        },
    )

    note: MultilineText = Field(..., max_length=5000, description="How and when they agreed.")


class SendCallIn(InputSchema):
    """A preparation call with one participant (the case's mediators only)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "participant_id": 12,
                    "called_at": "2026-12-02T15:00:00+00:00",
                    "summary": "Joanne wants speech and language therapy named in section F.",
                }
            ]
        },
    )

    participant_id: ObjectId = Field(..., description="A participant of this case.")
    called_at: AwareDatetime = Field(..., description="With a time zone offset; not in the future.")
    summary: MultilineText = Field(..., max_length=5000)


class SendPreparationIn(InputSchema):
    """How the child's or young person's views will be heard, and who speaks for them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "views_representation": "Leo's one-page profile, read out by his mother.",
                    "child_joins_part": False,
                    "parent_speaks_for_young_person": True,
                }
            ]
        },
    )

    views_representation: MultilineText = Field(..., max_length=5000)
    child_joins_part: bool = False
    parent_speaks_for_young_person: bool = Field(
        False,
        description="A parent speaks for a young person of 16 or over: their written "
        "permission is then needed before the meeting.",
    )


class SendPermissionRequestIn(InputSchema):
    """Who is asked to sign their permission online: the young person."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"young_person_id": 15}]}
    )

    young_person_id: ObjectId = Field(..., description="The case's young person.")


class SendPermissionRequestOut(Schema):
    """The permission sent to the young person to sign in their portal."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "packet_id": 21,
                    "title": "Permission for my parent to speak for me",
                    "status": "open",
                    "signer_ids": [15],
                }
            ]
        }
    )

    packet_id: int
    title: str
    status: str = Field(description="open until the young person signs, then complete.")
    signer_ids: list[int]


class SendStopIn(InputSchema):
    """Stopping the meeting because a Term of Engagement was broken (the case's mediators)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "term": "courtesy",
                    "note": "Repeated personal remarks after two reminders; stopped at 11:20.",
                }
            ]
        },
    )

    term: str = Field(..., description="courtesy, confidentiality or without_prejudice.")
    note: MultilineText = Field(
        ..., max_length=5000, description="What happened, without naming the child."
    )


class SendOutcomeIn(InputSchema):
    """Issuing the Mediation Outcome after the meeting."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "agreement": "part",
                    "ehc_wording_note": "The SEND team words section F; Joanne sees it first.",
                }
            ]
        },
    )

    agreement: str = Field(..., description="full, part or none.")
    ehc_wording_note: MultilineText = Field("", max_length=5000)


class RunSheetSlotOut(Schema):
    """One step of the meeting, in order, with who speaks in it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "family",
                    "label": "The parent or young person sets out their case",
                    "speakers": ["Joanne Harrison"],
                }
            ]
        }
    )

    code: str
    label: str
    speakers: list[str]


class SendReportQuery(InputSchema):
    """Which commissioner and period to report on."""

    local_authority: str = Field("", max_length=200, description="Empty: every authority.")
    start: dt.date | None = Field(None, description="Cases opened from; default 1 January.")
    end: dt.date | None = Field(None, description="Cases opened up to; default today.")


class SendReportRowOut(Schema):
    """One commissioning local authority's figures for the period (no names, no case details)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "authority": "Leeds City Council",
                    "referred": 12,
                    "held": 8,
                    "full": 4,
                    "part": 3,
                    "none": 1,
                    "certificates": 10,
                    "median_days": 24.5,
                    "actions_due": 9,
                    "actions_on_time": 7,
                }
            ]
        }
    )

    authority: str
    referred: int
    held: int = Field(description="Mediations held.")
    full: int = Field(description="Held with agreement on every issue.")
    part: int = Field(description="Held with agreement on some issues.")
    none: int = Field(description="Held with no agreement.")
    certificates: int
    median_days: float | None = Field(description="Median days from referral to meeting.")
    actions_due: int = Field(description="LA actions due by now (or done early).")
    actions_on_time: int


@router.post(
    "/cases/{case_id}/send/health-notified",
    response=responses(200, SendRecordOut, 403, 404, 409, 422),
    summary="Record that the health commissioning body was told",
)
def send_health_notified(request: HttpRequest, case_id: ObjectId) -> SendRecordOut:
    """Meets the 3-working-day clock to tell the health body; 422 when none is waiting."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.send_health_notified(actor=user, case=case)
    return _fresh_record_out(case)


@router.post(
    "/cases/{case_id}/send/not-arranged",
    response=responses(200, SendRecordOut, 403, 404, 409, 422),
    summary="Record that mediation could not be arranged within 30 days",
)
def send_not_arranged(request: HttpRequest, case_id: ObjectId) -> SendRecordOut:
    """Starts the 3-working-day clock for the adviser's certificate; the meeting may still go
    ahead later."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.send_not_arranged_record(actor=user, case=case)
    return _fresh_record_out(case)


@router.post(
    "/cases/{case_id}/send/short-notice-consent",
    response=responses(200, SendRecordOut, 403, 404, 409, 422),
    summary="Record the family's consent to less than 5 working days' notice",
)
def send_short_notice_consent(
    request: HttpRequest, case_id: ObjectId, payload: SendConsentIn
) -> SendRecordOut:
    """Then the meeting may be booked at shorter notice."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.send_short_notice_consent_record(actor=user, case=case, note=payload.note)
    return _fresh_record_out(case)


@router.get(
    "/cases/{case_id}/send/attendees",
    response=responses(200, list[SendAttendeeOut], 404, 422),
    summary="List who attends the SEND meeting and whether they accepted the terms",
)
def send_attendees_list(request: HttpRequest, case_id: ObjectId) -> list[SendAttendeeOut]:
    """The case's staff only."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    return [_attendee(a) for a in selectors.staff_view(user=user, case=case).attendees]


@router.post(
    "/cases/{case_id}/send/attendees",
    response=responses(201, SendAttendeeOut, 403, 404, 409, 422),
    summary="Add someone to the SEND meeting",
)
def send_attendee_add(request: HttpRequest, case_id: ObjectId, payload: SendAttendeeIn) -> Any:
    """An advocate or supporter chosen by the family is always allowed; the local authority and
    health bodies must confirm authority to resolve the issues."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    with _api_field_names(participant="participant_id"):
        attendee = services.send_attendee_add(
            actor=user,
            case=case,
            participant=_participant(case, payload.participant_id),
            attends_as=payload.attends_as,
            authority_confirmed=payload.authority_confirmed,
        )
    return Status(201, _attendee(attendee))


@router.post(
    "/cases/{case_id}/send/attendees/{attendee_id}/terms",
    response=responses(200, SendAttendeeOut, 403, 404, 409, 422),
    summary="Record that an attendee accepts the Terms of Engagement",
)
def send_terms_confirm(
    request: HttpRequest, case_id: ObjectId, attendee_id: ObjectId
) -> SendAttendeeOut:
    """Everyone must accept them before the meeting starts."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    found = selectors.attendee_get_for_staff(user=user, case=case, attendee_id=attendee_id)
    confirmed = services.send_terms_confirm(actor=user, case=case, attendee=found)
    return _attendee(
        selectors.attendee_get_for_staff(user=user, case=case, attendee_id=confirmed.pk)
    )


@router.post(
    "/cases/{case_id}/send/calls",
    response=responses(201, SendCallOut, 403, 404, 409, 422),
    summary="Log a preparation call (the case's mediators only)",
)
def send_call_log(request: HttpRequest, case_id: ObjectId, payload: SendCallIn) -> Any:
    """404 for anyone but the case's lead and co-mediator, as on the page."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    if not services.is_case_mediator(user, case):
        raise NotFoundOrHidden("No such case.")
    with _api_field_names(participant="participant_id"):
        call: SendCall = services.send_call_log(
            actor=user,
            case=case,
            participant=_participant(case, payload.participant_id),
            called_at=payload.called_at,
            summary=payload.summary,
        )
    return Status(
        201,
        SendCallOut(
            id=call.pk,
            participant_id=call.participant_id,
            called_at=call.called_at,
            summary=call.summary,
        ),
    )


@router.put(
    "/cases/{case_id}/send/preparation",
    response=responses(200, SendRecordOut, 403, 404, 409, 422),
    summary="Record how the child's views are heard and who speaks for a young person",
)
def send_preparation(
    request: HttpRequest, case_id: ObjectId, payload: SendPreparationIn
) -> SendRecordOut:
    """Replaces what was recorded. A parent speaking for a young person of 16 or over needs
    the young person's written permission before the meeting (`permission_needed`)."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.send_preparation_record(actor=user, case=case, **payload.model_dump())
    return _fresh_record_out(case)


@router.post(
    "/cases/{case_id}/send/permission",
    response=responses(200, SendRecordOut, 403, 404, 409, 413, 422),
    summary="Upload the young person's signed written permission (PDF, JPEG or PNG)",
)
def send_permission_upload(
    request: HttpRequest, case_id: ObjectId, file: File[UploadedFile]
) -> SendRecordOut:
    """Multipart form with `file`, up to 10 MB; kept with the case's documents."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.send_permission_upload(
        actor=user,
        case=case,
        content=file.read(),
        file_name=file.name or "",
        content_type=file.content_type or "",
    )
    return _fresh_record_out(case)


@router.post(
    "/cases/{case_id}/send/permission/request",
    response=responses(201, SendPermissionRequestOut, 403, 404, 409, 422),
    summary="Ask the young person to sign their written permission online",
)
def send_permission_request(
    request: HttpRequest, case_id: ObjectId, payload: SendPermissionRequestIn
) -> Any:
    """They sign in their portal; nobody else can sign it for them."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    with _api_field_names(young_person="young_person_id"):
        packet = services.send_permission_request(
            actor=user, case=case, young_person=_participant(case, payload.young_person_id)
        )
    return Status(
        201,
        SendPermissionRequestOut(
            packet_id=packet.pk,
            title=packet.title,
            status=packet.status,
            signer_ids=sorted(packet.required.values_list("pk", flat=True)),
        ),
    )


@router.get(
    "/cases/{case_id}/send/run-sheet",
    response=responses(200, list[RunSheetSlotOut], 404, 422),
    summary="The SEND meeting's run sheet: the speaking order with who speaks",
)
def send_run_sheet(request: HttpRequest, case_id: ObjectId) -> list[RunSheetSlotOut]:
    """The case's staff only; worked out from the attendees."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    return [
        RunSheetSlotOut(code=slot.code, label=slot.label, speakers=list(slot.speakers))
        for slot in selectors.staff_view(user=user, case=case).run_sheet
    ]


@router.post(
    "/cases/{case_id}/send/stop",
    response=responses(200, SendRecordOut, 403, 404, 409, 422),
    summary="Record stopping the meeting because a Term of Engagement was broken",
)
def send_stop(request: HttpRequest, case_id: ObjectId, payload: SendStopIn) -> SendRecordOut:
    """The case's mediators only (403 for the rest of its staff)."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.send_meeting_stop(actor=user, case=case, term=payload.term, note=payload.note)
    return _fresh_record_out(case)


@router.post(
    "/cases/{case_id}/send/outcome",
    response=responses(200, SendRecordOut, 403, 404, 409, 422),
    summary="Issue the Mediation Outcome and share it with every participant",
)
def send_outcome(request: HttpRequest, case_id: ObjectId, payload: SendOutcomeIn) -> SendRecordOut:
    """After the meeting, within 24 hours: meets the outcome clock and starts the mediator's
    certificate clock."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.send_outcome_issue(
        actor=user,
        case=case,
        agreement=payload.agreement,
        ehc_wording_note=payload.ehc_wording_note,
    )
    return _fresh_record_out(case)


@router.get(
    "/cases/{case_id}/send/clocks",
    response=responses(200, list[DeadlineOut], 404, 422),
    summary="List a SEND case's statutory clocks",
)
def send_clocks(request: HttpRequest, case_id: ObjectId) -> list[DeadlineOut]:
    """The case's deadlines from the SEND rules (`send.*`), as the deadlines operations show
    them: staff see those their policy allows, a participant only those shared with them.
    Meet, waive or escalate one through /deadlines/{deadline_id}/..."""
    from accord.deadlines import selectors as deadline_selectors

    user = request.auth  # type: ignore[attr-defined]
    case, staff = _readable(user, case_id)
    if staff:
        return [
            _deadline_staff_out(r.deadline, r.can_resolve)
            for r in deadline_selectors.deadlines_for_case(user, case)
            if r.deadline.rule_code.startswith("send.")
        ]
    return [
        _deadline_party_out(d)
        for d in deadline_selectors.deadlines_for_participant(user, case)
        if d.rule_code.startswith("send.")
    ]


@router.get(
    "/send/report",
    response=responses(200, list[SendReportRowOut], 404, 422),
    summary="The SEND commissioner report, per commissioning local authority",
)
def send_report(request: HttpRequest, filters: Query[SendReportQuery]) -> list[SendReportRowOut]:
    """Service admins, coordinators and supervisors of the service; 404 for anyone else.
    Aggregates only, as on the page (the CSV and chart stay on the page)."""
    user = request.auth  # type: ignore[attr-defined]
    rows = reports.commissioner_report(
        user=user,
        **reports.report_params(
            local_authority=filters.local_authority, start=filters.start, end=filters.end
        ),
    )
    return [
        SendReportRowOut(
            authority=r.authority,
            referred=r.referred,
            held=r.held,
            full=r.full,
            part=r.part,
            none=r.none,
            certificates=r.certificates,
            median_days=r.median_days,
            actions_due=r.actions_due,
            actions_on_time=r.actions_on_time,
        )
        for r in rows
    ]
