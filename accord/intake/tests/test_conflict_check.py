"""The conflict check: matches across cases of one service, shown only to who may see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.cases.workspace import section_url
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.intake import selectors, services
from accord.intake.models import Enquiry, EnquirySource

pytestmark = pytest.mark.django_db


def _enquiry(service: Any, **applicant: Any) -> Enquiry:
    return services.enquiry_submit(
        actor=None,
        organisation=service.organisation,
        source=EnquirySource.PUBLIC,
        applicant={
            "full_name": "Dana Green",
            "email": "dana@example.com",
            "safe_contact_methods": ["email"],
            **applicant,
        },
        other_parties=[],
        children=[],
        issues=["child_arrangements"],
        urgency="routine",
    )


def _add_to_civil(service: Any, **details: Any) -> None:
    case_services.participant_add(
        actor=service.coordinator, case=service.cases["civil"], role="party", **details
    )


def _led_by_mediator(service: Any, enquiry: Enquiry) -> None:
    """The enquiry's case goes to `service.mediator` alone (who does not lead the civil case)."""
    case_services.case_assign_team(
        actor=service.coordinator,
        case=enquiry.case,
        lead_mediator=service.mediator,
        co_mediator=None,
        supervisor=None,
    )


def test_a_match_by_name_and_date_of_birth_is_found(service):
    _add_to_civil(service, full_name="dana  GREEN", date_of_birth=dt.date(1985, 4, 2))
    enquiry = _enquiry(service, full_name="Dana Green", date_of_birth=dt.date(1985, 4, 2))
    matches = selectors.conflict_matches(user=service.coordinator, case=enquiry.case)
    assert [(m.other_case, m.reasons) for m in matches] == [
        (service.cases["civil"], ("name and date of birth",))
    ]


def test_the_same_name_with_another_date_of_birth_is_not_a_match(service):
    _add_to_civil(service, full_name="Dana Green", date_of_birth=dt.date(1990, 1, 1))
    enquiry = _enquiry(service, date_of_birth=dt.date(1985, 4, 2))
    assert selectors.conflict_matches(user=service.coordinator, case=enquiry.case) == []


def test_a_match_by_email_ignores_case(service):
    enquiry = _enquiry(service, full_name="D. Green", email="ALICE@riverside.example")
    matches = selectors.conflict_matches(user=service.coordinator, case=enquiry.case)
    assert [(m.other_case, m.other_person, m.reasons) for m in matches] == [
        (service.case, "Alice Smith", ("email",))
    ]


def test_a_match_by_phone_ignores_spacing_and_the_uk_prefix(service):
    _add_to_civil(service, full_name="Someone Else", phone="+44 7700 900123")
    enquiry = _enquiry(service, phone="07700-900-123")
    matches = selectors.conflict_matches(user=service.coordinator, case=enquiry.case)
    assert [m.reasons for m in matches] == [("phone",)]


def test_people_in_another_service_are_never_matched(service, other_service):
    enquiry = _enquiry(other_service, full_name="Alice Smith", email="alice@riverside.example")
    assert selectors.conflict_matches(user=other_service.coordinator, case=enquiry.case) == []
    assert selectors.conflict_matches(user=service.coordinator, case=enquiry.case) == []


def test_a_mediator_sees_only_matches_in_cases_they_can_open(service):
    enquiry = _enquiry(service, email="carol@riverside.example")
    _led_by_mediator(service, enquiry)
    # Carol's civil case is led by mediator2: the coordinator sees the match, mediator does not.
    assert len(selectors.conflict_matches(user=service.coordinator, case=enquiry.case)) == 1
    assert selectors.conflict_matches(user=service.mediator, case=enquiry.case) == []


def test_the_workspace_shows_the_warning_to_the_coordinator(client, service):
    enquiry = _enquiry(service, email="alice@riverside.example")
    client.force_login(service.coordinator)
    body = client.get(section_url(enquiry.case.pk, "people")).content.decode()
    assert "Conflict check" in body
    assert service.case.reference in body
    assert "Record the decision" in body


def test_a_case_without_an_enquiry_shows_no_panel(client, service):
    client.force_login(service.coordinator)
    body = client.get(section_url(service.case.pk, "people")).content.decode()
    assert "Conflict check" not in body


def test_the_decision_is_recorded_and_audited(client, service):
    enquiry = _enquiry(service, email="alice@riverside.example")
    client.force_login(service.coordinator)
    response = client.post(
        reverse("intake:conflict_decision", args=[enquiry.case.pk]),
        {"decision": "proceed", "note": "Different Alice; checked by phone."},
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.conflict_decision == "proceed"
    assert enquiry.conflict_decided_by == service.coordinator
    event = AuditEvent.objects.get(action="enquiry.conflict_checked")
    assert event.case_id == enquiry.case.pk
    assert event.details == {"decision": "proceed", "matches_seen": 1}


def test_a_decision_other_than_no_conflict_needs_a_note(client, service):
    enquiry = _enquiry(service)
    client.force_login(service.coordinator)
    response = client.post(
        reverse("intake:conflict_decision", args=[enquiry.case.pk]), {"decision": "conflict"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["note"]
    enquiry.refresh_from_db()
    assert enquiry.conflict_decision == ""
    with pytest.raises(ValidationFailed):
        services.conflict_check_record(actor=service.coordinator, enquiry=enquiry, decision="x")


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_a_party_cannot_see_the_panel_or_record_a_decision(client, service, who):
    enquiry = _enquiry(service, email="alice@riverside.example")
    user = service.parties[who]
    client.force_login(user)
    assert client.get(section_url(enquiry.case.pk, "people")).status_code == 404
    response = client.post(
        reverse("intake:conflict_decision", args=[enquiry.case.pk]), {"decision": "no_conflict"}
    )
    assert response.status_code == 404
    assert selectors.conflict_matches(user=user, case=enquiry.case) == []
    with pytest.raises(NotFoundOrHidden):
        services.conflict_check_record(actor=user, enquiry=enquiry, decision="no_conflict")
    enquiry.refresh_from_db()
    assert enquiry.conflict_decision == ""


def test_staff_of_another_service_get_404(client, service, other_service):
    enquiry = _enquiry(service)
    client.force_login(other_service.coordinator)
    response = client.post(
        reverse("intake:conflict_decision", args=[enquiry.case.pk]), {"decision": "no_conflict"}
    )
    assert response.status_code == 404
    assert selectors.enquiry_for_case(user=other_service.coordinator, case=enquiry.case) is None
    enquiry.refresh_from_db()
    assert enquiry.conflict_decision == ""


def test_the_safeguarding_lead_sees_the_panel_but_may_not_decide(service):
    enquiry = _enquiry(service)
    with pytest.raises(NotPermitted):
        services.conflict_check_record(
            actor=service.safeguarding_lead, enquiry=enquiry, decision="no_conflict"
        )
    assert selectors.enquiry_for_case(user=service.safeguarding_lead, case=enquiry.case)
    assert not AuditEvent.objects.filter(action="enquiry.conflict_checked").exists()


def test_the_workspace_shows_the_enquiry_to_staff(client, service):
    enquiry = services.enquiry_submit(
        actor=None,
        organisation=service.organisation,
        source=EnquirySource.PUBLIC,
        applicant={
            "full_name": "Dana Green",
            "email": "dana@example.com",
            "safe_contact_methods": ["email"],
        },
        other_parties=[],
        children=[{"full_name": "Fay Green", "date_of_birth": dt.date(2016, 5, 1)}],
        issues=["child_maintenance", "property"],
        urgency="urgent",
        court_proceedings=True,
        court_details="Hearing at Leeds on 3 December.",
    )
    client.force_login(service.coordinator)
    body = client.get(section_url(enquiry.case.pk, "people")).content.decode()
    assert "Child maintenance, Property" in body
    assert "Fay Green (born 1 May 2016)" in body
    assert "Hearing at Leeds on 3 December." in body


def test_the_check_is_stored_when_the_enquiry_arrives_and_rerun_on_demand(client, service):
    enquiry = _enquiry(service, email="dana@elsewhere.example", phone="07700 900999")
    assert enquiry.conflict_checked_at is not None
    assert selectors.conflict_matches(user=service.coordinator, case=enquiry.case) == []
    # Someone with the same phone joins another case later: a page view does not re-run the
    # check (it only reads the stored result) ...
    _add_to_civil(service, full_name="Dan Green", phone="+44 7700 900999")
    assert selectors.conflict_matches(user=service.coordinator, case=enquiry.case) == []
    # ... until someone asks for it again.
    client.force_login(service.coordinator)
    response = client.post(reverse("intake:conflict_rerun", args=[enquiry.case.pk]))
    assert response.status_code == 302
    matches = selectors.conflict_matches(user=service.coordinator, case=enquiry.case)
    assert [(m.other_person, m.reasons) for m in matches] == [("Dan Green", ("phone",))]
    event = AuditEvent.objects.get(action="enquiry.conflict_check_run")
    assert event.details == {"matches_seen": 1}


def test_only_those_who_may_act_can_rerun_the_check(client, service):
    enquiry = _enquiry(service)
    checked = Enquiry.objects.get(pk=enquiry.pk).conflict_checked_at
    client.force_login(service.safeguarding_lead)
    response = client.post(reverse("intake:conflict_rerun", args=[enquiry.case.pk]))
    assert response.status_code in (403, 404)
    assert Enquiry.objects.get(pk=enquiry.pk).conflict_checked_at == checked
    assert not AuditEvent.objects.filter(action="enquiry.conflict_check_run").exists()


def test_the_workspace_reads_the_stored_check_in_a_fixed_number_of_queries(client, service):
    enquiry = _enquiry(service, email="alice@riverside.example")
    for number in range(30):
        _add_to_civil(service, full_name=f"Person {number}", email=f"p{number}@x.example")
    client.force_login(service.coordinator)
    url = section_url(enquiry.case.pk, "people")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    services.conflict_check_run(actor=service.coordinator, enquiry=enquiry)
    with CaptureQueriesContext(connection) as same:
        body = client.get(url).content.decode()
    assert service.case.reference in body
    assert len(same.captured_queries) == len(few.captured_queries)
    # No lookup by the matching keys: the page reads the stored result only.
    assert not any('"email_key" =' in q["sql"] for q in same.captured_queries)


def _many_matches(service: Any, count: int) -> Enquiry:
    """An enquiry whose applicant shares an email with `count` people in the civil case, one of
    whom also has the applicant's name and date of birth."""
    born = dt.date(1985, 4, 2)
    for number in range(count - 1):
        _add_to_civil(service, full_name=f"Person {number}", email="shared@x.example")
    _add_to_civil(service, full_name="Dana Green", date_of_birth=born, email="dana@y.example")
    return _enquiry(service, email="shared@x.example", date_of_birth=born)


def test_the_panel_lists_the_strongest_matches_and_links_to_all_of_them(client, service):
    enquiry = _many_matches(service, selectors.CONFLICT_SHOWN + 5)
    summary = selectors.conflict_summary(user=service.coordinator, case=enquiry.case)
    assert summary.total == selectors.CONFLICT_SHOWN + 5
    assert summary.other_cases == 1
    assert len(summary.shown) == selectors.CONFLICT_SHOWN
    assert summary.shown[0].other_person == "Dana Green"
    assert summary.shown[0].reasons == ("name and date of birth",)

    client.force_login(service.coordinator)
    url = section_url(enquiry.case.pk, "people")
    body = client.get(url).content.decode()
    total = selectors.CONFLICT_SHOWN + 5
    assert f"{total} matches in 1 other case" in body
    assert body.count("matches Person ") + body.count("matches Dana Green") == 20
    assert f"Show all {total} matches</a>" in body
    everything = client.get(url + "&conflicts=all").content.decode()
    assert everything.count("matches Person ") + everything.count("matches Dana Green") == total
    assert "Show all" not in everything


def test_a_few_matches_are_all_listed_without_a_link(client, service):
    enquiry = _many_matches(service, 3)
    client.force_login(service.coordinator)
    body = client.get(section_url(enquiry.case.pk, "people")).content.decode()
    assert "3 matches in 1 other case" in body
    assert "Show all" not in body


def test_the_counts_leave_out_cases_the_user_cannot_open_and_people_since_removed(service):
    enquiry = _many_matches(service, 4)
    _led_by_mediator(service, enquiry)
    # The civil case is led by mediator2: mediator sees none of its matches, nor their number.
    hidden = selectors.conflict_summary(user=service.mediator, case=enquiry.case)
    assert (hidden.total, hidden.shown) == (0, [])
    gone = service.cases["civil"].participants.get(full_name="Person 0")
    gone.delete()
    summary = selectors.conflict_summary(user=service.coordinator, case=enquiry.case, limit=0)
    assert (summary.total, summary.shown) == (3, [])
