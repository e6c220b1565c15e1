"""The public and staff enquiry forms, and enquiry_submit's all-or-nothing rule."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from accord.audit.models import AuditEvent
from accord.cases.models import Case, Participant
from accord.core.errors import ValidationFailed
from accord.intake import services, views
from accord.intake.forms import STARTED_SALT
from accord.intake.models import Child, Enquiry, EnquirySource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _started(seconds_ago: int = 60) -> str:
    signer = signing.TimestampSigner(salt=STARTED_SALT)
    with mock.patch("time.time", return_value=__import__("time").time() - seconds_ago):
        return signer.sign("enquiry")


def _post(**overrides: Any) -> dict[str, Any]:
    data = {
        "full_name": "Dana Green",
        "email": "dana@example.com",
        "phone": "07700 900123",
        "address": "3 Elm Street, York",
        "date_of_birth": "1985-04-02",
        "safe_contact_methods": ["email", "phone"],
        "safe_contact_notes": "Not after 8pm.",
        "other_1_full_name": "Eli Green",
        "other_1_email": "eli@example.com",
        "other_1_safe_to_contact": "no",
        "child_1_full_name": "Fay Green",
        "child_1_date_of_birth": "2016-05-01",
        "issues": ["child_arrangements", "child_maintenance"],
        "urgency": "soon",
        "court_proceedings": "no",
        "website": "",
        "started": _started(),
    }
    data.update(overrides)
    return data


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Case.objects.count(),
        Participant.objects.count(),
        Enquiry.objects.count(),
        Child.objects.count(),
        AuditEvent.objects.count(),
    )


def _url(service: Any) -> str:
    return reverse("intake:public", args=[service.organisation.slug])


def test_public_enquiry_opens_a_case_with_its_people_children_and_audit(client, service):
    response = client.post(_url(service), _post(), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    case = enquiry.case
    assert case.organisation == service.organisation
    assert case.kind == "family_children"
    assert case.stage == case.workflow.first.code
    assert case.created_by is None
    people = {p.full_name: p for p in case.participants.all()}
    assert set(people) == {"Dana Green", "Eli Green"}
    assert people["Dana Green"].safe_contact_methods == ["email", "phone"]
    assert people["Dana Green"].date_of_birth == dt.date(1985, 4, 2)
    assert "Not safe to contact" in people["Eli Green"].safe_contact_notes
    assert enquiry.other_parties_safe == {str(people["Eli Green"].pk): "no"}
    assert enquiry.source == EnquirySource.PUBLIC
    assert [c.full_name for c in enquiry.children.all()] == ["Fay Green"]
    assert enquiry.submitter_ip_hash == services.ip_hash("203.0.113.9")
    assert "203.0.113.9" not in enquiry.submitter_ip_hash
    events = AuditEvent.objects.filter(case_id=case.pk).order_by("sequence")
    assert [e.action for e in events] == [
        "case.opened",
        "participant.added",
        "participant.added",
        "enquiry.received",
    ]
    assert {e.actor_label for e in events} == {"public enquiry form"}
    assert all(e.actor_id is None for e in events)
    assert "Dana" not in str([e.details for e in events])


def test_the_thank_you_page_names_no_case(client, service):
    response = client.post(_url(service), _post(), follow=True)
    case = Enquiry.objects.get().case
    body = response.content.decode()
    assert "Thank you" in body
    assert case.reference not in body
    assert "ACC-" not in body


def test_a_failure_midway_saves_nothing(client, service):
    before = _counts()
    with (
        mock.patch(
            "accord.intake.services.Child.objects.bulk_create",
            side_effect=RuntimeError("disk full"),
        ),
        pytest.raises(RuntimeError),
    ):
        services.enquiry_submit(
            actor=None,
            organisation=service.organisation,
            source=EnquirySource.PUBLIC,
            applicant={
                "full_name": "Dana Green",
                "email": "dana@example.com",
                "safe_contact_methods": ["email"],
            },
            other_parties=[{"full_name": "Eli Green", "safe_to_contact": "yes"}],
            children=[{"full_name": "Fay", "date_of_birth": None}],
            issues=["finances"],
            urgency="routine",
        )
    assert _counts() == before


def test_a_bad_other_party_email_rolls_back_the_opened_case(service):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        services.enquiry_submit(
            actor=None,
            organisation=service.organisation,
            source=EnquirySource.PUBLIC,
            applicant={
                "full_name": "Dana Green",
                "email": "dana@example.com",
                "safe_contact_methods": ["email"],
            },
            other_parties=[{"full_name": "Eli", "email": "not-an-email", "safe_to_contact": "yes"}],
            children=[],
            issues=["finances"],
            urgency="routine",
        )
    assert "other_1_email" in caught.value.field_errors
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"email": "dana-at-example"}, "email"),
        ({"child_1_date_of_birth": "2999-01-01"}, "child_1_date_of_birth"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"issues": []}, "issues"),
        ({"court_proceedings": "yes", "court_details": ""}, "court_details"),
        ({"other_1_safe_to_contact": ""}, "other_1_safe_to_contact"),
    ],
)
def test_bad_input_shows_the_field_error_and_saves_nothing(client, service, overrides, field):
    before = _counts()
    response = client.post(_url(service), _post(**overrides))
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert "There is a problem" in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "", "phone": "", "safe_contact_methods": ["post"]}, "email"),
        ({"safe_contact_methods": []}, "safe_contact_methods"),
        ({"email": "", "safe_contact_methods": ["email", "post"]}, "safe_contact_methods"),
        ({"phone": "", "safe_contact_methods": ["phone", "text"]}, "safe_contact_methods"),
    ],
)
def test_a_public_enquiry_needs_one_safe_way_to_reach_the_person(client, service, overrides, field):
    before = _counts()
    response = client.post(_url(service), _post(**overrides))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors[field] == [services.SAFE_CONTACT_REASON]
    assert "so that we do not contact you in a way that could put you at risk" in (
        response.content.decode()
    )
    assert _counts() == before


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "", "safe_contact_methods": ["phone"]},
        {"email": "", "safe_contact_methods": ["text"]},
        {"phone": "", "safe_contact_methods": ["email"]},
    ],
)
def test_an_email_or_a_phone_marked_safe_is_enough(client, service, overrides):
    assert client.post(_url(service), _post(**overrides)).status_code == 302


def test_the_public_form_marks_the_contact_details_truthfully_and_for_autofill(client, service):
    html = client.get(_url(service)).content.decode()
    assert "Your email address (optional)" not in html
    assert "Your phone number (optional)" not in html
    assert "Your address (optional)" in html
    for token in ("name", "email", "tel", "street-address", "bday"):
        assert f'autocomplete="{token}"' in html
    assert 'type="date"' not in html


def test_staff_may_record_an_enquiry_with_no_contact_details_yet(service):
    enquiry = services.enquiry_submit(
        actor=service.coordinator,
        organisation=service.organisation,
        source=EnquirySource.STAFF,
        applicant={"full_name": "Dana Green"},
        other_parties=[],
        children=[],
        issues=["finances"],
        urgency="routine",
    )
    assert enquiry.pk


def test_a_filled_honeypot_is_thanked_and_saves_nothing(client, service):
    before = _counts()
    response = client.post(_url(service), _post(website="http://spam.example"))
    assert response.status_code == 302
    assert response.url == reverse("intake:thanks", args=[service.organisation.slug])
    assert _counts() == before


@pytest.mark.parametrize("started", ["forged", ""])
def test_a_too_fast_or_forged_submission_is_thanked_and_saves_nothing(
    client, service, started, monkeypatch
):
    # A generous minimum, so a slow test machine cannot make the "too fast" post look human.
    monkeypatch.setattr(views, "MIN_FILL_SECONDS", 600)
    before = _counts()
    token = _started(seconds_ago=0) if started == "" else "enquiry:forged:forged"
    response = client.post(_url(service), _post(started=token))
    assert response.status_code == 302
    assert _counts() == before


def test_a_form_left_open_for_days_is_shown_again_not_rejected(client, service):
    response = client.post(_url(service), _post(started=_started(seconds_ago=3 * 24 * 3600)))
    assert response.status_code == 422
    assert "check your answers" in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_the_rate_limit_stops_the_sixth_enquiry_kindly(client, service, other_service):
    for _ in range(views.RATE_LIMIT):
        assert client.post(_url(service), _post(), REMOTE_ADDR="198.51.100.7").status_code == 302
    response = client.post(_url(service), _post(), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "try again" in response.content.decode()
    assert Enquiry.objects.count() == views.RATE_LIMIT
    # Another address, and the same address at another service, are not held back.
    assert client.post(_url(service), _post(), REMOTE_ADDR="198.51.100.8").status_code == 302
    assert client.post(_url(other_service), _post(), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_an_unknown_service_is_not_found(client, service):
    assert client.get(reverse("intake:public", args=["no-such-service"])).status_code == 404
    assert (
        client.post(reverse("intake:public", args=["no-such-service"]), _post()).status_code == 404
    )


def test_the_public_form_shows_without_signing_in(client, service):
    response = client.get(_url(service))
    assert response.status_code == 200
    body = response.content.decode()
    assert service.organisation.name in body
    assert 'name="website"' in body and 'name="started"' in body


def test_case_kind_follows_the_issues():
    assert services.case_kind_for(["child_maintenance"]) == "family_children"
    assert services.case_kind_for(["property"]) == "family_finance"
    assert services.case_kind_for(["child_arrangements", "finances"]) == "family_all"
    assert services.case_kind_for(["other"]) == "family_all"


def test_staff_enquiry_opens_a_case_for_the_coordinator(client, service):
    client.force_login(service.coordinator)
    data = _post()
    data.pop("website")
    data.pop("started")
    response = client.post(reverse("intake:staff_new"), data)
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[enquiry.case.pk])
    assert enquiry.source == EnquirySource.STAFF
    assert enquiry.case.created_by == service.coordinator
    event = AuditEvent.objects.get(action="enquiry.received")
    assert event.actor_id == service.coordinator.pk


def test_a_mediator_who_takes_an_enquiry_leads_its_case(service):
    enquiry = services.enquiry_submit(
        actor=service.mediator2,
        organisation=service.organisation,
        source=EnquirySource.STAFF,
        applicant={
            "full_name": "Dana Green",
            "email": "dana@example.com",
            "safe_contact_methods": ["email"],
        },
        other_parties=[],
        children=[],
        issues=["property"],
        urgency="routine",
    )
    assert enquiry.case.lead_mediator == service.mediator2
    assert enquiry.case.participants.count() == 1


@pytest.mark.parametrize("who", ["supervisor", "safeguarding_lead"])
def test_staff_who_cannot_open_cases_cannot_record_enquiries(client, service, who):
    client.force_login(getattr(service, who))
    before = _counts()
    assert client.post(reverse("intake:staff_new"), _post()).status_code == 403
    assert _counts() == before


def test_a_party_cannot_reach_the_staff_enquiry_form(client, service):
    client.force_login(service.parties["alice"])
    assert client.get(reverse("intake:staff_new")).status_code == 404


def test_the_dashboard_links_to_the_staff_enquiry_form(client, service):
    client.force_login(service.coordinator)
    assert reverse("intake:staff_new") in client.get(reverse("cases:dashboard")).content.decode()


def test_the_public_actor_cannot_add_people_to_an_existing_case(service):
    from accord.cases import services as case_services
    from accord.core.errors import NotFoundOrHidden

    with pytest.raises(NotFoundOrHidden):
        case_services.participant_add(
            actor=case_services.PUBLIC_ENQUIRY_FORM,
            case=service.case,
            role="party",
            full_name="Mallory",
        )
    assert not service.case.participants.filter(full_name="Mallory").exists()
