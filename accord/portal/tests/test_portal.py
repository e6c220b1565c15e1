"""The participant portal shows a person their own cases and nobody else's details."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.cases import services as case_services
from accord.cases.models import Case, Participant
from accord.testing.factories import UserFactory

HOME = reverse("portal:home")


def _case_url(case) -> str:
    return reverse("portal:case", args=[case.pk])


@pytest.fixture
def detailed(service):
    """Alice and Bob with full contact details and safety preferences on the family case."""
    Participant.objects.filter(case=service.case, full_name="Alice Smith").update(
        phone="07700 900111",
        safe_contact_methods=["email", "portal"],
        safe_contact_notes="Never phone before 6pm.",
    )
    Participant.objects.filter(case=service.case, full_name="Bob Jones").update(
        phone="07700 900222", safe_contact_methods=["text"], safe_contact_notes="Texts only."
    )
    service.organisation.phone = "0113 496 0000"
    service.organisation.email = "hello@riverside.example"
    service.organisation.save(update_fields=["phone", "email"])
    return service


def test_the_portal_needs_sign_in(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_party_sees_only_their_own_case_on_the_portal_home(client, service):
    client.force_login(service.parties["bob"])
    html = client.get(HOME).content.decode()
    assert service.case.reference in html
    assert _case_url(service.case) in html
    assert service.cases["civil"].reference not in html
    assert "Riverside Family Mediation" in html


def test_a_person_without_cases_is_told_so(client, service):
    client.force_login(UserFactory(email="nobody@example.org"))
    html = client.get(HOME).content.decode()
    assert "You are not taking part in any mediation" in html
    assert "0808 2000 247" in html


def test_the_case_page_shows_service_stage_mediator_and_who_takes_part(client, detailed):
    client.force_login(detailed.parties["bob"])
    response = client.get(_case_url(detailed.case))
    html = response.content.decode()
    assert response.status_code == 200
    assert detailed.case.reference in html
    assert "Family: child arrangements" in html
    assert "The service has the enquiry" in html
    assert "ACC Mediator" in html
    assert "Alice Smith" in html and "Bob Jones" in html
    assert "Party" in html
    assert "0113 496 0000" in html and "hello@riverside.example" in html


def test_the_case_page_shows_the_persons_own_details_and_safe_contact_preferences(client, detailed):
    bob = detailed.parties["bob"]
    client.force_login(bob)
    html = client.get(_case_url(detailed.case)).content.decode()
    assert bob.email in html
    assert "07700 900222" in html
    assert "2 Open Road, Leeds" in html
    assert "Text message" in html
    assert "Texts only." in html


def test_bob_never_sees_alices_contact_details_or_address(client, detailed):
    client.force_login(detailed.parties["bob"])
    alice = detailed.parties["alice"]
    pages = [
        client.get(HOME),
        client.get(_case_url(detailed.case)),
        client.get(_case_url(detailed.cases["civil"])),
        client.get(reverse("accounts:settings")),
    ]
    for response in pages:
        html = response.content.decode()
        for secret in (alice.email, "07700 900111", "1 Hidden Lane", "Never phone before 6pm."):
            assert secret not in html, (response.request["PATH_INFO"], secret)


def test_alice_sees_her_confidential_address_marked_as_confidential(client, detailed):
    client.force_login(detailed.parties["alice"])
    html = client.get(_case_url(detailed.case)).content.decode()
    assert "1 Hidden Lane, Leeds" in html
    assert "Only the mediation team can see your address." in html
    assert "2 Open Road" not in html
    assert "07700 900222" not in html
    assert detailed.parties["bob"].email not in html


def test_a_party_of_another_case_gets_404(client, service):
    client.force_login(service.parties["carol"])
    response = client.get(_case_url(service.case))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert service.case.reference not in html
    assert "Alice Smith" not in html


def test_a_case_that_does_not_exist_gets_the_same_404(client, service):
    client.force_login(service.parties["carol"])
    assert client.get(reverse("portal:case", args=[987654])).status_code == 404


def test_a_party_of_another_service_gets_404(client, service, other_service):
    client.force_login(other_service.parties["bob"])
    assert client.get(_case_url(service.case)).status_code == 404
    html = client.get(HOME).content.decode()
    assert service.case.reference not in html
    assert other_service.case.reference in html


def test_a_participant_without_portal_access_cannot_open_the_case(client, service):
    Participant.objects.filter(user=service.parties["bob"]).update(portal_access=False)
    client.force_login(service.parties["bob"])
    assert client.get(_case_url(service.case)).status_code == 404
    assert service.case.reference not in client.get(HOME).content.decode()


def test_staff_who_open_the_portal_go_to_their_dashboard(client, service):
    client.force_login(service.mediator)
    for url in (HOME, _case_url(service.case)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:dashboard")


def test_the_portal_shows_support_contacts(client, service):
    client.force_login(service.parties["bob"])
    html = client.get(_case_url(service.case)).content.decode()
    for text in (
        "999",
        "NSPCC",
        "0808 800 5000",
        "National Domestic Abuse Helpline",
        "Refuge",
        "0808 2000 247",
        "Women's Aid",
        "Men's Advice Line",
        "0808 8010 327",
        "Respect",
        "0808 8024040",
        "children's services",
    ):
        assert text.replace("'", "&#x27;") in html or text in html, text


def test_the_portal_never_says_a_case_is_paused(client, service):
    # A pause means a safeguarding investigation: the other party must not learn of it.
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    client.force_login(service.parties["bob"])
    html = client.get(_case_url(service.case)).content.decode().lower()
    assert "paused" not in html
    assert "safeguarding" not in html


def test_the_stage_is_described_in_plain_words_after_it_changes(client, service):
    case_services.case_change_stage(
        actor=service.mediator, case=service.case, to_stage="willingness", reason="Enquiry done"
    )
    client.force_login(service.parties["bob"])
    html = client.get(_case_url(service.case)).content.decode()
    assert "Nobody has to take part." in html


def test_portal_pages_cost_the_same_whatever_the_number_of_people(
    client, service, django_assert_max_num_queries
):
    client.force_login(service.parties["bob"])
    url = _case_url(service.case)
    # The case page gathers a panel from each app (deadlines, agreement, sessions, agenda, rooms,
    # outcomes, documents), plus "Action needed" and "Where your case is" worked out from the
    # records of each part, and which rooms the suitability decision lets the party write in;
    # measured at 59 queries for both pages together in December 2026; the fees part's
    # "Invoices" panel and "Pay invoice" action add a query or two, the records part's
    # "Action needed" (the party's own data request and complaint) one more; with the finance,
    # children and SEND panels as well, 71 in December 2026.
    with django_assert_max_num_queries(74) as few:
        client.get(url)
        client.get(HOME)
    baseline = len(few.captured_queries)
    for n in range(5):
        case_services.participant_add(
            actor=service.coordinator,
            case=service.case,
            role="supporter",
            full_name=f"Supporter {n}",
            email=f"supporter{n}@example.org",
        )
    with django_assert_max_num_queries(baseline):
        client.get(url)
        client.get(HOME)
