"""Accord's django-allauth adapter: accounts are created by invitation, never by sign-up."""

from __future__ import annotations

import uuid
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
