"""Accord's django-allauth adapter: accounts are created by invitation, never by sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccordAccountAdapter(DefaultAccountAdapter):
    """Closes self sign-up: staff and participants are invited by their service."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        from django.urls import reverse

        return reverse("home")
