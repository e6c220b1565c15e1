"""Accord's django-allauth adapter: accounts are created by invitation, never by sign-up.

It also replaces allauth's failed-sign-in lock with `accord.accounts.throttle`, sends account
emails through the outbox, and revokes API tokens when a password changes.
"""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from accord.accounts import throttle


class AccordAccountAdapter(DefaultAccountAdapter):
    """Closes self sign-up: staff and participants are invited by their service."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        from django.urls import reverse

        return reverse("home")

    def _signin_parties(self, request: HttpRequest, credentials: dict[str, Any]) -> tuple[str, str]:
        """The login name tried and the client's address (behind the trusted proxies)."""
        try:
            address = self.get_client_ip(request)
        except PermissionDenied:
            address = "unknown"
        return str(credentials.get("email") or credentials.get("username") or ""), address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Refuse to check a password while this account and address must wait (see throttle)."""
        refusal = throttle.signin_check(*self._signin_parties(request, credentials))
        if refusal is not None:
            raise forms.ValidationError(refusal.message, code="too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttle.signin_succeeded(*self._signin_parties(request, credentials))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        throttle.signin_failed(*self._signin_parties(request, credentials))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account emails (password reset links and notices) go through the outbox.

        They are written in a transaction and delivered by the worker like every other email,
        so an unreachable mail server delays them (and is retried) instead of answering 500.
        """
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from accord.accounts.models import User
        from accord.accounts.services import home_organisation_id
        from accord.deadlines.outbox import email_enqueue

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        kind = template_prefix.rsplit("/", 1)[-1].replace("_", "-")
        with transaction.atomic():
            email_enqueue(
                organisation_id=home_organisation_id(user) if user is not None else None,
                key=f"account.{kind}.{uuid.uuid4().hex}",
                to_email=email,
                subject=str(message.subject),
                body=str(message.body),
            )

    def set_password(self, user: Any, password: str) -> None:
        """A password change or reset also revokes every API token made under the old password."""
        from accord.accounts.services import api_tokens_revoke_all

        with transaction.atomic():
            super().set_password(user, password)
            api_tokens_revoke_all(user=user, reason="password_changed")
