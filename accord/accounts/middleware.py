"""Two-factor authentication is compulsory for staff: until set up, they can only set it up."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from accord.organisations.selectors import is_staff_member

#: Paths a member of staff without two-factor may still reach (setting it up, signing out).
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/favicon")


def staff_needs_mfa_setup(user: object) -> bool:
    """True for signed-in staff or platform operators who have no TOTP authenticator yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    operator = getattr(user, "is_superuser", False) or getattr(user, "is_staff", False)
    if not operator and not is_staff_member(user):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireStaffMfaMiddleware:
    """Send staff without two-factor to the set-up page; API calls get a 403 instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not path.startswith(_ALLOWED_PREFIXES) and staff_needs_mfa_setup(request.user):
            if path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": "Set up two-factor authentication before using the API.",
                        "errors": {},
                    },
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
