"""Invitations, passwords and personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.accounts.models import ApiToken, Invitation, User
from accord.audit.services import audit_record
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed

TOKEN_PREFIX = "acc_"  # noqa: S105 (a public marker, not a secret)


def hash_secret(secret: str) -> str:
    """SHA-256 of a token or link secret; only this is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def home_organisation_id(user: Any) -> int | None:
    """The service whose audit chain records this user's own account events."""
    from accord.cases.models import Participant
    from accord.organisations.selectors import staff_organisation_ids

    ids = staff_organisation_ids(user)
    if ids:
        return ids[0]
    return Participant.objects.filter(user=user).values_list("organisation_id", flat=True).first()


@transaction.atomic
def invitation_create(
    *, actor: Any, user: User, organisation_id: int, days: int | None = None
) -> tuple[Invitation, str]:
    """Create a single-use, expiring invitation; returns it with the secret for the link."""
    secret = secrets.token_urlsafe(32)
    # Any earlier unused invitation stops working when a new one is sent.
    Invitation.objects.filter(user=user, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        user=user,
        organisation_id=organisation_id,
        token_hash=hash_secret(secret),
        invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days or settings.ACCORD_INVITATION_DAYS),
    )
    audit_record(
        organisation_id=organisation_id,
        actor=actor,
        action="account.invited",
        target=user,
        details={"expires_at": invitation.expires_at.isoformat()},
    )
    return invitation, secret


def invitation_lookup(*, secret: str) -> Invitation:
    """The usable invitation behind a link, or a 404-style error for any bad link."""
    try:
        invitation = Invitation.objects.select_related("user").get(token_hash=hash_secret(secret))
    except Invitation.DoesNotExist:
        raise NotFoundOrHidden("This invitation link is not valid.") from None
    if not invitation.is_usable:
        raise NotFoundOrHidden(
            "This invitation link has expired or has already been used. "
            "Ask your mediation service to send a new one."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, secret: str, password: str, password_again: str) -> User:
    """Use an invitation once: set the person's chosen password and activate the account."""
    invitation = invitation_lookup(secret=secret)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise NotFoundOrHidden("This invitation link has already been used.")
    user = invitation.user
    if password != password_again:
        raise ValidationFailed(
            "Check your password.", field_errors={"password_again": ["The passwords do not match."]}
        )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            "Choose a stronger password.", field_errors={"password": list(exc.messages)}
        ) from None
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    from accord.organisations.services import staff_invitation_complete

    # A staff invitation's roles apply only now, once the person has chosen their password.
    staff_invitation_complete(invitation=invitation)
    audit_record(
        organisation_id=invitation.organisation_id,
        actor=user,
        action="account.invitation_accepted",
        target=user,
    )
    return user


def api_token_default_expiry(now: dt.datetime | None = None) -> dt.datetime:
    """When a token made now stops working if its owner does not choose (90 days by default)."""
    return (now or timezone.now()) + dt.timedelta(days=settings.ACCORD_API_TOKEN_DAYS)


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and never stored.

    Every token expires: after ``ACCORD_API_TOKEN_DAYS`` (90) unless the owner picks another
    time, which may be no more than ``ACCORD_API_TOKEN_MAX_DAYS`` (366) ahead.
    """
    from accord.accounts.policy import may_make_api_tokens

    if not may_make_api_tokens(user):
        raise NotPermitted(
            "Your mediation service has not turned on personal API tokens for the people it "
            "works with."
        )
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("Name the token.", field_errors={"name": ["Enter a name."]})
    if len(name) > 100:
        raise ValidationFailed(
            "Name the token.", field_errors={"name": ["The name must be 100 characters or fewer."]}
        )
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationFailed(
            "Check the expiry date.",
            field_errors={"expires_at": ["The expiry must be in the future."]},
        )
    longest = settings.ACCORD_API_TOKEN_MAX_DAYS
    if expires_at is not None and expires_at > now + dt.timedelta(days=longest):
        raise ValidationFailed(
            "Check the expiry date.",
            field_errors={
                "expires_at": [
                    f"A token can work for at most {longest} days: choose an earlier date."
                ]
            },
        )
    if expires_at is None:
        expires_at = api_token_default_expiry(now)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:10],
        token_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    org_id = home_organisation_id(user)
    if org_id is not None:
        audit_record(
            organisation_id=org_id,
            actor=user,
            action="api_token.created",
            target=token,
            details={"name": name},
        )
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens."""
    try:
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such token.") from None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        org_id = home_organisation_id(user)
        if org_id is not None:
            audit_record(
                organisation_id=org_id, actor=user, action="api_token.revoked", target=token
            )
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """Revoke every working token of the user (after a password change or reset); returns how many.

    Whoever had the old password may have made a token with it; a new password must shut them
    out of the API as well as the website.
    """
    now = timezone.now()
    count = ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    org_id = home_organisation_id(user)
    if count and org_id is not None:
        audit_record(
            organisation_id=org_id,
            actor=user,
            action="api_token.revoked_all",
            target=user,
            details={"count": count, "reason": reason},
        )
    return count


def api_token_refusal(secret: str) -> str:
    """Why a token that `api_token_authenticate` refused does not work, in words for its owner."""
    token = ApiToken.objects.filter(token_hash=hash_secret(secret or "")).first()
    if token is None or not token.user.is_active:
        return "The API token is not valid: check that you copied all of it."
    if token.revoked_at is not None:
        return (
            "This API token was revoked (a password change or reset revokes every token). "
            "Create a new one on your account page."
        )
    expired = timezone.localtime(token.expires_at) if token.expires_at else None
    when = f" on {expired:%-d %b %Y at %H:%M}" if expired else ""
    return f"This API token expired{when}. Create a new one on your account page."


def api_token_authenticate(secret: str) -> User | None:
    """The active user behind a usable token, recording when it was last used."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_secret(secret)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
