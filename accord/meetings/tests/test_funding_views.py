"""The funding pages: staff record each party's funding with the existing rules; others 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.cases.workspace import section_url
from accord.meetings.models import Funding, FundingKind
from accord.meetings.tests.helpers import party

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _record_url(service: Any, name: str = "Alice Smith") -> str:
    return reverse("meetings:funding_record", args=[service.case.pk, party(service, name).pk])


def test_the_coordinator_records_legal_aid_and_the_workspace_shows_it(service):
    client = _client(service.coordinator)
    list_url = reverse("meetings:funding", args=[service.case.pk])
    assert "Not recorded" in client.get(list_url).content.decode()
    response = client.post(
        _record_url(service),
        {"kind": "legal_aid", "legal_aid_basis": "passported", "legal_aid_outcome": "eligible"},
    )
    assert response.status_code == 302
    alice = Funding.objects.get(participant=party(service))
    assert (alice.kind, alice.legal_aid_outcome) == ("legal_aid", "eligible")
    listing = client.get(list_url).content.decode()
    assert "Legal aid: Passported (on a qualifying benefit), eligible" in listing
    workspace = client.get(section_url(service.case.pk, "preparation")).content.decode()
    assert "MIAM and first session funded through another party's legal aid" in workspace


def test_answers_left_in_another_choice_are_ignored(service):
    response = _client(service.coordinator).post(
        _record_url(service),
        {"kind": "private", "legal_aid_basis": "passported", "voucher_amount": "100.00"},
    )
    assert response.status_code == 302
    funding = Funding.objects.get(participant=party(service))
    assert (funding.kind, funding.legal_aid_basis, funding.voucher_amount) == ("private", "", None)


def test_a_bad_voucher_amount_is_a_field_error_and_saves_nothing(service):
    client = _client(service.coordinator)
    response = client.post(_record_url(service), {"kind": "voucher", "voucher_amount": "lots"})
    assert response.status_code == 422
    assert "Enter the voucher amount in pounds and pence" in response.content.decode()
    response = client.post(_record_url(service), {"kind": "voucher", "voucher_amount": "900.00"})
    assert response.status_code == 422
    assert "The voucher pays up to £500.00 per case" in response.content.decode()
    response = client.post(_record_url(service), {"kind": "legal_aid"})
    assert response.status_code == 422
    assert "Choose passported or means-assessed." in response.content.decode()
    assert not Funding.objects.exists()


def test_a_voucher_within_the_limit_is_recorded(service):
    response = _client(service.mediator).post(
        _record_url(service, "Bob Jones"), {"kind": "voucher", "voucher_amount": "500.00"}
    )
    assert response.status_code == 302
    assert Funding.objects.get().kind == FundingKind.VOUCHER


def test_the_supervisor_may_look_but_not_record(service):
    client = _client(service.supervisor)
    assert client.get(reverse("meetings:funding", args=[service.case.pk])).status_code == 200
    assert client.get(_record_url(service)).status_code == 403
    assert client.post(_record_url(service), {"kind": "private"}).status_code == 403
    assert not Funding.objects.exists()


def test_parties_and_other_services_get_404_on_the_funding_pages(service, other_service):
    urls = [reverse("meetings:funding", args=[service.case.pk]), _record_url(service)]
    for user in (service.parties["alice"], service.parties["bob"], other_service.coordinator):
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert client.post(urls[1], {"kind": "private"}).status_code == 404
    assert not Funding.objects.exists()


def test_a_participant_of_another_case_answers_404(service):
    carol = service.cases["civil"].participants.get(full_name="Carol Brown")
    url = reverse("meetings:funding_record", args=[service.case.pk, carol.pk])
    assert _client(service.coordinator).get(url).status_code == 404
