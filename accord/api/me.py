"""The caller's own account through the API: who am I, and my personal API tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from accord.accounts import services as account_services
from accord.accounts.models import ApiToken
from accord.api import selectors
from accord.api.auth import auth_method
from accord.api.schemas import (
    MeOut,
    StaffRoleOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    responses,
)
from accord.cases.api import ObjectId
from accord.core.errors import NotPermitted

router = Router(tags=["account"])


def token_out(token: ApiToken) -> TokenOut:
    """A token's public description (the hash never leaves the database)."""
    return TokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
        is_usable=token.is_usable,
    )


@router.get("/me", response=responses(200, MeOut), summary="Who am I")
def me(request: HttpRequest) -> MeOut:
    """The signed-in person and the services in which they work."""
    user: Any = request.auth  # type: ignore[attr-defined]
    roles = selectors.staff_roles_for(user=user)
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        is_staff_member=bool(roles),
        staff_roles=[
            StaffRoleOut(service_id=org_id, service=name, roles=role_list)
            for org_id, name, role_list in roles
        ],
        auth_method=auth_method(request) or "",
    )


@router.get("/tokens", response=responses(200, list[TokenOut]), summary="List my API tokens")
def token_list(request: HttpRequest) -> list[TokenOut]:
    """The caller's own tokens, including revoked and expired ones."""
    user = request.auth  # type: ignore[attr-defined]
    return [token_out(token) for token in selectors.api_tokens_for(user=user)]


@router.post(
    "/tokens", response=responses(201, TokenCreatedOut, 400, 422), summary="Create an API token"
)
def token_create(request: HttpRequest, response: HttpResponse, payload: TokenIn) -> Any:
    """Create a token from a signed-in session; the secret is in this response only."""
    if auth_method(request) != "session":
        # A leaked token must not be able to mint others that outlive its revocation.
        raise NotPermitted(
            "Create API tokens from a signed-in browser session, not with another token."
        )
    token, secret = account_services.api_token_create(
        user=request.auth,  # type: ignore[attr-defined]
        name=payload.name,
        expires_at=payload.expires_at,
    )
    response["Cache-Control"] = "no-store"
    return Status(201, TokenCreatedOut(token=token_out(token), secret=secret))


@router.delete(
    "/tokens/{token_id}", response=responses(204, None, 404, 422), summary="Revoke an API token"
)
def token_revoke(request: HttpRequest, token_id: ObjectId) -> Any:
    """Revoke one of the caller's own tokens (a token may revoke itself); 404 for others'."""
    account_services.api_token_revoke(
        user=request.auth,  # type: ignore[attr-defined]
        token_id=token_id,
    )
    return Status(204, None)
