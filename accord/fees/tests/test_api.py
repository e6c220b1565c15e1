"""The fees API does what the fees pages do, through the same services and policy: each
operation's effect (rows and audit), who is refused (404 hidden, 403 seen but not permitted),
and bad input (422 naming the field, nothing saved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.fees import services
from accord.fees.models import (
    FeeRate,
    FeeSharing,
    Invoice,
    MeansAssessment,
    MeansThreshold,
    Payment,
    VoucherReference,
)
from accord.fees.tests.test_fees import (  # noqa: F401 (family is a fixture)
    _held_miam,
    _held_session,
    _party,
    _schedule,
    family,
)

pytestmark = pytest.mark.django_db

D = Decimal


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.fixture
def case(family: Any) -> Any:  # noqa: F811 (the fixture, imported above)
    """test_fees' `family`: Alice passported (legal aid), Bob with a £100 voucher, MIAMs and
    two sessions held; Bob owes £44 once invoiced."""
    return family


@pytest.fixture
def staff(service: Any) -> Any:
    return token_client(service.coordinator)


def _draft(service: Any, case: Any) -> Invoice:
    return services.invoices_raise(actor=service.coordinator, case=case)[0]


def _issued(service: Any, case: Any) -> Invoice:
    return services.invoice_issue(actor=service.coordinator, invoice=_draft(service, case))


# Ending a fee -------------------------------------------------------------------------------


def test_an_admin_ends_a_fee_and_a_new_one_can_follow(service: Any, case: Any) -> None:
    rate = FeeRate.objects.get(item="miam")
    admin = token_client(service.admin)

    response = admin.post(f"/fees/schedule/{rate.pk}/end", {"effective_to": "2026-12-31"})

    assert response.status_code == 200, response.json()
    assert response.json()["effective_to"] == "2026-12-31"
    rate.refresh_from_db()
    assert rate.effective_to == dt.date(2026, 12, 31)
    assert _events("fees.rate_ended") == 1
    follow = {
        "case_kind": "family_children",
        "item": "miam",
        "amount": "130.00",
        "effective_from": "2027-01-01",
    }
    assert admin.post("/fees/schedule", follow).status_code == 201


def test_ending_a_fee_is_for_the_services_admins(
    service: Any, other_service: Any, case: Any
) -> None:
    rate = FeeRate.objects.get(item="miam")
    url = f"/fees/schedule/{rate.pk}/end"
    body = {"effective_to": "2026-12-31"}

    assert token_client(service.coordinator).post(url, body).status_code == 403
    assert token_client(service.mediator).post(url, body).status_code == 404
    assert token_client(other_service.admin).post(url, body).status_code == 404
    rate.refresh_from_db()
    assert rate.effective_to is None and _events("fees.rate_ended") == 0


@pytest.mark.parametrize("day", ["2025-12-31", "31/12/2026", ""])
def test_a_bad_last_day_is_a_422_naming_it(service: Any, case: Any, day: str) -> None:
    rate = FeeRate.objects.get(item="miam")

    response = token_client(service.admin).post(
        f"/fees/schedule/{rate.pk}/end", {"effective_to": day}
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["effective_to"]
    rate.refresh_from_db()
    assert rate.effective_to is None


# Legal aid thresholds -----------------------------------------------------------------------

THRESHOLDS = {
    "effective_from": "2026-01-01",
    "gross_monthly_income": "2700.00",
    "children_included": 4,
    "per_extra_child": "230.00",
    "disposable_monthly_income": "750.00",
    "disposable_capital": "8500.00",
    "source": "LAA guidance checked by the service.",
}


def test_an_admin_adds_the_services_thresholds_which_then_apply(service: Any) -> None:
    admin = token_client(service.admin)

    response = admin.post("/fees/legal-aid-thresholds", THRESHOLDS)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["national"] is False and body["in_force"] is True
    assert body["disposable_capital"] == "8500.00"
    row = MeansThreshold.objects.get(organisation=service.organisation)
    assert row.gross_monthly_income == D("2700.00") and row.confirmed
    assert _events("fees.means_thresholds_added") == 1
    listed = token_client(service.coordinator).get("/fees/legal-aid-thresholds").json()
    assert [r["id"] for r in listed if r["in_force"]] == [row.pk]
    assert any(r["national"] for r in listed)


def test_thresholds_are_read_by_the_office_and_added_by_admins_only(service: Any) -> None:
    coordinator = token_client(service.coordinator)

    assert coordinator.get("/fees/legal-aid-thresholds").status_code == 200
    assert coordinator.post("/fees/legal-aid-thresholds", THRESHOLDS).status_code == 403
    mediator = token_client(service.mediator)
    assert mediator.get("/fees/legal-aid-thresholds").status_code == 404
    assert mediator.post("/fees/legal-aid-thresholds", THRESHOLDS).status_code == 404
    assert not MeansThreshold.objects.filter(organisation=service.organisation).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("disposable_capital", "8500.001"),
        ("gross_monthly_income", "-1"),
        ("per_extra_child", "lots"),
        ("children_included", 21),
        ("source", ""),
    ],
)
def test_bad_thresholds_are_a_422_naming_the_field(service: Any, field: str, value: Any) -> None:
    response = token_client(service.admin).post(
        "/fees/legal-aid-thresholds", {**THRESHOLDS, field: value}
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert not MeansThreshold.objects.filter(organisation=service.organisation).exists()
    assert _events("fees.means_thresholds_added") == 0


# Exports ------------------------------------------------------------------------------------


def test_the_office_downloads_the_four_exports(service: Any, case: Any, staff: Any) -> None:
    invoice = _issued(service, case)
    services.payment_record(
        actor=service.coordinator,
        invoice=invoice,
        paid_on=timezone.localdate(),
        amount="44.00",
        method="card",
        reference="CARD 9",
    )
    services.voucher_reference_set(actor=service.coordinator, case=case, fmc_reference="FMC-77")
    today = timezone.localdate().isoformat()

    payments = staff.get("/fees/reports/payments", start=today, end=today)
    invoices = staff.get("/fees/reports/invoices")
    vouchers = staff.get("/fees/reports/voucher-claims")
    month = (timezone.localdate() - dt.timedelta(days=5)).strftime("%Y-%m")
    claims = staff.get("/fees/reports/legal-aid-claims", month=month)

    for response in (payments, invoices, vouchers, claims):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment")
    assert "INV-00001" in payments.content.decode() and "44.00" in payments.content.decode()
    assert "INV-00001" in invoices.content.decode()
    assert f"{case.reference},FMC-77,100.00" in vouchers.content.decode()
    assert "Alice Smith" in claims.content.decode() and "legal aid" in claims.content.decode()


def test_the_exports_are_hidden_from_mediators_and_parties(service: Any, case: Any) -> None:
    for user in (service.mediator, service.parties["bob"]):
        client = token_client(user)
        for path in ("payments", "invoices", "legal-aid-claims", "voucher-claims"):
            assert client.get(f"/fees/reports/{path}").status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("payments", {"start": "2026-05-02", "end": "2026-05-01"}, "end"),
        ("invoices", {"start": "not a date"}, "start"),
        ("legal-aid-claims", {"month": "2026-13"}, "month"),
        ("legal-aid-claims", {"month": "9999-12"}, "month"),
        ("voucher-claims", {"month": "2026-11"}, "month"),
    ],
)
def test_bad_export_parameters_are_a_422_naming_them(
    staff: Any, path: str, params: dict[str, str], field: str
) -> None:
    response = staff.get(f"/fees/reports/{path}", **params)

    assert response.status_code == 422
    assert field in response.json()["errors"]


# A case's fees: summary, sharing, voucher, means --------------------------------------------


def test_the_case_summary_shows_balances_and_what_is_not_invoiced(
    service: Any, case: Any, staff: Any
) -> None:
    bob = _party(case, "Bob Jones")

    before = staff.get(f"/cases/{case.pk}/fees").json()
    _issued(service, case)
    after = staff.get(f"/cases/{case.pk}/fees").json()

    assert [p["participant_id"] for p in before["not_invoiced"]] == [bob.pk]
    assert [line["gross"] for line in before["not_invoiced"][0]["lines"]] == ["144.00", "-100.00"]
    assert any(r["reason"] == "legal aid" for r in before["left_off"])
    assert after["not_invoiced"] == [] and after["owed"] == "44.00"
    assert after["sharing"] == {
        "basis": "equal",
        "payer_id": None,
        "percentages": {},
        "saved": False,
    }
    assert after["voucher"]["voucher_amount"] == "100.00" and after["can_manage"] is True


def test_the_case_summary_is_for_the_cases_staff(
    service: Any, other_service: Any, case: Any
) -> None:
    for user in (service.parties["alice"], service.mediator2, other_service.coordinator):
        assert token_client(user).get(f"/cases/{case.pk}/fees").status_code == 404
    assert token_client(service.mediator).get(f"/cases/{case.pk}/fees").status_code == 200
    # The safeguarding lead reads the workspace but may not change the case.
    lead = token_client(service.safeguarding_lead).get(f"/cases/{case.pk}/fees")
    assert lead.status_code == 200 and lead.json()["can_manage"] is False


def test_sharing_in_percentages_is_saved_and_used_for_the_next_draft(
    service: Any, case: Any, staff: Any
) -> None:
    alice, bob = _party(case, "Alice Smith"), _party(case, "Bob Jones")

    response = staff.put(
        f"/cases/{case.pk}/fees/sharing",
        {"basis": "percentages", "percentages": {str(alice.pk): "25", str(bob.pk): "75"}},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["percentages"] == {str(alice.pk): "25.00", str(bob.pk): "75.00"}
    row = FeeSharing.objects.get(case=case)
    assert row.basis == "percentages" and row.percentages[str(bob.pk)] == "75.00"
    assert _events("fees.sharing_set") == 1
    assert _draft(service, case).lines.get(kind="session").gross == D("216.00")


def test_one_party_pays_all(service: Any, case: Any, staff: Any) -> None:
    bob = _party(case, "Bob Jones")

    response = staff.put(
        f"/cases/{case.pk}/fees/sharing", {"basis": "one_pays", "payer_id": bob.pk}
    )

    assert response.status_code == 200, response.json()
    assert FeeSharing.objects.get(case=case).payer_id == bob.pk


def test_sharing_is_set_by_those_who_may_change_the_case(
    service: Any, other_service: Any, case: Any
) -> None:
    url, body = f"/cases/{case.pk}/fees/sharing", {"basis": "one_pays", "payer_id": 1}

    refused = token_client(service.safeguarding_lead).put(url, {"basis": "equal"})
    assert refused.status_code == 403 and "permission" in refused.json()["detail"]
    for user in (service.parties["bob"], service.mediator2, other_service.coordinator):
        assert token_client(user).put(url, body).status_code == 404
    assert not FeeSharing.objects.exists() and _events("fees.sharing_set") == 0


def test_bad_sharing_is_a_422_naming_the_field(service: Any, case: Any, staff: Any) -> None:
    alice, bob = _party(case, "Alice Smith"), _party(case, "Bob Jones")
    carol = _party(service.cases["civil"], "Carol Brown")
    url = f"/cases/{case.pk}/fees/sharing"

    cases = [
        ({"basis": "halves"}, "basis"),
        ({"basis": "one_pays"}, "payer_id"),
        ({"basis": "one_pays", "payer_id": carol.pk}, "payer_id"),
        (
            {"basis": "percentages", "percentages": {str(alice.pk): "60", str(bob.pk): "30"}},
            "__all__",
        ),
        (
            {"basis": "percentages", "percentages": {str(alice.pk): "50.001", str(bob.pk): "50"}},
            f"percentages.{alice.pk}",
        ),
    ]
    for body, field in cases:
        response = staff.put(url, body)
        assert response.status_code == 422, body
        assert list(response.json()["errors"]) == [field], response.json()
    assert not FeeSharing.objects.exists() and _events("fees.sharing_set") == 0


def test_the_voucher_reference_is_recorded(service: Any, case: Any, staff: Any) -> None:
    response = staff.put(f"/cases/{case.pk}/fees/voucher", {"fmc_reference": "FMC-2026-0045"})

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "fmc_reference": "FMC-2026-0045",
        "voucher_amount": "100.00",
        "claimable_so_far": "0.00",
    }
    assert VoucherReference.objects.get(case=case).fmc_reference == "FMC-2026-0045"
    assert _events("fees.voucher_reference_set") == 1


def test_the_voucher_reference_follows_the_case_policy_and_kind(
    service: Any, case: Any, staff: Any
) -> None:
    body = {"fmc_reference": "FMC-1"}

    assert (
        token_client(service.parties["bob"]).put(f"/cases/{case.pk}/fees/voucher", body).status_code
        == 404
    )
    assert (
        token_client(service.safeguarding_lead)
        .put(f"/cases/{case.pk}/fees/voucher", body)
        .status_code
        == 403
    )
    civil = service.cases["civil"]
    assert staff.put(f"/cases/{civil.pk}/fees/voucher", body).status_code == 422
    assert not VoucherReference.objects.exists()


@pytest.mark.parametrize("reference", ["", "   ", "F" * 41, "FMC\x00"])
def test_a_bad_voucher_reference_is_a_422_naming_it(case: Any, staff: Any, reference: str) -> None:
    response = staff.put(f"/cases/{case.pk}/fees/voucher", {"fmc_reference": reference})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["fmc_reference"]
    assert not VoucherReference.objects.exists()


MEANS = {
    "evidence": "means_assessment",
    "assessed_on": "2026-01-02",
    "evidence_note": "CIVMEANS7 and three months of bank statements.",
    "disposable_capital": "1200.00",
    "gross_monthly_income": "1850.00",
    "disposable_monthly_income": "410.00",
    "dependent_children": 2,
}


def test_a_means_assessment_is_recorded_and_the_funding_follows(
    service: Any, case: Any, staff: Any
) -> None:
    from accord.meetings.models import Funding

    bob = _party(case, "Bob Jones")
    assessed_on = timezone.localdate().isoformat()

    response = staff.post(
        f"/cases/{case.pk}/fees/means",
        {**MEANS, "participant_id": bob.pk, "assessed_on": assessed_on},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["participant_id"] == bob.pk and body["eligible"] is True and body["reasons"]
    row = MeansAssessment.objects.get(participant=bob)
    assert row.disposable_monthly_income == D("410.00") and row.dependent_children == 2
    assert _events("fees.means_assessed") == 2  # Alice's in the fixture, then Bob's
    assert Funding.objects.get(participant=bob).legal_aid_outcome == "eligible"
    listed = staff.get(f"/cases/{case.pk}/fees/means").json()
    assert sorted(r["participant_id"] for r in listed) == sorted(
        [bob.pk, _party(case, "Alice Smith").pk]
    )


def test_means_assessments_follow_the_case_policy(
    service: Any, other_service: Any, case: Any
) -> None:
    bob = _party(case, "Bob Jones")
    url = f"/cases/{case.pk}/fees/means"
    body = {**MEANS, "participant_id": bob.pk, "assessed_on": timezone.localdate().isoformat()}

    assert token_client(service.safeguarding_lead).post(url, body).status_code == 403
    for user in (service.parties["bob"], other_service.coordinator):
        assert token_client(user).post(url, body).status_code == 404
        assert token_client(user).get(url).status_code == 404
    assert not MeansAssessment.objects.filter(participant=bob).exists()


def test_bad_means_input_is_a_422_naming_the_field(service: Any, case: Any, staff: Any) -> None:
    bob = _party(case, "Bob Jones")
    carol = _party(service.cases["civil"], "Carol Brown")
    today = timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    good = {**MEANS, "participant_id": bob.pk, "assessed_on": today}
    url = f"/cases/{case.pk}/fees/means"

    cases = [
        ({**good, "disposable_capital": "12.345"}, "disposable_capital"),
        ({**good, "gross_monthly_income": "-5"}, "gross_monthly_income"),
        ({**good, "disposable_monthly_income": None}, "disposable_monthly_income"),
        ({**good, "participant_id": carol.pk}, "participant_id"),
        ({**good, "evidence": "passported"}, "benefit"),
        ({**good, "assessed_on": tomorrow}, "assessed_on"),
        ({**good, "dependent_children": 31}, "dependent_children"),
        ({**good, "evidence_note": ""}, "evidence_note"),
    ]
    for body, field in cases:
        response = staff.post(url, body)
        assert response.status_code == 422, body
        assert field in response.json()["errors"], response.json()
    assert not MeansAssessment.objects.filter(participant=bob).exists()


# One invoice --------------------------------------------------------------------------------


def test_invoice_detail_and_its_payments(service: Any, case: Any, staff: Any) -> None:
    invoice = _issued(service, case)
    services.payment_record(
        actor=service.coordinator,
        invoice=invoice,
        paid_on=timezone.localdate(),
        amount="20.00",
        method="cash",
    )

    detail = staff.get(f"/cases/{case.pk}/invoices/{invoice.pk}")
    payments = staff.get(f"/cases/{case.pk}/invoices/{invoice.pk}/payments")

    assert detail.status_code == 200
    body = detail.json()
    assert body["number"] == "INV-00001" and body["balance"] == "24.00"
    assert body["document_version_id"] == invoice.document_version_id
    assert [p["amount"] for p in body["payments"]] == ["20.00"]
    assert payments.status_code == 200
    assert [(p["amount"], p["method"]) for p in payments.json()] == [("20.00", "cash")]


def test_invoice_detail_and_payments_are_for_the_cases_staff(
    service: Any, other_service: Any, case: Any
) -> None:
    invoice = _issued(service, case)
    for user in (service.parties["bob"], service.mediator2, other_service.coordinator):
        client = token_client(user)
        assert client.get(f"/cases/{case.pk}/invoices/{invoice.pk}").status_code == 404
        assert client.get(f"/cases/{case.pk}/invoices/{invoice.pk}/payments").status_code == 404
    civil = service.cases["civil"]
    staff = token_client(service.coordinator)
    assert staff.get(f"/cases/{civil.pk}/invoices/{invoice.pk}").status_code == 404


def test_a_drafts_note_changes_until_it_is_issued(service: Any, case: Any, staff: Any) -> None:
    draft = _draft(service, case)
    url = f"/cases/{case.pk}/invoices/{draft.pk}"

    response = staff.patch(url, {"note": "Pay by bank transfer,\nplease."})

    assert response.status_code == 200, response.json()
    assert response.json()["note"] == "Pay by bank transfer,\nplease."
    draft.refresh_from_db()
    assert draft.note == "Pay by bank transfer,\nplease."
    assert _events("fees.invoice_updated") == 1
    assert token_client(service.safeguarding_lead).patch(url, {"note": "x"}).status_code == 403
    assert token_client(service.parties["bob"]).patch(url, {"note": "x"}).status_code == 404
    too_long = staff.patch(url, {"note": "x" * 501})
    assert too_long.status_code == 422 and list(too_long.json()["errors"]) == ["note"]
    services.invoice_issue(actor=service.coordinator, invoice=draft)
    issued = staff.patch(url, {"note": "Changed"})
    assert issued.status_code == 422 and "credit note" in issued.json()["detail"]
    draft.refresh_from_db()
    assert draft.note == "Pay by bank transfer,\nplease."


def test_a_draft_is_discarded_and_its_work_can_be_invoiced_again(
    service: Any, case: Any, staff: Any
) -> None:
    draft = _draft(service, case)

    response = staff.post(f"/cases/{case.pk}/invoices/{draft.pk}/discard", {})

    assert response.status_code == 200
    assert response.json() == {"id": draft.pk, "discarded": True}
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    assert _events("fees.invoice_discarded") == 1
    assert staff.post(f"/cases/{case.pk}/invoices", {}).status_code == 201


def test_discarding_follows_the_case_policy_and_never_touches_an_issued_invoice(
    service: Any, case: Any, staff: Any
) -> None:
    draft = _draft(service, case)
    url = f"/cases/{case.pk}/invoices/{draft.pk}/discard"

    assert token_client(service.safeguarding_lead).post(url, {}).status_code == 403
    assert token_client(service.parties["bob"]).post(url, {}).status_code == 404
    assert Invoice.objects.filter(pk=draft.pk).exists()
    services.invoice_issue(actor=service.coordinator, invoice=draft)
    refused = staff.post(url, {})
    assert refused.status_code == 422 and "credit note" in refused.json()["detail"]
    assert Invoice.objects.filter(pk=draft.pk, status="issued").exists()
    assert _events("fees.invoice_discarded") == 0


def test_a_credit_note_corrects_an_issued_invoice(service: Any, case: Any, staff: Any) -> None:
    invoice = _issued(service, case)

    response = staff.post(
        f"/cases/{case.pk}/invoices/{invoice.pk}/credit-notes",
        {"amount": "44.00", "reason": "Session 2 was shorter."},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "CN-00002" and body["total"] == "-44.00"
    assert body["kind"] == "credit_note" and body["credits_id"] == invoice.pk
    note = Invoice.objects.get(pk=body["id"])
    assert note.credits_id == invoice.pk and note.document_version_id is not None
    assert services.balance_of(invoice) == 0
    assert _events("fees.credit_note_issued") == 1
    detail = staff.get(f"/cases/{case.pk}/invoices/{invoice.pk}").json()
    assert detail["credit_note_ids"] == [note.pk] and detail["balance"] == "0.00"


def test_credit_notes_follow_the_case_policy(service: Any, case: Any) -> None:
    invoice = _issued(service, case)
    url = f"/cases/{case.pk}/invoices/{invoice.pk}/credit-notes"
    body = {"amount": "10.00", "reason": "Goodwill."}

    assert token_client(service.safeguarding_lead).post(url, body).status_code == 403
    assert token_client(service.parties["bob"]).post(url, body).status_code == 404
    assert not Invoice.objects.filter(kind="credit_note").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "44.01", "reason": "Too much"}, "amount"),
        ({"amount": "1.001", "reason": "Pence"}, "amount"),
        ({"amount": "0", "reason": "Nothing"}, "amount"),
        ({"amount": "10.00", "reason": ""}, "reason"),
        ({"amount": "10.00"}, "reason"),
    ],
)
def test_a_bad_credit_note_is_a_422_naming_the_field(
    service: Any, case: Any, staff: Any, body: dict[str, str], field: str
) -> None:
    invoice = _issued(service, case)

    response = staff.post(f"/cases/{case.pk}/invoices/{invoice.pk}/credit-notes", body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert not Invoice.objects.filter(kind="credit_note").exists()
    assert _events("fees.credit_note_issued") == 0


def test_a_draft_cannot_be_credited(service: Any, case: Any, staff: Any) -> None:
    draft = _draft(service, case)

    response = staff.post(
        f"/cases/{case.pk}/invoices/{draft.pk}/credit-notes", {"amount": "1.00", "reason": "x"}
    )

    assert response.status_code == 422
    assert not Invoice.objects.filter(kind="credit_note").exists()
    assert not Payment.objects.exists()
