"""The dashboard's queues panel and the queue pages: who sees which queue, and 404s."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.organisations import services as org_services
from accord.organisations.models import Role
from accord.queues.registry import all_queues, queue_for, queues_for
from accord.queues.tests import helpers as h

DASHBOARD = "/cases/dashboard/"

EXPECTED = {
    "coordinator": {
        "enquiries-awaiting-conflict-check",
        "invitations-awaiting-answer",
        "invitations-lapsed",
        "parties-without-miam",
    },
    "mediator": {
        "appointments-today",
        "appointments-this-week",
        "screenings-to-record",
        "suitability-to-decide",
        "drafts-to-finish",
        "my-deadlines",
    },
    "supervisor": {"outcomes-awaiting-approval", "supervisee-overrides", "complaints-open"},
    "safeguarding_lead": {"open-safeguarding-concerns", "referral-deadlines"},
    "admin": {
        "staff-without-two-factor",
        "complaints-open",
        "subject-access-due",
        "erasure-requests",
    },
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_sees_exactly_its_own_queues(service, who):
    user = getattr(service, who)
    assert {q.code for q in queues_for(user)} == EXPECTED[who]


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_dashboard_links_each_of_the_roles_queues_and_no_other(client, service, who):
    client.force_login(getattr(service, who))
    page = client.get(DASHBOARD).content.decode()
    for queue in all_queues():
        link = f'href="{reverse("queues:detail", args=[queue.code])}"'
        assert (link in page) == (queue.code in EXPECTED[who]), queue.code


def test_someone_with_two_roles_sees_the_queues_of_both(service):
    org_services.membership_grant(
        actor=service.admin,
        organisation=service.organisation,
        user=service.coordinator,
        role=Role.MEDIATOR,
    )
    from accord.organisations.selectors import forget_cached_roles

    forget_cached_roles(service.coordinator)
    codes = {q.code for q in queues_for(service.coordinator)}
    assert codes == EXPECTED["coordinator"] | EXPECTED["mediator"]


def test_the_dashboard_count_links_to_the_list_of_the_same_items(client, service):
    case = h.open_case(service, title="Counted / Listed")
    h.enquiry(case)
    h.enquiry(h.open_case(service, title="Second / Enquiry"))
    client.force_login(service.coordinator)
    page = client.get(DASHBOARD).content.decode()
    url = reverse("queues:detail", args=["enquiries-awaiting-conflict-check"])
    assert f'<a href="{url}">' in page
    start = page.index(f'<a href="{url}">')
    assert '<strong class="queue-count">2</strong>' in page[start : start + 300]
    listing = client.get(url).content.decode()
    assert "Counted / Listed" in listing and "Second / Enquiry" in listing
    assert reverse("intake:conflict_decision", args=[case.pk]) in listing
    assert reverse("cases:detail", args=[case.pk]) in listing
    assert "2 enquiries" in listing


def test_an_unknown_queue_is_not_found(client, service):
    client.force_login(service.coordinator)
    assert client.get("/queues/no-such-queue/").status_code == 404
    assert queue_for(service.coordinator, "no-such-queue") is None


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("coordinator", "outcomes-awaiting-approval"),
        ("mediator", "open-safeguarding-concerns"),
        ("supervisor", "screenings-to-record"),
        ("safeguarding_lead", "staff-without-two-factor"),
        ("admin", "enquiries-awaiting-conflict-check"),
    ],
)
def test_another_roles_queue_is_not_found(client, service, who, code):
    client.force_login(getattr(service, who))
    assert client.get(reverse("queues:detail", args=[code])).status_code == 404


def test_parties_and_the_signed_out_never_reach_a_queue(client, service):
    url = reverse("queues:detail", args=["enquiries-awaiting-conflict-check"])
    assert client.get(url).status_code == 302
    client.force_login(service.parties["alice"])
    assert client.get(url).status_code == 404
    assert queues_for(service.parties["alice"]) == []


def test_an_empty_queue_says_nothing_is_waiting(client, service):
    client.force_login(service.supervisor)
    page = client.get(reverse("queues:detail", args=["outcomes-awaiting-approval"]))
    assert page.status_code == 200
    assert "Nothing is waiting here." in page.content.decode()
