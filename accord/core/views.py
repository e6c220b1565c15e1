"""Views that belong to no domain: the home redirect and the health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accord.core.health import health_check
from accord.organisations.selectors import is_staff_member


def home(request: HttpRequest) -> HttpResponse:
    """Send staff to their dashboard, participants to their portal, others to sign in."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    if is_staff_member(request.user):
        return redirect("cases:dashboard")
    return redirect("portal:home")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 if the database answers and a worker beat lately.

    Says nothing about any case or person, so it needs no sign-in.
    """
    health = health_check()
    return JsonResponse(
        {"status": "ok" if health.healthy else "unhealthy", **health.parts},
        status=200 if health.healthy else 503,
    )
