"""Failed sign-ins are slowed down per account AND address, so a stranger cannot lock anyone out.

A flat "five wrong passwords and the account is locked" rule lets anyone who knows a party's
email address keep her out of her own case. Instead (see docs/operations.md, "Hardening"):

* each (account, client address) pair gets a few free attempts, then a growing wait
  (30 seconds, 1, 2, 4 ... minutes, at most 15) before the next attempt from that address is
  even checked; a correct password from elsewhere is unaffected;
* across all addresses an account has a much higher ceiling (100 failures an hour); past it,
  only addresses from which the owner has signed in before (within 30 days) may still try;
* one address has a ceiling across all accounts (50 failures in 15 minutes), against one
  machine guessing many accounts.

Password resets are never throttled here (allauth's own reset limits apply), so the owner can
always reset. Counts live in the default cache, which must be shared by every web process in
production (the database cache is the default there).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

FREE_FAILURES = 3
FIRST_DELAY = 30
MAX_DELAY = 15 * 60
PAIR_MEMORY = 24 * 60 * 60
ACCOUNT_CEILING = 100
ACCOUNT_WINDOW = 60 * 60
ADDRESS_CEILING = 50
ADDRESS_WINDOW = 15 * 60
TRUSTED_FOR = 30 * 24 * 60 * 60


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _key(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:40]
    return f"accord:signin:{parts[0]}:{digest}"


def delay_after(failures: int) -> int:
    """Seconds to wait after this many failures in a row from one address for one account."""
    if failures <= FREE_FAILURES:
        return 0
    return int(min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY))


@dataclass(frozen=True)
class Refusal:
    """Why this attempt is not even checked, in words for the person signing in."""

    message: str


def _minutes(seconds: float) -> str:
    if seconds <= 60:
        return "a minute"
    minutes = int(seconds // 60) + (1 if seconds % 60 else 0)
    return f"{minutes} minutes"


def signin_check(login: str, address: str, *, now: float | None = None) -> Refusal | None:
    """Whether a sign-in attempt for this login from this address may be checked now."""
    now = now or time.time()
    login = login.strip().lower()
    _, until = cache.get(_key("pair", login, address), (0, 0.0))
    if until > now:
        return Refusal(
            f"Too many wrong passwords from this device. Wait {_minutes(until - now)} and try "
            "again, or reset your password."
        )
    if cache.get(_key("address", address), 0) >= _limit(
        "ACCORD_SIGNIN_ADDRESS_CEILING", ADDRESS_CEILING
    ):
        return Refusal(
            "Too many failed sign-ins from your network. Wait 15 minutes and try again, "
            "or reset your password."
        )
    if cache.get(_key("account", login), 0) >= _limit(
        "ACCORD_SIGNIN_ACCOUNT_CEILING", ACCOUNT_CEILING
    ) and not cache.get(_key("trusted", login, address)):
        return Refusal(
            "This account has had too many wrong passwords from many places, so for an hour it "
            "can only be signed in to from a device used before. Reset your password to sign "
            "in now."
        )
    return None


def _bump(key: str, window: int) -> None:
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)


def signin_failed(login: str, address: str, *, now: float | None = None) -> None:
    """Count a wrong password: the pair's wait grows, and the account and address ceilings fill."""
    now = now or time.time()
    login = login.strip().lower()
    pair = _key("pair", login, address)
    failures, _ = cache.get(pair, (0, 0.0))
    failures += 1
    cache.set(pair, (failures, now + delay_after(failures)), PAIR_MEMORY)
    _bump(_key("account", login), ACCOUNT_WINDOW)
    _bump(_key("address", address), ADDRESS_WINDOW)


def signin_succeeded(login: str, address: str) -> None:
    """A right password: this pair starts afresh and the address counts as the owner's device.

    The account and address ceilings are not reset: otherwise an attacker who also knows one
    password could clear them between guesses at others.
    """
    login = login.strip().lower()
    cache.delete(_key("pair", login, address))
    cache.set(_key("trusted", login, address), True, TRUSTED_FOR)
