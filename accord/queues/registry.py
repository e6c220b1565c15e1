"""Work queues: what is waiting for each role, registered by the apps that own the records.

A queue is a named list of things someone must act on (enquiries awaiting the conflict check,
outcomes awaiting approval...). The app that owns the records describes it once, in its own
`queues.py`, which `QueuesConfig.ready` imports:

    register(Queue(
        code="enquiries-awaiting-conflict-check",
        title="New enquiries awaiting the conflict check",
        roles=frozenset({Role.COORDINATOR}),
        sources=lambda user: [enquiries_awaiting_conflict_check(user)],
        row=enquiry_row,
    ))

`sources(user)` returns the querysets whose rows are the queue's items, already limited to what
the user may see (through the owning app's policy) and to the services where they hold one of
the queue's roles (`organisations_where`). The dashboard counts every queue of a user in one
query; the list page turns each row into a `QueueRow` with `row`, which must not query (preload
what it needs with `select_related`). Querysets must not use `distinct()`, so that they count
as plain subqueries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from accord.organisations.selectors import _memberships


@dataclass(frozen=True)
class QueueRow:
    """One item of a queue as a list shows it: what it is, on which case, and where to act."""

    label: str
    url: str
    case: Any = None
    detail: str = ""
    when: dt.datetime | dt.date | None = None
    flag: str = ""

    @property
    def has_time(self) -> bool:
        """Whether `when` is a moment (shown with its time) rather than a day."""
        return isinstance(self.when, dt.datetime)


@dataclass(frozen=True)
class Queue:
    """A kind of work waiting for people holding one of `roles`."""

    code: str
    title: str
    roles: frozenset[str]
    sources: Callable[[Any], Sequence[QuerySet[Any]]]
    row: Callable[[Any], QueueRow]
    description: str = ""
    #: Position on the dashboard: lower first.
    order: int = 100
    #: How the list page sorts the rows of several sources merged (one source keeps its order).
    sort_key: Callable[[QueueRow], Any] | None = field(default=None)
    #: Words for the items in the count, e.g. ("enquiry", "enquiries").
    noun: tuple[str, str] = ("item", "items")


_QUEUES: dict[str, Queue] = {}


def register(queue: Queue) -> Queue:
    """Add a queue; registering the same code twice replaces it (module reloads in tests)."""
    _QUEUES[queue.code] = queue
    return queue


def unregister(code: str) -> None:
    """Remove a queue (tests that register their own)."""
    _QUEUES.pop(code, None)


def all_queues() -> list[Queue]:
    """Every registered queue in dashboard order."""
    return sorted(_QUEUES.values(), key=lambda q: (q.order, q.code))


def user_roles(user: Any) -> frozenset[str]:
    """Every role the user holds in any service."""
    roles: set[str] = set()
    for held in _memberships(user).values():
        roles |= held
    return frozenset(roles)


def organisations_where(user: Any, roles: frozenset[str] | set[str]) -> list[int]:
    """Ids of the services in which the user holds one of these roles."""
    return sorted(org_id for org_id, held in _memberships(user).items() if held & roles)


def queues_for(user: Any) -> list[Queue]:
    """The queues the user sees: those of every role they hold (several roles, several queues)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    roles = user_roles(user)
    return [q for q in all_queues() if q.roles & roles]


def queue_for(user: Any, code: str) -> Queue | None:
    """The queue with this code if the user sees it; None for an unknown or hidden one."""
    queue = _QUEUES.get(code)
    if queue is None or queue not in queues_for(user):
        return None
    return queue
