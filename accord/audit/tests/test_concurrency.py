"""Two transactions appending to one chain at once must queue, never fork it (PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import close_old_connections, connection, connections, transaction

from accord.audit.chain import GENESIS_HASH
from accord.audit.models import AuditChainHead, AuditEvent
from accord.audit.services import audit_record
from accord.audit.verification import chain_verify
from accord.organisations.models import Organisation

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one writer at a time; row locks only matter on PostgreSQL",
    ),
    # Committed data, so real concurrent transactions. Seeded reference rows that the flush
    # removes are restored by the root conftest, so no serialized rollback is needed.
    pytest.mark.django_db(transaction=True),
]

WRITERS = 4
EVENTS_EACH = 15


def _append_many(organisation_id: int, writer: int, start: threading.Barrier, errors: list) -> None:
    """Append events from this thread's own database connection, holding each lock a moment."""
    try:
        start.wait(timeout=30)
        for number in range(EVENTS_EACH):
            with transaction.atomic():
                audit_record(
                    organisation_id=organisation_id,
                    actor=None,
                    action="test.concurrent",
                    target=Organisation(pk=organisation_id),
                    details={"writer": writer, "number": number},
                )
                time.sleep(0.002)  # widen the window in which another writer could interleave
    except Exception as exc:  # collected and asserted in the main thread
        errors.append(exc)
    finally:
        connections.close_all()


def _run_writers(organisation_id: int) -> list:
    start = threading.Barrier(WRITERS)
    errors: list = []
    threads = [
        threading.Thread(target=_append_many, args=(organisation_id, writer, start, errors))
        for writer in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    return errors


def _assert_single_line(organisation_id: int, total: int) -> None:
    rows = list(
        AuditEvent.objects.filter(organisation_id=organisation_id)
        .order_by("sequence")
        .values_list("sequence", "previous_hash", "hash")
    )
    assert [sequence for sequence, _, _ in rows] == list(range(1, total + 1))
    previous = GENESIS_HASH
    for _, previous_hash, event_hash in rows:
        assert previous_hash == previous  # exactly one successor per event: no fork
        previous = event_hash
    head = AuditChainHead.objects.get(organisation_id=organisation_id)
    assert (head.last_sequence, head.last_hash) == (total, previous)
    assert chain_verify(organisation_id=organisation_id).problem is None


def test_concurrent_appends_queue_on_the_chain_head():
    organisation = Organisation.objects.create(name="Busy Service", slug="busy")
    with transaction.atomic():
        audit_record(
            organisation_id=organisation.pk, actor=None, action="test.first", target=organisation
        )
    errors = _run_writers(organisation.pk)
    assert errors == []
    _assert_single_line(organisation.pk, 1 + WRITERS * EVENTS_EACH)
    writers = AuditEvent.objects.filter(action="test.concurrent").values_list(
        "details__writer", flat=True
    )
    assert set(writers) == set(range(WRITERS))


def test_concurrent_first_appends_create_one_head():
    # No head row yet: every writer races to create it.
    organisation = Organisation.objects.create(name="New Service", slug="new-service")
    errors = _run_writers(organisation.pk)
    assert errors == []
    assert AuditChainHead.objects.filter(organisation=organisation).count() == 1
    _assert_single_line(organisation.pk, WRITERS * EVENTS_EACH)
