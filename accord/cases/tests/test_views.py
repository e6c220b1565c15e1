"""The staff case pages: who sees what, what each form changes, and what bad input gets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases import services
from accord.cases.models import Case, Participant
from accord.cases.views import TimelineEntry
from accord.cases.workspace import section_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 costs about half a second per user the factories make; these tests use force_login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _participant(case: Case, name: str) -> Participant:
    return case.participants.get(full_name=name)


def _snapshot(case: Case) -> dict[str, Any]:
    """Everything a POST to a case page could change."""
    case = Case.objects.get(pk=case.pk)
    return {
        "case": (
            case.stage,
            case.title,
            case.summary,
            case.lead_mediator_id,
            case.co_mediator_id,
            case.supervisor_id,
        ),
        "participants": list(
            Participant.objects.filter(case=case)
            .order_by("id")
            .values_list("full_name", "email", "address", "confidential_address", "portal_access")
        ),
        "cases": Case.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def _valid_posts(case: Case, participant: Participant, service: Any) -> list[tuple[str, dict]]:
    """A well-formed POST to every case form, as the lead mediator or coordinator would send."""
    return [
        (
            reverse("cases:move_stage", args=[case.pk]),
            {"to_stage": "miam", "reason": "Both agreed to a MIAM."},
        ),
        (reverse("cases:edit", args=[case.pk]), {"title": "Hijacked", "summary": "x"}),
        (
            reverse("cases:team", args=[case.pk]),
            {"lead_mediator": service.mediator2.pk, "co_mediator": "", "supervisor": ""},
        ),
        (
            reverse("cases:participant_add", args=[case.pk]),
            {"role": "party", "full_name": "Mallory Intruder"},
        ),
        (
            reverse("cases:participant_edit", args=[case.pk, participant.pk]),
            {"role": "party", "full_name": "Renamed", "email": "x@example.org"},
        ),
        (reverse("cases:participant_invite", args=[case.pk, participant.pk]), {}),
    ]


# Who may open which page -------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, service):
    response = client.get(reverse("cases:detail", args=[service.case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["mediator", "coordinator", "admin", "supervisor"])
def test_dashboard_and_list_render_for_staff(client, service, role):
    client.force_login(getattr(service, role))
    assert client.get(reverse("cases:dashboard")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200


def test_dashboard_lists_the_mediators_own_cases_with_what_is_next(client, service):
    client.force_login(service.mediator)
    page = client.get(reverse("cases:dashboard")).content.decode()
    assert service.case.reference in page
    assert service.case.next_step in page
    assert "Lead mediator" in page
    assert service.cases["civil"].reference not in page
    assert "Open cases in the service" not in page


def test_dashboard_counts_open_cases_by_stage_for_coordinators(client, service):
    client.force_login(service.coordinator)
    response = client.get(reverse("cases:dashboard"))
    page = response.content.decode()
    assert "Open cases in the service" in page
    assert "2 open cases." in page
    assert [(row.workflow, row.count) for row in response.context["stage_counts"]] == [
        ("Civil mediation", 1),
        ("Family mediation", 1),
    ]


def test_supervisor_sees_supervised_cases_on_dashboard(client, service):
    client.force_login(service.supervisor)
    page = client.get(reverse("cases:dashboard")).content.decode()
    assert service.case.reference in page
    assert service.cases["civil"].reference in page
    assert "Supervisor" in page


@pytest.mark.parametrize(
    "role", ["admin", "coordinator", "mediator", "supervisor", "safeguarding_lead"]
)
def test_workspace_renders_for_staff_who_may_see_it(client, service, role):
    client.force_login(getattr(service, role))
    response = client.get(reverse("cases:detail", args=[service.case.pk]))
    assert response.status_code == 200
    assert service.case.reference in response.content.decode()
    assert client.get(reverse("cases:timeline", args=[service.case.pk])).status_code == 200


def test_party_gets_404_for_every_staff_page(client, service):
    case = service.case
    alice = _participant(case, "Alice Smith")
    client.force_login(service.parties["alice"])
    urls = [
        reverse("cases:dashboard"),
        reverse("cases:list"),
        reverse("cases:new"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:timeline", args=[case.pk]),
        reverse("cases:move_stage", args=[case.pk]),
        reverse("cases:edit", args=[case.pk]),
        reverse("cases:team", args=[case.pk]),
        reverse("cases:participant_add", args=[case.pk]),
        reverse("cases:participant_edit", args=[case.pk, alice.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["mediator2", "other_admin", "alice"])
def test_outsiders_get_404_for_the_workspace_and_every_post_and_nothing_changes(
    client, service, other_service, who
):
    user = {
        "mediator2": service.mediator2,
        "other_admin": other_service.admin,
        "alice": service.parties["alice"],
    }[who]
    case = service.case
    bob = _participant(case, "Bob Jones")
    before = _snapshot(case)
    client.force_login(user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    for url, data in _valid_posts(case, bob, service):
        assert client.post(url, data).status_code == 404, url
    assert _snapshot(case) == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("who", "url_name", "data"),
    [
        ("supervisor", "cases:move_stage", {"to_stage": "miam", "reason": "Because."}),
        ("safeguarding_lead", "cases:edit", {"title": "Changed", "summary": ""}),
        ("mediator", "cases:team", {"lead_mediator": "", "co_mediator": "", "supervisor": ""}),
        ("supervisor", "cases:participant_add", {"role": "party", "full_name": "New Person"}),
    ],
)
def test_staff_who_may_see_but_not_act_get_403_and_nothing_changes(
    client, service, who, url_name, data
):
    case = service.case
    before = _snapshot(case)
    client.force_login(getattr(service, who))
    assert client.get(reverse(url_name, args=[case.pk])).status_code == 403
    response = client.post(reverse(url_name, args=[case.pk]), data)
    assert response.status_code == 403
    assert "You do not have permission to do that" in response.content.decode()
    assert _snapshot(case) == before


def test_supervisor_may_not_change_or_invite_participants(client, service):
    case = service.case
    bob = _participant(case, "Bob Jones")
    before = _snapshot(case)
    client.force_login(service.supervisor)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Invite to portal" not in page and "Send a new portal invitation" not in page
    assert reverse("cases:participant_edit", args=[case.pk, bob.pk]) not in page
    edit = reverse("cases:participant_edit", args=[case.pk, bob.pk])
    assert client.post(edit, {"role": "party", "full_name": "X"}).status_code == 403
    invite = reverse("cases:participant_invite", args=[case.pk, bob.pk])
    assert client.post(invite).status_code == 403
    assert _snapshot(case) == before


def test_participant_of_another_case_is_404_even_for_a_manager(client, service):
    carol = _participant(service.cases["civil"], "Carol Brown")
    client.force_login(service.coordinator)
    url = reverse("cases:participant_edit", args=[service.case.pk, carol.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"role": "party", "full_name": "Moved"}).status_code == 404
    assert Participant.objects.get(pk=carol.pk).full_name == "Carol Brown"


def test_forms_are_shown_only_to_those_allowed(client, service):
    case = service.case
    client.force_login(service.safeguarding_lead)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    page += client.get(section_url(case, "people")).content.decode()
    assert reverse("cases:move_stage", args=[case.pk]) not in page
    assert reverse("cases:edit", args=[case.pk]) not in page
    assert reverse("cases:team", args=[case.pk]) not in page
    assert reverse("cases:participant_add", args=[case.pk]) not in page
    client.force_login(service.mediator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:move_stage", args=[case.pk]) in page
    page = client.get(section_url(case, "people")).content.decode()
    assert reverse("cases:participant_add", args=[case.pk]) in page
    assert reverse("cases:team", args=[case.pk]) not in page
    client.force_login(service.coordinator)
    page = client.get(section_url(case, "people")).content.decode()
    assert reverse("cases:team", args=[case.pk]) in page


def test_unknown_case_and_huge_ids_are_404(client, service):
    client.force_login(service.admin)
    assert client.get("/cases/999999/").status_code == 404
    assert client.get("/cases/99999999999999999999999/").status_code == 404


# Confidentiality ---------------------------------------------------------------------------------


def test_confidential_address_is_withheld_from_the_coordinator(client, service):
    client.force_login(service.coordinator)
    page = client.get(section_url(service.case, "people")).content.decode()
    assert "Address withheld (confidential)" in page
    assert "1 Hidden Lane" not in page
    assert "2 Open Road, Leeds" in page  # bob's address is not confidential


def test_confidential_address_is_shown_to_the_lead_mediator(client, service):
    client.force_login(service.mediator)
    page = client.get(section_url(service.case, "people")).content.decode()
    assert "1 Hidden Lane, Leeds" in page
    assert "Address withheld (confidential)" not in page


def test_coordinator_edit_form_leaves_out_the_confidential_address(client, service):
    alice = _participant(service.case, "Alice Smith")
    client.force_login(service.coordinator)
    response = client.get(reverse("cases:participant_edit", args=[service.case.pk, alice.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 Hidden Lane" not in page
    assert 'name="address"' not in page
    assert 'name="confidential_address"' not in page
    assert "Address withheld (confidential)" in page


def test_coordinator_cannot_overwrite_or_unflag_a_confidential_address(client, service):
    alice = _participant(service.case, "Alice Smith")
    client.force_login(service.coordinator)
    response = client.post(
        reverse("cases:participant_edit", args=[service.case.pk, alice.pk]),
        {
            "role": "party",
            "full_name": "Alice Smith",
            "email": "alice@riverside.example",
            "address": "Somewhere I can read",
            "confidential_address": "",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.address == "1 Hidden Lane, Leeds"
    assert alice.confidential_address is True


def test_lead_mediator_edit_form_shows_and_saves_the_address(client, service):
    alice = _participant(service.case, "Alice Smith")
    url = reverse("cases:participant_edit", args=[service.case.pk, alice.pk])
    client.force_login(service.mediator)
    assert "1 Hidden Lane, Leeds" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "role": "party",
            "full_name": "Alice Smith",
            "email": "alice@riverside.example",
            "address": "3 New Street, York",
            "confidential_address": "on",
            "safe_contact_methods": ["email", "text"],
            "date_of_birth": "1990-05-17",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.address == "3 New Street, York"
    assert alice.confidential_address is True
    assert alice.safe_contact_methods == ["email", "text"]
    assert alice.date_of_birth == dt.date(1990, 5, 17)


# Forms: success and bad input --------------------------------------------------------------------


def test_lead_mediator_moves_the_stage_and_the_timeline_says_why(client, service):
    case = service.case
    client.force_login(service.mediator)
    response = client.post(
        reverse("cases:move_stage", args=[case.pk]),
        {"to_stage": "miam", "reason": "Both parties agreed."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert Case.objects.get(pk=case.pk).stage == "miam"
    page = response.content.decode()
    assert "The case has moved to “MIAM”." in page
    page = client.get(section_url(case, "timeline")).content.decode()
    name = service.mediator.full_name
    assert f"{name} moved the case from Enquiry to MIAM: Both parties agreed." in page


def test_move_stage_without_a_reason_shows_the_error_and_changes_nothing(client, service):
    case = service.case
    before = _snapshot(case)
    client.force_login(service.mediator)
    response = client.post(reverse("cases:move_stage", args=[case.pk]), {"to_stage": "miam"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page
    assert '<a href="#id_reason">Enter a reason for moving the case.</a>' in page
    assert 'aria-invalid="true"' in page
    assert "<title>Error: " in page
    assert _snapshot(case) == before


def test_move_to_a_stage_the_workflow_does_not_allow_is_refused(client, service):
    case = service.case
    before = _snapshot(case)
    client.force_login(service.mediator)
    response = client.post(
        reverse("cases:move_stage", args=[case.pk]), {"to_stage": "outcome", "reason": "Skip."}
    )
    assert response.status_code == 422
    assert (
        '<a href="#id_to_stage_0">Choose one of the stages offered.</a>'
        in response.content.decode()
    )
    assert _snapshot(case) == before


def test_empty_post_shows_errors_rather_than_a_blank_form(client, service):
    client.force_login(service.mediator)
    response = client.post(reverse("cases:edit", args=[service.case.pk]), {})
    assert response.status_code == 422
    assert "Enter a title." in response.content.decode()


def test_other_domain_errors_show_at_the_top_of_the_form(client, service, monkeypatch):
    from accord.core.errors import DomainError

    def refuse(**kwargs: Any) -> None:
        raise DomainError("This case is locked while the records are checked.")

    monkeypatch.setattr(services, "case_update_details", refuse)
    client.force_login(service.coordinator)
    response = client.post(reverse("cases:edit", args=[service.case.pk]), {"title": "New"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "<li>This case is locked while the records are checked.</li>" in page


def test_edit_details_saves_the_title_and_summary(client, service):
    client.force_login(service.coordinator)
    url = reverse("cases:edit", args=[service.case.pk])
    response = client.post(url, {"title": "Smith / Jones (2)", "summary": "Two children."})
    assert response.status_code == 302
    case = Case.objects.get(pk=service.case.pk)
    assert (case.title, case.summary) == ("Smith / Jones (2)", "Two children.")


def test_edit_details_with_a_blank_title_changes_nothing(client, service):
    before = _snapshot(service.case)
    client.force_login(service.coordinator)
    response = client.post(reverse("cases:edit", args=[service.case.pk]), {"title": "   "})
    assert response.status_code == 422
    assert "Enter a title." in response.content.decode()
    assert _snapshot(service.case) == before


def test_add_participant_saves_every_field(client, service):
    case = service.case
    client.force_login(service.mediator)
    response = client.post(
        reverse("cases:participant_add", args=[case.pk]),
        {
            "role": "solicitor",
            "full_name": "Sam Patel",
            "organisation_name": "Patel & Co",
            "email": "Sam@Patel.example",
            "phone": "+44 113 496 0000",
            "address": "4 Court Row, Leeds",
            "date_of_birth": "1980-01-31",
            "safe_contact_methods": ["phone", "email"],
            "safe_contact_notes": "Office hours only.",
        },
    )
    assert response.status_code == 302
    sam = _participant(case, "Sam Patel")
    assert (sam.role, sam.email, sam.phone) == (
        "solicitor",
        "sam@patel.example",
        "+44 113 496 0000",
    )
    assert sam.safe_contact_methods == ["email", "phone"]
    assert sam.date_of_birth == dt.date(1980, 1, 31)
    assert sam.confidential_address is False


@pytest.mark.parametrize(
    ("date_of_birth", "message"),
    [
        ("2020-02-30", "Enter the date of birth as a real date"),
        ("31/13/2001", "Enter the date of birth as a real date"),
        ("next tuesday", "Enter the date of birth as a real date"),
        ("2999-01-01", "The date of birth must be in the past."),
        ("1850-06-01", "The date of birth must be after 1900."),
    ],
)
def test_add_participant_with_an_impossible_date_shows_a_clear_error(
    client, service, date_of_birth, message
):
    before = _snapshot(service.case)
    client.force_login(service.mediator)
    response = client.post(
        reverse("cases:participant_add", args=[service.case.pk]),
        {"role": "party", "full_name": "Dee Date", "date_of_birth": date_of_birth},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert 'href="#id_date_of_birth"' in page
    assert _snapshot(service.case) == before


def test_add_participant_with_bad_fields_lists_each_error(client, service):
    before = _snapshot(service.case)
    client.force_login(service.mediator)
    response = client.post(
        reverse("cases:participant_add", args=[service.case.pk]),
        {
            "role": "king",
            "full_name": "",
            "email": "not-an-email",
            "phone": "call me maybe",
            "safe_contact_methods": ["pigeon"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#id_role">Choose the participant&#x27;s role from the list.</a>' in page
    assert '<a href="#id_full_name">' in page
    assert '<a href="#id_email">Enter an email address in the correct format' in page
    assert '<a href="#id_safe_contact_methods_0">' in page
    assert _snapshot(service.case) == before


def test_service_rules_show_on_the_field_they_are_about(client, service):
    client.force_login(service.mediator)
    response = client.post(
        reverse("cases:participant_add", args=[service.case.pk]),
        {"role": "party", "full_name": "Phil Phone", "phone": "0113 abc"},
    )
    assert response.status_code == 422
    assert '<a href="#id_phone">Enter a phone number using digits' in response.content.decode()


def test_coordinator_assigns_the_case_team(client, service):
    client.force_login(service.coordinator)
    response = client.post(
        reverse("cases:team", args=[service.case.pk]),
        {
            "lead_mediator": service.mediator.pk,
            "co_mediator": service.mediator2.pk,
            "supervisor": service.supervisor.pk,
        },
        follow=True,
    )
    case = Case.objects.get(pk=service.case.pk)
    assert case.co_mediator_id == service.mediator2.pk
    assert response.redirect_chain[-1][0] == section_url(case, "people")
    page = client.get(section_url(case, "timeline")).content.decode()
    assert (
        f"{service.coordinator.full_name} changed the case team: "
        f"the co-mediator is now {service.mediator2.full_name}"
    ) in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("co_mediator", "lead", "The co-mediator must be someone other than the lead mediator."),
        ("supervisor", "admin", "Choose someone from the list."),
        ("lead_mediator", "abc", "Choose someone from the list."),
    ],
)
def test_bad_case_team_shows_errors_and_changes_nothing(client, service, field, value, message):
    data = {"lead_mediator": service.mediator.pk, "co_mediator": "", "supervisor": ""}
    data[field] = {"lead": service.mediator.pk, "admin": service.admin.pk}.get(value, value)
    before = _snapshot(service.case)
    client.force_login(service.coordinator)
    response = client.post(reverse("cases:team", args=[service.case.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert _snapshot(service.case) == before


def test_invite_to_portal_emails_a_link_and_gives_access(client, service):
    from accord.deadlines.models import OutboundEmail

    case = service.case
    dan = services.participant_add(
        actor=service.coordinator,
        case=case,
        role="supporter",
        full_name="Dan Helper",
        email="dan@example.org",
    )
    client.force_login(service.coordinator)
    response = client.post(reverse("cases:participant_invite", args=[case.pk, dan.pk]), follow=True)
    dan.refresh_from_db()
    assert dan.portal_access is True
    # Through the outbox, like every other email: the worker delivers it.
    email = OutboundEmail.objects.get(to_email="dan@example.org")
    assert email.status == "pending"
    # The link uses the site's public address, not whatever host the request came in on.
    assert "http://127.0.0.1:8000/invite/" in email.body
    assert "An invitation to the portal has been emailed to Dan Helper." in (
        response.content.decode()
    )


def test_invite_without_an_email_address_explains_why_and_changes_nothing(client, service):
    case = service.case
    eve = services.participant_add(
        actor=service.coordinator, case=case, role="party", full_name="Eve Noemail"
    )
    before = _snapshot(case)
    client.force_login(service.mediator)
    response = client.post(reverse("cases:participant_invite", args=[case.pk, eve.pk]), follow=True)
    assert "Eve Noemail was not invited. Add an email address" in response.content.decode()
    assert _snapshot(case) == before
    assert mail.outbox == []


def test_invite_only_accepts_post(client, service):
    bob = _participant(service.case, "Bob Jones")
    client.force_login(service.coordinator)
    url = reverse("cases:participant_invite", args=[service.case.pk, bob.pk])
    assert client.get(url).status_code == 405


def test_coordinator_opens_a_new_case(client, service):
    client.force_login(service.coordinator)
    count = Case.objects.count()
    response = client.post(
        reverse("cases:new"),
        {
            "kind": "send",
            "title": "Green / Leeds City Council",
            "lead_mediator": service.mediator.pk,
        },
    )
    case = Case.objects.latest("id")
    assert Case.objects.count() == count + 1
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.kind, case.stage, case.lead_mediator_id) == (
        "send",
        "enquiry",
        service.mediator.pk,
    )
    assert case.supervisor_id == service.supervisor.pk  # the lead mediator's usual supervisor


def test_open_case_with_bad_input_shows_errors_and_opens_nothing(client, service):
    client.force_login(service.mediator)
    count = Case.objects.count()
    response = client.post(
        reverse("cases:new"), {"kind": "divorce", "title": "", "co_mediator": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Choose the kind of mediation from the list." in page
    assert "Enter a short title for the case." in page
    assert Case.objects.count() == count


def test_staff_who_may_not_open_cases_get_403(client, service):
    client.force_login(service.supervisor)
    count = Case.objects.count()
    assert client.get(reverse("cases:new")).status_code == 403
    response = client.post(reverse("cases:new"), {"kind": "civil", "title": "Nope"})
    assert response.status_code == 403
    assert Case.objects.count() == count
    assert "Open a new case" not in client.get(reverse("cases:list")).content.decode()


# Case list: search, filters, pagination, htmx, bad parameters -----------------------------------


def _open_cases(service: Any, count: int, **extra: Any) -> list[Case]:
    return [
        services.case_open(
            actor=service.coordinator,
            organisation=service.organisation,
            kind=extra.get("kind", "workplace"),
            title=f"{extra.get('title', 'Bulk')} {number:02d}",
            lead_mediator=extra.get("lead_mediator"),
        )
        for number in range(count)
    ]


def _listed(response: Any) -> list[str]:
    return [case.reference for case in response.context["page"].object_list]


def test_list_search_finds_cases_by_participant_name_reference_and_title(client, service):
    client.force_login(service.coordinator)
    civil, family = service.cases["civil"], service.case
    assert _listed(client.get(reverse("cases:list"), {"q": "carol"})) == [civil.reference]
    assert _listed(client.get(reverse("cases:list"), {"q": family.reference})) == [family.reference]
    assert _listed(client.get(reverse("cases:list"), {"q": "smith / jo"})) == [family.reference]


def test_list_shows_only_the_users_service(client, service, other_service):
    client.force_login(other_service.coordinator)
    references = _listed(client.get(reverse("cases:list"), {"include_closed": "on"}))
    assert service.case.reference not in references
    assert len(references) == 2


def test_list_filters_by_kind_stage_mediator_and_mine(client, service):
    client.force_login(service.coordinator)
    family, civil = service.case.reference, service.cases["civil"].reference
    assert _listed(client.get(reverse("cases:list"), {"kind": "civil"})) == [civil]
    assert _listed(client.get(reverse("cases:list"), {"mediator": service.mediator.pk})) == [family]
    services.case_change_stage(
        actor=service.mediator, case=service.case, to_stage="miam", reason="Agreed."
    )
    assert _listed(client.get(reverse("cases:list"), {"stage": "miam"})) == [family]
    client.force_login(service.mediator2)
    assert _listed(client.get(reverse("cases:list"), {"mine": "on"})) == [civil]


def test_closed_cases_are_listed_only_when_asked(client, service):
    services.case_change_stage(
        actor=service.mediator, case=service.case, to_stage="closed", reason="Withdrew."
    )
    client.force_login(service.coordinator)
    assert service.case.reference not in _listed(client.get(reverse("cases:list")))
    response = client.get(reverse("cases:list"), {"include_closed": "on"})
    assert service.case.reference in _listed(response)


def test_list_paginates_25_a_page_and_page_links_keep_the_filters(client, service):
    _open_cases(service, 30)
    client.force_login(service.coordinator)
    first = client.get(reverse("cases:list"), {"kind": "workplace"})
    assert len(_listed(first)) == 25
    page = first.content.decode()
    assert 'href="?kind=workplace&amp;page=2"' in page
    assert "30 cases match these filters, showing 1 to 25." in page
    second = client.get(reverse("cases:list"), {"kind": "workplace", "page": "2"})
    assert len(_listed(second)) == 5
    assert not set(_listed(first)) & set(_listed(second))


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"kind": "bogus"}, "The kind of case filter was not recognised and was ignored."),
        ({"stage": "nowhere"}, "The stage filter was not recognised and was ignored."),
        ({"mediator": "abc"}, "The mediator filter was not recognised and was ignored."),
        ({"mediator": "99999999999999999999999"}, "The mediator filter was not recognised"),
        ({"page": "abc"}, "The page number was not recognised, so the first page is shown."),
        ({"page": "99999"}, "There is only 1 page, so the last page is shown."),
        ({"page": "-3"}, "Page numbers start at 1, so the first page is shown."),
        ({"q": "x" * 500}, "The search filter was not recognised and was ignored."),
    ],
)
def test_bad_list_parameters_are_ignored_with_a_notice(client, service, params, notice):
    client.force_login(service.coordinator)
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    assert notice in response.content.decode()
    assert len(_listed(response)) == 2


def test_null_bytes_in_the_search_do_not_break_the_list(client, service):
    client.force_login(service.coordinator)
    response = client.get(reverse("cases:list"), {"q": "car\x00ol"})
    assert response.status_code == 200
    assert _listed(response) == [service.cases["civil"].reference]


def test_a_mediator_of_another_service_is_not_a_valid_filter(client, service, other_service):
    client.force_login(service.coordinator)
    response = client.get(reverse("cases:list"), {"mediator": other_service.mediator.pk})
    assert "The mediator filter was not recognised" in response.content.decode()


def test_htmx_filter_request_gets_only_the_results(client, service):
    client.force_login(service.coordinator)
    response = client.get(
        reverse("cases:list"),
        {"kind": "civil"},
        headers={"HX-Request": "true", "HX-Target": "case-results"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert service.cases["civil"].reference in page
    assert service.case.reference not in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, service):
    client.force_login(service.coordinator)
    response = client.get(
        reverse("cases:list"),
        headers={
            "HX-Request": "true",
            "HX-Target": "case-results",
            "HX-History-Restore-Request": "true",
        },
    )
    assert "<html" in response.content.decode()


def test_list_form_is_enhanced_with_htmx_and_works_without_it(client, service):
    client.force_login(service.coordinator)
    page = client.get(reverse("cases:list")).content.decode()
    assert 'method="get" action="/cases/"' in page
    assert 'hx-target="#case-results"' in page
    assert 'hx-push-url="true"' in page
    assert '<label for="id_q">Search</label>' in page


# Timeline ----------------------------------------------------------------------------------------


def test_workspace_shows_the_latest_events_and_links_to_the_whole_timeline(client, service):
    case = service.case
    for number in range(25):
        services.case_update_details(
            actor=service.mediator, case=case, title=f"Title {number}", summary=""
        )
    client.force_login(service.mediator)
    assert "timeline" not in client.get(reverse("cases:detail", args=[case.pk])).context
    response = client.get(section_url(case, "timeline"))
    assert len(response.context["timeline"]) == 20
    assert (
        response.context["timeline"][0].text
        == f"{service.mediator.full_name} changed the case's title"
    )
    assert reverse("cases:timeline", args=[case.pk]) in response.content.decode()
    timeline = client.get(reverse("cases:timeline", args=[case.pk]))
    assert len(timeline.context["timeline"]) == 28  # 25 edits, opened, 2 participants added
    assert timeline.context["timeline"][-1].text == (
        f"{service.coordinator.full_name} opened the case (Family: child arrangements)"
    )
    bad_page = client.get(reverse("cases:timeline", args=[case.pk]), {"page": "x"})
    assert bad_page.status_code == 200


def test_restricted_events_are_left_out_for_staff_without_access(client, service):
    from django.db import transaction

    from accord.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            organisation_id=service.organisation.pk,
            actor=service.mediator,
            action="safeguarding.concern_recorded",
            target=service.case,
            case_id=service.case.pk,
            visibility="restricted",
        )
    client.force_login(service.coordinator)
    page = client.get(section_url(service.case, "timeline")).content.decode()
    assert "recorded a safeguarding concern" not in page
    client.force_login(service.mediator)
    page = client.get(section_url(service.case, "timeline")).content.decode()
    assert f"{service.mediator.full_name} recorded a safeguarding concern" in page


def test_timeline_times_are_shown_in_london_time():
    summer = dt.datetime(2026, 7, 1, 11, 30, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 12, 1, 11, 30, tzinfo=dt.UTC)
    with timezone.override("Europe/London"):
        html = render_to_string(
            "cases/_timeline.html",
            {
                "timeline": [
                    TimelineEntry(summer, "Ann", "Summer", False),
                    TimelineEntry(winter, "Ann", "Winter", False),
                ]
            },
        )
    assert "1 July 2026, 12:30" in html
    assert "1 December 2026, 11:30" in html


# Error pages ---------------------------------------------------------------------------------


def test_unknown_page_gets_the_404_page(client, service):
    client.force_login(service.coordinator)
    response = client.get("/cases/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("template", ["400.html", "403_csrf.html", "500.html"])
def test_error_pages_render_without_a_request_or_database(template, django_db_blocker):
    with django_db_blocker.block():
        html = render_to_string(template)
    assert "<h1>" in html
    assert 'lang="en-GB"' in html


def test_past_the_count_cap_pages_follow_a_cursor_and_the_count_is_capped(
    client, service, monkeypatch
):
    from accord.cases import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 50)
    monkeypatch.setattr(paging.capped_count, "__defaults__", (50,))
    _open_cases(service, 80)  # 82 cases in all with the two of build_service
    client.force_login(service.coordinator)
    first = client.get(reverse("cases:list"))
    body = first.content.decode()
    assert "More than 50 cases, showing 1 to 25." in body
    assert "last=1" in body
    second = client.get(reverse("cases:list"), {"page": "2"})
    seen = _listed(first) + _listed(second)
    assert "after=" in second.content.decode()  # page 2 is the last numbered page
    third = client.get(reverse("cases:list") + second.context["page"].next_url)
    fourth = client.get(reverse("cases:list") + third.context["page"].next_url)
    seen += _listed(third) + _listed(fourth)
    assert len(seen) == len(set(seen)) == 82
    assert fourth.context["page"].next_url == ""
    last = client.get(reverse("cases:list"), {"last": "1"})
    assert _listed(last) == seen[-25:]
    back = client.get(reverse("cases:list") + last.context["page"].previous_url)
    assert _listed(back) + _listed(last) == seen[-50:]


def test_a_changed_cursor_or_one_from_other_filters_is_a_clear_400(client, service):
    from accord.cases import paging

    client.force_login(service.coordinator)
    response = client.get(reverse("cases:list"), {"after": "not-a-cursor"})
    assert response.status_code == 400
    assert "The cursor was not recognised" in response.content.decode()
    token = paging.cursor_for(service.case, scope="kind=civil")
    response = client.get(reverse("cases:list"), {"after": token})
    assert response.status_code == 400
    assert "another list" in response.content.decode()
    response = client.get(reverse("cases:list"), {"kind": "civil", "after": token})
    assert response.status_code == 200
