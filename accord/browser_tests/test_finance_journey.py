"""Money and property in the browser: both parties disclose in the portal, one shares and the
other sees only what was shared, a gap is chased with the deadline, the mediator builds two
scenarios, both parties rate the shared assets, a suggestion becomes a scenario (once the
fair-division module is installed), and the issued Open Financial Statement and MoU PDFs, as
downloaded, carry the totals (their text extracted with pypdf)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, open_section, sign_in

pytestmark = pytest.mark.browser


def _party_tab(browser: Any, base: str, email: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(60_000)  # a loaded machine serves the first page slowly
    sign_in(tab, base, email)
    tab.wait_for_url(re.compile(r"/portal/$"))
    return context, tab


def _disclose(
    tab: Any, base: str, case_pk: int, part: str, what: str, owner: str, value: str
) -> None:
    tab.goto(f"{base}/portal/cases/{case_pk}/finance/add/")
    tab.get_by_label("Which part of the disclosure is it?").select_option(label=part)
    tab.get_by_label("What is it?").fill(what)
    tab.get_by_label(owner).check()
    tab.get_by_label("Value in pounds").fill(value)
    tab.get_by_label("Valuation date").fill("1 11 2026")
    tab.get_by_role("button", name="Save the item").click()
    expect(tab.locator("body")).to_contain_text("The item has been added")


def test_two_parties_disclose_share_rate_and_the_statement_carries_the_totals(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.cases import services as case_services
    from accord.documents.models import Document
    from accord.finance.models import Rating, Scenario
    from accord.finance.scenarios import scenario_wording
    from accord.finance.statement import statement_context
    from accord.outcomes.models import OutcomeDraft
    from accord.testing.factories import party_with_login

    service = live_service
    base = live_server.url
    case = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind="family_finance",
        title="Green / Black",
        lead_mediator=service.mediator,
    )
    party_with_login(case, actor=service.coordinator, name="Anna Green", email="anna@f.example")
    party_with_login(case, actor=service.coordinator, name="Ben Black", email="ben@f.example")

    anna_ctx, anna = _party_tab(browser, base, "anna@f.example")
    _disclose(
        anna,
        base,
        case.pk,
        "Family home and other property",
        "The family home",
        "Both, jointly",
        "300000",
    )
    _disclose(
        anna,
        base,
        case.pk,
        "Bank and building society accounts",
        "Anna ISA",
        "Party A: Anna Green",
        "12000.50",
    )
    ben_ctx, ben = _party_tab(browser, base, "ben@f.example")
    _disclose(
        ben,
        base,
        case.pk,
        "Bank and building society accounts",
        "Ben savings",
        "Party B: Ben Black",
        "8000",
    )
    _disclose(ben, base, case.pk, "Other assets", "Ben car", "Party B: Ben Black", "9500")

    # Before Anna shares, Ben sees nothing of hers; after, what she shared, not what came later.
    ben.goto(f"{base}/portal/cases/{case.pk}/finance/")
    expect(ben.locator("body")).not_to_contain_text("Anna ISA")
    anna.goto(f"{base}/portal/cases/{case.pk}/finance/")
    anna.get_by_role("button", name=re.compile("Share with the other party")).click()
    expect(anna.locator("body")).to_contain_text("shared with the other party")
    _disclose(
        anna,
        base,
        case.pk,
        "Cash and valuables",
        "Anna LATER jewellery",
        "Party A: Anna Green",
        "500",
    )
    ben.goto(f"{base}/portal/cases/{case.pk}/finance/")
    expect(ben.locator("body")).to_contain_text("Anna ISA")
    expect(ben.locator("body")).not_to_contain_text("Anna LATER jewellery")
    ben.get_by_role("button", name=re.compile("Share with the other party")).click()

    # The mediator chases the gaps with the disclosure deadline.
    sign_in(page, base, service.mediator.email, with_code=True)
    page.goto(f"{base}/cases/{case.pk}/")
    open_section(page, "Money and property")
    page.get_by_role("link", name="Open the financial disclosure").click()
    expect(page.locator("body")).to_contain_text("Still missing")
    page.get_by_role("button", name="Set the disclosure deadline").click()
    expect(page.locator("body")).to_contain_text("Financial disclosure from Ben Black")

    # Two scenarios, one through the form.
    page.goto(f"{base}/cases/{case.pk}/finance/scenarios/add/")
    page.get_by_label("Name of the scenario").fill("Anna keeps the home")
    page.get_by_label(re.compile("The family home: party A's share")).fill("100")
    page.get_by_label(re.compile("Lump sum from party A")).fill("20000")
    page.get_by_role("button", name="Save the scenario").click()
    page.goto(f"{base}/cases/{case.pk}/finance/scenarios/add/")
    page.get_by_label("Name of the scenario").fill("Sell and split")
    page.get_by_role("button", name="Save the scenario").click()
    expect(page.locator("table")).to_contain_text("Sell and split")
    expect(page.locator("img[src$='chart.svg']")).to_be_visible()
    assert Scenario.objects.filter(case=case).count() == 2

    # Both parties rate the shared assets (the home, the ISA, the savings, the car).
    for tab in (anna, ben):
        tab.goto(f"{base}/portal/cases/{case.pk}/finance/rate/")
        fields = tab.get_by_label(re.compile(": points$"))
        assert fields.count() == 4
        for n, value in enumerate(("40", "20", "20", "20")):
            fields.nth(n).fill(value)
        tab.get_by_role("button", name="Save my ratings").click()
        expect(tab.locator("body")).to_contain_text("Only the mediators see them")
    assert Rating.objects.filter(case=case).count() == 8
    page.goto(f"{base}/cases/{case.pk}/finance/suggestions/")
    expect(page.locator("table")).to_contain_text("The family home")
    try:
        import accord.division  # noqa: F401
    except ImportError:
        expect(page.locator("body")).to_contain_text("not available")
    else:
        page.get_by_role("button", name=re.compile("Adjusted Winner suggestion into")).click()
        assert Scenario.objects.filter(case=case, title__startswith="Adjusted").exists()

    # The issued statement carries the totals.
    page.goto(f"{base}/cases/{case.pk}/finance/")
    # Rendering the PDF and the Word document takes a while on a busy machine.
    page.get_by_role("button", name="Issue the Open Financial Statement").click(timeout=120_000)
    expect(page.locator("body")).to_contain_text(
        "issued and shared with both parties", timeout=60_000
    )
    assert statement_context(case)["net_all"] == "£329,500.50"
    statement = Document.objects.get(case=case, code="open-financial-statement")
    pdf = statement.versions.filter(content_type="application/pdf").order_by("-number").first()
    assert pdf is not None
    text = _pdf_text(page, f"{base}/documents/{pdf.pk}/download/")
    # Both parties' totals and the total in all, as the statement prints them.
    for figure in ("£329,500.50", "£162,000.50", "£167,500.00", "Anna Green", "Ben Black"):
        assert figure in text, f"{figure} is not in the Open Financial Statement PDF"
    assert "Anna LATER jewellery" not in text  # added after sharing, never shared

    # The first scenario goes into the MoU with its figures, and the issued MoU PDF carries them.
    page.goto(f"{base}/cases/{case.pk}/finance/scenarios/")
    page.get_by_role("button", name="Carry into the MoU draft (Anna keeps the home)").click()
    expect(page.locator("body")).to_contain_text("The scenario is in the MoU draft")
    draft = OutcomeDraft.objects.get(case=case, kind="mou")
    page.goto(f"{base}/cases/{case.pk}/outcomes/{draft.pk}/")
    page.get_by_role("button", name="Issue", exact=True).click()
    page.get_by_role("button", name=re.compile(r"^Issue the ")).click(timeout=120_000)
    expect(page.locator("main")).to_contain_text("Issued", timeout=60_000)
    draft.refresh_from_db()
    mou = draft.issued_version
    assert mou is not None
    text = _pdf_text(page, f"{base}/documents/{mou.pk}/download/")
    wording = scenario_wording(case, Scenario.objects.get(case=case, title="Anna keeps the home"))
    assert "£20,000.00" in wording
    for figure in ("Finances: Anna keeps the home", "£20,000.00", "capital"):
        assert figure in text, f"{figure} is not in the MoU PDF"
    anna_ctx.close()
    ben_ctx.close()


def _pdf_text(page: Any, url: str) -> str:
    """Download a PDF as the signed-in user and extract its text (pypdf), whitespace folded."""
    from pypdf import PdfReader

    response = page.request.get(url)
    assert response.ok, response.status
    assert response.body().startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())
