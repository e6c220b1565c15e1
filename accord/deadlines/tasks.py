"""Background jobs for deadlines: each only calls a service and is safe to run twice.

Jobs are enqueued after the surrounding transaction commits, so a job never runs against data
that was rolled back. The worker's periodic sweep does the same work as these jobs, so a job lost
with a killed worker (django-tasks-db leaves it "running") delays an email but never drops it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)


@task()
def send_due_reminders() -> int:
    """Write the emails of all due reminders to the outbox (each exactly once)."""
    from accord.deadlines.delivery import reminders_dispatch_due

    return reminders_dispatch_due()


@task()
def deliver_email(email_id: int) -> bool:
    """Hand one outbox email to the mail server if it is still waiting."""
    from accord.deadlines.delivery import outbox_deliver_one

    return outbox_deliver_one(email_id=email_id)


def _enqueue(job: Task[Any, Any], args: tuple[Any, ...]) -> None:
    try:
        job.enqueue(*args)
    except Exception:
        # The periodic sweep in `accord worker` will do the same work within a minute.
        logger.exception(
            "Could not enqueue %s; the worker's sweep will pick the work up.", job.name
        )


def enqueue_after_commit(job: Task[Any, Any], *args: Any) -> None:
    """Enqueue a job once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: _enqueue(job, args), robust=True)
