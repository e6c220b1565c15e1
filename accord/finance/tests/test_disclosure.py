"""Financial disclosure: items, bad input, sharing with changes marked, evidence, gaps and the
deadline, what is next, and who sees what through pages, the API and emails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.progress import next_steps, party_actions
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines.models import Deadline, OutboundEmail
from accord.finance import selectors, services
from accord.finance.models import DisclosureItem, Evidence, EvidenceRequirement, FormEPart
from accord.finance.money import MoneyError, pence_to_pounds, pounds_to_pence

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _add(actor: Any, case: Any, party: Any, **over: Any) -> DisclosureItem:
    data: dict[str, Any] = {
        "part": "accounts",
        "description": "Barclays current account",
        "owner": "a",
        "value_pence": 123456,
        "valuation_date": TODAY,
        "note": "",
    }
    data.update(over)
    return services.disclosure_item_add(actor=actor, case=case, participant=party, **data)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pence"),
    [("1250", 125000), ("£1,250.50", 125050), ("0.5", 50), (".05", 5), ("1,000,000", 100000000)],
)
def test_pounds_become_pence(text, pence):
    assert pounds_to_pence(text) == pence


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("12.345", "2 decimal places"),
        ("-5", "minus"),
        ("2000000000", "too large"),
        ("abc", "in pounds"),
        ("1,2,3", "in pounds"),
        ("", "in pounds"),
    ],
)
def test_bad_amounts_are_refused_in_words(text, words):
    with pytest.raises(MoneyError, match=words):
        pounds_to_pence(text)


def test_floats_are_refused_and_pence_print_as_pounds():
    with pytest.raises(MoneyError):
        pounds_to_pence(1.5)
    assert pence_to_pounds(123450) == "£1,234.50"
    assert pence_to_pounds(-5) == "-£0.05"


# Items ------------------------------------------------------------------------------------------


def test_the_part_applies_to_finance_cases_only(service, fin):
    party = service.case.participants.filter(role="party").first()
    with pytest.raises(ValidationFailed, match="money and property"):
        _add(service.parties["alice"], service.case, party)
    assert not DisclosureItem.objects.exists()
    assert _add(fin.a_user, fin.case, fin.a).pk


def test_a_party_adds_to_their_own_disclosure_only(service, fin):
    _add(fin.a_user, fin.case, fin.a)
    with pytest.raises(NotFoundOrHidden):
        _add(fin.a_user, fin.case, fin.b)
    with pytest.raises(NotPermitted):
        _add(service.coordinator, fin.case, fin.a)
    assert DisclosureItem.objects.count() == 1


def test_a_mediator_enters_for_a_party_and_it_is_recorded_as_such(service, fin):
    item = _add(service.mediator, fin.case, fin.b, owner="joint", share_a_percent="40")
    assert item.by_mediator and item.entered_by == service.mediator
    event = AuditEvent.objects.get(action="finance.item_added")
    assert event.details["by_mediator"] is True
    assert "123456" not in str(event.details) and "Barclays" not in str(event.details)
    from accord.cases.timeline import entries

    (entry,) = entries(AuditEvent.objects.filter(pk=event.pk).select_related("actor"), fin.case)
    assert "Ben Black" in entry.text and entry.part == "disclosure"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"value_pence": -1}, "value"),
        ({"value_pence": 10**12}, "value"),
        ({"value_pence": 1.5}, "value"),
        ({"valuation_date": timezone.localdate() + dt.timedelta(days=1)}, "valuation_date"),
        ({"part": "yachts"}, "part"),
        ({"owner": "c"}, "owner"),
        ({"owner": "joint", "share_a_percent": "120"}, "share_a_percent"),
        ({"owner": "joint", "share_a_percent": "33.333"}, "share_a_percent"),
        ({"description": "  "}, "description"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_items_are_refused_and_nothing_is_saved(fin, over, field):
    with pytest.raises(ValidationFailed) as caught:
        _add(fin.a_user, fin.case, fin.a, **over)
    assert field in caught.value.field_errors
    assert not DisclosureItem.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="finance.").exists()


def test_the_form_takes_pounds_and_says_what_is_wrong(fin):
    client = _client(fin.a_user)
    url = reverse("finance:portal_item_add", args=[fin.case.pk])
    base = {
        "part": "accounts",
        "description": "Savings",
        "owner": "a",
        "share_a_percent": "50",
        "valuation_date": "1/11/2026",
    }
    bad = client.post(url, {**base, "value": "12.345"})
    assert bad.status_code == 422 and "2 decimal places" in bad.content.decode()
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    bad = client.post(url, {**base, "value": "10", "valuation_date": future})
    assert bad.status_code == 422 and "cannot be in the future" in bad.content.decode()
    assert not DisclosureItem.objects.exists()
    ok = client.post(url, {**base, "value": "£2,500.75"})
    assert ok.status_code == 302
    assert DisclosureItem.objects.get().value_pence == 250075


# Sharing ----------------------------------------------------------------------------------------


def test_the_other_party_sees_only_what_was_shared_with_changes_marked(service, fin):
    first = _add(fin.a_user, fin.case, fin.a, description="ANNA-ISA", value_pence=500000)
    assert [d.participant for d in selectors.disclosures_for(user=fin.b_user, case=fin.case)] == [
        fin.b
    ]
    services.disclosure_share(actor=fin.a_user, case=fin.case, participant=fin.a)
    services.disclosure_item_change(
        actor=fin.a_user,
        item=first,
        part="accounts",
        description="ANNA-ISA-RENAMED",
        owner="a",
        value_pence=999999,
        valuation_date=TODAY,
    )
    _add(fin.a_user, fin.case, fin.a, description="ANNA-LATER", value_pence=7)
    seen = [d for d in selectors.disclosures_for(user=fin.b_user, case=fin.case) if not d.live]
    assert len(seen) == 1
    shared = seen[0]
    assert [i.description for i in shared.items] == ["ANNA-ISA"]
    assert shared.items[0].value_pence == 500000 and shared.items[0].changed_since
    assert shared.added_since == 1
    page = _client(fin.b_user).get(reverse("finance:portal", args=[fin.case.pk])).content.decode()
    assert "ANNA-ISA" in page and "Changed since shared" in page
    assert "ANNA-ISA-RENAMED" not in page and "ANNA-LATER" not in page and "£9,999.99" not in page
    services.disclosure_item_remove(actor=fin.a_user, item=first)
    shared = next(
        d for d in selectors.disclosures_for(user=fin.b_user, case=fin.case) if not d.live
    )
    assert shared.items[0].removed_since
    # Sharing again shows the disclosure as it is now.
    services.disclosure_share(actor=fin.a_user, case=fin.case, participant=fin.a)
    shared = next(
        d for d in selectors.disclosures_for(user=fin.b_user, case=fin.case) if not d.live
    )
    assert [i.description for i in shared.items] == ["ANNA-LATER"] and not shared.added_since


def test_sharing_emails_the_other_party_without_figures(fin):
    _add(fin.a_user, fin.case, fin.a, description="ANNA-SECRET-POT", value_pence=4242424)
    with pytest.raises(NotFoundOrHidden):
        services.disclosure_share(actor=fin.a_user, case=fin.case, participant=fin.b)
    services.disclosure_share(actor=fin.a_user, case=fin.case, participant=fin.a)
    mail = OutboundEmail.objects.get(to_email="ben@money.example")
    assert "shared their financial disclosure" in mail.body
    for leak in ("ANNA-SECRET-POT", "42,424", "4242424"):
        assert leak not in mail.body and leak not in mail.subject
    assert not OutboundEmail.objects.filter(to_email="anna@money.example").exists()


def test_an_empty_disclosure_cannot_be_shared(fin):
    with pytest.raises(ValidationFailed, match="at least one item"):
        services.disclosure_share(actor=fin.a_user, case=fin.case, participant=fin.a)


# Evidence, gaps, the deadline -------------------------------------------------------------------


def test_evidence_is_sniffed_size_limited_seen_and_downloaded_by_the_right_people(service, fin):
    item = _add(fin.a_user, fin.case, fin.a)
    with pytest.raises(ValidationFailed) as caught:
        services.evidence_upload(
            actor=fin.a_user,
            item=item,
            upload=SimpleUploadedFile("s.pdf", b"\x00\x01binary", "application/pdf"),
        )
    assert "PDF, PNG" in str(caught.value.field_errors)
    with pytest.raises(ValidationFailed) as caught:
        services.evidence_upload(
            actor=fin.a_user, item=item, upload=SimpleUploadedFile("s.pdf", PDF, "image/png")
        )
    assert "do not match" in str(caught.value.field_errors)
    with pytest.raises(NotFoundOrHidden):
        services.evidence_upload(
            actor=fin.b_user,
            item=item,
            upload=SimpleUploadedFile("s.pdf", PDF, "application/pdf"),
        )
    assert not Evidence.objects.exists()
    evidence = services.evidence_upload(
        actor=fin.a_user,
        item=item,
        upload=SimpleUploadedFile("bank statements.pdf", PDF, "application/pdf"),
    )
    assert (
        evidence.file_name == "bank statements.pdf" and evidence.content_type == "application/pdf"
    )
    with pytest.raises(NotPermitted):
        services.evidence_mark_seen(actor=service.coordinator, evidence=evidence)
    services.evidence_mark_seen(actor=service.mediator, evidence=evidence)
    evidence.refresh_from_db()
    assert evidence.seen_at is not None
    url = reverse("finance:portal_evidence", args=[fin.case.pk, evidence.pk])
    got = _client(fin.a_user).get(url)
    body = b"".join(got.streaming_content)  # type: ignore[attr-defined]
    assert got.status_code == 200 and body == PDF
    assert _client(fin.b_user).get(url).status_code == 404
    staff = reverse("finance:evidence", args=[fin.case.pk, evidence.pk])
    assert _client(service.mediator).get(staff).status_code == 200
    assert _client(fin.b_user).get(staff).status_code == 404


def test_the_gap_list_names_missing_evidence_and_parts_and_follows_the_service_rows(service, fin):
    item = _add(fin.a_user, fin.case, fin.a, description="Savings pot")
    mine = selectors.disclosures_for(user=fin.a_user, case=fin.case)[0]
    assert any("Savings pot" in gap and "12 months" in gap for gap in mine.gaps)
    assert len(mine.gaps) == 1 + len(FormEPart.values)
    for code in FormEPart.values:
        services.disclosure_part_complete(
            actor=fin.a_user, case=fin.case, participant=fin.a, part=code
        )
    services.evidence_upload(
        actor=fin.a_user, item=item, upload=SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    )
    assert selectors.disclosures_for(user=fin.a_user, case=fin.case)[0].gaps == []
    # A service changes what a part needs, from a date: dated data, not code.
    with pytest.raises(NotPermitted):
        services.evidence_requirement_add(
            actor=service.mediator,
            organisation=service.organisation,
            part="accounts",
            evidence="6 months of statements",
            effective_from=dt.date(2026, 1, 1),
        )
    services.evidence_requirement_add(
        actor=service.admin,
        organisation=service.organisation,
        part="accounts",
        evidence="6 months of statements",
        effective_from=dt.date(2026, 1, 1),
    )
    needs = services.requirements_in_force(service.organisation.pk, dt.date(2026, 6, 1))
    assert needs["accounts"] == "6 months of statements"
    assert services.requirements_in_force(service.organisation.pk, dt.date(2025, 6, 1))[
        "accounts"
    ].startswith("12 months")
    assert EvidenceRequirement.objects.filter(organisation__isnull=True).count() >= 8


def test_the_deadline_is_a_dated_rule_shown_to_each_party_in_the_portal(service, fin):
    made = services.disclosure_deadline_set(actor=service.mediator, case=fin.case)
    assert len(made) == 2 and all(d.visible_to_participants for d in made)
    assert {d.concerns_participant_id for d in made} == {fin.a.pk, fin.b.pk}
    assert made[0].rule.code == "finance.disclosure"
    with pytest.raises(ValidationFailed, match="already set"):
        services.disclosure_deadline_set(actor=service.mediator, case=fin.case)
    page = _client(fin.a_user).get(reverse("finance:portal", args=[fin.case.pk])).content.decode()
    assert "Financial disclosure from Anna Green" in page
    assert "Financial disclosure from Ben Black" not in page
    assert Deadline.objects.filter(case=fin.case).count() == 2
    # The portal's "Where it has got to" says the disclosure is due, and by when.
    from accord.portal.views import PortalCase

    due = timezone.localtime(made[0].due_at)
    words = PortalCase.of(fin.case, [fin.a]).stage_words
    assert f"Your financial disclosure is not shared yet. It is due by {due:%-d %B %Y}." in words
    home = _client(fin.a_user).get(reverse("portal:home")).content.decode()
    assert "Your financial disclosure is not shared yet." in home


def test_what_is_next_and_party_actions(service, fin):
    from accord.cases.models import Case

    Case.objects.filter(pk=fin.case.pk).update(stage="agreement")
    fin.case.refresh_from_db()
    texts = [s.text for s in next_steps(fin.case, user=service.mediator)]
    assert "Set the deadline for financial disclosure." in texts
    assert any("Chase Anna Green's financial disclosure" in t for t in texts)
    actions = [a.text for a in party_actions(fin.case, fin.a)]
    assert any("Complete your financial disclosure" in t for t in actions)


# Who sees what: pages, API ----------------------------------------------------------------------


def test_pages_hide_unshared_disclosure_from_the_other_party_and_strangers(
    service, other_service, fin
):
    _add(fin.a_user, fin.case, fin.a, description="ANNA-HIDDEN", value_pence=31415926)
    portal_b = _client(fin.b_user).get(reverse("finance:portal", args=[fin.case.pk]))
    assert portal_b.status_code == 200
    assert "ANNA-HIDDEN" not in portal_b.content.decode()
    assert "314,159" not in portal_b.content.decode()
    case_page = _client(fin.b_user).get(reverse("portal:case", args=[fin.case.pk]))
    assert "ANNA-HIDDEN" not in case_page.content.decode()
    staff = _client(service.mediator).get(reverse("finance:case", args=[fin.case.pk]))
    assert "ANNA-HIDDEN" in staff.content.decode()
    workspace = _client(service.mediator).get(
        reverse("cases:detail", args=[fin.case.pk]) + "?section=finance"
    )
    assert workspace.status_code == 200 and "£314,159.26" in workspace.content.decode()
    item = DisclosureItem.objects.get()
    for url in (
        reverse("finance:portal_item_edit", args=[fin.case.pk, item.pk]),
        reverse("finance:item_edit", args=[fin.case.pk, item.pk]),
        reverse("finance:case", args=[fin.case.pk]),
    ):
        assert _client(fin.b_user).get(url).status_code == 404
        assert _client(other_service.mediator).get(url).status_code == 404
    assert (
        _client(service.mediator).get(reverse("finance:portal", args=[fin.case.pk])).status_code
        == 404
    )


def test_the_api_follows_the_same_policy(service, fin):
    from accord.api.tests.conftest import token_client

    anna, ben = token_client(fin.a_user), token_client(fin.b_user)
    url = f"/cases/{fin.case.pk}/disclosures/{fin.a.pk}/items"
    payload = {
        "part": "property",
        "description": "API-HOUSE",
        "owner": "joint",
        "share_a_percent": "50",
        "value": "350000.00",
        "valuation_date": "2026-10-01",
    }
    assert anna.post(url, {**payload, "value": "1.234"}).status_code == 422
    assert anna.post(url, {**payload, "value": "-5"}).status_code == 422
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert anna.post(url, {**payload, "valuation_date": future}).status_code == 422
    assert not DisclosureItem.objects.exists()
    made = anna.post(url, payload)
    assert made.status_code == 201 and made.json()["value_pence"] == 35000000
    assert ben.post(url, payload).status_code == 404
    listed = ben.get(f"/cases/{fin.case.pk}/disclosures")
    assert listed.status_code == 200 and "API-HOUSE" not in listed.content.decode()
    assert anna.post(f"/cases/{fin.case.pk}/disclosures/{fin.a.pk}/share").status_code == 200
    shared = [d for d in ben.get(f"/cases/{fin.case.pk}/disclosures").json() if not d["live"]]
    assert shared[0]["items"][0]["description"] == "API-HOUSE"
    assert shared[0]["items"][0]["evidence"] is None
    item_id = made.json()["id"]
    assert ben.patch(f"/cases/{fin.case.pk}/disclosure-items/{item_id}", payload).status_code == 404
    changed = anna.patch(
        f"/cases/{fin.case.pk}/disclosure-items/{item_id}", {**payload, "value": "360000"}
    )
    assert changed.status_code == 200
    shared = [d for d in ben.get(f"/cases/{fin.case.pk}/disclosures").json() if not d["live"]]
    assert (
        shared[0]["items"][0]["changed_since"] and shared[0]["items"][0]["value_pence"] == 35000000
    )
    mediator = token_client(service.mediator).get(f"/cases/{fin.case.pk}/disclosures").json()
    assert {d["party"] for d in mediator} == {"a", "b"} and all(d["live"] for d in mediator)
    raw = anna.client
    bad = raw.post(
        f"/api/v1/cases/{fin.case.pk}/disclosure-items/{item_id}/evidence",
        {"file": SimpleUploadedFile("v.pdf", b"\x00\x00", "application/pdf")},
    )
    assert bad.status_code == 422 and not Evidence.objects.exists()
    good = raw.post(
        f"/api/v1/cases/{fin.case.pk}/disclosure-items/{item_id}/evidence",
        {"file": SimpleUploadedFile("v.pdf", PDF, "application/pdf")},
    )
    assert good.status_code == 201
    evidence_id = good.json()["id"]
    seen_url = f"/cases/{fin.case.pk}/evidence/{evidence_id}/seen"
    assert anna.post(seen_url).status_code == 404
    assert token_client(service.mediator).post(seen_url).status_code == 200
    assert ben.delete(f"/cases/{fin.case.pk}/disclosure-items/{item_id}").status_code == 404
    assert anna.delete(f"/cases/{fin.case.pk}/disclosure-items/{item_id}").status_code == 204


# The Open Financial Statement and the asset schedule --------------------------------------------


def _both_shared(service: Any, fin: Any) -> None:
    _add(
        fin.a_user,
        fin.case,
        fin.a,
        part="property",
        description="Family home",
        owner="joint",
        share_a_percent="50",
        value_pence=40000000,
    )
    _add(
        fin.a_user,
        fin.case,
        fin.a,
        part="liabilities",
        description="Mortgage",
        owner="joint",
        share_a_percent="50",
        value_pence=15000000,
    )
    _add(
        fin.a_user,
        fin.case,
        fin.a,
        part="pensions",
        description="NHS pension",
        owner="a",
        value_pence=8000000,
    )
    _add(
        fin.b_user,
        fin.case,
        fin.b,
        part="accounts",
        description="Ben savings",
        owner="b",
        value_pence=1234567,
    )
    services.disclosure_share(actor=fin.a_user, case=fin.case, participant=fin.a)
    services.disclosure_share(actor=fin.b_user, case=fin.case, participant=fin.b)
    _add(fin.b_user, fin.case, fin.b, description="BEN-UNSHARED-LATER", owner="b", value_pence=1)


def test_the_statement_needs_both_shared_and_carries_the_totals(service, fin):
    import io
    import zipfile

    from accord.documents.models import DocumentShare, DocumentVersion
    from accord.finance.statement import schedule_xlsx, statement_context, statement_issue

    with pytest.raises(ValidationFailed, match="Both parties"):
        statement_issue(actor=service.mediator, case=fin.case)
    _both_shared(service, fin)
    context = statement_context(fin.case)
    # Net capital: A half the home less half the mortgage; B the same plus their savings.
    assert context["net_a"] == "£125,000.00" and context["net_b"] == "£137,345.67"
    assert context["net_all"] == "£262,345.67" and context["pensions_all"] == "£80,000.00"
    with pytest.raises(NotPermitted):
        statement_issue(actor=service.coordinator, case=fin.case)
    from accord.portal.views import PortalCase

    words = PortalCase.of(fin.case, [fin.a]).stage_words
    assert "You shared your financial disclosure on" in words
    assert "the other person has shared theirs too" in words
    pdf, docx = statement_issue(actor=service.mediator, case=fin.case)
    assert pdf.content_type == "application/pdf" and pdf.number == 1
    with pdf.content.open("rb") as handle:
        body = handle.read()
    assert body[:5] == b"%PDF-"
    from pypdf import PdfReader

    printed = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages).split()
    )
    for figure in ("£125,000.00", "£137,345.67", "£262,345.67", "£80,000.00"):
        assert figure in printed
    assert "BEN-UNSHARED-LATER" not in printed
    issued_words = PortalCase.of(fin.case, [fin.b]).stage_words
    assert "The Open Financial Statement was issued to you on" in issued_words
    with docx.content.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as z:
        text = z.read("word/document.xml").decode()
    assert "£262,345.67" in text and "BEN-UNSHARED-LATER" not in text
    assert DocumentShare.objects.filter(version__in=[pdf, docx]).count() == 4
    again, _ = statement_issue(actor=service.mediator, case=fin.case)
    assert again.number == 2 and DocumentVersion.objects.count() == 4
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(schedule_xlsx(fin.case)))
    sheet = book.active
    formulas = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(f.startswith("=SUM(G") for f in formulas)
    assert any("Net capital" in f for f in formulas)
    assert not any("BEN-UNSHARED-LATER" in f for f in formulas)
    got = _client(service.mediator).get(reverse("finance:schedule_xlsx", args=[fin.case.pk]))
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert (
        _client(fin.a_user).get(reverse("finance:schedule_xlsx", args=[fin.case.pk])).status_code
        == 404
    )
