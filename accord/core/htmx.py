"""Helpers for pages that htmx enhances: the same view answers with a page or a fragment."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest, target: str) -> bool:
    """True when htmx asks to refresh the element with this id (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return False
    return htmx.target == target


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Keep browsers and proxies from serving a cached fragment as a whole page, or the reverse."""
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
