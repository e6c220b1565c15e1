"""A children case in the browser: the mediator builds a 2-2-5-5 schedule with alternating
Christmas, compares it with an every-other-weekend proposal, both parents see the comparison, the
agreed schedule feeds the maintenance estimate, and the issued parenting plan (PDF and Word)
carries the names, the headings the mediator chose, the schedule's overnights and the
maintenance figure. The plan is drafted, headed and issued through the outcome pages; the PDF
and the Word copy are downloaded through the pages and their text read from the bytes."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, sign_in

pytestmark = pytest.mark.browser


def _parent_tab(browser: Any, base: str, email: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    sign_in(tab, base, email)
    tab.wait_for_url(re.compile(r"/portal/$"))
    return context, tab


def _build(page: Any, base: str, case_pk: int, name: str, pattern: str, christmas: str) -> None:
    page.goto(f"{base}/cases/{case_pk}/schedules/new/")
    page.get_by_label("Name of the proposal").fill(name)
    page.get_by_label("Pattern").select_option(label=pattern)
    page.get_by_label("Anchor date").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Handover time", exact=True).fill("18:00")
    if christmas:
        page.get_by_label("Christmas (24 to 26 December)").select_option(label=christmas)
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_schedules_compared_agreed_and_carried_into_the_parenting_plan(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.children import services as children
    from accord.children.models import CareSchedule, MaintenanceEstimate
    from accord.children.tests.conftest import born_years_ago
    from accord.documents.tests.pdftext import pdf_text
    from accord.testing.journey import agree_item

    service = live_service
    base = live_server.url
    case = service.cases["family"]
    children.child_add(
        actor=service.coordinator,
        case=case,
        full_name="Maya Smith",
        date_of_birth=born_years_ago(11),
    )

    # This journey renders and downloads two documents; give a loaded machine time.
    page.set_default_timeout(30_000)
    sign_in(page, base, service.mediator.email, with_code=True)
    # A rotation with no days is refused with a clear message, and nothing is saved.
    page.goto(f"{base}/cases/{case.pk}/schedules/new/")
    page.get_by_label("Name of the proposal").fill("Empty")
    page.get_by_label("Anchor date").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_contain_text("at least one day")
    assert not CareSchedule.objects.exists()

    _build(
        page,
        base,
        case.pk,
        "2-2-5-5",
        "2-2-5-5 (7 nights each)",
        "Alternate years: Alice Smith in even years",
    )
    _build(
        page,
        base,
        case.pk,
        "Every other weekend",
        "Every other weekend, Friday to Monday morning (3 of 14 nights)",
        "",
    )
    first, second = CareSchedule.objects.order_by("id")
    compare = f"{base}/cases/{case.pk}/schedules/compare/?a={first.pk}&b={second.pk}"
    page.goto(compare)
    expect(page.get_by_role("heading", name="Compare two proposals")).to_be_visible()
    expect(page.locator("td.day-differs").first).to_be_visible()

    for email in ("alice@riverside.example", "bob@riverside.example"):
        context, tab = _parent_tab(browser, base, email)
        tab.goto(compare)
        expect(tab.get_by_role("heading", name="Compare two proposals")).to_be_visible()
        expect(tab.locator("td.day-differs").first).to_be_visible()
        context.close()

    page.goto(f"{base}/cases/{case.pk}/schedules/{first.pk}/")
    page.get_by_role("button", name="Record this as the agreed schedule").click()
    expect(page.get_by_text("This is now the agreed schedule.")).to_be_visible()

    # The agreed schedule feeds the estimate; bad income is refused first, nothing is saved.
    page.goto(f"{base}/cases/{case.pk}/maintenance/new/")
    expect(page.get_by_text("from the agreed schedule “2-2-5-5”")).to_be_visible()
    page.get_by_label("Bob Jones").check()
    income = page.get_by_label("Paying parent's gross weekly income, in pounds")
    income.fill("650.123")
    page.get_by_label("Children of this case the estimate is for").fill("1")
    page.get_by_role("button", name="Work it out").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_contain_text("two decimals")
    page.get_by_label("Children of this case the estimate is for").fill("2")
    income.fill("650.00")
    page.get_by_role("button", name="Work it out").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_contain_text(
        "The case records 1 child"
    )
    assert not MaintenanceEstimate.objects.exists()
    page.get_by_label("Children of this case the estimate is for").fill("1")
    page.get_by_role("button", name="Work it out").click()
    expect(page.get_by_text("This is an estimate", exact=True)).to_be_visible()
    estimate = MaintenanceEstimate.objects.get()
    assert estimate.schedule_id == first.pk and estimate.nights
    weekly = page.locator("table td").first.inner_text().strip()
    assert weekly == f"£{estimate.weekly}"
    page.get_by_role("button", name="Record this as the agreed figure").click()
    expect(page.get_by_text("This is now the agreed figure")).to_be_visible()
    figure = f"Bob Jones pays £{estimate.weekly:,.2f} a week"

    # The parenting plan is drafted, given its headings and issued through the outcome pages.
    agree_item(service.mediator, case, "School-week routine", "Mon to Thu with Alice.")
    page.goto(f"{base}/cases/{case.pk}/?section=outcomes")
    page.get_by_role("button", name="Start a Parenting plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Parenting plan")
    page.get_by_role("link", name="Edit the draft").click()
    page.get_by_label("Agreed item 1: Cafcass heading").select_option(
        label="Living arrangements and time with each parent and family"
    )
    page.get_by_label("Leave it out of the plan").check()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Parenting plan")
    page.get_by_role("button", name="Issue", exact=True).click()
    page.get_by_role("button", name="Issue the Parenting plan").click()
    expect(page.get_by_text("The Parenting plan has been issued.")).to_be_visible()

    # The issued PDF, downloaded through the page as the mediator would.
    pdf_link = page.get_by_role("link", name="download the PDF")
    pdf = page.request.get(f"{base}{pdf_link.get_attribute('href')}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    text = " ".join(pdf_text(pdf.body()).split())
    assert "Alice Smith and Bob Jones" in text and "Maya Smith (aged 11)" in text
    # The mediator's heading, not the keyword guess (which files "School-week" under Education);
    # headings with nothing agreed left out as chosen.
    living = "Living arrangements and time with each parent and family"
    assert f"{living} School-week routine: Mon to Thu with Alice." in text
    assert "Education" not in text and "To discuss." not in text
    nights = {row.parent: row for row in _plan_rows(first)}
    for parent in ("Alice Smith", "Bob Jones"):
        assert f"{parent} {nights[parent].nights} {nights[parent].percent}%" in text
    assert "Overnights" in text and "2-2-5-5" in text
    assert figure in text

    # The editable Word copy, from the case's documents.
    page.goto(f"{base}/cases/{case.pk}/?section=documents")
    word_doc = page.locator(
        "article.document", has=page.get_by_role("heading", name="Parenting plan (Word)")
    )
    href = word_doc.get_by_role("link", name="Version 1").get_attribute("href")
    word = page.request.get(f"{base}{href}")
    assert word.ok
    xml = zipfile.ZipFile(io.BytesIO(word.body())).read("word/document.xml").decode()
    plain = " ".join(re.sub(r"<[^>]+>", "", xml).split())
    assert "Alice Smith and Bob Jones" in plain and "Maya Smith" in plain
    assert living in plain and "School-week routine" in plain and "Education" not in plain
    for parent in ("Alice Smith", "Bob Jones"):
        row = nights[parent]
        assert f"{parent}: {row.nights} overnights ({row.percent}%)" in plain
    assert figure in plain


def _plan_rows(schedule: Any) -> list[Any]:
    from types import SimpleNamespace

    from accord.children import schedules

    year = schedules.next_twelve_months(schedule)
    return [
        SimpleNamespace(parent=p.full_name, nights=year.nights[c], percent=year.percent(c))
        for p, c in ((schedule.parent_a, "A"), (schedule.parent_b, "B"))
    ]
