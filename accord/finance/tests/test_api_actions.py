"""The finance pages' actions through /api/v1/: the same services and policy as the pages.

Per operation: the real effect (rows, audit events), who is refused (a party or another
service's staff: 404; staff of the case who are not its mediators: 403), and bad input (422
naming the request's field, nothing saved). Confidentiality (DOMAIN.md section 3): a scenario
shared privately with one party never reaches the other; ratings never reach the other party;
evidence never reaches the other party.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.deadlines.models import Deadline
from accord.documents.models import Document, DocumentShare, DocumentVersion
from accord.finance import ratings, services
from accord.finance import scenarios as sc
from accord.finance.models import ConsentPackDelivery, DisclosureItem, Scenario
from accord.finance.tests.conftest import open_finance_case
from accord.finance.tests.test_disclosure import PDF, _both_shared

pytestmark = pytest.mark.django_db


def _home(fin: Any) -> str:
    return str(DisclosureItem.objects.get(description="Family home").pk)


def _url(fin: Any, tail: str) -> str:
    return f"/cases/{fin.case.pk}/{tail}"


# The disclosure deadline ---------------------------------------------------------------------


def test_the_deadline_is_set_once_for_each_party(service, other_service, fin):
    url = _url(fin, "disclosure-deadline")
    assert token_client(fin.a_user).post(url).status_code == 404
    assert token_client(other_service.mediator).post(url).status_code == 404
    assert not Deadline.objects.filter(case=fin.case).exists()
    mediator = token_client(service.mediator)
    made = mediator.post(url)
    assert made.status_code == 201
    assert {d["participant_id"] for d in made.json()} == {fin.a.pk, fin.b.pk}
    rows = Deadline.objects.filter(case=fin.case, rule_code=services.DISCLOSURE_RULE)
    assert rows.count() == 2 and all(r.visible_to_participants for r in rows)
    again = mediator.post(url)
    assert again.status_code == 422 and "already set" in again.json()["detail"]
    assert rows.count() == 2


# The Open Financial Statement and the asset schedule -------------------------------------------


def test_the_statement_is_issued_by_the_mediators_and_reaches_both_parties(
    service, other_service, fin
):
    url = _url(fin, "financial-statement")
    mediator = token_client(service.mediator)
    early = mediator.post(url)
    assert early.status_code == 422 and "Both parties" in early.json()["detail"]
    assert not DocumentVersion.objects.exists()
    _both_shared(service, fin)
    assert token_client(fin.a_user).post(url).status_code == 404
    assert token_client(other_service.mediator).post(url).status_code == 404
    assert token_client(service.coordinator).post(url).status_code == 403
    assert not DocumentVersion.objects.exists()
    issued = mediator.post(url)
    assert issued.status_code == 201
    body = issued.json()
    assert [d["content_type"] for d in body] == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    assert AuditEvent.objects.filter(action="finance.statement_issued", case_id=fin.case.pk).count()
    assert DocumentShare.objects.filter(version_id__in=[d["version_id"] for d in body]).count() == 4
    # Listed and downloaded as the pages do: through the documents operations, by a party too.
    ben = token_client(fin.b_user)
    listed = ben.get(_url(fin, "documents")).json()
    assert {v["id"] for d in listed for v in d["versions"]} == {d["version_id"] for d in body}
    pdf = ben.client.get(body[0]["download_url"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"  # type: ignore[attr-defined]


def test_the_asset_schedule_downloads_for_the_case_team_only(service, other_service, fin):
    url = _url(fin, "asset-schedule")
    mediator = token_client(service.mediator)
    early = mediator.get(url)
    assert early.status_code == 422 and "Both parties" in early.json()["detail"]
    _both_shared(service, fin)
    got = mediator.get(url)
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert got["Content-Disposition"] == f'attachment; filename="asset-schedule-{fin.case.pk}.xlsx"'
    import io

    from openpyxl import load_workbook

    cells = [
        str(c.value)
        for row in load_workbook(io.BytesIO(got.content)).active.iter_rows()
        for c in row
    ]
    assert "Family home" in cells and not any("BEN-UNSHARED-LATER" in c for c in cells)
    assert token_client(service.coordinator).get(url).status_code == 200  # as the page
    assert token_client(fin.a_user).get(url).status_code == 404
    assert token_client(other_service.mediator).get(url).status_code == 404


def test_evidence_downloads_for_the_team_and_the_disclosing_party_never_the_other(
    service, other_service, fin
):
    item = services.disclosure_item_add(
        actor=fin.a_user,
        case=fin.case,
        participant=fin.a,
        part="accounts",
        description="Current account",
        owner="a",
        share_a_percent="50",
        value_pence=100000,
        gross_pence=None,
        valuation_date=timezone.localdate(),
        note="",
    )
    evidence = services.evidence_upload(
        actor=fin.a_user, item=item, upload=SimpleUploadedFile("s.pdf", PDF, "application/pdf")
    )
    services.disclosure_share(actor=fin.a_user, case=fin.case, participant=fin.a)
    url = _url(fin, f"evidence/{evidence.pk}/content")
    for user in (fin.a_user, service.mediator):
        got = token_client(user).get(url)
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert token_client(fin.b_user).get(url).status_code == 404
    assert token_client(other_service.mediator).get(url).status_code == 404
    assert (
        token_client(service.mediator).get(_url(fin, "evidence/999999/content")).status_code == 404
    )


# Scenarios ------------------------------------------------------------------------------------


def test_a_mediator_builds_a_scenario_and_bad_input_names_the_field(service, other_service, fin):
    _both_shared(service, fin)
    home = _home(fin)
    url = _url(fin, "scenarios")
    mediator = token_client(service.mediator)
    payload = {"title": "Sell, 70/30", "allocations": {home: "70"}, "lump_sum": "-1000"}
    for bad, field in (
        ({**payload, "lump_sum": "12.345"}, "lump_sum"),
        ({**payload, "maintenance": "lots"}, "maintenance"),
        ({**payload, "allocations": {home: "101"}}, "allocations"),
        ({**payload, "allocations": {"999999": "50"}}, "allocations"),
        ({**payload, "sold": ["999999"]}, "sold"),
        ({**payload, "title": " "}, "title"),
        ({**payload, "pension_share_a_percent": "50.123"}, "pension_share_a_percent"),
        ({**payload, "colour": "red"}, "colour"),
    ):
        refused = mediator.post(url, bad)
        assert refused.status_code == 422 and field in refused.json()["errors"], (bad, refused)
    assert token_client(fin.a_user).post(url, payload).status_code == 404
    assert token_client(other_service.mediator).post(url, payload).status_code == 404
    assert token_client(service.coordinator).post(url, payload).status_code == 403
    assert not Scenario.objects.exists()
    made = mediator.post(url, payload)
    assert made.status_code == 201 and made.json()["audience"] == "mediators"
    scenario = Scenario.objects.get()
    assert scenario.allocations == {home: "70"} and scenario.lump_sum_pence == -100000
    assert scenario.audience == "" and made.json()["id"] == scenario.pk
    assert made.json()["results"] == {
        party: {
            "capital_pence": r.capital,
            "pensions_pence": r.pensions,
            "income_pence": r.income,
            "needs_pence": r.needs,
            "share_percent": str(r.share_percent),
        }
        for party, r in sc.results(fin.case, scenario).items()
    }
    assert AuditEvent.objects.filter(
        action="finance.scenario_created", case_id=fin.case.pk
    ).exists()
    # Not shared yet: neither party sees it.
    for user in (fin.a_user, fin.b_user):
        assert token_client(user).get(url).json() == []


def test_a_scenario_shared_privately_never_reaches_the_other_party(service, other_service, fin):
    _both_shared(service, fin)
    plan = sc.scenario_create(actor=service.mediator, case=fin.case, title="PRIVATE-PLAN")
    url = _url(fin, f"scenarios/{plan.pk}/share")
    mediator = token_client(service.mediator)
    stranger = open_finance_case(other_service)
    for bad, field in (
        ({"audience": "everyone"}, "audience"),
        ({"audience": "private"}, "participant_id"),
        ({"audience": "private", "participant_id": stranger.a.pk}, "participant_id"),
        ({"audience": "private", "participant_id": "ben"}, "participant_id"),
    ):
        refused = mediator.post(url, bad)
        assert refused.status_code == 422 and field in refused.json()["errors"], (bad, refused)
    assert token_client(fin.b_user).post(url, {"audience": "joint"}).status_code == 404
    assert token_client(other_service.mediator).post(url, {"audience": "joint"}).status_code == 404
    assert token_client(service.coordinator).post(url, {"audience": "joint"}).status_code == 403
    assert (
        mediator.post(_url(stranger, f"scenarios/{plan.pk}/share"), {"audience": "joint"})
    ).status_code == 404
    plan.refresh_from_db()
    assert plan.audience == "" and plan.shared_at is None
    shared = mediator.post(url, {"audience": "private", "participant_id": fin.b.pk})
    assert shared.status_code == 200
    assert shared.json()["audience"] == "private" and shared.json()["shared_with_id"] == fin.b.pk
    plan.refresh_from_db()
    assert plan.audience == "private" and plan.shared_with_id == fin.b.pk
    assert AuditEvent.objects.filter(action="finance.scenario_shared", case_id=fin.case.pk).exists()
    ben = token_client(fin.b_user).get(_url(fin, "scenarios"))
    assert [s["title"] for s in ben.json()] == ["PRIVATE-PLAN"]
    anna = token_client(fin.a_user).get(_url(fin, "scenarios"))
    assert anna.status_code == 200 and "PRIVATE-PLAN" not in anna.content.decode()
    joint = mediator.post(url, {"audience": "joint"})
    assert joint.status_code == 200 and joint.json()["shared_with_id"] is None
    assert [s["title"] for s in token_client(fin.a_user).get(_url(fin, "scenarios")).json()] == [
        "PRIVATE-PLAN"
    ]


def test_a_scenario_goes_into_the_mou_draft(service, other_service, fin):
    from accord.cases.models import Case
    from accord.outcomes.models import OutcomeDraft

    _both_shared(service, fin)
    plan = sc.scenario_create(
        actor=service.mediator, case=fin.case, title="Plan", lump_sum_pence=-100000
    )
    url = _url(fin, f"scenarios/{plan.pk}/mou")
    Case.objects.filter(pk=fin.case.pk).update(stage="mediation")
    assert token_client(fin.a_user).post(url).status_code == 404
    assert token_client(other_service.mediator).post(url).status_code == 404
    assert token_client(service.coordinator).post(url).status_code == 403
    assert token_client(service.mediator).post(_url(fin, "scenarios/999999/mou")).status_code == 404
    assert not OutcomeDraft.objects.filter(case=fin.case).exists()
    done = token_client(service.mediator).post(url)
    assert done.status_code == 200
    draft = OutcomeDraft.objects.get(case=fin.case)
    assert done.json()["draft_id"] == draft.pk
    assert draft.sections["items"][-1]["title"] == "Finances: Plan" == done.json()["section_title"]
    assert "Ben Black pays Anna Green a lump sum of £1,000.00." in done.json()["wording"]
    assert AuditEvent.objects.filter(action="finance.scenario_to_mou", case_id=fin.case.pk).exists()


# Fair division --------------------------------------------------------------------------------


def test_a_suggestion_becomes_a_scenario_and_ratings_stay_with_the_mediators(
    service, other_service, fin
):
    pytest.importorskip("accord.division")
    _both_shared(service, fin)
    url = _url(fin, "suggestions/scenario")
    mediator = token_client(service.mediator)
    bad = mediator.post(url, {"method": "best"})
    assert bad.status_code == 422 and "method" in bad.json()["errors"]
    early = mediator.post(url, {"method": "aw"})
    assert early.status_code == 422 and "rate" in early.json()["detail"]
    keys = [str(r["id"]) for r in ratings.rateable_items(fin.case)]
    anna, ben = token_client(fin.a_user), token_client(fin.b_user)
    assert (
        anna.post(_url(fin, "ratings"), {"points": {keys[0]: 80, keys[1]: 20}}).status_code == 201
    )
    assert ben.post(_url(fin, "ratings"), {"points": {keys[0]: 40, keys[1]: 60}}).status_code == 201
    # A party reads their own ratings only, and never the suggestions.
    assert ben.get(_url(fin, "ratings")).json() == {str(fin.b.pk): {keys[0]: 40, keys[1]: 60}}
    assert ben.get(_url(fin, "suggestions")).status_code == 404
    assert ben.post(url, {"method": "aw"}).status_code == 404
    assert token_client(other_service.mediator).post(url, {"method": "aw"}).status_code == 404
    assert not Scenario.objects.exists()
    made = mediator.post(url, {"method": "aw"})
    assert made.status_code == 201 and made.json()["title"] == "Adjusted Winner suggestion"
    scenario = Scenario.objects.get()
    assert scenario.allocations == {keys[0]: "250/3", keys[1]: "0"} and scenario.audience == ""
    assert AuditEvent.objects.filter(
        action="finance.scenario_created", case_id=fin.case.pk
    ).exists()
    # Not shared: neither party sees the scenario the ratings made.
    assert ben.get(_url(fin, "scenarios")).json() == []


# The consent-order pack -----------------------------------------------------------------------


def _mou_issued(service: Any, fin: Any) -> None:
    """The MoU is issued (its own pipeline is tested in outcomes): the rows it leaves."""
    from accord.documents.services import document_render_pdf
    from accord.outcomes.models import OutcomeDraft

    plan = sc.scenario_create(actor=service.mediator, case=fin.case, title="Plan")
    draft = sc.scenario_to_mou(actor=service.mediator, scenario=plan)
    stand_in = document_render_pdf(
        actor=service.mediator,
        case=fin.case,
        template_code="open-financial-statement",
        context={},
        title="MoU stand-in",
        document_code="mou-stand-in",
    )
    OutcomeDraft.objects.filter(pk=draft.pk).update(
        status="issued", issued_at=timezone.now(), issued_version=stand_in
    )


def test_the_consent_pack_is_prepared_for_the_solicitors_not_shared(service, other_service, fin):
    from accord.finance.consent import PACK_CODE

    _both_shared(service, fin)
    url = _url(fin, "consent-pack")
    mediator = token_client(service.mediator)
    early = mediator.post(url)
    assert early.status_code == 422 and "Memorandum" in early.json()["detail"]
    _mou_issued(service, fin)
    assert mediator.post(url).status_code == 422  # the statement is not issued yet
    assert mediator.post(_url(fin, "financial-statement")).status_code == 201
    assert token_client(fin.a_user).post(url).status_code == 404
    assert token_client(other_service.mediator).post(url).status_code == 404
    assert token_client(service.coordinator).post(url).status_code == 403
    assert not Document.objects.filter(case=fin.case, code=PACK_CODE).exists()
    made = mediator.post(url)
    assert made.status_code == 201
    ids = [d["version_id"] for d in made.json()]
    assert [d["document_code"] for d in made.json()] == [PACK_CODE, "consent-order-outline"]
    assert not DocumentShare.objects.filter(version_id__in=ids).exists()
    assert AuditEvent.objects.filter(
        action="finance.consent_pack_prepared", case_id=fin.case.pk
    ).exists()
    listed = token_client(fin.b_user).get(_url(fin, "documents")).json()
    assert not {v["id"] for d in listed for v in d["versions"]} & set(ids)


def test_the_delivery_to_a_solicitor_is_recorded(service, other_service, fin):
    from accord.finance import consent

    _both_shared(service, fin)
    url = _url(fin, "consent-pack/deliveries")
    mediator = token_client(service.mediator)
    payload = {"participant_id": fin.a.pk, "solicitor": "Hussain & Co", "sent_on": "2026-12-01"}
    first = mediator.post(url, payload)
    assert first.status_code == 422 and "Prepare the consent-order pack" in first.json()["detail"]
    _mou_issued(service, fin)
    from accord.finance.statement import statement_issue

    statement_issue(actor=service.mediator, case=fin.case)
    consent.consent_pack_prepare(actor=service.mediator, case=fin.case)
    stranger = open_finance_case(other_service)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for bad, field in (
        ({**payload, "participant_id": stranger.a.pk}, "participant_id"),
        ({**payload, "solicitor": "  "}, "solicitor"),
        ({**payload, "sent_on": tomorrow}, "sent_on"),
        ({**payload, "sent_on": "yesterday"}, "sent_on"),
    ):
        refused = mediator.post(url, bad)
        assert refused.status_code == 422 and field in refused.json()["errors"], (bad, refused)
    assert token_client(fin.a_user).post(url, payload).status_code == 404
    assert token_client(fin.a_user).get(url).status_code == 404
    assert token_client(other_service.mediator).post(url, payload).status_code == 404
    assert token_client(service.coordinator).post(url, payload).status_code == 403
    assert not ConsentPackDelivery.objects.exists()
    made = mediator.post(url, payload)
    assert made.status_code == 201
    row = ConsentPackDelivery.objects.get()
    assert (row.party_id, row.solicitor, row.sent_on) == (
        fin.a.pk,
        "Hussain & Co",
        dt.date(2026, 12, 1),
    )
    assert made.json()["id"] == row.pk
    assert AuditEvent.objects.filter(
        action="finance.consent_pack_sent", case_id=fin.case.pk
    ).exists()
    assert [d["solicitor"] for d in mediator.get(url).json()] == ["Hussain & Co"]
