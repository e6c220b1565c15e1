"""The worker marks a backlog of missed deadlines in bulk, and still exactly once."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.audit.verification import chain_verify
from accord.deadlines import services
from accord.deadlines.models import Deadline, DeadlineStatus, Reminder

pytestmark = pytest.mark.django_db(transaction=True)


def _backlog(make_deadline: Any, count: int) -> list[int]:
    ids = [
        make_deadline(due_at=timezone.now() + dt.timedelta(days=3, hours=n), title=f"Job {n}").pk
        for n in range(count)
    ]
    Deadline.objects.filter(pk__in=ids).update(due_at=timezone.now() - dt.timedelta(days=1))
    return ids


def test_two_runs_at_once_mark_each_deadline_once(service, make_deadline):
    ids = _backlog(make_deadline, 12)
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(services.deadlines_mark_missed(batch_size=5))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(results) == 12
    assert set(Deadline.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        DeadlineStatus.MISSED
    }
    per_deadline = (
        AuditEvent.objects.filter(action="deadline.missed")
        .values("target_id")
        .annotate(n=Count("id"))
    )
    assert sorted(row["target_id"] for row in per_deadline) == sorted(str(pk) for pk in ids)
    assert {row["n"] for row in per_deadline} == {1}
    escalations = Reminder.objects.filter(kind="escalation").values("deadline_id", "recipient_id")
    assert escalations.count() == escalations.distinct().count() > 0
    assert chain_verify(organisation_id=service.organisation.pk).problem is None
    assert services.deadlines_mark_missed() == 0


def test_a_batch_is_a_fixed_number_of_queries(service, make_deadline):
    from django.test.utils import CaptureQueriesContext

    _backlog(make_deadline, 3)
    with CaptureQueriesContext(connection) as few:
        services.deadlines_mark_missed(batch_size=100)
    _backlog(make_deadline, 30)
    with CaptureQueriesContext(connection) as many:
        services.deadlines_mark_missed(batch_size=100)
    # The supervisor and policy lookups are cached across the batch: no query per deadline.
    assert len(many.captured_queries) <= len(few.captured_queries) + 2
