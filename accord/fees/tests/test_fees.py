"""Fees end to end through the services and pages: schedule, sharing, invoices with legal aid
and the voucher, numbering, credit notes, payments, reports, and who sees what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.models import Participant
from accord.cases.progress import PartNotApplicable, next_steps, party_actions
from accord.core.errors import NotPermitted, ValidationFailed
from accord.deadlines.models import DeadlineStatus
from accord.documents.models import DocumentShare
from accord.fees import reports, selectors, services
from accord.fees.models import FeeRate, Invoice, InvoiceLine, Payment
from accord.mediation.models import MediationSession
from accord.meetings.models import Miam
from accord.meetings.services.funding import funding_record

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = dt.date(2026, 1, 1)


def _party(case: Any, name: str) -> Participant:
    return Participant.objects.get(case=case, full_name=name)


def _schedule(service: Any, kind: str = "family_children") -> None:
    for item, amount, vat in (
        ("miam", "120.00", False),
        ("session_hour", "120.00", True),
        ("document", "150.00", False),
    ):
        services.fee_rate_add(
            actor=service.admin,
            organisation=service.organisation,
            case_kind=kind,
            item=item,
            amount=amount,
            vat_applies=vat,
            effective_from=TODAY,
        )


def _held_miam(service: Any, case: Any, party: Participant, days_ago: int) -> Miam:
    when = timezone.now() - dt.timedelta(days=days_ago)
    miam = Miam.objects.create(
        organisation=service.organisation,
        case=case,
        mediator=service.mediator,
        starts_at=when,
        mode="video",
        place="https://video.example/m",
        status="held",
        held_recorded_at=when,
    )
    miam.attendees.set([party])
    return miam


def _held_session(service: Any, case: Any, number: int, days_ago: int, minutes: int = 120) -> Any:
    start = timezone.now() - dt.timedelta(days=days_ago)
    session = MediationSession.objects.create(
        organisation=service.organisation,
        case=case,
        number=number,
        format="joint",
        starts_at=start,
        duration_minutes=minutes,
        mode="video",
        place="https://v.example",
        status="held",
        started_at=start,
        ended_at=start + dt.timedelta(minutes=minutes),
    )
    session.attendees.set(case.participants.all())
    return session


@pytest.fixture
def family(service: Any) -> Any:
    """Alice legally aided (passported), Bob with a £100 voucher; MIAMs and two sessions held."""
    case = service.case
    _schedule(service)
    alice, bob = _party(case, "Alice Smith"), _party(case, "Bob Jones")
    _held_miam(service, case, alice, 20)
    _held_miam(service, case, bob, 19)
    _held_session(service, case, 1, 10)
    _held_session(service, case, 2, 5)
    services.means_assessment_record(
        actor=service.coordinator,
        participant=alice,
        evidence="passported",
        benefit="universal_credit",
        disposable_capital="500.00",
        assessed_on=timezone.localdate(),
        evidence_note="Universal Credit statement seen.",
    )
    funding_record(
        actor=service.coordinator, participant=bob, kind="voucher", voucher_amount=D("100.00")
    )
    return case


def test_overlapping_fee_periods_are_refused_with_a_clear_message(service: Any) -> None:
    _schedule(service)
    with pytest.raises(ValidationFailed) as exc:
        services.fee_rate_add(
            actor=service.admin,
            organisation=service.organisation,
            case_kind="family_children",
            item="miam",
            amount="130.00",
            vat_applies=False,
            effective_from=dt.date(2027, 1, 1),
        )
    assert "overlaps the mIAM" not in str(exc.value.field_errors)
    assert "overlaps" in exc.value.field_errors["effective_from"][0]
    rate = FeeRate.objects.get(item="miam")
    services.fee_rate_end(actor=service.admin, rate=rate, effective_to=dt.date(2026, 12, 31))
    services.fee_rate_add(
        actor=service.admin,
        organisation=service.organisation,
        case_kind="family_children",
        item="miam",
        amount="130.00",
        vat_applies=False,
        effective_from=dt.date(2027, 1, 1),
    )
    assert FeeRate.objects.filter(item="miam").count() == 2


@pytest.mark.parametrize("amount", ["12.345", "-1", "99999999", "ten"])
def test_bad_fee_amounts_save_nothing(service: Any, amount: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.fee_rate_add(
            actor=service.admin,
            organisation=service.organisation,
            case_kind="civil",
            item="miam",
            amount=amount,
            vat_applies=False,
            effective_from=TODAY,
        )
    assert exc.value.field_errors["amount"]
    assert not FeeRate.objects.exists()


def test_only_the_admin_changes_the_schedule(service: Any) -> None:
    with pytest.raises(NotPermitted):
        services.fee_rate_add(
            actor=service.mediator,
            organisation=service.organisation,
            case_kind="civil",
            item="miam",
            amount="1",
            vat_applies=False,
            effective_from=TODAY,
        )


def test_invoices_leave_off_aided_work_and_apply_the_voucher(family: Any, service: Any) -> None:
    drafts = services.invoices_raise(actor=service.coordinator, case=family)
    bob = _party(family, "Bob Jones")
    assert [d.participant_id for d in drafts] == [bob.pk]  # Alice is legally aided
    lines = list(drafts[0].lines.values_list("kind", "gross"))
    # Bob's MIAM and first session are free; his half of session 2 (2 h x £120 + VAT) is £144,
    # of which the voucher pays £100.
    assert lines == [("session", D("144.00")), ("voucher", D("-100.00"))]
    assert drafts[0].total == D("44.00")


def test_the_voucher_is_only_for_child_arrangements(service: Any) -> None:
    civil = service.cases["civil"]
    carol = _party(civil, "Carol Brown")
    with pytest.raises(ValidationFailed):
        funding_record(
            actor=service.coordinator, participant=carol, kind="voucher", voucher_amount=D("100")
        )
    with pytest.raises(PartNotApplicable):
        services.voucher_reference_set(actor=service.coordinator, case=civil, fmc_reference="X")


def test_issue_numbers_freezes_shares_and_sets_a_payment_deadline(
    family: Any, service: Any
) -> None:
    draft = services.invoices_raise(actor=service.coordinator, case=family)[0]
    invoice = services.invoice_issue(actor=service.coordinator, invoice=draft)
    assert invoice.number == 1 and invoice.display_number() == "INV-00001"
    assert DocumentShare.objects.filter(
        version=invoice.document_version, participant=invoice.participant
    ).exists()
    assert invoice.deadline is not None and invoice.due_on == timezone.localdate() + dt.timedelta(
        30
    )
    with pytest.raises(ValidationFailed, match="credit note"):
        services.invoice_update(actor=service.coordinator, invoice=invoice, note="Changed")
    with pytest.raises(ValidationFailed, match="credit note"):
        services.invoice_discard(actor=service.coordinator, invoice=invoice)
    # Nothing more to invoice: the same events are never invoiced twice.
    with pytest.raises(ValidationFailed, match="nothing to invoice"):
        services.invoices_raise(actor=service.coordinator, case=family)
    assert AuditEvent.objects.filter(action="fees.invoice_issued").count() == 1


def test_payments_clear_the_invoice_and_meet_the_deadline(family: Any, service: Any) -> None:
    invoice = services.invoice_issue(
        actor=service.coordinator,
        invoice=services.invoices_raise(actor=service.coordinator, case=family)[0],
    )
    with pytest.raises(ValidationFailed) as exc:
        services.payment_record(
            actor=service.coordinator,
            invoice=invoice,
            paid_on=timezone.localdate(),
            amount="50.00",
            method="card",
        )
    assert "more than" in exc.value.field_errors["confirm_overpayment"][0]
    assert not Payment.objects.exists()
    for bad in ("4.001", "-4", "1000000"):
        with pytest.raises(ValidationFailed):
            services.payment_record(
                actor=service.coordinator,
                invoice=invoice,
                paid_on=timezone.localdate(),
                amount=bad,
                method="card",
            )
    services.payment_record(
        actor=service.coordinator,
        invoice=invoice,
        paid_on=timezone.localdate(),
        amount="44.00",
        method="bank_transfer",
        reference="BACS 123",
    )
    invoice.refresh_from_db()
    assert services.balance_of(invoice) == 0
    assert invoice.deadline is not None
    invoice.deadline.refresh_from_db()
    assert invoice.deadline.status == DeadlineStatus.MET
    _balances, owed = selectors.balances_for_staff(user=service.coordinator, case=family)
    assert owed == 0
    csv_text = reports.payments_csv(
        service.organisation, timezone.localdate(), timezone.localdate()
    )
    assert "INV-00001" in csv_text and "44.00" in csv_text


def test_a_credit_note_corrects_an_issued_invoice(family: Any, service: Any) -> None:
    invoice = services.invoice_issue(
        actor=service.coordinator,
        invoice=services.invoices_raise(actor=service.coordinator, case=family)[0],
    )
    with pytest.raises(ValidationFailed):
        services.credit_note_issue(
            actor=service.coordinator, invoice=invoice, amount="45", reason="Too much"
        )
    note = services.credit_note_issue(
        actor=service.coordinator, invoice=invoice, amount="44.00", reason="Session was shorter"
    )
    assert note.number == 2 and note.display_number() == "CN-00002" and note.total == D("-44.00")
    assert services.balance_of(invoice) == 0
    # Fully credited: its events may be invoiced again, correctly.
    again = services.invoices_raise(actor=service.coordinator, case=family)
    assert again[0].total == D("44.00")


def test_sharing_percentages_must_add_up(family: Any, service: Any) -> None:
    alice, bob = _party(family, "Alice Smith"), _party(family, "Bob Jones")
    with pytest.raises(ValidationFailed, match="sharing"):
        services.fee_sharing_set(
            actor=service.coordinator,
            case=family,
            basis="percentages",
            percentages={alice.pk: "60", bob.pk: "30"},
        )
    services.fee_sharing_set(
        actor=service.coordinator,
        case=family,
        basis="percentages",
        percentages={alice.pk: "25", bob.pk: "75"},
    )
    draft = services.invoices_raise(actor=service.coordinator, case=family)[0]
    assert draft.lines.get(kind="session").gross == D("216.00")  # 75 % of £288


def test_a_party_sees_only_their_own_issued_invoices(family: Any, service: Any) -> None:
    Funding = __import__("accord.meetings.models", fromlist=["Funding"]).Funding
    Funding.objects.filter(participant__full_name="Alice Smith").delete()
    from accord.fees.models import MeansAssessment

    MeansAssessment.objects.all().delete()
    drafts = services.invoices_raise(actor=service.coordinator, case=family)
    assert len(drafts) == 2
    bob_draft = next(d for d in drafts if d.participant.full_name == "Bob Jones")
    alice_draft = next(d for d in drafts if d.participant.full_name == "Alice Smith")
    services.invoice_issue(actor=service.coordinator, invoice=alice_draft)
    alice, bob = service.parties["alice"], service.parties["bob"]
    assert [r.invoice.pk for r in selectors.invoices_for_party(user=alice, case=family)] == [
        alice_draft.pk
    ]
    assert selectors.invoices_for_party(user=bob, case=family) == []  # Bob's is still a draft
    client = Client()
    client.force_login(bob)
    page = client.get(reverse("portal:case", args=[family.pk])).content.decode()
    assert "INV-00001" not in page
    client.force_login(alice)
    page = client.get(reverse("portal:case", args=[family.pk])).content.decode()
    assert "INV-00001" in page and "Invoices" in page
    assert client.get(reverse("fees:case", args=[family.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("fees:invoice", args=[family.pk, bob_draft.pk])).status_code in (
        302,
        403,
        404,
    )
    actions = [a.text for a in party_actions(family, _party(family, "Alice Smith"))]
    assert any("Pay invoice INV-00001" in text for text in actions)
    assert not [a for a in party_actions(family, _party(family, "Bob Jones")) if a.part == "fees"]


def test_next_steps_ask_to_raise_issue_and_chase(family: Any, service: Any) -> None:
    texts = [s.text for s in next_steps(family, user=service.coordinator)]
    assert any("Raise the invoice for Bob Jones" in t for t in texts)
    draft = services.invoices_raise(actor=service.coordinator, case=family)[0]
    texts = [s.text for s in next_steps(family, user=service.coordinator)]
    assert any("Issue the draft invoice for Bob Jones" in t for t in texts)
    invoice = services.invoice_issue(actor=service.coordinator, invoice=draft)
    Invoice.objects.filter(pk=invoice.pk).update(due_on=timezone.localdate() - dt.timedelta(1))
    steps = [s for s in next_steps(family, user=service.coordinator) if s.part == "fees"]
    assert steps and steps[0].urgent and "overdue" in steps[0].text


def test_pages_work_for_staff(family: Any, service: Any) -> None:
    client = Client()
    client.force_login(service.admin)
    assert client.get(reverse("fees:schedule")).status_code == 200
    response = client.post(
        reverse("fees:schedule"),
        {
            "case_kind": "civil",
            "item": "miam",
            "amount": "12.345",
            "effective_from": "1 1 2026",
        },
    )
    assert response.status_code == 422 and "two decimal places" in response.content.decode()
    assert (
        client.get(reverse("cases:detail", args=[family.pk]) + "?section=fees").status_code == 200
    )
    assert client.get(reverse("fees:case", args=[family.pk])).status_code == 200
    assert client.post(reverse("fees:raise", args=[family.pk])).status_code == 302
    draft = Invoice.objects.get()
    assert client.get(reverse("fees:invoice", args=[family.pk, draft.pk])).status_code == 200
    assert client.post(reverse("fees:issue", args=[family.pk, draft.pk])).status_code == 302
    assert client.get(reverse("fees:payment", args=[family.pk, draft.pk])).status_code == 200
    response = client.post(
        reverse("fees:payment", args=[family.pk, draft.pk]),
        {
            "paid_on": timezone.localdate().strftime("%d/%m/%Y"),
            "amount": "44.00",
            "method": "card",
            "reference": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    for name in ("fees:sharing", "fees:means", "fees:voucher"):
        assert client.get(reverse(name, args=[family.pk])).status_code == 200
    for export in ("payments", "invoices", "claims", "vouchers"):
        response = client.get(reverse("fees:reports"), {"export": export})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert client.get(reverse("fees:reports")).status_code == 200


def test_legal_aid_claims_and_voucher_reports(family: Any, service: Any) -> None:
    services.voucher_reference_set(actor=service.coordinator, case=family, fmc_reference="FMC-77")
    today = timezone.localdate()
    months = {(today - dt.timedelta(days=d)).strftime("%Y-%m") for d in (20, 19, 10, 5)}
    rows = []
    for month in months:
        year, mon = (int(x) for x in month.split("-"))
        rows += reports.claims_rows(service.organisation, year, mon)
    items = sorted(str(r[1]) for r in rows)
    assert items.count("MIAM") == 2 and "Session 1" in items and "Session 2" in items
    assert reports.voucher_rows(service.organisation) == [
        [family.reference, "FMC-77", "100.00", "0.00"]
    ]
    assert not InvoiceLine.objects.exists()


def test_the_api_follows_the_same_policy(family: Any, service: Any) -> None:
    from accord.api.tests.conftest import token_client

    admin = token_client(service.admin)
    assert admin.get("/fees/schedule").status_code == 200
    bad = admin.post(
        "/fees/schedule",
        {"case_kind": "civil", "item": "miam", "amount": "1.999", "effective_from": "2026-01-01"},
    )
    assert bad.status_code == 422 and "decimal" in str(bad.json())
    overlap = admin.post(
        "/fees/schedule",
        {
            "case_kind": "family_children",
            "item": "miam",
            "amount": "1.00",
            "effective_from": "2026-06-01",
        },
    )
    assert overlap.status_code == 422
    assert token_client(service.mediator).get("/fees/schedule").status_code == 404
    staff = token_client(service.coordinator)
    raised = staff.post(f"/cases/{family.pk}/invoices", {})
    assert raised.status_code == 201, raised.json()
    invoice_id = raised.json()[0]["id"]
    issued = staff.post(f"/cases/{family.pk}/invoices/{invoice_id}/issue", {})
    assert issued.status_code == 200 and issued.json()["number"] == "INV-00001"
    url = f"/cases/{family.pk}/invoices/{invoice_id}/payments"
    today = timezone.localdate().isoformat()
    too_much = staff.post(url, {"paid_on": today, "amount": "50.00", "method": "card"})
    assert too_much.status_code == 422 and not Payment.objects.exists()
    paid = staff.post(url, {"paid_on": today, "amount": "44.00", "method": "card"})
    assert paid.status_code == 201
    bob = token_client(service.parties["bob"])
    assert [i["balance"] for i in bob.get(f"/cases/{family.pk}/invoices").json()] == ["0.00"]
    alice = token_client(service.parties["alice"])
    assert alice.get(f"/cases/{family.pk}/invoices").json() == []
    assert (
        alice.post(url, {"paid_on": today, "amount": "1.00", "method": "card"}).status_code == 404
    )


def test_the_invoice_pdf_is_shared_with_its_party_only(family: Any, service: Any) -> None:
    invoice = services.invoice_issue(
        actor=service.coordinator,
        invoice=services.invoices_raise(actor=service.coordinator, case=family)[0],
    )
    shares = DocumentShare.objects.filter(version=invoice.document_version)
    assert [s.participant.full_name for s in shares] == ["Bob Jones"]
    alice = Client()
    alice.force_login(service.parties["alice"])
    assert invoice.document_version is not None
    url = reverse("documents:download", args=[invoice.document_version.pk])
    assert alice.get(url).status_code == 404
    bob = Client()
    bob.force_login(service.parties["bob"])
    assert bob.get(url).status_code == 200


def test_the_reports_page_for_a_month_shows_no_date_errors(family: Any, service: Any) -> None:
    client = Client()
    client.force_login(service.coordinator)
    page = client.get(reverse("fees:reports"), {"month": "2026-11"})
    assert page.status_code == 200 and "There is a problem" not in page.content.decode()
    client.force_login(service.mediator)
    assert client.get(reverse("fees:reports")).status_code == 404
