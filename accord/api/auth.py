"""How API callers prove who they are: a personal token, or the browser session with CSRF.

Every operation accepts either (`API_AUTH`). The token is tried first so that a script
sending ``Authorization: Bearer acc_...`` is never subject to the browser's CSRF rule; a
request that sends a Bearer token which does not work is refused outright (401) rather than
falling back to whatever session cookie it may also carry.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from accord.accounts.middleware import staff_needs_mfa_setup
from accord.accounts.services import api_token_authenticate, api_token_refusal

AuthMethod = Literal["token", "session"]

_METHOD_ATTR = "accord_auth_method"

MFA_NEEDED = "Set up two-factor authentication before using the API."
CSRF_FAILED = (
    "CSRF check failed. Send the value of the csrftoken cookie in the X-CSRFToken header, "
    "or use a personal API token instead of the session."
)


def auth_method(request: HttpRequest) -> AuthMethod | None:
    """How the current request was authenticated, or None if it was not."""
    method: AuthMethod | None = getattr(request, _METHOD_ATTR, None)
    return method


class TokenAuth(HttpBearer):
    """``Authorization: Bearer acc_...`` checked against the caller's personal API tokens."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token.strip())
        if user is None:
            raise AuthenticationError(401, api_token_refusal(token.strip()))
        # The sign-in middleware only guards sessions; a token must not let staff skip 2FA.
        if staff_needs_mfa_setup(user):
            raise HttpError(403, MFA_NEEDED)
        setattr(request, _METHOD_ATTR, "token")
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods must carry the CSRF token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # An anonymous caller gets 401 (sign in), not a CSRF 403 that would mislead them.
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_FAILED)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None or not request.user.is_authenticated:
            return None
        setattr(request, _METHOD_ATTR, "session")
        return request.user


token_auth = TokenAuth()
session_auth = SessionAuth()

#: Tried in order: a Bearer token first, then the session.
API_AUTH = [token_auth, session_auth]
