"""The agreements part of the HTTP API (mounted by ``accord.api.api``).

Endpoints only parse input, call a selector or service and shape the answer. Staff who may open
the case workspace see every signer with IP address and user agent; a party sees, as on the
portal page, only their own signature and whether everyone has signed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from accord.agreements import selectors, services
from accord.agreements.gate import unsigned_required
from accord.agreements.selectors import AgreementView, SignerStatus
from accord.api.schemas import InputSchema, responses
from accord.cases import selectors as case_selectors
from accord.cases.models import Case
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
