"""The agreements part of the HTTP API (mounted by ``accord.api.api``).

Endpoints only parse input, call a selector or service and shape the answer. Staff who may open
the case workspace see every signer with IP address and user agent; a party sees, as on the
portal page, only their own signature and whether everyone has signed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from accord.agreements import selectors, services
from accord.agreements.gate import current_agreement_packet, unsigned_required
from accord.agreements.models import KindGroup
from accord.agreements.selectors import AgreementView, SignerStatus
from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import selectors as case_selectors
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden, ValidationFailed

router = Router(tags=["agreements"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class SignIn(InputSchema):
    """A party's online signature: confirmation and their typed full name."""

    model_config = ConfigDict(extra="forbid")

    typed_name: str = Field(..., max_length=200, description="The signer's full name, typed.")
    confirm: bool = Field(..., description="True: I have read this document and I agree to it.")


class SignerOut(Schema):
    """One person who must sign, and their signature if any."""

    participant_id: int
    name: str
    signed: bool
    signed_at: dt.datetime | None
    method: str | None = Field(None, description="online or wet_ink; null if not signed.")
    typed_name: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    text_sha256: str | None = Field(None, description="SHA-256 of the exact text signed.")


class AgreementOut(Schema):
    """The case's current Agreement to Mediate and who has signed it."""

    exists: bool = Field(..., description="False until the case team prepares an agreement.")
    packet_id: int | None
    title: str | None
    status: str | None = Field(None, description="open, complete (everyone signed) or void.")
    sha256: str | None = Field(None, description="SHA-256 of the agreement's exact text.")
    template_version: int | None = Field(
        None, description="0 means Accord's default wording. Staff only; null for parties."
    )
    everyone_signed: bool
    still_to_sign: list[str] | None = Field(
        ..., description="Names of those still to sign. Staff only; null for parties."
    )
    signers: list[SignerOut] = Field(
        ..., description="Everyone who must sign for staff; a party gets only their own line."
    )


def _signer(row: SignerStatus, *, technical: bool) -> SignerOut:
    s = row.signature
    return SignerOut(
        participant_id=row.participant.pk,
        name=row.participant.full_name,
        signed=s is not None,
        signed_at=s.signed_at if s else None,
        method=s.method if s else None,
        typed_name=s.typed_name if s and technical else None,
        ip_address=s.ip_address if s and technical else None,
        user_agent=s.user_agent if s and technical else None,
        text_sha256=s.text_sha256 if s else None,
    )


def agreement_out(user: Any, case: Case, view: AgreementView) -> AgreementOut:
    """The answer for one reader: technical details of others' signatures for staff only."""
    if view.state is None:
        return AgreementOut(
            exists=False,
            packet_id=None,
            title=None,
            status=None,
            sha256=None,
            template_version=None,
            everyone_signed=False,
            still_to_sign=[p.full_name for p in unsigned_required(case)]
            if view.is_staff_view
            else None,
            signers=[],
        )
    packet = view.state.packet
    return AgreementOut(
        exists=True,
        packet_id=packet.pk,
        title=packet.title,
        status=packet.status,
        sha256=packet.sha256,
        template_version=view.agreement.template_version if view.agreement else None,
        everyone_signed=view.state.everyone_signed,
        still_to_sign=[p.full_name for p in view.unsigned] if view.is_staff_view else None,
        # A party sees their own signature and whether everyone has signed, as on the portal page.
        signers=[
            _signer(row, technical=True)
            for row in view.state.signers
            if view.is_staff_view or row.participant.user_id == user.pk
        ],
    )


@router.get(
    "/cases/{case_id}/agreement",
    response=responses(200, AgreementOut, 404, 422),
    summary="The Agreement to Mediate and who has signed",
)
def agreement_detail(request: HttpRequest, case_id: ObjectId) -> AgreementOut:
    """Status of the case's Agreement to Mediate: who signed, who is still to sign."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id)
    return agreement_out(user, case, selectors.agreement_for(user=user, case=case))


@router.post(
    "/cases/{case_id}/agreement/sign",
    response=responses(200, AgreementOut, 400, 404, 422),
    summary="Sign the Agreement to Mediate",
)
def agreement_sign(request: HttpRequest, case_id: ObjectId, payload: SignIn) -> AgreementOut:
    """A party signs the case's current Agreement to Mediate; IP and user agent are recorded."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id)
    view = selectors.agreement_for(user=user, case=case)
    if view.state is None:
        raise ValidationFailed("There is no Agreement to Mediate to sign on this case yet.")
    if view.own is None and not view.is_staff_view:
        raise NotFoundOrHidden("No such document to sign.")
    services.signature_sign_online(
        user=user,
        packet=view.state.packet,
        typed_name=payload.typed_name,
        confirm=payload.confirm,
        ip=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return agreement_out(user, case, selectors.agreement_for(user=user, case=case))


# --- The case team: prepare, void, wet-ink -------------------------------------------------


class AgreementPrepareIn(InputSchema):
    """Prepare the Agreement to Mediate from the service's current wording for the case's kind.
    Every party signs; add others (a solicitor, an interpreter) by participant id."""

    model_config = ConfigDict(extra="forbid")

    extra_signer_ids: list[ObjectId] = Field(
        [], max_length=50, description="Non-party participants of the case who must also sign."
    )


def _staff_case(user: Any, case_id: int) -> Case:
    return case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")


def _current_packet(case: Case) -> Any:
    packet = current_agreement_packet(case)
    if packet is None:
        raise ValidationFailed("There is no Agreement to Mediate on this case yet.")
    return packet


@router.post(
    "/cases/{case_id}/agreement",
    response=responses(201, AgreementOut, 403, 404, 422),
    summary="Prepare the Agreement to Mediate",
)
def agreement_prepare(request: HttpRequest, case_id: ObjectId, payload: AgreementPrepareIn) -> Any:
    """The case team prepares the agreement (the service it calls is the page's
    `agreement_create`); an earlier agreement is voided and keeps its own signatures. Signers
    with portal access are emailed a link to sign."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    wanted = set(payload.extra_signer_ids)
    extras = list(Participant.objects.filter(case=case, pk__in=wanted))
    if len(extras) != len(wanted):
        raise ValidationFailed(
            "The agreement could not be prepared.",
            field_errors={"extra_signer_ids": ["Choose participants of this case only."]},
        )
    services.agreement_create(actor=user, case=case, extra_signers=extras)
    return Status(201, agreement_out(user, case, selectors.agreement_for(user=user, case=case)))


@router.post(
    "/cases/{case_id}/agreement/void",
    response=responses(200, AgreementOut, 403, 404, 422),
    summary="Void the current Agreement to Mediate",
)
def agreement_void(request: HttpRequest, case_id: ObjectId) -> Any:
    """The case team voids the current agreement: nobody can sign it any more and its
    signatures stay as they were. 422 if there is none."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.signing_packet_void(actor=user, packet=_current_packet(case))
    return agreement_out(user, case, selectors.agreement_for(user=user, case=case))


@router.post(
    "/cases/{case_id}/agreement/wet-ink",
    response=responses(200, AgreementOut, 403, 404, 413, 422),
    summary="Record a wet-ink signature from a signed copy",
)
def agreement_wet_ink(
    request: HttpRequest,
    case_id: ObjectId,
    participant_id: Form[ObjectId],
    upload: File[UploadedFile],
) -> Any:
    """Multipart form: `participant_id` (who signed) and `upload`, the scan or photo of the signed
    copy (PDF, JPEG or PNG, recognised from its content, up to the page's size limit). The PDF
    with the signing certificate is produced as on the page."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    packet = _current_packet(case)
    participant = packet.required.filter(pk=participant_id).first()
    if participant is None:
        raise ValidationFailed(
            "The signed copy could not be recorded.",
            field_errors={"participant_id": ["Choose someone who must sign this agreement."]},
        )
    services.signature_record_wet_ink(
        actor=user, packet=packet, participant=participant, upload=upload, produce_pdf=True
    )
    return agreement_out(user, case, selectors.agreement_for(user=user, case=case))


# --- The service's wording (service admins) -------------------------------------------------
#
# What the "Agreement to Mediate wording" settings pages do: each kind group's wording in use, its
# saved versions, a preview with example values, and saving the next version. Service admins of
# the caller's own service only; anyone else gets 404, as on the pages.

WORDING_EXAMPLE: dict[str, Any] = {
    "kind_group": "family",
    "kind_group_label": "Family",
    "version": 3,
    "title": "Agreement to Mediate",
    "body": "## About mediation\n\n{{service}} will mediate between {{parties}}.",
    "is_builtin": False,
    "saved_at": "2026-12-01T09:30:00Z",
    "saved_by": "Riverside Admin",
}


class WordingIn(InputSchema):
    """A new version of the wording for one kind group."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Agreement to Mediate",
                    "body": "## About mediation\n\n{{service}} will mediate between {{parties}}.",
                }
            ]
        },
    )

    title: str = Field(..., max_length=services.TITLE_LIMIT)
    body: MultilineText = Field(
        ...,
        max_length=services.BODY_LIMIT,
        description=(
            "Plain text: a blank line between paragraphs, '## ' starts a heading, '- ' a bullet. "
            "Placeholders: {{service}}, {{parties}}, {{case_reference}}, {{mediators}}; any other "
            "is refused."
        ),
    )


class WordingOut(Schema):
    """One version of a kind group's wording; version 0 is Accord's built-in wording."""

    model_config = ConfigDict(json_schema_extra={"examples": [WORDING_EXAMPLE]})

    kind_group: str = Field(description="family, send, civil (and community) or workplace.")
    kind_group_label: str
    version: int
    title: str
    body: str
    is_builtin: bool
    saved_at: dt.datetime | None
    saved_by: str | None


class WordingPreviewOut(Schema):
    """The wording as it would read, with example values in its placeholders."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Agreement to Mediate",
                    "text": "## About mediation\n\nRiverside Family Mediation will mediate "
                    "between Alex Example and Sam Example.",
                }
            ]
        }
    )

    title: str
    text: str


WordingVersion = Annotated[int, Field(ge=0, le=2**31 - 1)]


def _admin_service(user: Any) -> Any:
    from accord.organisations.selectors import is_service_admin, staff_organisation_for

    organisation = staff_organisation_for(user)
    if organisation is None or not is_service_admin(user, organisation.pk):
        raise NotFoundOrHidden("No such page.")
    return organisation


def _wording_out(wording: selectors.Wording) -> WordingOut:
    row = wording.row
    by = row.created_by if row is not None else None
    return WordingOut(
        kind_group=wording.kind_group,
        kind_group_label=wording.label,
        version=wording.version,
        title=wording.title,
        body=wording.body,
        is_builtin=wording.is_builtin,
        saved_at=row.created_at if row is not None else None,
        saved_by=(by.full_name or by.email) if by is not None else None,
    )


@router.get(
    "/agreement-templates",
    response=responses(200, list[WordingOut], 404),
    summary="The Agreement to Mediate wording in use for each kind of mediation",
)
def wording_list(request: HttpRequest) -> Any:
    """Service admins: each kind group's current wording (version 0 until the service saves its
    own). Anyone else gets 404."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    wordings = selectors.templates_for_admin(user=user, organisation_id=organisation.pk)
    return [_wording_out(w) for w in wordings]


@router.get(
    "/agreement-templates/{kind_group}/versions",
    response=responses(200, list[WordingOut], 404, 422),
    summary="Every saved version of one kind group's wording",
)
def wording_history(request: HttpRequest, kind_group: KindGroup) -> Any:
    """Service admins: the service's saved versions, newest first (the built-in wording is
    version 0, read on its own)."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    rows = selectors.template_history(
        user=user, organisation_id=organisation.pk, kind_group=kind_group.value
    )
    return [
        _wording_out(
            selectors.Wording(
                kind_group=row.kind_group,
                version=row.version,
                title=row.title,
                body=row.body,
                row=row,
            )
        )
        for row in rows.order_by("-version")
    ]


@router.get(
    "/agreement-templates/{kind_group}/versions/{version}",
    response=responses(200, WordingOut, 404, 422),
    summary="One version of a kind group's wording",
)
def wording_version(request: HttpRequest, kind_group: KindGroup, version: WordingVersion) -> Any:
    """Service admins: one saved version, or 0 for Accord's built-in wording."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    return _wording_out(
        selectors.template_version_get(
            user=user, organisation_id=organisation.pk, kind_group=kind_group.value, version=version
        )
    )


@router.post(
    "/agreement-templates/{kind_group}/preview",
    response=responses(200, WordingPreviewOut, 404, 422),
    summary="Preview wording with example values (nothing is saved)",
)
def wording_preview(request: HttpRequest, kind_group: KindGroup, payload: WordingIn) -> Any:
    """Service admins: the wording as it would read, with example names in its placeholders;
    422 on `title` or `body` for what a save would refuse (an unknown placeholder, say)."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    title, body = services.agreement_template_check(payload.title, payload.body)
    return WordingPreviewOut(title=title, text=selectors.template_preview(body, organisation.name))


@router.post(
    "/agreement-templates/{kind_group}/versions",
    response=responses(201, WordingOut, 404, 422),
    summary="Save a kind group's wording as its next version",
)
def wording_save(request: HttpRequest, kind_group: KindGroup, payload: WordingIn) -> Any:
    """Service admins save the wording as the next version (versions are never changed); cases
    prepare their agreement from the newest. Audited as `agreements.template_saved`."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    row = services.agreement_template_save(
        actor=user,
        organisation=organisation,
        kind_group=kind_group.value,
        title=payload.title,
        body=payload.body,
    )
    return Status(
        201,
        _wording_out(
            selectors.template_version_get(
                user=user,
                organisation_id=organisation.pk,
                kind_group=kind_group.value,
                version=row.version,
            )
        ),
    )
