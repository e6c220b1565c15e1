"""Domain errors raised by services and mapped to responses by views and the API."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the operation; the message is shown to the user."""

    status_code = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class ValidationFailed(DomainError):
    """Input was well-formed but broke a rule; carries per-field messages."""

    status_code = 422


class NotFoundOrHidden(DomainError):
    """The object does not exist or the user may not see it: both answer 404."""

    status_code = 404


class NotPermitted(DomainError):
    """The user may see the object but may not perform this action on it."""

    status_code = 403
