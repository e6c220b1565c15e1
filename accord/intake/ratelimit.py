"""How many accepted public enquiries one address may send to one service in an hour.

The public page and the API share one count per address and service, so a sender cannot double
their allowance by using both ways in.
"""

from __future__ import annotations

from django.core.cache import cache

from accord.intake.services import ip_hash

#: Accepted public enquiries from one address to one service in an hour.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 60 * 60


def rate_key(organisation_id: int, ip: str) -> str:
    """The cache key counting one address's enquiries to one service."""
    return f"intake:enquiries:{organisation_id}:{ip_hash(ip)}"


def rate_limited(key: str, limit: int = RATE_LIMIT) -> bool:
    """True once the address has sent `limit` accepted enquiries this hour."""
    return int(cache.get(key) or 0) >= limit


def count(key: str) -> None:
    """Count one more accepted (or quietly dropped) enquiry from the address."""
    if not cache.add(key, 1, RATE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, RATE_WINDOW_SECONDS)
