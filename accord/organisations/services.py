"""Creating services and managing their staff."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.kinds import KINDS
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.organisations.models import (
    Accreditation,
    MediatorProfile,
    Membership,
    Organisation,
    Region,
    Role,
    StaffInvitation,
    StaffInvitationStatus,
    StaffSuspension,
)
from accord.organisations.selectors import forget_cached_roles, is_service_admin, staff_in


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    slug: str,
    reference_prefix: str = "ACC",
    region: str = Region.ENGLAND_AND_WALES,
) -> Organisation:
    """Create a mediation service and start its audit chain."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Enter the service's name."]
    if not slug or Organisation.objects.filter(slug=slug).exists():
        errors["slug"] = ["Choose a short name that no other service uses."]
    if (
        not reference_prefix.isalpha()
        or not reference_prefix.isupper()
        or not 2 <= len(reference_prefix) <= 8
    ):
        errors["reference_prefix"] = ["Use 2 to 8 capital letters, like ACC."]
    if region not in Region.values:
        errors["region"] = ["Choose England and Wales, Scotland or Northern Ireland."]
    if errors:
        raise ValidationFailed("The service could not be created.", field_errors=errors)
    organisation = Organisation.objects.create(
        name=name.strip(), slug=slug, reference_prefix=reference_prefix, region=region
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="organisation.created",
        target=organisation,
        details={"name": organisation.name},
    )
    return organisation


@transaction.atomic
def membership_grant(*, actor: Any, organisation: Organisation, user: Any, role: str) -> Membership:
    """Give a person a staff role in a service (its admins only), re-activating a withdrawn one."""
    _require_admin(actor, organisation)
    return _membership_grant(actor=actor, organisation=organisation, user=user, role=role)


@transaction.atomic
def organisation_first_admin_grant(
    *, actor: Any, organisation: Organisation, user: Any
) -> Membership:
    """Make the first service admin of a new service (platform-level, like `organisation_create`).

    Nobody in the service can grant this yet, so the platform operator does: from a shell
    (`actor=None`) or as a superuser. Once the service has an admin it is refused, and the
    service's admins add the rest of its staff through `membership_grant` and `staff_invite`.
    """
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotPermitted("Only the platform operator can make a new service's first admin.")
    organisation = _lock_service(organisation)
    if Membership.objects.filter(
        organisation=organisation, role=Role.SERVICE_ADMIN, is_active=True
    ).exists():
        raise ValidationFailed(
            "This service already has an admin.",
            field_errors={"user": ["Ask one of the service's admins to add this person."]},
        )
    return _membership_grant(
        actor=actor, organisation=organisation, user=user, role=Role.SERVICE_ADMIN
    )


def _membership_grant(
    *, actor: Any, organisation: Organisation, user: Any, role: str
) -> Membership:
    """Grant a role and audit it, for callers that checked the right: `membership_grant` and
    `staff_set_roles` (the actor administers the service), `organisation_first_admin_grant` (the
    platform operator) and an accepted staff invitation (the inviting admin chose the roles)."""
    if role not in Role.values:
        raise ValidationFailed("Unknown role.", field_errors={"role": ["Choose a role."]})
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, role=role
    )
    if not created and membership.is_active:
        return membership
    if not created:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    forget_cached_roles(user)
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="membership.granted",
        target=membership,
        details={"user_id": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> Membership:
    """Withdraw a staff role (the service's admins); the person loses the access it gave at once."""
    _require_admin(actor, membership.organisation)
    return _membership_revoke(actor=actor, membership=membership)


def _membership_revoke(*, actor: Any, membership: Membership) -> Membership:
    """Withdraw a role and audit it, never the last admin's, for callers that checked the right:
    `membership_revoke` and `staff_set_roles`."""
    # Lock the service first so that two admins revoking each other queue rather than both
    # succeeding (which would leave the service with no admin).
    list(Organisation.objects.select_for_update().filter(pk=membership.organisation_id))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        return membership
    if membership.role == Role.SERVICE_ADMIN:
        other_admins = Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Role.SERVICE_ADMIN, is_active=True
        ).exclude(pk=membership.pk)
        if not other_admins.exists():
            raise ValidationFailed(
                "A service needs at least one service admin.",
                field_errors={"is_active": ["Make someone else a service admin first."]},
            )
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    forget_cached_roles(membership.user)
    audit_record(
        organisation_id=membership.organisation_id,
        actor=actor,
        action="membership.revoked",
        target=membership,
        details={"user_id": membership.user_id, "role": membership.role},
    )
    return membership


@transaction.atomic
def mediator_profile_set(
    *,
    actor: Any,
    organisation: Organisation,
    user: Any,
    fmc_urn: str = "",
    accreditation: str = Accreditation.NOT_ACCREDITED,
    supervisor: Any = None,
) -> MediatorProfile:
    """Record a mediator's FMC URN, accreditation status and supervisor (the service's admins)."""
    _require_admin(actor, organisation)
    return _mediator_profile_save(
        actor=actor,
        organisation=organisation,
        user=user,
        fmc_urn=fmc_urn,
        accreditation=accreditation,
        supervisor=supervisor,
    )


def _mediator_profile_save(
    *,
    actor: Any,
    organisation: Organisation,
    user: Any,
    fmc_urn: str,
    accreditation: str,
    supervisor: Any,
) -> MediatorProfile:
    """Check and save a mediator profile and audit it, for callers that checked the right:
    `mediator_profile_set`, `staff_mediator_profile_set`, and an accepted staff invitation
    (whose values the inviting admin chose, checked by `staff_invite`)."""
    errors: dict[str, list[str]] = {}
    fmc_urn = (fmc_urn or "").strip().upper()
    if fmc_urn and (len(fmc_urn) > 20 or not fmc_urn.replace("-", "").isalnum()):
        errors["fmc_urn"] = ["Enter the FMC registration number using letters and digits only."]
    if accreditation not in Accreditation.values:
        errors["accreditation"] = ["Choose an accreditation status."]
    if supervisor is not None and supervisor == user:
        errors["supervisor"] = ["A mediator cannot supervise themself."]
    if errors:
        raise ValidationFailed("The mediator profile could not be saved.", field_errors=errors)
    profile, _ = MediatorProfile.objects.update_or_create(
        organisation=organisation,
        user=user,
        defaults={"fmc_urn": fmc_urn, "accreditation": accreditation, "supervisor": supervisor},
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="mediator_profile.saved",
        target=profile,
        details={"accreditation": accreditation, "supervisor_id": getattr(supervisor, "pk", None)},
    )
    return profile


#: Fields of a service that its admins may change (the short name identifies it and stays).
ORGANISATION_FIELDS = ("name", "reference_prefix", "region", "email", "phone", "address")


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, **data: Any) -> Organisation:
    """Change a service's name, reference prefix, region or contact details (its admins only)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    _require_admin(actor, organisation, "Only the service's admins can change its details.")
    unknown = set(data) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationFailed(
            "Unknown fields.", field_errors={name: ["Not a service field."] for name in unknown}
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    values = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    values.update({name: str(value or "").strip() for name, value in data.items()})
    errors: dict[str, list[str]] = {}
    if not values["name"]:
        errors["name"] = ["Enter the service's name."]
    elif len(values["name"]) > 200:
        errors["name"] = ["The name must be 200 characters or fewer."]
    prefix = values["reference_prefix"]
    if not (prefix.isascii() and prefix.isalpha() and prefix.isupper() and 2 <= len(prefix) <= 8):
        errors["reference_prefix"] = ["Use 2 to 8 capital letters, like ACC."]
    if values["region"] not in Region.values:
        errors["region"] = ["Choose England and Wales, Scotland or Northern Ireland."]
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = [
                "Enter an email address in the correct format, like name@example.com."
            ]
    phone = values["phone"]
    if phone and (len(phone) > 40 or not all(ch.isdigit() or ch in " +()-" for ch in phone)):
        errors["phone"] = ["Enter a phone number using digits, spaces, +, ( ) and - only."]
    if len(values["address"]) > 1000:
        errors["address"] = ["The address must be 1,000 characters or fewer."]
    if errors:
        raise ValidationFailed("The service could not be saved.", field_errors=errors)
    changed = [name for name in ORGANISATION_FIELDS if getattr(organisation, name) != values[name]]
    if not changed:
        return organisation
    for name in changed:
        setattr(organisation, name, values[name])
    organisation.save(update_fields=[*changed, "updated_at"])
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="organisation.updated",
        target=organisation,
        details={"fields": changed},
    )
    return organisation


@transaction.atomic
def organisation_set_kinds_offered(
    *, actor: Any, organisation: Organisation, kinds: Iterable[str]
) -> Organisation:
    """Choose the kinds of case a service takes enquiries for (its service admins only)."""
    if not is_service_admin(actor, organisation.pk):
        raise NotPermitted("Only the service's admins can choose the kinds of mediation it offers.")
    wanted = [str(kind) for kind in kinds]
    unknown = sorted(set(wanted) - set(KINDS))
    if unknown:
        raise ValidationFailed(
            "The kinds of mediation could not be saved.",
            field_errors={
                "kinds_offered": [
                    f"{', '.join(repr(k) for k in unknown)} is not a kind of mediation Accord "
                    "knows: choose from the list."
                ]
            },
        )
    if not wanted:
        raise ValidationFailed(
            "The kinds of mediation could not be saved.",
            field_errors={
                "kinds_offered": ["Choose at least one kind of mediation your service offers."]
            },
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    ordered = [code for code in KINDS if code in set(wanted)]
    before = list(organisation.kinds_offered or [])
    if ordered == before:
        return organisation
    organisation.kinds_offered = ordered
    organisation.save(update_fields=["kinds_offered", "updated_at"])
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="organisation.kinds_offered_set",
        target=organisation,
        details={"kinds": ordered, "before": before},
    )
    return organisation


@transaction.atomic
def organisation_set_party_api_tokens(
    *, actor: Any, organisation: Organisation, allowed: bool
) -> Organisation:
    """Let the service's parties make personal API tokens, or stop them (its admins only)."""
    if not is_service_admin(actor, organisation.pk):
        raise NotPermitted("Only the service's admins can change who may make API tokens.")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.party_api_tokens == bool(allowed):
        return organisation
    organisation.party_api_tokens = bool(allowed)
    organisation.save(update_fields=["party_api_tokens", "updated_at"])
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="organisation.party_api_tokens_set",
        target=organisation,
        details={"allowed": bool(allowed)},
    )
    return organisation


# --- Staff onboarding: invite, accept, change roles, suspend, remove ------------------------


def _require_admin(
    actor: Any,
    organisation: Organisation,
    message: str = "Only the service's admins can manage its staff.",
) -> None:
    if not is_service_admin(actor, organisation.pk):
        raise NotPermitted(message)


def _clean_roles(roles: Iterable[str]) -> list[str]:
    wanted = [str(role) for role in roles or []]
    if not wanted:
        raise ValidationFailed(
            "Check the roles.", field_errors={"roles": ["Choose at least one role."]}
        )
    unknown = sorted(set(wanted) - set(Role.values))
    if unknown:
        raise ValidationFailed(
            "Check the roles.",
            field_errors={"roles": [f"{', '.join(unknown)} is not a role: choose from the list."]},
        )
    return [role for role in Role.values if role in set(wanted)]


def _active_admin_ids(organisation_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            organisation_id=organisation_id,
            role=Role.SERVICE_ADMIN,
            is_active=True,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def _guard_not_self_or_last_admin(
    actor: Any, organisation: Organisation, user: Any, doing: str
) -> None:
    """Refuse to let an admin lock themselves out, or to leave a service with no admin."""
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationFailed(
            f"You cannot {doing} yourself.",
            field_errors={
                "user": [f"You cannot {doing} yourself: ask another service admin to do it."]
            },
        )
    admins = _active_admin_ids(organisation.pk)
    if user.pk in admins and not admins - {user.pk}:
        raise ValidationFailed(
            f"You cannot {doing} the last service admin.",
            field_errors={
                "user": [
                    f"You cannot {doing} the last service admin: make someone else a service "
                    "admin first."
                ]
            },
        )


def _lock_service(organisation: Organisation) -> Organisation:
    # Two admins acting on each other at once queue here rather than both succeeding.
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _staff_member(organisation: Organisation, user_id: Any) -> Any:
    """A person who holds or held a role in the service, or NotFoundOrHidden."""
    from accord.accounts.models import User

    user = (
        User.objects.filter(
            pk=user_id if str(user_id).isdigit() else 0,
            pk__in=Membership.objects.filter(organisation=organisation).values("user_id"),
        ).first()
        if user_id is not None
        else None
    )
    if user is None:
        raise NotFoundOrHidden("No such member of staff.")
    return user


def _send_staff_invitation(
    actor: Any, organisation: Organisation, staff_invitation: StaffInvitation
) -> None:
    """Make a fresh single-use link and write the invitation email to the outbox."""
    from accord.accounts.services import invitation_create
    from accord.deadlines import conf
    from accord.deadlines.outbox import email_enqueue

    user = staff_invitation.user
    invitation, secret = invitation_create(actor=actor, user=user, organisation_id=organisation.pk)
    staff_invitation.invitation = invitation
    staff_invitation.sent_at = invitation.created_at
    staff_invitation.save(update_fields=["invitation", "sent_at", "updated_at"])
    roles = ", ".join(Role(role).label.lower() for role in staff_invitation.roles)
    link = f"{conf.site_url().rstrip('/')}/invite/{secret}/"
    body = (
        f"Dear {user.full_name},\n\n"
        f"{organisation.name} has invited you to join its staff on Accord ({roles}).\n\n"
        f"Choose your password here (the link works once and expires on "
        f"{invitation.expires_at:%d %B %Y}):\n{link}\n\n"
        "You will then set up two-factor authentication with an authenticator app before you "
        "can use the staff pages.\n\n"
        f"If you did not expect this email, ignore it or tell {organisation.name}.\n"
    )
    email_enqueue(
        organisation_id=organisation.pk,
        key=f"staff.invitation.{invitation.pk}",
        to_email=user.email,
        subject=f"{organisation.name}: your invitation to join the staff on Accord",
        body=body,
    )


@transaction.atomic
def staff_invite(
    *,
    actor: Any,
    organisation: Organisation,
    email: str,
    full_name: str,
    roles: Iterable[str],
    fmc_urn: str = "",
    accreditation: str = Accreditation.NOT_ACCREDITED,
    supervisor_id: Any = None,
) -> StaffInvitation:
    """Invite a person to the service's staff; their roles apply when they accept the link."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from accord.accounts.models import User

    _require_admin(actor, organisation)
    organisation = _lock_service(organisation)
    errors: dict[str, list[str]] = {}
    email = str(email or "").strip().lower()
    full_name = str(full_name or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter an email address in the correct format, like name@example.com."]
    if not full_name:
        errors["full_name"] = ["Enter the person's full name."]
    elif len(full_name) > 200:
        errors["full_name"] = ["The name must be 200 characters or fewer."]
    try:
        cleaned_roles = _clean_roles(roles)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
        cleaned_roles = []
    fmc_urn = str(fmc_urn or "").strip().upper()
    supervisor = None
    if Role.MEDIATOR in cleaned_roles:
        if fmc_urn and (len(fmc_urn) > 20 or not fmc_urn.replace("-", "").isalnum()):
            errors["fmc_urn"] = ["Enter the FMC registration number using letters and digits only."]
        if accreditation not in Accreditation.values:
            errors["accreditation"] = ["Choose an accreditation status."]
        if supervisor_id not in (None, ""):
            supervisor = (
                staff_in(organisation, Role.SUPERVISOR)
                .filter(pk=supervisor_id if str(supervisor_id).isdigit() else 0)
                .first()
            )
            if supervisor is None:
                errors["supervisor"] = ["Choose a supervisor from your service's supervisors."]
    else:
        fmc_urn, accreditation = "", Accreditation.NOT_ACCREDITED
    existing = User.objects.filter(email__iexact=email).first() if "email" not in errors else None
    if existing is not None:
        if existing.memberships.filter(organisation=organisation, is_active=True).exists():
            errors["email"] = ["This person is already a member of your staff."]
        elif StaffInvitation.objects.filter(
            organisation=organisation, user=existing, status=StaffInvitationStatus.PENDING
        ).exists():
            errors["email"] = ["This person already has an invitation waiting: resend it instead."]
    if errors:
        raise ValidationFailed("The invitation could not be sent.", field_errors=errors)
    user = existing or User.objects.create_user(email, full_name=full_name)
    staff_invitation = StaffInvitation.objects.create(
        organisation=organisation,
        user=user,
        roles=cleaned_roles,
        fmc_urn=fmc_urn,
        accreditation=accreditation,
        supervisor=supervisor,
        invited_by=actor,
        sent_at=timezone.now(),
    )
    _send_staff_invitation(actor, organisation, staff_invitation)
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="staff.invited",
        target=staff_invitation,
        details={"user_id": user.pk, "roles": cleaned_roles},
    )
    return staff_invitation


def _pending_invitation(organisation: Organisation, staff_invitation_id: Any) -> StaffInvitation:
    invitation = (
        StaffInvitation.objects.select_for_update()
        .select_related("user")
        .filter(
            organisation=organisation,
            pk=staff_invitation_id if str(staff_invitation_id).isdigit() else 0,
        )
        .first()
    )
    if invitation is None:
        raise NotFoundOrHidden("No such invitation.")
    if invitation.status != StaffInvitationStatus.PENDING:
        raise ValidationFailed(
            "This invitation is no longer waiting.",
            field_errors={"invitation": [f"It was {invitation.get_status_display().lower()}."]},
        )
    return invitation


@transaction.atomic
def staff_invitation_resend(
    *, actor: Any, organisation: Organisation, staff_invitation_id: Any
) -> StaffInvitation:
    """Send a waiting invitation again with a new link; the earlier link stops working."""
    _require_admin(actor, organisation)
    invitation = _pending_invitation(organisation, staff_invitation_id)
    _send_staff_invitation(actor, organisation, invitation)
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="staff.invitation_resent",
        target=invitation,
        details={"user_id": invitation.user_id},
    )
    return invitation


@transaction.atomic
def staff_invitation_withdraw(
    *, actor: Any, organisation: Organisation, staff_invitation_id: Any
) -> StaffInvitation:
    """Withdraw a waiting invitation: its link stops working and no role is given."""
    _require_admin(actor, organisation)
    invitation = _pending_invitation(organisation, staff_invitation_id)
    invitation.status = StaffInvitationStatus.WITHDRAWN
    invitation.save(update_fields=["status", "updated_at"])
    if invitation.invitation_id is not None:
        from accord.accounts.models import Invitation

        Invitation.objects.filter(pk=invitation.invitation_id, accepted_at=None).update(
            revoked_at=timezone.now()
        )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="staff.invitation_withdrawn",
        target=invitation,
        details={"user_id": invitation.user_id},
    )
    return invitation


def staff_invitation_complete(*, invitation: Any) -> StaffInvitation | None:
    """Give the roles waiting on a staff invitation once its link is accepted (in that transaction).

    Called by `accounts.services.invitation_accept`; does nothing for a participant's invitation.
    """
    staff_invitation = (
        StaffInvitation.objects.select_for_update()
        .select_related("organisation", "user")
        .filter(invitation=invitation, status=StaffInvitationStatus.PENDING)
        .first()
    )
    if staff_invitation is None:
        return None
    organisation, user = staff_invitation.organisation, staff_invitation.user
    # The newcomer is no admin: the admin who invited them chose these roles.
    for role in staff_invitation.roles:
        _membership_grant(actor=user, organisation=organisation, user=user, role=role)
    if Role.MEDIATOR in staff_invitation.roles:
        # The newcomer is no admin: the admin who invited them chose these values.
        _mediator_profile_save(
            actor=user,
            organisation=organisation,
            user=user,
            fmc_urn=staff_invitation.fmc_urn,
            accreditation=staff_invitation.accreditation,
            supervisor=staff_invitation.supervisor,
        )
    staff_invitation.status = StaffInvitationStatus.ACCEPTED
    staff_invitation.save(update_fields=["status", "updated_at"])
    audit_record(
        organisation_id=organisation.pk,
        actor=user,
        action="staff.joined",
        target=staff_invitation,
        details={"user_id": user.pk, "roles": list(staff_invitation.roles)},
    )
    return staff_invitation


@transaction.atomic
def staff_set_roles(
    *, actor: Any, organisation: Organisation, user_id: Any, roles: Iterable[str]
) -> list[str]:
    """Change the roles a member of staff holds; at least one, and never the last admin's."""
    _require_admin(actor, organisation)
    organisation = _lock_service(organisation)
    user = _staff_member(organisation, user_id)
    wanted = _clean_roles(roles)
    held = set(
        Membership.objects.filter(organisation=organisation, user=user, is_active=True).values_list(
            "role", flat=True
        )
    )
    if not held:
        raise ValidationFailed(
            "This person is no longer a member of your staff.",
            field_errors={"roles": ["Invite them again to give them roles."]},
        )
    if Role.SERVICE_ADMIN in held and Role.SERVICE_ADMIN not in wanted:
        if getattr(actor, "pk", None) == user.pk:
            raise ValidationFailed(
                "You cannot take away your own service admin role.",
                field_errors={
                    "roles": [
                        "You cannot take away your own service admin role: ask another service "
                        "admin to change your roles."
                    ]
                },
            )
        if not _active_admin_ids(organisation.pk) - {user.pk}:
            raise ValidationFailed(
                "A service needs at least one service admin.",
                field_errors={"roles": ["Make someone else a service admin first."]},
            )
    if set(wanted) == held:
        return wanted
    for role in sorted(set(wanted) - held):
        _membership_grant(actor=actor, organisation=organisation, user=user, role=role)
    for membership in Membership.objects.filter(
        organisation=organisation, user=user, is_active=True
    ).exclude(role__in=wanted):
        _membership_revoke(actor=actor, membership=membership)
    forget_cached_roles(user)
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="staff.roles_changed",
        target=user,
        details={"user_id": user.pk, "roles": wanted, "before": sorted(held)},
    )
    return wanted


def _end_sessions_and_tokens(user: Any) -> None:
    """Sign the person out everywhere and revoke their API tokens."""
    from django.contrib.sessions.models import Session

    from accord.accounts.models import ApiToken

    now = timezone.now()
    ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def staff_suspend(
    *, actor: Any, organisation: Organisation, user_id: Any, reason: str = ""
) -> StaffSuspension:
    """Suspend a member of staff: they cannot sign in, their sessions end, their tokens stop.

    Their roles and everything they did are kept, so lifting the suspension restores them.
    """
    _require_admin(actor, organisation)
    organisation = _lock_service(organisation)
    user = _staff_member(organisation, user_id)
    _guard_not_self_or_last_admin(actor, organisation, user, "suspend")
    reason = str(reason or "").strip()
    if len(reason) > 2000:
        raise ValidationFailed(
            "Check the reason.", field_errors={"reason": ["Keep it to 2,000 characters or fewer."]}
        )
    if not Membership.objects.filter(organisation=organisation, user=user, is_active=True).exists():
        raise ValidationFailed(
            "This person is no longer a member of your staff.",
            field_errors={"user": ["Only current staff can be suspended."]},
        )
    if StaffSuspension.objects.filter(
        organisation=organisation, user=user, lifted_at=None
    ).exists():
        raise ValidationFailed(
            "This person is already suspended.",
            field_errors={"user": ["Lift the suspension first if you want to change it."]},
        )
    if (
        Membership.objects.filter(user=user, is_active=True)
        .exclude(organisation=organisation)
        .exists()
    ):
        raise ValidationFailed(
            "This person also works for another service, so their account cannot be suspended "
            "from here.",
            field_errors={"user": ["Remove them from your staff instead."]},
        )
    suspension = StaffSuspension.objects.create(
        organisation=organisation, user=user, suspended_by=actor, reason=reason
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions_and_tokens(user)
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="staff.suspended",
        target=user,
        details={"user_id": user.pk},
    )
    return suspension


@transaction.atomic
def staff_reinstate(*, actor: Any, organisation: Organisation, user_id: Any) -> Any:
    """Lift a suspension: the person can sign in again with their roles as they were."""
    _require_admin(actor, organisation)
    organisation = _lock_service(organisation)
    user = _staff_member(organisation, user_id)
    suspension = (
        StaffSuspension.objects.select_for_update()
        .filter(organisation=organisation, user=user, lifted_at=None)
        .first()
    )
    if suspension is None:
        raise ValidationFailed(
            "This person is not suspended.", field_errors={"user": ["There is nothing to lift."]}
        )
    suspension.lifted_at = timezone.now()
    suspension.save(update_fields=["lifted_at", "updated_at"])
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="staff.reinstated",
        target=user,
        details={"user_id": user.pk},
    )
    return user


@transaction.atomic
def staff_remove(*, actor: Any, organisation: Organisation, user_id: Any) -> Any:
    """End a person's staff membership; what they did stays in the history under their name."""
    _require_admin(actor, organisation)
    organisation = _lock_service(organisation)
    user = _staff_member(organisation, user_id)
    _guard_not_self_or_last_admin(actor, organisation, user, "remove")
    memberships = list(
        Membership.objects.select_for_update().filter(
            organisation=organisation, user=user, is_active=True
        )
    )
    if not memberships:
        raise ValidationFailed(
            "This person is no longer a member of your staff.",
            field_errors={"user": ["There is nothing to remove."]},
        )
    before = sorted(m.role for m in memberships)
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(
        is_active=False, updated_at=timezone.now()
    )
    forget_cached_roles(user)
    suspension = StaffSuspension.objects.filter(
        organisation=organisation, user=user, lifted_at=None
    ).first()
    if suspension is not None:
        # A removed person is no longer this service's to hold suspended: their account is free
        # for any portal access they have as a party elsewhere.
        suspension.lifted_at = timezone.now()
        suspension.save(update_fields=["lifted_at", "updated_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
    _end_sessions_and_tokens(user)
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="staff.removed",
        target=user,
        details={"user_id": user.pk, "roles": before},
    )
    return user


@transaction.atomic
def staff_mediator_profile_set(
    *,
    actor: Any,
    organisation: Organisation,
    user_id: Any,
    fmc_urn: str = "",
    accreditation: str = Accreditation.NOT_ACCREDITED,
    supervisor_id: Any = None,
) -> MediatorProfile:
    """A service admin records a member of staff's FMC URN, accreditation and supervisor.

    The person must hold (or have held) a role in the service and the supervisor must be one
    of its current staff; `_mediator_profile_save` checks the values and records the audit event.
    """
    _require_admin(actor, organisation)
    organisation = _lock_service(organisation)
    user = _staff_member(organisation, user_id)
    supervisor = None
    if supervisor_id is not None:
        supervisor = staff_in(organisation).filter(pk=supervisor_id).first()
        if supervisor is None:
            raise ValidationFailed(
                "The mediator profile could not be saved.",
                field_errors={"supervisor_id": ["Choose a member of this service's staff."]},
            )
    return _mediator_profile_save(
        actor=actor,
        organisation=organisation,
        user=user,
        fmc_urn=fmc_urn,
        accreditation=accreditation,
        supervisor=supervisor,
    )
