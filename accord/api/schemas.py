"""Schemas shared across the API: the error body, the base of every input, and the caller's
own account and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from accord.core.date_bounds import DateBounds, bounds_for_name
from accord.core.text import text_problem, text_tidy_search


class _TextRule:
    """A marker in a string field's annotation choosing how `InputSchema` checks it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"_TextRule({self.name!r})"


MULTILINE = _TextRule("multiline")
SEARCH = _TextRule("search")

#: Free text of several lines (a message, a note, an address): tabs and line breaks allowed.
MultilineText = Annotated[str, MULTILINE]
#: A search term: characters that could not be typed are dropped, never refused.
SearchText = Annotated[str, SEARCH]


def _date_in_bounds(value: dt.date, name: str, metadata: list[Any]) -> dt.date:
    """A date (or date and time) within the field's `DateBounds`, else a 422 for the field."""
    from django.utils import timezone

    bounds = next((m for m in metadata if isinstance(m, DateBounds)), None) or bounds_for_name(name)
    day = value
    if isinstance(value, dt.datetime):
        try:
            day = timezone.localdate(value) if value.tzinfo is not None else value.date()
        except OverflowError:
            # A moment in year 1 or 9999 whose local date falls outside what Python can hold:
            # far outside any field's bounds, so refused as such rather than a 500.
            day = value.date()
    problem = bounds.problem(day, today=timezone.localdate())
    if problem is not None:
        raise PydanticCustomError("date_out_of_range", problem)
    return value


class InputSchema(Schema):
    """The base of every API input (body or query): text holds only what a person can type.

    Every ``str`` field, and every string in a ``list[str]`` field, is checked by the rule in
    accord.core.text: one line unless annotated `MultilineText`, tidied if `SearchText`. A
    refusal is a 422 naming the field, like any other invalid value, so nothing reaches a
    service, let alone the database (PostgreSQL cannot store NUL at all). Dates and datetimes
    must lie within the field's `DateBounds` (a marker in ``Annotated``, else by field name:
    see accord.core.date_bounds).
    """

    @field_validator("*", mode="after")
    @classmethod
    def _typed_text_only(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None:
            return value
        metadata = cls.model_fields[info.field_name].metadata
        if isinstance(value, dt.date):
            return _date_in_bounds(value, info.field_name, metadata)
        if SEARCH in metadata:
            return text_tidy_search(value).strip() if isinstance(value, str) else value
        multiline = MULTILINE in metadata
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                problem = text_problem(text, multiline=multiline)
                if problem is not None:
                    raise PydanticCustomError(problem.code, problem.message)
        return value


class ErrorOut(Schema):
    """Every error response: a message, and messages per field for refused input."""

    detail: str = Field(description="What went wrong, in a sentence a person can act on.")
    errors: dict[str, list[str]] = Field(
        description="Messages by field name; empty when the error is not about one field."
    )


def responses(status: int, schema: Any, *errors: int) -> dict[int, Any]:
    """An operation's success schema plus the errors it can answer.

    401 (not signed in), 403 (two-factor not set up, CSRF, or not permitted) and 422 (at
    least a query parameter the operation does not know: see accord.api.strict_query) apply
    to all.
    """
    return {status: schema, **{code: ErrorOut for code in sorted({401, 403, 422, *errors})}}


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


class TokenIn(InputSchema):
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
