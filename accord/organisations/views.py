"""The service admin's settings page: one place that leads to each of the service's settings."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.core.web import staff_required
from accord.organisations.selectors import is_service_admin, staff_organisation_for


@staff_required
def service_settings(request: HttpRequest) -> HttpResponse:
    """Links to the service's settings, for its service admins only (404 for other staff)."""
    organisation = staff_organisation_for(request.user)
    if organisation is None or not is_service_admin(request.user, organisation.pk):
        raise Http404("No such page.")
    return render(
        request,
        "organisations/service_settings.html",
        {"nav": "service", "organisation": organisation},
    )
