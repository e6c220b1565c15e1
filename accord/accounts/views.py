"""Account pages: accepting an invitation, and each person's own account settings and API tokens."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accord.accounts import services
from accord.accounts.forms import ApiTokenForm, InvitationForm
from accord.accounts.models import ApiToken, User
from accord.accounts.policy import may_make_api_tokens
from accord.core.errors import NotFoundOrHidden, ValidationFailed

#: The service's field names mapped to the names of the form fields that show their errors.
_TOKEN_FIELDS = {"name": "name", "expires_at": "expires_on"}


def _user(request: HttpRequest) -> User:
    """The signed-in user (views using this are behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


def _show_domain_error(
    form: forms.Form, exc: ValidationFailed, field_names: dict[str, str] | None = None
) -> None:
    """Put a service's refusal on the form: by field where it names one, else at the top."""
    field_names = field_names or {}
    placed = False
    for name, errors in exc.field_errors.items():
        target = field_names.get(name, name)
        for error in errors:
            form.add_error(target if target in form.fields else None, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _invitation_invalid(request: HttpRequest) -> HttpResponse:
    response = render(request, "accounts/invitation_invalid.html", status=404)
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, secret: str) -> HttpResponse:
    """Choose a password from a single-use invitation link, then sign in."""
    try:
        invite = services.invitation_lookup(secret=secret)
    except NotFoundOrHidden:
        return _invitation_invalid(request)

    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                secret=secret,
                password=form.cleaned_data["password"],
                password_again=form.cleaned_data["password_again"],
            )
        except NotFoundOrHidden:
            return _invitation_invalid(request)
        except ValidationFailed as exc:
            _show_domain_error(form, exc)
        else:
            if Authenticator.objects.filter(user=user).exists():
                # Someone with two-factor must still pass it: sign in the ordinary way.
                messages.success(request, "Your password is saved. Sign in to carry on.")
                return redirect("account_login")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your password is saved and you are signed in.")
            return redirect("home")

    response = render(
        request,
        "accounts/invitation.html",
        {"form": form, "invitation": invite, "organisation": invite.organisation},
    )
    # The link's secret is in the address: never pass it on to another site.
    response["Referrer-Policy"] = "same-origin"
    return response


def _settings_page(
    request: HttpRequest,
    *,
    form: ApiTokenForm | None = None,
    new_token: ApiToken | None = None,
    new_secret: str = "",
) -> HttpResponse:
    user = _user(request)
    context: dict[str, Any] = {
        "nav": "account",
        "tokens_allowed": may_make_api_tokens(user),
        "tokens": ApiToken.objects.filter(user=user).order_by("-created_at"),
        "token_form": form or ApiTokenForm(),
        "new_token": new_token,
        "new_secret": new_secret,
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
    }
    response = render(request, "accounts/settings.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """The signed-in person's account: details, password, two-factor and API tokens."""
    return _settings_page(request)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a personal API token and show its secret this once."""
    if not may_make_api_tokens(_user(request)):
        return render(request, "accounts/not_found.html", {"nav": "account"}, status=404)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.api_token_create(
                user=_user(request), name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationFailed as exc:
            _show_domain_error(form, exc, _TOKEN_FIELDS)
        else:
            # Rendered, not redirected: the secret must never be stored, even in the session.
            return _settings_page(request, new_token=token, new_secret=secret)
    return _settings_page(request, form=form)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the signed-in person's own API tokens; anyone else's answers 404."""
    try:
        token = services.api_token_revoke(user=_user(request), token_id=pk)
    except NotFoundOrHidden:
        return render(request, "accounts/not_found.html", {"nav": "account"}, status=404)
    messages.success(request, f"The token “{token.name}” is revoked and no longer works.")
    return redirect("accounts:settings")


@login_required
def email_managed_by_service(request: HttpRequest) -> HttpResponse:
    """allauth's email page is closed: the address is the sign-in name, kept by the service."""
    messages.info(
        request, "To change your email address, ask your mediation service to change it for you."
    )
    return redirect("accounts:settings")
