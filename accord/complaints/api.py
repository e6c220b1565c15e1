"""Complaints and subject-access requests in the HTTP API, under the same policies as the pages.

Staff: the service's admins and supervisors list, log and handle complaints; the member of staff
complained about gets 404 until an admin shares it. A party lists their own complaints and makes
one about their case. Subject-access requests: admins list, record and export them (a ZIP); a
party asks for their own.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.accounts.models import User
from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases.models import Case, Participant
from accord.cases.selectors import case_get_for, cases_for_participant
from accord.complaints import policy, selectors, services
from accord.complaints.models import Complaint
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.organisations.models import Organisation
from accord.organisations.selectors import is_staff_member

router = Router(tags=["complaints and subject access"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ComplaintOut(Schema):
    """A complaint as the caller may see it (a party sees their own)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 6,
                    "case_reference": "ACC-2026-0005",
                    "complainant_kind": "party",
                    "complainant_name": "Bob Jones",
                    "about_staff_id": 14,
                    "about": "The mediator cut me off in the joint session.",
                    "received_on": "2026-12-01",
                    "acknowledge_due": "2026-12-04T17:00:00Z",
                    "respond_due": "2026-12-29T17:00:00Z",
                    "acknowledged_on": "2026-12-02",
                    "responded_on": None,
                    "outcome": "",
                    "fmsb_consent": True,
                    "fmsb_window_ends": None,
                    "shared_with_subject": False,
                }
            ]
        }
    )

    id: int
    case_reference: str | None
    complainant_kind: str
    complainant_name: str
    about_staff_id: int | None
    about: str
    received_on: dt.date
    acknowledge_due: dt.datetime
    respond_due: dt.datetime
    acknowledged_on: dt.date | None
    responded_on: dt.date | None
    outcome: str
    fmsb_consent: bool
    fmsb_window_ends: dt.date | None
    shared_with_subject: bool | None = Field(description="Staff only.")


class ComplaintLogIn(InputSchema):
    """A complaint received by letter, email or phone."""

    model_config = ConfigDict(extra="forbid")

    complainant_kind: str = Field(..., description="party, former_party or third_party.")
    complainant_name: str
    complainant_contact: str = ""
    case_id: ObjectId | None = None
    complainant_participant_id: ObjectId | None = None
    about_staff_id: ObjectId | None = None
    about: MultilineText
    received_on: dt.date
    fmsb_consent: bool = False


class PartyComplaintIn(InputSchema):
    """A party's complaint about their case."""

    model_config = ConfigDict(extra="forbid")

    about: MultilineText
    about_mediator: bool = False
    fmsb_consent: bool = False


class AcknowledgeIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    on: dt.date


class ComplaintConsentIn(InputSchema):
    """Whether the complainant consents to the service releasing the file to the FMSB."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"consent": True}]})

    consent: bool


class RespondIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    on: dt.date
    outcome: str = Field(..., description="upheld, partly_upheld, not_upheld or withdrawn.")
    summary: MultilineText


def _out(complaint: Complaint, *, staff: bool) -> ComplaintOut:
    return ComplaintOut(
        id=complaint.pk,
        case_reference=complaint.case.reference if complaint.case else None,
        complainant_kind=complaint.complainant_kind,
        complainant_name=complaint.complainant_name,
        about_staff_id=complaint.about_staff_id if staff else None,
        about=complaint.about,
        received_on=complaint.received_on,
        acknowledge_due=complaint.acknowledge_due,
        respond_due=complaint.respond_due,
        acknowledged_on=complaint.acknowledged_on,
        responded_on=complaint.responded_on,
        outcome=complaint.outcome,
        fmsb_consent=complaint.fmsb_consent,
        fmsb_window_ends=complaint.fmsb_window_ends,
        shared_with_subject=complaint.shared_with_subject if staff else None,
    )


@router.get(
    "/complaints",
    response=responses(200, list[ComplaintOut]),
    summary="List the complaints the caller may see",
)
def complaint_list(request: HttpRequest) -> list[ComplaintOut]:
    """Staff: the service's complaints they may see; a party: their own."""
    user = request.auth  # type: ignore[attr-defined]
    if is_staff_member(user):
        return [_out(c, staff=True) for c in selectors.complaints_for_staff(user=user)[:500]]
    return [_out(c, staff=False) for c in selectors.complaints_for_party(user=user)]


@router.post(
    "/complaints",
    response=responses(201, ComplaintOut, 404, 422),
    summary="Log a complaint (service admins and supervisors)",
)
def complaint_log(request: HttpRequest, payload: ComplaintLogIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    orgs = policy.handler_organisations(user)
    if not orgs:
        raise NotFoundOrHidden("No such page.")
    organisation = Organisation.objects.get(pk=orgs[0])
    case = None
    if payload.case_id is not None:
        case = Case.objects.filter(organisation=organisation, pk=payload.case_id).first()
        if case is None:
            raise ValidationFailed(
                "The complaint could not be logged.",
                field_errors={"case_id": ["Choose a case of this service."]},
            )
    complainant = None
    if payload.complainant_participant_id is not None:
        complainant = Participant.objects.filter(
            case=case, pk=payload.complainant_participant_id
        ).first()
        if complainant is None:
            raise ValidationFailed(
                "The complaint could not be logged.",
                field_errors={"complainant_participant_id": ["Choose a participant of the case."]},
            )
    about_staff = None
    if payload.about_staff_id is not None:
        about_staff = User.objects.filter(pk=payload.about_staff_id).first()
        if about_staff is None:
            raise ValidationFailed(
                "The complaint could not be logged.",
                field_errors={"about_staff_id": ["Choose a member of this service's staff."]},
            )
    complaint = services.complaint_record(
        actor=user,
        organisation=organisation,
        case=case,
        complainant=complainant,
        complainant_kind=payload.complainant_kind,
        complainant_name=payload.complainant_name,
        complainant_contact=payload.complainant_contact,
        about_staff=about_staff,
        about=payload.about,
        received_on=payload.received_on,
        fmsb_consent=payload.fmsb_consent,
    )
    return Status(201, _out(complaint, staff=True))


@router.post(
    "/cases/{case_id}/complaints",
    response=responses(201, ComplaintOut, 404, 422),
    summary="Make a complaint about your case (parties)",
)
def complaint_make(request: HttpRequest, case_id: ObjectId, payload: PartyComplaintIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    if not cases_for_participant(user=user).filter(pk=case.pk).exists():
        raise NotFoundOrHidden("No such case.")
    complaint = services.complaint_make_from_portal(actor=user, case=case, **payload.model_dump())
    return Status(201, _out(complaint, staff=False))


@router.get(
    "/complaints/{complaint_id}",
    response=responses(200, ComplaintOut, 404),
    summary="One complaint",
)
def complaint_get(request: HttpRequest, complaint_id: ObjectId) -> ComplaintOut:
    user = request.auth  # type: ignore[attr-defined]
    if is_staff_member(user):
        return _out(
            selectors.complaint_get_for_staff(user=user, complaint_id=complaint_id), staff=True
        )
    return _out(
        selectors.complaint_get_for_party(user=user, complaint_id=complaint_id), staff=False
    )


@router.post(
    "/complaints/{complaint_id}/acknowledge",
    response=responses(200, ComplaintOut, 404, 422),
    summary="Record the acknowledgement",
)
def complaint_acknowledge(
    request: HttpRequest, complaint_id: ObjectId, payload: AcknowledgeIn
) -> ComplaintOut:
    user = request.auth  # type: ignore[attr-defined]
    complaint = selectors.complaint_get_for_staff(user=user, complaint_id=complaint_id)
    return _out(
        services.complaint_acknowledge(actor=user, complaint=complaint, on=payload.on), staff=True
    )


@router.post(
    "/complaints/{complaint_id}/respond",
    response=responses(200, ComplaintOut, 404, 422),
    summary="Record the response and its outcome",
)
def complaint_respond(
    request: HttpRequest, complaint_id: ObjectId, payload: RespondIn
) -> ComplaintOut:
    user = request.auth  # type: ignore[attr-defined]
    complaint = selectors.complaint_get_for_staff(user=user, complaint_id=complaint_id)
    return _out(
        services.complaint_respond(actor=user, complaint=complaint, **payload.model_dump()),
        staff=True,
    )


@router.post(
    "/complaints/{complaint_id}/consent",
    response=responses(200, ComplaintOut, 404, 422),
    summary="Record the complainant's consent to release the file to the FMSB",
)
def complaint_consent(
    request: HttpRequest, complaint_id: ObjectId, payload: ComplaintConsentIn
) -> ComplaintOut:
    """Admins and supervisors, as on the complaint's page (the member of staff it is about,
    even once it is shared with them, gets 403). An erased complaint is a 422."""
    user = request.auth  # type: ignore[attr-defined]
    complaint = selectors.complaint_get_for_staff(user=user, complaint_id=complaint_id)
    return _out(
        services.complaint_consent_set(actor=user, complaint=complaint, consent=payload.consent),
        staff=True,
    )


@router.post(
    "/complaints/{complaint_id}/share",
    response=responses(200, ComplaintOut, 404, 422),
    summary="Share the complaint with the member of staff it is about (admins)",
)
def complaint_share(request: HttpRequest, complaint_id: ObjectId) -> ComplaintOut:
    user = request.auth  # type: ignore[attr-defined]
    complaint = selectors.complaint_get_for_staff(user=user, complaint_id=complaint_id)
    return _out(services.complaint_share_with_subject(actor=user, complaint=complaint), staff=True)


# Subject access


class SubjectAccessOut(Schema):
    id: int
    participant_id: int
    received_on: dt.date
    due_at: dt.datetime
    status: str
    via_portal: bool
    produced_at: dt.datetime | None


class SubjectAccessIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    participant_id: ObjectId
    received_on: dt.date


def _sar_out(sar: Any) -> SubjectAccessOut:
    return SubjectAccessOut(
        id=sar.pk,
        participant_id=sar.participant_id,
        received_on=sar.received_on,
        due_at=sar.due_at,
        status=sar.status,
        via_portal=sar.via_portal,
        produced_at=sar.produced_at,
    )


@router.get(
    "/subject-access-requests",
    response=responses(200, list[SubjectAccessOut]),
    summary="List subject-access requests (admins), or your own",
)
def sar_list(request: HttpRequest) -> list[SubjectAccessOut]:
    from accord.records.models import SubjectAccessRequest

    user = request.auth  # type: ignore[attr-defined]
    orgs = policy.admin_organisations(user)
    if orgs:
        rows = SubjectAccessRequest.objects.filter(organisation_id__in=orgs)[:500]
    else:
        rows = SubjectAccessRequest.objects.filter(
            participant__user_id=user.pk, participant__portal_access=True
        )
    return [_sar_out(r) for r in rows]


@router.post(
    "/subject-access-requests",
    response=responses(201, SubjectAccessOut, 404, 422),
    summary="Record a subject-access request (admins)",
)
def sar_record(request: HttpRequest, payload: SubjectAccessIn) -> Any:
    from accord.records import services as records_services

    user = request.auth  # type: ignore[attr-defined]
    person = records_services.participant_for_admin(
        user=user, participant_id=payload.participant_id
    )
    sar = records_services.subject_access_request_make(
        actor=user, participant=person, received_on=payload.received_on
    )
    return Status(201, _sar_out(sar))


@router.post(
    "/cases/{case_id}/subject-access-requests",
    response=responses(201, SubjectAccessOut, 404, 422),
    summary="Ask for a copy of your data (parties)",
)
def sar_ask(request: HttpRequest, case_id: ObjectId) -> Any:
    from accord.records import services as records_services

    user = request.auth  # type: ignore[attr-defined]
    me = (
        Participant.objects.filter(case_id=case_id, user_id=user.pk, portal_access=True)
        .select_related("organisation")
        .first()
    )
    if me is None:
        raise NotFoundOrHidden("No such case.")
    return Status(
        201, _sar_out(records_services.subject_access_request_make(actor=user, participant=me))
    )


@router.post(
    "/subject-access-requests/{request_id}/export",
    response=responses(200, None, 404, 422),
    summary="Produce the ZIP export (admins)",
)
def sar_export(request: HttpRequest, request_id: ObjectId) -> HttpResponse:
    from accord.records import services as records_services
    from accord.records.models import SubjectAccessRequest

    user = request.auth  # type: ignore[attr-defined]
    sar = SubjectAccessRequest.objects.filter(
        pk=request_id, organisation_id__in=policy.admin_organisations(user)
    ).first()
    if sar is None:
        raise NotFoundOrHidden("No such request.")
    data = records_services.subject_access_export_produce(actor=user, request=sar)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{sar.pk}.zip"'
    return response
