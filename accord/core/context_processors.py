"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def accord(request: HttpRequest) -> dict[str, Any]:
    """Site name and the signed-in user's staff memberships for the navigation."""
    from accord.organisations.selectors import is_service_admin, staff_organisation_for

    user = getattr(request, "user", None)
    organisation = None
    if user is not None and user.is_authenticated:
        organisation = staff_organisation_for(user)
    return {
        "site_name": settings.ACCORD_SITE_NAME,
        "staff_organisation": organisation,
        "is_service_admin": organisation is not None and is_service_admin(user, organisation.pk),
    }
