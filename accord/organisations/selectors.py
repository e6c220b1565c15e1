"""Reads about services and staff roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.organisations.models import Membership, Organisation, Role

_CACHE_ATTR = "_accord_memberships"


def _memberships(user: Any) -> dict[int, frozenset[str]]:
    """Active roles by organisation id, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached_roles: dict[int, set[str]] = {}
        for org_id, role in Membership.objects.filter(user=user, is_active=True).values_list(
            "organisation_id", "role"
        ):
            cached_roles.setdefault(org_id, set()).add(role)
        cached = {org_id: frozenset(roles) for org_id, roles in cached_roles.items()}
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_cached_roles(user: Any) -> None:
    """Drop the per-request role cache after a membership change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in(user: Any, organisation_id: int | None) -> frozenset[str]:
    """The roles a user holds in one service (empty for anyone else)."""
    if organisation_id is None:
        return frozenset()
    return _memberships(user).get(organisation_id, frozenset())


def staff_organisation_ids(user: Any) -> list[int]:
    """Ids of the services in which the user holds any active staff role."""
    return sorted(_memberships(user))


def staff_organisation_for(user: Any) -> Organisation | None:
    """The service a member of staff works for (the first one, for a person in several)."""
    ids = staff_organisation_ids(user)
    if not ids:
        return None
    cached = getattr(user, "_accord_staff_org", None)
    if cached is None or cached.pk != ids[0]:
        cached = Organisation.objects.get(pk=ids[0])
        user._accord_staff_org = cached
    return cached


def is_staff_member(user: Any) -> bool:
    """True for anyone holding a staff role in any service."""
    return bool(_memberships(user))


def is_service_admin(user: Any, organisation_id: int | None) -> bool:
    """True when the user administers that service."""
    return Role.SERVICE_ADMIN in roles_in(user, organisation_id)


def staff_in(organisation: Organisation | int, role: str | None = None) -> Any:
    """Active staff of a service (the service or its id), optionally with one role."""
    from accord.accounts.models import User

    memberships = Membership.objects.filter(organisation=organisation, is_active=True)
    if role:
        memberships = memberships.filter(role=role)
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by(
        "full_name"
    )


@dataclass(frozen=True)
class StaffRow:
    """One person on a service's Staff page: their current roles and whether suspended."""

    user: Any
    roles: list[str]
    role_labels: list[str]
    suspended: bool
    is_mediator: bool


def staff_list_for(*, user: Any, organisation: Organisation) -> list[StaffRow]:
    """Current staff of a service (suspended ones included), for its service admins only."""
    from accord.accounts.models import User
    from accord.core.errors import NotFoundOrHidden
    from accord.organisations.models import StaffSuspension

    if not is_service_admin(user, organisation.pk):
        raise NotFoundOrHidden("No such page.")
    roles: dict[int, list[str]] = {}
    for user_id, role in Membership.objects.filter(
        organisation=organisation, is_active=True
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, []).append(role)
    suspended = set(
        StaffSuspension.objects.filter(organisation=organisation, lifted_at=None).values_list(
            "user_id", flat=True
        )
    )
    labels = dict(Role.choices)
    rows = []
    for person in User.objects.filter(pk__in=roles).order_by("full_name", "email"):
        held = [r for r in Role.values if r in roles[person.pk]]
        rows.append(
            StaffRow(
                user=person,
                roles=held,
                role_labels=[labels[r] for r in held],
                suspended=person.pk in suspended,
                is_mediator=Role.MEDIATOR in held,
            )
        )
    return rows


def staff_invitations_pending(*, user: Any, organisation: Organisation) -> Any:
    """Invitations to the service's staff still waiting to be accepted (service admins only)."""
    from accord.core.errors import NotFoundOrHidden
    from accord.organisations.models import StaffInvitation, StaffInvitationStatus

    if not is_service_admin(user, organisation.pk):
        raise NotFoundOrHidden("No such page.")
    return (
        StaffInvitation.objects.filter(
            organisation=organisation, status=StaffInvitationStatus.PENDING
        )
        .select_related("user", "invitation", "invited_by")
        .order_by("-sent_at")
    )
