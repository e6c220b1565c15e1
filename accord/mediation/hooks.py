"""Checks and follow-ups that apps above mediation register, without mediation importing them.

Like stage guards in `accord.cases.progress`: an app registers in its `AppConfig.ready`

- `register_session_check(fn)`: `fn(case, phase, starts_at)` is asked before a session is booked
  (`phase="book"`), moved (`"move"`) or started (`"start"`), inside the service's transaction,
  and raises a `DomainError` (usually `ValidationFailed`) to refuse. The SEND part refuses a
  meeting notified fewer than 5 working days ahead without the family's consent, and starting it
  before everyone confirmed the Terms of Engagement.
- `register_session_ended(fn)`: `fn(actor, session)` runs in the same transaction once a session
  is recorded as held (the SEND part starts the 24-hour outcome clock).

Registering the same function twice is harmless.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

SessionCheck = Callable[[Any, str, dt.datetime], None]
SessionEnded = Callable[[Any, Any], None]

_CHECKS: list[SessionCheck] = []
_ENDED: list[SessionEnded] = []


def register_session_check(check: SessionCheck) -> None:
    """Add a check asked before a session is booked, moved or started."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def register_session_ended(follow_up: SessionEnded) -> None:
    """Add a follow-up run when a session is recorded as held."""
    if follow_up not in _ENDED:
        _ENDED.append(follow_up)


def run_session_checks(case: Any, phase: str, starts_at: dt.datetime) -> None:
    """Ask every registered check; the first refusal propagates."""
    for check in list(_CHECKS):
        check(case, phase, starts_at)


def run_session_ended(actor: Any, session: Any) -> None:
    """Run every registered follow-up of a held session."""
    for follow_up in list(_ENDED):
        follow_up(actor, session)
