"""Is an outbox email still worth sending? Checks that apps register, asked at delivery time.

An email is written when something happens (a MIAM booked, a reminder due), but delivered later.
By then its reason may have gone: the MIAM was moved or cancelled, the session already held, the
document signed. An app registers a named check here; `email_enqueue(..., still_relevant=(name,
ref))` records which check to ask and about what; the deliverer asks it just before sending and
drops the email, recording the reason, when the answer is a reason not to send.

A check takes the reference string and returns "" to send, or the reason not to.
"""

from __future__ import annotations

from collections.abc import Callable

RelevanceCheck = Callable[[str], str]

_CHECKS: dict[str, RelevanceCheck] = {}


def register_relevance_check(name: str, check: RelevanceCheck) -> None:
    """Register (or replace) the check called `name`."""
    _CHECKS[name] = check


def reason_to_drop(name: str, ref: str) -> str:
    """Why an email tied to check `name` and `ref` should not be sent now; "" to send it.

    An email naming a check that is not registered is sent: better a stale message than a lost one.
    """
    if not name:
        return ""
    check = _CHECKS.get(name)
    if check is None:
        return ""
    return check(ref)[:500]
