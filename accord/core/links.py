"""Absolute links for emails and letters, whoever sends them (a web request or `accord worker`).

An email is read outside the site, so a path such as ``/respond/ABC/`` is useless in it. Every
link in an email is built here from the site's public address:

1. ``ACCORD_SITE_URL`` (Django setting or environment variable), e.g. ``https://mediation.example.org``;
2. otherwise, in production, ``https://`` and the first name in ``ALLOWED_HOSTS``;
3. otherwise (development and the demo) ``http://127.0.0.1:8000``, where ``accord demo`` and
   ``runserver`` listen by default (``accord demo`` sets ``ACCORD_SITE_URL`` from ``--host`` and
   ``--port``).
"""

from __future__ import annotations

import os

from django.conf import settings

#: Where a development server listens unless told otherwise.
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The public address of this Accord, without a trailing slash; never empty."""
    configured = getattr(settings, "ACCORD_SITE_URL", None)
    if configured is None:
        configured = os.environ.get("ACCORD_SITE_URL", "")
    configured = str(configured).strip().rstrip("/")
    if configured:
        return configured
    if getattr(settings, "PRODUCTION", False):
        hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h and h != "*"]
        if hosts:
            return f"https://{hosts[0]}"
    return DEVELOPMENT_SITE_URL


def absolute_url(path: str) -> str:
    """The full address of a path on this site (an address that is already full is kept)."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_url()}/{path.lstrip('/')}"
