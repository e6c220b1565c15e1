"""Work queue for service admins: staff who have not set up two-factor sign-in."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from accord.accounts.models import User
from accord.organisations.models import Membership, Role
from accord.queues.registry import Queue, QueueRow, organisations_where, register

ADMINS = frozenset({Role.SERVICE_ADMIN})


def staff_without_two_factor(user: Any) -> QuerySet[User]:
    """Active staff of the user's services (as admin) with no authenticator app set up."""
    staff = Membership.objects.filter(
        organisation_id__in=organisations_where(user, ADMINS), is_active=True
    )
    totp = Authenticator.objects.filter(user_id=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.filter(is_active=True, pk__in=staff.values("user_id"))
        .exclude(Exists(totp))
        .order_by("full_name", "id")
    )


def _staff_row(person: User) -> QueueRow:
    return QueueRow(
        label=person.full_name or person.email,
        url=reverse("admin:organisations_membership_changelist") + f"?user__id__exact={person.pk}",
        detail=f"{person.email}: no authenticator app",
    )


register(
    Queue(
        code="staff-without-two-factor",
        title="Staff without two-factor sign-in",
        description="Ask them to add an authenticator app under Account before they next sign in.",
        roles=ADMINS,
        sources=lambda user: [staff_without_two_factor(user)],
        row=_staff_row,
        order=90,
        noun=("person", "people"),
    )
)
