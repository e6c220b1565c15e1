"""Accord's django-allauth adapter: accounts are created by invitation, never by sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.http import HttpRequest


class AccordAccountAdapter(DefaultAccountAdapter):
    """Closes self sign-up: staff and participants are invited by their service."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        from django.urls import reverse

        return reverse("home")

    def set_password(self, user: Any, password: str) -> None:
        """A password change or reset also revokes every API token made under the old password."""
        from accord.accounts.services import api_tokens_revoke_all

        with transaction.atomic():
            super().set_password(user, password)
            api_tokens_revoke_all(user=user, reason="password_changed")
