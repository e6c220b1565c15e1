"""Enquiries through the API: staff list and read the enquiries of cases they may open and record
the conflict decision through the page's service; parties and other staff get 404 and change
nothing; bad input is a 422 with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.intake.models import Enquiry
from accord.intake.tests.test_conflict_check import _enquiry

pytestmark = pytest.mark.django_db


def test_the_coordinator_lists_reads_and_decides(service: Any) -> None:
    enquiry = _enquiry(service, email="alice@riverside.example")
    coordinator = token_client(service.coordinator)
    listed = coordinator.get("/enquiries", awaiting_conflict_check="true")
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()] == [enquiry.pk]
    detail = coordinator.get(f"/cases/{enquiry.case_id}/enquiry").json()
    assert detail["can_decide"] is True and detail["conflict_decision"] == ""
    assert detail["conflict_matches"][0]["reasons"] == ["email"]
    decided = coordinator.post(
        f"/cases/{enquiry.case_id}/enquiry/conflict-decision",
        {"decision": "proceed", "note": "Different Alice; checked by phone."},
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["conflict_decision"] == "proceed"
    assert decided.json()["conflict_decided_by"]
    event = AuditEvent.objects.get(action="enquiry.conflict_checked")
    assert event.details["matches_seen"] == 1
    assert coordinator.get("/enquiries", awaiting_conflict_check="true").json() == []
    assert len(coordinator.get("/enquiries", awaiting_conflict_check="false").json()) == 1


def test_keyset_paging_and_unknown_filters(service: Any) -> None:
    first = _enquiry(service, full_name="Dana One", email="one@example.com")
    second = _enquiry(service, full_name="Dana Two", email="two@example.com")
    coordinator = token_client(service.coordinator)
    page = coordinator.get("/enquiries", limit=1).json()
    assert [e["id"] for e in page] == [second.pk]
    nxt = coordinator.get("/enquiries", limit=1, before_id=page[-1]["id"]).json()
    assert [e["id"] for e in nxt] == [first.pk]
    assert coordinator.get("/enquiries", limit=0).status_code == 422
    assert coordinator.get("/enquiries", limit=1000).status_code == 422


@pytest.mark.parametrize("who", ["party", "other_service", "mediator_off_case"])
def test_outsiders_get_404_and_change_nothing(service: Any, other_service: Any, who: str) -> None:
    enquiry = _enquiry(service)
    user = {
        "party": service.parties["alice"],
        "other_service": other_service.coordinator,
        "mediator_off_case": service.mediator2,
    }[who]
    client = token_client(user)
    assert client.get("/enquiries").json() == []
    assert client.get(f"/cases/{enquiry.case_id}/enquiry").status_code == 404
    events = AuditEvent.objects.count()
    answer = client.post(
        f"/cases/{enquiry.case_id}/enquiry/conflict-decision", {"decision": "no_conflict"}
    )
    assert answer.status_code == 404
    assert Enquiry.objects.get(pk=enquiry.pk).conflict_decision == ""
    assert AuditEvent.objects.count() == events


def test_a_case_without_an_enquiry_is_404(service: Any) -> None:
    answer = token_client(service.coordinator).get(f"/cases/{service.case.pk}/enquiry")
    assert answer.status_code == 404


def test_bad_input_is_refused_with_nothing_saved(service: Any) -> None:
    enquiry = _enquiry(service)
    coordinator = token_client(service.coordinator)
    events = AuditEvent.objects.count()
    path = f"/cases/{enquiry.case_id}/enquiry/conflict-decision"
    for data in [
        {"decision": "conflict"},
        {"decision": "maybe"},
        {"decision": "proceed", "note": "x" * 2001},
        {"decision": "no_conflict", "colour": "red"},
        {"decision": "proceed", "note": "tab\x00nul"},
    ]:
        answer = coordinator.post(path, data)
        assert answer.status_code == 422, (data, answer.json())
    assert Enquiry.objects.get(pk=enquiry.pk).conflict_decision == ""
    assert AuditEvent.objects.count() == events


def test_the_detail_shows_the_stored_check_and_a_rerun_refreshes_it(
    service: Any, django_assert_max_num_queries: Any
) -> None:
    from accord.cases.services import participant_add

    enquiry = _enquiry(service, full_name="Dana Stored", email="dana.stored@example.com")
    coordinator = token_client(service.coordinator)
    first = coordinator.get(f"/cases/{enquiry.case_id}/enquiry").json()
    assert first["conflict_matches"] == []
    assert first["conflict_checked_at"] is not None

    # The same person joins another case after the check ran: a page view does not recompute.
    participant_add(
        actor=service.coordinator,
        case=service.cases["civil"],
        role="party",
        full_name="Dana Stored",
        email="DANA.stored@example.com",
    )
    with django_assert_max_num_queries(30):
        still = coordinator.get(f"/cases/{enquiry.case_id}/enquiry").json()
    assert still["conflict_matches"] == []
    assert still["conflict_checked_at"] == first["conflict_checked_at"]

    rerun = coordinator.post(f"/cases/{enquiry.case_id}/enquiry/conflict-check")

    assert rerun.status_code == 200, rerun.json()
    matches = rerun.json()["conflict_matches"]
    assert [(m["other_case_id"], m["reasons"]) for m in matches] == [
        (service.cases["civil"].pk, ["email"])
    ]
    assert rerun.json()["conflict_checked_at"] > first["conflict_checked_at"]
    assert AuditEvent.objects.filter(action="enquiry.conflict_check_run").count() == 1
    party = token_client(service.parties["alice"])
    assert party.post(f"/cases/{enquiry.case_id}/enquiry/conflict-check").status_code == 404
    assert AuditEvent.objects.filter(action="enquiry.conflict_check_run").count() == 1
