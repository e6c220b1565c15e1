"""The moves an agenda item may make between statuses, as data. Imports no Django.

An item starts open, is explored, gathers options, reaches a proposal and ends agreed or not
agreed; any item may be parked and a parked one reopened. Reopening an agreed item undoes what
the parties settled, so it needs a reason; agreeing needs the wording the parties agreed.
"""

from __future__ import annotations

OPEN = "open"
EXPLORING = "exploring"
OPTIONS = "options"
PROPOSAL = "proposal"
AGREED = "agreed"
NOT_AGREED = "not_agreed"
PARKED = "parked"

STATUSES = (OPEN, EXPLORING, OPTIONS, PROPOSAL, AGREED, NOT_AGREED, PARKED)

#: Where each status may move to, besides parking (allowed from any status but parked).
_FORWARD: dict[str, frozenset[str]] = {
    OPEN: frozenset({EXPLORING}),
    EXPLORING: frozenset({OPTIONS}),
    OPTIONS: frozenset({EXPLORING, PROPOSAL}),
    PROPOSAL: frozenset({OPTIONS, AGREED, NOT_AGREED}),
    AGREED: frozenset({EXPLORING}),
    NOT_AGREED: frozenset({EXPLORING}),
    PARKED: frozenset({OPEN}),
}

ALLOWED: dict[str, frozenset[str]] = {
    status: targets | (frozenset() if status == PARKED else frozenset({PARKED}))
    for status, targets in _FORWARD.items()
}


def allowed_moves(status: str) -> list[str]:
    """The statuses an item in `status` may move to, in the order of the lifecycle."""
    targets = ALLOWED.get(status, frozenset())
    return [s for s in STATUSES if s in targets]


def move_problems(*, from_status: str, to_status: str, wording: str, reason: str) -> dict[str, str]:
    """Why a move is refused, by field ("to_status", "agreed_wording", "note"); empty if allowed."""
    problems: dict[str, str] = {}
    if to_status not in STATUSES:
        problems["to_status"] = "Choose a status from the list."
        return problems
    if to_status == from_status:
        problems["to_status"] = "The item already has this status."
        return problems
    if to_status not in ALLOWED.get(from_status, frozenset()):
        problems["to_status"] = "An item cannot move straight from its status to that one."
        return problems
    if to_status == AGREED and not wording.strip():
        problems["agreed_wording"] = "Enter the wording the parties agreed."
    if from_status == AGREED and not reason.strip():
        problems["note"] = "Give the reason for reopening an agreed item."
    return problems
