"""Deadline settings: read from Django settings, then the environment, then a documented default.

Each value is read when it is used, so tests can override settings, and a bad value fails with a
message naming the setting instead of producing wrong deadlines.
"""

from __future__ import annotations

import datetime as dt
import os
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _raw(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return str(value)


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = _raw(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def _time(name: str, default: str) -> dt.time:
    raw = _raw(name, default)
    try:
        value = dt.time.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a time such as 17:00, not {raw!r}.") from None
    return value.replace(tzinfo=None)


def default_due_time() -> dt.time:
    """Europe/London time a day-based deadline falls at when its rule sets none."""
    return _time("ACCORD_DEADLINE_DUE_TIME", "17:00")


def reminder_send_time() -> dt.time:
    """Europe/London time of day at which "before" reminders go out."""
    return _time("ACCORD_REMINDER_SEND_TIME", "09:00")


def reminder_lead_working_days() -> int:
    """How many working days before the due date the "before" reminder goes out (default 2)."""
    return _int("ACCORD_REMINDER_LEAD_WORKING_DAYS", 2, minimum=1)


def reminder_short_lead_working_days() -> int:
    """The lead time for short deadlines, when the normal one has already passed (default 1)."""
    return _int("ACCORD_REMINDER_SHORT_LEAD_WORKING_DAYS", 1, minimum=1)


def worker_interval_seconds() -> int:
    """How often `accord worker` looks for missed deadlines and due reminders (default 30 s)."""
    return _int("ACCORD_WORKER_INTERVAL", 30, minimum=1)


def email_max_attempts() -> int:
    """How many times an outbox email is tried before it is marked failed (default 8)."""
    return _int("ACCORD_EMAIL_MAX_ATTEMPTS", 8, minimum=1)


def message_id_domain() -> str:
    """The right-hand side of reminder Message-IDs: the sender's domain unless configured."""
    configured = _raw("ACCORD_MESSAGE_ID_DOMAIN", "")
    if configured:
        return configured
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2]
    return domain or "accord.localhost"


def site_url() -> str:
    """The public address of this Accord, for links in emails (see `accord.core.links`)."""
    from accord.core.links import site_url as public_site_url

    return public_site_url()
