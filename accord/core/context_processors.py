"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

#: Where "Exit this page" goes: a busy, neutral site that gives nothing away (GOV.UK's advice).
EXIT_THIS_PAGE_URL = "https://www.bbc.co.uk/weather"


def accord(request: HttpRequest) -> dict[str, Any]:
    """Site name, the signed-in user's staff memberships for the navigation, and whether the
    page offers "Exit this page" (to everyone who is not staff: parties, people enquiring,
    someone answering an invitation or signing in)."""
    from accord.organisations.selectors import is_service_admin, roles_in, staff_organisation_for

    user = getattr(request, "user", None)
    organisation = None
    if user is not None and user.is_authenticated:
        organisation = staff_organisation_for(user)
    return {
        "site_name": settings.ACCORD_SITE_NAME,
        "staff_organisation": organisation,
        "is_service_admin": organisation is not None and is_service_admin(user, organisation.pk),
        # Records (complaints, statistics, data protection): service admins and supervisors.
        "handles_records": organisation is not None
        and bool(roles_in(user, organisation.pk) & {"service_admin", "supervisor"}),
        "show_exit_this_page": organisation is None,
        "exit_this_page_url": EXIT_THIS_PAGE_URL,
    }
