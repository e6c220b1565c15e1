"""Per-request context (request id) available to services without passing the request."""

from __future__ import annotations

import contextvars

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the HTTP request being served, or an empty string outside a request."""
    return request_id_var.get()
