"""Recording enquiries through the API: staff record one taken by phone, and anyone may send a
service's public form, each through the service the page calls. Staff get the case with its
conflict check; the public get the same thank you whatever exists; outsiders and bad input are
refused with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from accord.api.tests.conftest import ApiClient, token_client
from accord.audit.models import AuditEvent
from accord.cases.models import Case, Participant
from accord.intake import ratelimit
from accord.intake.api import FAMILY_EXAMPLE, GENERAL_EXAMPLE, SEND_EXAMPLE
from accord.intake.models import Enquiry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _counts() -> tuple[int, int, int, int]:
    return (
        Case.objects.count(),
        Participant.objects.count(),
        Enquiry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_coordinator_records_a_family_enquiry_and_sees_its_conflict_check(service: Any) -> None:
    body = {**FAMILY_EXAMPLE, "email": "alice@riverside.example", "safe_contact_methods": []}
    answer = token_client(service.coordinator).post("/enquiries/family", body)
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    enquiry = Enquiry.objects.get(pk=data["id"])
    assert enquiry.source == "staff" and enquiry.case.organisation == service.organisation
    assert enquiry.case.kind == "family_children"
    assert sorted(enquiry.case.participants.values_list("full_name", flat=True)) == [
        "Dana Green",
        "Sam Green",
    ]
    assert [c.full_name for c in enquiry.children.all()] == ["Alex Green"]
    # The conflict check ran, as on the page: Alice's email is on the family case.
    assert enquiry.conflict_checked_at is not None
    assert data["conflict_matches"][0]["other_case_id"] == service.case.pk
    assert data["conflict_matches"][0]["reasons"] == ["email"]
    event = AuditEvent.objects.get(action="enquiry.received", target_id=str(enquiry.pk))
    assert event.details["source"] == "staff" and event.actor == service.coordinator


def test_a_mediator_records_send_and_general_enquiries_and_leads_the_cases(service: Any) -> None:
    mediator = token_client(service.mediator)
    send = mediator.post("/enquiries/send", SEND_EXAMPLE)
    assert send.status_code == 201, send.json()
    case = Case.objects.get(pk=send.json()["case_id"])
    assert case.kind == "send" and case.lead_mediator == service.mediator
    assert set(case.participants.values_list("role", flat=True)) == {"parent_carer", "la_officer"}
    general = mediator.post("/enquiries/general", GENERAL_EXAMPLE)
    assert general.status_code == 201, general.json()
    assert Case.objects.get(pk=general.json()["case_id"]).kind == "workplace"


@pytest.mark.parametrize("who", ["party", "supervisor"])
def test_a_party_or_staff_who_may_not_record_get_403_and_nothing_is_saved(
    service: Any, who: str
) -> None:
    user = {"party": service.parties["alice"], "supervisor": service.supervisor}[who]
    client = token_client(user)
    before = _counts()
    answer = client.post("/enquiries/family", FAMILY_EXAMPLE)
    assert answer.status_code == 403
    assert _counts() == before


def test_a_form_the_service_does_not_offer_is_404(service: Any) -> None:
    service.organisation.kinds_offered = ["family_children"]
    service.organisation.save(update_fields=["kinds_offered"])
    coordinator = token_client(service.coordinator)
    before = _counts()
    assert coordinator.post("/enquiries/send", SEND_EXAMPLE).status_code == 404
    assert (
        _anonymous().post("/services/riverside/enquiries/general", GENERAL_EXAMPLE).status_code
        == 404
    )
    assert _counts() == before


def _anonymous() -> ApiClient:
    from django.test import Client

    return ApiClient(Client(REMOTE_ADDR="203.0.113.9"))


def test_staff_bad_input_names_the_api_field_and_saves_nothing(service: Any) -> None:
    coordinator = token_client(service.coordinator)
    before = _counts()
    bad_row = {
        **FAMILY_EXAMPLE,
        "other_parties": [{"full_name": "Sam", "email": "not-an-email", "safe_to_contact": "yes"}],
    }
    answer = coordinator.post("/enquiries/family", bad_row)
    assert answer.status_code == 422
    assert "other_parties.0.email" in answer.json()["errors"]
    no_issue = coordinator.post("/enquiries/family", {**FAMILY_EXAMPLE, "issues": []})
    assert no_issue.status_code == 422 and "issues" in no_issue.json()["errors"]
    court = coordinator.post("/enquiries/family", {**FAMILY_EXAMPLE, "court_proceedings": True})
    assert court.status_code == 422 and "court_details" in court.json()["errors"]
    la = coordinator.post("/enquiries/send", {**SEND_EXAMPLE, "la_email": "nope"})
    assert la.status_code == 422 and "la_email" in la.json()["errors"]
    assert _counts() == before


def test_the_public_form_opens_a_case_and_says_nothing_about_it(service: Any) -> None:
    public = _anonymous()
    answer = public.post("/services/riverside/enquiries/family", FAMILY_EXAMPLE)
    assert answer.status_code == 201, answer.json()
    assert answer.json() == {
        "service": service.organisation.name,
        "message": f"Thank you. {service.organisation.name} will contact you soon.",
    }
    enquiry = Enquiry.objects.get()
    assert enquiry.source == "public" and enquiry.submitter_ip_hash
    assert enquiry.conflict_checked_at is not None
    event = AuditEvent.objects.get(action="enquiry.received")
    assert event.actor is None and event.details["source"] == "public"
    assert "dana" not in str(event.details).lower()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "", "phone": "", "safe_contact_methods": []}, "email"),
        ({"safe_contact_methods": ["post"]}, "safe_contact_methods"),
        (
            {"email": "", "phone": "0161 496 0000", "safe_contact_methods": ["email"]},
            "safe_contact_methods",
        ),
    ],
)
def test_the_public_form_needs_a_safe_way_to_contact_the_person(
    service: Any, change: dict[str, Any], field: str
) -> None:
    before = _counts()
    answer = _anonymous().post("/services/riverside/enquiries/family", {**FAMILY_EXAMPLE, **change})
    assert answer.status_code == 422
    assert field in answer.json()["errors"]
    assert _counts() == before


def test_the_public_form_refuses_malformed_input_with_nothing_saved(service: Any) -> None:
    public = _anonymous()
    before = _counts()
    cases: list[tuple[dict[str, Any], str]] = [
        ({**GENERAL_EXAMPLE, "kind": "family"}, "kind"),
        ({**GENERAL_EXAMPLE, "other_parties": [{"full_name": ""}]}, "other_parties.0.full_name"),
        ({**SEND_EXAMPLE, "child_date_of_birth": "2999-01-01"}, "child_date_of_birth"),
        ({**FAMILY_EXAMPLE, "full_name": "a\x00b"}, "full_name"),
        ({**FAMILY_EXAMPLE, "surprise": 1}, "surprise"),
    ]
    for body, field in cases:
        path = "general" if "kind" in body else "send" if "la_name" in body else "family"
        answer = public.post(f"/services/riverside/enquiries/{path}", body)
        assert answer.status_code == 422, (body, answer.json())
        assert field in answer.json()["errors"], answer.json()
    assert (
        public.post("/services/no-such-service/enquiries/family", FAMILY_EXAMPLE).status_code == 404
    )
    assert _counts() == before


def test_the_public_rate_limit_is_shared_with_the_page(service: Any, client: Any) -> None:
    public = _anonymous()
    key = ratelimit.rate_key(service.organisation.pk, "203.0.113.9")
    for _ in range(ratelimit.RATE_LIMIT - 1):
        ratelimit.count(key)  # as if sent through the page
    assert public.post("/services/riverside/enquiries/family", FAMILY_EXAMPLE).status_code == 201
    before = _counts()
    refused = public.post("/services/riverside/enquiries/family", FAMILY_EXAMPLE)
    assert refused.status_code == 429
    assert "Try again" in refused.json()["detail"]
    assert _counts() == before
    # The page counts the same address as spent too.
    page = client.post("/enquire/riverside/", {}, REMOTE_ADDR="203.0.113.9")
    assert page.status_code == 429
