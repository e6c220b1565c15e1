"""Reads behind the caller's own account endpoints (/me, /tokens)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accord.accounts.models import ApiToken
from accord.organisations.models import Membership


def api_tokens_for(*, user: Any) -> QuerySet[ApiToken]:
    """The caller's own personal API tokens, newest first (never anyone else's)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def staff_roles_for(*, user: Any) -> list[tuple[int, str, list[str]]]:
    """(service id, service name, roles) for each service in which the caller is active staff."""
    by_service: dict[int, tuple[str, list[str]]] = {}
    memberships = (
        Membership.objects.filter(user_id=user.pk, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )
    for membership in memberships:
        entry = by_service.setdefault(
            membership.organisation_id, (membership.organisation.name, [])
        )
        entry[1].append(membership.role)
    return [(org_id, name, roles) for org_id, (name, roles) in by_service.items()]
