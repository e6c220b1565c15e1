"""Every personal-data model of the apps built after records (finance, children, send, fees,
complaints) is known to erasure, retention and subject access: invoices under the "invoices"
schedule, the audit chain still verifying after a sweep."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accord.audit.verification import chain_verify
from accord.cases.models import Case, Participant
from accord.fees import services as fees
from accord.fees.models import Invoice, MeansAssessment, Payment
from accord.fees.tests.test_fees import family  # noqa: F401  (the fixture)
from accord.finance.models import Disclosure, DisclosureItem
from accord.records import erasure, retention, subject_access
from accord.records.models import SubjectAccessRequest

pytestmark = pytest.mark.django_db

NEWER_APPS = ("finance", "children", "send", "fees", "complaints")


def test_every_personal_data_model_is_registered() -> None:
    registered = {t.model for t in erasure.TARGETS}
    for app in NEWER_APPS:
        for model in apps.get_app_config(app).get_models():
            label = f"{app}.{model.__name__}"
            assert (label in registered) != (label in erasure.NO_PERSONAL_DATA), label
    invoice_targets = {t.model for t in erasure.TARGETS if t.kind == "invoices"}
    assert invoice_targets == {"fees.Invoice", "fees.Payment", "fees.MeansAssessment"}
    # Every registered path resolves (a wrong one would only fail on the day of a sweep).
    for target in erasure.TARGETS:
        assert erasure.count(target.kind, [0], [0] if target.person_path else None) == 0


def _invoiced_and_paid(case: Any, service: Any) -> Invoice:
    invoice = fees.invoice_issue(
        actor=service.coordinator,
        invoice=fees.invoices_raise(actor=service.coordinator, case=case)[0],
    )
    fees.payment_record(
        actor=service.coordinator,
        invoice=invoice,
        paid_on=timezone.localdate(),
        amount="44.00",
        method="bank_transfer",
        reference="BACS BOB JONES",
    )
    return invoice


def _close(case: Any, years_ago: int) -> None:
    closed = timezone.now() - dt.timedelta(days=365 * years_ago + 10)
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_at=closed)


def test_invoices_are_kept_for_their_own_period_then_erased_and_the_chain_verifies(
    family: Any,  # noqa: F811
    service: Any,
) -> None:
    invoice = _invoiced_and_paid(family, service)
    Invoice.objects.filter(pk=invoice.pk).update(note="Bob asked to pay by instalments")
    retention.retention_schedule_set(
        actor=service.admin,
        organisation=service.organisation,
        legal_minimum_years=6,
        case_file_years=6,
        financial_years=6,
        safeguarding_years=6,
        complaints_years=6,
        invoices_years=10,
        audit_years=6,
    )
    _close(family, 7)
    report = retention.retention_sweep(organisation=service.organisation, dry_run=False)
    kinds = {k.kind: k for k in report.kinds}
    assert kinds["invoices"].due == 0 and not kinds["invoices"].note
    assert not Participant.objects.filter(case=family, full_name="Bob Jones").exists()
    invoice.refresh_from_db()
    assert invoice.note == "Bob asked to pay by instalments"  # still inside its 10 years
    assert Payment.objects.get(invoice=invoice).reference == "BACS BOB JONES"

    later = timezone.localdate() + dt.timedelta(days=365 * 4)
    report = retention.retention_sweep(
        organisation=service.organisation, dry_run=False, today=later
    )
    kinds = {k.kind: k for k in report.kinds}
    assert kinds["invoices"].due >= 1 and kinds["invoices"].rows >= 3
    invoice.refresh_from_db()
    assert invoice.note == "" and invoice.number == 1 and str(invoice.total) == "44.00"
    assert Payment.objects.get(invoice=invoice).reference == ""
    means = MeansAssessment.objects.get(case=family)
    assert means.evidence_note == erasure.ERASED and means.disposable_capital is None
    assert chain_verify(organisation_id=service.organisation.pk).intact
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue().lower()


def test_a_persons_export_has_their_invoices_and_disclosure_and_withholds_the_others(
    family: Any,  # noqa: F811
    client: Any,
    service: Any,
) -> None:
    _invoiced_and_paid(family, service)
    alice = Participant.objects.get(case=family, full_name="Alice Smith")
    bob = Participant.objects.get(case=family, full_name="Bob Jones")
    for who, owner, words in ((alice, "a", "Alice's ISA"), (bob, "b", "Bob's pension")):
        disclosure = Disclosure.objects.create(
            organisation=service.organisation, case=family, participant=who
        )
        DisclosureItem.objects.create(
            disclosure=disclosure,
            part="accounts",
            description=words,
            owner=owner,
            value_pence=1234500,
            valuation_date=dt.date(2026, 1, 1),
        )
    export = subject_access.gather(bob)
    data = json.dumps(export.as_json())
    assert "Bob's pension" in data and "12345.00" in data
    assert "Alice's ISA" not in data
    assert "BACS BOB JONES" in data and "INV-00001" in data
    assert "Universal Credit" not in data  # Alice's legal aid evidence is hers
    withheld = {w.category: w.count for w in export.withheld}
    assert withheld["Other parties' financial disclosure not shared with you"] == 1
    alice_export = json.dumps(subject_access.gather(alice).as_json())
    assert "Universal Credit statement seen." in alice_export and "INV-00001" not in alice_export
    # Through the page: the ZIP's PDF is built from the same data.
    sar = SubjectAccessRequest.objects.create(
        organisation=service.organisation,
        participant=bob,
        received_on=timezone.localdate(),
        due_at=timezone.now() + dt.timedelta(days=30),
    )
    client.force_login(service.admin)
    response = client.post(reverse("records:sar_export", args=[sar.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "Bob's pension" in archive.read("data.json").decode()
