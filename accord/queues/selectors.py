"""Reads of work queues for a user: every count in one query, and one queue's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL

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

    @property
    def shown(self) -> str:
        """The count as the dashboard shows it: exact up to the list's length, then "100+"."""
        return f"{LIST_LIMIT}+" if self.count > LIST_LIMIT else str(self.count)


def _count_of(qs: QuerySet[Any]) -> Any:
    """A scalar subquery counting the rows of a queryset, but no further than `LIST_LIMIT + 1`.

    The list page shows at most `LIST_LIMIT` items, so the dashboard needs to know no more than
    "more than that"; a capped count stops reading at that point, where a full COUNT of, say,
    every party waiting for a MIAM in a large service grows with the service.
    """
    capped = qs.order_by().values("pk")[: LIST_LIMIT + 1]
    sql, params = capped.query.sql_with_params()  # the ORM's own SQL, values as parameters
    counted = f"SELECT COUNT(*) FROM ({sql}) AS capped"  # noqa: S608
    return RawSQL(counted, params, output_field=IntegerField())  # noqa: S611


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
