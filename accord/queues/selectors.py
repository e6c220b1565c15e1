"""Reads of work queues for a user: every count in one query, and one queue's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accord.accounts.models import User
from accord.queues.registry import Queue, QueueRow, queues_for

#: A queue page lists at most this many items, and says how many there are in all.
LIST_LIMIT = 100


@dataclass(frozen=True)
class QueueCount:
    """A queue on the dashboard with how many items wait in it."""

    queue: Queue
    count: int

    @property
    def noun(self) -> str:
        return self.queue.noun[0] if self.count == 1 else self.queue.noun[1]


def _count_of(qs: QuerySet[Any]) -> Any:
    """A scalar subquery counting the rows of a queryset (0 when its filter can match nothing)."""
    counted = (
        qs.order_by()
        .annotate(_queue_n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("_queue_n")
    )
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def _total(queue: Queue, user: Any) -> Any:
    parts = [_count_of(qs) for qs in queue.sources(user)]
    total: Any = Value(0)
    for part in parts:
        total = total + part
    return total


def queue_counts(*, user: Any) -> list[QueueCount]:
    """The user's queues with their counts, all counted in a single query."""
    queues = queues_for(user)
    if not queues:
        return []
    annotations = {f"q{i}": _total(queue, user) for i, queue in enumerate(queues)}
    row = User.objects.filter(pk=user.pk).annotate(**annotations).values(*annotations).first()
    row = row or {}
    return [QueueCount(queue, int(row.get(f"q{i}") or 0)) for i, queue in enumerate(queues)]


@dataclass(frozen=True)
class QueueList:
    """One queue's items as a list page shows them."""

    queue: Queue
    rows: list[QueueRow]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def queue_list(*, user: Any, queue: Queue, limit: int = LIST_LIMIT) -> QueueList:
    """The first `limit` items of a queue the user sees (the caller has checked the queue)."""
    sources = list(queue.sources(user))
    rows: list[QueueRow] = []
    total = 0
    for qs in sources:
        items = list(qs[: limit + 1])
        total += len(items) if len(items) <= limit else qs.count()
        rows.extend(queue.row(item) for item in items[:limit])
    if len(sources) > 1 and queue.sort_key is not None:
        rows.sort(key=queue.sort_key)
    return QueueList(queue=queue, rows=rows[:limit], total=total)
