"""Enquiries for every kind a service offers: SEND, civil, workplace and community forms."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.models import Case, Participant
from accord.core.errors import ValidationFailed
from accord.intake import offer, services
from accord.intake.forms import STARTED_SALT
from accord.intake.models import Child, Enquiry, EnquirySource
from accord.intake.selectors import conflict_matches
from accord.testing.factories import build_service

pytestmark = pytest.mark.django_db

COMMUNITY_ONLY = ("civil", "workplace", "community")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hillside(db):
    """A community mediation service: civil, workplace and community only."""
    return build_service(
        name="Hillside Community Mediation",
        slug="hillside",
        prefix="HIL",
        kinds_offered=COMMUNITY_ONLY,
    )


def _started() -> str:
    signer = signing.TimestampSigner(salt=STARTED_SALT)
    with mock.patch("time.time", return_value=__import__("time").time() - 60):
        return signer.sign("enquiry")


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Case.objects.count(),
        Participant.objects.count(),
        Enquiry.objects.count(),
        Child.objects.count(),
        AuditEvent.objects.count(),
    )


def _general_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "full_name": "Kasia Novak",
        "email": "kasia@example.com",
        "safe_contact_methods": ["email"],
        "phone": "07700 900456",
        "urgency": "soon",
        "other_1_full_name": "Mr Brown",
        "other_1_address": "5 Hill Road",
        "other_2_full_name": "Hillside Housing Association",
        "dispute_summary": "Loud music from next door every night after midnight.",
        "court_proceedings": "no",
        "website": "",
        "started": _started(),
    }
    data.update(overrides)
    return data


def _send_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "applicant_role": "parent_carer",
        "full_name": "Joanne Harrison",
        "email": "joanne@example.com",
        "safe_contact_methods": ["email"],
        "child_full_name": "Sam Harrison",
        "child_date_of_birth": "2014-02-03",
        "la_name": "Northshire County Council",
        "la_officer_name": "Pat Officer",
        "la_email": "send@northshire.example",
        "la_decision": "refuse_assessment",
        "la_decision_date": (timezone.localdate() - dt.timedelta(days=20)).isoformat(),
        "urgency": "soon",
        "website": "",
        "started": _started(),
    }
    data.update(overrides)
    return data


def _public(service: Any, code: str) -> str:
    return reverse("intake:public_form", args=[service.organisation.slug, code])


# Each form asks only its kind's questions ---------------------------------------------------------


def test_the_community_form_asks_nothing_about_children_or_child_maintenance(client, hillside):
    html = client.get(_public(hillside, "community")).content.decode()
    assert "Hillside Community Mediation: community mediation" in html
    assert "What is the dispute about?" in html
    assert "Other party 1" in html
    for family_words in ("child maintenance", "Child maintenance", "Children", "Child 1"):
        assert family_words not in html
    assert "local authority" not in html.lower()


def test_the_send_form_asks_about_the_child_the_la_and_its_decision_only(client, service):
    html = client.get(_public(service, "send")).content.decode()
    assert "Riverside Family Mediation: SEND mediation" in html
    for question in (
        "Are you the parent or carer, or the young person?",
        "The child or young person&#x27;s date of birth",
        "The local authority that made the decision",
        "What did the local authority decide?",
        "The date of the decision letter",
    ):
        assert question in html
    assert "Child maintenance" not in html
    assert "What is the dispute about?" not in html


def test_the_family_form_is_as_before(client, service):
    html = client.get(reverse("intake:public", args=["riverside"])).content.decode()
    assert "Child maintenance" in html
    assert "What did the local authority decide?" not in html
    assert "What is the dispute about?" not in html


def test_the_general_form_asks_which_kind_among_those_offered(client):
    svc = build_service(
        slug="mixed", prefix="MIX", kinds_offered=("family_all", "civil", "workplace")
    )
    page = client.get(_public(svc, "general"))
    kinds = page.context["form"].fields["kind"].choices
    assert kinds == [("civil", "Civil"), ("workplace", "Workplace")]
    assert "kind" not in client.get(_public(svc, "civil")).context["form"].fields


# Submissions open the case of the right kind with its people ------------------------------------


def test_a_community_enquiry_opens_a_community_case_with_its_parties(client, hillside):
    response = client.post(_public(hillside, "community"), _general_post(), REMOTE_ADDR="1.2.3.4")
    assert response.status_code == 302, response.content.decode()
    enquiry = Enquiry.objects.get()
    case = enquiry.case
    assert (case.kind, case.stage) == ("community", case.workflow.first.code)
    assert case.organisation == hillside.organisation
    assert enquiry.dispute_summary.startswith("Loud music")
    assert enquiry.issues == [] and enquiry.source == EnquirySource.PUBLIC
    people = {p.full_name: p.role for p in case.participants.all()}
    assert people == {
        "Kasia Novak": "party",
        "Mr Brown": "party",
        "Hillside Housing Association": "party",
    }
    events = AuditEvent.objects.filter(case_id=case.pk).order_by("sequence")
    assert [e.action for e in events][-1] == "enquiry.received"
    assert events.reverse()[0].details["kind"] == "community"
    assert "Kasia" not in str([e.details for e in events])
    assert "Loud music" not in str([e.details for e in events])


def test_a_send_enquiry_adds_the_parent_and_the_la_and_names_the_child(client, service):
    response = client.post(_public(service, "send"), _send_post())
    assert response.status_code == 302, response.content.decode()
    enquiry = Enquiry.objects.get()
    case = enquiry.case
    assert case.kind == "send"
    people = {p.role: p for p in case.participants.all()}
    assert set(people) == {"parent_carer", "la_officer"}
    assert people["parent_carer"].full_name == "Joanne Harrison"
    la = people["la_officer"]
    assert (la.full_name, la.organisation_name, la.email) == (
        "Pat Officer",
        "Northshire County Council",
        "send@northshire.example",
    )
    assert enquiry.la_decision == "refuse_assessment"
    assert enquiry.la_decision_date == timezone.localdate() - dt.timedelta(days=20)
    assert [(c.full_name, c.date_of_birth) for c in enquiry.children.all()] == [
        ("Sam Harrison", dt.date(2014, 2, 3))
    ]
    assert case.title == "Harrison"


def test_a_young_person_enquiring_is_the_party_and_the_la_is_named_without_an_officer(
    client, service
):
    response = client.post(
        _public(service, "send"),
        _send_post(
            applicant_role="young_person",
            full_name="Sam Harrison",
            child_full_name="Sam Harrison",
            child_date_of_birth="2008-02-03",
            la_officer_name="",
        ),
    )
    assert response.status_code == 302
    case = Enquiry.objects.get().case
    people = {p.role: p for p in case.participants.all()}
    assert people["young_person"].date_of_birth == dt.date(2008, 2, 3)
    assert people["la_officer"].full_name == "Northshire County Council"


def test_the_conflict_check_runs_on_a_general_enquiry(service):
    services.general_enquiry_submit(
        actor=None,
        organisation=service.organisation,
        source=EnquirySource.PUBLIC,
        kind="civil",
        applicant={
            "full_name": "Bob Jones",
            "email": f"bob@{service.organisation.slug}.example",
            "safe_contact_methods": ["email"],
        },
        other_parties=[{"full_name": "Acme Ltd"}],
        dispute_summary="An unpaid invoice.",
        urgency="routine",
    )
    case = Case.objects.latest("id")
    matches = conflict_matches(user=service.coordinator, case=case)
    assert [m.reasons for m in matches] == [("email",)]
    assert Enquiry.objects.get(case=case).conflict_decision == ""
    page = _staff(service.coordinator).get(
        reverse("cases:detail", args=[case.pk]) + "?section=people"
    )
    html = page.content.decode()
    assert "Conflict check" in html and "An unpaid invoice." in html


def _staff(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_record_a_workplace_enquiry(service):
    client = _staff(service.coordinator)
    page = client.get(reverse("intake:staff_new_form", args=["workplace"]))
    assert page.status_code == 200
    assert "Record an enquiry: workplace mediation" in page.content.decode()
    data = _general_post()
    del data["website"], data["started"]
    response = client.post(reverse("intake:staff_new_form", args=["workplace"]), data)
    case = Case.objects.latest("id")
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.kind == "workplace"
    assert Enquiry.objects.get(case=case).source == EnquirySource.STAFF


# Bad input gives field errors and saves nothing ---------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"child_date_of_birth": "2999-01-01"}, "child_date_of_birth"),
        ({"child_date_of_birth": ""}, "child_date_of_birth"),
        ({"la_decision_date": "2999-01-01"}, "la_decision_date"),
        ({"la_decision_date": "31/02/2025"}, "la_decision_date"),
        (
            {"la_decision_date": "2001-01-01", "child_date_of_birth": "2014-02-03"},
            "la_decision_date",
        ),
        ({"la_decision": "expelled"}, "la_decision"),
        ({"la_name": ""}, "la_name"),
        ({"applicant_role": "grandparent"}, "applicant_role"),
        ({"child_full_name": ""}, "child_full_name"),
    ],
)
def test_bad_send_input_shows_the_field_error_and_saves_nothing(client, service, overrides, field):
    before = _counts()
    response = client.post(_public(service, "send"), _send_post(**overrides))
    assert response.status_code == 422
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"dispute_summary": ""}, "dispute_summary"),
        ({"court_proceedings": "yes", "court_details": ""}, "court_details"),
        ({"other_1_email": "nope"}, "other_1_email"),
        ({"other_1_full_name": "", "other_1_address": "5 Hill Road"}, "other_1_full_name"),
        ({"urgency": ""}, "urgency"),
    ],
)
def test_bad_general_input_shows_the_field_error_and_saves_nothing(
    client, hillside, overrides, field
):
    before = _counts()
    response = client.post(_public(hillside, "civil"), _general_post(**overrides))
    assert response.status_code == 422
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert _counts() == before


def test_an_unknown_kind_on_the_general_form_is_a_field_error(client, hillside):
    before = _counts()
    response = client.post(_public(hillside, "general"), _general_post(kind="family_all"))
    assert response.status_code == 422
    assert response.context["form"].errors["kind"] == [
        "Choose the kind of mediation from the list."
    ]
    assert _counts() == before


def test_the_services_refuse_kinds_not_offered_and_unknown_kinds(service, hillside):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.general_enquiry_submit(
            actor=None,
            organisation=hillside.organisation,
            source=EnquirySource.PUBLIC,
            kind="divorce",
            applicant={"full_name": "A"},
            other_parties=[],
            dispute_summary="x",
            urgency="routine",
        )
    assert caught.value.field_errors["kind"] == ["Choose civil, workplace or community mediation."]
    with pytest.raises(ValidationFailed) as caught:
        services.send_enquiry_submit(
            actor=None,
            organisation=hillside.organisation,
            source=EnquirySource.PUBLIC,
            applicant={"full_name": "A"},
            applicant_role="parent_carer",
            child={"full_name": "B", "date_of_birth": dt.date(2015, 1, 1)},
            local_authority={"name": "LA"},
            la_decision="refuse_plan",
            la_decision_date=dt.date(2025, 1, 1),
            urgency="routine",
        )
    assert "does not take enquiries for SEND mediation" in caught.value.field_errors["__all__"][0]
    with pytest.raises(ValidationFailed) as caught:
        services.enquiry_submit(
            actor=None,
            organisation=hillside.organisation,
            source=EnquirySource.PUBLIC,
            applicant={"full_name": "A"},
            other_parties=[],
            children=[],
            issues=["finances"],
            urgency="routine",
        )
    assert "does not take enquiries for Family: finances" in caught.value.field_errors["issues"][0]
    assert _counts() == before


def test_a_service_refuses_the_forms_of_kinds_it_does_not_offer(client, hillside):
    before = _counts()
    for code in ("family", "send"):
        page = client.get(_public(hillside, code))
        assert page.status_code == 404
        assert "does not offer this kind of mediation" in page.content.decode()
        assert client.post(_public(hillside, code), _send_post()).status_code == 404
    assert client.get(_public(hillside, "divorce")).status_code == 404
    assert _counts() == before


def test_a_service_without_family_mediation_lists_its_forms_at_its_own_address(client, hillside):
    page = client.get(reverse("intake:public", args=["hillside"]))
    assert page.status_code == 200
    html = page.content.decode()
    for code in COMMUNITY_ONLY:
        assert f'href="{_public(hillside, code)}"' in html
    assert "Child maintenance" not in html


def test_staff_of_a_community_service_get_its_forms_only(hillside):
    client = _staff(hillside.coordinator)
    page = client.get(reverse("intake:staff_new"))
    assert page.status_code == 200
    assert "Record an enquiry: civil mediation" in page.content.decode()
    assert client.get(reverse("intake:staff_new_form", args=["family"])).status_code == 404


# The landing page --------------------------------------------------------------------------------


def test_the_landing_page_lists_each_services_forms_for_the_kinds_it_offers(client, hillside):
    riverside = build_service(kinds_offered=("family_children", "family_finance", "send"))
    html = client.get(reverse("intake:landing")).content.decode()
    assert "Hillside Community Mediation" in html and "Riverside Family Mediation" in html
    for code in COMMUNITY_ONLY:
        assert f'href="{_public(hillside, code)}"' in html
        assert f'href="{_public(riverside, code)}"' not in html
    for code in ("family", "send"):
        assert f'href="{_public(riverside, code)}"' in html
        assert f'href="{_public(hillside, code)}"' not in html


def test_form_choices_follow_the_kinds_offered():
    assert [c.code for c in offer.form_choices(["community", "send", "family_finance"])] == [
        "family",
        "send",
        "community",
    ]
    assert offer.kinds_for_form("family", ["family_finance", "civil"]) == ("family_finance",)
    assert offer.kinds_for_form("general", ["community", "civil"]) == ("civil", "community")
    assert offer.kinds_for_form("divorce", ["civil"]) == ()
