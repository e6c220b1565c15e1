"""One JSON shape for every API error: ``{"detail": "...", "errors": {field: [messages]}}``.

Domain errors keep the status their class declares (404 hidden, 403 not permitted, 422 refused
input); ninja's own request validation answers 422 in the same shape, so a client reads field
errors from one place whatever refused the request. Nothing escapes as an HTML 500 page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from accord.core.errors import DomainError
from accord.core.request_context import current_request_id

logger = logging.getLogger("accord.api")

#: ninja's wording for a body that is not JSON; replaced with something a developer can act on.
_NINJA_UNPARSABLE = "Cannot parse request body"
UNPARSABLE_BODY = "The request body is not valid JSON. Send a JSON object."
NEEDS_AUTH = "Sign in, or send a personal API token as 'Authorization: Bearer acc_...'."
INVALID_REQUEST = "Check the request: some values are missing or not valid."

#: Plain-English messages for the commonest pydantic error types.
_MESSAGES = {
    "missing": "This field is required.",
    "extra_forbidden": "This field is not recognised.",
    "string_type": "Enter text.",
    "string_unicode": "This text contains a character that is not valid text. Type it again.",
    "bool_parsing": "Enter true or false.",
    "bool_type": "Enter true or false.",
    "int_parsing": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "timezone_aware": "Include a time zone offset, such as 2026-12-01T09:00:00+00:00.",
}


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The JSON body every error response uses."""
    return {"detail": detail, "errors": errors or {}}


def field_name(loc: Sequence[Any]) -> str:
    """A client-facing field name from a ninja error location such as ('body', 'payload', 'x')."""
    source, rest = (str(loc[0]), list(loc[1:])) if loc else ("body", [])
    if source == "body" and rest:
        rest = rest[1:]  # the view's parameter name means nothing to the client
    return ".".join(str(part) for part in rest) or source


def _message(error: dict[str, Any], field: str) -> str:
    """One validation error in plain English, ending with a full stop."""
    kind = str(error.get("type"))
    if field == "body" and kind in {"missing", "model_attributes_type", "dict_type"}:
        return "Send a JSON object in the request body."
    if kind == "enum":
        return f"Choose one of: {error.get('ctx', {}).get('expected', '')}."
    message = _MESSAGES.get(kind) or str(error.get("msg") or "This value is not valid.")
    return message if message.endswith(".") else message + "."


def field_errors(errors: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Group ninja/pydantic validation errors by field, in plain English."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        field = field_name(error.get("loc", ()))
        grouped.setdefault(field, []).append(_message(error, field))
    return grouped


def _domain_error(request: HttpRequest, exc: DomainError, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(
        request, error_body(exc.message, exc.field_errors), status=exc.status_code
    )


def _validation_error(
    request: HttpRequest, exc: NinjaValidationError, *, api: NinjaAPI
) -> HttpResponse:
    return api.create_response(
        request, error_body(INVALID_REQUEST, field_errors(exc.errors)), status=422
    )


def _http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    message = exc.message
    if exc.status_code == 400 and message.startswith(_NINJA_UNPARSABLE):
        message = UNPARSABLE_BODY
    elif isinstance(exc, AuthenticationError) and message == "Unauthorized":
        message = NEEDS_AUTH
    response = api.create_response(request, error_body(message), status=exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="accord"'
    return response


def _not_found(request: HttpRequest, exc: Http404, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body("Not found."), status=404)


def _unexpected(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    # Logged with the request id so the operator can find it; the client learns nothing internal.
    logger.exception("Unhandled API error (request %s)", current_request_id())
    detail = "Something went wrong on our side. Quote request id " + current_request_id() + "."
    return api.create_response(request, error_body(detail), status=500)


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers on the API, replacing ninja's defaults."""
    api.add_exception_handler(DomainError, partial(_domain_error, api=api))
    api.add_exception_handler(NinjaValidationError, partial(_validation_error, api=api))
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(Exception, partial(_unexpected, api=api))
