"""The MIAM part of the HTTP API (mounted by ``accord.api.api``).

What each caller sees is what the pages show them: the case team sees every MIAM of the case; a
party sees only the MIAMs they attend, with no one else's details and no checklist; screening
answers only the restricted audience (everyone else 404); suitability reasons only the restricted
audience; a MIAM certificate its party and the case team.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import policy
from accord.cases import selectors as case_selectors
from accord.cases.models import PARTY_ROLES, Case
from accord.cases.progress import ensure_part_applies, part_applies
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.meetings import selectors, services
from accord.meetings.models import (
    CHECKLIST,
    SCREENING_FLAGS,
    SCREENING_QUESTIONS,
    CertificateOutcome,
    CourtApplication,
    Miam,
    MiamCertificate,
    Screening,
)

router = Router(tags=["meetings"])

#: Database ids: positive and within a 64-bit integer, so nonsense ids fail validation cleanly.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- Input ---------------------------------------------------------------------------------


class MiamCertificateIn(InputSchema):
    """A MIAM certificate to sign and issue; the typed name and `confirm` are the signature."""

    model_config = ConfigDict(extra="forbid")

    miam_id: ObjectId
    participant_id: ObjectId = Field(..., description="The party who attended the MIAM.")
    outcome: str = Field(
        ..., description="go_ahead, not_suitable or party_not_continuing (legacy values refused)."
    )
    court_application: str = Field(..., description="c100, form_a or other.")
    signed_name: str = Field(..., max_length=200, description="The mediator's own full name.")
    confirm: bool = Field(..., description="True: the mediator confirms and signs.")
    sole_trader_name: str = Field("", max_length=200)


class MiamMoveIn(InputSchema):
    """A new time, length, way of meeting and place for a booked MIAM."""

    model_config = ConfigDict(extra="forbid")

    starts_at: dt.datetime = Field(..., description="With a time zone; in the future.")
    duration_minutes: int = Field(45, description="5 to 480.")
    mode: str = Field(..., description="in_person, video or phone.")
    place: str = Field(..., max_length=500, description="Address or room, video link or number.")
    confirm_warnings: bool = Field(
        False,
        description="True to save despite warnings (a clash, a weekend, a bank holiday, a "
        "closure); without it such a time is refused with the warnings in "
        "errors.confirm_warnings.",
    )
    confirm_reason: str = Field("", max_length=500, description="Needed to book over a clash.")


class MiamCancelIn(InputSchema):
    """Why a booked MIAM is cancelled (kept for the case team; never emailed)."""

    model_config = ConfigDict(extra="forbid")

    reason: MultilineText = Field(..., max_length=2000)


class MiamDidNotAttendIn(InputSchema):
    """Who did not come to a MIAM (every attendee when empty)."""

    model_config = ConfigDict(extra="forbid")

    absent_ids: list[ObjectId] = Field(default_factory=list)


class MiamBookIn(InputSchema):
    """A MIAM to book: who attends, with which mediator, when, how and where."""

    model_config = ConfigDict(extra="forbid")

    attendee_ids: list[ObjectId] = Field(
        ..., min_length=1, max_length=10, description="The party, or parties for a joint MIAM."
    )
    mediator_id: ObjectId = Field(..., description="A mediator of the service.")
    starts_at: dt.datetime = Field(..., description="With a time zone; in the future.")
    duration_minutes: int = Field(45, description="5 to 480.")
    mode: str = Field(..., description="in_person, video or phone.")
    place: str = Field(..., max_length=500, description="Address or room, video link or number.")
    joint: bool = Field(False, description="True to book one MIAM for several parties.")
    add_to_team: bool = Field(
        False, description="True to add a mediator not yet on the case team (as lead or co)."
    )
    confirm_warnings: bool = Field(
        False, description="True to save despite warnings (clash, weekend, bank holiday)."
    )
    confirm_reason: str = Field("", max_length=500, description="Needed to book over a clash.")
    already_held: bool = Field(
        False,
        deprecated=True,
        description="Kept for older clients: use POST /cases/{case_id}/miams/record-past, which "
        "this now follows exactly (the same permission, checks and field names).",
    )
    covered: list[str] = Field(
        default_factory=list,
        max_length=20,
        deprecated=True,
        description="With already_held only: the checklist items covered.",
    )


class MiamHeldIn(InputSchema):
    """That a booked MIAM took place, with the checklist items the mediator covered."""

    model_config = ConfigDict(extra="forbid")

    covered: list[str] = Field(..., max_length=20, description="Checklist item names.")


class ScreeningIn(InputSchema):
    """One party's private screening answers (restricted audience only).

    `answers` holds each question (yes, no or unsure) and its `<question>_notes`, the flags
    (true or false), `consent_to_contact_social_worker` and `social_worker_details`.
    """

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, str | bool] = Field(..., max_length=40)


class SuitabilityIn(InputSchema):
    """The mediator's suitability decision."""

    model_config = ConfigDict(extra="forbid")

    route: str = Field(..., description="joint, shuttle or not_suitable.")
    reasons: MultilineText = Field(..., max_length=5000)
    signposting: MultilineText = Field("", max_length=5000, description="Needed if not suitable.")


# --- Output --------------------------------------------------------------------------------


class AttendeeOut(Schema):
    """Someone attending a MIAM."""

    participant_id: int
    name: str


class ChecklistItemOut(Schema):
    """One item the mediator must cover at a MIAM, and whether it was covered."""

    item: str
    label: str
    covered: bool


class MiamOut(Schema):
    """A MIAM. For a party: only themselves as attendee, and no checklist."""

    id: int
    status: str
    status_label: str
    starts_at: dt.datetime
    duration_minutes: int
    mode: str
    mode_label: str
    place: str
    mediator: str
    attendees: list[AttendeeOut]
    joint: bool | None = Field(description="Staff only; null for parties.")
    held_recorded_at: dt.datetime | None
    checklist: list[ChecklistItemOut] | None = Field(description="Staff only; null for parties.")


class ScreeningAnswerOut(Schema):
    """One screening question's answer and notes."""

    question: str
    label: str
    answer: str
    notes: str


class ScreeningOut(Schema):
    """One party's private screening at a MIAM (restricted)."""

    id: int
    participant_id: int
    participant: str
    answers: list[ScreeningAnswerOut]
    flags: dict[str, bool]
    consent_to_contact_social_worker: bool
    social_worker_details: str
    suggested_route: str
    suggested_route_label: str
    concern_id: int | None
    updated_at: dt.datetime


class SuitabilityDecisionOut(Schema):
    """The suitability decision; reasons and signposting only for the restricted audience."""

    route: str
    route_label: str
    decided_by: str
    decided_at: dt.datetime
    reasons: str | None = Field(description="Restricted audience only; null for others.")
    signposting: str | None = Field(description="Restricted audience only; null for others.")


class SuitabilityOut(Schema):
    """The case's suitability decision, or null while none has been recorded."""

    decision: SuitabilityDecisionOut | None


class MiamCertificateOut(Schema):
    """A signed MIAM certificate, with the address to download its PDF."""

    id: int
    miam_id: int
    participant_id: int
    party: str
    service_name: str
    sole_trader_name: str
    mediator_name: str
    fmc_urn: str
    miam_date: dt.date
    outcome: str
    outcome_label: str
    is_legacy: bool = Field(description="An outcome used only before 29 April 2024.")
    court_application: str
    court_application_label: str
    valid_until: dt.date
    signed_name: str
    signed_at: dt.datetime
    document_version_id: int | None
    sha256: str | None
    download_url: str | None


# --- Shaping -------------------------------------------------------------------------------


def _name(user: Any) -> str:
    return str(user.full_name or user.email) if user else ""


def miam_out(miam: Miam, *, staff: bool, user: Any) -> MiamOut:
    """A MIAM as this caller may see it."""
    everyone = list(miam.attendees.all())
    attendees = everyone
    if not staff:
        # A joint MIAM must not tell one party anything about the other.
        attendees = [p for p in everyone if p.user_id == user.pk and p.portal_access]
    return MiamOut(
        id=miam.pk,
        status=miam.status,
        status_label=miam.get_status_display(),
        starts_at=miam.starts_at,
        duration_minutes=miam.duration_minutes,
        mode=miam.mode,
        mode_label=miam.get_mode_display(),
        place=miam.place,
        mediator=_name(miam.mediator),
        attendees=[AttendeeOut(participant_id=p.pk, name=p.full_name) for p in attendees],
        joint=len(everyone) > 1 if staff else None,
        held_recorded_at=miam.held_recorded_at,
        checklist=[
            ChecklistItemOut(item=name, label=label, covered=bool(getattr(miam, name)))
            for name, label in CHECKLIST
        ]
        if staff
        else None,
    )


def screening_out(screening: Screening) -> ScreeningOut:
    """A screening, for the restricted audience only."""
    suggestion = services.screening_suggestion(screening)
    return ScreeningOut(
        id=screening.pk,
        participant_id=screening.participant_id,
        participant=screening.participant.full_name,
        answers=[
            ScreeningAnswerOut(
                question=name,
                label=label,
                answer=getattr(screening, name),
                notes=getattr(screening, f"{name}_notes"),
            )
            for name, label in SCREENING_QUESTIONS
        ],
        flags={flag: bool(getattr(screening, flag)) for flag in SCREENING_FLAGS},
        consent_to_contact_social_worker=screening.consent_to_contact_social_worker,
        social_worker_details=screening.social_worker_details,
        suggested_route=suggestion.route.name.lower(),
        suggested_route_label=suggestion.route.label,
        concern_id=screening.concern_id,
        updated_at=screening.updated_at,
    )


def certificate_out(certificate: MiamCertificate) -> MiamCertificateOut:
    """A certificate with its download address (the download view applies the policy again)."""
    version = certificate.document_version
    return MiamCertificateOut(
        id=certificate.pk,
        miam_id=certificate.miam_id,
        participant_id=certificate.party_id,
        party=certificate.party.full_name,
        service_name=certificate.service_name,
        sole_trader_name=certificate.sole_trader_name,
        mediator_name=certificate.mediator_name,
        fmc_urn=certificate.fmc_urn,
        miam_date=certificate.miam_date,
        outcome=certificate.outcome,
        outcome_label=CertificateOutcome(certificate.outcome).label,
        is_legacy=certificate.is_legacy,
        court_application=certificate.court_application,
        court_application_label=CourtApplication(certificate.court_application).label,
        valid_until=certificate.valid_until,
        signed_name=certificate.signed_name,
        signed_at=certificate.signed_at,
        document_version_id=version.pk if version else None,
        sha256=version.sha256 if version else None,
        download_url=reverse("documents:download", args=[version.pk]) if version else None,
    )


# --- Endpoints -----------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/miams",
    response=responses(200, list[MiamOut], 404, 422),
    summary="List a case's MIAMs",
)
def miam_list(request: HttpRequest, case_id: ObjectId) -> list[MiamOut]:
    """The case team sees every MIAM; a party only those they attend, without anyone else.

    Empty for a kind of case without MIAMs (only family mediation has them).
    """
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id)
    if not part_applies(case, "miam"):
        return []
    staff = policy.can(user, "view_workspace", case)
    miams = (
        selectors.miam_list_for(user=user, case=case)
        if staff
        else selectors.miams_attended_by(user=user, case=case).prefetch_related("attendees")
    )
    return [miam_out(miam, staff=staff, user=user) for miam in miams]


@router.get(
    "/cases/{case_id}/miams/{miam_id}/screenings",
    response=responses(200, list[ScreeningOut], 404, 422),
    summary="List the private screenings at a MIAM (restricted)",
)
def screening_list(
    request: HttpRequest, case_id: ObjectId, miam_id: ObjectId
) -> list[ScreeningOut]:
    """Only the case's mediators, supervisor and safeguarding lead; 404 for everyone else."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_restricted")
    ensure_part_applies(case, "screening")
    miam = selectors.miam_get_for(user=user, case=case, miam_id=miam_id)
    screenings = selectors.screenings_for(user=user, case=case).filter(miam=miam)
    return [screening_out(s) for s in screenings.order_by("participant_id")]


@router.get(
    "/cases/{case_id}/suitability",
    response=responses(200, SuitabilityOut, 404, 422),
    summary="Get a case's suitability decision",
)
def suitability_detail(request: HttpRequest, case_id: ObjectId) -> SuitabilityOut:
    """Staff of the case only (parties 404); reasons only for the restricted audience."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    decision = selectors.suitability_for(user=user, case=case)
    if decision is None:
        return SuitabilityOut(decision=None)
    restricted = policy.can(user, "view_restricted", case)
    return SuitabilityOut(
        decision=SuitabilityDecisionOut(
            route=decision.route,
            route_label=decision.get_route_display(),
            decided_by=_name(decision.decided_by),
            decided_at=decision.decided_at,
            reasons=decision.reasons if restricted else None,
            signposting=decision.signposting if restricted else None,
        )
    )


@router.get(
    "/cases/{case_id}/miam-certificates",
    response=responses(200, list[MiamCertificateOut], 404, 422),
    summary="List a case's MIAM certificates",
)
def miam_certificate_list(request: HttpRequest, case_id: ObjectId) -> list[MiamCertificateOut]:
    """The case team sees every certificate; a party only their own.

    Empty for a kind of case without MIAM certificates (only family mediation has them).
    """
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id)
    if not part_applies(case, "miam_certificate"):
        return []
    return [certificate_out(c) for c in selectors.miam_certificates_for(user=user, case=case)]


@router.post(
    "/cases/{case_id}/miam-certificates",
    response=responses(201, MiamCertificateOut, 404, 422),
    summary="Sign and issue a MIAM certificate",
)
def miam_certificate_create(
    request: HttpRequest, case_id: ObjectId, payload: MiamCertificateIn
) -> Any:
    """Only an accredited mediator on the case team (403 for other staff who may look).

    Refused (422, the refusal in `detail`) on a kind of case without MIAM certificates.
    """
    user = request.auth  # type: ignore[attr-defined]
    case: Case = case_selectors.case_get_for(user=user, case_id=case_id)
    ensure_part_applies(case, "miam_certificate")
    miam = selectors.miam_get_for(user=user, case=case, miam_id=payload.miam_id)
    party = miam.attendees.filter(pk=payload.participant_id).first()
    if party is None:
        if not policy.can(user, "view_workspace", case):
            raise NotFoundOrHidden("No such MIAM.")
        raise ValidationFailed(
            "The MIAM certificate could not be issued.",
            field_errors={"participant_id": ["Choose a party who attended this MIAM."]},
        )
    certificate = services.miam_certificate_issue(
        actor=user,
        miam=miam,
        party=party,
        outcome=payload.outcome,
        court_application=payload.court_application,
        signed_name=payload.signed_name,
        confirm=payload.confirm,
        sole_trader_name=payload.sole_trader_name,
    )
    certificate = selectors.miam_certificates_for(user=user, case=case).get(pk=certificate.pk)
    return Status(201, certificate_out(certificate))


def _staff_miam(request: HttpRequest, case_id: int, miam_id: int) -> tuple[Any, Case, Miam]:
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    ensure_part_applies(case, "miam")
    return user, case, selectors.miam_get_for(user=user, case=case, miam_id=miam_id)


def _fresh(user: Any, case: Case, miam: Miam) -> MiamOut:
    return miam_out(
        selectors.miam_get_for(user=user, case=case, miam_id=miam.pk), staff=True, user=user
    )


@router.post(
    "/cases/{case_id}/miams/{miam_id}/move",
    response=responses(200, MiamOut, 404, 422),
    summary="Move a booked MIAM",
)
def miam_move(
    request: HttpRequest, case_id: ObjectId, miam_id: ObjectId, payload: MiamMoveIn
) -> Any:
    """Case team only (parties 404). Attendees are emailed the new time with a calendar file."""
    user, case, miam = _staff_miam(request, case_id, miam_id)
    services.miam_move(
        actor=user,
        miam=miam,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        mode=payload.mode,
        place=payload.place,
        confirm_warnings=payload.confirm_warnings,
        confirm_reason=payload.confirm_reason,
    )
    return _fresh(user, case, miam)


@router.post(
    "/cases/{case_id}/miams/{miam_id}/cancel",
    response=responses(200, MiamOut, 404, 422),
    summary="Cancel a booked MIAM",
)
def miam_cancel(
    request: HttpRequest, case_id: ObjectId, miam_id: ObjectId, payload: MiamCancelIn
) -> Any:
    """Case team only (parties 404). Attendees are told it is cancelled, never why."""
    user, case, miam = _staff_miam(request, case_id, miam_id)
    services.miam_cancel(actor=user, miam=miam, reason=payload.reason)
    return _fresh(user, case, miam)


@router.post(
    "/cases/{case_id}/miams/{miam_id}/did-not-attend",
    response=responses(200, MiamOut, 404, 422),
    summary="Record that a MIAM did not take place because a party did not attend",
)
def miam_did_not_attend(
    request: HttpRequest, case_id: ObjectId, miam_id: ObjectId, payload: MiamDidNotAttendIn
) -> Any:
    """Case team only (parties 404); only once the MIAM was due to start."""
    user, case, miam = _staff_miam(request, case_id, miam_id)
    absent = None
    if payload.absent_ids:
        absent = list(miam.attendees.filter(pk__in=payload.absent_ids))
        if len(absent) != len(set(payload.absent_ids)):
            raise ValidationFailed(
                "The MIAM could not be marked as not attended.",
                field_errors={"absent_ids": ["Choose people booked for this MIAM only."]},
            )
    services.miam_mark_did_not_attend(actor=user, miam=miam, absent=absent)
    return _fresh(user, case, miam)


@router.post(
    "/cases/{case_id}/miams",
    response=responses(201, MiamOut, 403, 404, 422),
    summary="Book a MIAM",
)
def miam_book(request: HttpRequest, case_id: ObjectId, payload: MiamBookIn) -> Any:
    """Case team only (parties 404). The same checks as the booking page: the case's kind, a
    mediator on the case team (or `add_to_team`), warnings to confirm, no booking in the past.
    `already_held` (deprecated) records a past MIAM exactly as `.../miams/record-past` does."""
    from accord.organisations.models import Role
    from accord.organisations.selectors import staff_in

    user = request.auth  # type: ignore[attr-defined]
    # Read through model_dump: reading a deprecated field as an attribute warns.
    if payload.model_dump(include={"already_held"})["already_held"]:
        past = MiamRecordPastIn(
            **payload.model_dump(
                include={
                    "attendee_ids",
                    "mediator_id",
                    "starts_at",
                    "duration_minutes",
                    "mode",
                    "place",
                    "joint",
                    "add_to_team",
                    "covered",
                }
            )
        )
        return miam_record_past(request, case_id, past)
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    ensure_part_applies(case, "miam")
    attendees = list(case.participants.filter(pk__in=payload.attendee_ids))
    mediator = staff_in(case.organisation, Role.MEDIATOR).filter(pk=payload.mediator_id).first()
    errors: dict[str, list[str]] = {}
    if len(attendees) != len(set(payload.attendee_ids)):
        errors["attendee_ids"] = ["Choose parties of this case only."]
    if mediator is None:
        errors["mediator_id"] = ["Choose a mediator of this service."]
    if errors:
        raise ValidationFailed("The MIAM could not be booked.", field_errors=errors)
    miam = services.miam_book(
        actor=user,
        case=case,
        attendees=attendees,
        mediator=mediator,
        starts_at=payload.starts_at,
        mode=payload.mode,
        place=payload.place,
        duration_minutes=payload.duration_minutes,
        joint=payload.joint,
        add_to_team=payload.add_to_team,
        confirm_warnings=payload.confirm_warnings,
        confirm_reason=payload.confirm_reason,
    )
    return Status(201, _fresh(user, case, miam))


@router.post(
    "/cases/{case_id}/miams/{miam_id}/held",
    response=responses(200, MiamOut, 404, 422),
    summary="Record that a MIAM took place",
)
def miam_held(
    request: HttpRequest, case_id: ObjectId, miam_id: ObjectId, payload: MiamHeldIn
) -> Any:
    """Case team only (parties 404); the checklist items covered are recorded with it."""
    user, case, miam = _staff_miam(request, case_id, miam_id)
    services.miam_record_held(actor=user, miam=miam, covered=payload.covered)
    return _fresh(user, case, miam)


@router.put(
    "/cases/{case_id}/miams/{miam_id}/screenings/{participant_id}",
    response=responses(200, ScreeningOut, 404, 422),
    summary="Record or update one party's private screening (restricted)",
)
def screening_put(
    request: HttpRequest,
    case_id: ObjectId,
    miam_id: ObjectId,
    participant_id: ObjectId,
    payload: ScreeningIn,
) -> Any:
    """Only the case's mediators, supervisor and safeguarding lead; 404 for everyone else."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_restricted")
    ensure_part_applies(case, "screening")
    miam = selectors.miam_get_for(user=user, case=case, miam_id=miam_id)
    participant = miam.attendees.filter(pk=participant_id).first()
    if participant is None:
        raise NotFoundOrHidden("No such screening.")
    screening = services.screening_save(
        actor=user, miam=miam, participant=participant, answers=dict(payload.answers)
    )
    return screening_out(selectors.screenings_for(user=user, case=case).get(pk=screening.pk))


@router.post(
    "/cases/{case_id}/suitability",
    response=responses(200, SuitabilityOut, 403, 404, 422),
    summary="Record or revise the suitability decision",
)
def suitability_post(request: HttpRequest, case_id: ObjectId, payload: SuitabilityIn) -> Any:
    """The case's mediator only (other staff 403, parties 404)."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    services.suitability_decide(
        actor=user,
        case=case,
        route=payload.route,
        reasons=payload.reasons,
        signposting=payload.signposting,
    )
    return suitability_detail(request, case_id)


# --- Page actions added for issue 15 (item 9): record-past, repeat screening, concern, funding ---

_MIAM_EXAMPLE: dict[str, Any] = {
    "id": 41,
    "status": "held",
    "status_label": "Held",
    "starts_at": "2026-11-20T10:00:00Z",
    "duration_minutes": 45,
    "mode": "video",
    "mode_label": "Video call",
    "place": "https://video.example/room-3",
    "mediator": "Sam Patel",
    "attendees": [{"participant_id": 12, "name": "Alice Smith"}],
    "joint": False,
    "held_recorded_at": "2026-12-06T09:12:00Z",
    "checklist": [
        {"item": "covered_options", "label": "Options explained", "covered": True},
    ],
}


class MiamRecordPastIn(InputSchema):
    """A MIAM that took place before it was put in Accord, and what the mediator covered.

    As the "Record a MIAM that already took place" page: nobody is emailed and no warnings are
    asked about; the MIAM is saved as held.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "attendee_ids": [12],
                    "mediator_id": 5,
                    "starts_at": "2026-11-20T10:00:00+00:00",
                    "duration_minutes": 45,
                    "mode": "video",
                    "place": "https://video.example/room-3",
                    "covered": ["covered_options", "covered_suitability"],
                }
            ]
        },
    )

    attendee_ids: list[ObjectId] = Field(
        ..., min_length=1, max_length=10, description="The party, or parties for a joint MIAM."
    )
    mediator_id: ObjectId = Field(..., description="A mediator of the service.")
    starts_at: dt.datetime = Field(..., description="With a time zone; in the past.")
    duration_minutes: int = Field(45, description="5 to 480.")
    mode: str = Field(..., description="in_person, video or phone.")
    place: str = Field(..., max_length=500, description="Address or room, video link or number.")
    joint: bool = Field(False, description="True for one MIAM attended by several parties.")
    add_to_team: bool = Field(
        False, description="True to add a mediator not yet on the case team (as lead or co)."
    )
    covered: list[str] = Field(
        default_factory=list, max_length=20, description="The checklist items covered."
    )


class MiamRecordedOut(MiamOut):
    """The MIAM recorded as held (as `MiamOut` for the case team)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_MIAM_EXAMPLE]})


#: The services name fields as the pages do; a refusal names them as this API does.
_MIAM_FIELDS = {"attendees": "attendee_ids", "mediator": "mediator_id"}


def _api_fields(exc: ValidationFailed, renamed: dict[str, str]) -> ValidationFailed:
    exc.field_errors = {renamed.get(k, k): v for k, v in exc.field_errors.items()}
    return exc


@router.post(
    "/cases/{case_id}/miams/record-past",
    response=responses(201, MiamRecordedOut, 403, 404, 422),
    summary="Record a MIAM that already took place",
)
def miam_record_past(request: HttpRequest, case_id: ObjectId, payload: MiamRecordPastIn) -> Any:
    """Those who may change the case (other staff of the case 403; parties and other services
    404), family mediation only. The same service as the page: its time must be in the past; it
    is saved as held with the checklist `covered`, its deadline met and the case moved on once
    every party has had a MIAM. Nobody is emailed."""
    from accord.organisations.models import Role
    from accord.organisations.selectors import staff_in

    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    if not policy.can(user, "change", case):
        raise NotPermitted("You do not have permission to do that on this case.")
    ensure_part_applies(case, "miam")
    attendees = list(case.participants.filter(pk__in=payload.attendee_ids))
    mediator = staff_in(case.organisation, Role.MEDIATOR).filter(pk=payload.mediator_id).first()
    errors: dict[str, list[str]] = {}
    if len(attendees) != len(set(payload.attendee_ids)):
        errors["attendee_ids"] = ["Choose parties of this case only."]
    if mediator is None:
        errors["mediator_id"] = ["Choose a mediator of this service."]
    if errors:
        raise ValidationFailed("The MIAM could not be recorded.", field_errors=errors)
    try:
        miam = services.miam_book(
            actor=user,
            case=case,
            attendees=attendees,
            mediator=mediator,
            starts_at=payload.starts_at,
            mode=payload.mode,
            place=payload.place,
            duration_minutes=payload.duration_minutes,
            joint=payload.joint,
            add_to_team=payload.add_to_team,
            already_held=True,
            covered=payload.covered,
        )
    except ValidationFailed as exc:
        raise _api_fields(exc, _MIAM_FIELDS) from None
    fresh = selectors.miam_get_for(user=user, case=case, miam_id=miam.pk)
    return Status(201, MiamRecordedOut(**miam_out(fresh, staff=True, user=user).model_dump()))


_SCREENING_EXAMPLE: dict[str, Any] = {
    "id": 77,
    "participant_id": 12,
    "participant": "Alice Smith",
    "answers": [
        {"question": "physical_abuse", "label": "Physical abuse", "answer": "no", "notes": ""},
        {
            "question": "fear_of_other_party",
            "label": "Fear of the other party",
            "answer": "yes",
            "notes": "Afraid since the last handover.",
        },
    ],
    "flags": {"injunction": False, "non_molestation_order": False, "bail_conditions": False},
    "consent_to_contact_social_worker": False,
    "social_worker_details": "",
    "suggested_route": "shuttle",
    "suggested_route_label": "Shuttle mediation",
    "concern_id": None,
    "updated_at": "2026-12-06T09:30:00Z",
}


class ScreeningRepeatIn(InputSchema):
    """A new screening of one party at any point of the case (restricted audience only).

    `answers` as for a MIAM's screening: each question (yes, no or unsure) and its
    `<question>_notes`, the flags (true or false), `consent_to_contact_social_worker` and
    `social_worker_details`. A question left out is answered no.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "participant_id": 12,
                    "answers": {
                        "fear_of_other_party": "yes",
                        "fear_of_other_party_notes": "Afraid since the last handover.",
                    },
                }
            ]
        },
    )

    participant_id: ObjectId = Field(..., description="A party of the case.")
    answers: dict[str, str | bool] = Field(..., max_length=40)


class ScreeningRepeatOut(ScreeningOut):
    """The new screening (restricted), and whether it now waits for a suitability decision."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**_SCREENING_EXAMPLE, "miam_id": None, "awaits_decision": True}]
        }
    )

    miam_id: int | None = Field(description="Null: a repeat screening belongs to no MIAM.")
    awaits_decision: bool = Field(
        description="It suggests a stricter route than the decision in force: the case's "
        "mediators are alerted and no session is booked or started until a new decision."
    )


def _screening_with_alert(screening: Screening, waiting: set[int]) -> ScreeningRepeatOut:
    return ScreeningRepeatOut(
        **screening_out(screening).model_dump(),
        miam_id=screening.miam_id,
        awaits_decision=screening.pk in waiting,
    )


@router.get(
    "/cases/{case_id}/screenings",
    response=responses(200, list[ScreeningRepeatOut], 404, 422),
    summary="List every screening of a case, at MIAMs and repeated (restricted)",
)
def screening_case_list(request: HttpRequest, case_id: ObjectId) -> list[ScreeningRepeatOut]:
    """Only the case's mediators, supervisor and safeguarding lead; 404 for everyone else,
    other staff included. Oldest first: the MIAM screenings, then each repeat (`miam_id` null),
    as the case's screening page lists them; `awaits_decision` while a repeat's stricter route
    waits for a new suitability decision."""
    from accord.meetings.models import ScreeningAlert

    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_restricted")
    ensure_part_applies(case, "screening")
    screenings = list(
        selectors.screenings_for(user=user, case=case)
        .select_related("participant")
        .order_by("created_at", "pk")
    )
    waiting = set(
        ScreeningAlert.objects.filter(
            screening__in=[s.pk for s in screenings], resolved_at__isnull=True
        ).values_list("screening_id", flat=True)
    )
    return [_screening_with_alert(s, waiting) for s in screenings]


@router.post(
    "/cases/{case_id}/screenings",
    response=responses(201, ScreeningRepeatOut, 404, 422),
    summary="Screen a party again (restricted)",
)
def screening_repeat(request: HttpRequest, case_id: ObjectId, payload: ScreeningRepeatIn) -> Any:
    """Only the case's mediators, supervisor and safeguarding lead; 404 for everyone else,
    other staff included. Screening goes on throughout the case (FMC Code 5.8): each repeat is
    a new restricted record, through the same service as the page."""
    from accord.meetings.models import ScreeningAlert

    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_restricted")
    ensure_part_applies(case, "screening")
    participant = case.participants.filter(pk=payload.participant_id, role="party").first()
    if participant is None:
        raise ValidationFailed(
            "The screening could not be saved.",
            field_errors={"participant_id": ["Choose a party of this case."]},
        )
    screening = services.screening_repeat(
        actor=user, case=case, participant=participant, answers=dict(payload.answers)
    )
    fresh = selectors.screenings_for(user=user, case=case).get(pk=screening.pk)
    waiting = set(
        ScreeningAlert.objects.filter(screening=fresh, resolved_at__isnull=True).values_list(
            "screening_id", flat=True
        )
    )
    return Status(201, _screening_with_alert(fresh, waiting))


class ScreeningConcernOut(Schema):
    """The safeguarding concern raised from a screening (read it under /safeguarding)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "concern_id": 15,
                    "message": "A safeguarding concern has been raised from the screening.",
                    "screening": {**_SCREENING_EXAMPLE, "concern_id": 15},
                }
            ]
        }
    )

    concern_id: int
    message: str
    screening: ScreeningOut


@router.post(
    "/cases/{case_id}/miams/{miam_id}/screenings/{participant_id}/concern",
    response=responses(201, ScreeningConcernOut, 404, 422),
    summary="Raise a safeguarding concern from a screening (restricted)",
)
def screening_concern(
    request: HttpRequest, case_id: ObjectId, miam_id: ObjectId, participant_id: ObjectId
) -> Any:
    """Only the case's mediators, supervisor and safeguarding lead; 404 for everyone else, and
    for a party with no screening at this MIAM. Prefilled from the screening's answer on risks
    to the children; refused (422) when it reports none or a concern was already raised."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_restricted")
    ensure_part_applies(case, "screening")
    miam = selectors.miam_get_for(user=user, case=case, miam_id=miam_id)
    screening = selectors.screening_find_for(user=user, miam=miam, participant_id=participant_id)
    if screening is None:
        raise NotFoundOrHidden("No such screening.")
    concern = services.screening_raise_concern(actor=user, screening=screening)
    fresh = selectors.screenings_for(user=user, case=case).get(pk=screening.pk)
    return Status(
        201,
        ScreeningConcernOut(
            concern_id=concern.pk,
            message="A safeguarding concern has been raised from the screening.",
            screening=screening_out(fresh),
        ),
    )


_FUNDING_EXAMPLE: dict[str, Any] = {
    "participant_id": 12,
    "participant": "Alice Smith",
    "kind": "legal_aid",
    "kind_label": "Legal aid",
    "legal_aid_basis": "passported",
    "legal_aid_outcome": "eligible",
    "voucher_amount": None,
    "miam_and_first_session_funded": False,
    "recorded": True,
}


class FundingIn(InputSchema):
    """How one party is funded. The legal aid answers go only with legal aid, the amount only
    with the voucher."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "legal_aid",
                    "legal_aid_basis": "passported",
                    "legal_aid_outcome": "eligible",
                },
                {"kind": "voucher", "voucher_amount": "500.00"},
                {"kind": "private"},
            ]
        },
    )

    kind: str = Field(..., description="legal_aid, voucher, private or not_yet_known.")
    legal_aid_basis: str = Field("", description="Legal aid: passported or means_assessed.")
    legal_aid_outcome: str = Field("", description="Legal aid: eligible, not_eligible or pending.")
    voucher_amount: str | None = Field(
        None, max_length=20, description='The voucher: pounds and pence, e.g. "500.00".'
    )


class FundingOut(Schema):
    """How one party of the case is funded (staff only); `recorded` false while not yet asked."""

    model_config = ConfigDict(json_schema_extra={"examples": [_FUNDING_EXAMPLE]})

    participant_id: int
    participant: str
    kind: str
    kind_label: str
    legal_aid_basis: str
    legal_aid_outcome: str
    voucher_amount: str | None
    miam_and_first_session_funded: bool = Field(
        description="Funded because another party of the case qualifies for legal aid."
    )
    recorded: bool


def _funding_out(participant: Any, funding: Any) -> FundingOut:
    from accord.meetings.models import FundingKind

    kind = funding.kind if funding else FundingKind.NOT_YET_KNOWN
    return FundingOut(
        participant_id=participant.pk,
        participant=participant.full_name,
        kind=kind,
        kind_label=FundingKind(kind).label,
        legal_aid_basis=funding.legal_aid_basis if funding else "",
        legal_aid_outcome=funding.legal_aid_outcome if funding else "",
        voucher_amount=(
            f"{funding.voucher_amount:.2f}" if funding and funding.voucher_amount else None
        ),
        miam_and_first_session_funded=bool(funding and funding.miam_and_first_session_funded),
        recorded=funding is not None,
    )


@router.get(
    "/cases/{case_id}/funding",
    response=responses(200, list[FundingOut], 404, 422),
    summary="List how each party of a case is funded",
)
def funding_list(request: HttpRequest, case_id: ObjectId) -> list[FundingOut]:
    """Staff of the case only (parties and other services 404); empty for a kind of case
    without funding records (only family mediation has them)."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    if not part_applies(case, "funding"):
        return []
    return [_funding_out(p, f) for p, f in selectors.party_fundings_for(user=user, case=case)]


_MONEY = re.compile(r"^\d{1,6}(\.\d{1,2})?$")


@router.put(
    "/cases/{case_id}/funding/{participant_id}",
    response=responses(200, FundingOut, 403, 404, 422),
    summary="Record how a party is funded (legal aid, the voucher or private fees)",
)
def funding_put(
    request: HttpRequest, case_id: ObjectId, participant_id: ObjectId, payload: FundingIn
) -> Any:
    """Those who may change the case (other staff of the case 403; parties and other services
    404; a participant who is not a party 404), family mediation only. Legal aid found eligible
    for one party funds the other parties' MIAM and first session, as on the page."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    if not policy.can(user, "change", case):
        raise NotPermitted("You do not have permission to do that on this case.")
    ensure_part_applies(case, "funding")
    participant = case.participants.filter(role__in=PARTY_ROLES, pk=participant_id).first()
    if participant is None:
        raise NotFoundOrHidden("No such party.")
    amount = None
    if payload.voucher_amount not in (None, ""):
        text = str(payload.voucher_amount).strip()
        if not _MONEY.match(text):
            raise ValidationFailed(
                "The funding could not be recorded.",
                field_errors={
                    "voucher_amount": [
                        "Enter the voucher amount in pounds and pence, such as 500.00."
                    ]
                },
            )
        amount = Decimal(text)
    services.funding_record(
        actor=user,
        participant=participant,
        kind=payload.kind,
        legal_aid_basis=payload.legal_aid_basis,
        legal_aid_outcome=payload.legal_aid_outcome,
        voucher_amount=amount,
    )
    funding = selectors.fundings_for(user=user, case=case).get(participant=participant)
    return _funding_out(participant, funding)
