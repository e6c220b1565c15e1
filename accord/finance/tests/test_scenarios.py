"""Scenarios side by side: results per party, bad input, sharing, the chart, and the MoU."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.core.errors import NotPermitted, ValidationFailed
from accord.finance import scenarios as sc
from accord.finance.models import DisclosureItem, Scenario
from accord.finance.tests.test_disclosure import _both_shared

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _home(fin: Any) -> str:
    return str(DisclosureItem.objects.get(description="Family home").pk)


def test_scenarios_need_both_shared_and_give_each_party_their_position(service, fin):
    with pytest.raises(ValidationFailed, match="share their disclosure"):
        sc.scenario_create(actor=service.mediator, case=fin.case, title="Too soon")
    _both_shared(service, fin)
    with pytest.raises(NotPermitted):
        sc.scenario_create(actor=service.coordinator, case=fin.case, title="X")
    home = _home(fin)
    for bad, field in (
        ({"title": " "}, "title"),
        ({"title": "x", "allocations": {home: "120"}}, f"allocation_{home}"),
        ({"title": "x", "allocations": {"999999": "50"}}, "allocations"),
        ({"title": "x", "lump_sum_pence": 10**13}, "lump_sum"),
        ({"title": "x", "pension_share_a_percent": "50.555"}, "pension_share_a_percent"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            sc.scenario_create(actor=service.mediator, case=fin.case, **bad)
        assert field in caught.value.field_errors
    assert not Scenario.objects.exists()
    keep = sc.scenario_create(
        actor=service.mediator,
        case=fin.case,
        title="Anna keeps the house",
        allocations={
            home: "100",
            str(DisclosureItem.objects.get(description="Mortgage").pk): "100",
        },
        lump_sum_pence=5000000,
        pension_share_a_percent="50",
        maintenance_pence=50000,
    )
    sell = sc.scenario_create(
        actor=service.mediator, case=fin.case, title="Sell and split", sold=[home]
    )
    r = sc.results(fin.case, keep)
    # A: home 400k less mortgage 150k, less a 50k lump sum = 200k; B: savings 12,345.67 + 50k.
    assert r["a"].capital == 20000000 and r["b"].capital == 6234567
    assert r["a"].pensions == 4000000 and r["b"].pensions == 4000000
    assert r["b"].income == 600000
    split = sc.results(fin.case, sell)
    assert split["a"].capital == 12500000
    assert "Anna Green pays Ben Black a lump sum of £50,000.00." in sc.scenario_wording(
        fin.case, keep
    )


def test_sharing_decides_which_party_sees_a_scenario_and_the_chart_is_svg(service, fin):
    _both_shared(service, fin)
    joint = sc.scenario_create(actor=service.mediator, case=fin.case, title="JOINT-PLAN")
    private = sc.scenario_create(actor=service.mediator, case=fin.case, title="ANNA-ONLY-PLAN")
    hidden = sc.scenario_create(actor=service.mediator, case=fin.case, title="TEAM-ONLY-PLAN")
    with pytest.raises(ValidationFailed):
        sc.scenario_share(actor=service.mediator, scenario=private, audience="private")
    sc.scenario_share(actor=service.mediator, scenario=joint, audience="joint")
    sc.scenario_share(
        actor=service.mediator, scenario=private, audience="private", participant=fin.a
    )
    assert [s.title for s in sc.scenarios_for(user=fin.a_user, case=fin.case)] == [
        "JOINT-PLAN",
        "ANNA-ONLY-PLAN",
    ]
    assert [s.title for s in sc.scenarios_for(user=fin.b_user, case=fin.case)] == ["JOINT-PLAN"]
    ben = _client(fin.b_user).get(reverse("finance:portal_scenarios", args=[fin.case.pk]))
    text = ben.content.decode()
    assert "JOINT-PLAN" in text and "ANNA-ONLY-PLAN" not in text and "TEAM-ONLY-PLAN" not in text
    chart = _client(fin.b_user).get(reverse("finance:portal_scenario_chart", args=[fin.case.pk]))
    assert chart["Content-Type"].startswith("image/svg+xml")
    svg = chart.content.decode()
    assert "JOINT-PLAN" in svg and "ANNA-ONLY-PLAN" not in svg
    assert (
        _client(fin.b_user).get(reverse("finance:scenarios", args=[fin.case.pk])).status_code == 404
    )
    team = _client(service.mediator).get(reverse("finance:scenarios", args=[fin.case.pk]))
    assert team.status_code == 200 and "TEAM-ONLY-PLAN" in team.content.decode()
    assert hidden.audience == ""


def test_the_form_builds_a_scenario_and_it_goes_into_the_mou(service, fin):
    from accord.cases.models import Case

    _both_shared(service, fin)
    home = _home(fin)
    client = _client(service.mediator)
    url = reverse("finance:scenario_add", args=[fin.case.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": "Plan", "lump_sum": "12.345"})
    assert bad.status_code == 422 and "2 decimal places" in bad.content.decode()
    ok = client.post(url, {"title": "Plan", f"item_{home}": "70", "lump_sum": "-1000"})
    assert ok.status_code == 302
    scenario = Scenario.objects.get()
    assert scenario.allocations == {home: "70"} and scenario.lump_sum_pence == -100000
    Case.objects.filter(pk=fin.case.pk).update(stage="mediation")
    draft = sc.scenario_to_mou(actor=service.mediator, scenario=scenario)
    items = draft.sections["items"]
    assert items[-1]["title"] == "Finances: Plan"
    assert "Ben Black pays Anna Green a lump sum of £1,000.00." in items[-1]["wording"]


def test_the_consent_pack_needs_the_issued_mou_and_statement_and_records_delivery(service, fin):
    import datetime as dt

    from django.utils import timezone

    from accord.finance import consent
    from accord.finance.models import ConsentPackDelivery
    from accord.finance.statement import statement_issue
    from accord.outcomes.models import OutcomeDraft

    _both_shared(service, fin)
    plan = sc.scenario_create(actor=service.mediator, case=fin.case, title="Plan")
    draft = sc.scenario_to_mou(actor=service.mediator, scenario=plan)
    with pytest.raises(ValidationFailed, match="Memorandum"):
        consent.consent_pack_prepare(actor=service.mediator, case=fin.case)
    # The MoU is issued (its own pipeline is tested in outcomes): the issued rows it leaves.
    from accord.documents.services import document_render_pdf

    mou_pdf = document_render_pdf(
        actor=service.mediator,
        case=fin.case,
        template_code="open-financial-statement",
        context={},
        title="MoU stand-in",
        document_code="mou-stand-in",
    )
    OutcomeDraft.objects.filter(pk=draft.pk).update(
        status="issued", issued_at=timezone.now(), issued_version=mou_pdf
    )
    with pytest.raises(ValidationFailed, match="Open Financial Statement"):
        consent.consent_pack_prepare(actor=service.mediator, case=fin.case)
    statement_issue(actor=service.mediator, case=fin.case)
    with pytest.raises(ValidationFailed, match="first"):
        consent.consent_pack_record_sent(
            actor=service.mediator,
            case=fin.case,
            party=fin.a,
            solicitor="X",
            sent_on=dt.date(2026, 1, 1),
        )
    pdf, docx = consent.consent_pack_prepare(actor=service.mediator, case=fin.case)
    with pdf.content.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    import io
    import zipfile

    with docx.content.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as z:
        text = z.read("word/document.xml").decode()
    assert "Finances: Plan" in text and "independent legal advice" in text
    with pytest.raises(ValidationFailed):
        consent.consent_pack_record_sent(
            actor=service.mediator,
            case=fin.case,
            party=fin.a,
            solicitor="Hussain & Co",
            sent_on=timezone.localdate() + dt.timedelta(days=1),
        )
    consent.consent_pack_record_sent(
        actor=service.mediator,
        case=fin.case,
        party=fin.a,
        solicitor="Hussain & Co",
        sent_on=timezone.localdate(),
    )
    assert ConsentPackDelivery.objects.get().solicitor == "Hussain & Co"
    page = _client(service.mediator).get(reverse("finance:case", args=[fin.case.pk]))
    assert "Sent to Hussain &amp; Co" in page.content.decode()
