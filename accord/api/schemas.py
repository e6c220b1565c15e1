"""Schemas shared across the API: the error body and the caller's own account and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict


class ErrorOut(Schema):
    """Every error response: a message, and messages per field for refused input."""

    detail: str = Field(description="What went wrong, in a sentence a person can act on.")
    errors: dict[str, list[str]] = Field(
        description="Messages by field name; empty when the error is not about one field."
    )


def responses(status: int, schema: Any, *errors: int) -> dict[int, Any]:
    """An operation's success schema plus the errors it can answer.

    401 (not signed in) and 403 (two-factor not set up, CSRF, or not permitted) apply to all.
    """
    return {status: schema, **{code: ErrorOut for code in sorted({401, 403, *errors})}}


class StaffRoleOut(Schema):
    """The roles the caller holds in one service."""

    service_id: int
    service: str
    roles: list[str]


class MeOut(Schema):
    """The caller."""

    id: int
    email: str
    full_name: str
    is_staff_member: bool
    staff_roles: list[StaffRoleOut]
    auth_method: str = Field(description="'session' or 'token': how this request signed in.")


class TokenIn(Schema):
    """A new personal API token."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., description="What the token is for, e.g. 'Reporting script'.")
    expires_at: AwareDatetime | None = Field(
        None, description="When the token stops working (with a time zone offset); none if omitted."
    )


class TokenOut(Schema):
    """A personal API token; the secret is never shown again after creation."""

    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to tell tokens apart.")
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_usable: bool


class TokenCreatedOut(Schema):
    """A token just created, with its secret: store it now, it cannot be shown again."""

    token: TokenOut
    secret: str
