"""Views that belong to no domain: the home redirect."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accord.organisations.selectors import is_staff_member


def home(request: HttpRequest) -> HttpResponse:
    """Send staff to their dashboard, participants to their portal, others to sign in."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    if is_staff_member(request.user):
        return redirect("cases:dashboard")
    return redirect("portal:home")
