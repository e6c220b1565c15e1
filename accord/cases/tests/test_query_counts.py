"""The case pages run the same number of queries however many cases, people and events exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.audit.models import AuditEvent
from accord.cases import services
from accord.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 costs about half a second per user the factories make; these tests use force_login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


#: A ceiling as well as equality, so a page that is constant but wasteful is noticed too.
MAX_QUERIES = 15
#: The workspace shows one section at a time: the summary (next steps, key dates from sessions,
#: MIAMs and deadlines, alerts, the deadlines panel) or one section's panels, each costing one to
#: three fixed queries. Measured for the lead mediator in December 2026: summary 14, people 11,
#: preparation 11, mediation 14, outcomes, safeguarding and documents 8, timeline 9 (the whole
#: page, every panel at once, was 27 before the sections). The ceiling leaves a little room, and
#: equality at two data sizes is what catches a query per row. Since "what is next" is worked out
#: from every part's records (one provider a part, each reading its own rows), the summary measures
#: 35 to 36; the other sections are unchanged. The finance, children, SEND, fees and records
#: parts each add their own provider (one or two queries each, whatever the data): the summary
#: measured 43 to 45 once they came in.
MAX_WORKSPACE_QUERIES = 48
WORKSPACE_SECTIONS = [
    "summary",
    "people",
    "preparation",
    "mediation",
    "outcomes",
    "safeguarding",
    "documents",
    "timeline",
]


def _queries(client: Any, url: str, params: dict[str, str] | None = None) -> int:
    """Queries for one request, after a first request has warmed per-process caches."""
    assert client.get(url, params).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _open_cases(service: Any, count: int) -> None:
    """Open cases led by the mediator, each with two participants and a full case team."""
    for number in range(count):
        case = services.case_open(
            actor=service.coordinator,
            organisation=service.organisation,
            kind=["family_children", "civil", "send"][number % 3],
            title=f"Extra {number}",
            lead_mediator=service.mediator,
            co_mediator=service.mediator2,
        )
        for name in ("Pat Extra", "Lee Extra"):
            services.participant_add(
                actor=service.coordinator, case=case, role="party", full_name=name
            )


def _add_events(service: Any, case: Case, count: int) -> None:
    for number in range(count):
        services.case_update_details(
            actor=service.mediator, case=case, title=f"Title {number}", summary=""
        )


def _add_participants(service: Any, case: Case, count: int) -> None:
    for number in range(count):
        services.participant_add(
            actor=service.mediator,
            case=case,
            role="supporter",
            full_name=f"Supporter {number}",
            email=f"supporter{number}@example.org",
            address=f"{number} High Street",
            confidential_address=number % 2 == 0,
            safe_contact_methods=["email"],
        )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "extra", "include_closed": "on"},
        {"kind": "civil", "mediator": "LEAD", "mine": "on"},
    ],
)
def test_case_list_queries_do_not_grow_with_cases(client, service, params):
    params = {
        key: str(service.mediator.pk) if value == "LEAD" else value for key, value in params.items()
    }
    # Every filter matches at least one case at both sizes: an empty page skips a query.
    _open_cases(service, 2)
    client.force_login(service.mediator)
    url = reverse("cases:list")
    few = _queries(client, url, params)
    _open_cases(service, 26)
    assert Case.objects.count() == 30
    many = _queries(client, url, params)
    assert few == many
    assert many <= MAX_QUERIES


def test_dashboard_queries_do_not_grow_with_cases(client, service):
    _open_cases(service, 1)
    client.force_login(service.coordinator)
    url = reverse("cases:dashboard")
    few_coordinator = _queries(client, url)
    client.force_login(service.mediator)
    few = _queries(client, url)
    _open_cases(service, 27)
    many = _queries(client, url)
    client.force_login(service.coordinator)
    assert _queries(client, url) == few_coordinator
    assert few == many
    assert max(many, few_coordinator) <= MAX_QUERIES


@pytest.mark.parametrize("section", WORKSPACE_SECTIONS)
def test_workspace_queries_do_not_grow_with_participants_or_events(client, service, section):
    case = service.case
    _add_events(service, case, 2)
    assert AuditEvent.objects.filter(case=case).count() == 5
    client.force_login(service.mediator)
    url = reverse("cases:detail", args=[case.pk])
    params = {"section": section}
    few = _queries(client, url, params)
    _add_participants(service, case, 12)
    _add_events(service, case, 45)
    assert AuditEvent.objects.filter(case=case).count() >= 60
    assert case.participants.count() == 14
    many = _queries(client, url, params)
    assert few == many
    assert many <= MAX_WORKSPACE_QUERIES


@pytest.mark.parametrize("section", WORKSPACE_SECTIONS)
def test_workspace_queries_are_the_same_for_staff_who_see_less(client, service, section):
    _add_participants(service, service.case, 12)
    _add_events(service, service.case, 20)
    client.force_login(service.coordinator)
    url = reverse("cases:detail", args=[service.case.pk])
    assert _queries(client, url, {"section": section}) <= MAX_WORKSPACE_QUERIES


def test_timeline_page_queries_do_not_grow_with_events(client, service):
    case = service.case
    _add_events(service, case, 2)
    client.force_login(service.mediator)
    url = reverse("cases:timeline", args=[case.pk])
    few = _queries(client, url)
    _add_events(service, case, 120)
    many = _queries(client, url)
    last_page = _queries(client, url, {"page": "3"})
    assert few == many == last_page
    assert many <= MAX_QUERIES
