"""Views that belong to no domain: the home page and the favicon."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from accord.organisations.selectors import is_staff_member


def home(request: HttpRequest) -> HttpResponse:
    """Staff go to their dashboard, participants to their portal; visitors see the public page."""
    if not request.user.is_authenticated:
        # The public page lists the services and their enquiry forms, which intake owns.
        from accord.intake.views import public_home

        return public_home(request)
    if is_staff_member(request.user):
        return redirect("cases:dashboard")
    return redirect("portal:home")


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; send them to the static icon."""
    return redirect(static("accord/favicon.ico"), permanent=True)
