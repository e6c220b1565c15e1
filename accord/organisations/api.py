"""The staff part of the HTTP API (mounted by ``accord.api.api``): a service admin's staff.

For the caller's service admins only; anyone else gets 404, as for the Staff page, except that
each member of staff may read their own profile. Roles given by an invitation apply only once
the invited person accepts the emailed link.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.core.errors import NotFoundOrHidden
from accord.organisations import services
from accord.organisations.models import (
    Accreditation,
    MediatorProfile,
    Organisation,
    Role,
    StaffInvitation,
)
from accord.organisations.selectors import (
    is_service_admin,
    roles_in,
    staff_invitations_pending,
    staff_list_for,
    staff_organisation_for,
)

router = Router(tags=["staff"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class StaffInviteIn(InputSchema):
    """A person to invite to the staff, with their roles and, for a mediator, FMC details."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(..., max_length=254)
    full_name: str = Field(..., max_length=200)
    roles: list[Role] = Field(..., description="One or more roles.")
    fmc_urn: str = Field("", max_length=20, description="Mediators: FMC registration number.")
    accreditation: Accreditation = Field(Accreditation.NOT_ACCREDITED)
    supervisor_id: ObjectId | None = Field(None, description="Mediators: a supervisor (PPC).")


class StaffRolesIn(InputSchema):
    """The roles a member of staff should hold from now on (at least one)."""

    model_config = ConfigDict(extra="forbid")

    roles: list[Role]


class StaffSuspendIn(InputSchema):
    """Why a member of staff is suspended (kept for the service's record)."""

    model_config = ConfigDict(extra="forbid")

    reason: MultilineText = Field("", max_length=2000)


class StaffMemberOut(Schema):
    """A current member of staff."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user_id": 12,
                    "full_name": "Morgan Mediator",
                    "email": "morgan@riverside.example",
                    "roles": ["mediator"],
                    "suspended": False,
                }
            ]
        }
    )

    user_id: int
    full_name: str
    email: str
    roles: list[str]
    suspended: bool


class StaffInvitationOut(Schema):
    """An invitation to the staff that is waiting to be accepted; the link is never shown."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "email": "ola@riverside.example",
                    "full_name": "Ola Other",
                    "roles": ["coordinator"],
                    "status": "pending",
                    "sent_at": "2026-12-06T09:00:00Z",
                    "expires_at": "2026-12-13T09:00:00Z",
                }
            ]
        }
    )

    id: int
    email: str
    full_name: str
    roles: list[str]
    status: str
    sent_at: dt.datetime
    expires_at: dt.datetime | None


class StaffOut(Schema):
    """A service's staff and its waiting invitations."""

    staff: list[StaffMemberOut]
    pending_invitations: list[StaffInvitationOut]


def _admin_service(user: Any) -> Organisation:
    organisation = staff_organisation_for(user)
    if organisation is None or not is_service_admin(user, organisation.pk):
        raise NotFoundOrHidden("No such resource.")
    return organisation


def _invitation_out(item: StaffInvitation) -> StaffInvitationOut:
    return StaffInvitationOut(
        id=item.pk,
        email=item.user.email,
        full_name=item.user.full_name,
        roles=list(item.roles),
        status=item.status,
        sent_at=item.sent_at,
        expires_at=item.invitation.expires_at if item.invitation else None,
    )


def _member_out(organisation: Organisation, user: Any, user_id: int) -> StaffMemberOut:
    for row in staff_list_for(user=user, organisation=organisation):
        if row.user.pk == user_id:
            return StaffMemberOut(
                user_id=row.user.pk,
                full_name=row.user.full_name,
                email=row.user.email,
                roles=row.roles,
                suspended=row.suspended,
            )
    raise NotFoundOrHidden("No such member of staff.")


@router.get("/staff", response=responses(200, StaffOut, 404), summary="The service's staff")
def staff_list(request: HttpRequest) -> StaffOut:
    """Current staff (suspended ones marked) and invitations waiting; service admins only."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    return StaffOut(
        staff=[
            StaffMemberOut(
                user_id=row.user.pk,
                full_name=row.user.full_name,
                email=row.user.email,
                roles=row.roles,
                suspended=row.suspended,
            )
            for row in staff_list_for(user=user, organisation=organisation)
        ],
        pending_invitations=[
            _invitation_out(item)
            for item in staff_invitations_pending(user=user, organisation=organisation)
        ],
    )


@router.post(
    "/staff/invitations",
    response=responses(201, StaffInvitationOut, 404, 422),
    summary="Invite a member of staff",
)
def staff_invite(request: HttpRequest, payload: StaffInviteIn) -> Any:
    """Email a single-use link; the roles apply once the person accepts it and sets a password
    (they must then set up two-factor authentication before using the staff pages)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    item = services.staff_invite(
        actor=user,
        organisation=organisation,
        email=payload.email,
        full_name=payload.full_name,
        roles=[str(role) for role in payload.roles],
        fmc_urn=payload.fmc_urn,
        accreditation=payload.accreditation,
        supervisor_id=payload.supervisor_id,
    )
    return Status(201, _invitation_out(item))


@router.post(
    "/staff/{user_id}/roles",
    response=responses(200, StaffMemberOut, 404, 422),
    summary="Change a member of staff's roles",
)
def staff_roles(request: HttpRequest, user_id: ObjectId, payload: StaffRolesIn) -> Any:
    """Replace the person's roles. An admin cannot drop their own admin role, and a service
    always keeps one admin (422 with the reason)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    services.staff_set_roles(
        actor=user,
        organisation=organisation,
        user_id=user_id,
        roles=[str(role) for role in payload.roles],
    )
    return _member_out(organisation, user, user_id)


@router.post(
    "/staff/{user_id}/suspend",
    response=responses(200, StaffMemberOut, 404, 422),
    summary="Suspend a member of staff",
)
def staff_suspend(request: HttpRequest, user_id: ObjectId, payload: StaffSuspendIn) -> Any:
    """Sign the person out everywhere, revoke their API tokens and stop them signing in; their
    roles and history are kept. Not yourself, nor the last admin (422)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    services.staff_suspend(
        actor=user, organisation=organisation, user_id=user_id, reason=payload.reason
    )
    return _member_out(organisation, user, user_id)


# --- Profiles, reinstating, removing, and waiting invitations -------------------------------


class MediatorProfileIn(InputSchema):
    """A mediator's professional details in the service (replaces what was recorded)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"fmc_urn": "FMC1234", "accreditation": "accredited", "supervisor_id": 7}]
        },
    )

    fmc_urn: str = Field("", max_length=20, description="FMC registration number (URN).")
    accreditation: Accreditation = Field(Accreditation.NOT_ACCREDITED)
    supervisor_id: ObjectId | None = Field(
        None, description="Their professional practice consultant: one of the service's staff."
    )


class MediatorProfileOut(Schema):
    """What the service records of a mediator."""

    fmc_urn: str
    accreditation: str
    accreditation_label: str
    supervisor_id: int | None
    supervisor: str | None


class StaffProfileOut(Schema):
    """A member of staff: their roles and, if recorded, their mediator profile."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user_id": 12,
                    "full_name": "Morgan Mediator",
                    "email": "morgan@riverside.example",
                    "roles": ["mediator"],
                    "suspended": False,
                    "mediator_profile": {
                        "fmc_urn": "FMC1234",
                        "accreditation": "accredited",
                        "accreditation_label": "Accredited (FMCA)",
                        "supervisor_id": 7,
                        "supervisor": "Pat Supervisor",
                    },
                }
            ]
        }
    )

    user_id: int
    full_name: str
    email: str
    roles: list[str]
    suspended: bool
    mediator_profile: MediatorProfileOut | None


class StaffRemovedOut(Schema):
    """A person no longer on the staff; their history stays under their name."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"user_id": 12, "removed": True}]})

    user_id: int
    removed: bool


def _profile_out(organisation: Organisation, member: StaffMemberOut) -> StaffProfileOut:
    profile = (
        MediatorProfile.objects.select_related("supervisor")
        .filter(organisation=organisation, user_id=member.user_id)
        .first()
    )
    return StaffProfileOut(
        **member.model_dump(),
        mediator_profile=MediatorProfileOut(
            fmc_urn=profile.fmc_urn,
            accreditation=profile.accreditation,
            accreditation_label=profile.get_accreditation_display(),
            supervisor_id=profile.supervisor_id,
            supervisor=profile.supervisor.full_name if profile.supervisor else None,
        )
        if profile is not None
        else None,
    )


@router.get(
    "/staff/{user_id}",
    response=responses(200, StaffProfileOut, 404),
    summary="A member of staff's profile",
)
def staff_profile(request: HttpRequest, user_id: ObjectId) -> Any:
    """A service admin reads any of their staff; any other member of staff reads only their
    own profile (anyone else is 404, as for the Staff page)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = staff_organisation_for(user)
    if organisation is None:
        raise NotFoundOrHidden("No such member of staff.")
    if is_service_admin(user, organisation.pk):
        return _profile_out(organisation, _member_out(organisation, user, user_id))
    if user_id != user.pk:
        raise NotFoundOrHidden("No such member of staff.")
    own = StaffMemberOut(
        user_id=user.pk,
        full_name=user.full_name,
        email=user.email,
        roles=[r for r in Role.values if r in roles_in(user, organisation.pk)],
        suspended=False,  # a suspended person cannot sign in to ask
    )
    return _profile_out(organisation, own)


@router.put(
    "/staff/{user_id}/mediator-profile",
    response=responses(200, StaffProfileOut, 404, 422),
    summary="Record a mediator's FMC number, accreditation and supervisor",
)
def staff_mediator_profile(
    request: HttpRequest, user_id: ObjectId, payload: MediatorProfileIn
) -> Any:
    """Service admins only. Accreditation decides whether the mediator's outcomes need a
    supervisor's approval before they are issued."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    services.staff_mediator_profile_set(
        actor=user,
        organisation=organisation,
        user_id=user_id,
        fmc_urn=payload.fmc_urn,
        accreditation=payload.accreditation,
        supervisor_id=payload.supervisor_id,
    )
    return _profile_out(organisation, _member_out(organisation, user, user_id))


@router.post(
    "/staff/{user_id}/reinstate",
    response=responses(200, StaffMemberOut, 404, 422),
    summary="Lift a member of staff's suspension",
)
def staff_reinstate(request: HttpRequest, user_id: ObjectId) -> Any:
    """They can sign in again, with their roles as they were (422 if not suspended)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    services.staff_reinstate(actor=user, organisation=organisation, user_id=user_id)
    return _member_out(organisation, user, user_id)


@router.post(
    "/staff/{user_id}/remove",
    response=responses(200, StaffRemovedOut, 404, 422),
    summary="Remove a person from the staff",
)
def staff_remove(request: HttpRequest, user_id: ObjectId) -> Any:
    """End their membership of the service; not yourself, nor the last admin (422)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    services.staff_remove(actor=user, organisation=organisation, user_id=user_id)
    return StaffRemovedOut(user_id=user_id, removed=True)


@router.post(
    "/staff/invitations/{invitation_id}/resend",
    response=responses(200, StaffInvitationOut, 404, 422),
    summary="Send a waiting staff invitation again",
)
def staff_invitation_resend(request: HttpRequest, invitation_id: ObjectId) -> Any:
    """A new link by email; the earlier one stops working (422 if no longer waiting)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    item = services.staff_invitation_resend(
        actor=user, organisation=organisation, staff_invitation_id=invitation_id
    )
    return _invitation_out(item)


@router.post(
    "/staff/invitations/{invitation_id}/withdraw",
    response=responses(200, StaffInvitationOut, 404, 422),
    summary="Withdraw a waiting staff invitation",
)
def staff_invitation_withdraw(request: HttpRequest, invitation_id: ObjectId) -> Any:
    """Its link stops working and no role is given (422 if no longer waiting)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = _admin_service(user)
    item = services.staff_invitation_withdraw(
        actor=user, organisation=organisation, staff_invitation_id=invitation_id
    )
    return _invitation_out(item)


# The service's settings: the kinds of case it offers, and whether parties may make tokens ------


class ServiceKindOut(Schema):
    code: str
    label: str
    offered: bool


class ServiceSettingsOut(Schema):
    """The service's settings page: the kinds of mediation it offers (of every kind Accord
    knows), and whether its parties may make personal API tokens."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kinds_offered": ["family_children", "family_finance", "family_all"],
                    "kinds": [
                        {
                            "code": "family_children",
                            "label": "Family: child arrangements",
                            "offered": True,
                        },
                        {"code": "civil", "label": "Civil", "offered": False},
                    ],
                    "party_api_tokens": False,
                }
            ]
        }
    )

    kinds_offered: list[str]
    kinds: list[ServiceKindOut]
    party_api_tokens: bool = Field(description="Whether parties may make personal API tokens.")


class KindsOfferedIn(InputSchema):
    """The kinds of mediation the service takes enquiries for (at least one). Existing cases
    keep their kind."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"kinds_offered": ["family_children", "family_all"]}]},
    )

    kinds_offered: list[str] = Field(
        ..., max_length=20, description="Codes of kinds, as listed by GET /service/settings."
    )


class PartyApiTokensIn(InputSchema):
    """Whether the service's parties may make personal API tokens (staff always may)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"party_api_tokens": True}]}
    )

    party_api_tokens: bool


def _settings_out(organisation: Organisation) -> ServiceSettingsOut:
    from accord.cases.kinds import KINDS

    offered = list(organisation.kinds_offered or [])
    return ServiceSettingsOut(
        kinds_offered=offered,
        kinds=[
            ServiceKindOut(code=code, label=spec.label, offered=code in offered)
            for code, spec in KINDS.items()
        ],
        party_api_tokens=organisation.party_api_tokens,
    )


@router.get(
    "/service/settings",
    response=responses(200, ServiceSettingsOut, 404),
    summary="The service's settings (service admins)",
    tags=["service settings"],
)
def service_settings(request: HttpRequest) -> ServiceSettingsOut:
    """For the service's admins only; other staff and parties get 404, as for the page."""
    return _settings_out(_admin_service(request.auth))  # type: ignore[attr-defined]


@router.put(
    "/service/kinds-offered",
    response=responses(200, ServiceSettingsOut, 404, 422),
    summary="Choose the kinds of mediation the service offers (service admins)",
    tags=["service settings"],
)
def service_kinds_offered(request: HttpRequest, payload: KindsOfferedIn) -> ServiceSettingsOut:
    """An unknown kind, or none at all, is a 422 on `kinds_offered`."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = services.organisation_set_kinds_offered(
        actor=user, organisation=_admin_service(user), kinds=payload.kinds_offered
    )
    return _settings_out(organisation)


@router.put(
    "/service/party-api-tokens",
    response=responses(200, ServiceSettingsOut, 404, 422),
    summary="Let the service's parties make personal API tokens, or stop them (service admins)",
    tags=["service settings"],
)
def service_party_api_tokens(request: HttpRequest, payload: PartyApiTokensIn) -> ServiceSettingsOut:
    """It governs making new tokens: a party's tokens already made keep working until they
    are revoked or expire, as when the page changes it."""
    user: Any = request.auth  # type: ignore[attr-defined]
    organisation = services.organisation_set_party_api_tokens(
        actor=user, organisation=_admin_service(user), allowed=payload.party_api_tokens
    )
    return _settings_out(organisation)
