"""The SEND pages, the API, the timeline, the commissioner report and what each person sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.cases.workspace import section_url
from accord.send import services
from accord.send.models import SendAction, SendRecord
from accord.send.tests.helpers import SECRET_CALL, preliminary, send_case

pytestmark = pytest.mark.django_db


def test_a_send_case_shows_the_send_steps_and_no_miam_or_legal_aid_panels(service):
    story = send_case(service)
    client = Client()
    client.force_login(service.coordinator)
    page = client.get(section_url(story.case, "preparation")).content.decode()
    assert "SEND mediation" in page
    for word in ("MIAM", "Legal aid", "legal aid", "Funding"):
        assert word not in page
    summary = client.get(section_url(story.case, "summary")).content.decode()
    assert "Record the local authority decision" in summary
    portal = Client()
    portal.force_login(story.parent_user)
    mine = portal.get(reverse("portal:case", kwargs={"pk": story.case.pk})).content.decode()
    assert "MIAM" not in mine and "legal aid" not in mine.lower()


def test_the_decision_form_refuses_a_future_date_with_a_clear_message(service):
    story = send_case(service)
    client = Client()
    client.force_login(service.coordinator)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = {
        "la_decision": "refuse_assessment",
        "decision_notice_date": f"{tomorrow.day} {tomorrow.month} {tomorrow.year}",
        "commissioning_la": "Leeds City Council",
        "child_name": "Leo Harrison",
        "child_date_of_birth": "5 5 2012",
        "issues": ["education"],
    }
    url = reverse("send:preliminary", kwargs={"case_pk": story.case.pk})
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "cannot be in the future" in refused.content.decode()
    assert not SendRecord.objects.exists()
    data["decision_notice_date"] = "1 9 2026"
    assert client.post(url, data).status_code == 302
    record = SendRecord.objects.get()
    assert record.rights_holder == "parent" and record.issues == ["education"]
    timeline = client.get(section_url(story.case, "timeline")).content.decode()
    assert "recorded the local authority decision" in timeline


def test_an_action_with_no_owner_is_refused_on_the_page_and_nothing_saved(service):
    story = send_case(service)
    preliminary(service, story)
    client = Client()
    client.force_login(service.mediator)
    url = reverse("send:action_add", kwargs={"case_pk": story.case.pk})
    refused = client.post(url, {"description": "Visit the school"})
    assert refused.status_code == 422 and "needs an owner" in refused.content.decode()
    assert not SendAction.objects.exists()


def test_the_api_follows_the_same_policy(service):
    story = send_case(service)
    staff = token_client(service.coordinator)
    base = f"/cases/{story.case.pk}/send"
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    payload = {
        "la_decision": "plan_contents",
        "decision_notice_date": future,
        "commissioning_la": "Leeds City Council",
        "child_name": "Leo Harrison",
        "child_date_of_birth": "2010-10-01",
        "issues": ["education"],
    }
    refused = staff.post(base, payload)
    assert refused.status_code == 422 and "decision_notice_date" in refused.json()["errors"]
    assert not SendRecord.objects.exists()
    payload["decision_notice_date"] = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    assert staff.post(base, payload).status_code == 200
    assert staff.post(f"{base}/choice", {"wants_mediation": True}).status_code == 200
    no_owner = staff.post(f"{base}/actions", {"description": "Visit", "owner": ""})
    assert no_owner.status_code == 422 and not SendAction.objects.exists()
    made = staff.post(
        f"{base}/actions",
        {"description": "Amend section F", "owner": "la", "timescale": "send.la_action_amend_plan"},
    )
    assert made.status_code == 201 and made.json()["due_at"]
    services.send_call_log(
        actor=service.mediator,
        case=story.case,
        participant=story.parent,
        called_at=timezone.now(),
        summary=SECRET_CALL,
    )
    assert staff.get(f"{base}/calls").status_code == 404
    assert SECRET_CALL in token_client(service.mediator).get(f"{base}/calls").content.decode()
    family = token_client(story.parent_user)
    seen = family.get(base)
    assert seen.status_code == 200
    assert seen.json()["commissioning_la"] is None and seen.json()["actions"][0]["due_at"]
    assert family.get(f"{base}/calls").status_code == 404
    assert family.post(f"{base}/choice", {"wants_mediation": False}).status_code == 404
    other = token_client(service.parties["alice"])
    assert other.get(base).status_code == 404


def test_the_commissioner_report_has_a_chart_a_table_and_a_csv(service):
    story = send_case(service)
    preliminary(service, story)
    client = Client()
    client.force_login(service.coordinator)
    page = client.get(reverse("send:report"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Leeds City Council" in text and '<img src="/send/report/chart.svg' in text
    chart = client.get(reverse("send:report_chart"))
    assert chart.status_code == 200 and chart["Content-Type"].startswith("image/svg+xml")
    csv = client.get(reverse("send:report_csv")).content.decode()
    assert csv.splitlines()[0].startswith("Local authority,Referred")
    assert "Leeds City Council,1,0" in csv
    client.force_login(service.mediator)
    assert client.get(reverse("send:report")).status_code == 404
