"""Creating services and managing their staff."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from accord.audit.services import audit_record
from accord.cases.kinds import KINDS
from accord.core.errors import NotPermitted, ValidationFailed
from accord.organisations.models import (
    Accreditation,
    MediatorProfile,
    Membership,
    Organisation,
    Region,
    Role,
)
from accord.organisations.selectors import forget_cached_roles, is_service_admin


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
    """Give a person a staff role in a service (re-activating it if it was withdrawn)."""
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
    """Withdraw a staff role; the person loses the access it gave at once."""
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
    """Record a mediator's FMC URN, accreditation status and supervisor (PPC)."""
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
    """Change a service's name, reference prefix, region or contact details."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

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
