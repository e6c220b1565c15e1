"""Funding per party: legal aid (and what it funds for the other party), voucher, private fees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.meetings import services
from accord.meetings.models import Funding, FundingKind, VoucherLimit
from accord.meetings.tests.helpers import party

pytestmark = pytest.mark.django_db


def _record(service: Any, name: str = "Alice Smith", **kwargs: Any) -> Funding:
    return services.funding_record(
        actor=kwargs.pop("actor", service.coordinator), participant=party(service, name), **kwargs
    )


def test_legal_aid_for_one_party_funds_the_others_miam_and_first_session(service):
    _record(service, kind="legal_aid", legal_aid_basis="passported", legal_aid_outcome="eligible")
    bob = Funding.objects.get(participant=party(service, "Bob Jones"))
    assert bob.miam_and_first_session_funded
    assert bob.kind == FundingKind.NOT_YET_KNOWN
    event = AuditEvent.objects.get(action="funding.recorded")
    assert event.details["funded_other_participant_ids"] == [bob.participant_id]


def test_pending_or_refused_legal_aid_funds_no_one_else(service):
    _record(
        service, kind="legal_aid", legal_aid_basis="means_assessed", legal_aid_outcome="pending"
    )
    _record(
        service,
        kind="legal_aid",
        legal_aid_basis="means_assessed",
        legal_aid_outcome="not_eligible",
    )
    assert not Funding.objects.filter(miam_and_first_session_funded=True).exists()


def test_the_other_partys_own_funding_keeps_the_legal_aid_mark(service):
    _record(service, kind="legal_aid", legal_aid_basis="passported", legal_aid_outcome="eligible")
    bob = _record(service, "Bob Jones", kind="private")
    assert bob.kind == FundingKind.PRIVATE and bob.miam_and_first_session_funded


def test_legal_aid_needs_a_basis_and_an_outcome(service):
    with pytest.raises(ValidationFailed) as exc:
        _record(service, kind="legal_aid")
    assert set(exc.value.field_errors) == {"legal_aid_basis", "legal_aid_outcome"}
    assert not Funding.objects.exists()


def test_a_voucher_up_to_the_limit_on_a_child_arrangements_case(service):
    funding = _record(service, kind="voucher", voucher_amount=Decimal("500.00"))
    assert funding.voucher_amount == Decimal("500.00")


@pytest.mark.parametrize(
    "amount", [Decimal("500.01"), Decimal("0"), Decimal("-5"), Decimal("12.345"), 500.0, None]
)
def test_bad_voucher_amounts_are_refused(service, amount):
    with pytest.raises(ValidationFailed) as exc:
        _record(service, kind="voucher", voucher_amount=amount)
    assert "voucher_amount" in exc.value.field_errors
    assert not Funding.objects.exists()


def test_one_voucher_per_family(service):
    _record(service, kind="voucher", voucher_amount=Decimal("250.00"))
    with pytest.raises(ValidationFailed) as exc:
        _record(service, "Bob Jones", kind="voucher", voucher_amount=Decimal("250.00"))
    assert "Only one Family Mediation Voucher" in exc.value.field_errors["kind"][0]
    assert Funding.objects.count() == 1


def test_no_voucher_without_a_child_arrangements_issue(service):
    # A family case about money only: funding applies, the voucher does not.
    Case.objects.filter(pk=service.case.pk).update(kind="family_finance")
    with pytest.raises(ValidationFailed) as exc:
        _record(service, kind="voucher", voucher_amount=Decimal("100.00"))
    assert "child arrangements" in exc.value.field_errors["kind"][0]


def test_the_voucher_limit_is_a_dated_rule(service):
    VoucherLimit.objects.create(effective_from=dt.date(2026, 1, 1), max_per_case=Decimal("400.00"))
    assert services.voucher_limit_on(dt.date(2025, 12, 31)) == Decimal("500.00")
    assert services.voucher_limit_on(dt.date(2026, 1, 1)) == Decimal("400.00")
    with pytest.raises(ValidationFailed):
        _record(service, kind="voucher", voucher_amount=Decimal("450.00"))


def test_private_fees_and_unknown_kinds(service):
    assert _record(service, kind="private").kind == FundingKind.PRIVATE
    with pytest.raises(ValidationFailed):
        _record(service, "Bob Jones", kind="crowdfunding")


def test_who_may_record_funding(service, other_service):
    with pytest.raises(NotFoundOrHidden):
        _record(service, kind="private", actor=service.parties["bob"])
    with pytest.raises(NotFoundOrHidden):
        _record(service, kind="private", actor=other_service.coordinator)
    with pytest.raises(NotPermitted):
        _record(service, kind="private", actor=service.supervisor)
    assert not Funding.objects.exists()
