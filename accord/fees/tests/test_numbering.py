"""Invoice numbers are sequential per service without gaps, even when two people issue at once
(two threads, each with its own database connection, against committed data, on whichever
database the run uses), and a failed issue gives its number back."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from accord.fees import services
from accord.fees.models import Invoice
from accord.fees.tests.test_fees import _held_miam, _party, _schedule
from accord.testing.factories import build_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def drafts() -> tuple[Any, list[Invoice]]:
    svc = build_service()
    _schedule(svc)
    case = svc.case
    _held_miam(svc, case, _party(case, "Alice Smith"), 3)
    _held_miam(svc, case, _party(case, "Bob Jones"), 2)
    return svc, services.invoices_raise(actor=svc.coordinator, case=case)


def test_two_invoices_issued_at_once_take_consecutive_numbers(drafts: Any) -> None:
    svc, invoices = drafts
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(invoice: Invoice) -> None:
        try:
            barrier.wait()
            services.invoice_issue(actor=svc.coordinator, invoice=invoice)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in invoices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(n or 0 for n in Invoice.objects.values_list("number", flat=True)) == [1, 2]


def test_a_failed_issue_leaves_no_gap(drafts: Any, monkeypatch: Any) -> None:
    svc, invoices = drafts

    def broken(*args: Any) -> None:
        raise RuntimeError("The PDF could not be stored.")

    # Fails inside the short transaction, after the number was taken.
    monkeypatch.setattr(services, "_store_pdf", broken)
    with pytest.raises(RuntimeError):
        services.invoice_issue(actor=svc.coordinator, invoice=invoices[0])
    monkeypatch.undo()
    issued = services.invoice_issue(actor=svc.coordinator, invoice=invoices[1])
    assert issued.number == 1
