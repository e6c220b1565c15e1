"""Middleware shared by every app."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from accord.core.request_context import request_id_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (or accept a well-formed X-Request-ID) for logs and audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PermissionsPolicyMiddleware:
    """Switch off, on every response, the browser features that no page of Accord uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        features = getattr(settings, "PERMISSIONS_POLICY_FEATURES", ())
        self.header = ", ".join(f"{feature}=()" for feature in features)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is too big before anything reads it (413).

    ``ACCORD_MAX_REQUEST_BYTES`` is a little above the 10 MB attachment limit, to leave room for
    the rest of a multipart form; a JSON body for the API may be no bigger than Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, since it is read into memory whole. The reverse proxy's own
    limit (docs/operations.md) must be at least as large, or people see its error page instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_api = request.path.startswith("/api/")
        multipart = (request.content_type or "").startswith("multipart/")
        limit = (
            settings.ACCORD_MAX_REQUEST_BYTES
            if multipart or not is_api
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if length > limit:
            return self._too_large(request, limit, is_api=is_api)
        return self.get_response(request)

    def _too_large(self, request: HttpRequest, limit: int, *, is_api: bool) -> HttpResponse:
        message = (
            f"The request is too large: send no more than {_megabytes(limit)} at once "
            "(attachments may be up to 10 MB each)."
        )
        if is_api:
            return JsonResponse({"detail": message, "errors": {}}, status=413)
        # A page of its own: the sign-in and site middleware have not run yet, so no base layout.
        html = render_to_string("core/too_large.html", {"message": message})
        return HttpResponse(html, status=413)
