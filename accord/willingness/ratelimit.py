"""How many answers one address may send by answer code, per hour, on each way in.

The public answer page and the API's answer endpoints count separately (a `channel` in the
key), so a busy page cannot lock out an integration or the other way round; each allows
`RATE_LIMIT` attempts an hour, counted whether or not the code was right, so guessing codes
is slow whichever way is used.
"""

from __future__ import annotations

from django.core.cache import cache

from accord.intake.services import ip_hash

RATE_LIMIT = 20
RATE_WINDOW_SECONDS = 60 * 60


def attempt_refused(ip: str, *, channel: str, limit: int | None = None) -> bool:
    """Count this attempt from the address; True once it has sent more than `limit` this
    hour."""
    key = f"willingness:answers:{channel}:{ip_hash(ip)}"
    if not cache.add(key, 1, RATE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, RATE_WINDOW_SECONDS)
    return int(cache.get(key) or 0) > (RATE_LIMIT if limit is None else limit)
