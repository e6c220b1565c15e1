"""Double submits do not duplicate: one-time form tokens and the API's ``Idempotency-Key``.

Forms. Every ``{% csrf_token %}`` in a template (the tag is replaced by
``accord.core.templatetags.once_builtins``, so every write form has it without being changed)
also renders a hidden ``_once`` field holding a fresh random token. ``OnceMiddleware`` claims
the token when a POST carries it, by inserting a ``FormSubmission`` row whose token is unique:
the insert is atomic, so of two identical POSTs (a double click) only the first runs the view.
The second waits for the first to finish and is then sent where the first was sent (its
redirect), with "That was already done" as a message; an htmx duplicate gets 204 (nothing to
swap). If the first was refused (an answer of 400 or more: a form shown again with its errors,
a CSRF failure, a server error) the claim is released, so the same form can be sent again.

API. A write (POST, PUT, PATCH, DELETE) under ``/api/`` that sends ``Idempotency-Key: <key>``
is recorded per user, key and route (method and path) with a hash of its body. The first
answer (anything below 500 but 429) is stored and replayed for a repeat, marked
``Idempotent-Replayed: true``; a repeat with a different body answers 422 and one that arrives
while the first is still running answers 409. Without the header nothing changes.

Both kinds of record are kept for a day (`KEEP_FOR`) and then forgotten by the worker
(`once_records_forget_due`): a stored API answer can hold a party's words, so it must not stay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from accord.core.models import FormSubmission, IdempotentRequest

FIELD = "_once"
#: The API's header naming a write, documented on every write in the OpenAPI schema.
HEADER = "Idempotency-Key"
ALREADY_DONE = "That was already done: the form was sent twice, and it was saved once."
WAIT_SECONDS = 10.0
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}\Z")
_KEY = re.compile(r"^[\x21-\x7e]{1,255}\Z")
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
#: How long a used form token and a stored API answer are kept.
KEEP_FOR = dt.timedelta(hours=24)


def new_token() -> str:
    """A fresh one-time form token."""
    return secrets.token_urlsafe(24)


def _json(status: int, detail: str) -> HttpResponse:
    """An error in the API's one shape (``ErrorOut``): the message, about the header."""
    body = {"detail": detail, "errors": {HEADER: [detail]}}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


class OnceMiddleware:
    """Run each one-time form token and each API idempotency key's request only once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in _WRITES:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return self._api(request)
        if request.method == "POST":
            return self._form(request)
        return self.get_response(request)

    # --- Forms -----------------------------------------------------------------------------

    def _form(self, request: HttpRequest) -> HttpResponseBase:
        token = request.POST.get(FIELD, "")
        if not _TOKEN.match(token):
            return self.get_response(request)
        earlier = _claim_form(request, token)
        if earlier is not None:
            return _duplicate_form(request, earlier)
        try:
            response = self.get_response(request)
        except BaseException:
            FormSubmission.objects.filter(token=token).delete()
            raise
        if response.status_code >= 400:
            FormSubmission.objects.filter(token=token).delete()
        else:
            location = (
                response.get("Location", "") if response.status_code in {301, 302, 303} else ""
            )
            FormSubmission.objects.filter(token=token).update(done=True, result_url=location[:500])
        return response

    # --- API -------------------------------------------------------------------------------

    def _api(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None:
            return self.get_response(request)
        if not _KEY.match(key):
            return _json(
                422, "The Idempotency-Key must be 1 to 255 printable characters without spaces."
            )
        user = _api_user(request)
        if user is None:
            return self.get_response(request)  # the API answers 401 as usual
        route = f"{request.method} {request.path}"[:520]
        body_hash = hashlib.sha256(request.body).hexdigest()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    user=user, key=key, route=route, body_hash=body_hash
                )
        except IntegrityError:
            earlier = IdempotentRequest.objects.get(user=user, key=key, route=route)
            if earlier.body_hash != body_hash:
                return _json(
                    422,
                    "This Idempotency-Key was already used with a different request body: "
                    "use a new key for a new request.",
                )
            if not earlier.done:
                return _json(
                    409, "A request with this Idempotency-Key is still being processed: try again."
                )
            replay = HttpResponse(
                bytes(earlier.body),
                status=earlier.status_code or 200,
                content_type=earlier.content_type or "application/json",
            )
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 500 or response.status_code == 429 or response.streaming:
            record.delete()
            return response
        record.done = True
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")[:100]
        record.body = response.content  # type: ignore[attr-defined]
        record.save(update_fields=["done", "status_code", "content_type", "body"])
        return response


def _claim_form(request: HttpRequest, token: str) -> FormSubmission | None:
    """Claim the token for this request (None), or the earlier finished claim of it."""
    user = request.user if request.user.is_authenticated else None
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            with transaction.atomic():
                FormSubmission.objects.create(token=token, user=user, path=request.path[:500])
            return None
        except IntegrityError:
            pass
        except OperationalError:
            # SQLite busy with the first request's write (in-memory databases do not wait).
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
            continue
        earlier = FormSubmission.objects.filter(token=token).first()
        if earlier is not None and (earlier.done or time.monotonic() > deadline):
            return earlier
        if earlier is None:
            continue  # the first was refused and released its claim: this one may try
        time.sleep(0.05)


def _duplicate_form(request: HttpRequest, earlier: FormSubmission) -> HttpResponseBase:
    if getattr(request, "htmx", False):
        return HttpResponse(status=204)
    messages.info(request, ALREADY_DONE)
    target = earlier.result_url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = request.get_full_path()
    return HttpResponseRedirect(target)


def _api_user(request: HttpRequest) -> Any:
    """Who is calling the API: the Bearer token's owner, else the signed-in session's user."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        from accord.accounts.services import api_token_authenticate

        return api_token_authenticate(header[7:].strip())
    if request.user.is_authenticated:
        return request.user
    return None


def once_records_forget_due(*, now: dt.datetime | None = None) -> int:
    """Delete used form tokens and stored API answers older than `KEEP_FOR` (a worker job).

    Returns how many were deleted. A form token older than a day is no longer recognised, so a
    day-old page sent again is treated as new; an API client retries within seconds, not days.
    """
    cutoff = (now or timezone.now()) - KEEP_FOR
    forms, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    answers, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return forms + answers
