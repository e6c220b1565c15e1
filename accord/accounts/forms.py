"""Forms for signing in, choosing passwords, two-factor codes and personal API tokens.

The allauth subclasses only change wording and input attributes (plain labels, hints instead of
placeholders, the right autocomplete tokens); allauth keeps all of the checking. They are wired
in through ``ACCOUNT_FORMS`` and ``MFA_FORMS`` in the settings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as mfa_totp_forms
from django import forms
from django.utils import timezone

from accord.core.forms import AccordForm, DateField

# Advice shown beside new-password boxes (not a password, whatever the linter's S105 thinks).
PASSWORD_HINT = (
    "Use at least 10 characters. Do not use a common password, only numbers, or something "  # noqa: S105
    "close to your name or email address. A few random words together work well."
)
CODE_HINT = "The 6-digit code shown in your authenticator app."
#: allauth refuses a code that has already signed someone in (until it expires) as "Incorrect".
CODE_ALREADY_USED = (
    "This code has already been used. Wait for your authenticator app to show the next code "
    "(codes change every 30 seconds), then enter that one."
)


def _totp_code_was_used(user: Any, code: str) -> bool:
    """True when the code is right for the user's app but allauth has already accepted it once."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or not code:
        return False
    if not validate_totp_code(decrypt(authenticator.data["secret"]), code):
        return False
    # allauth marks a used code in the cache under this key for one period.
    return cache.get(TOTP(authenticator)._get_used_cache_key(code)) is not None


class _ReusedCodeMessage:
    """Say "already used, wait for the next one" where allauth would say "Incorrect code"."""

    user: Any
    data: Any

    def clean_code(self) -> str:
        try:
            return super().clean_code()  # type: ignore[misc]
        except forms.ValidationError:
            if _totp_code_was_used(self.user, str(self.data.get("code", "")).strip()):
                raise forms.ValidationError(CODE_ALREADY_USED, code="code_already_used") from None
            raise


#: What to say when a box is left empty, by field name (GOV.UK: say what to do, not "required").
_REQUIRED = {
    "login": "Enter your email address.",
    "email": "Enter your email address.",
    "password": "Enter your password.",
    "oldpassword": "Enter your current password.",
    "password1": "Enter a new password.",
    "password2": "Type your new password again.",
    "code": "Enter the security code.",
}
_INVALID_EMAIL = "Enter an email address in the correct format, like name@example.com."


def _tidy(form: forms.Form, labels: dict[str, str], hints: dict[str, str] | None = None) -> None:
    """Relabel fields, say what to do when one is empty, and drop placeholders (which vanish)."""
    hints = hints or {}
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        if name in labels:
            field.label = labels[name]
        field.help_text = hints.get(name, "")
        if name in _REQUIRED:
            field.error_messages["required"] = _REQUIRED[name]
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = _INVALID_EMAIL


def _code_input(field: forms.Field, *, numeric: bool) -> None:
    field.widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false"})
    if numeric:
        field.widget.attrs["inputmode"] = "numeric"
    field.widget.attrs["class"] = "input-code"


class LoginForm(account_forms.LoginForm):
    """allauth's sign-in form with Accord's wording."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(self, {"login": "Email address", "password": "Password"})
        self.fields["login"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )


class ResetPasswordForm(account_forms.ResetPasswordForm):
    """allauth's 'send me a reset link' form with Accord's wording."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(self, {"email": "Email address"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):
    """allauth's 'choose a new password' form (from a reset link) with Accord's wording."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(
            self,
            {"password1": "New password", "password2": "Type your new password again"},
            {"password1": PASSWORD_HINT},
        )


class ChangePasswordForm(account_forms.ChangePasswordForm):
    """allauth's change-password form with Accord's wording."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(
            self,
            {
                "oldpassword": "Current password",
                "password1": "New password",
                "password2": "Type your new password again",
            },
            {"password1": PASSWORD_HINT},
        )


class SetPasswordForm(account_forms.SetPasswordForm):
    """allauth's set-password form (for accounts without one) with Accord's wording."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(
            self,
            {"password1": "Password", "password2": "Type your password again"},
            {"password1": PASSWORD_HINT},
        )


class ReauthenticateForm(account_forms.ReauthenticateForm):
    """allauth's 'confirm your password' form with Accord's wording."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(self, {"password": "Password"})


class MfaAuthenticateForm(_ReusedCodeMessage, mfa_base_forms.AuthenticateForm):
    """The second sign-in step: a code from the app, or a recovery code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(
            self,
            {"code": "Security code"},
            {"code": CODE_HINT + " If you have lost your phone, enter a recovery code instead."},
        )
        # Recovery codes contain letters, so no numeric keypad here.
        _code_input(self.fields["code"], numeric=False)


class MfaReauthenticateForm(_ReusedCodeMessage, mfa_base_forms.ReauthenticateForm):
    """Confirming a sensitive change with a two-factor code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(self, {"code": "Security code"}, {"code": CODE_HINT})
        _code_input(self.fields["code"], numeric=False)


class ActivateTotpForm(mfa_totp_forms.ActivateTOTPForm):
    """Turning on an authenticator app by proving it shows the right code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(self, {"code": "Security code from your app"}, {"code": CODE_HINT})
        _code_input(self.fields["code"], numeric=True)


class InvitationForm(forms.Form):
    """Choosing a password from an invitation link; the rules are checked by the service."""

    password = forms.CharField(
        label="Create a password",
        help_text=PASSWORD_HINT,
        strip=False,
        error_messages={"required": "Enter a password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Type your password again",
        strip=False,
        error_messages={"required": "Type your password again."},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ApiTokenForm(AccordForm):
    """Naming a new personal API token and, optionally, the last day it works."""

    name = forms.CharField(
        label="Token name",
        help_text="Something to tell your tokens apart, for example “Reporting spreadsheet”.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token.",
            "max_length": "The name must be 100 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    expires_on = DateField(
        label="Last day the token works",
        help_text=(
            "Leave empty for a token that works for 90 days. A token can work for at most a "
            "year, and stops working when you change or reset your password."
        ),
        required=False,
        what="the last day the token works",
    )

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day in the service's time zone (Europe/London)."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time.max))
