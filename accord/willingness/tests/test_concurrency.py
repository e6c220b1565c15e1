"""The lapse sweep run twice at once, as two workers may: each invitation lapses once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accord.audit.models import AuditEvent
from accord.cases.models import Participant
from accord.willingness import services
from accord.willingness.models import WillingnessInvitation
from accord.willingness.tests.helpers import invite, overdue


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_lapse_each_invitation_exactly_once(service):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent sweeps need PostgreSQL row locks; set DATABASE_URL=postgres://...")
    carol = Participant.objects.get(full_name="Carol Brown")
    invitations = [invite(service), invite(service, case=service.cases["civil"], participant=carol)]
    for invitation in invitations:
        overdue(invitation)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.invitations_lapse_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(results) == 2 and len(results) == 2
    assert set(WillingnessInvitation.objects.values_list("status", flat=True)) == {"lapsed"}
    assert AuditEvent.objects.filter(action="willingness.lapsed").count() == 2
    assert AuditEvent.objects.filter(action="willingness.not_engaging").count() == 2
