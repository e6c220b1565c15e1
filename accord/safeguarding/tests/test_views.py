"""The safeguarding pages through the test client: forms, errors, the 999 panel, confirmations."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.cases.models import Participant
from accord.cases.workspace import section_url
from accord.safeguarding.models import (
    CaseHold,
    Disclosure,
    Referral,
    ReferralStatus,
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
    raise_concern,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _raise_data(**overrides: str) -> dict[str, str]:
    data = {
        "source": "session",
        "subject_kind": "child",
        "subject_name": SUBJECT,
        "allegation": ALLEGATION,
        "alleged_by": "Alice Smith, in session",
        "alleged_against": "",
        "action_taken": "",
    }
    data.update(overrides)
    return data


def test_the_raise_form_shows_the_999_panel_and_links_errors(service) -> None:
    client = _client(service.coordinator)
    url = reverse("safeguarding:raise", kwargs={"case_pk": service.case.pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Call 999 now if anyone is in immediate danger" in html
    assert 'class="danger-panel"' in html  # hidden until the box is ticked
    refused = client.post(url, _raise_data(immediate_danger="on"))
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'class="danger-panel is-open"' in html  # shown even without CSS :has() support
    assert "There is a problem" in html
    assert 'href="#id_action_taken"' in html
    assert "record the action taken now" in html
    assert not SafeguardingConcern.objects.exists()


def test_a_coordinator_raises_a_concern_and_sees_only_a_confirmation(service) -> None:
    client = _client(service.coordinator)
    url = reverse("safeguarding:raise", kwargs={"case_pk": service.case.pk})
    response = client.post(
        url, _raise_data(immediate_danger="on", action_taken="999 called at 14:05"), follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "safeguarding:raised", kwargs={"case_pk": service.case.pk}
    )
    html = response.content.decode()
    assert "Safeguarding concern recorded" in html
    for secret in (ALLEGATION, SUBJECT, "999 called at 14:05"):
        assert secret not in html
    concern = SafeguardingConcern.objects.get()
    assert concern.raised_by == service.coordinator
    assert concern.immediate_danger
    detail = reverse(
        "safeguarding:concern", kwargs={"case_pk": service.case.pk, "concern_pk": concern.pk}
    )
    assert client.get(detail).status_code == 404


def test_the_mediator_raising_a_concern_lands_on_the_record(service) -> None:
    client = _client(service.mediator)
    url = reverse("safeguarding:raise", kwargs={"case_pk": service.case.pk})
    response = client.post(url, _raise_data(), follow=True)
    concern = SafeguardingConcern.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "safeguarding:concern", kwargs={"case_pk": service.case.pk, "concern_pk": concern.pk}
    )
    assert ALLEGATION in response.content.decode()


def test_parties_and_other_services_cannot_reach_the_raise_form(service, other_service) -> None:
    url = reverse("safeguarding:raise", kwargs={"case_pk": service.case.pk})
    for outsider in (service.parties["alice"], service.parties["bob"], other_service.mediator):
        client = _client(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, _raise_data()).status_code == 404
        confirmation = reverse("safeguarding:raised", kwargs={"case_pk": service.case.pk})
        assert client.get(confirmation).status_code == 404
    assert not SafeguardingConcern.objects.exists()


def test_the_mediator_works_the_record_through_the_pages(service, clock: Clock) -> None:
    clock.set(london(2026, 12, 18, 14, 0))
    concern = raise_concern(service)
    client = _client(service.mediator)
    kw = {"case_pk": service.case.pk, "concern_pk": concern.pk}

    decide_url = reverse("safeguarding:decide", kwargs=kw)
    page = client.get(decide_url)
    assert page.status_code == 200
    assert "ACC Supervisor (Supervisor)" in page.content.decode()
    assert "ACC Safeguarding (Safeguarding lead)" in page.content.decode()
    refused = client.post(decide_url, {"threshold_met": "yes", "referral_needed": "no"})
    assert refused.status_code == 422
    assert not ThresholdDecision.objects.exists()
    clock.set(london(2026, 12, 18, 15, 30))
    done = client.post(
        decide_url,
        {
            "consulted": str(service.supervisor.pk),
            "threshold_met": "yes",
            "referral_needed": "yes",
            "reasons": "Likely significant harm",
            "decided_at": "2026-12-18T15:00",
        },
    )
    assert done.status_code == 302
    assert ThresholdDecision.objects.get().threshold_met

    alice = Participant.objects.get(case=service.case, full_name="Alice Smith")
    offered = client.post(reverse("safeguarding:offer", kwargs=kw), {"parent": str(alice.pk)})
    assert offered.status_code == 302
    detail = client.get(reverse("safeguarding:concern", kwargs=kw)).content.decode()
    assert "10:00 on Monday 21 December 2026" in detail
    assert "Confirm the parent's referral" in detail

    referral = Referral.objects.get()
    confirm_url = reverse(
        "safeguarding:confirm", kwargs={"case_pk": service.case.pk, "referral_pk": referral.pk}
    )
    clock.set(london(2026, 12, 21, 9, 0))
    client.force_login(service.mediator)  # the session from Friday has expired
    confirmed = client.post(
        confirm_url,
        {
            "agency": AGENCY,
            "area": "Leeds",
            "referred_on": "18/12/2026",
            "reference": "CS-1",
            "referred_by_name": "",
            "information_shared": "What Alice told us",
        },
    )
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("safeguarding:concern", kwargs=kw)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONFIRMED
    assert referral.deadline is not None
    assert referral.deadline.status == "met"

    paused = client.post(
        reverse("safeguarding:investigation", kwargs=kw),
        {"investigating_agency": AGENCY, "investigation_reference": "", "reasons": "S47 open"},
    )
    assert paused.status_code == 302
    service.case.refresh_from_db()
    assert service.case.is_paused
    index = client.get(reverse("safeguarding:index", kwargs={"case_pk": service.case.pk}))
    assert "The mediation is paused" in index.content.decode()

    resumed = client.post(
        reverse("safeguarding:hold_decide", kwargs={"case_pk": service.case.pk}),
        {"decision": "resume", "reasons": "No further action"},
    )
    assert resumed.status_code == 302
    service.case.refresh_from_db()
    assert not service.case.is_paused
    assert CaseHold.objects.get().decision == "resume"


def test_the_safeguarding_lead_logs_a_disclosure_and_a_referral(service) -> None:
    concern = raise_concern(service)
    decide(service, concern)
    client = _client(service.safeguarding_lead)
    kw = {"case_pk": service.case.pk}
    bad = client.post(reverse("safeguarding:disclosure", kwargs=kw), {"legal_basis": "nope"})
    assert bad.status_code == 422
    assert "Choose the legal basis for the disclosure." in bad.content.decode()
    made = client.post(
        reverse("safeguarding:referral", kwargs={**kw, "concern_pk": concern.pk}),
        {
            "agency": AGENCY,
            "area": "Leeds",
            "referred_at": "not a date",
            "referred_by_name": "Lead",
            "contact_name": "Duty team",
            "information_shared": "All of it",
        },
    )
    assert made.status_code == 422
    assert "Enter a real date and time" in made.content.decode()
    assert not Referral.objects.exists()
    assert not Disclosure.objects.exists()


def test_the_workspace_shows_the_pause_to_staff_and_the_record_link_to_the_audience(
    service,
) -> None:
    concern = raise_concern(service)
    from accord.safeguarding import services

    services.investigation_open(
        actor=service.mediator, concern=concern, investigating_agency=AGENCY, reasons="S47"
    )
    workspace = section_url(service.case, "safeguarding")
    record = reverse("safeguarding:index", kwargs={"case_pk": service.case.pk})
    raise_url = reverse("safeguarding:raise", kwargs={"case_pk": service.case.pk})
    coordinator = _client(service.coordinator).get(workspace).content.decode()
    assert "Paused: safeguarding" in coordinator
    assert raise_url in coordinator
    assert f'href="{record}"' not in coordinator
    lead = _client(service.safeguarding_lead).get(workspace).content.decode()
    assert "Paused: safeguarding" in lead
    assert f'href="{record}"' in lead
    assert AGENCY not in coordinator


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_record_pages_cost_the_same_however_much_is_on_them(service, clock: Clock) -> None:
    from accord.safeguarding import services

    def add_concern() -> SafeguardingConcern:
        concern = raise_concern(service)
        decide(service, concern)
        services.disclosure_record(
            actor=service.mediator,
            case=service.case,
            concern=concern,
            legal_basis="court_order",
            information_shared="File",
            recipient_name="Clerk",
            recipient_organisation="Court",
            disclosed_at=clock.moment,
        )
        return concern

    clock.set(london(2026, 12, 18, 15, 0))
    first = add_concern()
    client = _client(service.mediator)
    index = reverse("safeguarding:index", kwargs={"case_pk": service.case.pk})
    detail = reverse(
        "safeguarding:concern", kwargs={"case_pk": service.case.pk, "concern_pk": first.pk}
    )
    index_cost, detail_cost = _queries(client, index), _queries(client, detail)
    for _ in range(3):
        add_concern()
    decide(service, first, consulted=service.safeguarding_lead)
    services.self_referral_offer(
        actor=service.mediator,
        concern=first,
        parent=Participant.objects.get(case=service.case, full_name="Bob Jones"),
    )
    assert _queries(client, index) == index_cost
    assert _queries(client, detail) == detail_cost
