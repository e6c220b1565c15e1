"""Work queue of deadlines: the open deadlines on a mediator's cases, and those they own."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accord.deadlines.models import Deadline, DeadlineStatus
from accord.deadlines.selectors import deadlines_visible_to
from accord.organisations.models import Role
from accord.queues.registry import Queue, QueueRow, organisations_where, register

MEDIATORS = frozenset({Role.MEDIATOR})


def mediators_open_deadlines(user: Any) -> QuerySet[Deadline]:
    """Open deadlines the user may see, on cases they mediate or owned by them, soonest first."""
    pk = getattr(user, "pk", None)
    return (
        deadlines_visible_to(user)
        .filter(
            Q(owner_id=pk) | Q(case__lead_mediator_id=pk) | Q(case__co_mediator_id=pk),
            status=DeadlineStatus.OPEN,
            organisation_id__in=organisations_where(user, MEDIATORS),
        )
        .order_by("due_at", "id")
    )


def _deadline_row(deadline: Deadline) -> QueueRow:
    return QueueRow(
        label=deadline.title,
        url=reverse("cases:detail", args=[deadline.case_id]) + "#case-deadlines",
        case=deadline.case,
        detail=f"Owner: {deadline.owner.full_name}",
        when=deadline.due_at,
        flag="Overdue" if deadline.due_at <= timezone.now() else "",
    )


register(
    Queue(
        code="my-deadlines",
        title="Deadlines on your cases",
        description="Open deadlines on cases you mediate, and those you own.",
        roles=MEDIATORS,
        sources=lambda user: [mediators_open_deadlines(user)],
        row=_deadline_row,
        order=63,
        noun=("deadline", "deadlines"),
    )
)
