"""Who may read and write safeguarding records: a matrix of roles, through selectors and pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.cases.models import Case
from accord.cases.selectors import case_timeline
from accord.organisations.models import Role
from accord.safeguarding import policy, selectors, services
from accord.safeguarding.models import (
    CaseHold,
    Disclosure,
    Referral,
    SafeguardingConcern,
    ThresholdDecision,
)
from accord.safeguarding.tests.helpers import (
    AGENCY,
    ALLEGATION,
    SUBJECT,
    Clock,
    decide,
    london,
    offer,
    raise_concern,
)
from accord.testing.factories import staff_member

pytestmark = pytest.mark.django_db

READERS = ("mediator", "co_mediator", "supervisor", "safeguarding_lead")
OUTSIDERS = (
    "coordinator",
    "admin",
    "mediator_not_on_case",
    "alice",
    "bob",
    "carol",
    "other_mediator",
    "other_safeguarding_lead",
    "anonymous",
)


@pytest.fixture
def people(service, other_service) -> dict[str, Any]:
    """Everyone in the matrix; mediator2 is co-mediator on the family case for these tests."""
    service.cases["family"] = case_services.case_assign_team(
        actor=service.coordinator,
        case=service.case,
        lead_mediator=service.mediator,
        co_mediator=service.mediator2,
        supervisor=service.supervisor,
    )
    spare = staff_member(service.organisation, Role.MEDIATOR, name="Spare Mediator")
    return {
        "mediator": service.mediator,
        "co_mediator": service.mediator2,
        "supervisor": service.supervisor,
        "safeguarding_lead": service.safeguarding_lead,
        "coordinator": service.coordinator,
        "admin": service.admin,
        "mediator_not_on_case": spare,
        "alice": service.parties["alice"],
        "bob": service.parties["bob"],
        "carol": service.parties["carol"],
        "other_mediator": other_service.mediator,
        "other_safeguarding_lead": other_service.safeguarding_lead,
        "anonymous": None,
    }


@pytest.fixture
def record(service, people, clock: Clock) -> dict[str, Any]:
    """A concern with a decision, an offered self-referral, a disclosure and a pause."""
    clock.set(london(2026, 12, 18, 15, 0))
    concern = raise_concern(service)
    decide(service, concern)
    referral = offer(service, concern)
    disclosure = services.disclosure_record(
        actor=service.mediator,
        case=service.case,
        concern=concern,
        legal_basis="court_order",
        information_shared="File",
        recipient_name="Clerk",
        recipient_organisation="Court",
        disclosed_at=timezone.now(),
    )
    hold = services.investigation_open(
        actor=service.mediator,
        concern=concern,
        investigating_agency=AGENCY,
        reasons="Investigation open",
    )
    return {"concern": concern, "referral": referral, "disclosure": disclosure, "hold": hold}


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pages(case: Case, record: dict[str, Any]) -> list[str]:
    kw = {"case_pk": case.pk}
    concern_kw = {**kw, "concern_pk": record["concern"].pk}
    return [
        reverse("safeguarding:index", kwargs=kw),
        reverse("safeguarding:concern", kwargs=concern_kw),
        reverse("safeguarding:decide", kwargs=concern_kw),
        reverse("safeguarding:offer", kwargs=concern_kw),
        reverse("safeguarding:referral", kwargs=concern_kw),
        reverse("safeguarding:investigation", kwargs=concern_kw),
        reverse("safeguarding:close", kwargs=concern_kw),
        reverse("safeguarding:disclosure", kwargs=kw),
        reverse("safeguarding:hold_decide", kwargs=kw),
        reverse("safeguarding:confirm", kwargs={**kw, "referral_pk": record["referral"].pk}),
    ]


def _snapshot() -> tuple[Any, ...]:
    return (
        list(SafeguardingConcern.objects.values()),
        list(ThresholdDecision.objects.values()),
        list(Referral.objects.values()),
        list(Disclosure.objects.values()),
        list(CaseHold.objects.values()),
        list(Case.objects.values("pk", "stage", "is_paused")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("who", READERS)
def test_the_restricted_audience_reads_the_record(service, people, record, who) -> None:
    user = people[who]
    assert policy.can_read_records(user, service.case)
    assert list(selectors.concerns_visible_to(user=user)) == [record["concern"]]
    assert selectors.disclosure_list(user=user, case=service.case).count() == 1
    client = _client(user)
    index = client.get(reverse("safeguarding:index", kwargs={"case_pk": service.case.pk}))
    assert index.status_code == 200
    detail = client.get(
        reverse(
            "safeguarding:concern",
            kwargs={"case_pk": service.case.pk, "concern_pk": record["concern"].pk},
        )
    )
    assert detail.status_code == 200
    assert ALLEGATION in detail.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_everyone_else_gets_404_and_changes_nothing(service, people, record, who) -> None:
    user = people[who]
    case = service.case
    assert not policy.can_read_records(user, case)
    if user is not None:
        assert not selectors.concerns_visible_to(user=user).exists()
    before = _snapshot()
    client = _client(user)
    for url in _pages(case, record):
        got = client.get(url)
        posted = client.post(
            url,
            {
                "consulted": str(service.supervisor.pk),
                "threshold_met": "yes",
                "referral_needed": "yes",
                "reasons": "r",
                "decided_at": "2026-12-18T15:30",
                "parent": "1",
                "decision": "end",
                "reason": "close",
                "agency": "A",
                "area": "B",
                "referred_at": "2026-12-18T15:30",
                "referred_on": "2026-12-18",
                "referred_by_name": "X",
                "contact_name": "Y",
                "information_shared": "Z",
                "legal_basis": "court_order",
                "recipient_name": "R",
                "recipient_organisation": "O",
                "disclosed_at": "2026-12-18T15:30",
                "investigating_agency": "A",
            },
        )
        if user is None:
            assert got.status_code == 302 and "/login" in got["Location"], url
            assert posted.status_code == 302, url
        else:
            assert got.status_code == 404, url
            assert posted.status_code == 404, url
        assert ALLEGATION not in got.content.decode()
    assert _snapshot() == before


def test_a_supervisor_or_safeguarding_lead_reads_but_does_not_take_the_mediators_decisions(
    service, people, record
) -> None:
    kw = {"case_pk": service.case.pk, "concern_pk": record["concern"].pk}
    before = _snapshot()
    for who in ("supervisor", "safeguarding_lead"):
        client = _client(people[who])
        assert client.get(reverse("safeguarding:decide", kwargs=kw)).status_code == 403
        assert client.get(reverse("safeguarding:offer", kwargs=kw)).status_code == 403
        resume = reverse("safeguarding:hold_decide", kwargs={"case_pk": service.case.pk})
        assert client.post(resume, {"decision": "end", "reasons": "x"}).status_code == 403
    assert _snapshot() == before


def test_the_restricted_audit_events_stay_off_the_wider_timeline(service, people, record) -> None:
    wide = case_timeline(user=people["coordinator"], case=service.case)
    assert not wide.filter(action__startswith="safeguarding.").exists()
    assert not wide.filter(visibility="restricted").exists()
    narrow = case_timeline(user=people["safeguarding_lead"], case=service.case)
    assert narrow.filter(action="safeguarding.concern_raised").exists()


def test_a_record_of_one_case_is_not_reachable_through_another(service, people, record) -> None:
    civil = service.cases["civil"]
    client = _client(service.mediator2)  # lead mediator on the civil case, co on the family case
    url = reverse(
        "safeguarding:concern", kwargs={"case_pk": civil.pk, "concern_pk": record["concern"].pk}
    )
    assert client.get(url).status_code == 404


def test_the_queryset_filter_and_the_object_check_agree(service, people, record) -> None:
    for who, user in people.items():
        if user is None:
            continue
        listed = set(selectors.concerns_visible_to(user=user).values_list("case_id", flat=True))
        allowed = {c.pk for c in Case.objects.all() if policy.can_read_records(user, c)}
        assert listed <= allowed, who
        assert (service.case.pk in allowed) == (who in READERS), who


def test_the_subject_of_a_concern_never_appears_in_the_case_workspace_for_a_coordinator(
    service, people, record
) -> None:
    client = _client(people["coordinator"])
    response = client.get(reverse("cases:detail", kwargs={"pk": service.case.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert SUBJECT not in html
    assert ALLEGATION not in html
    record_link = reverse("safeguarding:index", kwargs={"case_pk": service.case.pk})
    assert f'href="{record_link}"' not in html
